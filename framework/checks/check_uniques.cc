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

}  // namespace

findings check_uniques(const model_spec& model, const snapshot& db) {
  const table_info* table = model_table(model, db);
  if (!table) return {};
  findings out;
  for (const auto& spec : model.uniques) {
    const auto match = match_unique(spec, *table);
    if (match.found && !match.name_differs) continue;
    finding f = new_finding(check_kind::uniques_match, object_kind::unique, model,
                            object_name(spec), spec.location);
    if (!match.found) {
      f.differs = differs(attribute::existence);
      f.expected = "UNIQUE (" + ident_list(spec.columns) + ")";
      f.why = near_miss(spec, *table);
      f.fix_sql = add_unique_sql(model, spec);
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
