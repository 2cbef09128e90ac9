#include <algorithm>
#include <cctype>
#include <mutex>
#include <ostream>
#include <unordered_set>

#include "common/did_you_mean.h"
#include "common/source_location.h"

namespace pgparity {
namespace {

const std::string* interned(const std::string& name) {
  static const std::string empty;
  if (name.empty()) return &empty;
  // Never shrinks: a process reads a handful of files. A node set: its elements never move.
  static std::mutex lock;
  static std::unordered_set<std::string> names;
  const std::lock_guard<std::mutex> hold(lock);
  return &*names.insert(name).first;
}

}  // namespace

file_name::file_name() : text_(interned({})) {}
file_name::file_name(const std::string& name) : text_(interned(name)) {}
file_name::file_name(const char* name) : text_(interned(name)) {}

std::ostream& operator<<(std::ostream& out, const file_name& name) { return out << name.str(); }
std::string operator+(const std::string& a, const file_name& b) { return a + b.str(); }
std::string operator+(const file_name& a, const std::string& b) { return a.str() + b; }
std::string operator+(const char* a, const file_name& b) { return a + b.str(); }
std::string operator+(const file_name& a, const char* b) { return a.str() + b; }

std::string source_location::str() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  return out;
}

namespace {

bool same_letter(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

bool starts_with_ignoring_case(const std::string& text, const std::string& prefix) {
  if (prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (!same_letter(text[i], prefix[i])) return false;
  }
  return true;
}

}  // namespace

// Optimal string alignment distance: a swap of two neighbouring letters ("tabel") is one typo.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = same_letter(a[i - 1], b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && same_letter(a[i - 1], b[j - 2]) && same_letter(a[i - 2], b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates) {
  if (word.empty()) return std::nullopt;
  std::optional<std::string> best;
  // Allowed typos grow with the word: 1 for short words, about a third of longer ones.
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  if (best) return best;
  // A truncated name ("created" for "created_at") is a likely slip too, when it is unique.
  for (const auto& candidate : candidates) {
    if (word.size() >= 3 && starts_with_ignoring_case(candidate, word)) {
      if (best) return std::nullopt;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean_suffix(const std::string& word,
                                const std::vector<std::string>& candidates) {
  const auto match = closest_match(word, candidates);
  return match ? "; did you mean `" + *match + "`?" : std::string();
}

}  // namespace pgparity
