// Unique constraints match: each declared column set is enforced by a unique constraint or a
// unique index on exactly those columns (any order); the name is compared when declared.
#include <utility>

#include "checks/checks.h"
#include "checks/compare.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"

namespace pgparity {

using namespace detail;

namespace {

std::string object_name(const unique_spec& spec) {
  return spec.name ? "unique " + quote_ident(*spec.name)
                   : "unique (" + ident_list(spec.columns) + ")";
}

// Why an index on the same columns does not count: the likely cause of the finding.
std::string near_miss(const unique_spec& spec, const table_info& table) {
  for (const auto& index : table.indexes) {
    if (!same_set(index.keys, spec.columns)) continue;
    if (!index.unique) return "index " + index.name + " covers these columns but is not unique";
    if (index.predicate) {
      return "unique index " + index.name + " is partial (WHERE " +
             strip_outer_parens(*index.predicate) +
             "), so it does not enforce uniqueness over all rows";
    }
  }
  return std::string();
}

}  // namespace

findings check_uniques(const model_spec& model, const snapshot& db) {
  const table_info* table = model_table(model, db);
  if (!table) return {};
  findings out;
  for (const auto& spec : model.uniques) {
    const auto match = match_unique(spec, *table);
    if (match.found && !match.name_differs) continue;
    finding f = new_finding(check_family::uniques_match, model, object_name(spec), spec.location);
    if (!match.found) {
      f.problem = "is missing";
      f.expected = "UNIQUE (" + ident_list(spec.columns) + ")";
      f.hint = near_miss(spec, *table);
      f.fix_sql = add_unique_sql(model, spec);
    } else {
      f.problem = "name differs";
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
