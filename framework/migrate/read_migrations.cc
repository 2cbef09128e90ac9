// Detecting a migrations directory's layout and reading its steps in apply order.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "common/error.h"
#include "common/input_file.h"
#include "common/sha256.h"
#include "migrate/detail.h"
#include "migrate/migrations.h"
#include "migrate/sql_sections.h"
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
    case migration_layout::goose:
      return "goose";
    case migration_layout::prisma:
      return "prisma";
    case migration_layout::sql_migrate:
      return "sql-migrate";
    case migration_layout::sqlx:
      return "sqlx";
    case migration_layout::popx:
      return "popx";
  }
  return "plain";
}

std::optional<migration_layout> layout_named(const std::string& name) {
  for (const auto layout :
       {migration_layout::golang_migrate, migration_layout::diesel, migration_layout::dbmate,
        migration_layout::flyway, migration_layout::plain, migration_layout::goose,
        migration_layout::prisma, migration_layout::sql_migrate, migration_layout::sqlx,
        migration_layout::popx}) {
    if (name == layout_name(layout)) return layout;
  }
  return std::nullopt;
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
    std::string text =
        read_input_file(path_of(relative), "migration file", max_migration_file_bytes);
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
  // diesel reads only the folders holding up.sql: a README or a data script beside them (as
  // crates.io keeps) is not a migration.
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
    // Captured by name: a lambda may not capture a structured binding in C++17 (clang refuses).
    auto it = std::find_if(versioned.begin(), versioned.end(),
                           [&undo_version = version](const migration_step& s) {
                             return migrate_detail::compare_versions(s.version, undo_version) == 0;
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

// A one-file step named `<version>_<name>.sql` (or `<version>-<name>.sql`): version, name and
// up_file from the name; no leading digits is an error showing `tool`'s naming.
migration_step versioned_file(const reader& files, const std::string& file, const char* tool,
                              const char* example) {
  const std::string stem = file.substr(0, file.size() - 4);
  std::size_t rest = 0;
  migration_step step;
  step.version = leading_version(stem, false, &rest);
  if (step.version.empty()) {
    throw input_error(fmt::format(
        "{}: no version at the start of the name; {} migrations are named like {}; rename it",
        files.path_of(file), tool, example));
  }
  step.name = name_after(stem, rest);
  step.up_file = files.path_of(file);
  return step;
}

// The SQL of a one-file step's sections; the file is its own down file when it has a down
// section (even an empty one: the tool then runs nothing).
void take_sections(const migrate_detail::sql_sections& sections, migration_step* step) {
  step->up_sql = sections.up_sql;
  step->up_first_line = sections.up_first_line;
  step->down_sql = sections.down_sql;
  step->down_first_line = sections.down_first_line;
  if (sections.has_down) step->down_file = step->up_file;
}

// The steps of a `<stem>.up.sql` / `<stem>.down.sql` layout; a down without its up is an error.
std::vector<migration_step> steps_with_ups(std::map<std::string, migration_step> by_stem,
                                           const char* up_suffix) {
  std::vector<migration_step> steps;
  for (auto& [stem, step] : by_stem) {
    if (step.up_file.empty()) {
      throw input_error(fmt::format("{}: down migration without an up file {}{}; add it",
                                    step.down_file, stem, up_suffix));
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

// ---- dbmate, goose, sql-migrate: one file per migration with up and down sections ----
struct sectioned_tool {
  migrate_detail::section_style style;
  const char* name;
  const char* example;  // a file name
  const char* up;       // its marker lines
  const char* down;
};

const sectioned_tool k_dbmate{migrate_detail::section_style::dbmate, "dbmate",
                              "20240101120000_create_users.sql", "-- migrate:up",
                              "-- migrate:down"};
const sectioned_tool k_goose{migrate_detail::section_style::goose, "goose",
                             "00001_create_users.sql", "-- +goose Up", "-- +goose Down"};
const sectioned_tool k_sql_migrate{migrate_detail::section_style::sql_migrate, "sql-migrate",
                                   "1_create_users.sql", "-- +migrate Up", "-- +migrate Down"};

std::vector<migration_step> read_sectioned(reader& files, const listing& list,
                                           const sectioned_tool& tool) {
  std::vector<migration_step> steps;
  for (const auto& file : list.sql_files) {
    migration_step step = versioned_file(files, file, tool.name, tool.example);
    const auto sections = migrate_detail::split_sections(files.read(file), tool.style);
    if (!sections.has_up) {
      throw input_error(fmt::format("{}:1: no `{}` line; {} migrations hold `{}` and `{}` sections",
                                    step.up_file, tool.up, tool.name, tool.up, tool.down));
    }
    take_sections(sections, &step);
    step.in_transaction = !sections.up_no_transaction && can_run_in_transaction(step.up_sql);
    step.down_in_transaction =
        !sections.down_no_transaction && can_run_in_transaction(step.down_sql);
    steps.push_back(std::move(step));
  }
  return steps;
}

// ---- sqlx: `<version>_<name>.sql` (up only) or `.up.sql` + `.down.sql` ----
// sqlx runs a file outside a transaction when it starts with `-- no-transaction`.
bool sqlx_in_transaction(const std::string& sql) {
  return sql.compare(0, 17, "-- no-transaction") != 0 && can_run_in_transaction(sql);
}

std::vector<migration_step> read_sqlx(reader& files, const listing& list) {
  std::map<std::string, migration_step> by_stem;
  for (const auto& file : list.sql_files) {
    const bool up = ends_with(file, ".up.sql");
    const bool down = ends_with(file, ".down.sql");
    const std::string stem = file.substr(0, file.size() - (up ? 7 : down ? 9 : 4));
    migration_step& step = by_stem[stem];
    const migration_step named = versioned_file(files, file, "sqlx", "20240101120000_users.sql");
    step.version = named.version;
    step.name = stem.substr(std::min(stem.size(), stem.find('_') + 1));
    if (down) {
      step.down_file = files.path_of(file);
      step.down_sql = files.read(file);
      step.down_in_transaction = sqlx_in_transaction(step.down_sql);
    } else {
      step.up_file = files.path_of(file);
      step.up_sql = files.read(file);
      step.in_transaction = sqlx_in_transaction(step.up_sql);
    }
  }
  return steps_with_ups(std::move(by_stem), ".up.sql");
}

// ---- Prisma: `<timestamp>_<name>/migration.sql` beside migration_lock.toml; no downs ----
std::vector<migration_step> read_prisma(reader& files, const listing& list,
                                        const std::string& dir) {
  std::vector<migration_step> steps;
  for (const auto& sub : list.subdirs) {
    const fs::path file = fs::path(dir) / sub / "migration.sql";
    if (!fs::exists(file)) {
      if (fs::is_empty(fs::path(dir) / sub)) continue;
      throw input_error(fmt::format(
          "{}: Prisma migration folder without migration.sql; add it or move the folder out of {}",
          (fs::path(dir) / sub).string(), dir));
    }
    migration_step step;
    const auto underscore = sub.find('_');
    step.version = sub.substr(0, underscore);
    step.name = underscore == std::string::npos ? "" : sub.substr(underscore + 1);
    step.up_file = file.string();
    step.up_sql = files.read(sub + "/migration.sql");
    step.in_transaction = can_run_in_transaction(step.up_sql);
    steps.push_back(std::move(step));
  }
  return steps;
}

// ---- ory popx: `<version>_<name>[.<dialect>][.autocommit].(up|down).sql` ----
const std::regex& popx_name() {
  static const std::regex re(
      R"(^(\d+)_([^.]+)(?:\.(postgres|cockroach|mysql|sqlite3|sqlite))?(\.autocommit)?\.(up|down)\.sql$)");
  return re;
}

// One direction of one popx version: the `.postgres` file wins over the dialect-less one.
struct popx_file {
  std::string file;
  bool postgres = false;
  bool autocommit = false;
};

std::vector<migration_step> read_popx(reader& files, const listing& list, const std::string& dir) {
  std::map<std::string, std::pair<std::optional<popx_file>, std::optional<popx_file>>> by_version;
  std::map<std::string, std::string> names;
  std::vector<std::string> used;
  for (const auto& file : list.sql_files) {
    std::smatch m;
    if (!std::regex_match(file, m, popx_name())) continue;
    used.push_back(file);
    const std::string dialect = m[3].str();
    if (!dialect.empty() && dialect != "postgres") continue;  // another database's file
    auto& [up, down] = by_version[m[1].str()];
    auto& slot = m[5].str() == "up" ? up : down;
    if (!slot || (!slot->postgres && dialect == "postgres")) {
      slot = popx_file{file, dialect == "postgres", m[4].matched};
    }
    names.emplace(m[1].str(), m[2].str());
  }
  refuse_stray_sql(list, used, dir, migration_layout::popx,
                   "<version>_<name>[.postgres][.autocommit].up.sql and .down.sql");
  std::vector<migration_step> steps;
  for (const auto& [version, sides] : by_version) {
    const auto& [up, down] = sides;
    if (!up) {
      throw input_error(fmt::format("{}: down migration without an up file for version {}; add it",
                                    files.path_of(down->file), version));
    }
    migration_step step;
    step.version = version;
    step.name = names[version];
    if (version.size() == 20) step.unit = version.substr(0, 14) + "_" + step.name;
    step.up_file = files.path_of(up->file);
    step.up_sql = files.read(up->file);
    step.in_transaction = !up->autocommit && can_run_in_transaction(step.up_sql);
    if (down) {
      step.down_file = files.path_of(down->file);
      step.down_sql = files.read(down->file);
      step.down_in_transaction = !down->autocommit && can_run_in_transaction(step.down_sql);
    }
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

// Sort key of a step's version for the numeric-aware layouts: a V prefix does not count.
std::string order_key(const std::string& version) {
  std::string key = version;
  if (!key.empty() && (key[0] == 'V' || key[0] == 'v')) key.erase(0, 1);
  return key;
}

std::string without_dashes(std::string version) {
  version.erase(std::remove(version.begin(), version.end(), '-'), version.end());
  return version;
}

std::string file_name(const std::string& path) { return fs::path(path).filename().string(); }

int sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

// The order the layout's own tool applies two versioned steps in: <0, 0 (one version) or >0.
int compare_steps(migration_layout layout, const migration_step& a, const migration_step& b) {
  switch (layout) {
    case migration_layout::diesel:  // diesel compares its versions as strings
      return sign(without_dashes(a.version).compare(without_dashes(b.version)));
    case migration_layout::popx:  // popx too (its versions outgrow int64)
      return sign(a.version.compare(b.version));
    case migration_layout::prisma:  // Prisma sorts its folders by name
      return sign(file_name(fs::path(a.up_file).parent_path().string())
                      .compare(file_name(fs::path(b.up_file).parent_path().string())));
    case migration_layout::sql_migrate: {  // by number, then by the whole file name
      const int by_number = migrate_detail::compare_versions(a.version, b.version);
      return by_number != 0 ? by_number : sign(file_name(a.up_file).compare(file_name(b.up_file)));
    }
    default:
      return migrate_detail::compare_versions(order_key(a.version), order_key(b.version));
  }
}

// The layout of `dir` from its files, most specific first.
migration_layout detect(const listing& list, const std::string& dir) {
  for (const auto& sub : list.subdirs) {
    if (fs::exists(fs::path(dir) / sub / "up.sql")) return migration_layout::diesel;
  }
  const bool lock =
      std::find(list.others.begin(), list.others.end(), "migration_lock.toml") != list.others.end();
  for (const auto& sub : list.subdirs) {
    if (lock || fs::exists(fs::path(dir) / sub / "migration.sql")) return migration_layout::prisma;
  }
  for (const auto& file : list.sql_files) {
    std::smatch m;
    // popx's own mark: a dialect or `.autocommit` before `.up.sql` / `.down.sql`.
    if (std::regex_match(file, m, popx_name()) && (m[3].matched || m[4].matched)) {
      return migration_layout::popx;
    }
  }
  for (const auto& file : list.sql_files) {
    if (ends_with(file, ".up.sql") || ends_with(file, ".down.sql")) {
      return migration_layout::golang_migrate;
    }
  }
  for (const auto& file : list.sql_files) {
    if (std::regex_match(file, flyway_name())) return migration_layout::flyway;
  }
  reader probe(dir);
  for (const auto& file : list.sql_files) {
    const std::string text = probe.read(file);
    if (migrate_detail::has_up_marker(text, migrate_detail::section_style::dbmate))
      return migration_layout::dbmate;
    if (migrate_detail::has_up_marker(text, migrate_detail::section_style::goose))
      return migration_layout::goose;
    if (migrate_detail::has_up_marker(text, migrate_detail::section_style::sql_migrate)) {
      return migration_layout::sql_migrate;
    }
  }
  return migration_layout::plain;
}

std::vector<migration_step> read_layout(migration_layout layout, reader& files, const listing& list,
                                        const std::string& dir) {
  switch (layout) {
    case migration_layout::golang_migrate:
      return read_golang(files, list, dir);
    case migration_layout::diesel:
      return read_diesel(files, list, dir);
    case migration_layout::flyway:
      return read_flyway(files, list, dir);
    case migration_layout::dbmate:
      return read_sectioned(files, list, k_dbmate);
    case migration_layout::plain:
      return read_plain(files, list);
    case migration_layout::goose:
      return read_sectioned(files, list, k_goose);
    case migration_layout::prisma:
      return read_prisma(files, list, dir);
    case migration_layout::sql_migrate:
      return read_sectioned(files, list, k_sql_migrate);
    case migration_layout::sqlx:
      return read_sqlx(files, list);
    case migration_layout::popx:
      return read_popx(files, list, dir);
    case migration_layout::alembic:  // never a directory layout: read_alembic() reads it
      break;
  }
  return {};
}

void require_directory(const std::string& dir) {
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
}

// Stable sort in the tool's order; Flyway's repeatable steps (no version) stay last, in their
// order. Two steps of one version are an error.
void sort_steps(migration_layout layout, std::vector<migration_step>* steps) {
  std::stable_sort(steps->begin(), steps->end(),
                   [layout](const migration_step& a, const migration_step& b) {
                     if (a.version.empty() || b.version.empty()) {
                       return !a.version.empty() && b.version.empty();
                     }
                     return compare_steps(layout, a, b) < 0;
                   });
  for (std::size_t i = 1; i < steps->size(); ++i) {
    const auto& a = (*steps)[i - 1];
    const auto& b = (*steps)[i];
    if (a.version.empty() || b.version.empty()) continue;
    if (compare_steps(layout, a, b) == 0) {
      throw input_error(
          fmt::format("{}: migration version {} is also used by {}; give one of them a new version",
                      b.up_file, b.version, a.up_file));
    }
  }
}

}  // namespace

migration_set read_migrations(const std::string& dir, std::optional<migration_layout> layout) {
  require_directory(dir);
  migration_set set;
  set.dir = dir;
  reader files(dir);
  const listing list = list_dir(dir);
  set.layout = layout ? *layout : detect(list, dir);
  set.steps = read_layout(set.layout, files, list, dir);
  if (set.steps.empty()) {
    throw input_error(fmt::format(
        "migrations directory {} holds no migrations (read as {}); add files such as "
        "0001_create_users.up.sql (or V1__create_users.sql, 0001_create_users.sql), or point "
        "migrations.dir at the right folder",
        dir, layout_name(set.layout)));
  }
  sort_steps(set.layout, &set.steps);
  set.content_hash = files.hash();
  return set;
}

migration_set read_migrations(const migrations_config& config) {
  std::optional<migration_layout> layout;
  if (!config.layout.empty()) {
    layout = layout_named(config.layout);
    if (!layout) {
      throw input_error(fmt::format("{}: unknown migrations.layout `{}`; see docs/migrations.md",
                                    config.location.str(), config.layout));
    }
  }
  migration_set set = read_migrations(config.dir.value_or(""), layout);
  set.session_sql = config.session_sql;
  set.session_sql_origin = config.session_sql_location.str();
  if (!config.layout.empty() || !config.session_sql.empty()) {
    // A named layout or session SQL changes what the migrated template holds.
    set.content_hash =
        sha256_hex(fmt::format("{}\n{}\n{}", set.content_hash, config.layout, config.session_sql))
            .substr(0, 32);
  }
  return set;
}

}  // namespace pgparity
