#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "harness/commands.h"
#include "harness/run_context.h"
#include "harness/suite_params.h"

namespace pgparity::harness {
namespace {

bool has_prefix(const std::vector<std::string>& args, const std::string& prefix) {
  return std::any_of(args.begin(), args.end(),
                     [&](const std::string& a) { return a.rfind(prefix, 0) == 0; });
}

}  // namespace

int run_test(const command_line& cl, const char* argv0) {
  // Config and manifest first: a bad manifest is exit 2 before GoogleTest or a database.
  run_context ctx = load_inputs(cl.config);
  register_manifest(ctx.declared);
  register_migrations(ctx.config);

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
    return RUN_ALL_TESTS() == 0 ? 0 : 1;
  }

  migrated_run run = prepare_database(ctx, cl.fresh);
  std::cout << fmt::format(
                   "pgparity: {} model(s), {} table(s); database ready in {:.0f} ms ({}), "
                   "catalog read in {:.0f} ms, manifest canonicalised in {:.0f} ms",
                   ctx.declared.models.size(), ctx.db.tables().size(), ctx.bring_up_ms,
                   run.from_cache ? "template cache" : "migrations applied", ctx.snapshot_ms,
                   ctx.canonicalize_ms)
            << std::endl;
  ctx.run = &run;
  set_current_context(std::move(ctx));
  return RUN_ALL_TESTS() == 0 ? 0 : 1;
}

}  // namespace pgparity::harness
