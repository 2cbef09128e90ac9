// Behavioural probes: real rows prove that a declared constraint also does the declared thing.
//   Probes/CascadeDelete.Check/<Model>   every foreign key with a declared on_delete / on_update
//   Probes/DuplicateInsert.Check/<Model> the primary key and every declared unique set
// The probes run on the migrated database itself, each in a transaction that is rolled back
// (probe_cache.h). check_test::SetUp skips the test when the model's table is missing.
//
// A probe that cannot build valid rows is skipped, never passed: a test whose probes were all
// skipped is skipped with their reasons; a test with some skipped probes fails or passes on the
// others, prints a SKIPPED line for each skipped one, and records them in the JUnit property
// `pgparity_skipped_probes`.
#include <iostream>
#include <sstream>

#include "harness/check_test.h"
#include "probe_cache.h"

namespace {

using pgparity::probe_outcome;
using pgparity::probe_result;

std::string describe(const probe_result& r, bool with_steps) {
  std::ostringstream out;
  out << r.subject << ": " << r.message;
  if (with_steps && !r.steps.empty()) {
    out << "\n  statements (rolled back):";
    for (const auto& step : r.steps) out << "\n    " << step;
  }
  return out.str();
}

class probe_test : public pgparity::harness::check_test {
 protected:
  void expect_probes_pass() {
    const std::string test = GetParam().test_name();
    const auto& outcomes = pgparity::suites::probe_results(GetParam(), ctx());
    if (!outcomes.error.empty()) FAIL() << outcomes.error;
    const pgparity::model_spec& m = model();
    const std::string table = m.schema == "public" ? m.table : m.schema + "." + m.table;
    std::vector<const probe_result*> skipped;
    std::size_t passed = 0;
    for (const auto& r : outcomes.results) {
      if (r.outcome == probe_outcome::passed) ++passed;
      if (r.outcome == probe_outcome::skipped) skipped.push_back(&r);
      if (r.outcome != probe_outcome::failed) continue;
      // Reported at the manifest entry of the probed key, as the checks report theirs.
      const pgparity::source_location& where = r.location.file.empty() ? m.location : r.location;
      const std::string message = "model " + m.name + " (table " + table +
                                  "): " + describe(r, true) + "\n  declared at " + where.file +
                                  ":" + std::to_string(where.line);
      if (where.file.empty()) {
        ADD_FAILURE() << message;
      } else {
        ADD_FAILURE_AT(where.file.c_str(), where.line > 0 ? where.line : -1) << message;
      }
    }
    if (outcomes.results.empty()) {
      GTEST_SKIP() << "model " << m.name << " declares nothing this probe can check";
    }
    std::string reasons;
    for (const auto* r : skipped) reasons += (reasons.empty() ? "" : "\n") + describe(*r, false);
    if (passed == 0 && skipped.size() == outcomes.results.size()) {
      GTEST_SKIP() << reasons;
    }
    if (!skipped.empty()) {
      for (const auto* r : skipped) {
        std::cout << "[ SKIPPED  ] " << test << ": " << describe(*r, false) << "\n";
      }
      std::cout.flush();
      RecordProperty("pgparity_skipped_probes", reasons);
    }
  }
};

class CascadeDelete : public probe_test {};
class DuplicateInsert : public probe_test {};

TEST_P(CascadeDelete, Check) { expect_probes_pass(); }
TEST_P(DuplicateInsert, Check) { expect_probes_pass(); }

PGPARITY_INSTANTIATE(Probes, CascadeDelete, cascade_probe);
PGPARITY_INSTANTIATE(Probes, DuplicateInsert, duplicate_probe);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CascadeDelete);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DuplicateInsert);

}  // namespace
