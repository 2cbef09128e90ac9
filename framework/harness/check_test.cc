#include "harness/check_test.h"

#include <iostream>

#include "report/report.h"

namespace pgparity::harness {

void check_test::SetUp() {
  const suite_param& param = GetParam();
  if (param.family == suite_family::tables_exist ||
      param.family == suite_family::undeclared_tables) {
    return;
  }
  const model_spec& m = model();
  if (table_missing(ctx(), m)) {
    suite_param exists = param;
    exists.family = suite_family::tables_exist;
    for (const auto& p : registered(suite_family::tables_exist)) {
      if (p.model_index == param.model_index) exists = p;
    }
    const std::string table = m.schema == "public" ? m.table : m.schema + "." + m.table;
    GTEST_SKIP() << "table " << table << " is missing; see " << exists.test_name();
  }
}

void check_test::expect_no_findings() {
  findings failures;
  findings warnings;
  const bool warnings_fail = ctx().config.reverse_drift_is_error;
  for (auto& f : run_family(GetParam(), ctx())) {
    const bool fails = f.level == severity::critical || warnings_fail;
    (fails ? failures : warnings).push_back(std::move(f));
  }
  if (!warnings.empty()) {
    std::cout << "[ WARNING  ] " << GetParam().test_name() << ": " << warnings.size()
              << " undeclared object(s) (reverse drift; set `undeclared: error` in the config to "
                 "fail on them)\n"
              << format_findings(warnings) << std::endl;
    // Also in the JUnit XML, so CI shows the warnings of a passing test.
    RecordProperty("pgparity_warnings", format_findings(warnings));
  }
  if (failures.empty()) return;
  // Reported at the manifest entry, so editors and CI annotations point at the declaration.
  const source_location& where = failures.front().location;
  if (where.file.empty()) {
    ADD_FAILURE() << format_findings(failures);
  } else {
    ADD_FAILURE_AT(where.file.c_str(), where.line > 0 ? where.line : -1)
        << format_findings(failures);
  }
}

}  // namespace pgparity::harness
