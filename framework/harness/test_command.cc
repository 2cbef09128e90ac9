#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>

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

}  // namespace

int run_test(const command_line& cl, const char* argv0) {
  // Config and manifest first: a bad manifest is exit 2 before GoogleTest or a database.
  engine::audit_context ctx = engine::load_inputs(cl.config);

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

  using clock = std::chrono::steady_clock;
  const auto started = clock::now();
  const migrated_run run = attach_or_bring_up(ctx.config, cl.fresh).run;
  const double bring_up_ms =
      std::chrono::duration<double, std::milli>(clock::now() - started).count();
  engine::prepare(ctx, run, cl.fresh);
  // Registered after prepare(): the catalog read's peak (the cached snapshot's text beside the
  // snapshot it becomes) then does not add to the tests (80,001 at 10,000 models, ~50 MB).
  register_tests(ctx);
  std::cout << fmt::format(
                   "pgparity: {} model(s), {} table(s); database ready in {:.0f} ms ({}), "
                   "catalog read in {:.0f} ms, manifest canonicalised in {:.0f} ms",
                   ctx.declared.models.size(), ctx.db.tables().size(), bring_up_ms,
                   run.from_cache ? "template cache" : "migrations applied", ctx.snapshot_ms,
                   ctx.canonicalize_ms)
            << std::endl;
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
