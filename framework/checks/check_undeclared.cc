// Nothing undeclared, per model: columns, indexes and constraints of the model's table that
// no declaration accounts for (reverse drift). Each finding offers both ways out: the DROP
// statement as the fix, and the manifest line that would declare the object as the hint.
#include <cctype>
#include <set>
#include <utility>

#include "checks/checks.h"
#include "checks/compare.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"

namespace pgparity {

using namespace checks_detail;

namespace {

// A YAML flow scalar: bare when that is unambiguous, double-quoted otherwise.
std::string yaml_scalar(const std::string& text) {
  bool plain = !text.empty() && std::isalnum(static_cast<unsigned char>(text[0]));
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || c == ' ' || c == '.' || c == '(' || c == ')')) {
      plain = false;
    }
  }
  if (plain) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string yaml_list(const std::vector<std::string>& items) {
  std::vector<std::string> scalars;
  for (const auto& item : items) scalars.push_back(yaml_scalar(item));
  return "[" + join(scalars, ", ") + "]";
}

class drift_reporter {
 public:
  drift_reporter(const model_spec& model, const reverse_drift_options& options)
      : model_(model), level_(options.as_error ? severity::critical : severity::warning) {}

  void add(object_kind object, const std::string& name, std::string actual, std::string fix_sql,
           std::string declare) {
    finding f = new_finding(check_kind::undeclared_objects, object, model_, quote_ident(name),
                            model_.location);
    f.level = level_;
    f.differs = differs(attribute::declaration);
    f.actual = std::move(actual);
    f.fix_sql = std::move(fix_sql);
    f.declare_yaml = std::move(declare);
    out_.push_back(std::move(f));
  }

  findings take() { return std::move(out_); }

 private:
  const model_spec& model_;
  severity level_;
  findings out_;
};

std::string column_text(const column_info& column) {
  std::string out = column.type;
  if (column.not_null) out += " NOT NULL";
  if (column.default_expr) out += " DEFAULT " + *column.default_expr;
  return out;
}

std::string column_yaml(const column_info& column) {
  std::string out = column.name + ": {type: " + yaml_scalar(column.type);
  if (column.not_null) out += ", nullable: false";
  if (column.default_expr) out += ", default: " + yaml_scalar(*column.default_expr);
  return out + "}";
}

std::string index_yaml(const index_info& index) {
  std::string out = "indexes: - {name: " + index.name + ", columns: " + yaml_list(index.keys);
  if (index.unique) out += ", unique: true";
  if (index.predicate) out += ", where: " + yaml_scalar(strip_outer_parens(*index.predicate));
  if (index.method != "btree" && !index.method.empty()) out += ", method: " + index.method;
  return out + "}";
}

std::string foreign_key_yaml(const foreign_key_info& fk) {
  return "foreign_keys: - {name: " + fk.name + ", columns: " + yaml_list(fk.columns) +
         ", references: {table: " + fk.ref_table + ", columns: " + yaml_list(fk.ref_columns) +
         "}, on_delete: " + fk.on_delete + "}";
}

std::string exclusion_yaml(const exclusion_info& x) {
  std::vector<std::string> elements;
  for (const auto& [key, op] : x.elements) elements.push_back(key + " WITH " + op);
  std::string out = "exclusions: - {name: " + x.name + ", using: " + x.method +
                    ", elements: " + yaml_list(elements);
  if (x.predicate) out += ", where: " + yaml_scalar(*x.predicate);
  return out + "}";
}

}  // namespace

findings check_undeclared(const model_spec& model, const snapshot& db,
                          const reverse_drift_options& options) {
  const table_info* table = model_table(model, db);
  if (!table) return {};
  drift_reporter report(model, options);

  for (const auto& column : table->columns) {
    if (model.find_column(column.name)) continue;
    report.add(object_kind::column, column.name, column_text(column),
               alter_table(model) + "DROP COLUMN " + quote_ident(column.name) + ";",
               "columns: " + column_yaml(column));
  }

  // What the declarations account for, matched exactly as the per-family checks match.
  std::set<std::string> declared_indexes;
  std::set<std::string> declared_constraints;
  for (const auto& spec : model.indexes) {
    if (const auto match = match_index(spec, *table); match.found) {
      declared_indexes.insert(match.found->name);
      if (match.found->constraint_name) declared_constraints.insert(*match.found->constraint_name);
    }
  }
  for (const auto& spec : model.uniques) {
    const auto match = match_unique(spec, *table);
    if (!match.found) continue;
    declared_constraints.insert(match.enforcer.name);
    if (match.enforcer.index) declared_indexes.insert(match.enforcer.index->name);
  }
  for (const auto& spec : model.checks) {
    if (const auto match = match_check(spec, *table); match.found) {
      declared_constraints.insert(match.found->name);
    }
  }
  for (const auto& spec : model.foreign_keys) {
    if (const auto match = match_foreign_key(model, spec, *table); match.found) {
      declared_constraints.insert(match.found->name);
    }
  }
  for (const auto& spec : model.exclusions) {
    if (const auto match = match_exclusion(spec, *table); match.found) {
      declared_constraints.insert(match.found->name);
    }
  }

  for (const auto& index : table->indexes) {
    // Indexes backing a constraint are reported as that constraint (or are the primary key).
    if (index.primary || index.constraint_name || declared_indexes.count(index.name)) continue;
    report.add(object_kind::index, index.name, describe_index(index),
               drop_index_sql(model, index.name), index_yaml(index));
  }
  for (const auto& unique : table->uniques) {
    if (declared_constraints.count(unique.name)) continue;
    report.add(object_kind::unique, unique.name, "UNIQUE (" + ident_list(unique.columns) + ")",
               drop_constraint_sql(model, unique.name),
               "unique: - {name: " + unique.name + ", columns: " + yaml_list(unique.columns) + "}");
  }
  for (const auto& check : table->checks) {
    if (declared_constraints.count(check.name)) continue;
    const std::string expression = strip_outer_parens(check.expression);
    report.add(object_kind::check, check.name, "CHECK (" + expression + ")",
               drop_constraint_sql(model, check.name),
               "checks: - {name: " + check.name + ", expression: " + yaml_scalar(expression) + "}");
  }
  for (const auto& fk : table->foreign_keys) {
    if (declared_constraints.count(fk.name)) continue;
    report.add(object_kind::foreign_key, fk.name, describe_foreign_key(fk),
               drop_constraint_sql(model, fk.name), foreign_key_yaml(fk));
  }
  for (const auto& x : table->exclusions) {
    if (declared_constraints.count(x.name)) continue;
    report.add(object_kind::exclusion, x.name, x.definition, drop_constraint_sql(model, x.name),
               exclusion_yaml(x));
  }
  return report.take();
}

}  // namespace pgparity
