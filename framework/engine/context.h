// What every check of a run reads: the config, the manifest as the server canonicalised it, the
// migration list, and one snapshot of the migrated schema. Built once per process (one
// bring-up, one catalog read) and shared by every generated test and by `pgparity report`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/snapshot.h"
#include "manifest/model_spec.h"
#include "manifest/project_config.h"
#include "migrate/migrations.h"

namespace pgparity::engine {

struct audit_context {
  project_config config;
  // As loaded; prepare() fills its canonical_* fields in place. One copy only: at 10,000 models
  // a manifest is ~60 MB, and the targets (made from it) and the checks read the same models.
  manifest declared;
  // The migration files (absent in command mode). In directory mode the list and hash only
  // (without_sql: 10 MB at 10,000 models, and only the migration tests apply them), which
  // engine_detail::set_of() reads again with their texts for those tests.
  std::optional<migration_set> migrations;
  snapshot db;
  // Each manifest spelling the server rejected (reported by the model's Columns/Match test).
  std::vector<canonical_error> canonical_errors;
  // Wall time of each phase of prepare(), for the run's summary line.
  double snapshot_ms = 0;
  double canonicalize_ms = 0;
  // The server and migrated database of this run (owned by the caller and alive while the
  // checks run): the probes read `template_db`, the lifecycle kinds create empty databases of
  // their own on `srv`. Null until prepare() ran.
  const migrated_run* run = nullptr;
  // `--fresh`: nothing is read from the caches (canonical forms, lifecycle outcomes).
  bool fresh = false;
};

// Loads config, manifest and migration list (input_error, exit 2, on any problem). No database.
audit_context load_inputs(const std::string& config_path);

// Reads the catalog of `run`'s migrated database once and canonicalises the manifest once
// (cached beside the migrated template), filling `ctx`; `run` must outlive the checks.
void prepare(audit_context& ctx, const migrated_run& run, bool fresh);

// The model's table is missing from the snapshot (every kind but table_exists is skipped).
bool table_missing(const audit_context& ctx, const model_spec& model);

}  // namespace pgparity::engine
