// The targets of the generated tests: which models (schemas, migrations) each kind is
// instantiated for, and the stable test-name suffix of each. Reads the manifest and the
// migration list only: listing tests never touches a database.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "checks/finding.h"
#include "manifest/model_spec.h"
#include "manifest/project_config.h"
#include "migrate/migrations.h"

namespace pgparity::engine {

// One test: a kind applied to one model (schema, migration, or the whole project).
struct target {
  check_kind kind = check_kind::table_exists;
  // Into manifest::models (per model) or migration_set::steps (per migration).
  std::size_t index = 0;
  std::string schema;  // the model's schema, or the schema under test
  std::string name;    // test-name suffix: a valid, unique GoogleTest name

  // "Tables/Exists.Check/User": the name --gtest_filter and JUnit XML use.
  std::string test_name() const;
};

// `raw` as a GoogleTest parameter name: letters, digits and '_' only, never empty. Names that
// already are valid are kept as they are; any other character becomes '_' (deterministic).
std::string sanitize_test_name(const std::string& raw);

// True when `model` has a column whose type is an enum the manifest declares (enum_name set).
bool uses_enum(const model_spec& model);

// The schemas the manifest's models use, in order of first use (the default schema when there
// are no models).
std::vector<std::string> manifest_schemas(const manifest& m);

// The targets of a per-model or per-schema kind. Names are sanitised and made unique within
// the kind by a "_2", "_3" ... suffix in manifest order.
std::vector<target> model_targets(check_kind kind, const manifest& m);

// The targets of a lifecycle kind: Apply and RoundTrip ("all") and one Step per migration in
// directory mode (`set` given; the Step suffix is the sanitised version, "0003", "1_2"); in
// command mode Apply, and RoundTrip only when `down:` is configured.
std::vector<target> lifecycle_targets(check_kind kind, const migrations_config& config,
                                      const migration_set* set);

}  // namespace pgparity::engine
