// Detecting a migrations directory's layout and reading its steps in apply order.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "common/error.h"
#include "common/sha256.h"
#include "migrate/detail.h"
#include "migrate/migrations.h"
#include "migrate/sql_text.h"

namespace pgparity {
namespace fs = std::filesystem;

namespace migrate_detail {

int compare_versions(const std::string& a, const std::string& b) {
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && digit(a[i_end])) ++i_end;
      while (j_end < b.size() && digit(b[j_end])) ++j_end;
      while (i < i_end - 1 && a[i] == '0') ++i;  // leading zeros do not count
      while (j < j_end - 1 && b[j] == '0') ++j;
      if (i_end - i != j_end - j) return i_end - i < j_end - j ? -1 : 1;
      const int c = a.compare(i, i_end - i, b, j, j_end - j);
      if (c != 0) return c < 0 ? -1 : 1;
      i = i_end;
      j = j_end;
    } else {
      const int ca = std::tolower(static_cast<unsigned char>(a[i]));
      const int cb = std::tolower(static_cast<unsigned char>(b[j]));
      if (ca != cb) return ca < cb ? -1 : 1;
      ++i;
      ++j;
    }
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

std::string step_label(const migration_step& step) {
  return step.version.empty() ? step.name : step.version;
}

step_side side_of(const migration_step& step, bool up) {
  if (up) return {step.up_sql, step.up_file, step.up_first_line, step.in_transaction};
  return {step.down_sql, step.down_file, step.down_first_line, step.down_in_transaction};
}

}  // namespace migrate_detail

const char* layout_name(migration_layout layout) {
  switch (layout) {
    case migration_layout::golang_migrate:
      return "golang-migrate";
    case migration_layout::diesel:
      return "diesel";
    case migration_layout::dbmate:
      return "dbmate";
    case migration_layout::flyway:
      return "flyway";
    case migration_layout::plain:
      return "plain";
    case migration_layout::alembic:
      return "alembic";
  }
  return "plain";
}

namespace {

// Reads the files of one directory and remembers every one read, for the content hash.
class reader {
 public:
  explicit reader(std::string dir) : dir_(std::move(dir)) {}

  std::string path_of(const std::string& relative) const {
    return (fs::path(dir_) / relative).string();
  }

  std::string read(const std::string& relative) {
    std::ifstream in(path_of(relative), std::ios::binary);
    if (!in) {
      throw input_error(
          fmt::format("{}: cannot read migration file; check its permissions", path_of(relative)));
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    read_.emplace(relative, text);
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // a UTF-8 byte-order mark
    return text;
  }

  // Relative names and bytes of every file read, in name order.
  std::string hash() const {
    std::string all = "pgparity-migrations-1\n";
    for (const auto& [name, bytes] : read_) {
      all += fmt::format("{}\n{}\n", name, bytes.size());
      all += bytes;
    }
    return sha256_hex(all).substr(0, 32);
  }

 private:
  std::string dir_;
  std::map<std::string, std::string> read_;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct listing {
  std::vector<std::string> sql_files;  // top-level *.sql, by name
  std::vector<std::string> subdirs;    // top-level directories, by name
  std::vector<std::string> others;
};

listing list_dir(const std::string& dir) {
  listing out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (entry.is_directory()) {
      out.subdirs.push_back(name);
    } else if (ends_with(name, ".sql")) {
      out.sql_files.push_back(name);
    } else {
      out.others.push_back(name);
    }
  }
  std::sort(out.sql_files.begin(), out.sql_files.end());
  std::sort(out.subdirs.begin(), out.subdirs.end());
  return out;
}

// The automatic part of "runs in a transaction": no marker and nothing PostgreSQL refuses in
// a transaction block (assuming a server of version 12 or later; apply re-checks).
bool can_run_in_transaction(const std::string& sql) {
  return !migrate_detail::has_no_transaction_marker(sql) &&
         !migrate_detail::statement_needing_no_transaction(sql, 120000);
}

std::string leading_version(const std::string& stem, bool allow_v_prefix, std::size_t* rest) {
  std::size_t i = 0;
  if (allow_v_prefix && i < stem.size() && (stem[i] == 'V' || stem[i] == 'v')) ++i;
  const std::size_t digits_from = i;
  while (i < stem.size() && std::isdigit(static_cast<unsigned char>(stem[i]))) ++i;
  if (i == digits_from) return "";
  *rest = i;
  return stem.substr(0, i);
}

std::string name_after(const std::string& stem, std::size_t from) {
  if (from < stem.size() && (stem[from] == '_' || stem[from] == '.' || stem[from] == '-')) {
    ++from;
  }
  return stem.substr(std::min(from, stem.size()));
}

void refuse_stray_sql(const listing& files, const std::vector<std::string>& used,
                      const std::string& dir, migration_layout layout, const char* expected) {
  for (const auto& file : files.sql_files) {
    if (std::find(used.begin(), used.end(), file) == used.end()) {
      throw input_error(fmt::format(
          "{}: file does not follow the {} naming of the other migrations in {} ({}); rename "
          "it or move it out of the directory",
          (fs::path(dir) / file).string(), layout_name(layout), dir, expected));
    }
  }
}

// ---- golang-migrate and sqlx: <version>_<name>.up.sql / .down.sql ----
std::vector<migration_step> read_golang(reader& files, const listing& list,
                                        const std::string& dir) {
  std::map<std::string, migration_step> by_stem;
  std::vector<std::string> used;
  for (const auto& file : list.sql_files) {
    const bool up = ends_with(file, ".up.sql");
    const bool down = ends_with(file, ".down.sql");
    if (!up && !down) continue;
    const std::string stem = file.substr(0, file.size() - (up ? 7 : 9));
    std::size_t rest = 0;
    const std::string version = leading_version(stem, true, &rest);
    if (version.empty()) {
      throw input_error(fmt::format(
          "{}: no version at the start of the name; golang-migrate files are named like "
          "0001_create_users.up.sql",
          files.path_of(file)));
    }
    used.push_back(file);
    migration_step& step = by_stem[stem];
    step.version = version;
    step.name = name_after(stem, rest);
    if (up) {
      step.up_file = files.path_of(file);
      step.up_sql = files.read(file);
      step.in_transaction = can_run_in_transaction(step.up_sql);
    } else {
      step.down_file = files.path_of(file);
      step.down_sql = files.read(file);
      step.down_in_transaction = can_run_in_transaction(step.down_sql);
    }
  }
  refuse_stray_sql(list, used, dir, migration_layout::golang_migrate,
                   "<version>_<name>.up.sql and .down.sql");
  std::vector<migration_step> steps;
  for (auto& [stem, step] : by_stem) {
    if (step.up_file.empty()) {
      throw input_error(fmt::format("{}: down migration without an up file {}.up.sql; add it",
                                    step.down_file, stem));
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

// ---- diesel: <version>_<name>/up.sql, down.sql, metadata.toml ----
bool metadata_says_no_transaction(const std::string& toml) {
  std::istringstream in(toml);
  std::string line;
  while (std::getline(in, line)) {
    line.resize(std::min(line.size(), line.find('#')));
    line.erase(std::remove_if(line.begin(), line.end(),
                              [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
               line.end());
    if (line == "run_in_transaction=false") return true;
  }
  return false;
}

std::vector<migration_step> read_diesel(reader& files, const listing& list,
                                        const std::string& dir) {
  std::vector<migration_step> steps;
  for (const auto& sub : list.subdirs) {
    const fs::path folder = fs::path(dir) / sub;
    const bool has_up = fs::exists(folder / "up.sql");
    if (!has_up) {
      if (fs::exists(folder / "down.sql")) {
        throw input_error(fmt::format("{}: down.sql without up.sql; add {}",
                                      (folder / "down.sql").string(),
                                      (folder / "up.sql").string()));
      }
      continue;
    }
    migration_step step;
    const auto underscore = sub.find('_');
    step.version = sub.substr(0, underscore);
    step.name = underscore == std::string::npos ? "" : sub.substr(underscore + 1);
    step.up_file = (folder / "up.sql").string();
    step.up_sql = files.read(sub + "/up.sql");
    if (fs::exists(folder / "down.sql")) {
      step.down_file = (folder / "down.sql").string();
      step.down_sql = files.read(sub + "/down.sql");
    }
    bool metadata_off = false;
    if (fs::exists(folder / "metadata.toml")) {
      metadata_off = metadata_says_no_transaction(files.read(sub + "/metadata.toml"));
    }
    step.in_transaction = !metadata_off && can_run_in_transaction(step.up_sql);
    step.down_in_transaction = !metadata_off && can_run_in_transaction(step.down_sql);
    steps.push_back(std::move(step));
  }
  refuse_stray_sql(list, {}, dir, migration_layout::diesel, "<version>_<name>/up.sql");
  return steps;
}

// ---- Flyway: V<version>__<desc>.sql, U<version>__<desc>.sql, R__<desc>.sql ----
const std::regex& flyway_name() {
  static const std::regex re(R"(^([VUR])(\d+(?:[._]\d+)*)?__(.+)\.sql$)");
  return re;
}

bool flyway_conf_says_no_transaction(reader& files, const std::string& file) {
  const std::string conf = file + ".conf";
  if (!fs::exists(files.path_of(conf))) return false;
  std::string text = files.read(conf);
  text.erase(std::remove_if(text.begin(), text.end(),
                            [](char c) { return c == ' ' || c == '\t' || c == '\r'; }),
             text.end());
  return text.find("executeInTransaction=false") != std::string::npos;
}

std::vector<migration_step> read_flyway(reader& files, const listing& list,
                                        const std::string& dir) {
  std::vector<migration_step> versioned, repeatable;
  std::vector<std::pair<std::string, std::string>> undo;  // version, file
  std::vector<std::string> used;
  for (const auto& file : list.sql_files) {
    std::smatch m;
    if (!std::regex_match(file, m, flyway_name())) continue;
    const char kind = m[1].str()[0];
    std::string version = m[2].str();
    std::replace(version.begin(), version.end(), '_', '.');
    if (kind != 'R' && version.empty()) {
      throw input_error(
          fmt::format("{}: no version after `{}`; Flyway names look like V1__create_users.sql",
                      files.path_of(file), kind));
    }
    used.push_back(file);
    if (kind == 'U') {
      undo.emplace_back(version, file);
      continue;
    }
    migration_step step;
    step.version = kind == 'R' ? "" : version;
    step.name = m[3].str();
    step.up_file = files.path_of(file);
    step.up_sql = files.read(file);
    step.in_transaction =
        !flyway_conf_says_no_transaction(files, file) && can_run_in_transaction(step.up_sql);
    (kind == 'R' ? repeatable : versioned).push_back(std::move(step));
  }
  refuse_stray_sql(list, used, dir, migration_layout::flyway, "V<version>__<description>.sql");
  for (const auto& [version, file] : undo) {
    auto it = std::find_if(versioned.begin(), versioned.end(), [&](const migration_step& s) {
      return migrate_detail::compare_versions(s.version, version) == 0;
    });
    if (it == versioned.end()) {
      throw input_error(fmt::format("{}: undo migration for version {}, but there is no V{}__ file",
                                    files.path_of(file), version, version));
    }
    it->down_file = files.path_of(file);
    it->down_sql = files.read(file);
    it->down_in_transaction =
        !flyway_conf_says_no_transaction(files, file) && can_run_in_transaction(it->down_sql);
  }
  // Flyway applies repeatable migrations after all versioned ones, ordered by description.
  std::sort(repeatable.begin(), repeatable.end(),
            [](const migration_step& a, const migration_step& b) { return a.name < b.name; });
  versioned.insert(versioned.end(), repeatable.begin(), repeatable.end());
  return versioned;
}

// ---- dbmate: one file per migration with `-- migrate:up` and `-- migrate:down` ----
bool is_dbmate_marker(const std::string& line, const char* which, std::string* options) {
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string::npos) return false;
  const std::string marker = std::string("-- migrate:") + which;
  if (line.compare(first, marker.size(), marker) != 0) return false;
  const std::string tail = line.substr(first + marker.size());
  if (!tail.empty() && !std::isspace(static_cast<unsigned char>(tail[0]))) return false;
  *options = tail;
  return true;
}

bool has_dbmate_marker(const std::string& text) {
  std::istringstream in(text);
  std::string line, options;
  while (std::getline(in, line)) {
    if (is_dbmate_marker(line, "up", &options)) return true;
  }
  return false;
}

bool options_say_no_transaction(std::string options) {
  options.erase(std::remove_if(options.begin(), options.end(),
                               [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
                options.end());
  return options.find("transaction:false") != std::string::npos;
}

std::vector<migration_step> read_dbmate(reader& files, const listing& list) {
  std::vector<migration_step> steps;
  for (const auto& file : list.sql_files) {
    const std::string text = files.read(file);
    const std::string path = files.path_of(file);
    const std::string stem = file.substr(0, file.size() - 4);
    std::size_t rest = 0;
    migration_step step;
    step.version = leading_version(stem, false, &rest);
    if (step.version.empty()) {
      throw input_error(
          fmt::format("{}: no version at the start of the name; dbmate files are named like "
                      "20240101120000_create_users.sql",
                      path));
    }
    step.name = name_after(stem, rest);
    // Split into sections by marker lines, keeping the line each section starts on.
    std::size_t pos = 0;
    int line_no = 0;
    enum { none, up, down } section = none;
    std::size_t section_begin = 0;
    bool seen_up = false;
    bool up_no_tx = false, down_no_tx = false;
    auto close_section = [&](std::size_t end) {
      if (section == up) step.up_sql = text.substr(section_begin, end - section_begin);
      if (section == down) step.down_sql = text.substr(section_begin, end - section_begin);
    };
    while (pos <= text.size()) {
      std::size_t eol = text.find('\n', pos);
      if (eol == std::string::npos) eol = text.size();
      ++line_no;
      const std::string line = text.substr(pos, eol - pos);
      std::string options;
      if (is_dbmate_marker(line, "up", &options)) {
        close_section(pos);
        section = up;
        seen_up = true;
        section_begin = std::min(eol + 1, text.size());
        step.up_first_line = line_no + 1;
        up_no_tx = options_say_no_transaction(options);
      } else if (is_dbmate_marker(line, "down", &options)) {
        close_section(pos);
        section = down;
        section_begin = std::min(eol + 1, text.size());
        step.down_first_line = line_no + 1;
        step.down_file = path;
        down_no_tx = options_say_no_transaction(options);
      }
      if (eol == text.size()) break;
      pos = eol + 1;
    }
    close_section(text.size());
    if (!seen_up) {
      throw input_error(
          fmt::format("{}:1: no `-- migrate:up` line; dbmate migrations hold `-- migrate:up` and "
                      "`-- migrate:down` sections",
                      path));
    }
    step.up_file = path;
    step.in_transaction = !up_no_tx && can_run_in_transaction(step.up_sql);
    step.down_in_transaction = !down_no_tx && can_run_in_transaction(step.down_sql);
    steps.push_back(std::move(step));
  }
  return steps;
}

// ---- plain: every *.sql, in numeric-aware name order ----
std::vector<migration_step> read_plain(reader& files, const listing& list) {
  std::vector<migration_step> steps;
  for (const auto& file : list.sql_files) {
    const std::string stem = file.substr(0, file.size() - 4);
    std::size_t rest = 0;
    migration_step step;
    step.version = leading_version(stem, true, &rest);
    if (step.version.empty()) {
      step.version = stem;
      rest = stem.size();
    }
    step.name = name_after(stem, rest);
    step.up_file = files.path_of(file);
    step.up_sql = files.read(file);
    step.in_transaction = can_run_in_transaction(step.up_sql);
    steps.push_back(std::move(step));
  }
  return steps;
}

// Sort key of a step's version: diesel drops dashes, a V prefix does not count.
std::string order_key(migration_layout layout, const std::string& version) {
  std::string key = version;
  if (layout == migration_layout::diesel) {
    key.erase(std::remove(key.begin(), key.end(), '-'), key.end());
  }
  if (!key.empty() && (key[0] == 'V' || key[0] == 'v')) key.erase(0, 1);
  return key;
}

migration_layout detect(const listing& list, const std::string& dir) {
  for (const auto& sub : list.subdirs) {
    if (fs::exists(fs::path(dir) / sub / "up.sql")) return migration_layout::diesel;
  }
  for (const auto& file : list.sql_files) {
    if (ends_with(file, ".up.sql") || ends_with(file, ".down.sql")) {
      return migration_layout::golang_migrate;
    }
  }
  for (const auto& file : list.sql_files) {
    if (std::regex_match(file, flyway_name())) return migration_layout::flyway;
  }
  for (const auto& file : list.sql_files) {
    reader probe(dir);
    if (has_dbmate_marker(probe.read(file))) return migration_layout::dbmate;
  }
  return migration_layout::plain;
}

}  // namespace

migration_set read_migrations(const std::string& dir) {
  if (dir.empty()) {
    throw input_error("migrations.dir is empty; set it to the directory holding the migrations");
  }
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    throw input_error(
        fmt::format("migrations directory {} does not exist; create it or fix migrations.dir in "
                    "pgparity.yaml",
                    dir));
  }
  if (!fs::is_directory(dir, ec)) {
    throw input_error(fmt::format(
        "migrations directory {} is a file, not a directory; point migrations.dir at the "
        "folder of migrations",
        dir));
  }
  migration_set set;
  set.dir = dir;
  reader files(dir);
  const listing list = list_dir(dir);
  set.layout = detect(list, dir);
  switch (set.layout) {
    case migration_layout::golang_migrate:
      set.steps = read_golang(files, list, dir);
      break;
    case migration_layout::diesel:
      set.steps = read_diesel(files, list, dir);
      break;
    case migration_layout::flyway:
      set.steps = read_flyway(files, list, dir);
      break;
    case migration_layout::dbmate:
      set.steps = read_dbmate(files, list);
      break;
    case migration_layout::plain:
      set.steps = read_plain(files, list);
      break;
    case migration_layout::alembic:  // never detected in a directory: read_alembic() reads it
      break;
  }
  if (set.steps.empty()) {
    throw input_error(fmt::format(
        "migrations directory {} holds no migrations; add files such as "
        "0001_create_users.up.sql (or V1__create_users.sql, 0001_create_users.sql), or point "
        "migrations.dir at the right folder",
        dir));
  }
  // Stable sort by version; Flyway's repeatable steps (no version) stay last, in their order.
  const migration_layout layout = set.layout;
  std::stable_sort(set.steps.begin(), set.steps.end(),
                   [layout](const migration_step& a, const migration_step& b) {
                     if (a.version.empty() || b.version.empty()) {
                       return !a.version.empty() && b.version.empty();
                     }
                     return migrate_detail::compare_versions(order_key(layout, a.version),
                                                     order_key(layout, b.version)) < 0;
                   });
  for (std::size_t i = 1; i < set.steps.size(); ++i) {
    const auto& a = set.steps[i - 1];
    const auto& b = set.steps[i];
    if (a.version.empty() || b.version.empty()) continue;
    if (migrate_detail::compare_versions(order_key(layout, a.version), order_key(layout, b.version)) == 0) {
      throw input_error(
          fmt::format("{}: migration version {} is also used by {}; give one of them a new version",
                      b.up_file, b.version, a.up_file));
    }
  }
  set.content_hash = files.hash();
  return set;
}

}  // namespace pgparity
