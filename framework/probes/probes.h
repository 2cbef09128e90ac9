// Behavioural probes: real rows inserted into the migrated schema to prove that a declared
// constraint also does the declared thing.
//
//   probe_cascades():   for every foreign key of a model with a declared on_delete (and again
//                       for a declared on_update): insert parent and child, delete the parent
//                       (or change its key) and check the child was removed / nulled / reset,
//                       or that the change was refused with SQLSTATE 23503.
//   probe_duplicates(): for the primary key and every declared unique set: insert a row, then
//                       one equal on the set and different elsewhere, and check it is refused
//                       with SQLSTATE 23505 by the expected constraint. For soft-delete models
//                       whose unique set allows_soft_deleted_duplicates, also check that a
//                       duplicate of a soft-deleted row is accepted.
//
// Rows are synthesised from the snapshot (see row_synthesis.h); manifest `sample:` values
// override. Every probe runs in its own transaction, one savepoint per step, and is always
// rolled back: probes may run in any order and from parallel processes, and leave the
// database as migrated. A probe that cannot build valid rows (a check constraint, trigger or
// cycle refuses them) is skipped with the server's reason, never passed.
//
// Constraint names are read from the error text (libpqxx 6.4 does not expose
// PG_DIAG_CONSTRAINT_NAME); the probe transaction asks for C-locale messages, and an expected
// name is also found in a translated message because it is quoted there verbatim.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "common/error.h"
#include "common/source_location.h"
#include "manifest/model_spec.h"

namespace pgparity {

enum class probe_outcome { passed, failed, skipped };

// "passed", "failed", "skipped"
const char* to_string(probe_outcome outcome);

struct probe_result {
  probe_outcome outcome = probe_outcome::skipped;
  // What was probed, readable and stable, e.g.
  // "messages.conversation_id -> conversations.id ON DELETE CASCADE" or
  // "user_roles unique (user_id, role_id)".
  std::string subject;
  // passed: what happened; failed: what happened versus what was expected, e.g. "deleting the
  // parent row of messages.conversation_id left the child row in place: expected ON DELETE
  // CASCADE to remove it"; skipped: the exact reason, e.g. "the INSERT into t was refused: new
  // row for relation "t" violates check constraint "ck_x" (SQLSTATE 23514)".
  std::string message;
  // Every statement the probe ran, with its outcome ("-- ok, 1 row(s)" / "-- refused: ...").
  std::vector<std::string> steps;
  // Where the probed foreign key or unique set is declared in the manifest.
  source_location location;
};

struct probe_options {
  // The whole manifest, for `sample:` values of parent tables; the probed model's own samples
  // are always used.
  const manifest* models = nullptr;
  // Added to every synthesised sequence number. 0 gives the same rows every run.
  long variant_base = 0;
  // statement_timeout of every statement in a probe's transaction (config
  // `probe_timeout_seconds`); lock waits are bounded by the smaller of this and 10 s.
  long statement_timeout_ms = 10000;
};

// A probe statement ran out of its time limit (a slow trigger, a lock held elsewhere): the probe
// observed nothing, and nothing in the schema is wrong. An environment error (exit 3).
class probe_timeout : public environment_error {
 public:
  probe_timeout(const std::string& statement, long timeout_ms);
  const std::string& statement() const { return statement_; }

 private:
  std::string statement_;
};

// One result per declared on_delete and one per declared on_update, in declaration order.
// Throws only when the connection fails (pqxx::broken_connection) or a statement times out
// (probe_timeout).
std::vector<probe_result> probe_cascades(pqxx::connection& conn, const model_spec& model,
                                         const snapshot& schema, const probe_options& options = {});

// One result for the primary key (when the model declares one), one per unique set, and one
// more per unique set that allows_soft_deleted_duplicates on a soft-delete model.
std::vector<probe_result> probe_duplicates(pqxx::connection& conn, const model_spec& model,
                                           const snapshot& schema,
                                           const probe_options& options = {});

}  // namespace pgparity
