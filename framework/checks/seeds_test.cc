// The seeds' failures (../shared/seeds), each caught by exactly the family that should catch
// it, and passing once the database is fixed the way the seed fixed it.
#include <gtest/gtest.h>

#include "checks/checks.h"
#include "checks/checks_test_support.h"

namespace pgparity {
namespace {

using namespace test_support;

model_spec simple_model(const std::string& name, const std::string& table_name, int line) {
  model_spec m;
  m.name = name;
  m.schema = "public";
  m.table = table_name;
  m.location = at(line, 3);
  column_spec id = column("id", "uuid", false, line + 2);
  id.primary_key = true;
  m.columns = {id};
  return m;
}

table_info simple_table(const std::string& table_name) {
  table_info t;
  t.schema = "public";
  t.name = table_name;
  t.columns = {db_column("id", "uuid", true)};
  t.primary_key_name = table_name + "_pkey";
  t.primary_key = {"id"};
  return t;
}

// 001: six models whose tables no migration created.
TEST(Seed001, SixModelsWithNoTable) {
  manifest m = rbac_manifest();
  const std::vector<std::pair<std::string, std::string>> missing = {
      {"AddOnSubscription", "addon_subscription"},
      {"PasswordResetToken", "password_reset_token"},
      {"EmailVerification", "email_verification"},
      {"Invoice", "invoice"},
      {"UsageRecord", "usage_record"},
      {"WebhookEvent", "webhook_event"}};
  int line = 40;
  for (const auto& [name, table_name] : missing) {
    m.models.push_back(simple_model(name, table_name, line));
    line += 5;
  }
  findings found = all_findings(m, make_snapshot(rbac_tables()));
  ASSERT_EQ(found.size(), 6u);
  for (std::size_t i = 0; i < found.size(); ++i) {
    EXPECT_EQ(found[i].kind, check_kind::table_exists);
    EXPECT_EQ(found[i].model, missing[i].first);
    EXPECT_EQ(found[i].object, object_kind::table);
    EXPECT_EQ(found[i].table, missing[i].second);
    EXPECT_TRUE(found[i].missing());
  }
  EXPECT_EQ(found[0].fix_sql,
            "CREATE TABLE addon_subscription (\n  id uuid NOT NULL,\n  PRIMARY KEY (id)\n);");

  // The fix: a migration creating the six tables.
  auto tables = rbac_tables();
  for (const auto& entry : missing) tables.push_back(simple_table(entry.second));
  EXPECT_TRUE(all_findings(m, make_snapshot(tables)).empty());
}

// 001 example 2: User.stripe_customer_id has no migration.
TEST(Seed001, MissingColumn) {
  manifest m = rbac_manifest();
  column_spec stripe = column("stripe_customer_id", "varchar(255)", true, 13);
  stripe.canonical_type = "character varying(255)";
  model(m, "User").columns.push_back(stripe);
  findings found = all_findings(m, make_snapshot(rbac_tables()));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, check_kind::columns_match);
  EXPECT_EQ(found[0].object, object_kind::column);
  EXPECT_EQ(found[0].name, "stripe_customer_id");
  EXPECT_TRUE(found[0].missing());
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE users ADD COLUMN stripe_customer_id character varying(255);");

  auto tables = rbac_tables();
  table(tables, "users")
      .columns.push_back(db_column("stripe_customer_id", "character varying(255)"));
  EXPECT_TRUE(all_findings(m, make_snapshot(tables)).empty());
}

// 001 example 3: Python enum in lower case, database enum in upper case.
TEST(Seed001, EnumLabelsInTheWrongCase) {
  manifest m = rbac_manifest();
  m.enums[0].labels = {"pending", "active"};
  findings found = all_findings(
      m, make_snapshot(rbac_tables(), {{"public", "user_status", {"PENDING", "ACTIVE"}}}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, check_kind::enums_match);
  EXPECT_EQ(found[0].model, "User");
  EXPECT_EQ(found[0].object, object_kind::enum_type);
  EXPECT_EQ(found[0].name, "user_status");
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::label_case}));
  EXPECT_EQ(found[0].expected, "'pending', 'active'");
  EXPECT_EQ(found[0].actual, "'PENDING', 'ACTIVE'");

  EXPECT_TRUE(all_findings(m, make_snapshot(rbac_tables(),
                                            {{"public", "user_status", {"pending", "active"}}}))
                  .empty());
}

// 002: five foreign keys, ON DELETE CASCADE, named fk_<table>_<column>, missing.
TEST(Seed002, FiveMissingForeignKeys) {
  manifest m;
  m.file = manifest_file;
  m.models.push_back(simple_model("WorkflowDefinition", "workflow_definitions", 2));
  std::vector<table_info> tables = {simple_table("workflow_definitions")};
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> children = {
      {"WorkflowExecution", "workflow_executions", "workflow_id", "workflow_definitions"},
      {"StepExecution", "step_executions", "execution_id", "workflow_executions"},
      {"StateSnapshot", "state_snapshots", "execution_id", "workflow_executions"},
      {"ApprovalRequest", "approval_requests", "execution_id", "workflow_executions"},
      {"RollbackAction", "rollback_actions", "execution_id", "workflow_executions"}};
  int line = 10;
  for (const auto& [name, table_name, column_name, parent] : children) {
    model_spec child = simple_model(name, table_name, line);
    child.columns.push_back(column(column_name, "uuid", false, line + 3));
    foreign_key_spec fk;
    fk.columns = {column_name};
    fk.ref_schema = "public";
    fk.ref_table = parent;
    fk.ref_columns = {"id"};
    fk.on_delete = "cascade";
    fk.location = at(line + 3, 20);
    child.foreign_keys = {fk};
    m.models.push_back(child);
    table_info t = simple_table(table_name);
    t.columns.push_back(db_column(column_name, "uuid", true));
    tables.push_back(t);
    line += 6;
  }
  findings found = all_findings(m, make_snapshot(tables, {}));
  ASSERT_EQ(found.size(), 5u);
  for (const auto& f : found) {
    EXPECT_EQ(f.kind, check_kind::foreign_keys_match);
    EXPECT_TRUE(f.missing());
  }
  EXPECT_EQ(found[0].model, "WorkflowExecution");
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE workflow_executions ADD CONSTRAINT fk_workflow_executions_workflow_id "
            "FOREIGN KEY (workflow_id) REFERENCES workflow_definitions (id) ON DELETE CASCADE;");
  EXPECT_EQ(found[4].fix_sql,
            "ALTER TABLE rollback_actions ADD CONSTRAINT fk_rollback_actions_execution_id "
            "FOREIGN KEY (execution_id) REFERENCES workflow_executions (id) ON DELETE CASCADE;");

  // The fix: migration 500165e12345 adds the five constraints.
  for (std::size_t i = 1; i < tables.size(); ++i) {
    const auto& [name, table_name, column_name, parent] = children[i - 1];
    foreign_key_info fk;
    fk.name = "fk_" + table_name + "_" + column_name;
    fk.columns = {column_name};
    fk.ref_schema = "public";
    fk.ref_table = parent;
    fk.ref_columns = {"id"};
    fk.on_delete = "cascade";
    fk.on_update = "no action";
    tables[i].foreign_keys = {fk};
  }
  EXPECT_TRUE(all_findings(m, make_snapshot(tables, {})).empty());
}

// 000: user_roles and role_permissions without their unique pairs, and refresh_tokens indexes
// the model lacks.
class Seed000 : public ::testing::Test {
 protected:
  void SetUp() override {
    m_ = rbac_manifest();
    model_spec permission = simple_model("Permission", "permissions", 40);
    model_spec role_permission = simple_model("RolePermission", "role_permissions", 44);
    role_permission.columns.push_back(column("role_id", "uuid", false, 47));
    role_permission.columns.push_back(column("permission_id", "uuid", false, 48));
    unique_spec pair;
    pair.columns = {"role_id", "permission_id"};
    pair.location = at(50);
    role_permission.uniques = {pair};
    model_spec refresh_token = simple_model("RefreshToken", "refresh_tokens", 52);
    refresh_token.columns.push_back(column("user_id", "uuid", false, 55));
    refresh_token.columns.push_back(column("token_hash", "text", false, 56));
    m_.models.push_back(permission);
    m_.models.push_back(role_permission);
    m_.models.push_back(refresh_token);

    tables_ = rbac_tables();
    table_info& user_roles = table(tables_, "user_roles");  // before migration 0015
    user_roles.uniques.clear();
    user_roles.indexes.pop_back();
    tables_.push_back(simple_table("permissions"));
    table_info role_permissions = simple_table("role_permissions");
    role_permissions.columns.push_back(db_column("role_id", "uuid", true));
    role_permissions.columns.push_back(db_column("permission_id", "uuid", true));
    tables_.push_back(role_permissions);
    table_info refresh_tokens = simple_table("refresh_tokens");
    refresh_tokens.columns.push_back(db_column("user_id", "uuid", true));
    refresh_tokens.columns.push_back(db_column("token_hash", "text", true));
    for (const char* column_name : {"token_hash", "user_id"}) {
      index_info index;
      index.name = std::string("ix_refresh_tokens_") + column_name;
      index.keys = {column_name};
      index.method = "btree";
      refresh_tokens.indexes.push_back(index);
    }
    tables_.push_back(refresh_tokens);
  }

  // Migration 0015: the unique constraints, named as the seed named them.
  void apply_migration_0015() {
    table(tables_, "user_roles").uniques = {{"uq_user_roles_user_id", {"user_id", "role_id"}}};
    table(tables_, "role_permissions").uniques = {
        {"uq_role_permissions_role_id", {"role_id", "permission_id"}}};
  }

  manifest m_;
  std::vector<table_info> tables_;
};

TEST_F(Seed000, JunctionTablesWithoutTheirUniquePairs) {
  const findings found = all_findings(m_, make_snapshot(tables_));
  findings critical;
  for (const auto& f : found) {
    if (f.level == severity::critical) critical.push_back(f);
  }
  ASSERT_EQ(critical.size(), 2u);
  EXPECT_EQ(critical[0].kind, check_kind::uniques_match);
  EXPECT_EQ(critical[0].model, "UserRole");
  EXPECT_EQ(critical[0].object, object_kind::unique);
  EXPECT_EQ(critical[0].name, "(user_id, role_id)");
  EXPECT_EQ(critical[1].model, "RolePermission");
  EXPECT_EQ(critical[1].object, object_kind::unique);
  EXPECT_EQ(critical[1].name, "(role_id, permission_id)");
  EXPECT_EQ(critical[1].fix_sql,
            "ALTER TABLE role_permissions ADD CONSTRAINT uq_role_permissions_role_id_permission_id "
            "UNIQUE (role_id, permission_id);");
}

TEST_F(Seed000, IndexDriftIsAWarningByDefaultAndAnErrorOnRequest) {
  apply_migration_0015();
  findings found = all_findings(m_, make_snapshot(tables_));
  ASSERT_EQ(found.size(), 2u);
  for (const auto& f : found) {
    EXPECT_EQ(f.kind, check_kind::undeclared_objects);
    EXPECT_EQ(f.level, severity::warning);
    EXPECT_EQ(f.model, "RefreshToken");
  }
  EXPECT_EQ(found[0].object, object_kind::index);
  EXPECT_EQ(found[0].name, "ix_refresh_tokens_token_hash");
  EXPECT_EQ(found[1].object, object_kind::index);
  EXPECT_EQ(found[1].name, "ix_refresh_tokens_user_id");

  reverse_drift_options as_error;
  as_error.as_error = true;
  found = all_findings(m_, make_snapshot(tables_), as_error);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].level, severity::critical);

  // The seed's fix: index=True on both model fields; no migration needed.
  for (const char* column_name : {"token_hash", "user_id"}) {
    index_spec index;
    index.keys = {column_name};
    model(m_, "RefreshToken").indexes.push_back(index);
  }
  EXPECT_TRUE(all_findings(m_, make_snapshot(tables_), as_error).empty());
}

}  // namespace
}  // namespace pgparity
