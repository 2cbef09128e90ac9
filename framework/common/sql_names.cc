#include "common/sql_names.h"

#include <cctype>
#include <set>

namespace pgparity::sql {
namespace {

// PostgreSQL's reserved key words plus those that cannot be a bare column name
// (https://www.postgresql.org/docs/current/sql-keywords-appendix.html). Quoting is always
// allowed, so erring towards quoting is harmless.
const std::set<std::string>& reserved_words() {
  static const std::set<std::string> words = {"all",
                                              "analyse",
                                              "analyze",
                                              "and",
                                              "any",
                                              "array",
                                              "as",
                                              "asc",
                                              "asymmetric",
                                              "authorization",
                                              "binary",
                                              "both",
                                              "case",
                                              "cast",
                                              "check",
                                              "collate",
                                              "collation",
                                              "column",
                                              "concurrently",
                                              "constraint",
                                              "create",
                                              "cross",
                                              "current_catalog",
                                              "current_date",
                                              "current_role",
                                              "current_schema",
                                              "current_time",
                                              "current_timestamp",
                                              "current_user",
                                              "default",
                                              "deferrable",
                                              "desc",
                                              "distinct",
                                              "do",
                                              "else",
                                              "end",
                                              "except",
                                              "false",
                                              "fetch",
                                              "for",
                                              "foreign",
                                              "freeze",
                                              "from",
                                              "full",
                                              "grant",
                                              "group",
                                              "having",
                                              "ilike",
                                              "in",
                                              "initially",
                                              "inner",
                                              "intersect",
                                              "into",
                                              "is",
                                              "isnull",
                                              "join",
                                              "lateral",
                                              "leading",
                                              "left",
                                              "like",
                                              "limit",
                                              "localtime",
                                              "localtimestamp",
                                              "natural",
                                              "not",
                                              "notnull",
                                              "null",
                                              "offset",
                                              "on",
                                              "only",
                                              "or",
                                              "order",
                                              "outer",
                                              "overlaps",
                                              "placing",
                                              "primary",
                                              "references",
                                              "returning",
                                              "right",
                                              "select",
                                              "session_user",
                                              "similar",
                                              "some",
                                              "symmetric",
                                              "system_user",
                                              "table",
                                              "tablesample",
                                              "then",
                                              "to",
                                              "trailing",
                                              "true",
                                              "union",
                                              "unique",
                                              "user",
                                              "using",
                                              "variadic",
                                              "verbose",
                                              "when",
                                              "where",
                                              "window",
                                              "with"};
  return words;
}

bool is_bare_identifier(const std::string& name) {
  if (name.empty()) return false;
  const auto first = static_cast<unsigned char>(name[0]);
  if (!(std::islower(first) || name[0] == '_')) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::islower(u) || std::isdigit(u) || c == '_' || c == '$')) return false;
  }
  return reserved_words().count(name) == 0;
}

}  // namespace

std::string quote_ident(const std::string& name) {
  if (is_bare_identifier(name)) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string qualified_name(const std::string& schema, const std::string& table) {
  if (schema.empty() || schema == "public") return quote_ident(table);
  return quote_ident(schema) + "." + quote_ident(table);
}

std::string quote_literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string ident_list(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  quoted.reserve(names.size());
  for (const auto& name : names) quoted.push_back(quote_ident(name));
  return join(quoted, ", ");
}

bool names_word(const std::string& text, const std::string& word) {
  if (word.empty()) return false;
  const auto word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const std::size_t end = at + word.size();
    if ((at == 0 || !word_char(text[at - 1])) && (end == text.size() || !word_char(text[end]))) {
      return true;
    }
  }
  return false;
}

}  // namespace pgparity::sql
