#include "harness/run_context.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <pqxx/pqxx>

#include "catalog/catalog.h"
#include "checks/checks.h"
#include "common/error.h"
#include "harness/shared_cluster.h"
#include "manifest/load_manifest.h"

namespace pgparity::harness {
namespace {

std::optional<run_context>& context_slot() {
  static std::optional<run_context> slot;
  return slot;
}

std::string display_table(const model_spec& model) {
  return model.schema == "public" || model.schema.empty() ? model.table
                                                          : model.schema + "." + model.table;
}

reverse_drift_options drift_options(const run_context& ctx) {
  reverse_drift_options options;
  options.ignore_tables = ctx.config.ignore_tables;
  options.as_error = ctx.config.reverse_drift_is_error;
  return options;
}

// The table a finding names belongs to `schema` (findings name non-public tables qualified).
bool in_schema(const finding& f, const std::string& schema) {
  const auto dot = f.table.find('.');
  if (dot == std::string::npos) return schema == "public";
  return f.table.compare(0, dot, schema) == 0;
}

// A manifest spelling the server rejected: the columns test of the model fails with the
// server's own message, since nothing it names can be compared.
findings canonical_error_findings(const model_spec& model, const run_context& ctx) {
  findings out;
  const auto it = ctx.canonical_errors.find(model.name);
  if (it == ctx.canonical_errors.end()) return out;
  for (const auto& [object, message] : it->second) {
    finding f;
    f.family = check_family::columns_match;
    f.model = model.name;
    f.table = display_table(model);
    f.object = object.empty() ? "a declaration" : object;
    f.problem = "cannot be checked: PostgreSQL rejects its spelling: " + message;
    f.hint = "write it as PostgreSQL accepts it (as in CREATE TABLE)";
    f.location = model.location;
    // Point at the column when the object is one.
    if (object.rfind("column ", 0) == 0) {
      if (const column_spec* c = model.find_column(object.substr(7))) f.location = c->location;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

run_context load_inputs(const std::string& config_path) {
  run_context ctx;
  ctx.config = load_project_config(config_path);
  if (!ctx.config.manifest) {
    throw input_error(ctx.config.file +
                      ": no `manifest:` key; add `manifest: <path to models.yaml>` to it");
  }
  ctx.declared = load_manifest(*ctx.config.manifest);
  ctx.canonical = ctx.declared;
  return ctx;
}

migrated_run prepare_database(run_context& ctx, bool fresh) {
  using clock = std::chrono::steady_clock;
  const auto ms_since = [](clock::time_point start) {
    return std::chrono::duration<double, std::milli>(clock::now() - start).count();
  };
  auto start = clock::now();
  migrated_run run = attach_or_bring_up(ctx.config, fresh).run;  // PGPARITY_ATTACH: shared
  ctx.bring_up_ms = ms_since(start);
  start = clock::now();
  pqxx::connection conn(run.srv->connection(run.template_db).conninfo());
  ctx.db = read_snapshot(conn);
  ctx.snapshot_ms = ms_since(start);
  start = clock::now();
  // Cached on disk beside the migrated template: an unchanged project skips the server round trips.
  canonical_manifest canonical = canonicalize(conn, ctx.declared, canonical_cache_for(run, fresh));
  ctx.canonicalize_ms = ms_since(start);
  ctx.canonical = std::move(canonical.m);
  ctx.canonical_errors.clear();
  for (const auto& [key, message] : canonical.canonical_errors) {
    // Keys are "<model>.<object>"; a model name may itself contain dots, so match whole names.
    std::string model = key.substr(0, key.find('.'));
    for (const auto& m : ctx.declared.models) {
      if (key.compare(0, m.name.size() + 1, m.name + ".") == 0) model = m.name;
    }
    const std::string object = key.size() > model.size() + 1 ? key.substr(model.size() + 1) : "";
    ctx.canonical_errors[model].emplace_back(object, message);
  }
  return run;
}

void set_current_context(run_context ctx) { context_slot() = std::move(ctx); }

const run_context& current_context() {
  if (!context_slot()) {
    throw environment_error("internal: the checks ran before the database was prepared");
  }
  return *context_slot();
}

bool has_current_context() { return context_slot().has_value(); }

bool table_missing(const run_context& ctx, const model_spec& model) {
  return ctx.db.find_table(model.schema, model.table) == nullptr;
}

const model_spec& param_model(const suite_param& param, const run_context& ctx) {
  return ctx.canonical.models.at(param.model_index);
}

findings run_family(const suite_param& param, const run_context& ctx) {
  if (param.family == suite_family::undeclared_tables) {
    findings all = check_undeclared_tables(ctx.canonical, ctx.db, drift_options(ctx));
    const auto schemas = manifest_schemas(ctx.canonical);
    findings mine;
    for (auto& f : all) {
      // Findings in a schema no test covers go to the first schema's test: never lost.
      bool covered = false;
      for (const auto& s : schemas) covered = covered || in_schema(f, s);
      if (in_schema(f, param.schema) || (!covered && param.schema == schemas.front())) {
        mine.push_back(std::move(f));
      }
    }
    return mine;
  }
  const model_spec& model = param_model(param, ctx);
  switch (param.family) {
    case suite_family::tables_exist:
      return check_table_exists(model, ctx.canonical, ctx.db);  // fix SQL creates missing enums too
    case suite_family::columns_match: {
      findings out = canonical_error_findings(model, ctx);
      // A rejected spelling was compared as written; its "differs" finding (and fix SQL with
      // the misspelling in it) would only mislead.
      for (auto& f : check_columns(model, ctx.db)) {
        const bool rejected = std::any_of(out.begin(), out.end(),
                                          [&](const finding& e) { return e.object == f.object; });
        if (!rejected) out.push_back(std::move(f));
      }
      return out;
    }
    case suite_family::enums_match:
      return check_enums(model, ctx.canonical, ctx.db);
    case suite_family::foreign_keys_match:
      return check_foreign_keys(model, ctx.db);
    case suite_family::indexes_match:
      return check_indexes(model, ctx.db);
    case suite_family::uniques_match:
      return check_uniques(model, ctx.db);
    case suite_family::checks_match:
      return check_checks(model, ctx.db);
    case suite_family::undeclared_objects:
      return check_undeclared(model, ctx.db, drift_options(ctx));
    case suite_family::undeclared_tables:
    // Probes and lifecycle tests report behaviour, not findings (suites/probes.cc,
    // suites/migrations.cc).
    case suite_family::cascade_probe:
    case suite_family::duplicate_probe:
    case suite_family::migrations_apply:
    case suite_family::migrations_round_trip:
    case suite_family::migrations_step:
      break;
  }
  return {};
}

}  // namespace pgparity::harness

namespace pgparity::harness {

findings collect_findings(const run_context& ctx) {
  findings all;
  for (suite_family family : all_suite_families()) {
    for (const auto& param : params_for(family, ctx.declared)) {
      const bool per_model =
          family != suite_family::tables_exist && family != suite_family::undeclared_tables;
      if (per_model && table_missing(ctx, param_model(param, ctx))) continue;
      for (auto& f : run_family(param, ctx)) all.push_back(std::move(f));
    }
  }
  return all;
}

}  // namespace pgparity::harness
