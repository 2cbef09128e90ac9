// A private run directory /dev/shm/pgparity.XXXXXX or /tmp/pgparity.XXXXXX (short: a socket
// path must fit in 107 bytes),
// mode 0700, holding the data directory, the socket, the server log and an `owner` file that
// lets a later run tell whether we are still alive. Its guardian removes it if we die.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pgparity::cluster_detail {

class run_directory {
 public:
  run_directory();
  // Removes the directory (the postmaster must be stopped) and releases the guardian.
  ~run_directory();
  run_directory(const run_directory&) = delete;
  run_directory& operator=(const run_directory&) = delete;

  const std::string& path() const { return path_; }
  std::string data_dir() const { return path_ + "/data"; }
  // The postmaster the guardian and the signal handlers must stop (0: none running).
  void set_postmaster(pid_t pid);
  // Hands the directory and its postmaster to the guardian (guardian_detach()): from now on
  // neither this object nor a signal removes them. Returns the guardian's pid.
  pid_t detach(const std::string& state_file, long max_lifetime_seconds);

 private:
  void release() noexcept;

  std::string path_;
  pid_t guardian_ = -1;
  int guardian_fd_ = -1;
  int slot_ = -1;
  bool detached_ = false;
};

// The inode of this process's PID namespace (0 when unknown), recorded in owner files.
unsigned long long pid_namespace();

// Where run directories are made (and where clean_stale_runs() looks).
const std::vector<std::string>& run_bases();

// The `owner` file: which process made the run directory and which guardian watches it.
std::string owner_file_content(pid_t owner, pid_t guardian);

}  // namespace pgparity::cluster_detail
