#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>

#include "engine/audit.h"
#include "harness/commands.h"
#include "harness/generated_tests.h"
#include "harness/shared_cluster.h"

namespace pgparity::harness {
namespace {

bool has_prefix(const std::vector<std::string>& args, const std::string& prefix) {
  return std::any_of(args.begin(), args.end(),
                     [&](const std::string& a) { return a.rfind(prefix, 0) == 0; });
}

const char* how_ready(const migrated_run& run) {
  return run.from_cache ? "template cache" : "migrations applied";
}

// attach_or_bring_up() into `run`; its wall time in ms.
double bring_up_timed(const project_config& config, bool fresh, std::optional<migrated_run>& run) {
  using clock = std::chrono::steady_clock;
  const auto started = clock::now();
  run = attach_or_bring_up(config, fresh).run;
  return std::chrono::duration<double, std::milli>(clock::now() - started).count();
}

// The server of a run prepared from the caches, brought up when the first test needs it (a
// probe, a lifecycle test not remembered): a failure fails that test and every later one that
// needs it, and the run exits 3 with its message, as when it happens before the tests.
std::function<const migrated_run*()> start_on_demand(const project_config& config,
                                                     std::optional<migrated_run>& run) {
  auto failed = std::make_shared<std::string>();
  return [&config, &run, failed]() -> const migrated_run* {
    if (run) return &*run;
    if (!failed->empty()) throw engine::test_error(*failed);
    try {
      const double ms = bring_up_timed(config, false, run);
      std::cout << fmt::format(
                       "pgparity: database ready in {:.0f} ms ({}) for the tests that "
                       "need it",
                       ms, how_ready(*run))
                << std::endl;
      return &*run;
    } catch (const environment_error& e) {
      *failed = e.what();
      throw engine::test_error(*failed);
    }
  };
}

}  // namespace

int run_test(const command_line& cl, const char* argv0) {
  // Config and manifest first: a bad manifest is exit 2 before GoogleTest or a database.
  engine::audit_context ctx = engine::load_inputs(cl.config, cl.fresh);

  std::vector<std::string> args = {argv0};
  args.insert(args.end(), cl.gtest_args.begin(), cl.gtest_args.end());
  const bool output_given =
      has_prefix(cl.gtest_args, "--gtest_output") || std::getenv("GTEST_OUTPUT") != nullptr;
  if (!output_given && ctx.config.junit_xml) {
    args.push_back("--gtest_output=xml:" + *ctx.config.junit_xml);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  ::testing::InitGoogleTest(&argc, argv.data());

  // Listing (or GoogleTest's help) runs no test: never touch a database for it.
  if (GTEST_FLAG_GET(list_tests) || has_prefix(cl.gtest_args, "--gtest_help")) {
    register_tests(ctx);
    return RUN_ALL_TESTS() == 0 ? 0 : 1;
  }

  // Destroyed last: the server stops after the tests.
  std::optional<migrated_run> run;
  if (!attach_state_file() && engine::prepare_from_caches(ctx, cl.fresh)) {
    ctx.start_server = start_on_demand(ctx.config, run);
    std::cout << fmt::format(
                     "pgparity: {} model(s), {} table(s); database not started (catalog snapshot "
                     "and canonical forms of the template cache; started if a test needs it), "
                     "catalog read in {:.0f} ms, manifest canonicalised in {:.0f} ms",
                     ctx.declared.models.size(), ctx.db.tables().size(), ctx.snapshot_ms,
                     ctx.canonicalize_ms)
              << std::endl;
  } else {
    const double bring_up_ms = bring_up_timed(ctx.config, cl.fresh, run);
    engine::prepare(ctx, *run, cl.fresh);
    std::cout << fmt::format(
                     "pgparity: {} model(s), {} table(s); database ready in {:.0f} ms ({}), "
                     "catalog read in {:.0f} ms, manifest canonicalised in {:.0f} ms",
                     ctx.declared.models.size(), ctx.db.tables().size(), bring_up_ms,
                     how_ready(*run), ctx.snapshot_ms, ctx.canonicalize_ms)
              << std::endl;
  }
  // Registered after the catalog read: its peak (the cached snapshot's text beside the snapshot
  // it becomes) then does not add to the tests' (80,001 at 10,000 models, ~50 MB).
  register_tests(ctx);
  engine::session session(ctx);
  set_current_session(&session);
  const int result = RUN_ALL_TESTS();
  set_current_session(nullptr);
  if (const std::string error = test_error_of_run(); !error.empty()) {
    throw environment_error(error);
  }
  return result == 0 ? 0 : 1;
}

}  // namespace pgparity::harness
