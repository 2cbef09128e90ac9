// What every check of a run reads: the config, the manifest as the server canonicalised it, the
// migration list, and one snapshot of the migrated schema. Built once per process (one
// bring-up, one catalog read) and shared by every generated test and by `pgparity report`.
#pragma once

#include <functional>
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
  // their own on `srv`. Null until prepare() ran, or, after prepare_from_caches(), until a test
  // needs it: read it through server_run().
  mutable const migrated_run* run = nullptr;
  // Set by the caller of prepare_from_caches(): brings the server up (as prepare() would have
  // found it) and returns it. Throws engine::test_error when it cannot.
  std::function<const migrated_run*()> start_server;
  // The disposable server's version, when lifecycle outcomes may be remembered ("" when not:
  // an existing server, command mode).
  std::string cacheable_server_version;
  // `--fresh`: nothing is read from the caches (canonical forms, lifecycle outcomes).
  bool fresh = false;
};

// Loads config, manifest and migration list (input_error, exit 2, on any problem). No database.
// The parsed manifest is cached (manifest/manifest_cache.h); `fresh` parses it again.
audit_context load_inputs(const std::string& config_path, bool fresh = false);

// Reads the catalog of `run`'s migrated database once and canonicalises the manifest once
// (cached beside the migrated template), filling `ctx`; `run` must outlive the checks.
void prepare(audit_context& ctx, const migrated_run& run, bool fresh);

// Without a server: fills `ctx` as prepare() would, from the catalog snapshot and canonical
// forms cached for the template a disposable run would start from, when both are there and the
// template is the one the snapshot was read from (canonical_cache.h). False (and `ctx` as it
// was) when anything is missing, with `fresh`, or when the config does not name a disposable
// server migrated from files. ctx.run stays null: set ctx.start_server.
bool prepare_from_caches(audit_context& ctx, bool fresh);

// ctx.run, started through ctx.start_server when it is not yet (null when neither is set).
const migrated_run* server_run(const audit_context& ctx);

// The model's table is missing from the snapshot (every kind but table_exists is skipped).
bool table_missing(const audit_context& ctx, const model_spec& model);

}  // namespace pgparity::engine
