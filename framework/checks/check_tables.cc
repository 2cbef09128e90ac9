// Table exists, and the schema-wide half of reverse drift: tables no model declares.
#include <set>
#include <utility>

#include "checks/checks.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"
#include "common/did_you_mean.h"

namespace pgparity {

using namespace checks_detail;

namespace {

std::string column_names(const std::vector<column_spec>& columns) {
  std::vector<std::string> names;
  for (const auto& column : columns) names.push_back(column.name);
  return join(names, ", ");
}

std::string column_names(const std::vector<column_info>& columns) {
  std::vector<std::string> names;
  for (const auto& column : columns) names.push_back(column.name);
  return join(names, ", ");
}

// A close name in the same schema, or the same name in another schema.
void explain_missing_table(const model_spec& model, const snapshot& db, finding& f) {
  const std::string schema = model_schema(model);
  std::vector<std::string> same_schema;
  for (const auto& table : db.tables()) {
    if (table.schema == schema) {
      same_schema.push_back(table.name);
    } else if (table.name == model.table) {
      f.why = {cause_kind::table_in_other_schema, model.table, table.schema};
      return;
    }
  }
  if (const auto match = closest_match(model.table, same_schema)) f.suggestion = *match;
}

// The missing-table finding with a fix that creates the table alone.
findings missing_table(const model_spec& model, const snapshot& db) {
  if (model_table(model, db)) return {};
  finding f = new_finding(check_kind::table_exists, object_kind::table, model, "", model.location);
  f.differs = differs(attribute::existence);
  f.expected = "table " + display_table(model) + " (" + column_names(model.columns) + ")";
  explain_missing_table(model, db, f);
  f.fix_sql = create_table_sql(model);
  return {std::move(f)};
}

}  // namespace

findings check_table_exists(const model_spec& model, const manifest& m, const snapshot& db) {
  findings out = missing_table(model, db);
  if (out.empty()) return out;
  // Enum types an earlier model with a missing table creates already.
  std::set<const enum_spec*> created;
  for (const auto& other : m.models) {
    if (other.name == model.name) break;
    if (model_table(other, db)) continue;
    for (const enum_spec* e : model_enums(other, m)) created.insert(e);
  }
  std::string types;
  for (const enum_spec* e : model_enums(model, m)) {
    const std::string schema = enum_schema(*e, model);
    if (created.count(e) || db.find_enum(schema, e->name)) continue;
    std::vector<std::string> labels;
    for (const auto& label : e->labels) labels.push_back(quote_literal(label));
    types += "CREATE TYPE " + qualified_name(schema, e->name) + " AS ENUM (" + join(labels, ", ") +
             ");\n";
  }
  out.front().fix_sql = types + out.front().fix_sql;
  return out;
}

findings check_undeclared_tables(const manifest& m, const snapshot& db,
                                 const reverse_drift_options& options) {
  std::set<std::string> schemas = {m.schema.empty() ? std::string("public") : m.schema};
  std::set<std::pair<std::string, std::string>> declared;
  for (const auto& model : m.models) {
    schemas.insert(model_schema(model));
    declared.emplace(model_schema(model), model.table);
  }
  const std::set<std::string> ignored(options.ignore_tables.begin(), options.ignore_tables.end());
  findings out;
  for (const auto& table : db.tables()) {
    if (!schemas.count(table.schema) || declared.count({table.schema, table.name})) continue;
    if (ignored.count(table.name) || ignored.count(table.schema + "." + table.name)) continue;
    finding f = make_finding(check_kind::undeclared_tables, object_kind::table, table.schema,
                             table.name, "");
    f.level = options.as_error ? severity::critical : severity::warning;
    f.differs = differs(attribute::declaration);
    const std::string name = qualified_name(table.schema, table.name);
    f.actual = "table " + name + " (" + column_names(table.columns) + ")";
    f.fix_sql = "DROP TABLE " + name + ";";
    f.location.file = m.file;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pgparity
