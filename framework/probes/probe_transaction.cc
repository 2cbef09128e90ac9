#include "probes/probe_transaction.h"

#include <fmt/format.h>

#include <algorithm>

#include "probes/probes.h"
#include "probes/sql_text.h"

namespace pgparity {
namespace probes_detail {

std::string statement_outcome::reason() const {
  if (ok) return "accepted";
  return message + " (SQLSTATE " + sqlstate + ")";
}

namespace {

constexpr const char* query_canceled = "57014";  // statement_timeout ran out

// The statement as shown in a message: one line, at most 200 characters.
std::string shown(const std::string& sql) {
  std::string out;
  for (const char c : sql) out += c == '\n' ? ' ' : c;
  return out.size() > 200 ? out.substr(0, 197) + "..." : out;
}

}  // namespace

probe_transaction::probe_transaction(pqxx::connection& conn, std::vector<std::string>* steps,
                                     long timeout_ms)
    : tx_(conn), steps_(steps), timeout_ms_(timeout_ms) {
  // Statements are sent together where order allows: a probe is a handful of round trips,
  // which is what keeps a thousand models within seconds.
  //
  // Parallel probe processes touching the same parent table wait for each other's rollback;
  // a bounded wait turns a stuck lock into a reported reason instead of a hang. A statement that
  // runs longer than its limit (a trigger that sleeps) is cancelled by the server: probe_timeout.
  // NO ACTION is checked at statement end only when the constraint is not deferred.
  //
  // Constraint names are read from error text, hence the untranslated messages. Only superusers
  // may ask for them; elsewhere the savepoint undoes the refusal and the server's language is
  // kept.
  try {
    const long lock_ms = std::min(timeout_ms_, 10000L);
    tx_.exec("BEGIN; SET LOCAL statement_timeout = " + std::to_string(timeout_ms_) +
             "; SET LOCAL lock_timeout = " + std::to_string(lock_ms) +
             "; SET CONSTRAINTS ALL IMMEDIATE; SAVEPOINT pgparity_locale; SET LOCAL lc_messages "
             "TO 'C'");
  } catch (const pqxx::broken_connection&) {
    throw;
  } catch (const pqxx::sql_error&) {
    tx_.exec("ROLLBACK TO SAVEPOINT pgparity_locale");
  }
}

probe_transaction::~probe_transaction() {
  if (committed_) return;
  try {
    tx_.exec("ROLLBACK");
  } catch (const std::exception&) {
    // The connection is gone: the server rolled the transaction back itself.
  }
}

void probe_transaction::log(const std::string& line) {
  if (steps_ != nullptr) steps_->push_back(line);
}

statement_outcome probe_transaction::attempt(const std::string& sql) {
  // The savepoint travels with the statement; it is never released (the whole transaction is
  // rolled back), which saves a round trip per step.
  const std::string name = "pgparity_step_" + std::to_string(++savepoint_);
  statement_outcome out;
  try {
    out.rows = tx_.exec("SAVEPOINT " + name + "; " + sql);
    out.ok = true;
    log(sql + "  -- ok, " + std::to_string(out.rows.affected_rows()) + " row(s)");
  } catch (const pqxx::broken_connection&) {
    throw;
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == query_canceled) throw probe_timeout(sql, timeout_ms_);
    out.sqlstate = e.sqlstate();
    out.message = server_message_line(e.what());
    out.constraint = constraint_in_message(e.what());
    tx_.exec("ROLLBACK TO SAVEPOINT " + name);
    log(sql + "  -- refused: " + out.reason());
  }
  return out;
}

pqxx::result probe_transaction::exec(const std::string& sql) {
  try {
    return tx_.exec(sql);
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == query_canceled) throw probe_timeout(sql, timeout_ms_);
    throw;
  }
}

void probe_transaction::commit() {
  tx_.exec("COMMIT");
  committed_ = true;
}

}  // namespace probes_detail

probe_timeout::probe_timeout(const std::string& statement, long timeout_ms)
    : environment_error(fmt::format("statement timed out after {:g} s: {}", timeout_ms / 1000.0,
                                    probes_detail::shown(statement))),
      statement_(statement) {}

namespace probes_detail {}  // namespace probes_detail
}  // namespace pgparity
