// The PostgreSQL a run talks to: a disposable cluster started from the machine's own binaries
// (default), or an existing server on which only throwaway databases are created.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pgparity {

// How to reach one database: libpq keywords and a URL for child processes.
struct connection_info {
  std::string host;  // a socket directory (disposable) or a host name
  int port = 5432;
  std::string user;
  std::string password;  // empty when not needed
  std::string dbname;
  std::string extra;  // further libpq keywords from a URL (sslmode=...)

  // The same connection with the password left out: what may be printed (`migrate --keep`).
  connection_info without_password() const {
    connection_info out = *this;
    out.password.clear();
    return out;
  }
  std::string conninfo() const;  // "host=... port=... user=... dbname=..." (quoted)
  std::string url() const;       // postgresql://user@/dbname?host=/sock&port=N
  // PGHOST, PGPORT, PGUSER, PGDATABASE, (PGPASSWORD), DATABASE_URL.
  std::vector<std::pair<std::string, std::string>> environment() const;
};

struct server_binaries {
  std::string bindir;  // contains initdb, postgres, pg_ctl
  int major_version = 0;
  std::string version;  // "15.18"
};

// PGPARITY_PG_BIN, then `pg_config --bindir`, then the newest /usr/lib/postgresql/*/bin.
// Throws environment_error naming the install command when none has initdb and postgres.
server_binaries find_server_binaries();

struct disposable_options {
  std::optional<std::string> datadir_template;  // start from a copy of this data directory
  std::string cache_dir;                        // default: default_cache_dir()
  // PostgreSQL's lock table holds max_locks_per_transaction x ~120 locks for all sessions;
  // a migration creating or dropping N relations in one transaction needs N of them.
  int max_locks_per_transaction = 64;
};

// $PGPARITY_CACHE_DIR, else $XDG_CACHE_HOME/pgparity or ~/.cache/pgparity; as root
// /var/tmp/pgparity-cache (the unprivileged server user must be able to traverse it).
std::string default_cache_dir();

// A disposable server handed to its guardian by server::detach(): it keeps running after the
// process that started it (`pgparity up`) has exited.
struct detached_cluster {
  std::string run_dir;  // holds data/, the socket and server.log
  int guardian_pid = 0;
  unsigned long long guardian_start_time = 0;  // /proc start time: tells it from a reused pid
};

class server {
 public:
  virtual ~server() = default;
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Starts a private cluster. When started as root, initdb and postgres run as an
  // unprivileged account of its own (`pgparity`). Unix socket only, fsync off.
  static std::unique_ptr<server> start_disposable(const disposable_options& options = {});
  // An existing server: `url` is a libpq URL or keyword string. Checks it can be reached
  // (environment_error otherwise) and that we may CREATE DATABASE.
  static std::unique_ptr<server> connect_existing(const std::string& url);
  // The disposable server `pgparity up` started, reached through its URL by a test process:
  // as connect_existing, except that owner_connection() works (pgparity made that server).
  static std::unique_ptr<server> attach_started(const std::string& url);

  virtual bool is_disposable() const = 0;
  // Server version as "15.18" and as server_version_num (150018).
  virtual std::string version() const = 0;
  virtual int version_num() const = 0;

  // Connection to `dbname` on this server (no check that it exists).
  virtual connection_info connection(const std::string& dbname) const = 0;
  // The maintenance database used for CREATE/DROP DATABASE ("postgres").
  connection_info admin_connection() const { return connection(admin_database()); }
  virtual std::string admin_database() const = 0;

  // Creates a database pgparity_<random> (optionally from a template database) and returns its
  // name. It is dropped by drop_database() or when the server object is destroyed.
  virtual std::string create_database(const std::optional<std::string>& template_db = {}) = 0;
  // A connection to `dbname` (created by this object) as `pgparity_owner`, a role that is no
  // superuser and owns that database (made on first use: LOGIN, no CREATEDB, CREATEROLE,
  // REPLICATION or BYPASSRLS). Servers pgparity started only (disposable, or attached to
  // `pgparity up`'s); on a user's server it throws input_error.
  virtual connection_info owner_connection(const std::string& dbname);

  // Drops a database this object created. Refuses (input_error) any other name.
  virtual void drop_database(const std::string& name) = 0;

  // Disposable only: stop the server cleanly, copy its data directory to `destination`
  // atomically (rename of a finished copy; an existing destination wins), then start again.
  // Used to cache a migrated cluster as a template for later runs.
  virtual void save_datadir(const std::string& destination) = 0;

  // Disposable only (others throw input_error): the server outlives this object and this
  // process. Its guardian stops it and removes its run directory once `state_file` (absolute
  // path, written by the caller after this returns) no longer exists, or after
  // `max_lifetime_seconds`, or when the postmaster dies. See stop_detached().
  virtual detached_cluster detach(const std::string& state_file, long max_lifetime_seconds);

 protected:
  server() = default;
};

// Installs the SIGINT / SIGTERM handlers that stop this process's servers and drop its throwaway
// databases before exiting with 128 + signal. Servers install them too; main() calls this first
// so that no signal finds the default action while something is being created.
void install_signal_handlers();

// Removes run directories and stops servers that a killed pgparity run (SIGKILL) left behind.
// Only directories created by pgparity whose owning process and guardian are both gone are
// touched; a detached server whose guardian was killed is left to stop_detached() while its
// state file exists and its lifetime lasts. Called by start_disposable(); exposed for tests.
// Returns the number of leftovers removed.
int clean_stale_runs(std::vector<std::string>* removed_paths = nullptr);

// A name beside `destination` to build a cache entry under before renaming it into place:
// `<destination>.tmp.<pid>.<start>.<random>`. While it lives, SIGINT / SIGTERM remove it; its
// destructor removes it unless it was renamed away; a run killed with SIGKILL leaves it to
// clean_stale_cache() of a later run.
class staging_entry {
 public:
  explicit staging_entry(const std::string& destination);
  ~staging_entry();
  staging_entry(const staging_entry&) = delete;
  staging_entry& operator=(const staging_entry&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int slot_;
};

// Removes staging entries (folders and files) of dead runs from the cache directory `cache`
// and its templates/ and canonical/ folders, and with `older_than_seconds` any not modified for
// that long. Returns how many it removed (their paths in `removed_paths` when given).
int clean_stale_cache(const std::string& cache, std::vector<std::string>* removed_paths = nullptr,
                      std::optional<long long> older_than_seconds = std::nullopt);

// One pgparity_* database on an existing server as `pgparity clean` saw it.
struct stale_database {
  std::string name;
  bool drop = false;   // dropped (or, listing only, would be)
  std::string reason;  // why it was dropped or kept
};

// `pgparity clean --database URL`: connects like connect_existing() (without its own cleanup)
// and judges every pgparity_* database there (see cluster/database_sql.h clean_databases()).
std::vector<stale_database> clean_existing_server(const std::string& url,
                                                  std::optional<long long> older_than_seconds);

// Stops a detached cluster: removes `state_file` (which tells its guardian to stop the server),
// waits for the guardian, and when the guardian is gone already (killed) stops the postmaster
// and removes the run directory itself. Safe to call twice, and after a failed start.
void stop_detached(const detached_cluster& cluster, const std::string& state_file);

}  // namespace pgparity
