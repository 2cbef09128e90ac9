// Table exists, the schema-wide reverse drift, and the whole suite on a matching pair.
#include <gtest/gtest.h>

#include "checks/checks.h"
#include "checks/checks_test_support.h"
#include "common/sql_names.h"

namespace pgparity {
namespace {

using namespace test_support;

TEST(Checks, EveryFamilyPassesOnAMatchingPair) {
  const manifest m = rbac_manifest();
  const findings all = all_findings(m, make_snapshot(rbac_tables()));
  for (const auto& f : all) ADD_FAILURE() << f.model << ": " << f.name << " " << f.actual;
  EXPECT_TRUE(all.empty());
}

TEST(TableExists, ReportsAMissingTableWithItsCreateStatement) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  tables.erase(tables.begin() + 1);  // roles
  const snapshot db = make_snapshot(tables);

  const findings found = check_table_exists(m.models[1], m, db);
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.kind, check_kind::table_exists);
  EXPECT_EQ(f.level, severity::critical);
  EXPECT_EQ(f.model, "Role");
  EXPECT_EQ(f.table, "roles");
  EXPECT_EQ(f.object, object_kind::table);
  EXPECT_EQ(sql::qualified_name(f.schema, f.table), "roles");
  EXPECT_TRUE(f.missing());
  EXPECT_EQ(f.expected, "table roles (id, name)");
  EXPECT_EQ(f.actual, "");
  EXPECT_EQ(f.location.str(), "db/models.yaml:19:3");
  EXPECT_EQ(f.fix_sql,
            "CREATE TABLE roles (\n"
            "  id uuid NOT NULL,\n"
            "  name text NOT NULL,\n"
            "  PRIMARY KEY (id)\n"
            ");");
  EXPECT_TRUE(check_table_exists(m.models[0], m, db).empty());
}

TEST(TableExists, TheOtherChecksSayNothingAboutAMissingTable) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  tables.erase(tables.begin());  // users
  const snapshot db = make_snapshot(tables);
  const model_spec& user = m.models[0];
  EXPECT_TRUE(check_columns(user, db).empty());
  EXPECT_TRUE(check_enums(user, m, db).empty());
  EXPECT_TRUE(check_foreign_keys(user, db).empty());
  EXPECT_TRUE(check_indexes(user, db).empty());
  EXPECT_TRUE(check_uniques(user, db).empty());
  EXPECT_TRUE(check_checks(user, db).empty());
  EXPECT_TRUE(check_undeclared(user, db, {}).empty());
}

TEST(TableExists, CreateStatementCarriesKeysConstraintsAndIndexes) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  tables.erase(tables.begin());  // users
  const findings found = check_table_exists(m.models[0], m, make_snapshot(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].fix_sql,
            "CREATE TABLE users (\n"
            "  id uuid NOT NULL DEFAULT gen_random_uuid(),\n"
            "  email character varying(255) NOT NULL,\n"
            "  status user_status NOT NULL DEFAULT 'pending'::user_status,\n"
            "  is_deleted boolean NOT NULL DEFAULT false,\n"
            "  created_at timestamp with time zone NOT NULL DEFAULT now(),\n"
            "  PRIMARY KEY (id),\n"
            "  CONSTRAINT uq_users_email UNIQUE (email),\n"
            "  CONSTRAINT ck_users_email_not_blank CHECK ((email)::text <> ''::text)\n"
            ");\n"
            "CREATE INDEX ix_users_created_at ON users (created_at) WHERE NOT is_deleted;");
}

TEST(TableExists, WithTheManifestTheFixCreatesMissingEnumTypesOnce) {
  manifest m = rbac_manifest();
  model_spec admin = model(m, "User");
  admin.name = "Admin";
  admin.table = "admins";
  admin.indexes.clear();
  admin.uniques.clear();
  admin.checks.clear();
  m.models.push_back(admin);
  auto tables = rbac_tables();
  tables.erase(tables.begin());  // users
  const snapshot db = make_snapshot(tables, {});

  const findings users = check_table_exists(model(m, "User"), m, db);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].fix_sql.substr(0, 98),
            "CREATE TYPE user_status AS ENUM ('pending', 'active', 'suspended');\n"
            "CREATE TABLE users (\n  id uuid");
  const findings admins = check_table_exists(model(m, "Admin"), m, db);
  ASSERT_EQ(admins.size(), 1u);
  EXPECT_EQ(admins[0].fix_sql.substr(0, 21), "CREATE TABLE admins (");

  // With the enum in place, or the table there, nothing more.
  const snapshot with_enum = make_snapshot(tables);
  EXPECT_EQ(check_table_exists(model(m, "User"), m, with_enum)[0].fix_sql.substr(0, 20),
            "CREATE TABLE users (");
  EXPECT_TRUE(check_table_exists(model(m, "Role"), m, db).empty());
}

TEST(TableExists, SuggestsACloseTableName) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "roles").name = "role";
  const findings found = check_table_exists(m.models[1], m, make_snapshot(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].suggestion, "role");
}

TEST(TableExists, PointsAtTheSameTableInAnotherSchema) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "roles").schema = "auth";
  const findings found = check_table_exists(m.models[1], m, make_snapshot(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].why.kind, cause_kind::table_in_other_schema);
  EXPECT_EQ(found[0].why.object, "roles");
  EXPECT_EQ(found[0].why.value, "auth");
}

TEST(TableExists, QualifiesTablesOutsidePublic) {
  manifest m = rbac_manifest();
  model(m, "Role").schema = "auth";
  const findings found = check_table_exists(model(m, "Role"), m, make_snapshot(rbac_tables()));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(sql::qualified_name(found[0].schema, found[0].table), "auth.roles");
  EXPECT_EQ(found[0].object, object_kind::table);
  EXPECT_EQ(sql::qualified_name(found[0].schema, found[0].table), "auth.roles");
  EXPECT_EQ(found[0].fix_sql.substr(0, 25), "CREATE TABLE auth.roles (");
}

TEST(UndeclaredTables, ReportsTablesNoModelDeclaresAsWarnings) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table_info audit;
  audit.schema = "public";
  audit.name = "audit_log";
  audit.columns = {db_column("id", "bigint", true), db_column("message", "text")};
  table_info bookkeeping;
  bookkeeping.schema = "public";
  bookkeeping.name = "alembic_version";
  table_info elsewhere;  // a schema the manifest does not use is not ours to judge
  elsewhere.schema = "reporting";
  elsewhere.name = "daily_totals";
  tables.push_back(audit);
  tables.push_back(bookkeeping);
  tables.push_back(elsewhere);
  const snapshot db = make_snapshot(tables);

  reverse_drift_options options;
  options.ignore_tables = {"alembic_version"};
  const findings found = check_undeclared_tables(m, db, options);
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.kind, check_kind::undeclared_tables);
  EXPECT_EQ(f.level, severity::warning);
  EXPECT_EQ(f.model, "");
  EXPECT_EQ(f.table, "audit_log");
  EXPECT_EQ(f.object, object_kind::table);
  EXPECT_EQ(sql::qualified_name(f.schema, f.table), "audit_log");
  EXPECT_EQ(attributes(f), (std::vector<attribute>{attribute::declaration}));
  EXPECT_EQ(f.actual, "table audit_log (id, message)");
  EXPECT_EQ(f.fix_sql, "DROP TABLE audit_log;");
  EXPECT_EQ(f.location.file, "db/models.yaml");

  options.as_error = true;
  const findings as_error = check_undeclared_tables(m, db, options);
  ASSERT_EQ(as_error.size(), 1u);
  EXPECT_EQ(as_error[0].level, severity::critical);

  options.ignore_tables = {"public.alembic_version", "audit_log"};
  EXPECT_TRUE(check_undeclared_tables(m, db, options).empty());
}

}  // namespace
}  // namespace pgparity
