// Indexes match: keys in order, unique, predicate and method when declared.
#include <utility>

#include "checks/checks.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"
#include "common/did_you_mean.h"

namespace pgparity {

using namespace checks_detail;

namespace {

std::string object_name(const index_spec& spec) {
  return spec.name ? quote_ident(*spec.name) : "(" + join(declared_keys(spec), ", ") + ")";
}

std::string drop_sql(const model_spec& model, const index_info& index) {
  return index.constraint_name ? drop_constraint_sql(model, *index.constraint_name)
                               : drop_index_sql(model, index.name);
}

}  // namespace

findings check_indexes(const model_spec& model, const snapshot& db) {
  const table_info* table = model_table(model, db);
  if (!table) return {};
  std::vector<std::string> index_names;
  for (const auto& index : table->indexes) index_names.push_back(index.name);
  findings out;
  for (const auto& spec : model.indexes) {
    const auto match = match_index(spec, *table);
    if (match.found && match.differences.empty()) continue;
    finding f = new_finding(check_kind::indexes_match, object_kind::index, model, object_name(spec),
                            spec.location);
    f.expected = describe_index(spec);
    if (!match.found) {
      f.differs = differs(attribute::existence);
      if (spec.name) {
        if (const auto close = closest_match(*spec.name, index_names)) f.suggestion = *close;
      }
      f.fix_sql = create_index_sql(model, spec);
    } else if (match.differences.size() == 1 && match.differences[0].what == attribute::name) {
      f.differs = differs(attribute::name);
      f.expected = *spec.name;
      f.actual = match.found->name;
      f.fix_sql = "ALTER INDEX " + qualified_name(model_schema(model), match.found->name) +
                  " RENAME TO " + quote_ident(*spec.name) + ";";
    } else {
      f.differs = match.differences;
      f.actual = describe_index(*match.found);
      if (spec.name && *spec.name != match.found->name) f.actual += " as " + match.found->name;
      index_spec replacement = spec;
      if (!replacement.name) replacement.name = match.found->name;
      f.fix_sql = drop_sql(model, *match.found) + "\n" + create_index_sql(model, replacement);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pgparity
