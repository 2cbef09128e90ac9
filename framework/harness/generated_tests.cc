#include "harness/generated_tests.h"

#include <gtest/gtest.h>

#include <deque>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "engine/kinds.h"
#include "report/report.h"

namespace pgparity::harness {
namespace {

engine::session*& current_session() {
  static engine::session* instance = nullptr;
  return instance;
}

std::string& first_test_error() {
  static std::string message;
  return message;
}

struct registered_test {
  const ::testing::TestInfo* info = nullptr;
  engine::target target;
};

// Every registered test with its target, in registration order: the one copy of each target
// (80,001 tests at 10,000 models), which the test's factory and the plan refer to. A deque, so
// that registering more never moves the ones before.
std::deque<registered_test>& registered() {
  static std::deque<registered_test> instance;
  return instance;
}

// The targets this run will run, after --gtest_filter and sharding: known only once
// RUN_ALL_TESTS has filtered, so the first test plans them. Only the probe kinds plan ahead
// (session::plan), so only their targets are collected.
void plan_selected(engine::session& s) {
  static engine::session* planned_for = nullptr;
  if (planned_for == &s) return;
  planned_for = &s;
  std::vector<engine::target> selected;
  for (const auto& r : registered()) {
    if (r.info->should_run() && engine::info(r.target.kind).group == engine::group::probe) {
      selected.push_back(r.target);
    }
  }
  s.plan(selected);
}

void report_warnings(const std::string& test, const findings& warnings) {
  if (warnings.empty()) return;
  std::cout << "[ WARNING  ] " << test << ": " << warnings.size()
            << " undeclared object(s) (reverse drift; set `undeclared: error` in the config to "
               "fail on them)\n"
            << format_findings(warnings) << std::endl;
  // Also in the JUnit XML, so CI shows the warnings of a passing test.
  ::testing::Test::RecordProperty("pgparity_warnings", format_findings(warnings));
}

void report_skipped_parts(const std::string& test, const std::vector<std::string>& parts) {
  if (parts.empty()) return;
  std::string reasons;
  for (const auto& part : parts) {
    std::cout << "[ SKIPPED  ] " << test << ": " << part << "\n";
    reasons += (reasons.empty() ? "" : "\n") + part;
  }
  std::cout.flush();
  ::testing::Test::RecordProperty("pgparity_skipped_probes", reasons);
}

class generated_test : public ::testing::Test {
 public:
  explicit generated_test(const engine::target& t) : target_(t) {}

  void TestBody() override {
    engine::session* s = current_session();
    if (s == nullptr) GTEST_FAIL() << "internal: the checks ran before the database was prepared";
    plan_selected(*s);
    engine::outcome o;
    try {
      o = s->run(target_);
    } catch (const engine::test_error& e) {
      if (first_test_error().empty()) first_test_error() = e.what();
      GTEST_FAIL() << "error: this test could not run (not a schema finding): " << e.what();
    }
    if (!o.note.empty()) std::cout << o.note << std::endl;
    if (!o.skipped.empty()) GTEST_SKIP() << o.skipped;
    report_skipped_parts(target_.test_name(), o.skipped_parts);
    expect_no_failures(o.found, s->ctx().config.reverse_drift_is_error);
  }

 private:
  // CRITICAL findings fail the test; WARNING findings (reverse drift, unless configured as an
  // error) are printed and the test passes.
  void expect_no_failures(const findings& found, bool warnings_fail) {
    findings failures;
    findings warnings;
    for (const auto& f : found) {
      (f.level == severity::critical || warnings_fail ? failures : warnings).push_back(f);
    }
    report_warnings(target_.test_name(), warnings);
    if (failures.empty()) return;
    // Reported at the declaration, so editors and CI annotations point at it.
    const source_location& where = failures.front().location;
    if (where.file.empty()) {
      ADD_FAILURE() << format_findings(failures);
    } else {
      ADD_FAILURE_AT(where.file.c_str(), where.line > 0 ? where.line : -1)
          << format_findings(failures);
    }
  }

  const engine::target& target_;  // in registered(), which outlives every test
};

std::vector<engine::target> targets_of(check_kind kind, const engine::audit_context& ctx) {
  if (engine::info(kind).group == engine::group::lifecycle) {
    return engine::lifecycle_targets(kind, ctx.config.migrations,
                                     ctx.migrations ? &*ctx.migrations : nullptr);
  }
  return engine::model_targets(kind, ctx.declared);
}

}  // namespace

void register_tests(const engine::audit_context& ctx) {
  for (const auto& k : engine::kinds()) {
    for (auto& t : targets_of(k.kind, ctx)) {
      const std::string name = "Check/" + t.name;
      registered_test& r = registered().emplace_back();
      r.target = std::move(t);
      r.info = ::testing::RegisterTest(
          k.suite_title, name.c_str(), nullptr, r.target.name.c_str(), __FILE__, __LINE__,
          [&r]() -> ::testing::Test* { return new generated_test(r.target); });
    }
  }
}

void set_current_session(engine::session* s) { current_session() = s; }

std::string test_error_of_run() { return first_test_error(); }

}  // namespace pgparity::harness
