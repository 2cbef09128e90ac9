// The probe kinds: their results computed ahead for every planned probe target (tests run one
// after another, so the probes of all planned models run at the first probe target, shared out
// over a few connections to the migrated database in parallel threads), and turned into
// findings. Probes roll back, so the database stays as migrated.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <memory>
#include <pqxx/pqxx>
#include <thread>

#include "common/error.h"
#include "common/progress.h"
#include "common/sql_names.h"
#include "engine/kinds.h"
#include "engine/session_state.h"

namespace pgparity::engine {
namespace {

std::size_t probe_jobs() {
  const char* text = std::getenv("PGPARITY_PROBE_JOBS");
  const long jobs = text != nullptr ? std::strtol(text, nullptr, 10) : 2;
  return static_cast<std::size_t>(std::clamp(jobs, 1L, 16L));
}

std::vector<probe_result> run_probes(pqxx::connection& conn, const target& param,
                                     const audit_context& ctx) {
  const model_spec& model = ctx.declared.models.at(param.index);
  probe_options options;
  options.models = &ctx.declared;
  options.statement_timeout_ms = std::max(1L, std::lround(ctx.config.probe_timeout_seconds * 1000));
  return param.kind == check_kind::cascade_probe ? probe_cascades(conn, model, ctx.db, options)
                                                 : probe_duplicates(conn, model, ctx.db, options);
}

// Runs the probes of `params` over `jobs` connections, param k on connection k % jobs. Probes on
// different connections may synthesise the same key values and deadlock on each other's unique
// index entries; a model whose probes failed that way (or for any reason) in the parallel pass is
// run again alone on a fresh connection, so only a failure that repeats is reported.
}  // namespace

void run_probes_ahead(const std::vector<target>& params, const audit_context& ctx,
                      std::map<std::pair<check_kind, std::size_t>, probe_outcomes>& cache) {
  const migrated_run& run = *server_run(ctx);
  const std::string conninfo = run.srv->connection(run.template_db).conninfo();
  std::vector<probe_outcomes> out(params.size());
  std::vector<char> again(params.size(), 0);
  const std::size_t jobs = std::min(probe_jobs(), params.size());
  std::vector<std::thread> threads;
  progress shown("probing");
  std::atomic<std::size_t> started{0};
  for (std::size_t j = 0; j < jobs; ++j) {
    threads.emplace_back([&, j] {
      std::unique_ptr<pqxx::connection> conn;
      for (std::size_t k = j; k < params.size(); k += jobs) {
        shown.at(++started, params.size(), params[k].name);
        try {
          if (!conn) conn = std::make_unique<pqxx::connection>(conninfo);
          out[k].results = run_probes(*conn, params[k], ctx);
        } catch (const probe_timeout& e) {
          out[k].timeout = e.what();  // not run again: it would only wait as long once more
        } catch (const std::exception&) {
          again[k] = 1;
          conn.reset();  // it may be broken; the next model opens a new one
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::unique_ptr<pqxx::connection> alone;
  for (std::size_t k = 0; k < params.size(); ++k) {
    if (again[k] == 0) continue;
    try {
      if (!alone) alone = std::make_unique<pqxx::connection>(conninfo);
      out[k].results = run_probes(*alone, params[k], ctx);
    } catch (const probe_timeout& e) {
      out[k].timeout = e.what();
    } catch (const std::exception& e) {
      out[k].error = std::string("the probes could not run: ") + e.what();
      alone.reset();
    }
  }
  for (std::size_t k = 0; k < params.size(); ++k) {
    cache[{params[k].kind, params[k].index}] = std::move(out[k]);
  }
}

namespace {

object_kind probed_object(check_kind kind) {
  return kind == check_kind::cascade_probe ? object_kind::foreign_key : object_kind::unique;
}

// A failed probe: what it observed, against what the model declares, with what it ran.
finding probe_finding(const target& t, const model_spec& model, const probe_result& r) {
  finding f = make_finding(t.kind, probed_object(t.kind), model.schema, model.table, r.subject);
  f.model = model.name;
  f.differs = {attribute::behaviour};
  f.actual = r.message;
  f.statements = r.steps;
  f.location = r.location.file.empty() ? model.location : r.location;
  return f;
}

const probe_outcomes& probe_outcomes_of(const target& t, session& s) {
  auto& state = s.internals();
  const auto key = std::make_pair(t.kind, t.index);
  if (auto it = state.probes.find(key); it != state.probes.end()) return it->second;
  const audit_context& ctx = s.ctx();
  if (const migrated_run* run = server_run(ctx); run == nullptr || !run->srv) {
    return state.probes[key] = {
               {}, "internal: the probes ran before the database was prepared", {}};
  }
  // Every planned probe target whose table exists and whose results are not known yet.
  std::vector<target> todo = {t};
  const auto consider = [&](const target& p) {
    if (info(p.kind).group != group::probe) return;
    if ((p.kind == t.kind && p.index == t.index) || state.probes.count({p.kind, p.index}) > 0) {
      return;
    }
    if (table_missing(ctx, ctx.declared.models.at(p.index))) return;
    todo.push_back(p);
  };
  if (state.has_plan) {
    for (const auto& p : state.planned) consider(p);
  } else {
    for (check_kind kind : kinds_in(group::probe)) {
      for (const auto& p : s.targets(kind)) consider(p);
    }
  }
  run_probes_ahead(todo, ctx, state.probes);
  return state.probes[key];
}

std::string describe(const probe_result& r) { return r.subject + ": " + r.message; }

}  // namespace

outcome run_probe(const target& t, session& s) {
  outcome o;
  o.skipped = missing_table_reason(t, s);
  if (!o.skipped.empty()) return o;
  const model_spec& model = s.ctx().declared.models.at(t.index);
  const probe_outcomes& outcomes = probe_outcomes_of(t, s);
  if (!outcomes.timeout.empty()) {
    throw test_error(t.test_name() + ": the probe's " + outcomes.timeout +
                     "; a trigger, rule or lock on " + model.table +
                     " is slow or stuck (or raise `probe_timeout_seconds` in the config, "
                     "now " +
                     fmt::format("{:g}", s.ctx().config.probe_timeout_seconds) + ")");
  }
  if (!outcomes.error.empty()) {
    probe_result failed;
    failed.subject = "model " + model.name;
    failed.message = outcomes.error;
    o.found.push_back(probe_finding(t, model, failed));
    return o;
  }
  if (outcomes.results.empty()) {
    o.skipped = "model " + model.name + " declares nothing this probe can check";
    return o;
  }
  std::size_t passed = 0;
  for (const auto& r : outcomes.results) {
    if (r.outcome == probe_outcome::passed) ++passed;
    if (r.outcome == probe_outcome::skipped) o.skipped_parts.push_back(describe(r));
    if (r.outcome == probe_outcome::failed) o.found.push_back(probe_finding(t, model, r));
  }
  // All skipped: the test observed nothing, so it is skipped with every reason.
  if (passed == 0 && o.found.empty()) {
    std::string reasons;
    for (const auto& part : o.skipped_parts) reasons += (reasons.empty() ? "" : "\n") + part;
    o.skipped = reasons;
    o.skipped_parts.clear();
  }
  return o;
}

}  // namespace pgparity::engine
