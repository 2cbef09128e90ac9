#include "probe_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <map>
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

// Runs the probes of `params` over `jobs` connections, param k on connection k % jobs.
void fill(const std::vector<harness::suite_param>& params, const harness::run_context& ctx) {
  const std::string conninfo = ctx.run->srv->connection(ctx.run->template_db).conninfo();
  std::vector<probe_outcomes> out(params.size());
  const std::size_t jobs = std::min(probe_jobs(), params.size());
  std::vector<std::thread> threads;
  for (std::size_t j = 0; j < jobs; ++j) {
    threads.emplace_back([&, j] {
      std::size_t k = j;
      try {
        pqxx::connection conn(conninfo);
        for (; k < params.size(); k += jobs) out[k].results = run_probes(conn, params[k], ctx);
      } catch (const std::exception& e) {
        // The connection failed: this model's and the rest of this thread's share fail.
        for (; k < params.size(); k += jobs) {
          out[k].error = std::string("the probes could not run: ") + e.what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
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
