// A fresh database on one disposable cluster shared by every test of the catalog suite.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "cluster/server.h"

namespace pgparity::test {

inline server& shared_server() {
  static std::unique_ptr<server> instance = server::start_disposable();
  return *instance;
}

// Each test gets its own database, dropped with the fixture.
class database_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dbname_ = shared_server().create_database();
    conninfo_ = shared_server().connection(dbname_).conninfo();
    conn_ = std::make_unique<pqxx::connection>(conninfo_);
  }
  void TearDown() override {
    conn_.reset();
    shared_server().drop_database(dbname_);
  }

  pqxx::connection& conn() { return *conn_; }
  const std::string& dbname() const { return dbname_; }
  const std::string& conninfo() const { return conninfo_; }

  // Runs `sql` (many statements allowed) and commits.
  void run(const std::string& sql) {
    pqxx::work tx(*conn_);
    tx.exec(sql);
    tx.commit();
  }

 private:
  std::string dbname_;
  std::string conninfo_;
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace pgparity::test
