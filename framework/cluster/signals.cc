#include "cluster/signals.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cluster/database_sql.h"
#include "cluster/files.h"
#include "cluster/guardian.h"
#include "cluster/process.h"

namespace pgparity::cluster_detail {

namespace {

// Signals must not see a half-updated slot from this thread, and the drop thread must never
// run the handler itself (it would wait for itself).
class block_signals {
 public:
  block_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~block_signals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  block_signals(const block_signals&) = delete;
  block_signals& operator=(const block_signals&) = delete;

 private:
  sigset_t old_;
};

struct run_slot {
  std::atomic<pid_t> guardian{0};
  std::atomic<pid_t> postmaster{0};
  std::atomic<int> guardian_fd{-1};
};
constexpr int max_runs = 64;
run_slot runs[max_runs];

struct external_entry {
  std::string admin_conninfo;
  int version_num = 0;
  std::set<std::string> databases;
};
// Never destroyed: servers held in static variables unregister during static destruction.
struct external_registry {
  std::timed_mutex mutex;
  std::map<std::uint64_t, external_entry> entries;
  std::uint64_t next_id = 1;
};
external_registry& registry() {
  static auto* instance = new external_registry;
  return *instance;
}
std::atomic<int> external_count{0};

// Staging entries being written into the cache: removed by the handler, so a signal in the
// middle of a copy leaves no half-made folder or file.
struct staging_slot {
  std::atomic<bool> taken{false};
  std::atomic<bool> ready{false};
  char path[4096] = {};
};
constexpr int max_staging = 16;
staging_slot staging[max_staging];

// The handler cannot call libpq; it wakes this thread, which drops the databases, and waits
// for it (bounded: a hung server must not keep us from exiting).
int wake_pipe[2] = {-1, -1};
int done_pipe[2] = {-1, -1};

void drop_thread() {
  char byte = 0;
  while (read(wake_pipe[0], &byte, 1) < 0 && errno == EINTR) {
  }
  external_registry& externals = registry();
  if (externals.mutex.try_lock_for(std::chrono::seconds(2))) {
    for (const auto& [id, entry] : externals.entries) {
      for (const auto& name : entry.databases) {
        try {
          drop_database_sql(entry.admin_conninfo, entry.version_num, name);
        } catch (...) {
          // Best effort: we are exiting on a signal.
        }
      }
    }
    externals.mutex.unlock();
  }
  while (write(done_pipe[1], &byte, 1) < 0 && errno == EINTR) {
  }
}

void on_signal(int sig) {
  for (auto& run : runs) {
    const pid_t postmaster = run.postmaster.exchange(0);
    if (postmaster > 0) stop_process_raw(postmaster, 10, true);
    const int fd = run.guardian_fd.exchange(-1);
    if (fd >= 0) close(fd);  // the guardian removes the run directory, then exits
    const pid_t guardian = run.guardian.exchange(0);
    // We are exiting and must not hang on a stuck guardian: a later clean_stale_runs() removes
    // whatever it left.
    if (guardian > 0) wait_or_kill(guardian, 20000);
  }
  for (auto& entry : staging) {
    if (entry.ready.exchange(false)) remove_tree(entry.path);
  }
  if (external_count.load() > 0 && wake_pipe[1] >= 0) {
    const char byte = 1;
    if (write(wake_pipe[1], &byte, 1) == 1) {
      pollfd done{done_pipe[0], POLLIN, 0};
      poll(&done, 1, 10000);
    }
  }
  _exit(128 + sig);
}

}  // namespace

void install_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGINT);
    sigaddset(&action.sa_mask, SIGTERM);
    for (int sig : {SIGINT, SIGTERM}) {
      struct sigaction previous {};
      sigaction(sig, nullptr, &previous);
      if (previous.sa_handler == SIG_IGN) continue;  // respect nohup and friends
      sigaction(sig, &action, nullptr);
    }
  });
}

namespace {

void start_drop_thread() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (pipe2(wake_pipe, O_CLOEXEC) != 0 || pipe2(done_pipe, O_CLOEXEC) != 0) return;
    block_signals blocked;  // the new thread inherits the blocked mask
    std::thread(drop_thread).detach();
  });
}

}  // namespace

int register_run(pid_t guardian, int guardian_fd) {
  install_handlers();
  block_signals blocked;
  for (int slot = 0; slot < max_runs; ++slot) {
    pid_t expected = 0;
    if (runs[slot].guardian.compare_exchange_strong(expected, guardian)) {
      runs[slot].guardian_fd.store(guardian_fd);
      return slot;
    }
  }
  return -1;
}

void set_run_postmaster(int slot, pid_t postmaster) {
  if (slot < 0) return;
  runs[slot].postmaster.store(postmaster);
}

void unregister_run(int slot) {
  if (slot < 0) return;
  block_signals blocked;
  runs[slot].postmaster.store(0);
  runs[slot].guardian_fd.store(-1);
  runs[slot].guardian.store(0);
}

int register_staging(const std::string& path) {
  install_handlers();
  if (path.size() >= sizeof staging[0].path) return -1;
  block_signals blocked;
  for (int slot = 0; slot < max_staging; ++slot) {
    bool expected = false;
    if (staging[slot].taken.compare_exchange_strong(expected, true)) {
      path.copy(staging[slot].path, path.size());
      staging[slot].path[path.size()] = '\0';
      staging[slot].ready.store(true);
      return slot;
    }
  }
  return -1;  // a later run reaps it (clean_stale_staging)
}

void unregister_staging(int slot) {
  if (slot < 0) return;
  block_signals blocked;
  staging[slot].ready.store(false);
  staging[slot].taken.store(false);
}

std::uint64_t register_external(const std::string& admin_conninfo, int version_num) {
  install_handlers();
  start_drop_thread();
  external_registry& externals = registry();
  std::lock_guard<std::timed_mutex> lock(externals.mutex);
  const std::uint64_t id = externals.next_id++;
  externals.entries[id] = external_entry{admin_conninfo, version_num, {}};
  ++external_count;
  return id;
}

void note_database(std::uint64_t id, const std::string& name, bool exists) {
  external_registry& externals = registry();
  std::lock_guard<std::timed_mutex> lock(externals.mutex);
  const auto entry = externals.entries.find(id);
  if (entry == externals.entries.end()) return;
  if (exists) {
    entry->second.databases.insert(name);
  } else {
    entry->second.databases.erase(name);
  }
}

void unregister_external(std::uint64_t id) {
  external_registry& externals = registry();
  std::lock_guard<std::timed_mutex> lock(externals.mutex);
  if (externals.entries.erase(id) > 0) --external_count;
}

}  // namespace pgparity::cluster_detail
