// The parts of an index key as CREATE INDEX writes it: the column or expression, then the
// per-key options PostgreSQL allows after it (COLLATE, an operator class with its parameters,
// ASC/DESC, NULLS FIRST/LAST). Used alike by the manifest's declared keys, the server's printed
// definitions and the fix SQL, so one grammar decides what is an option.
#pragma once

#include <string>
#include <vector>

namespace pgparity {

struct index_key_parts {
  std::string expression;  // the key's column or expression, as written
  std::string options;     // "DESC NULLS LAST", "text_pattern_ops", "COLLATE \"C\""; or ""
};

// Splits `key` when it is written as PostgreSQL's index element grammar allows options: a
// column, a function call or a parenthesised expression, followed by options. Anything else
// (`a + b`, a bare column) is all expression with no options.
index_key_parts split_index_key(const std::string& key);

// The items of the first parenthesised list in `text` at or after `from`, split at top-level
// commas and trimmed; `end` receives the position after its closing parenthesis (npos when the
// list is not closed, and then nothing is returned). Quotes and nesting are respected.
std::vector<std::string> parenthesised_items(const std::string& text, std::size_t from,
                                             std::size_t& end);

}  // namespace pgparity
