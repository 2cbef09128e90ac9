// Nothing undeclared, per model: reverse drift in the model's own table.
#include <gtest/gtest.h>

#include "checks/checks.h"
#include "checks/checks_test_support.h"

namespace pgparity {
namespace {

using namespace test_support;

findings drift(const manifest& m, const std::vector<table_info>& tables, const std::string& name,
               const reverse_drift_options& options = {}) {
  for (const auto& candidate : m.models) {
    if (candidate.name == name) return check_undeclared(candidate, make_snapshot(tables), options);
  }
  return {};
}

TEST(Undeclared, DeclaredObjectsAndKeyIndexesAreNotReported) {
  const manifest m = rbac_manifest();
  for (const auto& model_entry : m.models) {
    EXPECT_TRUE(check_undeclared(model_entry, make_snapshot(rbac_tables()), {}).empty());
  }
}

TEST(Undeclared, ColumnNotInTheModel) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "roles")
      .columns.push_back(
          db_column("legacy_code", "character varying(20)", true, "'x'::character varying"));
  const findings found = drift(m, tables, "Role");
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.kind, check_kind::undeclared_objects);
  EXPECT_EQ(f.level, severity::warning);
  EXPECT_EQ(f.model, "Role");
  EXPECT_EQ(f.object, object_kind::column);
  EXPECT_EQ(f.name, "legacy_code");
  EXPECT_EQ(attributes(f), (std::vector<attribute>{attribute::declaration}));
  EXPECT_EQ(f.expected, "");
  EXPECT_EQ(f.actual, "character varying(20) NOT NULL DEFAULT 'x'::character varying");
  EXPECT_EQ(f.location.str(), "db/models.yaml:19:3");
  EXPECT_EQ(f.fix_sql, "ALTER TABLE roles DROP COLUMN legacy_code;");
  EXPECT_EQ(f.declare_yaml,
            "columns: legacy_code: {type: character varying(20), "
            "nullable: false, default: \"'x'::character varying\"}");
}

TEST(Undeclared, IndexesTheModelLacksAreWarningsOrErrorsOnRequest) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  index_info by_name;
  by_name.name = "ix_roles_name";
  by_name.keys = {"name"};
  by_name.method = "btree";
  table(tables, "roles").indexes.push_back(by_name);
  findings found = drift(m, tables, "Role");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::index);
  EXPECT_EQ(found[0].name, "ix_roles_name");
  EXPECT_EQ(found[0].level, severity::warning);
  EXPECT_EQ(found[0].actual, "(name)");
  EXPECT_EQ(found[0].fix_sql, "DROP INDEX ix_roles_name;");
  EXPECT_EQ(found[0].declare_yaml, "indexes: - {name: ix_roles_name, columns: [name]}");

  reverse_drift_options as_error;
  as_error.as_error = true;
  found = drift(m, tables, "Role", as_error);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].level, severity::critical);
}

TEST(Undeclared, ConstraintsTheModelLacks) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table_info& roles = table(tables, "roles");
  roles.uniques.push_back({"roles_name_key", {"name"}});
  index_info backing;
  backing.name = "roles_name_key";
  backing.keys = {"name"};
  backing.unique = true;
  backing.method = "btree";
  backing.constraint_name = "roles_name_key";
  roles.indexes.push_back(backing);
  roles.checks.push_back({"roles_name_check", "(name <> ''::text)", "CHECK ((name <> ''::text))"});
  foreign_key_info self;
  self.name = "roles_parent_fkey";
  self.columns = {"id"};
  self.ref_schema = "public";
  self.ref_table = "roles";
  self.ref_columns = {"id"};
  self.on_delete = "set null";
  self.on_update = "no action";
  roles.foreign_keys.push_back(self);

  const findings found = drift(m, tables, "Role");
  ASSERT_EQ(found.size(), 3u);  // the unique's backing index is reported as the constraint
  EXPECT_EQ(found[0].object, object_kind::unique);
  EXPECT_EQ(found[0].name, "roles_name_key");
  EXPECT_EQ(found[0].actual, "UNIQUE (name)");
  EXPECT_EQ(found[0].fix_sql, "ALTER TABLE roles DROP CONSTRAINT roles_name_key;");
  EXPECT_EQ(found[1].object, object_kind::check);
  EXPECT_EQ(found[1].name, "roles_name_check");
  EXPECT_EQ(found[1].actual, "CHECK (name <> ''::text)");
  EXPECT_EQ(found[1].fix_sql, "ALTER TABLE roles DROP CONSTRAINT roles_name_check;");
  EXPECT_EQ(found[1].declare_yaml,
            "checks: - {name: roles_name_check, expression: \"name <> ''::text\"}");
  EXPECT_EQ(found[2].object, object_kind::foreign_key);
  EXPECT_EQ(found[2].name, "roles_parent_fkey");
  EXPECT_EQ(found[2].actual, "(id) REFERENCES roles (id) ON DELETE SET NULL ON UPDATE NO ACTION");
  EXPECT_EQ(found[2].fix_sql, "ALTER TABLE roles DROP CONSTRAINT roles_parent_fkey;");
}

TEST(Undeclared, ObjectsThatDifferAreReportedByTheirOwnFamilyNotAsUndeclared) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "user_roles").foreign_keys[1].on_delete = "restrict";
  table(tables, "users").checks[0].expression = "(length((email)::text) > 3)";
  table(tables, "users").indexes[1].predicate.reset();
  EXPECT_TRUE(drift(m, tables, "UserRole").empty());
  EXPECT_TRUE(drift(m, tables, "User").empty());
}

}  // namespace
}  // namespace pgparity
