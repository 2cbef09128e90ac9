// The parameters of the generated check suites: which families exist, which models each family
// is instantiated for, and the stable test-name suffix of each parameter.
//
// The registry is filled from the manifest before InitGoogleTest: GoogleTest evaluates the
// ValuesIn() generators of INSTANTIATE_TEST_SUITE_P lazily inside InitGoogleTest, so the
// instantiations in suites/ see the filled registry.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "manifest/model_spec.h"
#include "manifest/project_config.h"
#include "migrate/migrations.h"

namespace pgparity::harness {

// One generated suite each; the order is the order of the report.
enum class suite_family {
  tables_exist,        // Tables/Exists.Check/<Model>
  columns_match,       // Columns/Match.Check/<Model>
  enums_match,         // Enums/Match.Check/<Model>
  foreign_keys_match,  // ForeignKeys/Match.Check/<Model>
  indexes_match,       // Indexes/Match.Check/<Model>
  uniques_match,       // Uniques/Match.Check/<Model>
  checks_match,        // Checks/Match.Check/<Model>
  undeclared_objects,  // Undeclared/Objects.Check/<Model>
  undeclared_tables,   // Undeclared/Tables.Check/<schema>
  // Behavioural probes (framework/probes): real rows, always rolled back.
  cascade_probe,  // Probes/CascadeDelete.Check/<Model>: a foreign key declares on_delete/on_update
  duplicate_probe,  // Probes/DuplicateInsert.Check/<Model>: a primary key or a unique set
  // Migration lifecycle: each test works in empty databases of its own (see
  // lifecycle_params()).
  migrations_apply,       // Migrations/Apply.Check/all
  migrations_round_trip,  // Migrations/RoundTrip.Check/all
  migrations_step,        // Migrations/Step.Check/<version>
};

// The consistency-check families, whose tests report findings (and `pgparity report` lists).
const std::vector<suite_family>& all_suite_families();
// The probe families (per model, from the manifest) and the lifecycle families (from the
// migrations).
const std::vector<suite_family>& probe_families();
const std::vector<suite_family>& lifecycle_families();

// "Tables/Exists", "Columns/Match", ... (the test suite name without ".Check/<param>").
const char* suite_name(suite_family family);

// One test: a family applied to one model (or, for undeclared_tables, to one schema).
struct suite_param {
  suite_family family = suite_family::tables_exist;
  // Into manifest::models; for migrations_step into migration_set::steps; unused otherwise.
  std::size_t model_index = 0;
  std::string schema;  // the model's schema, or the schema under test
  std::string name;    // test-name suffix: a valid, unique GoogleTest name

  // "Tables/Exists.Check/User": the name --gtest_filter and JUnit XML use.
  std::string test_name() const;
};

// GoogleTest prints parameters in its output; print the test-name suffix, not bytes.
void PrintTo(const suite_param& param, std::ostream* os);

// `raw` as a GoogleTest parameter name: letters, digits and '_' only, never empty. Names that
// already are valid are kept as they are; any other character becomes '_' (deterministic).
std::string sanitize_test_name(const std::string& raw);

// True when `model` has a column whose type is an enum the manifest declares.
bool uses_enum(const model_spec& model, const manifest& m);

// The models (or schemas) of `m` that `family` is instantiated for. Names are sanitised and
// made unique within the family by a "_2", "_3" ... suffix in manifest order.
std::vector<suite_param> params_for(suite_family family, const manifest& m);

// The schemas the manifest's models use, in order of first use (the default schema when there
// are no models).
std::vector<std::string> manifest_schemas(const manifest& m);

// The lifecycle tests of a project: Apply and RoundTrip ("all") and one Step per migration in
// directory mode (`set` given; the Step suffix is the sanitised version, "0003", "1_2"); in
// command mode Apply, and RoundTrip only when `down:` is configured.
std::vector<suite_param> lifecycle_params(suite_family family, const migrations_config& config,
                                          const migration_set* set);

// The global registry the suites instantiate from: the check and probe families of `m`.
void register_manifest(const manifest& m);
// The lifecycle families of the project. Reads the migration files (no database); input_error
// for an unreadable directory, as bring_up would.
void register_migrations(const project_config& config);
// The migrations register_migrations() read (absent in command mode or before it ran).
const std::optional<migration_set>& registered_migrations();
const std::vector<suite_param>& registered(suite_family family);

}  // namespace pgparity::harness
