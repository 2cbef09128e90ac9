// From a project config to a server holding the migrated schema, through the template cache
// when the migrations and server version are unchanged.
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include "common/cache_file.h"
#include "common/error.h"
#include "common/sha256.h"
#include "migrate/apply_detail.h"
#include "migrate/detail.h"
#include "migrate/migrations.h"
#include "migrate/pq_session.h"

namespace pgparity {
namespace fs = std::filesystem;

namespace {

// Bump when what a cached template holds changes (database name, bookkeeping, ...). 2: the
// goose, sql-migrate, Prisma, sqlx and popx layouts (the same files read as plain before).
constexpr const char* k_template_format = "pgparity-template-2";
constexpr const char* k_migrated_database = "pgparity_migrated";

bool is_disposable(const project_config& config) {
  return config.database.empty() || config.database == "disposable";
}

std::string config_name(const project_config& config) {
  return config.file.empty() ? "pgparity.yaml" : config.file;
}

std::string cwd_of(const project_config& config) {
  if (!config.migrations.cwd.empty()) return config.migrations.cwd;
  return config.base_dir.empty() ? fs::current_path().string() : config.base_dir;
}

void require_migrations(const project_config& config) {
  if (!config.migrations.dir && !config.migrations.up && !config.migrations.alembic) {
    throw input_error(
        fmt::format("{}: no migrations configured; add `migrations: {{dir: <folder>}}`, "
                    "`migrations: {{alembic: alembic.ini}}` or `migrations: {{up: <command>}}`",
                    config_name(config)));
  }
}

// Moves a stale template out of the way, then deletes it; readers that already copied it
// are unaffected and new ones see it missing.
void discard_template(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  const staging_entry trash(dir.string());  // a later run removes it if we are killed here
  fs::rename(dir, trash.path(), ec);
}

migrated_run command_mode(const project_config& config, std::unique_ptr<server> srv) {
  migrated_run run;
  run.template_db = srv->create_database();
  const auto started = std::chrono::steady_clock::now();
  run_migration_command(*config.migrations.up, cwd_of(config),
                        migration_connection(*srv, run.template_db, config.migrations),
                        config.migrations.max_seconds);
  run.timings.push_back(
      {"command", *config.migrations.up, std::chrono::steady_clock::now() - started});
  run.srv = std::move(srv);
  return run;
}

// A generous count of the relations one migration step creates, drops or alters, from the
// words of its SQL: a TABLE may bring a TOAST table, its index and those of its keys (a DROP
// TABLE locks them all), UNIQUE an index, a serial or identity column a sequence. Only the size
// of the lock table depends on it.
std::size_t relations_touched(const std::string& sql) {
  static const std::map<std::string, std::size_t> weights{
      {"table", 6},     {"index", 1},       {"unique", 1},   {"primary", 1},  {"serial", 1},
      {"bigserial", 1}, {"smallserial", 1}, {"identity", 1}, {"sequence", 1}, {"view", 1}};
  std::size_t total = 0;
  std::string word;
  for (std::size_t i = 0; i <= sql.size(); ++i) {
    const char c = i < sql.size() ? sql[i] : ' ';
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') {
      if (word.size() < 12) word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      continue;
    }
    if (!word.empty()) {
      const auto found = weights.find(word);
      if (found != weights.end()) total += found->second;
      word.clear();
    }
  }
  return total;
}

// Sized for the biggest step in either direction, with room to spare: the lock table holds
// max_locks_per_transaction x (max_connections + ~22 workers) = ~120x the setting. PostgreSQL's
// default (64) holds ~7,800, enough for about a thousand tables in one transaction.
disposable_options sized_for(const migration_set& set) {
  std::size_t most = 0;
  for (const auto& step : set.steps) {
    most = std::max({most, relations_touched(step.up_sql), relations_touched(step.down_sql)});
  }
  disposable_options options;
  options.max_locks_per_transaction =
      static_cast<int>(std::max<std::size_t>(64, std::min<std::size_t>(most / 60, 1 << 20)));
  return options;
}

fs::path templates_dir() { return fs::path(default_cache_dir()) / "templates"; }

// The role migrations run as is part of the key: `role: owner` builds other objects' owners.
std::string template_key(const migration_set& set, const server_binaries& binaries,
                         const std::string& role) {
  return sha256_hex(fmt::format("{}\n{}\n{}\n{}", k_template_format, set.content_hash,
                                binaries.version, role))
      .substr(0, 24);
}

}  // namespace

std::string template_fingerprint(const std::string& datadir) {
  // pg_control alone can repeat: the same migrations replayed from the same initdb copy within
  // one second write the same bytes. The file's inode and change time (nanoseconds) cannot:
  // every build or copy of a template creates it anew.
  const std::string path = (fs::path(datadir) / "global" / "pg_control").string();
  struct stat file {};
  if (::stat(path.c_str(), &file) != 0) return "";
  const std::string control = read_cache_file(path);
  if (control.empty()) return "";
  return sha256_hex(
      fmt::format("{}\n{} {} {}", control, file.st_ino, file.st_ctim.tv_sec, file.st_ctim.tv_nsec));
}

std::optional<cached_template> find_cached_template(const project_config& config,
                                                    const migration_set& set) {
  if (!is_disposable(config) || (!config.migrations.dir && !config.migrations.alembic)) {
    return std::nullopt;
  }
  server_binaries binaries;
  try {
    binaries = find_server_binaries();
  } catch (const environment_error&) {
    return std::nullopt;
  }
  cached_template out;
  out.key = template_key(set, binaries, config.migrations.role);
  out.dir = (templates_dir() / out.key).string();
  out.fingerprint = template_fingerprint(out.dir);
  out.server_version = binaries.version;
  if (out.fingerprint.empty()) return std::nullopt;
  return out;
}

migration_set without_sql(migration_set set) {
  for (auto& step : set.steps) {
    std::string().swap(step.up_sql);  // swap: clear() would keep the buffer
    std::string().swap(step.down_sql);
  }
  return set;
}

connection_info migration_connection(server& srv, const std::string& dbname,
                                     const migrations_config& config) {
  return config.role == "owner" ? srv.owner_connection(dbname) : srv.connection(dbname);
}

migrated_run bring_up(const project_config& config, bool fresh) {
  require_migrations(config);
  const double max_seconds = config.migrations.max_seconds;

  if (!config.migrations.dir && !config.migrations.alembic) {
    // Command mode: the command's inputs are unknown to us, so nothing is cached.
    auto srv = is_disposable(config) ? server::start_disposable()
                                     : server::connect_existing(config.database);
    return command_mode(config, std::move(srv));
  }

  migration_set set = *read_configured_migrations(config.migrations);
  migrated_run run;

  if (!is_disposable(config)) {
    // Only a throwaway database is written on somebody else's server; no cache there.
    run.srv = server::connect_existing(config.database);
    run.template_db = run.srv->create_database();
    run.timings = migrate_detail::apply_up_with_budget(set, run.srv->connection(run.template_db),
                                                       max_seconds, config_name(config));
    run.migrations = without_sql(std::move(set));
    return run;
  }

  const server_binaries binaries = find_server_binaries();
  const std::string key = template_key(set, binaries, config.migrations.role);
  const fs::path templates = templates_dir();
  const fs::path cached = templates / key;
  std::error_code ec;

  if (fresh) discard_template(cached);
  disposable_options options = sized_for(set);
  run.template_key = key;
  if (!fresh && fs::is_directory(cached, ec)) {
    options.datadir_template = cached.string();
    // Read before the copy: a template replaced meanwhile (--fresh elsewhere) only makes the
    // cached snapshot of this run unusable without a server, never wrongly usable.
    run.template_fingerprint = template_fingerprint(cached.string());
    run.srv = server::start_disposable(options);
    run.template_db = k_migrated_database;
    run.from_cache = true;
    run.migrations = without_sql(std::move(set));
    return run;
  }

  run.srv = server::start_disposable(options);
  {
    migrate_detail::pq_session admin(run.srv->admin_connection());
    admin.must(fmt::format("CREATE DATABASE {}", k_migrated_database),
               "creating the database for the migrations");
  }
  run.template_db = k_migrated_database;
  run.timings = migrate_detail::apply_up_with_budget(
      set, migration_connection(*run.srv, run.template_db, config.migrations), max_seconds,
      config_name(config));
  fs::create_directories(templates, ec);
  if (ec) {
    throw environment_error(
        fmt::format("cannot create the template cache {}: {}; set PGPARITY_CACHE_DIR to a writable "
                    "directory",
                    templates.string(), ec.message()));
  }
  // Traversable by the unprivileged server user when we run as root.
  fs::permissions(templates,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  ec);
  run.srv->save_datadir(cached.string());
  run.migrations = without_sql(std::move(set));
  return run;
}

}  // namespace pgparity
