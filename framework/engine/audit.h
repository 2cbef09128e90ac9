// The engine: runs every kind of check and returns findings. The CLI commands (`pgparity
// report`) and the GoogleTest adapter (framework/harness) both call it; neither runs a check
// itself.
//
//   run_audit()  the structural kinds over a manifest and a snapshot: pure, no database.
//   session      one run over a prepared audit_context: any target of any kind (probes and
//                lifecycle included), one at a time as tests ask, or all at once for a report.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "checks/checks.h"
#include "checks/finding.h"
#include "common/error.h"
#include "engine/context.h"
#include "engine/targets.h"

namespace pgparity::engine {

struct audit_options {
  reverse_drift_options drift;
  // Manifest spellings the server rejected: reported by their model's columns_match target.
  std::vector<canonical_error> canonical_errors;
};

// One structural target's findings (per-model targets of a missing table: none).
findings structural_findings(const target& t, const manifest& m, const snapshot& db,
                             const audit_options& options);
// Every structural target's findings for the manifest, in report order; the targets of a model
// whose table is missing contribute nothing beyond its table_exists finding.
findings run_audit(const manifest& m, const snapshot& db, const audit_options& options);

// A test that could not observe anything because the run's environment failed it (a probe
// statement ran out of `probe_timeout_seconds`): not a schema finding. `pgparity test` shows
// the test as failed, runs the others, and then exits 3 with this message.
class test_error : public environment_error {
 public:
  using environment_error::environment_error;
};

// What one test of any kind observed.
struct outcome {
  findings found;       // CRITICAL findings fail the test; WARNINGs are shown, and it passes
  std::string skipped;  // non-empty: nothing was observed, for this reason
  // Parts that could not observe anything (a probe without valid rows), each with its reason;
  // the test passes or fails on the other parts.
  std::vector<std::string> skipped_parts;
  std::string note;  // shown as it is (per-migration timings)
};

class session {
 public:
  // `ctx` is prepared (engine::prepare) and outlives the session.
  explicit session(const audit_context& ctx);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  const audit_context& ctx() const { return ctx_; }
  audit_options options() const;

  // The targets of `kind` for this project (no database).
  std::vector<target> targets(check_kind kind) const;
  // The targets the caller will run: the probe kinds run theirs together, in parallel, when the
  // first one is asked for (PGPARITY_PROBE_JOBS connections, default 2). Without a plan, every
  // probe target is planned.
  void plan(const std::vector<target>& selected);
  outcome run(const target& t);
  // Every target of every kind, in report order (`pgparity report`): the findings of all.
  findings run_everything();

  // State of the probe and lifecycle kinds between targets (engine internals).
  struct state;
  state& internals() { return *state_; }

 private:
  const audit_context& ctx_;
  std::unique_ptr<state> state_;
};

// The reason a per-model target of `t`'s model is skipped when its table is missing (its
// Tables/Exists test says so already; every other kind would only repeat it), or "".
std::string missing_table_reason(const target& t, session& s);

// The runners the kind table names (one per group).
outcome run_structural(const target& t, session& s);
outcome run_probe(const target& t, session& s);
outcome run_apply(const target& t, session& s);
outcome run_round_trip(const target& t, session& s);
outcome run_step(const target& t, session& s);
outcome run_with_data(const target& t, session& s);

}  // namespace pgparity::engine
