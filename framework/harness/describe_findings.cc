// Interim formatting until framework/report lands; replaced by report's format_findings.
#include <sstream>

#include "harness/check_test.h"

namespace pgparity::harness {

std::string describe_findings(const findings& all) {
  std::ostringstream out;
  for (const auto& f : all) {
    out << (f.level == severity::critical ? "CRITICAL" : "WARNING") << " " << f.model << " ("
        << f.table << "): " << f.object << " " << f.problem << "\n";
    if (!f.expected.empty()) out << "  expected: " << f.expected << "\n";
    if (!f.actual.empty()) out << "  actual:   " << f.actual << "\n";
    if (!f.hint.empty()) out << "  hint: " << f.hint << "\n";
    if (!f.location.file.empty()) out << "  declared at " << f.location.str() << "\n";
    if (!f.fix_sql.empty()) out << "  fix: " << f.fix_sql << "\n";
  }
  return out.str();
}

}  // namespace pgparity::harness
