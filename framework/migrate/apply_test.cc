// Applying migrations to a real server: transactions, bookkeeping, errors, time budget.
#include <gtest/gtest.h>

#include <chrono>

#include "migrate/migrations.h"
#include "migrate/test_support.h"

namespace pgparity {
namespace {

using test::error_of;
using test::query_value;
using test::scratch_dir;
using test::shared_server;
using test::table_exists;

// A fresh database on the shared server for one test.
connection_info fresh_database() {
  return shared_server().connection(shared_server().create_database());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ApplyUp, GolangMigrateKeepsTheLatestVersion) {
  scratch_dir dir;
  dir.write("0001_users.up.sql", "CREATE TABLE users (id int PRIMARY KEY);");
  dir.write("0001_users.down.sql", "DROP TABLE users;");
  dir.write("0002_posts.up.sql", "CREATE TABLE posts (id int REFERENCES users);");
  dir.write("0002_posts.down.sql", "DROP TABLE posts;");
  const migration_set set = read_migrations(dir.path());
  const connection_info db = fresh_database();
  const auto timings = apply_up(set, db, 30);
  ASSERT_EQ(timings.size(), 2u);
  EXPECT_EQ(timings[1].version, "0002");
  EXPECT_TRUE(table_exists(db, "posts"));
  EXPECT_EQ(query_value(db, "SELECT count(*) FROM schema_migrations"), "1");
  EXPECT_EQ(query_value(db, "SELECT version || ':' || dirty FROM schema_migrations"), "2:false");
  EXPECT_EQ(query_value(db,
                        "SELECT data_type FROM information_schema.columns WHERE "
                        "table_name = 'schema_migrations' AND column_name = 'version'"),
            "bigint");

  apply_down(set, db, 1);
  EXPECT_FALSE(table_exists(db, "posts"));
  EXPECT_EQ(query_value(db, "SELECT version || ':' || dirty FROM schema_migrations"), "1:false");
  apply_step(set, 0, false, db);
  EXPECT_FALSE(table_exists(db, "users"));
  EXPECT_EQ(query_value(db, "SELECT count(*) FROM schema_migrations"), "0");
}

TEST(ApplyUp, SessionSqlRunsFirstInTheSameSession) {
  scratch_dir dir;
  // The temp table exists only in the session that created it: the migration sees it.
  dir.write("1_a.up.sql", "CREATE TABLE a AS SELECT x FROM session_marker;");
  dir.write("1_a.down.sql", "DROP TABLE a;");
  dir.write("2_b.up.sql", "CREATE TABLE b AS SELECT x FROM session_marker;");
  dir.write("2_b.down.sql", "DROP TABLE b;");
  migrations_config config;
  config.dir = dir.path();
  config.session_sql = "CREATE TEMP TABLE session_marker AS SELECT 7 AS x";
  config.session_sql_location = {"pgparity.yaml", 5, 16};
  const migration_set set = read_migrations(config);
  const connection_info db = fresh_database();
  apply_up(set, db, 30);
  EXPECT_EQ(query_value(db, "SELECT x FROM b"), "7");
  apply_step(set, 1, false, db);  // a session of its own: runs the session SQL again
  apply_step(set, 1, true, db);
  EXPECT_EQ(query_value(db, "SELECT x FROM b"), "7");

  migration_set bad = set;
  bad.session_sql = "SELEC 1";
  const std::string message =
      error_of([&] { apply_up(bad, fresh_database(), 30); }, exit_code::environment);
  EXPECT_TRUE(contains(message, "pgparity.yaml:5:16: migrations.session_sql failed: syntax error"))
      << message;
}

TEST(ApplyUp, NewerToolsBookkeeping) {
  scratch_dir goose;
  goose.write("1_a.sql", "-- +goose Up\nCREATE TABLE a ();\n-- +goose Down\nDROP TABLE a;\n");
  goose.write("2_b.sql", "-- +goose Up\nCREATE TABLE b ();\n-- +goose Down\nDROP TABLE b;\n");
  const migration_set set = read_migrations(goose.path());
  const connection_info db = fresh_database();
  apply_up(set, db, 30);
  EXPECT_TRUE(table_exists(db, "a")) << "the Down section (DROP TABLE a) must not run going up";
  EXPECT_TRUE(table_exists(db, "b"));
  EXPECT_EQ(query_value(db,
                        "SELECT string_agg(version_id::text, ',' ORDER BY id) FROM "
                        "goose_db_version WHERE is_applied"),
            "0,1,2");
  apply_down(set, db, 1);
  EXPECT_FALSE(table_exists(db, "b"));
  EXPECT_TRUE(table_exists(db, "a"));
  EXPECT_EQ(query_value(db, "SELECT max(version_id) FROM goose_db_version"), "1");

  scratch_dir sqlx;
  sqlx.write("20240101000000_create_things.sql", "CREATE TABLE things ();\n");
  const connection_info sqlx_db = fresh_database();
  apply_up(read_migrations(sqlx.path(), migration_layout::sqlx), sqlx_db, 30);
  EXPECT_EQ(query_value(sqlx_db,
                        "SELECT version || ' ' || description || ' ' || success || ' ' || "
                        "(checksum = sha384('CREATE TABLE things ();\n'::bytea)) FROM "
                        "_sqlx_migrations"),
            "20240101000000 create things true true");
}

TEST(ApplyUp, DbmateRecordsEveryVersion) {
  scratch_dir dir;
  dir.write("20240101_a.sql", "-- migrate:up\nCREATE TABLE a ();\n-- migrate:down\nDROP TABLE a;");
  dir.write("20240102_b.sql", "-- migrate:up\nCREATE TABLE b ();\n-- migrate:down\nDROP TABLE b;");
  const migration_set set = read_migrations(dir.path());
  const connection_info db = fresh_database();
  apply_up(set, db, 30);
  EXPECT_EQ(query_value(db,
                        "SELECT string_agg(version, ',' ORDER BY version) FROM "
                        "schema_migrations"),
            "20240101,20240102");
  EXPECT_EQ(query_value(db,
                        "SELECT data_type FROM information_schema.columns WHERE "
                        "table_name = 'schema_migrations' AND column_name = 'version'"),
            "character varying");
  apply_down(set, db, 2);
  EXPECT_FALSE(table_exists(db, "a"));
  EXPECT_EQ(query_value(db, "SELECT count(*) FROM schema_migrations"), "0");
}

TEST(ApplyUp, DieselRecordsVersionsWithoutDashes) {
  scratch_dir dir;
  dir.write("2019-02-26-002946_a/up.sql", "CREATE TABLE a ();");
  dir.write("2019-02-26-002946_a/down.sql", "DROP TABLE a;");
  // A migration that reads and alters the bookkeeping table, as real ones do.
  dir.write("2026-03-24-023609-0000_b/up.sql",
            "CREATE TABLE seen AS SELECT version FROM __diesel_schema_migrations;\n"
            "UPDATE __diesel_schema_migrations SET run_on = '2000-01-01';");
  const migration_set set = read_migrations(dir.path());
  const connection_info db = fresh_database();
  apply_up(set, db, 30);
  EXPECT_EQ(query_value(db,
                        "SELECT string_agg(version, ',' ORDER BY version) FROM "
                        "__diesel_schema_migrations"),
            "20190226002946,202603240236090000");
  EXPECT_EQ(query_value(db, "SELECT string_agg(version, ',') FROM seen"), "20190226002946");
  EXPECT_EQ(query_value(db,
                        "SELECT run_on FROM __diesel_schema_migrations WHERE version = "
                        "'20190226002946'"),
            "2000-01-01 00:00:00");
}

TEST(ApplyUp, FlywayFillsItsHistory) {
  scratch_dir dir;
  dir.write("V1__create_a.sql", "CREATE TABLE a ();");
  dir.write("V1.1__create_b.sql", "CREATE TABLE b ();");
  dir.write("U1.1__create_b.sql", "DROP TABLE b;");
  dir.write("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;");
  const migration_set set = read_migrations(dir.path());
  const connection_info db = fresh_database();
  apply_up(set, db, 30);
  EXPECT_EQ(query_value(db,
                        "SELECT string_agg(installed_rank || ':' || coalesce(version, '-') "
                        "|| ':' || description || ':' || script || ':' || success, ',' "
                        "ORDER BY installed_rank) FROM flyway_schema_history"),
            "1:1:create a:V1__create_a.sql:true,2:1.1:create b:V1.1__create_b.sql:true,"
            "3:-:view:R__view.sql:true");
  EXPECT_EQ(query_value(db,
                        "SELECT count(*) FROM flyway_schema_history WHERE checksum IS NULL "
                        "OR installed_by <> current_user"),
            "0");
  apply_down(set, db, 0);
  apply_step(set, 1, false, db);
  EXPECT_FALSE(table_exists(db, "b"));
  EXPECT_EQ(query_value(db, "SELECT count(*) FROM flyway_schema_history"), "2");
}

TEST(ApplyUp, PlainCreatesNoBookkeeping) {
  scratch_dir dir;
  dir.write("1_a.sql", "CREATE TABLE a ();");
  const migration_set set = read_migrations(dir.path());
  const connection_info db = fresh_database();
  apply_up(set, db, 30);
  EXPECT_TRUE(table_exists(db, "a"));
  EXPECT_EQ(query_value(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "1");
  const std::string message = error_of([&] { apply_down(set, db, 1); }, exit_code::bad_input);
  EXPECT_TRUE(contains(message, "1_a.sql")) << message;
  EXPECT_TRUE(contains(message, "no down migration")) << message;
}

TEST(ApplyUp, GolangMigrationSeesItsOwnVersionDirty) {
  scratch_dir dir;
  dir.write("1_a.up.sql", "CREATE TABLE a ();");
  dir.write("2_b.up.sql", "CREATE TABLE seen AS SELECT version, dirty FROM schema_migrations;");
  const connection_info db = fresh_database();
  apply_up(read_migrations(dir.path()), db, 30);
  EXPECT_EQ(query_value(db, "SELECT version || ':' || dirty FROM seen"), "2:true");
}

TEST(ApplyUp, FailureRollsBackOnlyItselfAndNamesFileLineAndSqlstate) {
  scratch_dir dir;
  dir.write("0001_a.up.sql", "CREATE TABLE a ();");
  dir.write("0002_b.up.sql", "CREATE TABLE b ();");
  dir.write("0003_bad.up.sql",
            "CREATE TABLE c ();\n"
            "\n"
            "-- the typo is on line 4\n"
            "CREATE TABLEE d ();\n");
  dir.write("0004_d.up.sql", "CREATE TABLE after_bad ();");
  const connection_info db = fresh_database();
  const std::string message =
      error_of([&] { apply_up(read_migrations(dir.path()), db, 30); }, exit_code::environment);
  EXPECT_TRUE(contains(message, dir / "0003_bad.up.sql:4: migration 0003 failed: ")) << message;
  EXPECT_TRUE(contains(message, "syntax error at or near \"TABLEE\"")) << message;
  EXPECT_TRUE(contains(message, "(SQLSTATE 42601)")) << message;
  EXPECT_TRUE(contains(message, "nothing after it was applied")) << message;
  EXPECT_TRUE(table_exists(db, "a"));
  EXPECT_TRUE(table_exists(db, "b"));
  EXPECT_FALSE(table_exists(db, "c")) << "the failing migration is rolled back";
  EXPECT_FALSE(table_exists(db, "after_bad"));
  EXPECT_EQ(query_value(db, "SELECT version || ':' || dirty FROM schema_migrations"), "2:false");
}

TEST(ApplyUp, ErrorWithoutPositionNamesTheFailingStatementsLine) {
  scratch_dir dir;
  dir.write("1_dup.up.sql",
            "CREATE TABLE u (x int UNIQUE);\n"
            "INSERT INTO u VALUES (1);\n"
            "INSERT INTO u\n"
            "  VALUES (1);\n");
  const connection_info db = fresh_database();
  const std::string message =
      error_of([&] { apply_up(read_migrations(dir.path()), db, 30); }, exit_code::environment);
  EXPECT_TRUE(contains(message, "1_dup.up.sql:3: migration 1 failed: duplicate key")) << message;
  EXPECT_TRUE(contains(message, "SQLSTATE 23505")) << message;
  EXPECT_FALSE(table_exists(db, "u"));
}

TEST(ApplyUp, DbmateErrorLinesCountFromTheFile) {
  scratch_dir dir;
  dir.write("1_a.sql",
            "-- header\n-- migrate:up\nCREATE TABLE a ();\nSELECT nope FROM a;\n"
            "-- migrate:down\nDROP TABLE a;\n");
  const connection_info db = fresh_database();
  const std::string message =
      error_of([&] { apply_up(read_migrations(dir.path()), db, 30); }, exit_code::environment);
  EXPECT_TRUE(contains(message, "1_a.sql:4: migration 1 failed: column \"nope\" does not exist"))
      << message;
  EXPECT_TRUE(contains(message, "SQLSTATE 42703")) << message;
}

TEST(ApplyUp, EveryMigrationRunsInItsOwnTransaction) {
  scratch_dir dir;
  dir.write("1_a.up.sql", "CREATE TABLE a ();\nSELECT 1 / 0;");
  const connection_info db = fresh_database();
  const std::string message =
      error_of([&] { apply_up(read_migrations(dir.path()), db, 30); }, exit_code::environment);
  EXPECT_TRUE(contains(message, "1_a.up.sql:2: migration 1 failed: division by zero")) << message;
  EXPECT_FALSE(table_exists(db, "a"));
}

TEST(ApplyUp, ConcurrentlyAndTheMarkerRunOutsideATransaction) {
  scratch_dir dir;
  dir.write("1_t.up.sql", "CREATE TABLE t (x int, y int);");
  // Several statements with CONCURRENTLY: refused in one multi-statement query otherwise.
  dir.write("2_ix.up.sql",
            "CREATE INDEX CONCURRENTLY ix_x ON t (x);\nCREATE INDEX CONCURRENTLY ix_y ON t (y);");
  dir.write("3_marked.up.sql",
            "-- pgparity:no-transaction\nCREATE TABLE kept ();\nSELECT 1 / 0;\n");
  const connection_info db = fresh_database();
  const std::string message =
      error_of([&] { apply_up(read_migrations(dir.path()), db, 30); }, exit_code::environment);
  EXPECT_TRUE(contains(message, "3_marked.up.sql:3: migration 3 failed: division by zero"))
      << message;
  EXPECT_TRUE(contains(message, "outside a transaction")) << message;
  EXPECT_EQ(query_value(db, "SELECT count(*) FROM pg_indexes WHERE tablename = 't'"), "2");
  EXPECT_TRUE(table_exists(db, "kept")) << "no transaction: the first statement stays";
}

TEST(ApplyUp, DieselMetadataTurnsTheTransactionOff) {
  scratch_dir dir;
  dir.write("2020-01-01-000000_a/up.sql", "CREATE TABLE kept ();\nSELECT 1 / 0;");
  dir.write("2020-01-01-000000_a/metadata.toml", "run_in_transaction = false\n");
  const connection_info db = fresh_database();
  error_of([&] { apply_up(read_migrations(dir.path()), db, 30); }, exit_code::environment);
  EXPECT_TRUE(table_exists(db, "kept"));
}

TEST(ApplyUp, EmptyFilesAreNoOps) {
  scratch_dir dir;
  dir.write("1_a.up.sql", "CREATE TABLE a ();");
  dir.write("2_empty.up.sql", "");
  dir.write("3_comments.up.sql", "-- nothing yet\n");
  const connection_info db = fresh_database();
  EXPECT_EQ(apply_up(read_migrations(dir.path()), db, 30).size(), 3u);
  EXPECT_EQ(query_value(db, "SELECT version FROM schema_migrations"), "3");
}

TEST(ApplyUp, MigrationsWithTheirOwnBeginAndCommitWork) {
  scratch_dir dir;
  dir.write("V0001.Initial_Schema.up.sql", "BEGIN;\nCREATE TABLE a ();\nCOMMIT;\n");
  dir.write("V0002.Broken.up.sql", "BEGIN;\nCREATE TABLE b ();\nCOMMIT;\nSELECT 1 / 0;\n");
  const connection_info db = fresh_database();
  const std::string message =
      error_of([&] { apply_up(read_migrations(dir.path()), db, 30); }, exit_code::environment);
  EXPECT_TRUE(contains(message, "V0002.Broken.up.sql:4: migration V0002 failed: division by zero"))
      << message;
  EXPECT_TRUE(table_exists(db, "a"));
  EXPECT_TRUE(table_exists(db, "b")) << "the migration's own COMMIT committed, as with its tool";
  // golang-migrate marked version 2 dirty before running it, and the migration's own COMMIT
  // kept that mark: the state golang-migrate itself leaves.
  EXPECT_EQ(query_value(db, "SELECT version || ':' || dirty FROM schema_migrations"), "2:true");
}

TEST(ApplyUp, TimeBudgetStopsASlowMigration) {
  scratch_dir dir;
  dir.write("1_a.up.sql", "CREATE TABLE a ();");
  dir.write("2_slow.up.sql", "CREATE TABLE b ();\nSELECT pg_sleep(5);");
  const connection_info db = fresh_database();
  const auto started = std::chrono::steady_clock::now();
  const std::string message =
      error_of([&] { apply_up(read_migrations(dir.path()), db, 1); }, exit_code::environment);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took.count(), 3.0);
  EXPECT_TRUE(contains(message, "2_slow.up.sql")) << message;
  EXPECT_TRUE(contains(message, "migration 2")) << message;
  EXPECT_TRUE(contains(message, "budget of 1 s")) << message;
  EXPECT_TRUE(contains(message, "raise migrations.max_seconds in")) << message;
  EXPECT_FALSE(table_exists(db, "b"));
}

TEST(ApplyDown, MissingDownFileIsNamed) {
  scratch_dir dir;
  dir.write("1_a.up.sql", "CREATE TABLE a ();");
  dir.write("1_a.down.sql", "DROP TABLE a;");
  dir.write("2_b.up.sql", "CREATE TABLE b ();");
  const migration_set set = read_migrations(dir.path());
  const connection_info db = fresh_database();
  apply_up(set, db, 30);
  const std::string message = error_of([&] { apply_down(set, db, 2); }, exit_code::bad_input);
  EXPECT_TRUE(contains(message, "2_b.up.sql: migration 2 has no down migration")) << message;
  EXPECT_TRUE(contains(message, "2_b.down.sql")) << message;
  EXPECT_TRUE(table_exists(db, "a")) << "nothing is rolled back when a down file is missing";
}

TEST(ApplyStep, UpDownUpOneStep) {
  scratch_dir dir;
  dir.write("1_a.up.sql", "CREATE TABLE a ();");
  dir.write("1_a.down.sql", "DROP TABLE a;");
  const migration_set set = read_migrations(dir.path());
  const connection_info db = fresh_database();
  apply_step(set, 0, true, db);
  EXPECT_TRUE(table_exists(db, "a"));
  apply_step(set, 0, false, db);
  EXPECT_FALSE(table_exists(db, "a"));
  EXPECT_EQ(query_value(db, "SELECT count(*) FROM schema_migrations"), "0");
  apply_step(set, 0, true, db);
  EXPECT_TRUE(table_exists(db, "a"));
}

}  // namespace
}  // namespace pgparity
