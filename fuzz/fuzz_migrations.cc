// libFuzzer harness of the migration-file readers (docs/fuzzing.md). Each input is a folder of
// migrations written as text (the seeds in corpus/migrations show it):
//
//   layout: dbmate            <- optional first line: force a layout, as migrations.layout does
//   === 20240115093000_create_users.sql
//   -- migrate:up
//   ...
//   === 0001_x/up.sql         <- one level of subfolder (diesel, prisma)
//
// The files are written to a private folder and read with read_migrations(); every file, and
// every step's up and down SQL, also goes through the SQL text helpers that applying uses
// (statement splitting, sections, no-transaction detection, error-position mapping). An
// input_error is the documented outcome of a bad folder; other exceptions escape to libFuzzer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "fuzz_support.h"
#include "migrate/migrations.h"
#include "migrate/sql_sections.h"
#include "migrate/sql_text.h"

namespace {

namespace fs = std::filesystem;
namespace detail = pgparity::migrate_detail;

struct folder_text {
  std::optional<pgparity::migration_layout> layout;
  std::vector<std::pair<std::string, std::string>> files;  // relative name, contents
};

// A name the harness may create: at most one `/`, no empty, `.` or `..` part, no NUL, short.
bool usable_name(const std::string& name) {
  if (name.empty() || name.size() > 120 || name.find('\0') != std::string::npos) return false;
  if (std::count(name.begin(), name.end(), '/') > 1) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    const std::string part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

folder_text parse_folder_text(const std::string& text) {
  folder_text out;
  std::size_t at = 0;
  if (text.rfind("layout: ", 0) == 0) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    out.layout = pgparity::layout_named(text.substr(8, end - 8));
    at = end + 1;
  }
  const std::string marker = "=== ";
  at = text.find(marker, at);
  while (at != std::string::npos && out.files.size() < 32) {
    const std::size_t name_end = std::min(text.find('\n', at), text.size());
    const std::string name = text.substr(at + marker.size(), name_end - at - marker.size());
    const std::size_t body = std::min(name_end + 1, text.size());
    std::size_t next = text.find("\n" + marker, body);
    const std::size_t body_end = next == std::string::npos ? text.size() : next + 1;
    if (usable_name(name)) out.files.emplace_back(name, text.substr(body, body_end - body));
    at = next == std::string::npos ? next : next + 1;
  }
  return out;
}

void write_folder(const fs::path& dir, const folder_text& folder) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  for (const auto& [name, contents] : folder.files) {
    const fs::path path = dir / name;
    if (name.find('/') != std::string::npos) {
      fs::create_directories(path.parent_path(), ec);
      if (ec) continue;  // the folder's name is a file already
    }
    if (fs::is_directory(path, ec)) continue;  // the file's name is a folder already
    pgparity::fuzz::write_file(path, contents);
  }
}

// The statement splitter's ranges lie in the script, in order, without overlap; their lines
// are lines of the script.
void check_statements(const std::string& sql) {
  std::size_t previous_end = 0;
  const int lines = 1 + static_cast<int>(std::count(sql.begin(), sql.end(), '\n'));
  for (const auto& statement : detail::split_statements(sql)) {
    PGPARITY_FUZZ_ASSERT(statement.begin >= previous_end);
    PGPARITY_FUZZ_ASSERT(statement.begin <= statement.end && statement.end <= sql.size());
    previous_end = statement.end;
    const int line = detail::line_of_offset(sql, statement.begin, 7);
    PGPARITY_FUZZ_ASSERT(line >= 7 && line < 7 + lines);
    for (const bool utf8 : {true, false}) {
      const int position = static_cast<int>(statement.end - statement.begin) + 1;
      PGPARITY_FUZZ_ASSERT(detail::offset_of_position(sql, statement.begin, position, utf8) <=
                           sql.size());
    }
  }
  detail::is_blank_sql(sql);
  detail::has_no_transaction_marker(sql);
  detail::statement_needing_no_transaction(sql, 110000);
  detail::statement_needing_no_transaction(sql, 150000);
}

void check_sections(const std::string& text) {
  for (const auto style : {detail::section_style::dbmate, detail::section_style::goose,
                           detail::section_style::sql_migrate}) {
    const detail::sql_sections sections = detail::split_sections(text, style);
    PGPARITY_FUZZ_ASSERT(sections.up_first_line >= 1 && sections.down_first_line >= 1);
    PGPARITY_FUZZ_ASSERT(sections.up_sql.size() + sections.down_sql.size() <= text.size());
    detail::has_up_marker(text, style);
  }
  detail::has_goose_no_transaction(text);
}

void check_set(const pgparity::migration_set& set) {
  PGPARITY_FUZZ_ASSERT(!set.steps.empty());
  for (const auto& step : set.steps) {
    PGPARITY_FUZZ_ASSERT(!step.up_file.empty());
    PGPARITY_FUZZ_ASSERT(step.up_first_line >= 1 && step.down_first_line >= 1);
    check_statements(step.up_sql);
    check_statements(step.down_sql);
  }
  for (std::size_t first = 0; first < set.steps.size();) {
    const std::size_t end = pgparity::unit_end(set, first);
    PGPARITY_FUZZ_ASSERT(end > first && end <= set.steps.size());
    first = end;
  }
}

const fs::path& folder() {
  static const pgparity::fuzz::scratch_folder scratch;
  static const fs::path path = scratch.path() / "migrations";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const folder_text parsed = parse_folder_text(text);
  for (const auto& file : parsed.files) {
    check_statements(file.second);
    check_sections(file.second);
  }
  write_folder(folder(), parsed);
  try {
    check_set(pgparity::read_migrations(folder().string(), parsed.layout));
  } catch (const pgparity::input_error&) {
    // The documented outcome of a bad migrations folder (exit 2).
  }
  return 0;
}
