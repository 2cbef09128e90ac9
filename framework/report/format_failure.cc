#include <string>

#include "common/sql_names.h"
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

// "UserRole (table user_roles): ", "table token_transactions: ", or "".
std::string subject(const finding& f) {
  if (!f.model.empty()) return f.model + " (table " + table_text(f) + "): ";
  if (!f.table.empty()) return "table " + table_text(f) + ": ";
  return std::string();
}

std::string list_lines(const std::vector<std::string>& items, const char* indent) {
  std::string out;
  for (const auto& item : items) out += std::string("\n") + indent + item;
  return out;
}

// Migrations/WithData: what the migration did to the rows that were there before it.
std::string with_data_text(const finding& f) {
  const difference& d = f.differs.front();
  const std::string side = d.values.empty() ? "up" : d.values[0];
  const std::string migration = "migration " + f.name + " " + f.expected + " (" + side + ")";
  const std::string hint = hint_text(f);
  const std::string fix = hint.empty() ? std::string() : "; " + hint;
  if (d.what == attribute::rows_refused) {
    return migration + " fails when the tables hold rows (it applies to empty ones): " + f.actual +
           fix;
  }
  if (d.what == attribute::rows_lost && d.values.size() >= 3) {
    return migration + " lost rows of " + table_text(f) + ": " + d.values[1] + " before, " +
           d.values[2] + " after" + fix;
  }
  if (d.values.size() >= 3) {
    return migration + " changed the values of " + table_text(f) + "." + d.values[1] +
           ", a column it does not name: " + d.values[2] + " is gone" + fix;
  }
  return migration + " " + problem_text(f);
}

// Lifecycle findings: what went wrong with which migration file, and the server's evidence.
std::string migration_text(const finding& f) {
  const std::string& file = f.location.file;
  const std::string at = file.empty() ? std::string() : file + ": ";
  const difference& d = f.differs.front();
  switch (d.what) {
    case attribute::down_missing:
      if (f.name == "all") {
        return "the migrations cannot all be rolled back: down migrations are missing; add" +
               list_lines(d.values, "  ");
      }
      return at + "migration " + f.name + " " + f.expected +
             " has no down migration, so it cannot be rolled back; add " +
             sql::join(d.values, ", ");
    case attribute::applies:
      return (d.values.empty() ? std::string("applying") : d.values.front()) +
             " failed: " + f.actual;
    case attribute::rows_refused:  // the error names file and line itself
      return with_data_text(f);
    case attribute::rows_lost:
    case attribute::values_changed:
      return at + with_data_text(f);
    case attribute::duration:
      return "applying the migrations from empty took " + f.actual +
             " s, over the migrations.max_seconds budget of " + f.expected + " s in " + file +
             "; make the slow migrations faster or raise max_seconds.";
    case attribute::rollback_leftovers:
      return "rolling every migration back left objects behind that an empty database does not "
             "have (fix the down migrations that created them):\n" +
             f.actual;
    case attribute::restores:
      return at + "rolling migration " + f.name +
             " back did not restore the schema it started from (up, then down):\n" + f.actual;
    case attribute::applies_again:
      if (f.name == "all") {
        return "up, down, up gave a different schema than the first up (the down migrations do "
               "not undo exactly what the up migrations do):\n" +
               f.actual;
      }
      return at + "migration " + f.name +
             " applied after its rollback gave a different schema than the first time (up, down, "
             "up):\n" +
             f.actual;
    default:
      return object_text(f) + " " + problem_text(f);
  }
}

// Probe findings: what the real rows showed, and the statements that showed it.
std::string probe_text(const finding& f) {
  std::string out = suite_title(f);
  out += "  " + subject(f) + f.name + ": " + f.actual + "\n";
  if (!f.statements.empty())
    out += "  statements (rolled back):" + list_lines(f.statements, "    ") + "\n";
  if (!f.location.file.empty()) out += "  declared at " + f.location.str() + "\n";
  return out;
}

}  // namespace

std::string format_failure(const finding& f) {
  if (f.object == object_kind::migration) {
    std::string out = std::string(suite_title(f)) + "  " + migration_text(f) + "\n";
    for (const auto& s : f.statements) out += "  " + indent_continuations(s, 2) + "\n";
    return out;
  }
  if (f.has(attribute::behaviour)) return probe_text(f);
  std::string out = suite_title(f);
  out += "  " + subject(f) + object_text(f) + " " + problem_text(f);
  if (f.level == severity::warning) out += " [WARNING]";
  out += "\n";
  const bool spelling = f.has(attribute::spelling);
  if (!spelling && (!f.expected.empty() || !f.actual.empty())) {
    out += "  expected: " + indent_continuations(or_none(f.expected), 12) + "\n";
    out += "  actual:   " + indent_continuations(or_none(f.actual), 12) + "\n";
  }
  if (!f.location.file.empty()) {
    // Reverse drift has no declaration of its own: point at the model, or at the manifest.
    const char* label = "  declared at ";
    if (f.kind == check_kind::undeclared_tables) label = "  manifest ";
    if (f.kind == check_kind::undeclared_objects) label = "  model declared at ";
    out += label + f.location.str() + "\n";
  }
  // "did you mean ..." helps before the fix; "or declare it ..." is the alternative to it.
  const std::string hint = hint_text(f);
  const bool alternative = hint_is_alternative(f);
  if (!hint.empty() && !alternative) out += "  " + hint + "\n";
  if (!f.fix_sql.empty()) out += "  fix: " + indent_continuations(f.fix_sql, 7) + "\n";
  if (!hint.empty() && alternative) out += "  " + hint + "\n";
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
