#include "checks/compare.h"

#include <algorithm>
#include <cctype>

namespace pgparity {
namespace checks_detail {
namespace {

bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$';
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::string();
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Index just past the quoted token starting at `i` ('...' or "...", doubled quote escapes).
std::size_t skip_quoted(const std::string& text, std::size_t i) {
  const char quote = text[i];
  for (++i; i < text.size(); ++i) {
    if (text[i] != quote) continue;
    if (i + 1 < text.size() && text[i + 1] == quote) {
      ++i;
      continue;
    }
    return i + 1;
  }
  return text.size();
}

// Lower case outside quotes; whitespace kept only between two word characters, as one space.
std::string collapse(const std::string& text) {
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = true;
      ++i;
      continue;
    }
    if (pending_space && !out.empty() && is_word_char(out.back()) && is_word_char(c)) out += ' ';
    pending_space = false;
    if (c == '\'' || c == '"') {
      const std::size_t end = skip_quoted(text, i);
      out.append(text, i, end - i);
      i = end;
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ++i;
  }
  return out;
}

// Drops "::type" after a string literal ('x'::text, 'a'::character varying(20)), since the
// server adds those casts when it prints an expression.
std::string drop_literal_casts(const std::string& text) {
  static const char* const type_words[] = {"varying", "precision", "with",
                                           "without", "time",      "zone"};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '"') {
      const std::size_t end = skip_quoted(text, i);
      out.append(text, i, end - i);
      i = end;
      continue;
    }
    if (text[i] != '\'') {
      out += text[i++];
      continue;
    }
    const std::size_t end = skip_quoted(text, i);
    out.append(text, i, end - i);
    i = end;
    while (text.compare(i, 2, "::") == 0) {
      i += 2;
      while (i < text.size() && (is_word_char(text[i]) || text[i] == '.')) ++i;
      for (bool more = true; more;) {
        more = false;
        for (const char* word : type_words) {
          const std::string spaced = std::string(" ") + word;
          if (text.compare(i, spaced.size(), spaced) == 0 &&
              (i + spaced.size() == text.size() || !is_word_char(text[i + spaced.size()]))) {
            i += spaced.size();
            more = true;
          }
        }
      }
      if (i < text.size() && text[i] == '(') {
        const std::size_t close = text.find(')', i);
        if (close != std::string::npos) i = close + 1;
      }
      if (text.compare(i, 2, "[]") == 0) i += 2;
    }
  }
  return out;
}

}  // namespace

std::string strip_outer_parens(const std::string& text) {
  std::string current = trim(text);
  while (current.size() >= 2 && current.front() == '(' && current.back() == ')') {
    int depth = 0;
    std::size_t close = std::string::npos;
    for (std::size_t i = 0; i < current.size();) {
      const char c = current[i];
      if (c == '\'' || c == '"') {
        i = skip_quoted(current, i);
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0) {
        close = i;
        break;
      }
      ++i;
    }
    if (close != current.size() - 1) break;
    current = trim(current.substr(1, current.size() - 2));
  }
  return current;
}

std::string loose_form(const std::string& text) {
  return strip_outer_parens(drop_literal_casts(collapse(text)));
}

bool same_spelling(const std::string& declared, bool canonical, const std::string& actual) {
  if (canonical) return strip_outer_parens(declared) == strip_outer_parens(actual);
  return loose_form(declared) == loose_form(actual);
}

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool iequals(const std::string& a, const std::string& b) { return to_lower(a) == to_lower(b); }

bool same_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace checks_detail
}  // namespace pgparity
