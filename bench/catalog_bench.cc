// Benchmark of issue 3's "catalog snapshot plus every structural check": connects to a database
// that already holds the migrated schema (e.g. the one `pgparity migrate --keep` prints), and
// times, run after run, each phase the `pgparity test` checks go through:
//
//   connect       a new libpq connection (pgparity test opens one)
//   snapshot      read_snapshot(): the bulk pg_catalog read (snapshot_exec_ms: the part of it
//                 spent waiting for its statements' results, i.e. server work and transfer)
//   canonicalize  canonicalize(): the manifest's spellings in the server's printed form, asked
//                 of the server (scratch objects in a rolled-back transaction)
//   cached        canonicalize() with the on-disk cache (canonical_cache.cc) holding the entry,
//                 as every run after the first with unchanged migrations and manifest; the
//                 entry is written (a miss) before the first run, into a private directory
//   checks        every check_* function of framework/checks over every model (and the
//                 schema-wide undeclared tables), on the canonical manifest and the snapshot
//
// Totals: `all_cached_ms` = connect + snapshot + cached + checks (what `pgparity test` does
// from its second run on); `all_uncached_ms` = connect + snapshot + canonicalize + checks.
//
//   catalog_bench --config pgparity.yaml --conninfo "host=... dbname=..." [--runs N]
//
// Prints one line per run and then the medians, as `key=value` pairs a script can read. Exits 1
// when a check reports a finding (the benchmark schema must pass every check), 2 on bad
// arguments, 3 when the database cannot be reached.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/catalog_query.h"
#include "checks/checks.h"
#include "common/error.h"
#include "engine/audit.h"
#include "engine/canonical_cache.h"
#include "manifest/load_manifest.h"
#include "manifest/project_config.h"
#include "report/report.h"

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Every check the generated suites run, over the whole manifest: the same calls as the
// harness's run_family(), without GoogleTest around them.
pgparity::findings run_all_checks(const pgparity::manifest& m, const pgparity::snapshot& db,
                                  const pgparity::reverse_drift_options& drift) {
  pgparity::engine::audit_options options;
  options.drift = drift;
  return pgparity::engine::run_audit(m, db, options);
}

struct arguments {
  std::string config;
  std::string conninfo;
  int runs = 5;
};

arguments parse(int argc, char** argv) {
  arguments args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--config" && has_value) {
      args.config = argv[++i];
    } else if (arg == "--conninfo" && has_value) {
      args.conninfo = argv[++i];
    } else if (arg == "--runs" && has_value) {
      args.runs = std::max(1, std::atoi(argv[++i]));
    } else {
      throw pgparity::input_error(
          fmt::format("catalog_bench: unexpected argument `{}`; usage: catalog_bench --config "
                      "pgparity.yaml --conninfo CONNINFO [--runs N]",
                      arg));
    }
  }
  if (args.config.empty() || args.conninfo.empty()) {
    throw pgparity::input_error("catalog_bench: --config and --conninfo are required");
  }
  return args;
}

int run(const arguments& args) {
  using namespace pgparity;  // NOLINT: a benchmark program, not a header
  auto start = clock_type::now();
  const project_config config = load_project_config(args.config);
  if (!config.manifest) throw input_error(args.config + ": no `manifest:` key");
  const manifest declared = load_manifest(*config.manifest);
  const double load_ms = ms_since(start);
  reverse_drift_options drift;
  drift.ignore_tables = config.ignore_tables;
  drift.as_error = config.reverse_drift_is_error;
  fmt::print("catalog_bench: {} model(s); manifest loaded in {:.1f} ms (not in the totals)\n",
             declared.models.size(), load_ms);

  // A private cache directory, primed once: every timed run below is a hit.
  pgparity::canonical_cache_options cache;
  cache.dir = (std::filesystem::temp_directory_path() /
               fmt::format("pgparity-catalog-bench-{}", ::getpid()))
                  .string();
  cache.database_key = "catalog_bench " + args.conninfo;
  {
    pqxx::connection conn(args.conninfo);
    start = clock_type::now();
    canonicalize(conn, declared, cache);
    fmt::print("cache entry written in {:.1f} ms (a miss; not in the totals)\n", ms_since(start));
  }

  std::map<std::string, std::vector<double>> phases;
  std::size_t finding_count = 0;
  for (int r = 0; r < args.runs; ++r) {
    start = clock_type::now();
    pqxx::connection conn(args.conninfo);
    const double connect_ms = ms_since(start);

    start = clock_type::now();
    catalog_detail::statement_counter counter;
    const snapshot db = catalog_detail::read_snapshot_counted(conn, counter);
    const double snapshot_ms = ms_since(start);

    start = clock_type::now();
    const canonical_manifest canonical = canonicalize(conn, declared);
    const double canonicalize_ms = ms_since(start);

    start = clock_type::now();
    const canonical_manifest cached = canonicalize(conn, declared, cache);
    const double cached_ms = ms_since(start);

    start = clock_type::now();
    const findings found = run_all_checks(cached.m, db, drift);
    const double checks_ms = ms_since(start);

    // The cache must answer exactly what the server does.
    const findings found_uncached = run_all_checks(canonical.m, db, drift);
    finding_count = found.size() + cached.canonical_errors.size();
    if (found_uncached.size() != found.size() ||
        canonical.canonical_errors != cached.canonical_errors) {
      fmt::print("catalog_bench: the cached canonical forms differ from the server's\n");
      ++finding_count;
    }
    const std::map<std::string, double> this_run = {
        {"connect_ms", connect_ms},
        {"snapshot_ms", snapshot_ms},
        {"snapshot_exec_ms", counter.exec_ms},
        {"canonicalize_ms", canonicalize_ms},
        {"cached_ms", cached_ms},
        {"checks_ms", checks_ms},
        {"snapshot_checks_ms", snapshot_ms + checks_ms},
        {"all_cached_ms", connect_ms + snapshot_ms + cached_ms + checks_ms},
        {"all_uncached_ms", connect_ms + snapshot_ms + canonicalize_ms + checks_ms}};
    std::string line = fmt::format("run={}", r + 1);
    for (const auto& [key, value] : this_run) {
      phases[key].push_back(value);
      line += fmt::format(" {}={:.1f}", key, value);
    }
    fmt::print("{} tables={} findings={}\n", line, db.tables().size(), finding_count);
    if (r == 0) {
      for (const auto& f : found) {
        fmt::print("  finding: {}", format_failure(f));
      }
      for (const auto& e : cached.canonical_errors) {
        fmt::print("  canonical error: {}: {}\n", e.key(), e.message);
      }
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(cache.dir, ignored);
  std::string line = fmt::format("median runs={}", args.runs);
  for (const auto& [key, values] : phases) line += fmt::format(" {}={:.1f}", key, median(values));
  fmt::print("{}\n", line);
  return finding_count == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const pgparity::input_error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 2;
  } catch (const pqxx::broken_connection& e) {
    fmt::print(stderr, "catalog_bench: cannot connect: {}\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    fmt::print(stderr, "catalog_bench: {}\n", e.what());
    return 3;
  }
}
