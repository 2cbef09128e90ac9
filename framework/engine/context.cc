#include "engine/context.h"

#include <chrono>
#include <iostream>
#include <pqxx/pqxx>

#include "cluster/server.h"
#include "common/error.h"
#include "engine/canonical_cache.h"
#include "manifest/load_manifest.h"
#include "manifest/model_export.h"

namespace pgparity::engine {

audit_context load_inputs(const std::string& config_path) {
  audit_context ctx;
  ctx.config = load_project_config(config_path);
  if (ctx.config.models) {
    ctx.declared =
        load_models(*ctx.config.models, ctx.config.file, ctx.config.base_dir, default_cache_dir());
  } else if (ctx.config.manifest) {
    ctx.declared = load_manifest(*ctx.config.manifest);
  } else {
    throw input_error(ctx.config.file +
                      ": no declared models; add `models: {sqlalchemy: <module>:<attribute>}` "
                      "for SQLAlchemy models, or `manifest: <path to models.yaml>`");
  }
  for (const auto& note : ctx.declared.notes) std::cerr << "pgparity: note: " << note << "\n";
  ctx.migrations = read_configured_migrations(ctx.config.migrations);
  return ctx;
}

void prepare(audit_context& ctx, const migrated_run& run, bool fresh) {
  using clock = std::chrono::steady_clock;
  const auto ms_since = [](clock::time_point start) {
    return std::chrono::duration<double, std::milli>(clock::now() - start).count();
  };
  auto start = clock::now();
  pqxx::connection conn(run.srv->connection(run.template_db).conninfo());
  const canonical_cache_options cache = canonical_cache_for(run, fresh);
  ctx.db = read_snapshot_cached(conn, cache);
  ctx.snapshot_ms = ms_since(start);
  start = clock::now();
  canonical_manifest canonical = canonicalize_cached(conn, ctx.declared, cache);
  ctx.canonicalize_ms = ms_since(start);
  ctx.canonical = std::move(canonical.m);
  ctx.canonical_errors = std::move(canonical.canonical_errors);
  ctx.run = &run;
  ctx.fresh = fresh;
}

bool table_missing(const audit_context& ctx, const model_spec& model) {
  return ctx.db.find_table(model.schema, model.table) == nullptr;
}

}  // namespace pgparity::engine
