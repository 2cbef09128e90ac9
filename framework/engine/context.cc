#include "engine/context.h"

#include <chrono>
#include <iostream>
#include <pqxx/pqxx>
#include <utility>

#include "cluster/server.h"
#include "common/error.h"
#include "engine/canonical_cache.h"
#include "manifest/load_manifest.h"
#include "manifest/manifest_cache.h"
#include "manifest/model_export.h"

namespace pgparity::engine {

audit_context load_inputs(const std::string& config_path, bool fresh) {
  audit_context ctx;
  ctx.config = load_project_config(config_path);
  if (ctx.config.models) {
    ctx.declared = load_models(*ctx.config.models, ctx.config.file, ctx.config.base_dir,
                               default_cache_dir(), fresh);
  } else if (ctx.config.manifest) {
    ctx.declared = load_manifest(*ctx.config.manifest, {default_cache_dir(), fresh});
  } else {
    throw input_error(ctx.config.file +
                      ": no declared models; add `models: {sqlalchemy: <module>:<attribute>}` "
                      "for SQLAlchemy models, or `manifest: <path to models.yaml>`");
  }
  for (const auto& note : ctx.declared.notes) std::cerr << "pgparity: note: " << note << "\n";
  ctx.migrations = read_configured_migrations(ctx.config.migrations);
  if (ctx.migrations && ctx.config.migrations.dir)
    ctx.migrations = without_sql(std::move(*ctx.migrations));
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
  canonical_manifest canonical = canonicalize_cached(conn, std::move(ctx.declared), cache);
  ctx.canonicalize_ms = ms_since(start);
  ctx.declared = std::move(canonical.m);
  ctx.canonical_errors = std::move(canonical.canonical_errors);
  ctx.run = &run;
  ctx.fresh = fresh;
  if (run.srv->is_disposable()) ctx.cacheable_server_version = run.srv->version();
}

bool prepare_from_caches(audit_context& ctx, bool fresh) {
  using clock = std::chrono::steady_clock;
  const auto ms_since = [](clock::time_point start) {
    return std::chrono::duration<double, std::milli>(clock::now() - start).count();
  };
  if (fresh || !ctx.migrations) return false;
  auto start = clock::now();
  const auto found = find_cached_template(ctx.config, *ctx.migrations);
  if (!found) return false;
  const canonical_cache_options cache = canonical_cache_for(*found);
  auto db = cached_snapshot(cache);
  if (!db) return false;
  const double snapshot_ms = ms_since(start);
  start = clock::now();
  auto canonical = cached_canonical_forms(ctx.declared, cache);
  if (!canonical) return false;
  ctx.db = std::move(*db);
  ctx.snapshot_ms = snapshot_ms;
  ctx.canonicalize_ms = ms_since(start);
  ctx.declared = std::move(canonical->m);
  ctx.canonical_errors = std::move(canonical->canonical_errors);
  ctx.cacheable_server_version = found->server_version;
  return true;
}

const migrated_run* server_run(const audit_context& ctx) {
  if (ctx.run == nullptr && ctx.start_server) ctx.run = ctx.start_server();
  return ctx.run;
}

bool table_missing(const audit_context& ctx, const model_spec& model) {
  return ctx.db.find_table(model.schema, model.table) == nullptr;
}

}  // namespace pgparity::engine
