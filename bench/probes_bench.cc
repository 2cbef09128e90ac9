// Benchmark: both probe families over the project scripts/generate-schema.py generates (N
// models, default 1000: each with a foreign key ON DELETE CASCADE to an earlier model, a unique
// pair, a check, an enum, identity key), migrated into a disposable cluster. Prints wall
// times; exits 1 unless every probe passed.
//
//   probes_bench [models [connections]]
//
// With several connections the models are shared out between threads, as parallel test
// processes would.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "cluster/server.h"
#include "manifest/load_manifest.h"
#include "migrate/migrations.h"
#include "probes/probes.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pgparity;  // NOLINT: a benchmark program, not a header
  const int models = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int jobs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  const std::string project =
      (std::filesystem::temp_directory_path() / fmt::format("pgparity-probes-bench-{}", models))
          .string();
  const std::string generate = fmt::format("python3 '{}/scripts/generate-schema.py' {} '{}'",
                                           PGPARITY_SOURCE_DIR, models, project);
  if (std::system(generate.c_str()) != 0) {
    fmt::print(stderr, "probes_bench: `{}` failed\n", generate);
    return 3;
  }
  const manifest m = load_manifest(project + "/models.yaml");
  auto server = server::start_disposable();
  const std::string db = server->create_database();
  apply_up(read_migrations(project + "/migrations"), server->connection(db), 600);
  auto owned = std::make_unique<pqxx::connection>(server->connection(db).conninfo());
  pqxx::connection& conn = *owned;

  auto start = std::chrono::steady_clock::now();
  const snapshot schema = read_snapshot(conn);
  const double snapshot_seconds = seconds_since(start);

  probe_options options;
  options.models = &m;
  std::atomic<int> counts[3] = {0, 0, 0};
  std::mutex print;
  auto tally = [&](const std::vector<probe_result>& results) {
    for (const auto& r : results) {
      ++counts[static_cast<int>(r.outcome)];
      if (r.outcome != probe_outcome::passed) {
        std::lock_guard<std::mutex> lock(print);
        fmt::print("{} {}: {}\n", to_string(r.outcome), r.subject, r.message);
      }
    }
  };
  // Runs `family` over every model, model k on connection k % jobs.
  auto run_family = [&](auto family) {
    const auto family_start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j) {
      threads.emplace_back([&, j] {
        pqxx::connection own(server->connection(db).conninfo());
        for (std::size_t k = j; k < m.models.size(); k += jobs) {
          tally(family(own, m.models[k], schema, options));
        }
      });
    }
    for (auto& t : threads) t.join();
    return seconds_since(family_start);
  };
  const double cascade_seconds =
      run_family([](pqxx::connection& c, const model_spec& model, const snapshot& s,
                    const probe_options& o) { return probe_cascades(c, model, s, o); });
  const double duplicate_seconds =
      run_family([](pqxx::connection& c, const model_spec& model, const snapshot& s,
                    const probe_options& o) { return probe_duplicates(c, model, s, o); });

  fmt::print(
      "{} models, {} connection(s): read_snapshot {:.2f} s; cascade probes {:.2f} s; duplicate "
      "probes {:.2f} s; both families {:.2f} s wall; {} passed, {} failed, {} skipped\n",
      models, jobs, snapshot_seconds, cascade_seconds, duplicate_seconds,
      cascade_seconds + duplicate_seconds, counts[0].load(), counts[1].load(), counts[2].load());
  owned.reset();
  server->drop_database(db);
  std::filesystem::remove_all(project);
  return counts[1] == 0 && counts[2] == 0 ? 0 : 1;
}
