// Probe tests: one disposable cluster per test binary, a fresh database per test, and small
// helpers to declare models the way a manifest would.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "cluster/server.h"
#include "manifest/model_spec.h"
#include "probes/probes.h"

namespace pgparity::probes_test {

inline server& shared_server() {
  static std::unique_ptr<server> instance = server::start_disposable();
  return *instance;
}

class probe_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dbname_ = shared_server().create_database();
    conn_ = std::make_unique<pqxx::connection>(shared_server().connection(dbname_).conninfo());
  }
  void TearDown() override {
    conn_.reset();
    shared_server().drop_database(dbname_);
  }

  pqxx::connection& conn() { return *conn_; }
  std::string conninfo() const { return shared_server().connection(dbname_).conninfo(); }

  // Runs DDL (many statements allowed), commits, and re-reads the snapshot.
  void run(const std::string& sql) {
    {
      pqxx::work tx(*conn_);
      tx.exec(sql);
      tx.commit();
    }
    schema_ = read_snapshot(*conn_);
  }
  const snapshot& schema() const { return schema_; }

 private:
  std::string dbname_;
  std::unique_ptr<pqxx::connection> conn_;
  snapshot schema_;
};

inline column_spec column(const std::string& name, const std::string& type, bool nullable = true) {
  column_spec c;
  c.name = name;
  c.type = type;
  c.nullable = nullable;
  return c;
}

inline column_spec key_column(const std::string& name, const std::string& type) {
  column_spec c = column(name, type, false);
  c.primary_key = true;
  return c;
}

inline foreign_key_spec foreign_key(std::vector<std::string> columns, const std::string& ref_table,
                                    std::vector<std::string> ref_columns,
                                    std::optional<std::string> on_delete,
                                    std::optional<std::string> on_update = std::nullopt) {
  foreign_key_spec fk;
  fk.columns = std::move(columns);
  fk.ref_schema = "public";
  fk.ref_table = ref_table;
  fk.ref_columns = std::move(ref_columns);
  fk.on_delete = std::move(on_delete);
  fk.on_update = std::move(on_update);
  return fk;
}

inline unique_spec unique(std::vector<std::string> columns,
                          std::optional<std::string> name = std::nullopt) {
  unique_spec u;
  u.columns = std::move(columns);
  u.name = std::move(name);
  return u;
}

inline model_spec model(const std::string& name, const std::string& table,
                        std::vector<column_spec> columns) {
  model_spec m;
  m.name = name;
  m.schema = "public";
  m.table = table;
  m.columns = std::move(columns);
  return m;
}

// "passed: message" - the outcome and the message in one string, for readable assertions.
inline std::string summary(const probe_result& r) {
  return std::string(to_string(r.outcome)) + ": " + r.message;
}

inline std::string all_steps(const probe_result& r) {
  std::string out;
  for (const auto& s : r.steps) out += "  " + s + "\n";
  return out;
}

}  // namespace pgparity::probes_test
