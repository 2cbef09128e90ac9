// Foreign keys match: columns, referenced table and columns, actions and name when declared.
#include <algorithm>
#include <utility>

#include "checks/checks.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"

namespace pgparity {

using namespace checks_detail;

namespace {

std::string object_name(const foreign_key_spec& spec) {
  return spec.name ? quote_ident(*spec.name) : "(" + ident_list(spec.columns) + ")";
}

bool only_deferral_differs(const std::vector<difference>& differences) {
  return std::all_of(differences.begin(), differences.end(), [](const difference& d) {
    return d.what == attribute::deferrable || d.what == attribute::initially_deferred;
  });
}

}  // namespace

findings check_foreign_keys(const model_spec& model, const snapshot& db) {
  const table_info* table = model_table(model, db);
  if (!table) return {};
  findings out;
  for (const auto& spec : model.foreign_keys) {
    const auto match = match_foreign_key(model, spec, *table);
    if (match.found && match.differences.empty()) continue;
    finding f = new_finding(check_kind::foreign_keys_match, object_kind::foreign_key, model,
                            object_name(spec), spec.location);
    f.expected = describe_foreign_key(model, spec);
    const std::string add = alter_table(model) + "ADD CONSTRAINT " +
                            quote_ident(foreign_key_name(model, spec)) + " " +
                            foreign_key_definition(model, spec) + ";";
    if (!match.found) {
      f.differs = differs(attribute::existence);
      const std::string ref_schema =
          spec.ref_schema.empty() ? model_schema(model) : spec.ref_schema;
      if (!db.find_table(ref_schema, spec.ref_table)) {
        f.why = {cause_kind::referenced_table_missing, qualified_name(ref_schema, spec.ref_table),
                 ""};
      }
      f.fix_sql = add;
    } else if (only_name_differs(match.differences)) {
      rename_constraint(f, model, *spec.name, match.found->name);
    } else if (only_deferral_differs(match.differences)) {
      f.differs = match.differences;
      f.actual = describe_foreign_key(*match.found);
      f.fix_sql = alter_table(model) + "ALTER CONSTRAINT " + quote_ident(match.found->name) +
                  deferral_sql(spec.deferral) + ";";
    } else {
      f.differs = match.differences;
      f.actual = describe_foreign_key(*match.found);
      // An unnamed declaration keeps the database's name for the replacement.
      const std::string name = spec.name ? *spec.name : match.found->name;
      f.fix_sql = drop_constraint_sql(model, match.found->name) + "\n" + alter_table(model) +
                  "ADD CONSTRAINT " + quote_ident(name) + " " +
                  foreign_key_definition(model, spec) + ";";
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pgparity
