// The probe results of a run, computed ahead for every selected probe test: GoogleTest runs tests
// one after another, so the probes of all selected models run at the first probe test, shared
// out over a few connections to the migrated database in parallel threads, and each test then
// reads its model's results. Probes roll back, so the database stays as migrated; the
// connections are closed before the first test reads its results.
#pragma once

#include <string>
#include <vector>

#include "harness/run_context.h"
#include "harness/suite_params.h"
#include "probes/probes.h"

namespace pgparity::suites {

struct probe_outcomes {
  std::vector<probe_result> results;
  // Set when the probes of this model could not run at all (the connection failed).
  std::string error;
};

// The results of `param`'s probe family for its model. Computes every selected probe test's
// results on first use (PGPARITY_PROBE_JOBS connections, default 2).
const probe_outcomes& probe_results(const harness::suite_param& param,
                                    const harness::run_context& ctx);

}  // namespace pgparity::suites
