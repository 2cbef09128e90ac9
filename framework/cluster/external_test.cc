// External mode (`database: URL`) against a real server: one of our disposable clusters.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "cluster/server.h"
#include "common/error.h"

namespace pgparity {
namespace {

std::string query_one(const connection_info& info, const std::string& sql) {
  pqxx::connection connection{info.conninfo()};
  pqxx::nontransaction tx{connection};
  return tx.exec1(sql)[0].c_str();
}

std::string database_list(const server& on) {
  return query_one(on.admin_connection(),
                   "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database");
}

class External : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { host_ = server::start_disposable().release(); }
  static void TearDownTestSuite() {
    delete host_;
    host_ = nullptr;
  }
  static server* host_;
};
server* External::host_ = nullptr;

TEST_F(External, ThrowawayDatabaseIsCreatedAndDroppedOthersUntouched) {
  {
    pqxx::connection connection{host_->admin_connection().conninfo()};
    pqxx::nontransaction tx{connection};
    tx.exec0("CREATE DATABASE existing_app");
  }
  const std::string before = database_list(*host_);
  const std::string url = host_->admin_connection().url();
  std::string name;
  {
    auto external = server::connect_existing(url);
    EXPECT_FALSE(external->is_disposable());
    EXPECT_EQ(external->version_num(), host_->version_num());
    EXPECT_EQ(external->version(), host_->version());
    EXPECT_EQ(external->admin_database(), "postgres");
    name = external->create_database();
    EXPECT_EQ(name.rfind("pgparity_", 0), 0u);
    // The URL and environment handed to child processes reach the throwaway database.
    const auto info = external->connection(name);
    pqxx::connection by_url{info.url()};
    pqxx::nontransaction tx{by_url};
    EXPECT_EQ(std::string(tx.exec1("SELECT current_database()")[0].c_str()), name);
    EXPECT_EQ(info.host, host_->admin_connection().host);
    EXPECT_THROW(external->drop_database("existing_app"), input_error);
    EXPECT_THROW(external->drop_database("postgres"), input_error);
    EXPECT_NE(database_list(*host_).find(name), std::string::npos);
  }
  EXPECT_EQ(database_list(*host_), before);  // gone again, existing_app untouched
}

TEST_F(External, KeywordStringAndExplicitDrop) {
  const auto admin = host_->admin_connection();
  auto external = server::connect_existing(admin.conninfo());
  const std::string name = external->create_database();
  EXPECT_NE(database_list(*host_).find(name), std::string::npos);
  external->drop_database(name);
  EXPECT_EQ(database_list(*host_).find(name), std::string::npos);
  EXPECT_THROW(external->drop_database(name), input_error);
  EXPECT_THROW(external->save_datadir("/tmp/nowhere"), input_error);
}

TEST_F(External, RoleWithoutCreatedbIsRefused) {
  {
    pqxx::connection connection{host_->admin_connection().conninfo()};
    pqxx::nontransaction tx{connection};
    tx.exec0("CREATE ROLE app_no_createdb LOGIN NOCREATEDB");
  }
  auto info = host_->admin_connection();
  info.user = "app_no_createdb";
  try {
    server::connect_existing(info.url());
    FAIL() << "expected environment_error";
  } catch (const environment_error& e) {
    EXPECT_NE(std::string(e.what()).find("CREATEDB"), std::string::npos) << e.what();
  }
}

TEST(ExternalUnreachable, ClearMessageWithoutPassword) {
  try {
    server::connect_existing("postgresql://app:hunter2@127.0.0.1:1/appdb");
    FAIL() << "expected environment_error";
  } catch (const environment_error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("cannot connect to postgresql://app:***@127.0.0.1:1/appdb: ", 0), 0u)
        << message;
    EXPECT_NE(message.find("is the server running?"), std::string::npos) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  try {
    server::connect_existing("host=/nonexistent/socket port=5432 password=hunter2 dbname=x");
    FAIL() << "expected environment_error";
  } catch (const environment_error& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(server::connect_existing("postgresql://[broken"), input_error);
}

}  // namespace
}  // namespace pgparity
