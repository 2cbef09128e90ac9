// Columns match: existence, type, nullability, default (when declared), primary-key membership.
#include <algorithm>
#include <set>
#include <utility>

#include "checks/checks.h"
#include "checks/compare.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"
#include "common/did_you_mean.h"

namespace pgparity {

using namespace checks_detail;

namespace {

finding column_finding(const model_spec& model, const column_spec& column) {
  return new_finding(check_kind::columns_match, object_kind::column, model,
                     quote_ident(column.name), column.location);
}

std::string alter_column(const model_spec& model, const column_spec& column) {
  return alter_table(model) + "ALTER COLUMN " + quote_ident(column.name) + " ";
}

void compare_default(const model_spec& model, const column_spec& column, const column_info& info,
                     findings& out) {
  if (!column.default_declared) return;
  if (!column.default_expr) {
    if (!info.default_expr) return;
    finding f = column_finding(model, column);
    f.differs = differs(attribute::no_default);
    f.expected = "no default";
    f.actual = "DEFAULT " + *info.default_expr;
    f.fix_sql = alter_column(model, column) + "DROP DEFAULT;";
    out.push_back(std::move(f));
    return;
  }
  const std::string declared = declared_default(column);
  const bool canonical = column.canonical_default.has_value();
  if (info.default_expr && same_spelling(declared, canonical, *info.default_expr)) return;
  finding f = column_finding(model, column);
  f.differs = differs(attribute::default_value);
  f.expected = "DEFAULT " + declared;
  f.actual = info.default_expr ? "DEFAULT " + *info.default_expr : std::string();
  f.fix_sql = alter_column(model, column) + "SET DEFAULT " + declared + ";";
  out.push_back(std::move(f));
}

std::string identity_text(char identity) {
  if (identity == 'a') return identity_sql("always");
  if (identity == 'd') return identity_sql("by default");
  return "no identity";
}

void compare_identity(const model_spec& model, const column_spec& column, const column_info& info,
                      findings& out) {
  if (!column.identity) return;
  const char code = *column.identity == "always" ? 'a' : 'd';
  if (info.identity == code) return;
  finding f = column_finding(model, column);
  f.differs = differs(attribute::identity);
  f.expected = identity_sql(*column.identity);
  f.actual = identity_text(info.identity);
  const std::string alter = alter_column(model, column);
  if (info.identity != '\0') {
    f.fix_sql = alter + "SET GENERATED " + (code == 'a' ? "ALWAYS;" : "BY DEFAULT;");
  } else {
    // An identity needs a NOT NULL column without a default (a serial's nextval() is one).
    std::vector<std::string> statements;
    if (info.default_expr) statements.push_back(alter + "DROP DEFAULT;");
    if (!info.not_null) statements.push_back(alter + "SET NOT NULL;");
    statements.push_back(alter + "ADD " + identity_sql(*column.identity) + ";");
    f.fix_sql = join(statements, "\n");
  }
  out.push_back(std::move(f));
}

// PostgreSQL 15 cannot change a generation expression: the column is dropped and added again
// (its values are computed anew, so nothing is lost that the expression does not give back).
void compare_generated(const model_spec& model, const column_spec& column, const column_info& info,
                       findings& out) {
  if (!column.generated) return;
  const std::string declared = declared_generated(column);
  const bool canonical = column.canonical_generated.has_value();
  if (info.generated == 's' && info.generation_expr &&
      same_spelling(declared, canonical, *info.generation_expr)) {
    return;
  }
  finding f = column_finding(model, column);
  f.differs = differs(attribute::generated);
  f.expected = generated_sql(column);
  f.actual = info.generation_expr
                 ? "GENERATED ALWAYS AS (" + strip_outer_parens(*info.generation_expr) + ") STORED"
                 : "not generated";
  f.fix_sql = alter_table(model) + "DROP COLUMN " + quote_ident(column.name) + ";\n" +
              alter_table(model) + "ADD COLUMN " + quote_ident(column.name) + " " +
              column_definition(column) + ";";
  out.push_back(std::move(f));
}

// "default" (or nothing) is the column's type's own collation.
void compare_collation(const model_spec& model, const column_spec& column, const column_info& info,
                       findings& out) {
  if (!column.collation) return;
  const std::string declared = *column.collation == "default" ? "" : *column.collation;
  if (declared == info.collation) return;
  finding f = column_finding(model, column);
  f.differs = differs(attribute::collation);
  f.expected = "COLLATE " + collation_sql(declared);
  f.actual = "COLLATE " + collation_sql(info.collation);
  f.fix_sql = alter_column(model, column) + "TYPE " + declared_type(column) + " COLLATE " +
              collation_sql(declared) + ";";
  out.push_back(std::move(f));
}

void compare_column(const model_spec& model, const column_spec& column, const column_info& info,
                    findings& out) {
  const std::string type = declared_type(column);
  if (!same_spelling(type, !column.canonical_type.empty(), info.type)) {
    finding f = column_finding(model, column);
    f.differs = differs(attribute::type);
    f.expected = type;
    f.actual = info.type;
    f.fix_sql = alter_column(model, column) + "TYPE " + type + " USING " +
                quote_ident(column.name) + "::" + type + ";";
    out.push_back(std::move(f));
  }
  const bool not_null = !column.nullable || column.primary_key;
  if (not_null != info.not_null) {
    finding f = column_finding(model, column);
    f.differs = differs(attribute::nullability);
    f.expected = not_null ? "NOT NULL" : "nullable";
    f.actual = info.not_null ? "NOT NULL" : "nullable";
    f.fix_sql = alter_column(model, column) + (not_null ? "SET NOT NULL;" : "DROP NOT NULL;");
    out.push_back(std::move(f));
  }
  compare_default(model, column, info, out);
  compare_identity(model, column, info, out);
  compare_generated(model, column, info, out);
  compare_collation(model, column, info, out);
}

// The primary key's DEFERRABLE / INITIALLY DEFERRED when `primary_key:` declares them.
void compare_primary_key_deferral(const model_spec& model, const table_info& table, findings& out) {
  if (!table.primary_key_name || !model.primary_key_deferral.declared()) return;
  auto differences = deferral_differences(model.primary_key_deferral, table.primary_key_deferrable,
                                          table.primary_key_initially_deferred);
  if (differences.empty()) return;
  finding f = new_finding(check_kind::columns_match, object_kind::primary_key, model,
                          quote_ident(*table.primary_key_name), model.location);
  f.differs = std::move(differences);
  const std::string columns = "PRIMARY KEY (" + ident_list(table.primary_key) + ")";
  f.expected = columns + deferral_sql(model.primary_key_deferral);
  f.actual =
      columns + deferral_sql(table.primary_key_deferrable, table.primary_key_initially_deferred);
  // Foreign keys that reference the key keep it from being dropped: drop them first.
  f.fix_sql = drop_constraint_sql(model, *table.primary_key_name) + "\n" + alter_table(model) +
              "ADD CONSTRAINT " + quote_ident(*table.primary_key_name) + " " + f.expected + ";";
  out.push_back(std::move(f));
}

// Primary-key membership of the declared columns, compared both ways, as one finding.
void compare_primary_key(const model_spec& model, const table_info& table, findings& out) {
  const auto in_database = [&](const std::string& name) {
    return std::find(table.primary_key.begin(), table.primary_key.end(), name) !=
           table.primary_key.end();
  };
  const column_spec* first_differing = nullptr;
  for (const auto& column : model.columns) {
    if (column.primary_key != in_database(column.name)) {
      first_differing = &column;
      break;
    }
  }
  if (!first_differing) return compare_primary_key_deferral(model, table, out);
  const auto declared = model.primary_key();
  finding f = new_finding(check_kind::columns_match, object_kind::primary_key, model, "",
                          first_differing->location);
  f.differs = differs(attribute::columns);
  f.expected = declared.empty() ? std::string() : "PRIMARY KEY (" + ident_list(declared) + ")";
  f.actual = table.primary_key.empty() ? std::string()
                                       : "PRIMARY KEY (" + ident_list(table.primary_key) + ")";
  std::vector<std::string> statements;
  if (table.primary_key_name)
    statements.push_back(drop_constraint_sql(model, *table.primary_key_name));
  if (!declared.empty()) {
    statements.push_back(alter_table(model) + "ADD PRIMARY KEY (" + ident_list(declared) + ")" +
                         deferral_sql(model.primary_key_deferral) + ";");
  }
  f.fix_sql = join(statements, "\n");
  out.push_back(std::move(f));
}

}  // namespace

findings check_columns(const model_spec& model, const snapshot& db) {
  const table_info* table = model_table(model, db);
  if (!table) return {};
  std::set<std::string> declared;
  for (const auto& column : model.columns) declared.insert(column.name);
  std::vector<std::string> undeclared;  // likely meant when a declared column is missing
  for (const auto& info : table->columns) {
    if (!declared.count(info.name)) undeclared.push_back(info.name);
  }
  findings out;
  for (const auto& column : model.columns) {
    const column_info* info = table->find_column(column.name);
    if (info) {
      compare_column(model, column, *info, out);
      continue;
    }
    finding f = column_finding(model, column);
    f.differs = differs(attribute::existence);
    f.expected = column_definition(column);
    if (const auto match = closest_match(column.name, undeclared)) f.suggestion = *match;
    f.fix_sql = alter_table(model) + "ADD COLUMN " + quote_ident(column.name) + " " +
                column_definition(column) + ";";
    out.push_back(std::move(f));
  }
  compare_primary_key(model, *table, out);
  return out;
}

}  // namespace pgparity
