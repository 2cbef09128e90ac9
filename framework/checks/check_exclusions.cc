// Exclusion constraints match: each declared EXCLUDE constraint exists with its method, its
// elements (column or expression WITH operator, in order) and its predicate when declared.
#include <utility>

#include "checks/checks.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"

namespace pgparity {

using namespace checks_detail;

namespace {

std::string object_name(const model_spec& model, const exclusion_spec& spec) {
  return quote_ident(exclusion_name(model, spec));
}

}  // namespace

findings check_exclusions(const model_spec& model, const snapshot& db) {
  const table_info* table = model_table(model, db);
  if (!table) return {};
  findings out;
  for (const auto& spec : model.exclusions) {
    const auto match = match_exclusion(spec, *table);
    if (match.found && match.differences.empty()) continue;
    finding f = new_finding(check_kind::exclusions_match, object_kind::exclusion, model,
                            object_name(model, spec), spec.location);
    f.expected = exclusion_definition(spec);
    const std::string add = alter_table(model) + "ADD CONSTRAINT " +
                            quote_ident(exclusion_name(model, spec)) + " " + f.expected + ";";
    if (!match.found) {
      f.differs = differs(attribute::existence);
      f.fix_sql = add;
    } else if (only_name_differs(match.differences)) {
      rename_constraint(f, model, *spec.name, match.found->name);
    } else {
      f.differs = match.differences;
      f.actual = match.found->definition;
      f.fix_sql = drop_constraint_sql(model, match.found->name) + "\n" + add;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pgparity
