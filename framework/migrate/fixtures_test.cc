// The example projects of fixtures/layouts: each is detected, applies, rolls back and applies
// again on a real server.
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "migrate/migrations.h"
#include "migrate/test_support.h"

namespace pgparity {
namespace {

using test::query_value;
using test::shared_server;
using test::table_exists;

std::string fixture(const std::string& name) {
  return std::string(PGPARITY_SOURCE_DIR) + "/fixtures/layouts/" + name;
}

struct layout_case {
  std::string dir;
  migration_layout layout;
  std::string bookkeeping;  // "" for none
  std::string recorded;     // what the bookkeeping table holds after all ups
  std::string record_column = "version";
  std::size_t steps = 3;
  bool concurrent_last = true;  // the last step builds the index CONCURRENTLY, outside
  bool named = false;           // the layout is named in pgparity.yaml (sqlx looks plain)
};

class LayoutFixture : public ::testing::TestWithParam<layout_case> {};

void expect_schema(const connection_info& db) {
  EXPECT_TRUE(table_exists(db, "users"));
  EXPECT_TRUE(table_exists(db, "posts"));
  EXPECT_EQ(query_value(db,
                        "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM "
                        "pg_enum WHERE enumtypid = 'user_status'::regtype"),
            "pending,active,suspended");
  EXPECT_EQ(query_value(db,
                        "SELECT confdeltype FROM pg_constraint WHERE conname = "
                        "'fk_posts_user_id'"),
            "c");
  EXPECT_EQ(query_value(db,
                        "SELECT indisvalid FROM pg_index WHERE indexrelid = "
                        "'ix_posts_user_id'::regclass"),
            "t");
}

TEST_P(LayoutFixture, DetectedAppliedRolledBackAndReapplied) {
  const layout_case& c = GetParam();
  const migration_set set =
      read_migrations(fixture(c.dir) + "/migrations",
                      c.named ? std::optional<migration_layout>(c.layout) : std::nullopt);
  EXPECT_EQ(set.layout, c.layout);
  ASSERT_EQ(set.steps.size(), c.steps);
  EXPECT_TRUE(set.steps[0].in_transaction);
  if (c.concurrent_last) {
    EXPECT_FALSE(set.steps[2].in_transaction) << "the CONCURRENTLY index runs outside";
  }

  const connection_info db = shared_server().connection(shared_server().create_database());
  apply_up(set, db, 30);
  expect_schema(db);
  if (!c.bookkeeping.empty()) {
    const std::string& column = c.record_column;
    EXPECT_EQ(query_value(db, "SELECT string_agg(" + column + "::text, ',' ORDER BY " + column +
                                  ") FROM " + c.bookkeeping),
              c.recorded);
  }
  if (set.steps[0].down_file.empty()) return;  // no downs (plain, Prisma, up-only sqlx)
  apply_down(set, db, set.steps.size());
  EXPECT_FALSE(table_exists(db, "users"));
  EXPECT_EQ(query_value(db, "SELECT count(*) FROM pg_type WHERE typname = 'user_status'"), "0");
  apply_up(set, db, 30);
  expect_schema(db);
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, LayoutFixture,
    ::testing::Values(
        layout_case{"golang_migrate", migration_layout::golang_migrate, "schema_migrations", "3"},
        layout_case{"diesel", migration_layout::diesel, "__diesel_schema_migrations",
                    "20240115093000,20240116101500,202401171200000000"},
        layout_case{"dbmate", migration_layout::dbmate, "schema_migrations",
                    "20240115093000,20240116101500,20240117120000"},
        layout_case{"flyway", migration_layout::flyway, "flyway_schema_history", "1,1.1,2"},
        layout_case{"plain", migration_layout::plain, "", ""},
        // Applied in the order 1, 1.9, 1.10 (V1_10 is version 1.10).
        layout_case{"flyway_community", migration_layout::flyway, "flyway_schema_history",
                    "1:1,2:1.9,3:1.10", "installed_rank || ':' || version"},
        layout_case{"goose", migration_layout::goose, "goose_db_version",
                    "0,20240115093000,20240116101500,20240117120000", "version_id"},
        layout_case{"sql_migrate", migration_layout::sql_migrate, "gorp_migrations",
                    "1_create_users.sql,2-create_posts.sql,2_index_posts_user_id.sql", "id"},
        layout_case{"sqlx", migration_layout::sqlx, "_sqlx_migrations",
                    "20240115093000,20240116101500,20240117120000", "version", 3, true, true},
        layout_case{"prisma", migration_layout::prisma, "_prisma_migrations",
                    "20240115093000_create_users,20240116101500_create_posts,"
                    "20240117120000_index_posts_user_id",
                    "migration_name", 3, false},
        layout_case{"popx", migration_layout::popx, "schema_migration",
                    "20240115093000000000,20240116101500000000,20240117120000000000,"
                    "20240117120000000001,20240118090000000000,20240118090000000001,"
                    "20240118090000000002",
                    "version", 7}),
    [](const ::testing::TestParamInfo<layout_case>& param_info) { return param_info.param.dir; });

TEST(CommandFixture, BringUpRunsTheProjectsOwnTool) {
  project_config config;
  config.file = fixture("command") + "/pgparity.yaml";
  config.base_dir = fixture("command");
  config.migrations.up = "./migrate.sh up";
  config.migrations.down = "./migrate.sh down";
  config.migrations.cwd = fixture("command");
  config.database = shared_server().admin_connection().url();
  migrated_run run = bring_up(config, false);
  EXPECT_FALSE(run.migrations);
  const connection_info db = run.srv->connection(run.template_db);
  expect_schema(db);
  run_migration_command(*config.migrations.down, config.migrations.cwd, db, 30);
  EXPECT_FALSE(table_exists(db, "users"));
}

}  // namespace
}  // namespace pgparity
