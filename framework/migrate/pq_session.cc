#include "migrate/pq_session.h"

#include <fmt/format.h>
#include <poll.h>

#include <cstring>

#include "common/error.h"

namespace pgparity::migrate_detail {
namespace {

std::string field(const PGresult* result, int code) {
  const char* value = PQresultErrorField(result, code);
  return value ? value : "";
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

pq_session::pq_session(const connection_info& db) : where_(db.dbname) {
  conn_ = PQconnectdb(db.conninfo().c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw environment_error(fmt::format(
        "cannot connect to database {} to apply migrations: {}; check that the server is "
        "running",
        db.dbname, message));
  }
  // Migrations emit NOTICEs ("relation exists, skipping"); they are not ours to print.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

pq_session::~pq_session() {
  if (conn_) PQfinish(conn_);
}

void pq_session::wait_readable(std::optional<time_point> deadline, bool* cancelled) {
  pollfd fd{};
  fd.fd = PQsocket(conn_);
  fd.events = POLLIN;
  int timeout_ms = -1;
  if (deadline && !*cancelled) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - time_point::clock::now())
            .count();
    if (left <= 0) {
      // Over budget: ask the server to cancel, then keep reading until it reports back.
      PGcancel* cancel = PQgetCancel(conn_);
      char error[256] = {};
      if (cancel) {
        PQcancel(cancel, error, sizeof error);
        PQfreeCancel(cancel);
      }
      *cancelled = true;
    } else {
      timeout_ms = static_cast<int>(left) + 1;
    }
  }
  poll(&fd, 1, timeout_ms);
}

pq_outcome pq_session::exec(const std::string& sql, std::optional<time_point> deadline) {
  pq_outcome outcome;
  if (!PQsendQuery(conn_, sql.c_str())) {
    throw environment_error(fmt::format("lost the connection to database {}: {}", where_,
                                        trimmed(PQerrorMessage(conn_))));
  }
  while (true) {
    while (PQisBusy(conn_)) {
      wait_readable(deadline, &outcome.cancelled);
      if (!PQconsumeInput(conn_)) {
        throw environment_error(fmt::format("lost the connection to database {}: {}", where_,
                                            trimmed(PQerrorMessage(conn_))));
      }
    }
    PGresult* result = PQgetResult(conn_);
    if (!result) break;
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COPY_IN) {
      PQputCopyEnd(conn_, "COPY FROM STDIN is a psql feature; use INSERT in migrations");
    } else if (status == PGRES_COPY_OUT) {
      char* buffer = nullptr;
      while (PQgetCopyData(conn_, &buffer, 0) > 0) PQfreemem(buffer);
    } else if ((status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR) && outcome.ok) {
      outcome.ok = false;
      outcome.sqlstate = field(result, PG_DIAG_SQLSTATE);
      outcome.message = field(result, PG_DIAG_MESSAGE_PRIMARY);
      if (outcome.message.empty()) outcome.message = trimmed(PQresultErrorMessage(result));
      outcome.detail = field(result, PG_DIAG_MESSAGE_DETAIL);
      outcome.hint = field(result, PG_DIAG_MESSAGE_HINT);
      const std::string position = field(result, PG_DIAG_STATEMENT_POSITION);
      outcome.position = position.empty() ? 0 : std::atoi(position.c_str());
    }
    PQclear(result);
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    throw environment_error(fmt::format("lost the connection to database {}: {}", where_,
                                        trimmed(PQerrorMessage(conn_))));
  }
  return outcome;
}

void pq_session::must(const std::string& sql, const std::string& what) {
  const pq_outcome outcome = exec(sql);
  if (!outcome.ok) {
    throw environment_error(fmt::format("{} failed in database {}: {} (SQLSTATE {})", what, where_,
                                        outcome.message, outcome.sqlstate));
  }
}

std::string pq_session::literal(const std::string& value) const {
  char* quoted = PQescapeLiteral(conn_, value.c_str(), value.size());
  if (!quoted) {
    throw environment_error(fmt::format("cannot quote a value: {}", PQerrorMessage(conn_)));
  }
  std::string out = quoted;
  PQfreemem(quoted);
  return out;
}

bool pq_session::utf8() const {
  return std::strcmp(pg_encoding_to_char(PQclientEncoding(conn_)), "UTF8") == 0;
}

int pq_session::server_version() const { return PQserverVersion(conn_); }

}  // namespace pgparity::migrate_detail
