#include "checks/sql_text.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "checks/compare.h"

namespace pgparity {
namespace detail {
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

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
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

std::string conventional_name(const std::string& prefix, const std::string& table,
                              const std::vector<std::string>& parts) {
  std::string raw = prefix + "_" + table;
  for (const auto& part : parts) raw += "_" + part;
  // Expressions (lower(email)) become lower_email; runs of other characters collapse to one _.
  std::string out;
  for (char c : lower(raw)) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '_') {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  constexpr std::size_t max_identifier = 63;  // NAMEDATALEN - 1: longer names are truncated
  if (out.size() > max_identifier) out.resize(max_identifier);
  return out;
}

std::string model_schema(const model_spec& model) {
  return model.schema.empty() ? std::string("public") : model.schema;
}

std::string display_table(const model_spec& model) {
  return qualified_name(model_schema(model), model.table);
}

std::string declared_type(const column_spec& column) {
  return column.canonical_type.empty() ? column.type : column.canonical_type;
}

std::string declared_default(const column_spec& column) {
  if (column.canonical_default) return *column.canonical_default;
  if (column.default_expr) return *column.default_expr;
  return std::string();
}

std::string column_definition(const column_spec& column) {
  std::string out = declared_type(column);
  if (!column.nullable) out += " NOT NULL";
  const std::string default_text = declared_default(column);
  if (!default_text.empty()) out += " DEFAULT " + default_text;
  return out;
}

bool is_column_name(const std::string& key) {
  if (key.size() >= 2 && key.front() == '"' && key.back() == '"') return true;
  if (key.empty()) return false;
  const auto first = static_cast<unsigned char>(key[0]);
  if (!(std::isalpha(first) || key[0] == '_')) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '_' || c == '$';
  });
}

std::string index_key_sql(const std::string& key) {
  if (is_column_name(key)) return key.front() == '"' ? key : quote_ident(key);
  // A bare function call is allowed as a key; anything else needs its own parentheses.
  if (key.front() == '(' && strip_outer_parens(key) != key) return key;
  return "(" + key + ")";
}

}  // namespace detail
}  // namespace pgparity
