#include "manifest/project_config.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/did_you_mean.h"
#include "common/error.h"
#include "common/input_file.h"
#include "common/secrets.h"
#include "manifest/yaml_reader.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;
using manifest_detail::checked_map;
using manifest_detail::describe;
using manifest_detail::fail;
using manifest_detail::location_of;

const std::vector<std::string> config_keys{
    "manifest",      "models",     "migrations", "database",
    "ignore_tables", "undeclared", "junit_xml",  "probe_timeout_seconds"};
const std::vector<std::string> models_keys{"sqlalchemy", "import", "python", "path", "overlay"};
const std::vector<std::string> migration_keys{"dir",         "up",          "down",      "cwd",
                                              "alembic",     "python",      "layout",    "downs",
                                              "session_sql", "max_seconds", "with_data", "role"};
// The directory layouts of framework/migrate, spelled as its layout_name() spells them.
const std::vector<std::string> layout_names{"golang-migrate", "diesel", "dbmate", "flyway",
                                            "plain",          "goose",  "prisma", "sql-migrate",
                                            "sqlx",           "popx"};
// The bookkeeping tables of the migration tools pgparity emulates or runs; never drift.
const std::vector<std::string> bookkeeping_tables{
    "schema_migrations", "__diesel_schema_migrations", "flyway_schema_history",
    "alembic_version",   "goose_db_version",           "_prisma_migrations",
    "gorp_migrations",   "_sqlx_migrations",           "schema_migration"};

std::string absolute_from(const std::string& base_dir, const std::string& path) {
  return (fs::path(base_dir) / path).lexically_normal().string();
}

bool is_url(const std::string& text) {
  return text.rfind("postgres://", 0) == 0 || text.rfind("postgresql://", 0) == 0;
}

// A positive number of seconds for `key`, or a file:line:col error showing `example`.
double positive_seconds(const checked_map& m, const std::string& key, const std::string& example) {
  const YAML::Node v = m.value(key);
  double seconds = 0;
  bool ok = v.IsScalar();
  if (ok) {
    std::istringstream in(v.Scalar());
    ok = static_cast<bool>(in >> seconds) && in.peek() == std::char_traits<char>::eof() &&
         seconds > 0;
  }
  if (!ok) {
    fail(m.value_location(key), "expected a positive number of seconds for `" + key + "`, got " +
                                    describe(v) + "; write e.g. `" + key + ": " + example + "`");
  }
  return seconds;
}

// `m`'s `key` names `absolute`, which must be a regular file: else a file:line:col error saying
// what it is instead.
void require_file(const checked_map& m, const std::string& key, const std::string& what,
                  const std::string& absolute) {
  const std::string problem = not_a_regular_file(absolute);
  if (problem.empty()) return;
  fail(m.value_location(key),
       what + " `" + *m.text(key) + "` " + problem + " (" + absolute +
           (problem == "does not exist" ? "); fix the path or create the file"
                                        : "); point `" + key + ":` at a regular file"));
}

// One of `allowed` for `key`, or a file:line:col error with a "did you mean".
std::string one_of(const checked_map& m, const std::string& key,
                   const std::vector<std::string>& allowed) {
  const std::string value = m.text(key).value_or("");
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
  std::string hint = did_you_mean_suffix(value, allowed);
  if (hint.empty()) {
    hint = "; expected one of:";
    for (const auto& a : allowed) hint += " " + a;
  }
  fail(m.value_location(key), "unknown value `" + value + "` for `" + key + "`" + hint);
}

// `layout`, `downs` and `session_sql`: they describe a migrations directory.
void read_directory_options(const checked_map& m, bool has_dir, migrations_config* mc) {
  for (const char* key : {"layout", "downs", "session_sql"}) {
    if (!has_dir && m.has(key)) {
      fail(m.key_location(key), "`" + std::string(key) +
                                    "` in `migrations` goes with `dir`, not `up`; remove it or "
                                    "use `dir:`");
    }
  }
  if (m.has("layout")) mc->layout = one_of(m, "layout", layout_names);
  if (m.has("downs")) mc->downs = one_of(m, "downs", {"none", "required"});
  if (m.has("session_sql")) {
    mc->session_sql = m.text("session_sql").value_or("");
    mc->session_sql_location = m.value_location("session_sql");
    if (mc->session_sql.find_first_not_of(" \t\r\n") == std::string::npos) {
      fail(mc->session_sql_location,
           "`session_sql` is empty; write the SQL to run first, e.g. `session_sql: SELECT "
           "pg_advisory_lock(0)`, or remove the key");
    }
  }
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
    std::error_code ec;  // a symlink loop or an unreadable parent: said here, not thrown
    if (!fs::is_directory(*mc.dir, ec)) {
      fail(m.value_location("dir"), "migrations directory `" + *dir + "` " +
                                        (ec && ec != std::errc::no_such_file_or_directory
                                             ? "cannot be reached (" + ec.message() + ")"
                                             : std::string("does not exist")) +
                                        " (" + *mc.dir + "); fix the path or create it");
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
  read_directory_options(m, dir.has_value(), &mc);
  mc.with_data = m.boolean("with_data").value_or(true);
  if (m.has("role")) {
    mc.role = one_of(m, "role", {"superuser", "owner"});
    mc.role_location = m.value_location("role");
  }
  if (m.has("max_seconds")) mc.max_seconds = positive_seconds(m, "max_seconds", "30");
  return mc;
}

// The interpreter as configured: a bare name ("python3") stays for a PATH lookup; anything with
// a slash is a path relative to the config file.
std::string read_python(const checked_map& m, const std::string& base_dir) {
  const auto python = m.text("python");
  if (!python) return "python3";
  if (python->find('/') == std::string::npos) return *python;
  const std::string resolved = absolute_from(base_dir, *python);
  if (!fs::exists(resolved)) {
    fail(m.value_location("python"), "interpreter `" + *python + "` does not exist (" + resolved +
                                         "); fix `python:` or create the virtualenv");
  }
  return resolved;
}

models_config read_models(const checked_map& top, const std::string& base_dir) {
  models_config mc;
  mc.location = top.key_location("models");
  const checked_map m(top.value("models"), top.file(), "`models`", models_keys);
  mc.sqlalchemy = m.required_text("sqlalchemy",
                                  "add `sqlalchemy: <module>:<attribute>`, e.g. "
                                  "`sqlalchemy: app.extensions:db`",
                                  mc.location);
  if (mc.sqlalchemy.find(':') == std::string::npos) {
    fail(m.value_location("sqlalchemy"), "expected `module:attribute` for `sqlalchemy`, got `" +
                                             mc.sqlalchemy +
                                             "`; write e.g. `sqlalchemy: app.models:Base`");
  }
  mc.imports = m.text_list("import").value_or(std::vector<std::string>{});
  mc.python = read_python(m, base_dir);
  mc.python_location = m.has("python") ? m.value_location("python") : mc.location;
  for (const auto& entry : m.text_list("path").value_or(std::vector<std::string>{"."})) {
    std::string dir = absolute_from(base_dir, entry);
    if (dir.size() > 1 && dir.back() == '/') dir.pop_back();  // "." normalises to "<base>/"
    mc.path.push_back(dir);
  }
  if (const auto overlay = m.text("overlay")) {
    mc.overlay = absolute_from(base_dir, *overlay);
    require_file(m, "overlay", "overlay file", *mc.overlay);
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
                 redact(*written) + "`; write e.g. `database: env:DATABASE_URL`");
  }
  return *written;
}

}  // namespace

project_config load_project_config(const std::string& path, bool manifest_must_exist) {
  if (not_a_regular_file(path) == "does not exist") {
    throw input_error(path +
                      ": no such config file; create one (see docs/config.md) or pass --config "
                      "FILE");
  }
  const std::string text = read_input_file(path, "config file", max_yaml_file_bytes);

  project_config config;
  config.file = path;
  config.base_dir = fs::absolute(fs::path(path)).lexically_normal().parent_path().string();
  const YAML::Node root = manifest_detail::parse_yaml(text, path);
  if (!root.IsMap()) {
    fail(root.IsNull() ? source_location{path, 1, 1} : location_of(root, path),
         "expected a map with `manifest`, `migrations` and `database` in the config, got " +
             describe(root) + "; see docs/config.md");
  }
  const checked_map top(root, path, "the config", config_keys);

  if (const auto manifest = top.text("manifest")) {
    config.manifest = absolute_from(config.base_dir, *manifest);
    if (manifest_must_exist) require_file(top, "manifest", "manifest file", *config.manifest);
  }
  if (top.has("models")) {
    if (top.has("manifest")) {
      fail(top.key_location("models"),
           "the config has both `models` and `manifest`; the declared side is one of them: keep "
           "`models:` to read your SQLAlchemy models, or `manifest:` for a YAML manifest");
    }
    config.models = read_models(top, config.base_dir);
  }
  config.migrations = read_migrations(top, config.base_dir);
  config.database = read_database(top);
  if (config.migrations.role == "owner" && config.database != "disposable") {
    fail(config.migrations.role_location,
         "`role: owner` needs `database: disposable`: on an existing server the migrations run "
         "as the URL's role; give that URL a role that is no superuser instead");
  }
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
  if (top.has("probe_timeout_seconds")) {
    config.probe_timeout_seconds = positive_seconds(top, "probe_timeout_seconds", "10");
  }
  return config;
}

}  // namespace pgparity
