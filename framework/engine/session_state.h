// The state a session keeps between targets: the probe results computed ahead for the planned
// probe targets, and the database the previous Step target left behind. Engine internals.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/snapshot.h"
#include "engine/audit.h"
#include "engine/scratch_database.h"
#include "migrate/migrations.h"
#include "probes/probes.h"

namespace pgparity::engine {

struct probe_outcomes {
  std::vector<probe_result> results;
  // Set when the probes of this model could not run at all (the connection failed).
  std::string error;
  // Set when a statement of the probes ran out of `probe_timeout_seconds`: an error of the run
  // (exit 3), never a finding.
  std::string timeout;
};

// The database the previous Step target left at "its steps applied" (when it passed), so that
// in-order Step targets replay each migration once rather than all earlier ones each time.
struct step_progress {
  std::unique_ptr<scratch_database> db;
  std::size_t applied = 0;
  // The schema of `db` as the Step target read it last (up again), when known.
  std::optional<snapshot> schema;
};

struct session::state {
  std::vector<target> planned;
  bool has_plan = false;
  std::map<std::pair<check_kind, std::size_t>, probe_outcomes> probes;
  std::optional<step_progress> last_step;
  // Migrations/WithData: a database holding the steps before the current target and no rows,
  // copied for each target and moved on one step at a time.
  std::optional<step_progress> clean_steps;
  // Migrations/WithData: the same further back, made only when a migration fails over the rows
  // and an earlier one writes rows of the table (with_data.cc, passes_after_preparation).
  std::optional<step_progress> clean_previous;
  // The migrations with their SQL texts, read when a migration target first needs them
  // (engine_detail::set_of).
  std::optional<migration_set> migrations_with_sql;
};

// Runs the probes of `todo` (PGPARITY_PROBE_JOBS connections in parallel, default 2), filling
// `cache`; a model whose probes failed in the parallel pass is run again alone.
void run_probes_ahead(const std::vector<target>& todo, const audit_context& ctx,
                      std::map<std::pair<check_kind, std::size_t>, probe_outcomes>& cache);

}  // namespace pgparity::engine
