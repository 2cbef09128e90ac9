// The default server: a private cluster from the machine's own binaries, socket only, durability
// off, initdb cached per server version, stopped and removed however the run ends.
#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cluster/files.h"
#include "cluster/process.h"
#include "cluster/run_dir.h"
#include "cluster/server_base.h"
#include "common/error.h"

namespace pgparity {

namespace fs = std::filesystem;

namespace {

constexpr const char* superuser = "pgparity";
constexpr int socket_port = 5432;  // the socket directory is private: no port clash possible
// Bounds on every wait (generous: a loaded 2-core CI runner is slow, but never this slow).
constexpr int initdb_limit_seconds = 300;
constexpr int ready_limit_seconds = 60;
constexpr int connect_timeout_seconds = 10;

std::string tail_of(const std::string& path, int lines) {
  const std::string text = cluster_detail::read_file(path);
  std::size_t start = text.size();
  while (start > 0 && text[start - 1] == '\n') --start;
  const std::size_t end = start;
  for (int seen = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++seen == lines) break;
  }
  std::string out = text.substr(start, end - start);
  for (auto& c : out) {
    if (c == '\n') c = ' ';
  }
  return out.empty() ? "(empty)" : out;
}

std::optional<cluster_detail::file_owner> copy_owner() {
  const auto& user = cluster_detail::server_user();
  if (!user.switch_user) return std::nullopt;
  return cluster_detail::file_owner{user.uid, user.gid};
}

// A finished copy is renamed into place; when another run got there first, its copy wins.
void publish_copy(const std::string& from, const std::string& destination) {
  const fs::path parent = fs::path(destination).parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) {
    throw environment_error("cannot create " + parent.string() + ": " + ec.message() +
                            "; check the cache directory (PGPARITY_CACHE_DIR)");
  }
  const staging_entry staging(destination);  // removed on every way out
  cluster_detail::copy_tree(from, staging.path());
  if (std::rename(staging.path().c_str(), destination.c_str()) != 0) {
    const int error = errno;
    if (error != EEXIST && error != ENOTEMPTY) {
      throw environment_error("cannot rename " + staging.path() + " to " + destination + ": " +
                              std::strerror(error));
    }
  }
}

class disposable_server final : public cluster_detail::server_base {
 public:
  explicit disposable_server(const disposable_options& options)
      : binaries_(find_server_binaries()), max_locks_(options.max_locks_per_transaction) {
    prepare_datadir(options);
    try {
      start_postmaster();
    } catch (...) {
      stop_postmaster();
      throw;
    }
  }

  ~disposable_server() override {
    if (!detached_) stop_postmaster();
  }

  bool is_disposable() const override { return true; }
  std::string version() const override { return version_; }
  int version_num() const override { return version_num_; }
  std::string admin_database() const override { return "postgres"; }

  connection_info connection(const std::string& dbname) const override {
    connection_info info;
    info.host = run_.path();
    info.port = socket_port;
    info.user = superuser;
    info.dbname = dbname;
    return info;
  }

  detached_cluster detach(const std::string& state_file, long max_lifetime_seconds) override {
    if (postmaster_ <= 0) {
      throw environment_error("cannot detach the server in " + run_.path() + ": it is not running");
    }
    detached_cluster out;
    out.run_dir = run_.path();
    out.guardian_pid = run_.detach(state_file, max_lifetime_seconds);
    out.guardian_start_time = cluster_detail::process_start_time(out.guardian_pid).value_or(0);
    detached_ = true;
    return out;
  }

  void save_datadir(const std::string& destination) override {
    if (detached_) throw input_error("cannot save the data directory of a detached server");
    stop_postmaster();
    try {
      publish_copy(run_.data_dir(), destination);
    } catch (...) {
      start_postmaster();
      throw;
    }
    start_postmaster();
  }

 private:
  void prepare_datadir(const disposable_options& options) {
    const std::string data = run_.data_dir();
    if (options.datadir_template) {
      if (!fs::exists(fs::path(*options.datadir_template) / "PG_VERSION")) {
        throw environment_error("template data directory " + *options.datadir_template +
                                " is not a PostgreSQL data directory (no PG_VERSION)");
      }
      cluster_detail::copy_tree(*options.datadir_template, data, copy_owner());
    } else {
      const std::string cache =
          (options.cache_dir.empty() ? default_cache_dir() : options.cache_dir) + "/initdb-" +
          binaries_.version;
      if (fs::exists(fs::path(cache) / "data" / "PG_VERSION")) {
        cluster_detail::copy_tree(cache + "/data", data, copy_owner());
      } else {
        run_initdb(data);
        cache_initdb(cache);
      }
    }
    // A copy of a data directory that was not shut down cleanly carries a stale lock file.
    std::remove((data + "/postmaster.pid").c_str());
    chmod(data.c_str(), 0700);
  }

  void run_initdb(const std::string& data) {
    const std::string log = run_.path() + "/initdb.log";
    cluster_detail::spawn_options spawn;
    spawn.user = &cluster_detail::server_user();
    spawn.output_file = log;
    // 1 MB WAL segments keep the copied data directory small (16 MB otherwise).
    const pid_t initdb = cluster_detail::spawn(
        {binaries_.bindir + "/initdb", "-D", data, "-U", superuser, "--auth=trust", "-E", "UTF8",
         "--locale=C", "--no-sync", "--no-instructions", "--wal-segsize=1"},
        spawn);
    // Stopped like a postmaster should we be killed meanwhile: initdb would otherwise start its
    // next standalone backend in a data directory the guardian is removing.
    run_.set_postmaster(initdb);
    const auto finished = cluster_detail::wait_or_kill(initdb, initdb_limit_seconds * 1000L);
    run_.set_postmaster(0);
    if (!finished) {
      throw environment_error("initdb did not finish within " +
                              std::to_string(initdb_limit_seconds) +
                              " s (killed); its log ends: " + tail_of(log, 3) +
                              "; check the machine's load and free space in " + run_.path());
    }
    const int status = *finished;
    if (status != 0) {
      throw environment_error("initdb failed (exit status " + std::to_string(status) +
                              "): " + tail_of(log, 3));
    }
  }

  // Later runs copy this instead of running initdb. Both copies are made by us (root when we
  // are root), so the server user never needs to reach the cache directory.
  void cache_initdb(const std::string& cache) {
    try {
      const fs::path root = fs::path(cache).parent_path();
      fs::create_directories(root);
      chmod(root.c_str(), 0755);
      const staging_entry staging(cache);  // removed unless renamed (another run was first)
      fs::create_directory(staging.path());
      chmod(staging.path().c_str(), 0755);
      publish_copy(run_.data_dir(), staging.path() + "/data");
      std::rename(staging.path().c_str(), cache.c_str());
    } catch (const std::exception& e) {
      std::cerr << "pgparity: warning: cannot cache initdb result in " << cache << ": " << e.what()
                << " (every run will run initdb)\n";
    }
  }

  void start_postmaster() {
    const std::string log = run_.path() + "/server.log";
    cluster_detail::spawn_options spawn;
    spawn.user = &cluster_detail::server_user();
    spawn.output_file = log;
    spawn.new_session = true;  // a terminal Ctrl-C reaches us, and we stop it in order
    postmaster_ = cluster_detail::spawn({binaries_.bindir + "/postgres",
                                         "-D",
                                         run_.data_dir(),
                                         "-k",
                                         run_.path(),
                                         "-p",
                                         std::to_string(socket_port),
                                         "-c",
                                         "listen_addresses=",
                                         "-c",
                                         "fsync=off",
                                         "-c",
                                         "synchronous_commit=off",
                                         "-c",
                                         "full_page_writes=off",
                                         "-c",
                                         "max_connections=100",
                                         "-c",
                                         "shared_buffers=16MB",
                                         "-c",
                                         "max_locks_per_transaction=" + std::to_string(max_locks_),
                                         "-c",
                                         "logging_collector=off"},
                                        spawn);
    run_.set_postmaster(postmaster_);
    wait_until_ready(log);
  }

  void wait_until_ready(const std::string& log) {
    // Every libpq call is bounded too: a postmaster that accepts but never answers (stopped,
    // overloaded) must not hold us past the deadline.
    const std::string conninfo = connection(admin_database()).conninfo() +
                                 " connect_timeout=" + std::to_string(connect_timeout_seconds);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(ready_limit_seconds);
    for (;;) {
      if (PQping(conninfo.c_str()) == PQPING_OK) break;
      int status = 0;
      if (waitpid(postmaster_, &status, WNOHANG) == postmaster_) {
        postmaster_ = -1;
        run_.set_postmaster(0);
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        throw environment_error("PostgreSQL did not start (exit status " + std::to_string(code) +
                                "); its log ends: " + tail_of(log, 3));
      }
      if (std::chrono::steady_clock::now() > deadline) {
        stop_postmaster();
        throw environment_error("PostgreSQL did not accept connections within " +
                                std::to_string(ready_limit_seconds) +
                                " s (stopped it); its log ends: " + tail_of(log, 3));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      const std::string message = PQerrorMessage(conn);
      PQfinish(conn);
      throw environment_error("cannot connect to the new PostgreSQL server: " + message);
    }
    version_num_ = PQserverVersion(conn);
    const char* version = PQparameterStatus(conn, "server_version");
    version_ = version != nullptr ? version : binaries_.version;
    version_.resize(std::min(version_.size(), version_.find(' ')));  // "15.20 (Debian ...)"
    PQfinish(conn);
  }

  // Fast shutdown (the data directory may be saved afterwards); escalates when it hangs:
  // SIGQUIT after 30 s, SIGKILL after 40 s. Never waits more than 50 s: a postmaster that
  // survives SIGKILL (stuck in the kernel) stays the guardian's to stop.
  void stop_postmaster() noexcept {
    if (postmaster_ <= 0) return;
    kill(postmaster_, SIGINT);
    bool reaped = false;
    for (int waited_ms = 0; waited_ms <= 50000; waited_ms += 2) {
      const pid_t r = waitpid(postmaster_, nullptr, WNOHANG);
      if (r == postmaster_ || (r < 0 && errno == ECHILD)) {
        reaped = true;
        break;
      }
      if (waited_ms == 30000) kill(postmaster_, SIGQUIT);
      if (waited_ms == 40000) kill(postmaster_, SIGKILL);
      timespec delay{0, 2000000L};
      nanosleep(&delay, nullptr);
    }
    if (!reaped) {
      std::cerr << "pgparity: warning: PostgreSQL (pid " << postmaster_ << ") in " << run_.path()
                << " did not exit within 50 s of SIGINT, SIGQUIT and SIGKILL\n";
    }
    postmaster_ = -1;
    if (reaped) run_.set_postmaster(0);
  }

  server_binaries binaries_;
  int max_locks_;  // max_locks_per_transaction, kept across the restart of save_datadir()
  cluster_detail::run_directory run_;
  pid_t postmaster_ = -1;
  bool detached_ = false;  // the guardian owns the postmaster and the run directory now
  std::string version_;
  int version_num_ = 0;
};

}  // namespace

std::unique_ptr<server> server::start_disposable(const disposable_options& options) {
  clean_stale_runs();
  // Half-made copies of killed runs: the initdb cache here, the template cache in templates/.
  const std::string cache = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  clean_stale_cache(cache);
  return std::make_unique<disposable_server>(options);
}

}  // namespace pgparity
