#include "cluster/run_dir.h"

#include <limits.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "cluster/files.h"
#include "cluster/guardian.h"
#include "cluster/process.h"
#include "cluster/signals.h"
#include "common/error.h"

namespace pgparity::cluster_detail {

std::string owner_file_content(pid_t owner, pid_t guardian) {
  auto line = [](const char* role, pid_t pid) {
    const auto start = process_start_time(pid);
    return std::string(role) + " " + std::to_string(pid) + " " +
           std::to_string(start ? *start : 0) + "\n";
  };
  // The PID namespace the pids belong to: a run in another container sharing /tmp or /dev/shm
  // is not judged by this process table (clean_stale_runs()).
  std::string out = "pgparity-run 1\n" + line("owner", owner) + "pidns " +
                    std::to_string(pid_namespace()) + " 0\n";
  if (guardian > 0) out += line("guardian", guardian);
  return out;
}

unsigned long long pid_namespace() {
  struct stat st {};
  return stat("/proc/self/ns/pid", &st) == 0 ? static_cast<unsigned long long>(st.st_ino) : 0;
}

const std::vector<std::string>& run_bases() {
  static const std::vector<std::string> bases{"/dev/shm", "/tmp"};
  return bases;
}

namespace {

// Copying a data directory into tmpfs costs a tenth of what it costs on a disk file system,
// and durability is off anyway: /dev/shm when it is a roomy tmpfs (Docker's default 64 MB is
// not), else /tmp.
std::string choose_base() {
  struct statfs fs {};
  if (statfs("/dev/shm", &fs) == 0 && fs.f_type == TMPFS_MAGIC &&
      static_cast<unsigned long long>(fs.f_bavail) * static_cast<unsigned long long>(fs.f_bsize) >=
          (1ULL << 30) &&
      access("/dev/shm", W_OK | X_OK) == 0) {
    return "/dev/shm";
  }
  return "/tmp";
}

}  // namespace

run_directory::run_directory() {
  const std::string base = choose_base();
  std::string pattern = base + "/pgparity.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw environment_error("cannot create a run directory in " + base + ": " +
                            std::strerror(errno) + "; check that " + base + " is writable");
  }
  char canonical[PATH_MAX];
  path_ = realpath(pattern.c_str(), canonical) != nullptr ? canonical : pattern;
  // The owner file goes in first: a concurrent clean_stale_runs() skips a directory without
  // one, and leaves one alone whose owner is alive.
  write_file_atomically(path_ + "/owner", owner_file_content(getpid(), 0));
  const guardian_process guardian = start_guardian(path_.c_str());
  if (guardian.pid < 0) {
    remove_tree(path_.c_str());
    throw environment_error("cannot start the cleanup process for " + path_ + ": " +
                            std::strerror(errno));
  }
  guardian_ = guardian.pid;
  guardian_fd_ = guardian.write_fd;
  slot_ = register_run(guardian_, guardian_fd_);
  try {
    write_file_atomically(path_ + "/owner", owner_file_content(getpid(), guardian_));
    const run_user& user = server_user();
    if (user.switch_user && chown(path_.c_str(), user.uid, user.gid) != 0) {
      throw environment_error("cannot give " + path_ + " to user " + user.name + ": " +
                              std::strerror(errno));
    }
  } catch (...) {
    release();
    throw;
  }
}

run_directory::~run_directory() { release(); }

void run_directory::release() noexcept {
  unregister_run(slot_);
  slot_ = -1;
  if (!detached_) remove_tree(path_.c_str());
  // Not detached: the guardian finds nothing left and exits. Detached: it starts watching.
  if (guardian_fd_ >= 0) close(guardian_fd_);
  guardian_fd_ = -1;
  // It exits at once unless it has a postmaster left to stop (at most 15 s, twice); one that
  // takes longer is stuck, and is killed rather than waited for forever.
  if (guardian_ > 0 && !detached_) wait_or_kill(guardian_, 45000);
  guardian_ = -1;
}

pid_t run_directory::detach(const std::string& state_file, long max_lifetime_seconds) {
  if (detached_) return guardian_;
  // Written first (the guardian does not watch yet): should the guardian be killed, a later
  // clean_stale_runs() leaves the server to stop_detached() while the state file exists and
  // the lifetime lasts, as the guardian would have.
  const long long now = static_cast<long long>(std::time(nullptr));
  const long long lifetime = std::max(0L, std::min(max_lifetime_seconds, 100L * 365 * 86400));
  write_file_atomically(path_ + "/owner", owner_file_content(getpid(), guardian_) + "detached " +
                                              std::to_string(now + lifetime) + " " + state_file +
                                              "\n");
  if (!guardian_detach(guardian_fd_, state_file.c_str(), max_lifetime_seconds)) {
    throw environment_error("cannot hand " + path_ + " to its cleanup process (pid " +
                            std::to_string(guardian_) + "): it is gone; start the server again");
  }
  detached_ = true;
  // A signal to this process must no longer stop the server.
  unregister_run(slot_);
  slot_ = -1;
  return guardian_;
}

void run_directory::set_postmaster(pid_t pid) {
  set_run_postmaster(slot_, pid);
  guardian_set_postmaster(guardian_fd_, pid, pid > 0 ? process_start_time(pid).value_or(0) : 0);
}

}  // namespace pgparity::cluster_detail
