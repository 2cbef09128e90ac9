#include <string>

#include "report/report.h"

namespace pgparity {
namespace {

std::string or_none(const std::string& text) { return text.empty() ? "(none)" : text; }

// Continuation lines of a multi-line value line up under its first line.
std::string indent_continuations(const std::string& text, std::size_t width) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(width, ' ');
  }
  return out;
}

}  // namespace

std::string format_failure(const finding& f) {
  std::string out = suite_title(f);
  out += "  ";
  if (!f.model.empty()) {
    out += f.model + " (table " + f.table + "): ";
  } else if (!f.table.empty()) {
    out += "table " + f.table + ": ";
  }
  out += f.object + " " + f.problem;
  if (f.level == severity::warning) out += " [WARNING]";
  out += "\n";
  if (!f.expected.empty() || !f.actual.empty()) {
    out += "  expected: " + indent_continuations(or_none(f.expected), 12) + "\n";
    out += "  actual:   " + indent_continuations(or_none(f.actual), 12) + "\n";
  }
  if (!f.location.file.empty()) {
    // Reverse drift has no declaration of its own: point at the model, or at the manifest.
    const char* label = "  declared at ";
    if (f.family == check_family::nothing_undeclared) {
      label = f.model.empty() ? "  manifest " : "  model declared at ";
    }
    out += label + f.location.str() + "\n";
  }
  // "did you mean ..." helps before the fix; "or declare it ..." is the alternative to it.
  const bool hint_is_alternative = f.hint.rfind("or ", 0) == 0;
  if (!f.hint.empty() && !hint_is_alternative) out += "  " + f.hint + "\n";
  if (!f.fix_sql.empty()) out += "  fix: " + indent_continuations(f.fix_sql, 7) + "\n";
  if (hint_is_alternative) out += "  " + f.hint + "\n";
  return out;
}

std::string format_findings(const findings& all) {
  std::string out;
  for (const auto& f : all) {
    if (!out.empty()) out += "\n";
    out += format_failure(f);
  }
  return out;
}

}  // namespace pgparity
