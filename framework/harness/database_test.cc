#include "harness/database_test.h"

#include <cstdlib>
#include <optional>

#include "common/error.h"
#include "harness/shared_cluster.h"
#include "manifest/project_config.h"

namespace pgparity {
namespace {

// The process's server and the database each test clones (attach_or_bring_up). Brought up on
// first use and kept until exit (a disposable server stops then, an attached one keeps running
// for others). A bring-up that failed fails every later test with the same message, without
// retrying.
struct shared_slot {
  std::optional<harness::attached_run> database;
  std::string failure;
};

std::string config_file() {
  const char* value = std::getenv("PGPARITY_CONFIG");
  return value != nullptr && *value != '\0' ? value : "pgparity.yaml";
}

shared_slot& slot() {
  static shared_slot instance;
  if (!instance.database && instance.failure.empty()) {
    try {
      instance.database = harness::attach_or_bring_up(load_project_config(config_file()), false);
    } catch (const std::exception& e) {
      instance.failure = std::string("pgparity::DatabaseTest: no database: ") + e.what();
    }
  }
  return instance;
}

}  // namespace

server& DatabaseTest::shared_server() {
  shared_slot& s = slot();
  if (!s.database) throw environment_error(s.failure);
  return *s.database->run.srv;
}

void DatabaseTest::SetUp() {
  shared_slot& s = slot();
  if (!s.database) GTEST_FAIL() << s.failure;
  try {
    dbname_ = s.database->run.srv->create_database(s.database->clone_template);
    info_ = s.database->run.srv->connection(dbname_);
    conn_ = std::make_unique<pqxx::connection>(info_.conninfo());
  } catch (const std::exception& e) {
    GTEST_FAIL() << "pgparity::DatabaseTest: cannot make the test's database: " << e.what();
  }
}

void DatabaseTest::TearDown() {
  conn_.reset();
  if (dbname_.empty()) return;
  try {
    shared_server().drop_database(dbname_);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "pgparity::DatabaseTest: cannot drop " << dbname_ << ": " << e.what();
  }
  dbname_.clear();
}

pqxx::connection& DatabaseTest::db() {
  if (!conn_) throw environment_error("pgparity::DatabaseTest::db() called outside a test");
  return *conn_;
}

}  // namespace pgparity
