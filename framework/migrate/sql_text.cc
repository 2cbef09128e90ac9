#include "migrate/sql_text.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace pgparity::migrate_detail {
namespace {

enum class token_kind { word, quoted, semicolon, other };

struct token {
  token_kind kind;
  std::size_t begin;
  std::size_t end;
};

bool is_ident_start(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalpha(u) || c == '_' || u >= 0x80;
}

bool is_ident_char(char c) {
  return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
}

// Each scanner starts at sql[i] and returns the index just past what it read.

std::size_t end_of_block_comment(const std::string& sql, std::size_t i) {
  int depth = 0;  // block comments nest in PostgreSQL
  while (i < sql.size()) {
    if (sql.compare(i, 2, "/*") == 0) {
      ++depth;
      i += 2;
    } else if (sql.compare(i, 2, "*/") == 0) {
      i += 2;
      if (--depth == 0) break;
    } else {
      ++i;
    }
  }
  return i;
}

// A quoted string or identifier ending in `quote`, where a doubled quote stands for one;
// backslash escapes only in E'...' strings.
std::size_t end_of_quoted(const std::string& sql, std::size_t i, char quote, bool escapes) {
  const std::size_t n = sql.size();
  ++i;
  while (i < n) {
    if (escapes && sql[i] == '\\') {
      i += 2;
    } else if (sql[i] == quote) {
      if (i + 1 < n && sql[i + 1] == quote) {
        i += 2;
      } else {
        return i + 1;
      }
    } else {
      ++i;
    }
  }
  return n;
}

bool escape_string_at(const std::string& sql, std::size_t i) {
  return i > 0 && (sql[i - 1] == 'e' || sql[i - 1] == 'E') && (i < 2 || !is_ident_char(sql[i - 2]));
}

// A dollar quote $tag$...$tag$ starting at i, or 0 when this `$` is no such quote (a parameter
// like $1).
std::size_t end_of_dollar_quote(const std::string& sql, std::size_t i) {
  const std::size_t n = sql.size();
  std::size_t j = i + 1;
  if (j < n && is_ident_start(sql[j])) {
    while (j < n && is_ident_char(sql[j]) && sql[j] != '$') ++j;
  }
  if (j >= n || sql[j] != '$') return 0;
  const std::string tag = sql.substr(i, j - i + 1);
  const std::size_t close = sql.find(tag, j + 1);
  return close == std::string::npos ? n : close + tag.size();
}

std::size_t end_of_number(const std::string& sql, std::size_t i) {
  while (i < sql.size() &&
         (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '.' || sql[i] == '_')) {
    ++i;
  }
  return i;
}

// The token starting at sql[i] (not white space, not a comment).
token next_token(const std::string& sql, std::size_t i) {
  const char c = sql[i];
  if (c == '\'') return {token_kind::quoted, i, end_of_quoted(sql, i, c, escape_string_at(sql, i))};
  if (c == '"') return {token_kind::quoted, i, end_of_quoted(sql, i, c, false)};
  if (c == '$' && (i == 0 || !is_ident_char(sql[i - 1]))) {
    if (const std::size_t end = end_of_dollar_quote(sql, i)) return {token_kind::quoted, i, end};
  }
  if (is_ident_start(c)) {
    std::size_t end = i;
    while (end < sql.size() && is_ident_char(sql[end])) ++end;
    return {token_kind::word, i, end};
  }
  if (std::isdigit(static_cast<unsigned char>(c)))
    return {token_kind::other, i, end_of_number(sql, i)};
  return {c == ';' ? token_kind::semicolon : token_kind::other, i, i + 1};
}

// The lexer: enough of PostgreSQL's to know where strings, comments and statements end.
std::vector<token> tokenize(const std::string& sql) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      i = sql.find('\n', i);
      if (i == std::string::npos) i = sql.size();
    } else if (sql.compare(i, 2, "/*") == 0) {
      i = end_of_block_comment(sql, i);
    } else {
      out.push_back(next_token(sql, i));
      i = out.back().end;
    }
  }
  return out;
}

std::string upper_word(const std::string& sql, const token& t) {
  std::string w = sql.substr(t.begin, t.end - t.begin);
  for (char& ch : w) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return w;
}

struct statement_tokens {
  sql_statement range;
  std::vector<std::string> words;  // upper-cased unquoted words, in order
};

std::vector<statement_tokens> statements_of(const std::string& sql) {
  std::vector<statement_tokens> out;
  statement_tokens current;
  bool open = false;
  int atomic_depth = 0;  // inside BEGIN ATOMIC ... END, `;` does not end the statement
  std::string previous_word;
  for (const token& t : tokenize(sql)) {
    if (t.kind == token_kind::semicolon && atomic_depth == 0) {
      if (open) out.push_back(current);
      current = {};
      open = false;
      previous_word.clear();
      continue;
    }
    if (!open) {
      current.range.begin = t.begin;
      open = true;
    }
    current.range.end = t.end;
    if (t.kind == token_kind::word) {
      std::string word = upper_word(sql, t);
      if (previous_word == "BEGIN" && word == "ATOMIC") {
        atomic_depth = 1;
      } else if (atomic_depth > 0 && word == "CASE") {
        ++atomic_depth;
      } else if (atomic_depth > 0 && word == "END") {
        --atomic_depth;
      }
      current.words.push_back(word);
      previous_word = std::move(word);
    } else {
      previous_word.clear();
    }
  }
  if (open) out.push_back(current);
  return out;
}

bool contains(const std::vector<std::string>& words, const char* word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Why `w` (a statement's upper-cased words) cannot run in a transaction block, or "".
// Every rule names a word may_need_own_transaction() looks for: add a new rule's word there.
std::string needs_own_transaction(const std::vector<std::string>& w, int server_version_num) {
  auto at = [&w](std::size_t i) { return i < w.size() ? w[i] : std::string(); };
  if (at(0) == "CREATE") {
    const std::size_t index = at(1) == "UNIQUE" ? 2 : 1;
    if (at(index) == "INDEX" && at(index + 1) == "CONCURRENTLY") return "CREATE INDEX CONCURRENTLY";
    if (at(1) == "DATABASE" || at(1) == "TABLESPACE") return "CREATE " + at(1);
  }
  if (at(0) == "DROP") {
    if (at(1) == "INDEX" && at(2) == "CONCURRENTLY") return "DROP INDEX CONCURRENTLY";
    if (at(1) == "DATABASE" || at(1) == "TABLESPACE") return "DROP " + at(1);
  }
  if (at(0) == "REINDEX") {
    if (contains(w, "CONCURRENTLY")) return "REINDEX CONCURRENTLY";
    if (contains(w, "DATABASE") || contains(w, "SYSTEM")) return "REINDEX DATABASE";
  }
  if (at(0) == "VACUUM") return "VACUUM";
  if (at(0) == "ALTER" && at(1) == "SYSTEM") return "ALTER SYSTEM";
  if (at(0) == "ALTER" && at(1) == "TABLE" && contains(w, "DETACH") &&
      contains(w, "CONCURRENTLY")) {
    return "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY";
  }
  // Since PostgreSQL 12 ADD VALUE may run in a transaction (the new label is usable after
  // COMMIT); before, it is refused there.
  if (server_version_num < 120000 && at(0) == "ALTER" && at(1) == "TYPE") {
    for (std::size_t i = 2; i + 1 < w.size(); ++i) {
      if (w[i] == "ADD" && w[i + 1] == "VALUE") return "ALTER TYPE ... ADD VALUE";
    }
  }
  return "";
}

// Whether `sql` holds, in any case and anywhere (a comment, a string), one of the words every
// rule of needs_own_transaction() requires. Most migrations hold none, and then need not be
// tokenised: a warm run reads every migration to key its caches (14% of it at 10,000 models).
bool may_need_own_transaction(const std::string& sql, int server_version_num) {
  std::string lowered(sql.size(), '\0');
  std::transform(sql.begin(), sql.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* word : {"concurrently", "database", "tablespace", "vacuum", "system"}) {
    if (lowered.find(word) != std::string::npos) return true;
  }
  return server_version_num < 120000 && lowered.find("value") != std::string::npos;
}

}  // namespace

std::vector<sql_statement> split_statements(const std::string& sql) {
  std::vector<sql_statement> out;
  for (const auto& statement : statements_of(sql)) out.push_back(statement.range);
  return out;
}

bool is_blank_sql(const std::string& sql) { return tokenize(sql).empty(); }

bool has_no_transaction_marker(const std::string& sql) {
  std::size_t pos = 0;
  while (pos < sql.size()) {
    std::size_t eol = sql.find('\n', pos);
    if (eol == std::string::npos) eol = sql.size();
    std::string line = sql.substr(pos, eol - pos);
    pos = eol + 1;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    if (line.compare(first, 2, "--") != 0) return false;
    if (line.find("pgparity:no-transaction") != std::string::npos) return true;
  }
  return false;
}

std::optional<std::string> statement_needing_no_transaction(const std::string& sql,
                                                            int server_version_num) {
  if (!may_need_own_transaction(sql, server_version_num)) return std::nullopt;
  for (const auto& statement : statements_of(sql)) {
    std::string why = needs_own_transaction(statement.words, server_version_num);
    if (!why.empty()) return why;
  }
  return std::nullopt;
}

std::size_t offset_of_position(const std::string& sql, std::size_t from, int position, bool utf8) {
  std::size_t i = from;
  for (int count = 1; count < position && i < sql.size(); ++count) {
    ++i;
    while (utf8 && i < sql.size() && (static_cast<unsigned char>(sql[i]) & 0xC0) == 0x80) ++i;
  }
  return std::min(i, sql.size());
}

int line_of_offset(const std::string& sql, std::size_t offset, int first_line) {
  offset = std::min(offset, sql.size());
  const auto newlines = std::count(sql.begin(), sql.begin() + static_cast<long>(offset), '\n');
  return first_line + static_cast<int>(newlines);
}

}  // namespace pgparity::migrate_detail
