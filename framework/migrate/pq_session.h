// A libpq connection for applying migrations: whole scripts through PQexec-style simple
// queries, with PostgreSQL's error fields (SQLSTATE, position) and a client-side deadline.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <optional>
#include <string>

#include "cluster/server.h"

namespace pgparity::migrate_detail {

struct pq_outcome {
  bool ok = true;
  bool cancelled = false;  // the deadline passed and we cancelled the query
  std::string sqlstate;
  std::string message;  // PG_DIAG_MESSAGE_PRIMARY
  std::string detail;
  std::string hint;
  int position = 0;  // PG_DIAG_STATEMENT_POSITION (1-based characters), 0 when none
};

class pq_session {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  // Throws environment_error when the database cannot be reached.
  explicit pq_session(const connection_info& db);
  ~pq_session();
  pq_session(const pq_session&) = delete;
  pq_session& operator=(const pq_session&) = delete;

  // Runs `sql` (any number of statements, one simple query). When `deadline` passes the query
  // is cancelled. SQL errors are returned; a lost connection throws environment_error.
  pq_outcome exec(const std::string& sql, std::optional<time_point> deadline = std::nullopt);
  // Runs SQL of our own that must succeed; throws environment_error naming `what`.
  void must(const std::string& sql, const std::string& what);
  std::string literal(const std::string& value) const;
  // Whether PostgreSQL counts error positions in UTF-8 characters.
  bool utf8() const;
  int server_version() const;

 private:
  void wait_readable(std::optional<time_point> deadline, bool* cancelled);
  PGconn* conn_ = nullptr;
  std::string where_;  // database name, for messages
};

}  // namespace pgparity::migrate_detail
