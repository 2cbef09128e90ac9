// Suggestions for misspelt names, as in "unknown key `nulable`; did you mean `nullable`?".
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgparity {

// Levenshtein distance, case-insensitive.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate closest to `word`, when it is close enough to be a plausible typo
// (distance at most max(1, size/3)); nullopt otherwise.
std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates);

// "; did you mean `x`?" or "" — ready to append to a message.
std::string did_you_mean_suffix(const std::string& word,
                                const std::vector<std::string>& candidates);

}  // namespace pgparity
