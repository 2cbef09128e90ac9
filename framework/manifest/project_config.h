// pgparity.yaml: where the manifest and migrations are, and which database to use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/source_location.h"

namespace pgparity {

struct migrations_config {
  // Directory mode (absolute path, resolved against the config file's directory).
  std::optional<std::string> dir;
  // Command mode: shell commands run with DATABASE_URL and PG* pointing at the database.
  std::optional<std::string> up;
  std::optional<std::string> down;
  // Alembic mode: the alembic.ini (absolute), run with `python` (default python3, from PATH).
  std::optional<std::string> alembic;
  std::string python = "python3";
  std::string cwd;  // absolute; defaults to the config file's directory
  double max_seconds = 30;
  // Directory mode: the layout named in the config ("" = detected from the files), as
  // layout_name() spells it: golang-migrate, diesel, dbmate, flyway, plain, goose, prisma,
  // sql-migrate, sqlx, popx.
  std::string layout;
  // Whether the project keeps down migrations: "" (decided from the files), "none" (the
  // rollback tests are skipped) or "required" (a missing down fails them).
  std::string downs;
  // `with_data: false` turns the Migrations/WithData tests off (each migration applied over
  // synthesised rows).
  bool with_data = true;
  // Who the migrations run as: "superuser" (default) or "owner", a role that owns the database
  // and is no superuser (disposable servers only; docs/config.md).
  std::string role = "superuser";
  source_location role_location;
  // SQL run on each migration session before the migrations (e.g. an advisory lock).
  std::string session_sql;
  source_location session_sql_location;
  source_location location;
};

// `models:`: the declared side read from the application's SQLAlchemy models by the exporter
// pgparity ships, run with the project's own interpreter.
struct models_config {
  std::string sqlalchemy;              // "module:attribute"
  std::vector<std::string> imports;    // modules imported first so every model registers
  std::string python = "python3";      // a bare name is looked up on PATH; else absolute
  std::vector<std::string> path;       // absolute sys.path entries (default: the config's dir)
  std::optional<std::string> overlay;  // absolute path of a manifest with sample:/soft_delete:
  source_location location;            // the `models` key
  source_location python_location;     // the `python` value, or the `models` key
};

struct project_config {
  std::string file;      // the config file as given
  std::string base_dir;  // absolute directory of the config file; relative paths resolve here
  std::optional<std::string> manifest;  // absolute path
  std::optional<models_config> models;  // exactly one of `manifest` and `models`
  migrations_config migrations;
  // "disposable" (default) or a postgres URL; `env:NAME` is resolved when loading.
  std::string database = "disposable";
  std::vector<std::string> ignore_tables;  // plus the migration tools' bookkeeping tables
  bool reverse_drift_is_error = false;     // `undeclared: error` (default `warning`)
  std::optional<std::string> junit_xml;    // where test runs write JUnit XML
  // The time limit of each statement of a probe (statement_timeout in its transaction): a
  // trigger or lock that stalls a probe is an error naming it, not a hang.
  double probe_timeout_seconds = 10;
};

// Loads and validates a config; throws input_error naming file:line:column with a
// "did you mean" for unknown keys. `path` defaults to ./pgparity.yaml at the call site.
// `manifest_must_exist` is false only for `pgparity snapshot`, which writes the manifest.
project_config load_project_config(const std::string& path, bool manifest_must_exist = true);

}  // namespace pgparity
