// Helpers for the migrate tests: scratch migration directories and one shared server.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "cluster/server.h"
#include "common/error.h"

namespace pgparity::test {

// A temporary directory removed at the end of the test.
class scratch_dir {
 public:
  scratch_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "pgparity-migrate-test.XXXXXX").string();
    path_ = mkdtemp(pattern.data());
    std::filesystem::permissions(path_, std::filesystem::perms::all &
                                            ~std::filesystem::perms::group_write &
                                            ~std::filesystem::perms::others_write);
  }
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& relative) const { return path_ + "/" + relative; }

  // Writes `relative` (creating folders) with `text`.
  void write(const std::string& relative, const std::string& text) const {
    const auto file = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }

 private:
  std::string path_;
};

// The message of the pgparity error `f` throws, and checks its exit code.
template <typename F>
std::string error_of(F f, exit_code expected) {
  try {
    f();
  } catch (const error& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected an error, none was thrown";
  return "";
}

// One disposable server for a whole test program.
inline server& shared_server() {
  static std::unique_ptr<server> srv = server::start_disposable();
  return *srv;
}

// Runs a query on `db` and returns the first column of the first row ("" when no row,
// "<null>" for NULL); fails the test on error.
inline std::string query_value(const connection_info& db, const std::string& sql) {
  PGconn* conn = PQconnectdb(db.conninfo().c_str());
  std::string out;
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_TUPLES_OK) {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(result);
    } else if (PQntuples(result) > 0) {
      out = PQgetisnull(result, 0, 0) ? "<null>" : PQgetvalue(result, 0, 0);
    }
    PQclear(result);
  }
  PQfinish(conn);
  return out;
}

// Whether a table (in the search path) exists.
inline bool table_exists(const connection_info& db, const std::string& table) {
  return query_value(db, "SELECT to_regclass('" + table + "') IS NOT NULL") == "t";
}

}  // namespace pgparity::test
