// Columns match: existence, type, nullability, default and primary-key membership.
#include <gtest/gtest.h>

#include "checks/checks.h"
#include "checks/checks_test_support.h"

namespace pgparity {
namespace {

using namespace test_support;

findings columns_of(const manifest& m, const std::vector<table_info>& tables,
                    const std::string& model_name) {
  for (const auto& candidate : m.models) {
    if (candidate.name == model_name) return check_columns(candidate, make_snapshot(tables));
  }
  return {};
}

TEST(Columns, PassOnAMatchingPair) {
  const manifest m = rbac_manifest();
  for (const auto& model_entry : m.models) {
    EXPECT_TRUE(check_columns(model_entry, make_snapshot(rbac_tables())).empty())
        << model_entry.name;
  }
}

TEST(Columns, MissingColumnSaysWhatToAddAndWhatWasProbablyMeant) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "user_roles").columns[2].name = "role_ids";
  const findings found = columns_of(m, tables, "UserRole");
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.kind, check_kind::columns_match);
  EXPECT_EQ(f.level, severity::critical);
  EXPECT_EQ(f.model, "UserRole");
  EXPECT_EQ(f.table, "user_roles");
  EXPECT_EQ(f.object, object_kind::column);
  EXPECT_EQ(f.name, "role_id");
  EXPECT_TRUE(f.missing());
  EXPECT_EQ(f.expected, "uuid NOT NULL");
  EXPECT_EQ(f.actual, "");
  EXPECT_EQ(f.suggestion, "role_ids");
  EXPECT_EQ(f.location.str(), "db/models.yaml:27:7");
  EXPECT_EQ(f.fix_sql, "ALTER TABLE user_roles ADD COLUMN role_id uuid NOT NULL;");
}

TEST(Columns, MissingColumnWithDefaultAndReservedName) {
  manifest m = rbac_manifest();
  column_spec order = column("order", "int", false, 13);
  order.canonical_type = "integer";
  order.default_declared = true;
  order.default_expr = "0";
  model(m, "Role").columns.push_back(order);
  const findings found = columns_of(m, rbac_tables(), "Role");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::column);
  EXPECT_EQ(found[0].name, "\"order\"");
  EXPECT_TRUE(found[0].suggestion.empty());
  EXPECT_EQ(found[0].fix_sql, "ALTER TABLE roles ADD COLUMN \"order\" integer NOT NULL DEFAULT 0;");
}

TEST(Columns, WrongType) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "users").columns[1].type = "text";
  const findings found = columns_of(m, tables, "User");
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.object, object_kind::column);
  EXPECT_EQ(f.name, "email");
  EXPECT_EQ(attributes(f), (std::vector<attribute>{attribute::type}));
  EXPECT_EQ(f.expected, "character varying(255)");
  EXPECT_EQ(f.actual, "text");
  EXPECT_EQ(f.location.str(), "db/models.yaml:9:7");
  EXPECT_EQ(f.fix_sql,
            "ALTER TABLE users ALTER COLUMN email TYPE character varying(255) USING "
            "email::character varying(255);");
}

TEST(Columns, TypesWithoutCanonicalFormCompareAsWritten) {
  manifest m = rbac_manifest();
  column_spec& name = model(m, "Role").columns[1];
  name.type = "TEXT";  // same spelling up to case
  EXPECT_TRUE(columns_of(m, rbac_tables(), "Role").empty());
  name.type = "varchar";  // an alias is the server's call, not ours
  const findings found = columns_of(m, rbac_tables(), "Role");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::type}));
}

TEST(Columns, WrongNullabilityEitherWay) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "roles").columns[1].not_null = false;
  findings found = columns_of(m, tables, "Role");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::column);
  EXPECT_EQ(found[0].name, "name");
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::nullability}));
  EXPECT_EQ(found[0].expected, "NOT NULL");
  EXPECT_EQ(found[0].actual, "nullable");
  EXPECT_EQ(found[0].fix_sql, "ALTER TABLE roles ALTER COLUMN name SET NOT NULL;");

  manifest nullable = rbac_manifest();
  model(nullable, "Role").columns[1].nullable = true;
  found = columns_of(nullable, rbac_tables(), "Role");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].expected, "nullable");
  EXPECT_EQ(found[0].actual, "NOT NULL");
  EXPECT_EQ(found[0].fix_sql, "ALTER TABLE roles ALTER COLUMN name DROP NOT NULL;");
}

TEST(Columns, WrongDefault) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "users").columns[4].default_expr = "CURRENT_TIMESTAMP";
  const findings found = columns_of(m, tables, "User");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::column);
  EXPECT_EQ(found[0].name, "created_at");
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::default_value}));
  EXPECT_EQ(found[0].expected, "DEFAULT now()");
  EXPECT_EQ(found[0].actual, "DEFAULT CURRENT_TIMESTAMP");
  EXPECT_EQ(found[0].fix_sql, "ALTER TABLE users ALTER COLUMN created_at SET DEFAULT now();");
}

TEST(Columns, MissingDefaultAndDefaultThatMustNotBeThere) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "users").columns[2].default_expr.reset();
  findings found = columns_of(m, tables, "User");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::default_value}));
  EXPECT_EQ(found[0].expected, "DEFAULT 'pending'::user_status");
  EXPECT_EQ(found[0].actual, "");
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'pending'::user_status;");

  manifest no_default = rbac_manifest();
  column_spec& id = model(no_default, "User").columns[0];
  id.default_expr.reset();
  id.canonical_default.reset();  // `default: null`
  found = columns_of(no_default, rbac_tables(), "User");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::no_default}));
  EXPECT_EQ(found[0].expected, "no default");
  EXPECT_EQ(found[0].actual, "DEFAULT gen_random_uuid()");
  EXPECT_EQ(found[0].fix_sql, "ALTER TABLE users ALTER COLUMN id DROP DEFAULT;");
}

TEST(Columns, UndeclaredDefaultIsNotCompared) {
  manifest m = rbac_manifest();
  column_spec& created_at = model(m, "User").columns[4];
  created_at.default_declared = false;
  created_at.default_expr.reset();
  auto tables = rbac_tables();
  table(tables, "users").columns[4].default_expr = "clock_timestamp()";
  EXPECT_TRUE(columns_of(m, tables, "User").empty());
}

TEST(Columns, PrimaryKeyMembershipIsComparedBothWays) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "roles").primary_key = {"id", "name"};
  findings found = columns_of(m, tables, "Role");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::primary_key);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::columns}));
  EXPECT_EQ(found[0].expected, "PRIMARY KEY (id)");
  EXPECT_EQ(found[0].actual, "PRIMARY KEY (id, name)");
  EXPECT_EQ(found[0].location.str(), "db/models.yaml:22:7");
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE roles DROP CONSTRAINT roles_pkey;\n"
            "ALTER TABLE roles ADD PRIMARY KEY (id);");

  auto no_key = rbac_tables();
  table(no_key, "roles").primary_key.clear();
  table(no_key, "roles").primary_key_name.reset();
  found = columns_of(m, no_key, "Role");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].actual, "");
  EXPECT_EQ(found[0].fix_sql, "ALTER TABLE roles ADD PRIMARY KEY (id);");
}

}  // namespace
}  // namespace pgparity
