// Reading the database: one bulk pass over pg_catalog, and asking the server to print
// manifest spellings in its own canonical form.
#pragma once

#include <pqxx/pqxx>

#include "catalog/snapshot.h"
#include "manifest/model_spec.h"

namespace pgparity {

// Every user table, column, enum, key, index and constraint outside pg_catalog,
// information_schema, pg_toast and extension-owned objects, in a handful of queries.
snapshot read_snapshot(pqxx::connection& conn);

// Returns `m` (taken by value: pass an rvalue to fill it without a copy) with every canonical_*
// field filled in as the server prints it
// (types via format_type, defaults and predicates via pg_get_expr, checks via
// pg_get_constraintdef), worked out in scratch objects inside a transaction that is rolled
// back. A spelling the server rejects leaves the canonical field empty and is reported by the
// checks with the server's own message in `canonical_errors`.
//
// canonical_errors name the model and the object: a column (its type), a default (by column),
// a check (name or expression), an index (name or keys), the table (the scratch table itself
// failed), or a manifest enum.
// Printed forms are relative to search_path = public, as read_snapshot() prints them: an
// object in public is unqualified (`user_status`), any other is qualified (`audit.kind`).
// Check expressions are pg_get_constraintdef(oid, true) without "CHECK (" and its ")";
// defaults, predicates and index keys are pg_get_expr / pg_get_indexdef in pretty mode.
// A manifest spelling the server rejected: whose, what, and the server's message.
struct canonical_error {
  std::string model;    // "" for a manifest enum
  std::string object;   // "table", "column", "default", "check", "index" or "enum"
  std::string name;     // the column, check, index (name or keys), table or enum
  std::string message;  // e.g. "type \"varchr\" does not exist"
  // "User.column email", "enum mood": how tests and messages name it.
  std::string key() const { return (model.empty() ? "" : model + ".") + object + " " + name; }
  bool operator==(const canonical_error& o) const {
    return model == o.model && object == o.object && name == o.name && message == o.message;
  }
  bool operator!=(const canonical_error& o) const { return !(*this == o); }
};
struct canonical_manifest {
  manifest m;
  std::vector<canonical_error> canonical_errors;
};
canonical_manifest canonicalize(pqxx::connection& conn, manifest m);

// A manifest that declares exactly what `s` holds (for `pgparity snapshot`); model names are
// the table names in CamelCase singular-free form (users -> Users).
manifest manifest_from_snapshot(const snapshot& s, const std::vector<std::string>& ignore_tables);

}  // namespace pgparity
