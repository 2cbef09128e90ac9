// Layout detection, ordering and bad input of read_migrations(): files only, no server.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "migrate/migrations.h"
#include "migrate/test_support.h"

namespace pgparity {
namespace {

using test::error_of;
using test::scratch_dir;

std::vector<std::string> versions(const migration_set& set) {
  std::vector<std::string> out;
  for (const auto& step : set.steps) out.push_back(step.version);
  return out;
}

TEST(ReadMigrations, GolangMigrateInNumericOrderWithDowns) {
  scratch_dir dir;
  dir.write("10_c.up.sql", "SELECT 10;");
  dir.write("2_b.up.sql", "SELECT 2;");
  dir.write("2_b.down.sql", "SELECT -2;");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("README.md", "not a migration");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::golang_migrate);
  EXPECT_EQ(versions(set), (std::vector<std::string>{"1", "2", "10"}));
  EXPECT_EQ(set.steps[1].name, "b");
  EXPECT_EQ(set.steps[1].up_file, dir / "2_b.up.sql");
  EXPECT_EQ(set.steps[1].down_file, dir / "2_b.down.sql");
  EXPECT_EQ(set.steps[1].down_sql, "SELECT -2;");
  EXPECT_EQ(set.steps[0].down_file, "");
  EXPECT_TRUE(set.steps[0].in_transaction);
}

TEST(ReadMigrations, VersionPrefixedAndSqlxNamesAreGolangLike) {
  scratch_dir dir;
  dir.write("V0002.Add_Posts.up.sql", "SELECT 2;");
  dir.write("V0001.Initial_Schema.up.sql", "SELECT 1;");
  dir.write("V0001.Initial_Schema.down.sql", "SELECT -1;");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::golang_migrate);
  EXPECT_EQ(versions(set), (std::vector<std::string>{"V0001", "V0002"}));
  EXPECT_EQ(set.steps[0].name, "Initial_Schema");

  scratch_dir sqlx;
  sqlx.write("20240102000000_posts.up.sql", "SELECT 2;");
  sqlx.write("20240101000000_users.up.sql", "SELECT 1;");
  sqlx.write("20240101000000_users.down.sql", "SELECT -1;");
  const migration_set flat = read_migrations(sqlx.path());
  EXPECT_EQ(flat.layout, migration_layout::golang_migrate);
  EXPECT_EQ(versions(flat), (std::vector<std::string>{"20240101000000", "20240102000000"}));
}

TEST(ReadMigrations, DieselOrdersByVersionWithoutDashes) {
  scratch_dir dir;
  dir.write(".keep", "");
  dir.write("2026-03-24-023609-0000_late/up.sql", "SELECT 3;");
  dir.write("2019-02-26-002946_early/up.sql", "SELECT 1;");
  dir.write("2019-02-26-002946_early/down.sql", "SELECT -1;");
  dir.write("00000000000000_diesel_initial_setup/up.sql", "SELECT 0;");
  dir.write("2020-01-01-000000_middle/up.sql", "SELECT 2;");
  dir.write("2020-01-01-000000_middle/metadata.toml", "# why\nrun_in_transaction = false\n");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::diesel);
  EXPECT_EQ(versions(set),
            (std::vector<std::string>{"00000000000000", "2019-02-26-002946", "2020-01-01-000000",
                                      "2026-03-24-023609-0000"}));
  EXPECT_EQ(set.steps[1].name, "early");
  EXPECT_EQ(set.steps[1].down_file, dir / "2019-02-26-002946_early/down.sql");
  EXPECT_TRUE(set.steps[1].in_transaction);
  EXPECT_FALSE(set.steps[2].in_transaction) << "metadata.toml run_in_transaction = false";
  EXPECT_FALSE(set.steps[2].down_in_transaction);
}

TEST(ReadMigrations, DbmateSectionsKeepTheirLines) {
  scratch_dir dir;
  dir.write("20240102_second.sql",
            "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (x);\n"
            "-- migrate:down\nDROP INDEX i;\n");
  dir.write("20240101_first.sql",
            "-- a comment\n\n-- migrate:up\nCREATE TABLE t (x int);\n\n-- migrate:down\n"
            "DROP TABLE t;\n");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::dbmate);
  EXPECT_EQ(versions(set), (std::vector<std::string>{"20240101", "20240102"}));
  const migration_step& first = set.steps[0];
  EXPECT_EQ(first.name, "first");
  EXPECT_EQ(first.up_sql, "CREATE TABLE t (x int);\n\n");
  EXPECT_EQ(first.up_first_line, 4);
  EXPECT_EQ(first.down_sql, "DROP TABLE t;\n");
  EXPECT_EQ(first.down_first_line, 7);
  EXPECT_EQ(first.up_file, first.down_file);
  EXPECT_TRUE(first.in_transaction);
  EXPECT_FALSE(set.steps[1].in_transaction) << "transaction:false";
  EXPECT_TRUE(set.steps[1].down_in_transaction);
}

TEST(ReadMigrations, FlywayVersionsUndoAndRepeatables) {
  scratch_dir dir;
  dir.write("V1.10__ten.sql", "SELECT 110;");
  dir.write("V1.2__two.sql", "SELECT 12;");
  dir.write("V1__one.sql", "SELECT 1;");
  dir.write("V2_1__underscored.sql", "SELECT 21;");
  dir.write("U1.2__two.sql", "SELECT -12;");
  dir.write("R__views.sql", "SELECT 'r';");
  dir.write("V1.10__ten.sql.conf", "executeInTransaction = false\n");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::flyway);
  EXPECT_EQ(versions(set), (std::vector<std::string>{"1", "1.2", "1.10", "2.1", ""}));
  EXPECT_EQ(set.steps[1].down_file, dir / "U1.2__two.sql");
  EXPECT_EQ(set.steps[4].name, "views");
  EXPECT_FALSE(set.steps[2].in_transaction) << "V1.10__ten.sql.conf";
}

TEST(ReadMigrations, PlainSqlInNumericOrder) {
  scratch_dir dir;
  dir.write("10_last.sql", "SELECT 10;");
  dir.write("2_second.sql", "SELECT 2;");
  dir.write("1_first.sql", "SELECT 1;");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::plain);
  EXPECT_EQ(versions(set), (std::vector<std::string>{"1", "2", "10"}));
  EXPECT_EQ(set.steps[2].name, "last");
}

TEST(ReadMigrations, TransactionMarkerAndConcurrently) {
  scratch_dir dir;
  dir.write("1_marked.up.sql", "-- pgparity:no-transaction\nSELECT 1;");
  dir.write("2_concurrent.up.sql", "CREATE INDEX CONCURRENTLY i ON t (x);");
  dir.write("3_normal.up.sql", "CREATE INDEX i2 ON t (x);");
  const migration_set set = read_migrations(dir.path());
  EXPECT_FALSE(set.steps[0].in_transaction);
  EXPECT_FALSE(set.steps[1].in_transaction);
  EXPECT_TRUE(set.steps[2].in_transaction);
}

TEST(ReadMigrations, EmptyFileIsAStep) {
  scratch_dir dir;
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("2_empty.up.sql", "");
  const migration_set set = read_migrations(dir.path());
  ASSERT_EQ(set.steps.size(), 2u);
  EXPECT_EQ(set.steps[1].up_sql, "");
}

TEST(ReadMigrations, DuplicateVersionsNameBothFiles) {
  scratch_dir dir;
  dir.write("0001_a.up.sql", "SELECT 1;");
  dir.write("1_b.up.sql", "SELECT 1;");
  const std::string message = error_of([&] { read_migrations(dir.path()); }, exit_code::bad_input);
  EXPECT_NE(message.find("0001_a.up.sql"), std::string::npos) << message;
  EXPECT_NE(message.find("1_b.up.sql"), std::string::npos) << message;
  EXPECT_NE(message.find("version"), std::string::npos) << message;

  scratch_dir flyway;
  flyway.write("V1__a.sql", "SELECT 1;");
  flyway.write("V1__b.sql", "SELECT 1;");
  error_of([&] { read_migrations(flyway.path()); }, exit_code::bad_input);

  scratch_dir diesel;
  diesel.write("2019-01-01-000000_a/up.sql", "SELECT 1;");
  diesel.write("20190101000000_b/up.sql", "SELECT 1;");
  error_of([&] { read_migrations(diesel.path()); }, exit_code::bad_input);
}

TEST(ReadMigrations, MissingOrEmptyDirectorySaysWhatToDo) {
  scratch_dir dir;
  const std::string missing =
      error_of([&] { read_migrations(dir / "nope"); }, exit_code::bad_input);
  EXPECT_NE(missing.find(dir / "nope"), std::string::npos) << missing;
  EXPECT_NE(missing.find("does not exist"), std::string::npos) << missing;
  EXPECT_NE(missing.find("migrations.dir"), std::string::npos) << missing;

  dir.write("notes.txt", "no sql here");
  const std::string empty = error_of([&] { read_migrations(dir.path()); }, exit_code::bad_input);
  EXPECT_NE(empty.find("holds no migrations"), std::string::npos) << empty;
}

TEST(ReadMigrations, StrayAndMisnamedFilesAreRefused) {
  scratch_dir dir;
  dir.write("0001_a.up.sql", "SELECT 1;");
  dir.write("0002_b.sql", "SELECT 2;");
  const std::string stray = error_of([&] { read_migrations(dir.path()); }, exit_code::bad_input);
  EXPECT_NE(stray.find("0002_b.sql"), std::string::npos) << stray;

  scratch_dir orphan;
  orphan.write("0001_a.up.sql", "SELECT 1;");
  orphan.write("0002_b.down.sql", "SELECT 2;");
  const std::string down = error_of([&] { read_migrations(orphan.path()); }, exit_code::bad_input);
  EXPECT_NE(down.find("0002_b.down.sql"), std::string::npos) << down;

  scratch_dir dbmate;
  dbmate.write("1_a.sql", "-- migrate:up\nSELECT 1;\n");
  dbmate.write("2_b.sql", "SELECT 2;\n");
  const std::string section =
      error_of([&] { read_migrations(dbmate.path()); }, exit_code::bad_input);
  EXPECT_NE(section.find("2_b.sql:1: no `-- migrate:up`"), std::string::npos) << section;
}

TEST(ReadMigrations, DieselComparesVersionsAsStringsAndIgnoresTopLevelFiles) {
  scratch_dir dir;
  // As strings without dashes: "2016..." < "20161115..." < "2017" (numerically 2017 < 2016...).
  dir.write("20161115111853_dumped/up.sql", "SELECT 2;");
  dir.write("2017_short/up.sql", "SELECT 3;");
  dir.write("2016_short/up.sql", "SELECT 1;");
  dir.write("README.md", "diesel ignores this");
  dir.write("data_script.sql", "INSERT INTO nowhere VALUES (1);");
  dir.write(".hidden/up.sql", "SELECT 'hidden';");
  std::filesystem::create_directories(dir / "empty_folder");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::diesel);
  EXPECT_EQ(versions(set), (std::vector<std::string>{"2016", "20161115111853", "2017"}));
}

TEST(ReadMigrations, FlywayUnderscoreVersionsAreDottedNumbers) {
  scratch_dir dir;
  dir.write("V1_10__x.sql", "SELECT 110;");
  dir.write("V1_9__y.sql", "SELECT 19;");
  dir.write("V1_2__z.sql", "SELECT 12;");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(versions(set), (std::vector<std::string>{"1.2", "1.9", "1.10"}));
}

TEST(ReadMigrations, GooseSectionsAndNoTransaction) {
  scratch_dir dir;
  dir.write("20240102000000_index.sql",
            "-- why\n-- +goose NO TRANSACTION   \n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t "
            "(x);\n-- +goose Down\nDROP INDEX CONCURRENTLY i;\n");
  dir.write("20240101000000_table.sql",
            "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE "
            "plpgsql AS $$ BEGIN RETURN 1; END $$;\n-- +goose StatementEnd\nCREATE TABLE t (x "
            "int);\n\n-- +goose Down\nDROP TABLE t;\nDROP FUNCTION f();\n");
  dir.write("3_up_only.sql", "-- +goose Up\nSELECT 3;\n");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::goose);
  EXPECT_EQ(versions(set), (std::vector<std::string>{"3", "20240101000000", "20240102000000"}));
  EXPECT_EQ(set.steps[0].down_file, "") << "no Down section";
  const migration_step& table = set.steps[1];
  EXPECT_EQ(table.name, "table");
  EXPECT_EQ(table.up_first_line, 2);
  EXPECT_EQ(table.down_sql, "DROP TABLE t;\nDROP FUNCTION f();\n");
  EXPECT_EQ(table.down_first_line, 8);
  EXPECT_EQ(table.up_sql.find("DROP"), std::string::npos) << "the Down section is not applied";
  EXPECT_TRUE(table.in_transaction);
  EXPECT_FALSE(set.steps[2].in_transaction) << "NO TRANSACTION with trailing blanks";
  EXPECT_FALSE(set.steps[2].down_in_transaction);

  scratch_dir bad;
  bad.write("1_a.sql", "-- +goose Up\nSELECT 1;\n");
  bad.write("2_b.sql", "-- +goose Down\nSELECT 2;\n");
  const std::string message = error_of([&] { read_migrations(bad.path()); }, exit_code::bad_input);
  EXPECT_NE(message.find("2_b.sql:1: no `-- +goose Up`"), std::string::npos) << message;
}

TEST(ReadMigrations, SqlMigrateOrdersByNumberThenFileName) {
  scratch_dir dir;
  dir.write("10_last.sql", "-- +migrate Up\nSELECT 10;\n-- +migrate Down\nSELECT -10;\n");
  dir.write("2_b.sql", "-- +migrate Up notransaction\nSELECT 2;\n");
  dir.write("2-a.sql", "-- +migrate Up\nSELECT 2;\n-- +migrate Down notransaction\nSELECT -2;\n");
  dir.write("1_first.sql", "-- +migrate Up\nSELECT 1;\n");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::sql_migrate);
  ASSERT_EQ(set.steps.size(), 4u) << "two files may share a number";
  EXPECT_EQ(set.steps[1].up_file, dir / "2-a.sql");
  EXPECT_EQ(set.steps[2].up_file, dir / "2_b.sql");
  EXPECT_EQ(set.steps[3].version, "10");
  EXPECT_TRUE(set.steps[1].in_transaction);
  EXPECT_FALSE(set.steps[1].down_in_transaction);
  EXPECT_FALSE(set.steps[2].in_transaction);
  EXPECT_EQ(set.steps[3].down_sql, "SELECT -10;\n");
}

TEST(ReadMigrations, SqlxSimpleAndReversibleWhenNamed) {
  scratch_dir dir;
  dir.write("20240102000000_index.sql", "-- no-transaction\nCREATE INDEX i ON t (x);\n");
  dir.write("20240101000000_create_t.sql", "CREATE TABLE t (x int);\n");
  EXPECT_EQ(read_migrations(dir.path()).layout, migration_layout::plain) << "looks plain";
  const migration_set set = read_migrations(dir.path(), migration_layout::sqlx);
  EXPECT_EQ(set.layout, migration_layout::sqlx);
  EXPECT_EQ(versions(set), (std::vector<std::string>{"20240101000000", "20240102000000"}));
  EXPECT_EQ(set.steps[0].name, "create_t");
  EXPECT_TRUE(set.steps[0].in_transaction);
  EXPECT_FALSE(set.steps[1].in_transaction) << "-- no-transaction on the first line";

  scratch_dir reversible;
  reversible.write("1_a.up.sql", "SELECT 1;");
  reversible.write("1_a.down.sql", "SELECT -1;");
  const migration_set both = read_migrations(reversible.path(), migration_layout::sqlx);
  ASSERT_EQ(both.steps.size(), 1u);
  EXPECT_EQ(both.steps[0].name, "a");
  EXPECT_EQ(both.steps[0].down_sql, "SELECT -1;");
}

TEST(ReadMigrations, PrismaFoldersByNameUpOnly) {
  scratch_dir dir;
  dir.write("migration_lock.toml", "provider = \"postgresql\"\n");
  dir.write("20240102000000_b/migration.sql", "SELECT 2;");
  dir.write("20240101000000_a/migration.sql", "SELECT 1;");
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::prisma);
  EXPECT_EQ(versions(set), (std::vector<std::string>{"20240101000000", "20240102000000"}));
  EXPECT_EQ(set.steps[0].name, "a");
  EXPECT_EQ(set.steps[0].up_file, dir / "20240101000000_a/migration.sql");
  EXPECT_EQ(set.steps[0].down_file, "");

  dir.write("20240103000000_c/notes.txt", "no migration.sql");
  const std::string message = error_of([&] { read_migrations(dir.path()); }, exit_code::bad_input);
  EXPECT_NE(message.find("20240103000000_c"), std::string::npos) << message;
}

TEST(ReadMigrations, PopxPostgresWinsOtherDialectsIgnored) {
  scratch_dir dir;
  dir.write("20240101000000000000_a.up.sql", "SELECT 'generic';");
  dir.write("20240101000000000000_a.postgres.up.sql", "SELECT 'postgres';");
  dir.write("20240101000000000000_a.mysql.up.sql", "SELECT 'mysql';");
  dir.write("20240101000000000000_a.down.sql", "SELECT 'generic down';");
  dir.write("20240101000000000000_a.cockroach.down.sql", "SELECT 'cockroach down';");
  dir.write("20240101000000000001_b.sqlite3.up.sql", "SELECT 'sqlite only';");
  dir.write("99999999999999999999_c.autocommit.up.sql", "CREATE INDEX CONCURRENTLY i ON t (x);");
  dir.write("99999999999999999999_c.autocommit.down.sql", "");
  dir.write("100000000000000000000_d.up.sql", "");  // 21 digits: as a string, before 2024...
  const migration_set set = read_migrations(dir.path());
  EXPECT_EQ(set.layout, migration_layout::popx);
  EXPECT_EQ(versions(set),
            (std::vector<std::string>{"100000000000000000000", "20240101000000000000",
                                      "99999999999999999999"}));
  EXPECT_EQ(set.steps[1].up_sql, "SELECT 'postgres';");
  EXPECT_EQ(set.steps[1].down_sql, "SELECT 'generic down';");
  EXPECT_EQ(set.steps[1].name, "a");
  EXPECT_TRUE(set.steps[1].in_transaction);
  EXPECT_FALSE(set.steps[2].in_transaction) << ".autocommit";
  EXPECT_FALSE(set.steps[2].down_in_transaction);
  EXPECT_EQ(set.steps[2].down_file, dir / "99999999999999999999_c.autocommit.down.sql");
  EXPECT_EQ(set.steps[0].down_file, "");
}

// fizz splits a popx migration into one version per statement; its parts roll back together.
TEST(ReadMigrations, PopxPartsOfOneMigrationAreOneUnit) {
  scratch_dir dir;
  for (const char* part : {"000000", "000001", "000002"}) {
    dir.write(fmt::format("20240101000000{}_a.up.sql", part), "SELECT 1;");
    dir.write(fmt::format("20240101000000{}_a.down.sql", part), "SELECT 1;");
  }
  dir.write("20240101000000000003_b.up.sql", "SELECT 1;");  // same timestamp, another name
  dir.write("20240102000000000000_c.up.sql", "SELECT 1;");
  dir.write("20240103000000_d.up.sql", "SELECT 1;");  // not 20 digits: a step on its own
  const migration_set set = read_migrations(dir.path(), migration_layout::popx);
  ASSERT_EQ(set.steps.size(), 6U);
  EXPECT_EQ(set.steps[0].unit, "20240101000000_a");
  EXPECT_EQ(unit_end(set, 0), 3U);
  EXPECT_EQ(unit_end(set, 3), 4U) << "another name is another unit";
  EXPECT_EQ(unit_end(set, 4), 5U);
  EXPECT_EQ(set.steps[5].unit, "");
  EXPECT_EQ(unit_end(set, 5), 6U);
}

TEST(ReadMigrations, LayoutFromConfigAndUnknownName) {
  scratch_dir dir;
  dir.write("1_a.sql", "SELECT 1;");
  migrations_config config;
  config.dir = dir.path();
  config.layout = "sqlx";
  config.session_sql = "SET search_path = public";
  const migration_set set = read_migrations(config);
  EXPECT_EQ(set.layout, migration_layout::sqlx);
  EXPECT_EQ(set.session_sql, "SET search_path = public");
  EXPECT_NE(set.content_hash, read_migrations(dir.path()).content_hash)
      << "the layout and session SQL are part of the template key";
  config.layout = "gooze";
  error_of([&] { read_migrations(config); }, exit_code::bad_input);
  EXPECT_EQ(layout_named("sql-migrate"), migration_layout::sql_migrate);
  EXPECT_EQ(layout_named("nope"), std::nullopt);
}

TEST(DownsSkipReason, OnlyWhenNoMigrationHasADown) {
  scratch_dir up_only, mixed;
  up_only.write("1_a.up.sql", "SELECT 1;");
  up_only.write("2_b.up.sql", "SELECT 2;");
  mixed.write("1_a.up.sql", "SELECT 1;");
  mixed.write("1_a.down.sql", "SELECT -1;");
  mixed.write("2_b.up.sql", "SELECT 2;");
  migrations_config config;
  const auto none_at_all = downs_skip_reason(read_migrations(up_only.path()), config);
  ASSERT_TRUE(none_at_all);
  EXPECT_NE(none_at_all->find("downs: required"), std::string::npos) << *none_at_all;
  EXPECT_FALSE(downs_skip_reason(read_migrations(mixed.path()), config))
      << "a missing down among others still fails";
  config.downs = "none";
  EXPECT_TRUE(downs_skip_reason(read_migrations(mixed.path()), config));
  config.downs = "required";
  EXPECT_FALSE(downs_skip_reason(read_migrations(up_only.path()), config));

  scratch_dir plain;
  plain.write("1_a.sql", "SELECT 1;");
  EXPECT_TRUE(downs_skip_reason(read_migrations(plain.path()), migrations_config{}));
}

TEST(ReadMigrations, ContentHashFollowsNamesAndBytes) {
  scratch_dir a, b;
  for (const scratch_dir* dir : {&a, &b}) {
    dir->write("1_x.up.sql", "SELECT 1;");
    dir->write("1_x.down.sql", "SELECT 0;");
  }
  const std::string hash = read_migrations(a.path()).content_hash;
  EXPECT_EQ(hash.size(), 32u);
  EXPECT_EQ(read_migrations(b.path()).content_hash, hash) << "same files, other directory";
  b.write("1_x.down.sql", "SELECT 00;");
  EXPECT_NE(read_migrations(b.path()).content_hash, hash) << "a down file changed";
  std::filesystem::rename(a / "1_x.up.sql", a / "1_y.up.sql");
  std::filesystem::rename(a / "1_x.down.sql", a / "1_y.down.sql");
  EXPECT_NE(read_migrations(a.path()).content_hash, hash) << "renamed";
}

}  // namespace
}  // namespace pgparity
