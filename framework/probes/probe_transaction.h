// One probe's transaction: BEGIN on construction, ROLLBACK on destruction whatever happened,
// and every statement that may be refused run in its own savepoint so a refusal undoes only
// that step. Plain BEGIN/SAVEPOINT text over a pqxx::nontransaction keeps the behaviour the
// same on libpqxx 6.4 and 7.x (no client-side transaction state to get out of step).
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace pgparity {
namespace probes_detail {

struct statement_outcome {
  bool ok = false;
  pqxx::result rows;                      // when ok
  std::string sqlstate;                   // when refused
  std::string message;                    // first line of the server's error, when refused
  std::optional<std::string> constraint;  // the constraint the error names, if any

  // "new row ... violates check constraint "ck" (SQLSTATE 23514)"
  std::string reason() const;
};

class probe_transaction {
 public:
  // `steps` (may be null) receives one line per statement run, with its outcome. Every
  // statement runs under statement_timeout `timeout_ms`; one that runs out throws probe_timeout.
  probe_transaction(pqxx::connection& conn, std::vector<std::string>* steps, long timeout_ms);
  ~probe_transaction();
  probe_transaction(const probe_transaction&) = delete;
  probe_transaction& operator=(const probe_transaction&) = delete;

  // Runs `sql` inside a savepoint; a refusal is an outcome, not an exception. Only a broken
  // connection throws.
  statement_outcome attempt(const std::string& sql);
  // A statement that must work (catalog reads, expression evaluation): refusals throw
  // (pqxx::sql_error; probe_timeout when it ran out of time).
  pqxx::result exec(const std::string& sql);
  // Keeps what was written (the migration-with-data tests fill tables for later transactions);
  // the destructor then has nothing to roll back.
  void commit();

 private:
  void log(const std::string& line);

  pqxx::nontransaction tx_;
  std::vector<std::string>* steps_;
  int savepoint_ = 0;
  long timeout_ms_;
  bool committed_ = false;
};

}  // namespace probes_detail
}  // namespace pgparity
