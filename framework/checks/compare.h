// When a declared spelling and the database's printed form are the same thing.
//
// The manifest's canonical_* fields hold the server's own printing of what the user wrote
// (catalog::canonicalize); when present they are compared exactly, since the server is the
// judge of equivalence. Without them (no server asked, or it rejected the spelling) the
// spelling as written is compared loosely: case outside quotes, whitespace, redundant outer
// parentheses and casts of string literals are ignored. That fallback never makes `int` equal
// `integer`: aliases are the server's business.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgparity {
namespace checks_detail {

// "(a > 0)" -> "a > 0", repeatedly, only when the outer pair encloses everything.
std::string strip_outer_parens(const std::string& text);
// The loose form described above.
std::string loose_form(const std::string& text);

// `declared` is the canonical form when `canonical` is true, else the spelling as written.
bool same_spelling(const std::string& declared, bool canonical, const std::string& actual);

// Case-insensitive equality of plain names and labels.
bool iequals(const std::string& a, const std::string& b);
std::string to_lower(std::string text);

// True when both lists hold the same elements, in any order (duplicates counted).
bool same_set(std::vector<std::string> a, std::vector<std::string> b);

}  // namespace checks_detail
}  // namespace pgparity
