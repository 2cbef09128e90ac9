// Writing SQL and display text for findings: identifiers quoted only when PostgreSQL needs it,
// the conventional names of unnamed objects, and the declared column definition.
#pragma once

#include <string>
#include <vector>

#include "common/sql_names.h"
#include "manifest/model_spec.h"

namespace pgparity {
namespace checks_detail {

// The common spellings (common/sql_names.h), unqualified for the checks.
using sql::ident_list;
using sql::join;
using sql::qualified_name;
using sql::quote_ident;
using sql::quote_literal;

// prefix_table_col1_col2, made of identifier characters and cut to PostgreSQL's 63 bytes, the
// name PostgreSQL users conventionally give an unnamed constraint or index.
std::string conventional_name(const std::string& prefix, const std::string& table,
                              const std::vector<std::string>& parts);

// The schema of a model: the manifest's when the model names none.
std::string model_schema(const model_spec& model);
// How findings name a table: `users`, or `billing.invoices` outside public.
std::string display_table(const model_spec& model);

// The declared type and default in the server's printed form when known, else as written.
std::string declared_type(const column_spec& column);
std::string declared_default(const column_spec& column);  // "" when none declared
// "uuid NOT NULL DEFAULT gen_random_uuid()" (no default part unless one is declared).
std::string column_definition(const column_spec& column);

// True when `key` is a bare or double-quoted column name rather than an expression.
bool is_column_name(const std::string& key);
// An index key as CREATE INDEX needs it: column names quoted as needed, expressions in
// parentheses.
std::string index_key_sql(const std::string& key);

}  // namespace checks_detail
}  // namespace pgparity
