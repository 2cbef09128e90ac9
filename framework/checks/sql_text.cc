#include "checks/sql_text.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "checks/compare.h"

namespace pgparity {
namespace checks_detail {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

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

}  // namespace checks_detail
}  // namespace pgparity
