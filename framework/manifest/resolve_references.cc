// Foreign-key targets, checked once every model is known: the table must belong to a model and
// the columns must be declared on it.
#include "common/did_you_mean.h"
#include "manifest/manifest_parser.h"

namespace pgparity {
namespace manifest_detail {

void manifest_parser::resolve_references() {
  for (const auto& ref : pending_) {
    const model_spec& from = result_.models[ref.model];
    // As manifest::resolve_table, through the parser's index (one lookup per reference).
    const model_spec* target =
        ref.schema ? find_table(*ref.schema, ref.table) : find_table(from.schema, ref.table);
    if (target == nullptr && !ref.schema) target = find_table(result_.schema, ref.table);
    const std::string written = ref.schema ? *ref.schema + "." + ref.table : ref.table;
    if (target == nullptr) {
      std::vector<std::string> tables;
      for (const auto& model : result_.models) {
        tables.push_back(model.schema == result_.schema ? model.table
                                                        : model.schema + "." + model.table);
      }
      std::string hint = did_you_mean_suffix(written, tables);
      if (hint.empty()) hint = "; add a model with `table: " + ref.table + "` or fix the name";
      fail(ref.table_location,
           ref.what + " references table `" + written + "`, which no model declares" + hint);
    }

    std::vector<std::string> columns;
    if (ref.columns) {
      columns = *ref.columns;
    } else {
      columns = target->primary_key();
      if (columns.empty()) {
        fail(ref.table_location, ref.what + " references table `" + written + "` without " +
                                     "`columns`, and model `" + target->name +
                                     "` declares no primary key; list the referenced columns");
      }
    }
    std::vector<std::string> declared;
    for (const auto& c : target->columns) declared.push_back(c.name);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (target->find_column(columns[i]) != nullptr) continue;
      std::string hint = did_you_mean_suffix(columns[i], declared);
      if (hint.empty()) hint = "; declare it in model `" + target->name + "` or fix the name";
      const source_location at =
          i < ref.column_locations.size() ? ref.column_locations[i] : ref.table_location;
      fail(at, ref.what + " references column `" + written + "." + columns[i] + "`, which model `" +
                   target->name + "` does not declare" + hint);
    }

    foreign_key_spec& fk = result_.models[ref.model].foreign_keys[ref.foreign_key];
    if (columns.size() != fk.columns.size()) {
      fail(fk.location, ref.what + " has " + std::to_string(fk.columns.size()) +
                            " column(s) but references " + std::to_string(columns.size()) +
                            "; list one referenced column per column");
    }
    fk.ref_schema = target->schema;
    fk.ref_table = target->table;
    fk.ref_columns = columns;
  }
}

}  // namespace manifest_detail
}  // namespace pgparity
