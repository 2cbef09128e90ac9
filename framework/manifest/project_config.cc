#include "manifest/project_config.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/did_you_mean.h"
#include "common/error.h"
#include "manifest/yaml_reader.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;
using manifest_detail::checked_map;
using manifest_detail::describe;
using manifest_detail::fail;
using manifest_detail::location_of;

const std::vector<std::string> config_keys{"manifest",      "migrations", "database",
                                           "ignore_tables", "undeclared", "junit_xml"};
const std::vector<std::string> migration_keys{"dir",     "up",     "down",       "cwd",
                                              "alembic", "python", "max_seconds"};
// The bookkeeping tables of the migration tools pgparity emulates or runs; never drift.
const std::vector<std::string> bookkeeping_tables{"schema_migrations", "__diesel_schema_migrations",
                                                  "flyway_schema_history", "alembic_version"};

std::string absolute_from(const std::string& base_dir, const std::string& path) {
  return (fs::path(base_dir) / path).lexically_normal().string();
}

bool is_url(const std::string& text) {
  return text.rfind("postgres://", 0) == 0 || text.rfind("postgresql://", 0) == 0;
}

// Exactly one of `dir`, `up` and `alembic`; `down` goes with `up`, `cwd` not with `dir`, and
// `python` with `alembic`.
void require_one_source(const checked_map& m, const source_location& at,
                        const std::optional<std::string>& dir, const std::optional<std::string>& up,
                        const std::optional<std::string>& alembic) {
  const int sources = int(dir.has_value()) + int(up.has_value()) + int(alembic.has_value());
  if (sources > 1) {
    fail(m.key_location(alembic ? "alembic" : "up"),
         "`migrations` names more than one of `dir`, `up` and `alembic`; use `dir` for a folder "
         "of SQL files, `alembic` for an alembic.ini, or `up`/`down` for a migration command");
  }
  if (sources == 0) {
    fail(at,
         "`migrations` has none of `dir`, `up` and `alembic`; add `dir: db/migrations`, "
         "`alembic: alembic.ini` or `up: <command>`");
  }
  const std::vector<std::pair<const char*, bool>> misplaced = {
      {"down", !up}, {"cwd", dir.has_value()}, {"python", !alembic}};
  for (const auto& [key, wrong] : misplaced) {
    if (!wrong || !m.has(key)) continue;
    const std::string owner = std::string(key) == "python" ? "alembic" : "up";
    fail(m.key_location(key), "`" + std::string(key) + "` in `migrations` goes with `" + owner +
                                  "`; remove it or use `" + owner + ":`");
  }
}

migrations_config read_migrations(const checked_map& top, const std::string& base_dir) {
  migrations_config mc;
  mc.location = top.key_location("migrations");
  mc.cwd = base_dir;
  const YAML::Node node = top.value("migrations");
  if (!top.has("migrations") || node.IsNull()) {
    fail(top.has("migrations") ? mc.location : source_location{top.file(), 1, 1},
         "no migrations configured; add `migrations: {dir: db/migrations}` or "
         "`migrations: {up: <command>}`");
  }
  const checked_map m(node, top.file(), "`migrations`", migration_keys);
  const auto dir = m.text("dir");
  const auto up = m.text("up");
  const auto alembic = m.text("alembic");
  require_one_source(m, mc.location, dir, up, alembic);
  if (dir) {
    mc.dir = absolute_from(base_dir, *dir);
    if (!fs::is_directory(*mc.dir)) {
      fail(m.value_location("dir"), "migrations directory `" + *dir + "` does not exist (" +
                                        *mc.dir + "); fix the path or create it");
    }
  }
  if (alembic) {
    mc.alembic = absolute_from(base_dir, *alembic);
    if (!fs::is_regular_file(*mc.alembic)) {
      fail(m.value_location("alembic"), "Alembic config `" + *alembic + "` does not exist (" +
                                            *mc.alembic +
                                            "); point `alembic:` at the project's alembic.ini");
    }
  }
  if (const auto python = m.text("python")) mc.python = *python;
  mc.up = up;
  mc.down = m.text("down");
  if (const auto cwd = m.text("cwd")) {
    mc.cwd = absolute_from(base_dir, *cwd);
    if (!fs::is_directory(mc.cwd)) {
      fail(m.value_location("cwd"),
           "`cwd` directory `" + *cwd + "` does not exist (" + mc.cwd + "); fix the path");
    }
  }
  if (m.has("max_seconds")) {
    const YAML::Node v = m.value("max_seconds");
    double seconds = 0;
    bool ok = v.IsScalar();
    if (ok) {
      std::istringstream in(v.Scalar());
      ok = static_cast<bool>(in >> seconds) && in.peek() == std::char_traits<char>::eof() &&
           seconds > 0;
    }
    if (!ok) {
      fail(m.value_location("max_seconds"), "expected a positive number of seconds for " +
                                                std::string("`max_seconds`, got ") + describe(v) +
                                                "; write e.g. `max_seconds: 30`");
    }
    mc.max_seconds = seconds;
  }
  return mc;
}

std::string read_database(const checked_map& top) {
  const auto written = top.text("database");
  if (!written || *written == "disposable") return "disposable";
  const source_location at = top.value_location("database");
  if (written->rfind("env:", 0) == 0) {
    const std::string name = written->substr(4);
    const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') {
      fail(at, "environment variable `" + name + "` (from `database: " + *written +
                   "`) is not set; export it or write `database: disposable`");
    }
    if (!is_url(value) && std::string(value) != "disposable") {
      fail(at, "environment variable `" + name + "` (from `database: " + *written +
                   "`) is not a postgres:// URL; set it to e.g. postgres://user@host/db");
    }
    return value;
  }
  if (!is_url(*written)) {
    fail(at, "expected `disposable`, a postgres:// URL or `env:NAME` for `database`, got `" +
                 *written + "`; write e.g. `database: env:DATABASE_URL`");
  }
  return *written;
}

}  // namespace

project_config load_project_config(const std::string& path, bool manifest_must_exist) {
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path)) {
    throw input_error(path +
                      ": no such config file; create one (see docs/config.md) or pass --config "
                      "FILE");
  }
  std::ostringstream text;
  text << in.rdbuf();

  project_config config;
  config.file = path;
  config.base_dir = fs::absolute(fs::path(path)).lexically_normal().parent_path().string();
  const YAML::Node root = manifest_detail::parse_yaml(text.str(), path);
  if (!root.IsMap()) {
    fail(root.IsNull() ? source_location{path, 1, 1} : location_of(root, path),
         "expected a map with `manifest`, `migrations` and `database` in the config, got " +
             describe(root) + "; see docs/config.md");
  }
  const checked_map top(root, path, "the config", config_keys);

  if (const auto manifest = top.text("manifest")) {
    config.manifest = absolute_from(config.base_dir, *manifest);
    if (manifest_must_exist && !fs::is_regular_file(*config.manifest)) {
      fail(top.value_location("manifest"), "manifest file `" + *manifest + "` does not exist (" +
                                               *config.manifest +
                                               "); fix the path or create the file");
    }
  }
  config.migrations = read_migrations(top, config.base_dir);
  config.database = read_database(top);
  config.ignore_tables = top.text_list("ignore_tables").value_or(std::vector<std::string>{});
  for (const auto& table : bookkeeping_tables) {
    if (std::find(config.ignore_tables.begin(), config.ignore_tables.end(), table) ==
        config.ignore_tables.end()) {
      config.ignore_tables.push_back(table);
    }
  }
  if (const auto undeclared = top.text("undeclared")) {
    if (*undeclared != "warning" && *undeclared != "error") {
      std::string hint = did_you_mean_suffix(*undeclared, {"warning", "error"});
      if (hint.empty()) hint = "; expected `warning` or `error`";
      fail(top.value_location("undeclared"),
           "unknown severity `" + *undeclared + "` for `undeclared`" + hint);
    }
    config.reverse_drift_is_error = *undeclared == "error";
  }
  if (const auto junit = top.text("junit_xml")) {
    config.junit_xml = absolute_from(config.base_dir, *junit);
  }
  return config;
}

}  // namespace pgparity
