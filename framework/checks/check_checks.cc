// Checks match: each declared check constraint exists with the same expression.
#include <utility>

#include "checks/checks.h"
#include "checks/compare.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"
#include "common/did_you_mean.h"

namespace pgparity {

using namespace checks_detail;

findings check_checks(const model_spec& model, const snapshot& db) {
  const table_info* table = model_table(model, db);
  if (!table) return {};
  std::vector<std::string> check_names;
  for (const auto& check : table->checks) check_names.push_back(check.name);
  findings out;
  for (const auto& spec : model.checks) {
    const auto match = match_check(spec, *table);
    if (match.found && match.differences.empty()) continue;
    const std::string object = spec.name
                                   ? quote_ident(*spec.name)
                                   : "(" + strip_outer_parens(declared_expression(spec)) + ")";
    finding f =
        new_finding(check_kind::checks_match, object_kind::check, model, object, spec.location);
    f.expected = check_definition(spec);
    const std::string add = alter_table(model) + "ADD CONSTRAINT " +
                            quote_ident(check_name(model, spec)) + " " + check_definition(spec) +
                            ";";
    if (!match.found) {
      f.differs = differs(attribute::existence);
      if (spec.name) {
        if (const auto close = closest_match(*spec.name, check_names)) f.suggestion = *close;
      }
      f.fix_sql = add;
    } else if (match.differences.size() == 1 && match.differences[0].what == attribute::name) {
      f.differs = differs(attribute::name);
      f.expected = *spec.name;
      f.actual = match.found->name;
      f.fix_sql = alter_table(model) + "RENAME CONSTRAINT " + quote_ident(match.found->name) +
                  " TO " + quote_ident(*spec.name) + ";";
    } else {
      f.differs = differs(attribute::expression);
      f.actual = "CHECK (" + strip_outer_parens(match.found->expression) + ")";
      f.fix_sql = drop_constraint_sql(model, match.found->name) + "\n" + add;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pgparity
