// What every check of a run reads: the config, the manifest as the server canonicalised it, and
// one snapshot of the migrated schema. Built once per process (one bring_up, one catalog read)
// and shared by every generated test and by `pgparity report`.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "checks/finding.h"
#include "harness/suite_params.h"
#include "manifest/model_spec.h"
#include "manifest/project_config.h"
#include "migrate/migrations.h"

namespace pgparity::harness {

struct run_context {
  project_config config;
  manifest declared;   // as loaded (used to register the suites)
  manifest canonical;  // canonical_* fields filled in by the server
  snapshot db;
  // model name -> (object, server's message) for each manifest spelling the server rejected,
  // e.g. "User" -> ("column email", "type \"varchr\" does not exist").
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> canonical_errors;
  // Wall time of each phase of prepare_database(), for the run's summary line.
  double bring_up_ms = 0;
  double snapshot_ms = 0;
  double canonicalize_ms = 0;
  // The server and migrated database of this run (owned by the command that brought it up and
  // alive while the tests run): the probes read `template_db`, the lifecycle tests create
  // empty databases of their own on `srv`. Null until a database is prepared.
  migrated_run* run = nullptr;
};

// Loads config and manifest (input_error, exit 2, on any problem). No database.
run_context load_inputs(const std::string& config_path);

// Brings the migrated schema up (the returned run keeps the server alive), reads the catalog
// once and canonicalises the manifest once, filling `ctx`.
migrated_run prepare_database(run_context& ctx, bool fresh);

// The process-wide context the generated tests read; set before RUN_ALL_TESTS.
void set_current_context(run_context ctx);
const run_context& current_context();
bool has_current_context();

// The model's table is missing from the snapshot (every family but tables_exist is skipped).
bool table_missing(const run_context& ctx, const model_spec& model);

// The findings of one test: runs the family's check function for the parameter's model (or
// schema). Canonicalisation errors of a model are reported by its columns_match test.
findings run_family(const suite_param& param, const run_context& ctx);

// The model a parameter refers to (canonical form).
const model_spec& param_model(const suite_param& param, const run_context& ctx);

}  // namespace pgparity::harness

namespace pgparity::harness {

// Every test's findings for the whole manifest, in report order; tests that would be skipped
// (their model's table is missing) contribute nothing. Used by `pgparity report`.
findings collect_findings(const run_context& ctx);

}  // namespace pgparity::harness
