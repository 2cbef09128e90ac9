// pgparity::DatabaseTest: a GoogleTest fixture for a project's own database tests. Each TEST_F
// gets db(), a connection to a fresh copy of the migrated schema, dropped after the test:
//
//   #include <pgparity/harness/database_test.h>
//   TEST_F(pgparity::DatabaseTest, CreatedAtIsFilledIn) {
//     pqxx::work tx(db());
//     ...
//   }
//
// The server is brought up once per process, on first use: attached to the shared cluster of
// `pgparity up` when PGPARITY_ATTACH names its state file (ctest, pgparity_add_suite), else
// started from $PGPARITY_CONFIG, else ./pgparity.yaml, through the template cache. See
// docs/database-test.md.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "cluster/server.h"

namespace pgparity {

// The one CamelCase name in pgparity: GoogleTest fixtures are named so by convention.
class DatabaseTest : public ::testing::Test {
 protected:
  // Clones the migrated template into a new database and connects to it. Fails the test with
  // the reason (no config, PostgreSQL would not start, a migration failed) when it cannot.
  void SetUp() override;
  // Closes the connection and drops the test's database.
  void TearDown() override;

  // The test's own database: migrated schema, no rows but those the migrations insert.
  pqxx::connection& db();
  // How to reach it, e.g. for a child process (DATABASE_URL) or a second connection.
  const connection_info& db_info() const { return info_; }
  // The server the copies live on (shared by every test of the process).
  static server& shared_server();

 private:
  std::unique_ptr<pqxx::connection> conn_;
  std::string dbname_;
  connection_info info_;
};

}  // namespace pgparity
