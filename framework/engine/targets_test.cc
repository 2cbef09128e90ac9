// Which models (schemas, migrations) each kind is instantiated for, and the test names: pure,
// no database.
#include "engine/targets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pgparity::engine {
namespace {

std::vector<std::string> names(const std::vector<target>& params) {
  std::vector<std::string> out;
  for (const auto& p : params) out.push_back(p.test_name());
  return out;
}

manifest sample_manifest() {
  manifest m;
  m.enums.push_back({"user_status", "public", {"pending", "active"}, {}});
  model_spec user;
  user.name = "User";
  user.schema = "public";
  user.table = "users";
  column_spec status;
  status.name = "status";
  status.type = "user_status";
  status.enum_name = "user_status";  // as every loader sets it
  user.columns.push_back(status);
  user.uniques.push_back({});
  model_spec role;
  role.name = "UserRole";
  role.schema = "auth";
  role.table = "user_roles";
  role.foreign_keys.push_back({});
  role.indexes.push_back({});
  role.checks.push_back({});
  m.models = {user, role};
  return m;
}

TEST(Targets, NamesEveryModelForEveryModelFamily) {
  const manifest m = sample_manifest();
  EXPECT_EQ(names(model_targets(check_kind::table_exists, m)),
            (std::vector<std::string>{"Tables/Exists.Check/User", "Tables/Exists.Check/UserRole"}));
  EXPECT_EQ(names(model_targets(check_kind::columns_match, m)),
            (std::vector<std::string>{"Columns/Match.Check/User", "Columns/Match.Check/UserRole"}));
  EXPECT_EQ(names(model_targets(check_kind::undeclared_objects, m)),
            (std::vector<std::string>{"Undeclared/Objects.Check/User",
                                      "Undeclared/Objects.Check/UserRole"}));
}

TEST(Targets, KindFamiliesOnlyForModelsDeclaringThatKind) {
  const manifest m = sample_manifest();
  EXPECT_EQ(names(model_targets(check_kind::enums_match, m)),
            (std::vector<std::string>{"Enums/Match.Check/User"}));
  EXPECT_EQ(names(model_targets(check_kind::uniques_match, m)),
            (std::vector<std::string>{"Uniques/Match.Check/User"}));
  EXPECT_EQ(names(model_targets(check_kind::foreign_keys_match, m)),
            (std::vector<std::string>{"ForeignKeys/Match.Check/UserRole"}));
  EXPECT_EQ(names(model_targets(check_kind::indexes_match, m)),
            (std::vector<std::string>{"Indexes/Match.Check/UserRole"}));
  EXPECT_EQ(names(model_targets(check_kind::checks_match, m)),
            (std::vector<std::string>{"Checks/Match.Check/UserRole"}));
}

TEST(Targets, ProbesOnlyForModelsWithSomethingToProbe) {
  manifest m = sample_manifest();
  // UserRole's foreign key declares no action: nothing for the cascade probe yet.
  EXPECT_TRUE(model_targets(check_kind::cascade_probe, m).empty());
  m.models[1].foreign_keys[0].on_update = "cascade";
  EXPECT_EQ(names(model_targets(check_kind::cascade_probe, m)),
            (std::vector<std::string>{"Probes/CascadeDelete.Check/UserRole"}));
  // User has a unique set; UserRole gets a primary key.
  EXPECT_EQ(names(model_targets(check_kind::duplicate_probe, m)),
            (std::vector<std::string>{"Probes/DuplicateInsert.Check/User"}));
  column_spec id;
  id.name = "id";
  id.type = "bigint";
  id.primary_key = true;
  m.models[1].columns.push_back(id);
  EXPECT_EQ(names(model_targets(check_kind::duplicate_probe, m)),
            (std::vector<std::string>{"Probes/DuplicateInsert.Check/User",
                                      "Probes/DuplicateInsert.Check/UserRole"}));
}

TEST(Targets, LifecycleTestsFromTheMigrations) {
  migration_set set;
  set.layout = migration_layout::flyway;
  for (const char* version : {"0001", "1.2", "1_2"}) {
    migration_step step;
    step.version = version;
    set.steps.push_back(step);
  }
  migrations_config dir_mode;
  dir_mode.dir = "migrations";
  EXPECT_EQ(names(lifecycle_targets(check_kind::migrations_apply, dir_mode, &set)),
            (std::vector<std::string>{"Migrations/Apply.Check/all"}));
  EXPECT_EQ(names(lifecycle_targets(check_kind::migrations_round_trip, dir_mode, &set)),
            (std::vector<std::string>{"Migrations/RoundTrip.Check/all"}));
  // Versions become valid, unique names; the step index is the parameter's model_index.
  const auto steps = lifecycle_targets(check_kind::migrations_step, dir_mode, &set);
  EXPECT_EQ(names(steps),
            (std::vector<std::string>{"Migrations/Step.Check/0001", "Migrations/Step.Check/1_2_2",
                                      "Migrations/Step.Check/1_2"}));
  EXPECT_EQ(steps[2].index, 2u);
  // Command mode: Apply; RoundTrip only with a down command; never Step.
  migrations_config command;
  command.up = "alembic upgrade head";
  EXPECT_EQ(lifecycle_targets(check_kind::migrations_apply, command, nullptr).size(), 1u);
  EXPECT_TRUE(lifecycle_targets(check_kind::migrations_round_trip, command, nullptr).empty());
  EXPECT_TRUE(lifecycle_targets(check_kind::migrations_step, command, nullptr).empty());
  command.down = "alembic downgrade base";
  EXPECT_EQ(lifecycle_targets(check_kind::migrations_round_trip, command, nullptr).size(), 1u);
}

TEST(Targets, OneUndeclaredTablesTestPerSchemaInOrderOfUse) {
  EXPECT_EQ(
      names(model_targets(check_kind::undeclared_tables, sample_manifest())),
      (std::vector<std::string>{"Undeclared/Tables.Check/public", "Undeclared/Tables.Check/auth"}));
  manifest empty;
  empty.schema = "app";
  EXPECT_EQ(names(model_targets(check_kind::undeclared_tables, empty)),
            (std::vector<std::string>{"Undeclared/Tables.Check/app"}));
  EXPECT_TRUE(model_targets(check_kind::table_exists, empty).empty());
}

TEST(Targets, SanitisesNamesDeterministicallyAndKeepsThemUnique) {
  EXPECT_EQ(sanitize_test_name("UserRole"), "UserRole");
  EXPECT_EQ(sanitize_test_name("user-role.v2"), "user_role_v2");
  EXPECT_EQ(sanitize_test_name(""), "_");
  manifest m;
  for (const char* name : {"a-b", "a_b", "a.b"}) {
    model_spec model;
    model.name = name;
    model.schema = "public";
    model.table = name;
    m.models.push_back(model);
  }
  // The valid name keeps its name; the others get stable suffixes in manifest order.
  EXPECT_EQ(names(model_targets(check_kind::table_exists, m)),
            (std::vector<std::string>{"Tables/Exists.Check/a_b_2", "Tables/Exists.Check/a_b",
                                      "Tables/Exists.Check/a_b_3"}));
}

}  // namespace
}  // namespace pgparity::engine
