// manifest_from_snapshot(): the manifest `pgparity snapshot` writes. Every spelling is the
// server's own printed form, so the result passes every check unchanged.
#include <algorithm>
#include <cctype>
#include <map>

#include "catalog/catalog.h"

namespace pgparity {
namespace {

// user_roles -> UserRoles; a name with no letters keeps its own spelling.
std::string camel_case(const std::string& table) {
  std::string out;
  bool upper = true;
  for (const char ch : table) {
    if (ch == '_' || ch == '-' || ch == ' ' || ch == '.') {
      upper = true;
      continue;
    }
    const auto c = static_cast<unsigned char>(ch);
    out += upper ? static_cast<char>(std::toupper(c)) : ch;
    upper = false;
  }
  return out.empty() ? table : out;
}

bool ignored(const table_info& t, const std::vector<std::string>& ignore_tables) {
  return std::any_of(ignore_tables.begin(), ignore_tables.end(), [&](const std::string& name) {
    return name == t.name || name == t.schema + "." + t.name;
  });
}

column_spec column_from(const column_info& info, const table_info& t, const snapshot& s) {
  column_spec c;
  c.name = info.name;
  c.type = info.type;
  c.canonical_type = info.type;
  c.primary_key =
      std::find(t.primary_key.begin(), t.primary_key.end(), info.name) != t.primary_key.end();
  c.nullable = !info.not_null;
  // Declared even when absent: "default: null" asserts the column has none. A generated
  // column's expression is its `generated:` key, not a default.
  c.default_declared = true;
  c.default_expr = info.default_expr;
  c.canonical_default = info.default_expr;
  if (info.identity == 'a') c.identity = "always";
  if (info.identity == 'd') c.identity = "by default";
  if (info.identity != '\0') c.default_declared = false;  // an identity has no DEFAULT key
  if (info.generated == 's' && info.generation_expr) {
    c.generated = info.generation_expr;
    c.canonical_generated = info.generation_expr;
  }
  if (!info.collation.empty()) c.collation = info.collation;
  const bool array = info.type.size() > 2 && info.type.compare(info.type.size() - 2, 2, "[]") == 0;
  if (info.type_kind == 'e' && !array && s.find_enum(info.type_schema, info.type_name) != nullptr) {
    c.enum_name = info.type_name;
  }
  return c;
}

// Written only when set, so that ordinary constraints keep short manifest entries.
deferral_spec deferral_of(bool deferrable, bool initially_deferred) {
  deferral_spec d;
  if (deferrable) d.deferrable = true;
  if (initially_deferred) d.initially_deferred = true;
  return d;
}

}  // namespace

manifest manifest_from_snapshot(const snapshot& s, const std::vector<std::string>& ignore_tables) {
  manifest m;
  for (const auto& e : s.enums()) {
    enum_spec spec;
    spec.name = e.name;
    spec.schema = e.schema;
    spec.labels = e.labels;
    m.enums.push_back(std::move(spec));
  }
  std::vector<std::string> used_names;
  for (const auto& t : s.tables()) {
    if (ignored(t, ignore_tables)) continue;
    model_spec model;
    model.name = camel_case(t.name);
    // Two tables with one CamelCase name (a.users, b.users): qualify the later one.
    if (std::find(used_names.begin(), used_names.end(), model.name) != used_names.end()) {
      model.name = camel_case(t.schema) + model.name;
    }
    used_names.push_back(model.name);
    model.schema = t.schema;
    model.table = t.name;
    for (const auto& info : t.columns) model.columns.push_back(column_from(info, t, s));
    model.primary_key_deferral =
        deferral_of(t.primary_key_deferrable, t.primary_key_initially_deferred);
    for (const auto& fk : t.foreign_keys) {
      foreign_key_spec spec;
      spec.name = fk.name;
      spec.columns = fk.columns;
      spec.ref_schema = fk.ref_schema;
      spec.ref_table = fk.ref_table;
      spec.ref_columns = fk.ref_columns;
      spec.on_delete = fk.on_delete;
      spec.on_update = fk.on_update;
      spec.deferral = deferral_of(fk.deferrable, fk.initially_deferred);
      model.foreign_keys.push_back(std::move(spec));
    }
    // Indexes that back a primary key or unique constraint are declared by those.
    for (const auto& index : t.indexes) {
      if (index.constraint_name) continue;
      index_spec spec;
      spec.name = index.name;
      spec.keys = index.keys;
      spec.canonical_keys = index.keys;
      spec.unique = index.unique;
      spec.predicate = index.predicate;
      spec.canonical_predicate = index.predicate;
      spec.method = index.method;
      if (!index.include.empty()) spec.include = index.include;
      if (index.nulls_not_distinct) spec.nulls_not_distinct = true;
      model.indexes.push_back(std::move(spec));
    }
    for (const auto& u : t.uniques) {
      unique_spec spec;
      spec.name = u.name;
      spec.columns = u.columns;
      if (u.nulls_not_distinct) spec.nulls_not_distinct = true;
      spec.deferral = deferral_of(u.deferrable, u.initially_deferred);
      model.uniques.push_back(std::move(spec));
    }
    for (const auto& check : t.checks) {
      check_spec spec;
      spec.name = check.name;
      spec.expression = check.expression;
      spec.canonical_expression = check.expression;
      model.checks.push_back(std::move(spec));
    }
    for (const auto& x : t.exclusions) {
      exclusion_spec spec;
      spec.name = x.name;
      spec.method = x.method;
      for (const auto& [key, op] : x.elements) spec.elements.push_back({key, op});
      spec.predicate = x.predicate;
      model.exclusions.push_back(std::move(spec));
    }
    m.models.push_back(std::move(model));
  }
  if (!m.models.empty()) {
    // The most common schema becomes the manifest's default.
    std::map<std::string, int> count;
    for (const auto& model : m.models) ++count[model.schema];
    m.schema = std::max_element(count.begin(), count.end(), [](const auto& a, const auto& b) {
                 return a.second < b.second;
               })->first;
  }
  return m;
}

}  // namespace pgparity
