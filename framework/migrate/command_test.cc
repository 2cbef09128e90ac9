// Command mode: a shell command with the database's environment, its failures and timeout.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "migrate/migrations.h"
#include "migrate/test_support.h"

namespace pgparity {
namespace {

using test::error_of;
using test::scratch_dir;
using test::shared_server;
using test::table_exists;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MigrationCommand, SeesDatabaseUrlAndPgVariables) {
  scratch_dir dir;
  const connection_info db = shared_server().connection(shared_server().create_database());
  run_migration_command(
      "psql \"$DATABASE_URL\" -X -q -v ON_ERROR_STOP=1 -c 'CREATE TABLE via_url ()' && "
      "psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE TABLE via_pg_variables ()' && "
      "env > env.txt && pwd > pwd.txt",
      dir.path(), db, 30);
  EXPECT_TRUE(table_exists(db, "via_url"));
  EXPECT_TRUE(table_exists(db, "via_pg_variables"));
  std::ifstream in(dir / "env.txt");
  std::stringstream env;
  env << in.rdbuf();
  EXPECT_TRUE(contains(env.str(), "PGDATABASE=" + db.dbname + "\n")) << env.str();
  EXPECT_TRUE(contains(env.str(), "PGHOST=" + db.host + "\n")) << env.str();
  EXPECT_TRUE(contains(env.str(), "PGPORT=" + std::to_string(db.port) + "\n")) << env.str();
  EXPECT_TRUE(contains(env.str(), "PGUSER=" + db.user + "\n")) << env.str();
  EXPECT_TRUE(contains(env.str(), "DATABASE_URL=" + db.url() + "\n")) << env.str();
  std::ifstream pwd(dir / "pwd.txt");
  std::string cwd;
  std::getline(pwd, cwd);
  EXPECT_EQ(cwd, dir.path()) << "runs in the configured cwd";
}

TEST(MigrationCommand, FailureGivesExitStatusAndTheTailOfItsOutput) {
  scratch_dir dir;
  const connection_info db = shared_server().connection(shared_server().create_database());
  const std::string message = error_of(
      [&] {
        run_migration_command(
            "for i in $(seq 1 40); do echo line $i; done; echo 'alembic: boom' >&2; exit 7",
            dir.path(), db, 30);
      },
      exit_code::environment);
  EXPECT_TRUE(contains(message, "exit status 7")) << message;
  EXPECT_TRUE(contains(message, "alembic: boom")) << message;
  EXPECT_TRUE(contains(message, "line 40")) << message;
  EXPECT_FALSE(contains(message, "line 5\n")) << "only the last lines: " << message;
}

TEST(MigrationCommand, TimeoutKillsTheWholeProcessGroup) {
  scratch_dir dir;
  const connection_info db = shared_server().connection(shared_server().create_database());
  const auto started = std::chrono::steady_clock::now();
  const std::string message = error_of(
      [&] {
        run_migration_command("echo starting; (sleep 3; touch survived) & sleep 30", dir.path(), db,
                              0.5);
      },
      exit_code::environment);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took.count(), 10.0);  // killed at its budget, far before the 30 s it asks for
  EXPECT_TRUE(contains(message, "budget of 0.5 s")) << message;
  EXPECT_TRUE(contains(message, "starting")) << message;
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_FALSE(std::filesystem::exists(dir / "survived")) << "a background child outlived us";
}

TEST(MigrationCommand, TimeoutAlsoAppliesAfterItClosesItsOutput) {
  scratch_dir dir;
  const connection_info db = shared_server().admin_connection();
  const auto started = std::chrono::steady_clock::now();
  error_of([&] { run_migration_command("exec >/dev/null 2>&1; sleep 30", dir.path(), db, 0.5); },
           exit_code::environment);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took.count(), 10.0);  // killed at its budget, far before the 30 s it asks for
}

TEST(MigrationCommand, MissingCwdIsBadInput) {
  const connection_info db = shared_server().admin_connection();
  const std::string message =
      error_of([&] { run_migration_command("true", "/nonexistent/pgparity", db, 30); },
               exit_code::bad_input);
  EXPECT_TRUE(contains(message, "/nonexistent/pgparity")) << message;
}

}  // namespace
}  // namespace pgparity
