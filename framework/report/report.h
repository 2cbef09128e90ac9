// Presenting findings: the GoogleTest failure text, and the audit report (`pgparity report`) in
// Markdown for people and JSON for tools. docs/report-format.md documents the JSON shape.
#pragma once

#include <cstddef>
#include <string>

#include "checks/finding.h"

namespace pgparity {

// What the report says about the run itself; every field is optional ("" / 0 = unknown and
// left out of the Markdown). `generated_at` is supplied by the caller so that a report is
// reproducible byte for byte.
struct report_meta {
  std::string title = "pgparity audit report";
  std::string manifest_file;
  std::string server_version;
  std::string generated_at;      // e.g. "2026-01-23T10:00:00Z"
  std::size_t models = 0;        // models in the manifest
  std::size_t tables = 0;        // tables in the database
  std::string pgparity_version;  // the pgparity that wrote the report ("" when unknown)
};

// One finding as a GoogleTest failure message a user can act on without reading code:
//   Columns/Match  UserRole (table user_roles): column role_id is missing
//     expected: uuid NOT NULL
//     actual:   (none)
//     declared at db/models.yaml:27:7
//     did you mean `role_ids`?
//     fix: ALTER TABLE user_roles ADD COLUMN role_id uuid NOT NULL;
std::string format_failure(const finding& f);
// Every finding, separated by blank lines ("" when there are none).
std::string format_findings(const findings& all);

// The audit report: summary counts by level and family, then one section per finding
// (CRITICAL first, each level in the given order) with its fix SQL.
std::string markdown_report(const findings& all, const report_meta& meta = {});
// The same as JSON, shape documented in docs/report-format.md; findings in the given order.
std::string json_report(const findings& all, const report_meta& meta = {});

// "CRITICAL" / "WARNING".
const char* severity_name(severity level);
// The generated suite a finding belongs to: "Tables/Exists", "Columns/Match", ... (from the
// engine's kind table).
const char* suite_title(const finding& f);
// Stable machine names: "table_exists", "on_delete", "foreign_key", ...
const char* kind_id(check_kind kind);
const char* attribute_id(attribute what);
const char* object_kind_id(object_kind object);

// The words of a finding's parts, as every format prints them:
std::string table_text(const finding& f);    // "user_roles", "billing.invoices", "" for none
std::string object_text(const finding& f);   // "column role_id", "foreign key (role_id)"
std::string problem_text(const finding& f);  // "is missing", "ON DELETE and ON UPDATE differ"
std::string hint_text(const finding& f);     // "did you mean `role_ids`?", or ""
// The hint offers another way out than the fix ("or declare it ..."): printed after the fix.
bool hint_is_alternative(const finding& f);

// `text` as a JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD.
std::string json_string(const std::string& text);

}  // namespace pgparity
