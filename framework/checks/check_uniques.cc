// Unique constraints match: each declared column set is enforced by a unique constraint or a
// unique index on exactly those columns (any order); the name is compared when declared.
#include <utility>

#include "checks/checks.h"
#include "checks/compare.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"

namespace pgparity {

using namespace checks_detail;

namespace {

std::string object_name(const unique_spec& spec) {
  return spec.name ? quote_ident(*spec.name) : "(" + ident_list(spec.columns) + ")";
}

// Why an index on the same columns does not count: the likely cause of the finding.
cause near_miss(const unique_spec& spec, const table_info& table) {
  for (const auto& index : table.indexes) {
    if (!same_set(index.keys, spec.columns)) continue;
    if (!index.unique) return {cause_kind::index_not_unique, index.name, ""};
    if (index.predicate) {
      return {cause_kind::index_partial, index.name, strip_outer_parens(*index.predicate)};
    }
  }
  return {};
}

// The enforcer's definition, as a finding shows it.
std::string describe_enforcer(const unique_enforcer& e) {
  if (e.constraint) return describe_unique(*e.constraint);
  return "UNIQUE INDEX " + describe_index(*e.index);
}

// Options differ: the enforcer is replaced by one with the declared definition.
void replace_enforcer(finding& f, const model_spec& model, const unique_spec& spec,
                      const unique_match& match) {
  f.differs = match.option_differences;
  if (match.name_differs) f.differs.insert(f.differs.begin(), difference{attribute::name});
  f.expected = unique_definition(spec);
  f.actual = describe_enforcer(match.enforcer);
  const auto& e = match.enforcer;
  const bool constraint = e.constraint || (e.index && e.index->constraint_name);
  f.fix_sql = (constraint ? drop_constraint_sql(model, e.name) : drop_index_sql(model, e.name)) +
              "\n" + add_unique_sql(model, spec, e.name);
}

}  // namespace

findings check_uniques(const model_spec& model, const snapshot& db) {
  const table_info* table = model_table(model, db);
  if (!table) return {};
  findings out;
  for (const auto& spec : model.uniques) {
    const auto match = match_unique(spec, *table);
    if (match.found && !match.name_differs && match.option_differences.empty()) continue;
    finding f = new_finding(check_kind::uniques_match, object_kind::unique, model,
                            object_name(spec), spec.location);
    if (!match.found) {
      f.differs = differs(attribute::existence);
      f.expected = unique_definition(spec);
      f.why = near_miss(spec, *table);
      f.fix_sql = add_unique_sql(model, spec);
    } else if (!match.option_differences.empty()) {
      replace_enforcer(f, model, spec, match);
    } else {
      f.differs = differs(attribute::name);
      f.expected = *spec.name;
      f.actual = match.enforcer.name;
      f.fix_sql = match.enforcer.constraint ||
                          (match.enforcer.index && match.enforcer.index->constraint_name)
                      ? alter_table(model) + "RENAME CONSTRAINT " +
                            quote_ident(match.enforcer.name) + " TO " + quote_ident(*spec.name) +
                            ";"
                      : "ALTER INDEX " + qualified_name(model_schema(model), match.enforcer.name) +
                            " RENAME TO " + quote_ident(*spec.name) + ";";
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pgparity
