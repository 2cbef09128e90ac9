// Migration layouts, ordering, and applying them to a database.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cluster/server.h"
#include "manifest/project_config.h"

namespace pgparity {

enum class migration_layout {
  golang_migrate,
  diesel,
  dbmate,
  flyway,
  plain,
  goose,
  prisma,
  sql_migrate,
  sqlx,
  popx,  // ory popx (kratos, hydra, keto)
  alembic,
};
// The layout's name as pgparity.yaml's `migrations.layout` spells it ("golang-migrate", ...).
const char* layout_name(migration_layout layout);
// The layout `name` names; nullopt for an unknown name.
std::optional<migration_layout> layout_named(const std::string& name);
// The table the layout's tool records applied migrations in ("" for plain). The checks ignore
// it, and a fully rolled-back database may still hold it.
const char* bookkeeping_table_of(migration_layout layout);

struct migration_step {
  std::string version;    // as written: "0001", "2019-02-26-002946", "1.2"
  std::string name;       // human part of the name
  std::string up_file;    // absolute path of the file holding the up SQL
  std::string down_file;  // "" when there is none (flyway without U file, plain)
  std::string up_sql;     // the SQL itself (dbmate: the up section only)
  std::string down_sql;
  int up_first_line = 1;  // line of up_file where up_sql starts (dbmate sections)
  int down_first_line = 1;
  bool in_transaction =
      true;  // false: `-- pgparity:no-transaction`, diesel metadata.toml, dbmate transaction:false
  bool down_in_transaction = true;  // the same for down_sql
  // The rollback unit this step belongs to, "" when it is one on its own. popx splits each
  // migration into one version per statement (`<14-digit ts><6-digit part>_<name>`) and
  // numbers the down statements independently of the up ones: only the whole unit's downs,
  // newest first, undo the whole unit's ups.
  std::string unit;
};

struct migration_set {
  migration_layout layout = migration_layout::plain;
  std::string dir;
  std::vector<migration_step> steps;  // in apply order
  // Hash of every migration file's name and contents: the template cache key (with the
  // server version added by the caller).
  std::string content_hash;
  // `migrations.session_sql`: run first on every session that applies migrations.
  std::string session_sql;
  std::string session_sql_origin;  // "pgparity.yaml:7:16", for messages
  // Alembic only: each step is a revision (version = revision id, name = its message, up_file =
  // down_file = its .py file), applied by running Alembic with `python` in `cwd`.
  std::string alembic_ini;
  std::string python;
  std::string cwd;
  std::vector<std::string> heads;  // more than one: the history needs `alembic merge`
  // Per step: what `alembic downgrade` undoes that revision only with (`<rev>@-1`; for a merge
  // revision, one of its parents, since `@-1` is an ambiguous walk there).
  std::vector<std::string> downgrade_targets;
};

// Detects the layout of `dir` and reads it. Throws input_error (exit 2) for a missing or
// empty directory, two migrations with one version, or an unreadable file.
// `layout` forces a layout instead of detecting it (sqlx's up-only files look plain).
migration_set read_migrations(const std::string& dir,
                              std::optional<migration_layout> layout = std::nullopt);
// The same for a config's migrations directory, with its `layout` and `session_sql` (both also
// go into the content hash: they change what the migrated template holds).
migration_set read_migrations(const migrations_config& config);

// Reads the revisions of an Alembic project (migrations.alembic) through Alembic's own API, run
// with migrations.python: base first. Throws input_error (exit 2) when Alembic cannot read them,
// environment_error (exit 3) when the interpreter or Alembic is missing.
migration_set read_alembic(const migrations_config& config);

// The migrations of a directory or an Alembic project; none in command mode.
std::optional<migration_set> read_configured_migrations(const migrations_config& config);

// Why the rollback tests (Migrations/RoundTrip, Migrations/Step) are skipped for `set`, or
// nullopt when they run: `downs: none` in the config, plain files, or a project none of whose
// migrations has a down (Prisma, up-only sqlx, ...). `downs: required` always runs them, and
// when only some migrations lack a down they run and fail for those.
std::optional<std::string> downs_skip_reason(const migration_set& set,
                                             const migrations_config& config);

struct step_timing {
  std::string version;
  std::string name;
  std::chrono::duration<double> elapsed{};
};

// The connection migrations run on in `dbname`: the server's superuser, or with `role: owner`
// a role that owns the database and is no superuser (server::owner_connection()).
connection_info migration_connection(server& srv, const std::string& dbname,
                                     const migrations_config& config);

// Applies every up migration, in order, to `db`, creating the bookkeeping table the real tool
// would (schema_migrations, __diesel_schema_migrations, flyway_schema_history). Throws
// environment_error (exit 3) for a failing migration, naming file, line, message and SQLSTATE,
// and when the total exceeds max_seconds.
std::vector<step_timing> apply_up(const migration_set& set, const connection_info& db,
                                  double max_seconds);
// Applies the down migrations of the last `count` steps, newest first (round-trip tests).
void apply_down(const migration_set& set, const connection_info& db, std::size_t count);
// One past the last step of the rollback unit that starts at `first` (first + 1 for a step
// that is a unit on its own).
std::size_t unit_end(const migration_set& set, std::size_t first);
// Applies the ups of the rollback unit starting at `first` in order, or its downs newest first.
void apply_unit(const migration_set& set, std::size_t first, bool up, const connection_info& db);
// Applies a single step's up or down.
void apply_step(const migration_set& set, std::size_t index, bool up, const connection_info& db);

// Command mode: runs `command` through /bin/sh in `cwd` with the database's environment.
// Throws environment_error with the command's exit status and the tail of its output.
void run_migration_command(const std::string& command, const std::string& cwd,
                           const connection_info& db, double max_seconds);

// A server with the project's migrated schema, ready for checks: what every command starts from.
struct migrated_run {
  std::unique_ptr<server> srv;
  // Database on `srv` holding the migrated schema. Tests read it, and clone it with
  // srv->create_database(template_db) when they need to write.
  std::string template_db;
  bool from_cache = false;  // true when no migration was applied this run
  std::vector<step_timing> timings;
  // Absent in command mode. The list, layout and hash only (without_sql): the steps are
  // applied already, and whoever applies them again reads its own set.
  std::optional<migration_set> migrations;
  // A disposable server migrated through the template cache: the template's key, and (when
  // its data directory was copied from the cache) the template_fingerprint() it had then.
  std::string template_key;
  std::string template_fingerprint;
};

// `set` without its SQL texts (a megabyte per step in a big project), as a migrated run keeps it.
migration_set without_sql(migration_set set);

// Starts the configured server (disposable, or a throwaway database on an existing one) and
// brings the migrated schema up: for a disposable server from the template cache when the
// migration files and server version are unchanged (unless `fresh`), else by applying them
// and saving the result to the cache. Building the cache is safe against concurrent runs.
migrated_run bring_up(const project_config& config, bool fresh);

// A migrated template in the cache, found without starting a server.
struct cached_template {
  std::string key;          // what bring_up() keys it by (migration files, server version)
  std::string dir;          // its data directory
  std::string fingerprint;  // template_fingerprint(dir)
  std::string server_version;
};
// The template bring_up(config) would start from, when the config names a disposable server,
// migration files (not command mode) and that template exists; nullopt otherwise (also when no
// server binaries are found: bring_up() then says so).
std::optional<cached_template> find_cached_template(const project_config& config,
                                                    const migration_set& set);
// A SHA-256 of the data directory's global/pg_control (cluster system identifier, next
// transaction id, latest checkpoint location and time) and of that file's inode and change
// time: any rebuild or copy of a template, or any start of the directory, changes it. "" when
// it cannot be read.
std::string template_fingerprint(const std::string& datadir);

}  // namespace pgparity
