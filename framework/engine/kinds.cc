#include "engine/kinds.h"

#include <algorithm>

#include "engine/audit.h"
#include "engine/targets.h"

namespace pgparity::engine {
namespace {

bool always(const model_spec& /*model*/, const manifest& /*m*/) { return true; }
bool never(const model_spec& /*model*/, const manifest& /*m*/) { return false; }
bool has_enums(const model_spec& model, const manifest& /*m*/) { return uses_enum(model); }
bool has_foreign_keys(const model_spec& model, const manifest& /*m*/) {
  return !model.foreign_keys.empty();
}
bool has_indexes(const model_spec& model, const manifest& /*m*/) { return !model.indexes.empty(); }
bool has_uniques(const model_spec& model, const manifest& /*m*/) { return !model.uniques.empty(); }
bool has_checks(const model_spec& model, const manifest& /*m*/) { return !model.checks.empty(); }
bool has_exclusions(const model_spec& model, const manifest& /*m*/) {
  return !model.exclusions.empty();
}
bool has_actions(const model_spec& model, const manifest& /*m*/) {
  return std::any_of(model.foreign_keys.begin(), model.foreign_keys.end(),
                     [](const foreign_key_spec& fk) { return fk.on_delete || fk.on_update; });
}
bool has_keys(const model_spec& model, const manifest& /*m*/) {
  return !model.primary_key().empty() || !model.uniques.empty();
}

}  // namespace

const std::vector<kind_info>& kinds() {
  using k = check_kind;
  static const std::vector<kind_info> table = {
      {k::table_exists, "table_exists", "table exists", "Tables/Exists", scope::per_model,
       group::structural, always, run_structural},
      {k::columns_match, "columns_match", "columns match", "Columns/Match", scope::per_model,
       group::structural, always, run_structural},
      {k::enums_match, "enums_match", "enums match", "Enums/Match", scope::per_model,
       group::structural, has_enums, run_structural},
      {k::foreign_keys_match, "foreign_keys_match", "foreign keys match", "ForeignKeys/Match",
       scope::per_model, group::structural, has_foreign_keys, run_structural},
      {k::indexes_match, "indexes_match", "indexes match", "Indexes/Match", scope::per_model,
       group::structural, has_indexes, run_structural},
      {k::uniques_match, "uniques_match", "unique constraints match", "Uniques/Match",
       scope::per_model, group::structural, has_uniques, run_structural},
      {k::checks_match, "checks_match", "checks match", "Checks/Match", scope::per_model,
       group::structural, has_checks, run_structural},
      {k::exclusions_match, "exclusions_match", "exclusion constraints match", "Exclusions/Match",
       scope::per_model, group::structural, has_exclusions, run_structural},
      {k::undeclared_objects, "undeclared_objects", "nothing undeclared", "Undeclared/Objects",
       scope::per_model, group::structural, always, run_structural},
      {k::undeclared_tables, "undeclared_tables", "nothing undeclared", "Undeclared/Tables",
       scope::per_schema, group::structural, never, run_structural},
      {k::cascade_probe, "cascade_probe", "cascade delete (probe)", "Probes/CascadeDelete",
       scope::per_model, group::probe, has_actions, run_probe},
      {k::duplicate_probe, "duplicate_probe", "duplicate insert (probe)", "Probes/DuplicateInsert",
       scope::per_model, group::probe, has_keys, run_probe},
      {k::migrations_apply, "migrations_apply", "migrations apply", "Migrations/Apply",
       scope::per_project, group::lifecycle, never, run_apply},
      {k::migrations_round_trip, "migrations_round_trip", "migrations round-trip",
       "Migrations/RoundTrip", scope::per_project, group::lifecycle, never, run_round_trip},
      {k::migrations_step, "migrations_step", "migration steps round-trip", "Migrations/Step",
       scope::per_migration, group::lifecycle, never, run_step},
      {k::migrations_with_data, "migrations_with_data", "migrations apply over data",
       "Migrations/WithData", scope::per_migration, group::lifecycle, never, run_with_data},
  };
  return table;
}

const kind_info& info(check_kind kind) {
  const auto& all = kinds();
  return *std::find_if(all.begin(), all.end(), [&](const kind_info& k) { return k.kind == kind; });
}

std::vector<check_kind> kinds_in(group g) {
  std::vector<check_kind> out;
  for (const auto& k : kinds()) {
    if (k.group == g) out.push_back(k.kind);
  }
  return out;
}

}  // namespace pgparity::engine
