#include "checks/fix_sql.h"

#include <algorithm>
#include <cctype>

#include "checks/compare.h"
#include "checks/match.h"
#include "checks/sql_text.h"

namespace pgparity {
namespace checks_detail {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

std::string key_list_sql(const std::vector<std::string>& keys) {
  std::vector<std::string> parts;
  for (const auto& key : keys) parts.push_back(index_key_sql(key));
  return join(parts, ", ");
}

std::string declared_predicate(const index_spec& spec) {
  if (spec.canonical_predicate) return strip_outer_parens(*spec.canonical_predicate);
  return spec.predicate ? *spec.predicate : std::string();
}

std::string referenced_table(const model_spec& model, const foreign_key_spec& spec) {
  return qualified_name(spec.ref_schema.empty() ? model_schema(model) : spec.ref_schema,
                        spec.ref_table);
}

std::string nulls_sql(const std::optional<bool>& nulls_not_distinct) {
  return nulls_not_distinct == true ? " NULLS NOT DISTINCT" : "";
}

}  // namespace

// " DEFERRABLE INITIALLY DEFERRED" and the like, as declared ("" when nothing is).
std::string deferral_sql(const deferral_spec& d) {
  std::string out;
  if (d.deferrable) out += *d.deferrable ? " DEFERRABLE" : " NOT DEFERRABLE";
  if (d.initially_deferred) {
    if (*d.initially_deferred && !d.deferrable) out += " DEFERRABLE";
    out += *d.initially_deferred ? " INITIALLY DEFERRED" : " INITIALLY IMMEDIATE";
  }
  return out;
}

std::string deferral_sql(bool deferrable, bool initially_deferred) {
  if (!deferrable) return "";
  return initially_deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
}

finding new_finding(check_kind kind, object_kind object, const model_spec& model, std::string name,
                    const source_location& location) {
  finding f = make_finding(kind, object, model_schema(model), model.table, std::move(name));
  f.model = model.name;
  f.location = location;
  return f;
}

bool only_name_differs(const std::vector<difference>& differences) {
  return differences.size() == 1 && differences[0].what == attribute::name;
}

void rename_constraint(finding& f, const model_spec& model, const std::string& declared,
                       const std::string& found) {
  f.differs = differs(attribute::name);
  f.expected = declared;
  f.actual = found;
  f.fix_sql = alter_table(model) + "RENAME CONSTRAINT " + quote_ident(found) + " TO " +
              quote_ident(declared) + ";";
}

std::vector<difference> differs(attribute what, std::vector<std::string> values) {
  return {difference{what, std::move(values)}};
}

std::string alter_table(const model_spec& model) {
  return "ALTER TABLE " + display_table(model) + " ";
}

std::string foreign_key_name(const model_spec& model, const foreign_key_spec& spec) {
  return spec.name ? *spec.name : conventional_name("fk", model.table, spec.columns);
}

std::string index_name(const model_spec& model, const index_spec& spec) {
  return spec.name ? *spec.name : conventional_name("ix", model.table, spec.keys);
}

std::string unique_name(const model_spec& model, const unique_spec& spec) {
  return spec.name ? *spec.name : conventional_name("uq", model.table, spec.columns);
}

std::string check_name(const model_spec& model, const check_spec& spec) {
  if (spec.name) return *spec.name;
  std::size_t position = 1;
  for (std::size_t i = 0; i < model.checks.size(); ++i) {
    if (&model.checks[i] == &spec) position = i + 1;
  }
  return conventional_name("ck", model.table, {std::to_string(position)});
}

std::string action_sql(const std::string& action) { return upper(loose_form(action)); }

std::string foreign_key_definition(const model_spec& model, const foreign_key_spec& spec) {
  return "FOREIGN KEY " + describe_foreign_key(model, spec);
}

std::string describe_foreign_key(const model_spec& model, const foreign_key_spec& spec) {
  std::string out = "(" + ident_list(spec.columns) + ") REFERENCES " +
                    referenced_table(model, spec) + " (" + ident_list(spec.ref_columns) + ")";
  if (spec.on_delete) out += " ON DELETE " + action_sql(*spec.on_delete);
  if (spec.on_update) out += " ON UPDATE " + action_sql(*spec.on_update);
  return out + deferral_sql(spec.deferral);
}

std::string describe_foreign_key(const foreign_key_info& info) {
  return "(" + ident_list(info.columns) + ") REFERENCES " +
         qualified_name(info.ref_schema, info.ref_table) + " (" + ident_list(info.ref_columns) +
         ") ON DELETE " + action_sql(info.on_delete) + " ON UPDATE " + action_sql(info.on_update) +
         deferral_sql(info.deferrable, info.initially_deferred);
}

std::string create_index_sql(const model_spec& model, const index_spec& spec) {
  std::string out = spec.unique.value_or(false) ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  out += quote_ident(index_name(model, spec)) + " ON " + display_table(model);
  if (spec.method) out += " USING " + to_lower(*spec.method);
  out += " (" + key_list_sql(spec.keys) + ")";
  if (spec.include && !spec.include->empty()) out += " INCLUDE (" + ident_list(*spec.include) + ")";
  out += nulls_sql(spec.nulls_not_distinct);
  if (spec.predicate) out += " WHERE " + declared_predicate(spec);
  return out + ";";
}

std::string describe_index(const index_spec& spec) {
  std::string out = spec.unique.value_or(false) ? "UNIQUE " : "";
  if (spec.method) out += "USING " + to_lower(*spec.method) + " ";
  out += "(" + join(declared_keys(spec), ", ") + ")";
  if (spec.include && !spec.include->empty()) out += " INCLUDE (" + join(*spec.include) + ")";
  out += nulls_sql(spec.nulls_not_distinct);
  if (spec.predicate) out += " WHERE " + declared_predicate(spec);
  return out;
}

std::string describe_index(const index_info& info) {
  std::string out = info.unique ? "UNIQUE " : "";
  if (!info.method.empty() && info.method != "btree") out += "USING " + info.method + " ";
  out += "(" + join(info.keys, ", ") + ")";
  if (!info.include.empty()) out += " INCLUDE (" + join(info.include) + ")";
  if (info.nulls_not_distinct) out += " NULLS NOT DISTINCT";
  if (info.predicate) out += " WHERE " + strip_outer_parens(*info.predicate);
  return out;
}

std::string unique_definition(const unique_spec& spec) {
  return "UNIQUE" + nulls_sql(spec.nulls_not_distinct) + " (" + ident_list(spec.columns) + ")" +
         deferral_sql(spec.deferral);
}

std::string describe_unique(const unique_constraint_info& info) {
  return std::string("UNIQUE") + (info.nulls_not_distinct ? " NULLS NOT DISTINCT" : "") + " (" +
         ident_list(info.columns) + ")" + deferral_sql(info.deferrable, info.initially_deferred);
}

std::string add_unique_sql(const model_spec& model, const unique_spec& spec,
                           const std::optional<std::string>& name_in_database) {
  const std::string name =
      quote_ident(spec.name ? *spec.name : name_in_database.value_or(unique_name(model, spec)));
  if (spec.allows_soft_deleted_duplicates && model.soft_delete) {
    return "CREATE UNIQUE INDEX " + name + " ON " + display_table(model) + " (" +
           ident_list(spec.columns) + ")" + nulls_sql(spec.nulls_not_distinct) + " WHERE NOT " +
           quote_ident(*model.soft_delete) + ";";
  }
  return alter_table(model) + "ADD CONSTRAINT " + name + " " + unique_definition(spec) + ";";
}

std::string exclusion_name(const model_spec& model, const exclusion_spec& spec) {
  if (spec.name) return *spec.name;
  std::vector<std::string> keys;
  for (const auto& e : spec.elements) keys.push_back(e.key);
  return conventional_name("ex", model.table, keys);
}

std::string exclusion_definition(const exclusion_spec& spec) {
  std::vector<std::string> elements;
  for (const auto& e : spec.elements) elements.push_back(index_key_sql(e.key) + " WITH " + e.op);
  std::string out = "EXCLUDE USING " + spec.method + " (" + join(elements, ", ") + ")";
  if (spec.predicate) out += " WHERE (" + strip_outer_parens(*spec.predicate) + ")";
  return out;
}

std::string check_definition(const check_spec& spec) {
  return "CHECK (" + strip_outer_parens(declared_expression(spec)) + ")";
}

std::string create_table_sql(const model_spec& model) {
  std::vector<std::string> lines;
  for (const auto& column : model.columns) {
    lines.push_back(quote_ident(column.name) + " " + column_definition(column));
  }
  const auto primary_key = model.primary_key();
  if (!primary_key.empty()) {
    lines.push_back("PRIMARY KEY (" + ident_list(primary_key) + ")" +
                    deferral_sql(model.primary_key_deferral));
  }
  for (const auto& unique : model.uniques) {
    if (unique.allows_soft_deleted_duplicates && model.soft_delete) continue;  // an index below
    lines.push_back("CONSTRAINT " + quote_ident(unique_name(model, unique)) + " " +
                    unique_definition(unique));
  }
  for (const auto& check : model.checks) {
    lines.push_back("CONSTRAINT " + quote_ident(check_name(model, check)) + " " +
                    check_definition(check));
  }
  for (const auto& fk : model.foreign_keys) {
    lines.push_back("CONSTRAINT " + quote_ident(foreign_key_name(model, fk)) + " " +
                    foreign_key_definition(model, fk));
  }
  for (const auto& x : model.exclusions) {
    lines.push_back("CONSTRAINT " + quote_ident(exclusion_name(model, x)) + " " +
                    exclusion_definition(x));
  }
  std::string out =
      "CREATE TABLE " + display_table(model) + " (\n  " + join(lines, ",\n  ") + "\n);";
  for (const auto& unique : model.uniques) {
    if (unique.allows_soft_deleted_duplicates && model.soft_delete) {
      out += "\n" + add_unique_sql(model, unique);
    }
  }
  for (const auto& index : model.indexes) out += "\n" + create_index_sql(model, index);
  return out;
}

std::string drop_constraint_sql(const model_spec& model, const std::string& name) {
  return alter_table(model) + "DROP CONSTRAINT " + quote_ident(name) + ";";
}

std::string drop_index_sql(const model_spec& model, const std::string& name) {
  return "DROP INDEX " + qualified_name(model_schema(model), name) + ";";
}

}  // namespace checks_detail
}  // namespace pgparity
