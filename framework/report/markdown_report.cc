#include <array>
#include <string>
#include <utility>
#include <vector>

#include "engine/kinds.h"
#include "report/report.h"

namespace pgparity {
namespace {

// An inline code span that survives backticks in the text.
std::string code(const std::string& text) {
  if (text.find('`') == std::string::npos) return "`" + text + "`";
  return "`` " + text + " ``";
}

std::string or_none(const std::string& text) { return text.empty() ? "(none)" : code(text); }

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
  // One row per display name (both undeclared kinds are "nothing undeclared"), in kind order.
  std::vector<std::pair<std::string, std::array<std::size_t, 2>>> counts;
  for (const auto& k : engine::kinds()) {
    if (counts.empty() || counts.back().first != k.display_name) {
      counts.push_back({k.display_name, {0, 0}});
    }
  }
  std::size_t totals[2] = {};
  for (const auto& f : all) {
    const auto level = f.level == severity::critical ? 0 : 1;
    for (auto& [name, count] : counts) {
      if (name == engine::info(f.kind).display_name) ++count[level];
    }
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
  for (const auto& [name, count] : counts) {
    if (count[0] + count[1] == 0) continue;
    out +=
        "| " + name + " | " + std::to_string(count[0]) + " | " + std::to_string(count[1]) + " |\n";
  }
  out += "\n";
}

// Probe and migration findings: their own text, which carries the evidence, as it is.
void evidence_section(std::string& out, std::size_t number, const finding& f) {
  const std::string who = f.model.empty() ? object_text(f) : f.model;
  out += "### " + std::to_string(number) + ". " + who + ": " + engine::info(f.kind).display_name +
         " failed\n\n";
  out +=
      std::string("- Check: ") + engine::info(f.kind).display_name + " (" + suite_title(f) + ")\n";
  if (!f.location.file.empty()) out += "- Declared at: " + code(f.location.str()) + "\n";
  const std::string text = format_failure(f);
  const std::string fence = text.find("```") == std::string::npos ? "```" : "~~~~";
  out += "\n" + fence + "\n" + text + fence + "\n\n";
}

void section(std::string& out, std::size_t number, const finding& f) {
  if (f.object == object_kind::migration || f.has(attribute::behaviour)) {
    evidence_section(out, number, f);
    return;
  }
  const std::string table = table_text(f);
  const std::string who = f.model.empty() ? table : f.model;
  out += "### " + std::to_string(number) + ". " + who + ": " + code(object_text(f)) + " " +
         problem_text(f) + "\n\n";
  if (!table.empty()) out += "- Table: " + code(table) + "\n";
  out +=
      std::string("- Check: ") + engine::info(f.kind).display_name + " (" + suite_title(f) + ")\n";
  if (!f.location.file.empty()) {
    const bool declared =
        f.kind != check_kind::undeclared_objects && f.kind != check_kind::undeclared_tables;
    out +=
        std::string(declared ? "- Declared at: " : "- Manifest: ") + code(f.location.str()) + "\n";
  }
  if (!f.expected.empty() || !f.actual.empty()) {
    out += "- Expected: " + or_none(f.expected) + "\n";
    out += "- Actual: " + or_none(f.actual) + "\n";
  }
  if (const std::string hint = hint_text(f); !hint.empty()) out += "- Hint: " + hint + "\n";
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
