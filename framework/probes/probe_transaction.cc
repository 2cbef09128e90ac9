#include "probes/probe_transaction.h"

#include "probes/sql_text.h"

namespace pgparity {
namespace probes_detail {

std::string statement_outcome::reason() const {
  if (ok) return "accepted";
  return message + " (SQLSTATE " + sqlstate + ")";
}

probe_transaction::probe_transaction(pqxx::connection& conn, std::vector<std::string>* steps)
    : tx_(conn), steps_(steps) {
  tx_.exec("BEGIN");
  // Parallel probe processes touching the same parent table wait for each other's rollback;
  // a bounded wait turns a stuck lock into a reported reason instead of a hang.
  tx_.exec("SET LOCAL lock_timeout = '10s'");
  // NO ACTION is checked at statement end only when the constraint is not deferred.
  tx_.exec("SET CONSTRAINTS ALL IMMEDIATE");
  // Constraint names are read from error text: ask for untranslated messages. Only superusers
  // may; elsewhere the server's language is kept.
  tx_.exec("SAVEPOINT pgparity_locale");
  try {
    tx_.exec("SET LOCAL lc_messages TO 'C'");
    tx_.exec("RELEASE SAVEPOINT pgparity_locale");
  } catch (const pqxx::sql_error&) {
    tx_.exec("ROLLBACK TO SAVEPOINT pgparity_locale");
  }
}

probe_transaction::~probe_transaction() {
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
  const std::string name = "pgparity_step_" + std::to_string(++savepoint_);
  tx_.exec("SAVEPOINT " + name);
  statement_outcome out;
  try {
    out.rows = tx_.exec(sql);
    out.ok = true;
    tx_.exec("RELEASE SAVEPOINT " + name);
    log(sql + "  -- ok, " + std::to_string(out.rows.affected_rows()) + " row(s)");
  } catch (const pqxx::broken_connection&) {
    throw;
  } catch (const pqxx::sql_error& e) {
    out.sqlstate = e.sqlstate();
    out.message = first_line(e.what());
    out.constraint = constraint_in_message(e.what());
    tx_.exec("ROLLBACK TO SAVEPOINT " + name);
    log(sql + "  -- refused: " + out.reason());
  }
  return out;
}

pqxx::result probe_transaction::exec(const std::string& sql) { return tx_.exec(sql); }

}  // namespace probes_detail
}  // namespace pgparity
