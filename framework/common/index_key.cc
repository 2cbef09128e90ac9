#include "common/index_key.h"

#include <algorithm>
#include <cctype>

namespace pgparity {
namespace {

enum class token_kind { word, quoted, group, dot, other };

struct token {
  token_kind kind;
  std::size_t begin;
  std::size_t end;
};

bool word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '_' || c == '$';
}

// Position after the quoted run starting at `i` ('...' or "..."; a doubled quote stays inside).
std::size_t skip_quoted(const std::string& text, std::size_t i) {
  const char quote = text[i];
  for (++i; i < text.size(); ++i) {
    if (text[i] != quote) continue;
    if (i + 1 < text.size() && text[i + 1] == quote) {
      ++i;
    } else {
      return i + 1;
    }
  }
  return std::string::npos;
}

// Position after the parenthesised group starting at `i`, or npos when it is not closed.
std::size_t skip_group(const std::string& text, std::size_t i) {
  int depth = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\'' || c == '"') {
      i = skip_quoted(text, i);
      if (i == std::string::npos) return i;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return i + 1;
    ++i;
  }
  return std::string::npos;
}

// Top-level tokens; empty when the text does not tokenise (an unclosed quote or group).
std::vector<token> tokenize(const std::string& text) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    token_kind kind = token_kind::other;
    if (c == '"' || c == '\'') {
      end = skip_quoted(text, i);
      kind = c == '"' ? token_kind::quoted : token_kind::other;
    } else if (c == '(') {
      end = skip_group(text, i);
      kind = token_kind::group;
    } else if (c == '.') {
      kind = token_kind::dot;
    } else if (word_char(c)) {
      while (end < text.size() && word_char(text[end])) ++end;
      kind =
          std::isdigit(static_cast<unsigned char>(c)) != 0 ? token_kind::other : token_kind::word;
    }
    if (end == std::string::npos) return {};
    out.push_back({kind, i, end});
    i = end;
  }
  return out;
}

class key_grammar {
 public:
  key_grammar(const std::string& text, std::vector<token> tokens)
      : text_(text), tokens_(std::move(tokens)) {}

  // The token where the options start, or 0 when the key is not "element head + options".
  std::size_t options_start() {
    if (!head()) return 0;
    const std::size_t start = at_;
    if (start == tokens_.size()) return 0;
    if (keyword("collate") && !name()) return 0;
    if (!is_option_keyword() && name() && at_ < tokens_.size() && is(token_kind::group)) ++at_;
    if (!keyword("asc")) keyword("desc");
    if (keyword("nulls") && !(keyword("first") || keyword("last"))) return 0;
    return at_ == tokens_.size() ? start : 0;
  }

 private:
  bool is(token_kind kind) const { return at_ < tokens_.size() && tokens_[at_].kind == kind; }

  std::string word() const {
    std::string w = text_.substr(tokens_[at_].begin, tokens_[at_].end - tokens_[at_].begin);
    std::transform(w.begin(), w.end(), w.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return w;
  }

  bool keyword(const char* k) {
    if (!is(token_kind::word) || word() != k) return false;
    ++at_;
    return true;
  }

  bool is_option_keyword() const {
    if (!is(token_kind::word)) return false;
    const std::string w = word();
    return w == "collate" || w == "asc" || w == "desc" || w == "nulls";
  }

  // name(.name)*: a column, collation, operator class or function name.
  bool name() {
    if (!is(token_kind::word) && !is(token_kind::quoted)) return false;
    ++at_;
    while (is(token_kind::dot) && at_ + 1 < tokens_.size() &&
           (tokens_[at_ + 1].kind == token_kind::word ||
            tokens_[at_ + 1].kind == token_kind::quoted)) {
      at_ += 2;
    }
    return true;
  }

  // A column, a function call or a parenthesised expression (index_elem in gram.y).
  bool head() {
    if (is(token_kind::group)) {
      ++at_;
      return true;
    }
    const std::size_t start = at_;
    if (!name()) return false;
    if (is(token_kind::group)) {
      ++at_;
      return true;
    }
    return at_ == start + 1;  // a qualified name without a call is not a column
  }

  const std::string& text_;
  std::vector<token> tokens_;
  std::size_t at_ = 0;
};

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::string();
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

index_key_parts split_index_key(const std::string& key) {
  auto tokens = tokenize(key);
  if (tokens.empty()) return {trim(key), ""};
  key_grammar grammar(key, tokens);
  const std::size_t start = grammar.options_start();
  if (start == 0) return {trim(key), ""};
  const std::size_t at = tokens[start].begin;
  return {trim(key.substr(0, at)), trim(key.substr(at))};
}

std::vector<std::string> parenthesised_items(const std::string& text, std::size_t from,
                                             std::size_t& end) {
  end = std::string::npos;
  std::size_t i = from;
  // Find the opening parenthesis outside quotes.
  while (i < text.size() && text[i] != '(') {
    if (text[i] == '"' || text[i] == '\'') {
      i = skip_quoted(text, i);
      if (i == std::string::npos) return {};
    } else {
      ++i;
    }
  }
  const std::size_t close = i < text.size() ? skip_group(text, i) : std::string::npos;
  if (close == std::string::npos) return {};
  std::vector<std::string> items;
  std::size_t item_start = i + 1;
  std::size_t j = i + 1;
  while (j < close - 1) {
    const char c = text[j];
    if (c == '"' || c == '\'') {
      j = skip_quoted(text, j);
    } else if (c == '(') {
      j = skip_group(text, j);
    } else {
      if (c == ',') {
        items.push_back(trim(text.substr(item_start, j - item_start)));
        item_start = j + 1;
      }
      ++j;
    }
  }
  items.push_back(trim(text.substr(item_start, close - 1 - item_start)));
  end = close;
  return items;
}

}  // namespace pgparity
