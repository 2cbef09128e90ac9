// Layout detection, ordering and bad input of read_migrations(): files only, no server.
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
