// The fixture every generated check test derives from. A test body is one line:
// `expect_no_findings();` runs the parameter's check against the run's snapshot and turns
// CRITICAL findings into a failure whose message is the report's formatted findings.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "checks/finding.h"
#include "harness/run_context.h"
#include "harness/suite_params.h"

namespace pgparity::harness {

class check_test : public ::testing::TestWithParam<suite_param> {
 protected:
  // Skips the test when the model's table is missing: its Tables/Exists test says so already,
  // and every other family would only repeat it.
  void SetUp() override;

  const run_context& ctx() const { return current_context(); }
  const model_spec& model() const { return param_model(GetParam(), ctx()); }

  // Runs the parameter's check; CRITICAL findings fail the test, WARNING findings (reverse
  // drift, unless configured as an error) are printed and the test passes.
  void expect_no_findings();
};

// The parameter name generator of every INSTANTIATE_TEST_SUITE_P in suites/.
struct param_name {
  std::string operator()(const ::testing::TestParamInfo<suite_param>& info) const {
    return info.param.name;
  }
};

}  // namespace pgparity::harness

// Instantiates one generated suite for every registered parameter of `family`.
#define PGPARITY_INSTANTIATE(prefix, suite, family)                             \
  INSTANTIATE_TEST_SUITE_P(prefix, suite,                                       \
                           ::testing::ValuesIn(::pgparity::harness::registered( \
                               ::pgparity::harness::suite_family::family)),     \
                           ::pgparity::harness::param_name())
