#include <array>
#include <string>
#include <vector>

#include "report/report.h"

namespace pgparity {
namespace {

// An inline code span that survives backticks in the text.
std::string code(const std::string& text) {
  if (text.find('`') == std::string::npos) return "`" + text + "`";
  return "`` " + text + " ``";
}

std::string or_none(const std::string& text) { return text.empty() ? "(none)" : code(text); }

constexpr std::array<check_family, 8> families = {
    check_family::table_exists,       check_family::columns_match,     check_family::enums_match,
    check_family::foreign_keys_match, check_family::indexes_match,     check_family::uniques_match,
    check_family::checks_match,       check_family::nothing_undeclared};

std::string run_line(const report_meta& meta) {
  std::vector<std::string> parts;
  if (!meta.manifest_file.empty()) {
    std::string part = "Manifest " + code(meta.manifest_file);
    if (meta.models > 0) part += " (" + std::to_string(meta.models) + " models)";
    parts.push_back(part);
  }
  if (!meta.server_version.empty()) {
    std::string part = "PostgreSQL " + meta.server_version;
    if (meta.tables > 0) part += " (" + std::to_string(meta.tables) + " tables)";
    parts.push_back(part);
  }
  if (!meta.generated_at.empty()) parts.push_back("generated " + meta.generated_at);
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " · ") + part;
  return out;
}

void summary(std::string& out, const findings& all) {
  std::size_t counts[8][2] = {};
  std::size_t totals[2] = {};
  for (const auto& f : all) {
    const auto level = f.level == severity::critical ? 0 : 1;
    ++counts[static_cast<std::size_t>(f.family)][level];
    ++totals[level];
  }
  out += "## Summary\n\n";
  out += "| Level | Count |\n|---|---|\n";
  out += "| CRITICAL | " + std::to_string(totals[0]) + " |\n";
  out += "| WARNING | " + std::to_string(totals[1]) + " |\n\n";
  if (all.empty()) {
    out += "No issues: the database matches the manifest.\n";
    return;
  }
  out += "| Check | CRITICAL | WARNING |\n|---|---|---|\n";
  for (const auto family : families) {
    const auto* count = counts[static_cast<std::size_t>(family)];
    if (count[0] + count[1] == 0) continue;
    out += std::string("| ") + family_name(family) + " | " + std::to_string(count[0]) + " | " +
           std::to_string(count[1]) + " |\n";
  }
  out += "\n";
}

void section(std::string& out, std::size_t number, const finding& f) {
  const std::string who = f.model.empty() ? f.table : f.model;
  out += "### " + std::to_string(number) + ". " + who + ": " + code(f.object) + " " + f.problem +
         "\n\n";
  if (!f.table.empty()) out += "- Table: " + code(f.table) + "\n";
  out += std::string("- Check: ") + family_name(f.family) + " (" + suite_title(f) + ")\n";
  if (!f.location.file.empty()) {
    const bool declared = f.family != check_family::nothing_undeclared;
    out +=
        std::string(declared ? "- Declared at: " : "- Manifest: ") + code(f.location.str()) + "\n";
  }
  if (!f.expected.empty() || !f.actual.empty()) {
    out += "- Expected: " + or_none(f.expected) + "\n";
    out += "- Actual: " + or_none(f.actual) + "\n";
  }
  if (!f.hint.empty()) out += "- Hint: " + f.hint + "\n";
  if (!f.fix_sql.empty()) {
    const std::string fence = f.fix_sql.find("```") == std::string::npos ? "```" : "~~~~";
    out += "\nFix:\n\n" + fence + "sql\n" + f.fix_sql + "\n" + fence + "\n";
  }
  out += "\n";
}

}  // namespace

std::string markdown_report(const findings& all, const report_meta& meta) {
  std::string out = "# " + meta.title + "\n\n";
  const std::string run = run_line(meta);
  if (!run.empty()) out += run + "\n\n";
  summary(out, all);
  std::size_t number = 0;
  for (const auto level : {severity::critical, severity::warning}) {
    bool heading = false;
    for (const auto& f : all) {
      if (f.level != level) continue;
      if (!heading) {
        out += std::string("## ") + severity_name(level) + "\n\n";
        heading = true;
      }
      section(out, ++number, f);
    }
  }
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
    out.pop_back();
  }
  return out;
}

}  // namespace pgparity
