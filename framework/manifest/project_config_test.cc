// pgparity.yaml: every key, path resolution, and every error with its exact message.
#include "manifest/project_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

// A scratch project: <tmp>/pgparity-config-<pid>-<n>/ with db/migrations and db/models.yaml.
class ProjectConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    root_ = fs::temp_directory_path() /
            ("pgparity-config-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    fs::create_directories(root_ / "db" / "migrations");
    fs::create_directories(root_ / "backend");
    std::ofstream(root_ / "db" / "models.yaml") << "version: 1\nmodels: {}\n";
  }
  void TearDown() override { fs::remove_all(root_); }

  // Writes pgparity.yaml with `text` and returns its path.
  std::string write(const std::string& text) {
    const std::string path = (root_ / "pgparity.yaml").string();
    std::ofstream(path) << text;
    return path;
  }

  // The input_error message of loading `text`, with the config path replaced by "CFG".
  std::string error_of(const std::string& text) {
    const std::string path = write(text);
    try {
      load_project_config(path);
    } catch (const input_error& e) {
      std::string message = e.what();
      for (auto at = message.find(path); at != std::string::npos; at = message.find(path)) {
        message.replace(at, path.size(), "CFG");
      }
      const std::string dir = root_.string();
      for (auto at = message.find(dir); at != std::string::npos; at = message.find(dir)) {
        message.replace(at, dir.size(), "ROOT");
      }
      return message;
    }
    return "(no error)";
  }

  fs::path root_;
};

TEST_F(ProjectConfig, ProductExample) {
  const std::string path = write(R"yaml(# pgparity.yaml
manifest: db/models.yaml
migrations:
  dir: db/migrations
  max_seconds: 30
database: disposable
ignore_tables: [alembic_version, schema_migrations]
)yaml");
  const project_config c = load_project_config(path);
  EXPECT_EQ(c.file, path);
  EXPECT_EQ(c.base_dir, root_.string());
  EXPECT_EQ(c.manifest, (root_ / "db/models.yaml").string());
  EXPECT_EQ(c.migrations.dir, (root_ / "db/migrations").string());
  EXPECT_EQ(c.migrations.up, std::nullopt);
  EXPECT_EQ(c.migrations.cwd, root_.string());
  EXPECT_EQ(c.migrations.max_seconds, 30);
  EXPECT_EQ(c.migrations.location.str(), path + ":3:1");
  EXPECT_EQ(c.database, "disposable");
  EXPECT_EQ(c.ignore_tables,
            (std::vector<std::string>{"alembic_version", "schema_migrations",
                                      "__diesel_schema_migrations", "flyway_schema_history",
                                      "goose_db_version", "_prisma_migrations", "gorp_migrations",
                                      "_sqlx_migrations", "schema_migration"}));
  EXPECT_FALSE(c.reverse_drift_is_error);
  EXPECT_EQ(c.junit_xml, std::nullopt);
}

TEST_F(ProjectConfig, CommandModeAndDefaults) {
  const project_config c = load_project_config(write(R"yaml(migrations:
  up: alembic upgrade head
  down: alembic downgrade base
  cwd: backend
  max_seconds: 2.5
undeclared: error
junit_xml: out/results.xml
)yaml"));
  EXPECT_EQ(c.manifest, std::nullopt);
  EXPECT_EQ(c.migrations.dir, std::nullopt);
  EXPECT_EQ(c.migrations.up, "alembic upgrade head");
  EXPECT_EQ(c.migrations.down, "alembic downgrade base");
  EXPECT_EQ(c.migrations.cwd, (root_ / "backend").string());
  EXPECT_EQ(c.migrations.max_seconds, 2.5);
  EXPECT_TRUE(c.reverse_drift_is_error);
  EXPECT_EQ(c.junit_xml, (root_ / "out/results.xml").string());
  EXPECT_EQ(c.ignore_tables,
            (std::vector<std::string>{"schema_migrations", "__diesel_schema_migrations",
                                      "flyway_schema_history", "alembic_version",
                                      "goose_db_version", "_prisma_migrations", "gorp_migrations",
                                      "_sqlx_migrations", "schema_migration"}));
  EXPECT_EQ(c.migrations.max_seconds, 2.5);
}

TEST_F(ProjectConfig, DefaultMaxSecondsAndWarning) {
  const project_config c =
      load_project_config(write("migrations: {dir: db/migrations}\nundeclared: warning\n"));
  EXPECT_EQ(c.migrations.max_seconds, 30);
  EXPECT_FALSE(c.reverse_drift_is_error);
}

TEST_F(ProjectConfig, SnapshotMayNameAManifestNotWrittenYet) {
  const std::string path = write("manifest: db/new.yaml\nmigrations: {dir: db/migrations}\n");
  EXPECT_THROW(load_project_config(path), input_error);
  const project_config c = load_project_config(path, /*manifest_must_exist=*/false);
  EXPECT_EQ(c.manifest, (root_ / "db/new.yaml").string());
}

TEST_F(ProjectConfig, RelativeConfigPathIsMadeAbsolute) {
  write("manifest: db/models.yaml\nmigrations: {dir: db/migrations}\n");
  const fs::path old = fs::current_path();
  fs::current_path(root_ / "backend");
  const project_config c = load_project_config("../pgparity.yaml");
  fs::current_path(old);
  EXPECT_EQ(c.file, "../pgparity.yaml");
  EXPECT_EQ(c.base_dir, root_.string());
  EXPECT_EQ(c.manifest, (root_ / "db/models.yaml").string());
}

TEST_F(ProjectConfig, DatabaseUrlAndEnvironment) {
  EXPECT_EQ(load_project_config(write("migrations: {dir: db/migrations}\n"
                                      "database: postgres://u@localhost:5432/x\n"))
                .database,
            "postgres://u@localhost:5432/x");
  setenv("PGPARITY_TEST_DB_URL", "postgresql://me@db.example/app", 1);
  EXPECT_EQ(load_project_config(write("migrations: {dir: db/migrations}\n"
                                      "database: env:PGPARITY_TEST_DB_URL\n"))
                .database,
            "postgresql://me@db.example/app");
  setenv("PGPARITY_TEST_DB_URL", "mysql://nope", 1);
  EXPECT_EQ(error_of("migrations: {dir: db/migrations}\ndatabase: env:PGPARITY_TEST_DB_URL\n"),
            "CFG:2:11: environment variable `PGPARITY_TEST_DB_URL` (from `database: "
            "env:PGPARITY_TEST_DB_URL`) is not a postgres:// URL; set it to e.g. "
            "postgres://user@host/db");
  unsetenv("PGPARITY_TEST_DB_URL");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations}\ndatabase: env:PGPARITY_TEST_DB_URL\n"),
            "CFG:2:11: environment variable `PGPARITY_TEST_DB_URL` (from `database: "
            "env:PGPARITY_TEST_DB_URL`) is not set; export it or write `database: disposable`");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations}\ndatabase: localhost\n"),
            "CFG:2:11: expected `disposable`, a postgres:// URL or `env:NAME` for `database`, got "
            "`localhost`; write e.g. `database: env:DATABASE_URL`");
}

TEST_F(ProjectConfig, MissingFile) {
  try {
    load_project_config((root_ / "nope.yaml").string());
    FAIL() << "no error";
  } catch (const input_error& e) {
    EXPECT_EQ(std::string(e.what()), (root_ / "nope.yaml").string() +
                                         ": no such config file; create one (see "
                                         "docs/config.md) or pass --config FILE");
  }
}

TEST_F(ProjectConfig, WithDataSwitchesTheFamilyOff) {
  EXPECT_TRUE(
      load_project_config(write("migrations: {dir: db/migrations}\n")).migrations.with_data);
  EXPECT_FALSE(load_project_config(write("migrations:\n  dir: db/migrations\n  with_data: false\n"))
                   .migrations.with_data);
  EXPECT_NE(error_of("migrations:\n  dir: db/migrations\n  with_data: sometimes\n").find("CFG:3:"),
            std::string::npos);
}

TEST_F(ProjectConfig, LayoutDownsAndSessionSql) {
  const project_config c = load_project_config(
      write("migrations:\n  dir: db/migrations\n  layout: goose\n  downs: none\n"
            "  session_sql: SELECT pg_advisory_lock(0)\n"));
  EXPECT_EQ(c.migrations.layout, "goose");
  EXPECT_EQ(c.migrations.downs, "none");
  EXPECT_EQ(c.migrations.session_sql, "SELECT pg_advisory_lock(0)");
  EXPECT_EQ(c.migrations.session_sql_location.line, 5);
  EXPECT_EQ(c.migrations.session_sql_location.column, 16);
  for (const char* table : {"goose_db_version", "_prisma_migrations", "gorp_migrations",
                            "_sqlx_migrations", "schema_migration"}) {
    EXPECT_NE(std::find(c.ignore_tables.begin(), c.ignore_tables.end(), table),
              c.ignore_tables.end())
        << table;
  }
  const project_config plain = load_project_config(write("migrations: {dir: db/migrations}\n"));
  EXPECT_EQ(plain.migrations.layout, "");
  EXPECT_EQ(plain.migrations.downs, "");
  EXPECT_EQ(plain.migrations.session_sql, "");

  EXPECT_EQ(error_of("migrations:\n  dir: db/migrations\n  layout: gooze\n"),
            "CFG:3:11: unknown value `gooze` for `layout`; did you mean `goose`?");
  EXPECT_EQ(error_of("migrations:\n  dir: db/migrations\n  downs: never\n"),
            "CFG:3:10: unknown value `never` for `downs`; expected one of: none required");
  EXPECT_EQ(error_of("migrations:\n  dir: db/migrations\n  session_sql: \"  \"\n"),
            "CFG:3:16: `session_sql` is empty; write the SQL to run first, e.g. `session_sql: "
            "SELECT pg_advisory_lock(0)`, or remove the key");
  EXPECT_EQ(error_of("migrations: {up: make migrate, layout: goose}\n"),
            "CFG:1:32: `layout` in `migrations` goes with `dir`, not `up`; remove it or use "
            "`dir:`");
}

TEST_F(ProjectConfig, Errors) {
  EXPECT_EQ(error_of("manifets: db/models.yaml\n"),
            "CFG:1:1: unknown key `manifets` in the config; did you mean `manifest`?");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations}\n---\ndatabase: localhost\n"),
            "CFG:2:1: a second YAML document (`---`) starts here; pgparity reads one document "
            "per file: remove this line and merge what follows into the document above");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations, max_second: 3}\n"),
            "CFG:1:34: unknown key `max_second` in `migrations`; did you mean `max_seconds`?");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations, up: make migrate}\n"),
            "CFG:1:34: `migrations` names more than one of `dir`, `up` and `alembic`; use `dir` "
            "for a folder of SQL files, `alembic` for an alembic.ini, or `up`/`down` for a "
            "migration command");
  EXPECT_EQ(error_of("migrations: {max_seconds: 3}\n"),
            "CFG:1:1: `migrations` has none of `dir`, `up` and `alembic`; add `dir: "
            "db/migrations`, `alembic: alembic.ini` or `up: <command>`");
  EXPECT_EQ(error_of("manifest: db/models.yaml\n"),
            "CFG:1:1: no migrations configured; add `migrations: {dir: db/migrations}` or "
            "`migrations: {up: <command>}`");
  EXPECT_EQ(error_of("migrations:\n"),
            "CFG:1:1: no migrations configured; add `migrations: {dir: db/migrations}` or "
            "`migrations: {up: <command>}`");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations, down: x}\n"),
            "CFG:1:34: `down` in `migrations` goes with `up`; remove it or use `up:`");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations, python: /usr/bin/python3}\n"),
            "CFG:1:34: `python` in `migrations` goes with `alembic`; remove it or use `alembic:`");
  EXPECT_EQ(error_of("migrations: {alembic: nowhere.ini}\n"),
            "CFG:1:23: Alembic config `nowhere.ini` does not exist (ROOT/nowhere.ini); point "
            "`alembic:` at the project's alembic.ini");
  EXPECT_EQ(error_of("migrations:\n  dir: db/migrations\n  max_seconds: 0\n"),
            "CFG:3:16: expected a positive number of seconds for `max_seconds`, got `0`; write "
            "e.g. `max_seconds: 30`");
  EXPECT_EQ(error_of("migrations:\n  dir: db/migrations\n  max_seconds: soon\n"),
            "CFG:3:16: expected a positive number of seconds for `max_seconds`, got `soon`; "
            "write e.g. `max_seconds: 30`");
  EXPECT_EQ(error_of("migrations:\n  dir: db/migrations\n  max_seconds: -1\n"),
            "CFG:3:16: expected a positive number of seconds for `max_seconds`, got `-1`; write "
            "e.g. `max_seconds: 30`");
  EXPECT_EQ(error_of("manifest: db/model.yaml\nmigrations: {dir: db/migrations}\n"),
            "CFG:1:11: manifest file `db/model.yaml` does not exist (ROOT/db/model.yaml); fix "
            "the path or create the file");
  EXPECT_EQ(error_of("migrations: {dir: db/migration}\n"),
            "CFG:1:19: migrations directory `db/migration` does not exist "
            "(ROOT/db/migration); fix the path or create it");
  EXPECT_EQ(error_of("migrations: {up: x, cwd: frontend}\n"),
            "CFG:1:26: `cwd` directory `frontend` does not exist (ROOT/frontend); fix the path");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations}\nundeclared: errors\n"),
            "CFG:2:13: unknown severity `errors` for `undeclared`; did you mean `error`?");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations}\nundeclared: loud\n"),
            "CFG:2:13: unknown severity `loud` for `undeclared`; expected `warning` or `error`");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations}\nignore_tables: audit_log\n"),
            "CFG:2:16: expected a list for `ignore_tables` in the config, got `audit_log`; write "
            "a list like `[audit_log]`");
  EXPECT_EQ(error_of("migrations: [db/migrations]\n"),
            "CFG:1:13: expected a map for `migrations`, got a list; write `key: value` pairs");
  EXPECT_EQ(error_of("migrations: {dir: db/migrations\n"),
            "CFG:2:1: not valid YAML: end of map flow not found; check the indentation and "
            "quoting there");
  EXPECT_EQ(error_of(""),
            "CFG:1:1: expected a map with `manifest`, `migrations` and `database` in the config, "
            "got null; see docs/config.md");
}

}  // namespace
}  // namespace pgparity

namespace pgparity {
namespace {

TEST_F(ProjectConfig, ModelsFromSqlalchemy) {
  const std::string path = write(
      "models:\n  sqlalchemy: app.extensions:db\n  import: [app.models]\n"
      "  python: backend/python\n  path: [backend]\nmigrations: {dir: db/migrations}\n");
  std::ofstream(root_ / "backend" / "python") << "";
  const project_config c = load_project_config(path);
  ASSERT_TRUE(c.models.has_value());
  EXPECT_EQ(c.manifest, std::nullopt);
  EXPECT_EQ(c.models->sqlalchemy, "app.extensions:db");
  EXPECT_EQ(c.models->imports, std::vector<std::string>{"app.models"});
  EXPECT_EQ(c.models->python, (root_ / "backend/python").string());
  EXPECT_EQ(c.models->path, std::vector<std::string>{(root_ / "backend").string()});
  EXPECT_EQ(c.models->location.line, 1);
}

TEST_F(ProjectConfig, ModelsDefaults) {
  const project_config c = load_project_config(
      write("models: {sqlalchemy: 'app:Base'}\nmigrations: {dir: db/migrations}\n"));
  EXPECT_EQ(c.models->python, "python3");  // looked up on PATH when the exporter runs
  EXPECT_EQ(c.models->path, std::vector<std::string>{root_.string()});
  EXPECT_EQ(c.models->overlay, std::nullopt);
}

TEST_F(ProjectConfig, ModelsErrors) {
  EXPECT_EQ(error_of("models: {sqlalchemy: 'a:b'}\nmanifest: db/models.yaml\n"
                     "migrations: {dir: db/migrations}\n"),
            "CFG:1:1: the config has both `models` and `manifest`; the declared side is one of "
            "them: keep `models:` to read your SQLAlchemy models, or `manifest:` for a YAML "
            "manifest");
  EXPECT_EQ(error_of("models: {sqlalchemy: app.db}\nmigrations: {dir: db/migrations}\n"),
            "CFG:1:22: expected `module:attribute` for `sqlalchemy`, got `app.db`; write e.g. "
            "`sqlalchemy: app.models:Base`");
  EXPECT_EQ(error_of("models: {import: [app]}\nmigrations: {dir: db/migrations}\n"),
            "CFG:1:1: `models` has no `sqlalchemy`; add `sqlalchemy: <module>:<attribute>`, "
            "e.g. `sqlalchemy: app.extensions:db`");
  EXPECT_EQ(error_of("models: {sqlalchemy: 'a:b', imports: [x]}\n"
                     "migrations: {dir: db/migrations}\n"),
            "CFG:1:29: unknown key `imports` in `models`; did you mean `import`?");
  EXPECT_EQ(error_of("models: {sqlalchemy: 'a:b', python: .venv/bin/python}\n"
                     "migrations: {dir: db/migrations}\n"),
            "CFG:1:37: interpreter `.venv/bin/python` does not exist (ROOT/.venv/bin/python); "
            "fix `python:` or create the virtualenv");
  EXPECT_EQ(error_of("models: {sqlalchemy: 'a:b', overlay: db/x.yaml}\n"
                     "migrations: {dir: db/migrations}\n"),
            "CFG:1:38: overlay file `db/x.yaml` does not exist (ROOT/db/x.yaml); fix the path "
            "or create the file");
}

}  // namespace
}  // namespace pgparity
