// Writing names and values into SQL and into messages, one definition each for every module:
// identifiers quoted only when PostgreSQL needs it, "schema.table unless public", literals.
#pragma once

#include <string>
#include <vector>

namespace pgparity::sql {

// `name` as written in SQL: bare when it is a lower-case identifier that is not reserved,
// double-quoted otherwise.
std::string quote_ident(const std::string& name);
// `table` or `schema.table`: the schema is written only when it is not public (or empty).
std::string qualified_name(const std::string& schema, const std::string& table);
// 'text' with embedded quotes doubled.
std::string quote_literal(const std::string& text);
// "a, b, c" with each element quoted as an identifier.
std::string ident_list(const std::vector<std::string>& names);
// "a, b, c" as given.
std::string join(const std::vector<std::string>& parts, const std::string& separator = ", ");
// `word` occurs in `text` as an identifier of its own (not inside a longer one); exact case.
bool names_word(const std::string& text, const std::string& word);

}  // namespace pgparity::sql
