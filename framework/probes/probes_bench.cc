// Benchmark: both probe families over the project scripts/generate-schema.py generates (N
// models, default 1000: each with a foreign key ON DELETE CASCADE to an earlier model, a unique
// pair, a check, an enum, identity key), migrated into a disposable cluster. Prints wall
// times; exits 1 unless every probe passed.
//
//   probes_bench [models]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <pqxx/pqxx>

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
  int counts[3] = {0, 0, 0};
  auto tally = [&counts](const std::vector<probe_result>& results) {
    for (const auto& r : results) {
      ++counts[static_cast<int>(r.outcome)];
      if (r.outcome != probe_outcome::passed) {
        fmt::print("{} {}: {}\n", to_string(r.outcome), r.subject, r.message);
      }
    }
  };
  start = std::chrono::steady_clock::now();
  for (const auto& model : m.models) tally(probe_cascades(conn, model, schema, options));
  const double cascade_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();
  for (const auto& model : m.models) tally(probe_duplicates(conn, model, schema, options));
  const double duplicate_seconds = seconds_since(start);

  fmt::print(
      "{} models: read_snapshot {:.2f} s; cascade probes {:.2f} s; duplicate probes {:.2f} s; "
      "both families {:.2f} s wall; {} passed, {} failed, {} skipped\n",
      models, snapshot_seconds, cascade_seconds, duplicate_seconds,
      cascade_seconds + duplicate_seconds, counts[0], counts[1], counts[2]);
  owned.reset();
  server->drop_database(db);
  std::filesystem::remove_all(project);
  return counts[1] == 0 && counts[2] == 0 ? 0 : 1;
}
