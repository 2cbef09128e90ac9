#include "probe_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <set>
#include <thread>
#include <utility>

namespace pgparity::suites {
namespace {

using key = std::pair<harness::suite_family, std::size_t>;

std::map<key, probe_outcomes>& cache() {
  static std::map<key, probe_outcomes> instance;
  return instance;
}

// The full names ("Probes/CascadeDelete.Check/Message") of the tests this run will run, after
// --gtest_filter and sharding.
std::set<std::string> selected_tests() {
  std::set<std::string> names;
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit.total_test_suite_count(); ++i) {
    const ::testing::TestSuite& suite = *unit.GetTestSuite(i);
    for (int j = 0; j < suite.total_test_count(); ++j) {
      const ::testing::TestInfo& test = *suite.GetTestInfo(j);
      if (test.should_run()) names.insert(std::string(suite.name()) + "." + test.name());
    }
  }
  return names;
}

std::size_t probe_jobs() {
  const char* text = std::getenv("PGPARITY_PROBE_JOBS");
  const long jobs = text != nullptr ? std::strtol(text, nullptr, 10) : 2;
  return static_cast<std::size_t>(std::clamp(jobs, 1L, 16L));
}

std::vector<probe_result> run_probes(pqxx::connection& conn, const harness::suite_param& param,
                                     const harness::run_context& ctx) {
  const model_spec& model = harness::param_model(param, ctx);
  probe_options options;
  options.models = &ctx.canonical;
  return param.family == harness::suite_family::cascade_probe
             ? probe_cascades(conn, model, ctx.db, options)
             : probe_duplicates(conn, model, ctx.db, options);
}

// Runs the probes of `params` over `jobs` connections, param k on connection k % jobs. Probes on
// different connections may synthesise the same key values and deadlock on each other's unique
// index entries; a model whose probes failed that way (or for any reason) in the parallel pass is
// run again alone on a fresh connection, so only a failure that repeats is reported.
void fill(const std::vector<harness::suite_param>& params, const harness::run_context& ctx) {
  const std::string conninfo = ctx.run->srv->connection(ctx.run->template_db).conninfo();
  std::vector<probe_outcomes> out(params.size());
  std::vector<char> again(params.size(), 0);
  const std::size_t jobs = std::min(probe_jobs(), params.size());
  std::vector<std::thread> threads;
  for (std::size_t j = 0; j < jobs; ++j) {
    threads.emplace_back([&, j] {
      std::unique_ptr<pqxx::connection> conn;
      for (std::size_t k = j; k < params.size(); k += jobs) {
        try {
          if (!conn) conn = std::make_unique<pqxx::connection>(conninfo);
          out[k].results = run_probes(*conn, params[k], ctx);
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
    } catch (const std::exception& e) {
      out[k].error = std::string("the probes could not run: ") + e.what();
      alone.reset();
    }
  }
  for (std::size_t k = 0; k < params.size(); ++k) {
    cache()[{params[k].family, params[k].model_index}] = std::move(out[k]);
  }
}

}  // namespace

const probe_outcomes& probe_results(const harness::suite_param& param,
                                    const harness::run_context& ctx) {
  const key wanted{param.family, param.model_index};
  auto it = cache().find(wanted);
  if (it != cache().end()) return it->second;
  if (ctx.run == nullptr || !ctx.run->srv) {
    return cache()[wanted] = {{}, "internal: the probes ran before the database was prepared"};
  }
  // Every selected probe test whose table exists and whose results are not known yet.
  const std::set<std::string> selected = selected_tests();
  std::vector<harness::suite_param> todo = {param};
  for (harness::suite_family family : harness::probe_families()) {
    for (const auto& p : harness::registered(family)) {
      const bool same = p.family == param.family && p.model_index == param.model_index;
      if (same || cache().count({p.family, p.model_index}) > 0) continue;
      if (selected.count(p.test_name()) == 0) continue;
      if (harness::table_missing(ctx, harness::param_model(p, ctx))) continue;
      todo.push_back(p);
    }
  }
  fill(todo, ctx);
  return cache()[wanted];
}

}  // namespace pgparity::suites
