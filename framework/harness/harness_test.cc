// Unit tests of the harness's pure parts: test names, which models each family is generated
// for, and command-line parsing. The database side is covered by the e2e tests in suites/.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "harness/command_line.h"
#include "harness/suite_params.h"

namespace pgparity::harness {
namespace {

std::vector<std::string> names(const std::vector<suite_param>& params) {
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

TEST(SuiteParams, NamesEveryModelForEveryModelFamily) {
  const manifest m = sample_manifest();
  EXPECT_EQ(names(params_for(suite_family::tables_exist, m)),
            (std::vector<std::string>{"Tables/Exists.Check/User", "Tables/Exists.Check/UserRole"}));
  EXPECT_EQ(names(params_for(suite_family::columns_match, m)),
            (std::vector<std::string>{"Columns/Match.Check/User", "Columns/Match.Check/UserRole"}));
  EXPECT_EQ(names(params_for(suite_family::undeclared_objects, m)),
            (std::vector<std::string>{"Undeclared/Objects.Check/User",
                                      "Undeclared/Objects.Check/UserRole"}));
}

TEST(SuiteParams, KindFamiliesOnlyForModelsDeclaringThatKind) {
  const manifest m = sample_manifest();
  EXPECT_EQ(names(params_for(suite_family::enums_match, m)),
            (std::vector<std::string>{"Enums/Match.Check/User"}));
  EXPECT_EQ(names(params_for(suite_family::uniques_match, m)),
            (std::vector<std::string>{"Uniques/Match.Check/User"}));
  EXPECT_EQ(names(params_for(suite_family::foreign_keys_match, m)),
            (std::vector<std::string>{"ForeignKeys/Match.Check/UserRole"}));
  EXPECT_EQ(names(params_for(suite_family::indexes_match, m)),
            (std::vector<std::string>{"Indexes/Match.Check/UserRole"}));
  EXPECT_EQ(names(params_for(suite_family::checks_match, m)),
            (std::vector<std::string>{"Checks/Match.Check/UserRole"}));
}

TEST(SuiteParams, ProbesOnlyForModelsWithSomethingToProbe) {
  manifest m = sample_manifest();
  // UserRole's foreign key declares no action: nothing for the cascade probe yet.
  EXPECT_TRUE(params_for(suite_family::cascade_probe, m).empty());
  m.models[1].foreign_keys[0].on_update = "cascade";
  EXPECT_EQ(names(params_for(suite_family::cascade_probe, m)),
            (std::vector<std::string>{"Probes/CascadeDelete.Check/UserRole"}));
  // User has a unique set; UserRole gets a primary key.
  EXPECT_EQ(names(params_for(suite_family::duplicate_probe, m)),
            (std::vector<std::string>{"Probes/DuplicateInsert.Check/User"}));
  column_spec id;
  id.name = "id";
  id.type = "bigint";
  id.primary_key = true;
  m.models[1].columns.push_back(id);
  EXPECT_EQ(names(params_for(suite_family::duplicate_probe, m)),
            (std::vector<std::string>{"Probes/DuplicateInsert.Check/User",
                                      "Probes/DuplicateInsert.Check/UserRole"}));
}

TEST(SuiteParams, LifecycleTestsFromTheMigrations) {
  migration_set set;
  set.layout = migration_layout::flyway;
  for (const char* version : {"0001", "1.2", "1_2"}) {
    migration_step step;
    step.version = version;
    set.steps.push_back(step);
  }
  migrations_config dir_mode;
  dir_mode.dir = "migrations";
  EXPECT_EQ(names(lifecycle_params(suite_family::migrations_apply, dir_mode, &set)),
            (std::vector<std::string>{"Migrations/Apply.Check/all"}));
  EXPECT_EQ(names(lifecycle_params(suite_family::migrations_round_trip, dir_mode, &set)),
            (std::vector<std::string>{"Migrations/RoundTrip.Check/all"}));
  // Versions become valid, unique names; the step index is the parameter's model_index.
  const auto steps = lifecycle_params(suite_family::migrations_step, dir_mode, &set);
  EXPECT_EQ(names(steps),
            (std::vector<std::string>{"Migrations/Step.Check/0001", "Migrations/Step.Check/1_2_2",
                                      "Migrations/Step.Check/1_2"}));
  EXPECT_EQ(steps[2].model_index, 2u);
  // Command mode: Apply; RoundTrip only with a down command; never Step.
  migrations_config command;
  command.up = "alembic upgrade head";
  EXPECT_EQ(lifecycle_params(suite_family::migrations_apply, command, nullptr).size(), 1u);
  EXPECT_TRUE(lifecycle_params(suite_family::migrations_round_trip, command, nullptr).empty());
  EXPECT_TRUE(lifecycle_params(suite_family::migrations_step, command, nullptr).empty());
  command.down = "alembic downgrade base";
  EXPECT_EQ(lifecycle_params(suite_family::migrations_round_trip, command, nullptr).size(), 1u);
}

TEST(SuiteParams, OneUndeclaredTablesTestPerSchemaInOrderOfUse) {
  EXPECT_EQ(
      names(params_for(suite_family::undeclared_tables, sample_manifest())),
      (std::vector<std::string>{"Undeclared/Tables.Check/public", "Undeclared/Tables.Check/auth"}));
  manifest empty;
  empty.schema = "app";
  EXPECT_EQ(names(params_for(suite_family::undeclared_tables, empty)),
            (std::vector<std::string>{"Undeclared/Tables.Check/app"}));
  EXPECT_TRUE(params_for(suite_family::tables_exist, empty).empty());
}

TEST(SuiteParams, SanitisesNamesDeterministicallyAndKeepsThemUnique) {
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
  EXPECT_EQ(names(params_for(suite_family::tables_exist, m)),
            (std::vector<std::string>{"Tables/Exists.Check/a_b_2", "Tables/Exists.Check/a_b",
                                      "Tables/Exists.Check/a_b_3"}));
}

TEST(CommandLine, ParsesCommandsAndFlags) {
  const auto cl = parse_command_line({"migrate", "--config", "x.yaml", "--keep", "--fresh"});
  EXPECT_EQ(cl.command, "migrate");
  EXPECT_EQ(cl.config, "x.yaml");
  EXPECT_TRUE(cl.keep);
  EXPECT_TRUE(cl.fresh);
  const auto report = parse_command_line({"report", "--format=json", "--out", "r.json"});
  EXPECT_EQ(report.format, "json");
  EXPECT_EQ(report.out.value_or(""), "r.json");
  EXPECT_EQ(parse_command_line({"snapshot"}).config, "pgparity.yaml");
}

TEST(CommandLine, PassesGoogleTestFlagsThroughForTest) {
  const auto cl = parse_command_line(
      {"test", "--gtest_filter=Columns/*", "--config=p.yaml", "--gtest_brief=1"});
  EXPECT_EQ(cl.config, "p.yaml");
  EXPECT_EQ(cl.gtest_args,
            (std::vector<std::string>{"--gtest_filter=Columns/*", "--gtest_brief=1"}));
}

TEST(CommandLine, HelpAndVersion) {
  EXPECT_EQ(parse_command_line({"--help"}).command, "help");
  EXPECT_EQ(parse_command_line({"-h"}).command, "help");
  EXPECT_EQ(parse_command_line({"--version"}).command, "version");
  const auto help = parse_command_line({"help", "migrate"});
  EXPECT_EQ(help.help_topic, "migrate");
  EXPECT_EQ(parse_command_line({"test", "--help"}).help_topic, "test");
  EXPECT_NE(help_text("migrate").find("--keep"), std::string::npos);
}

std::string usage_error(const std::vector<std::string>& args) {
  try {
    parse_command_line(args);
  } catch (const input_error& e) {
    EXPECT_EQ(e.code(), exit_code::bad_input);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(CommandLine, UnknownCommandsAndFlagsSuggestTheClosest) {
  EXPECT_NE(usage_error({"tset"}).find("did you mean `test`?"), std::string::npos);
  EXPECT_NE(usage_error({"migrate", "--kep"}).find("did you mean `--keep`?"), std::string::npos);
  EXPECT_NE(usage_error({"report", "--format", "jsn"}).find("did you mean `json`?"),
            std::string::npos);
  EXPECT_NE(usage_error({"test", "--gtest_fliter=x"}).find("did you mean `--gtest_filter`?"),
            std::string::npos);
  EXPECT_NE(usage_error({"help", "snapshto"}).find("did you mean `snapshot`?"), std::string::npos);
  EXPECT_NE(usage_error({"snapshot", "--out"}).find("needs a value"), std::string::npos);
  EXPECT_NE(usage_error({}).find("no command"), std::string::npos);
  EXPECT_NE(usage_error({"migrate", "--keep=1"}).find("takes no value"), std::string::npos);
  EXPECT_NE(usage_error({"test", "extra"}).find("unexpected argument"), std::string::npos);
}

}  // namespace
}  // namespace pgparity::harness
