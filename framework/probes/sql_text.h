// Small SQL text helpers the probes share: quoting, and reading the parts of a server error
// that a probe result reports (first line, SQLSTATE, the constraint it names).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checks/sql_text.h"

namespace pgparity {
namespace probes_detail {

// "name" with embedded quotes doubled. Always quoted, so reserved words and mixed case are safe.
std::string quote_always(const std::string& name);
// 'text' with embedded quotes doubled, and "a, b, c": the checks' fix SQL writes them the same.
using sql::join;
using sql::quote_literal;
// "schema"."table"
std::string qualified(const std::string& schema, const std::string& table);
// schema.table as a person writes it, for messages.
std::string display_name(const std::string& schema, const std::string& table);

// The first line of a server error without its "ERROR:  " prefix.
std::string server_message_line(const std::string& server_message);
// The constraint a server error names: `... violates unique constraint "x"` -> x. libpqxx 6.4
// exposes no PG_DIAG_CONSTRAINT_NAME, so the (C-locale) message text is the source.
std::optional<std::string> constraint_in_message(const std::string& server_message);

}  // namespace probes_detail
}  // namespace pgparity
