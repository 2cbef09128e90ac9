// Child processes of the cluster module: spawning initdb/postgres (as an unprivileged user when we
// are root), waiting for them, and telling whether a process is still alive.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace pgparity::cluster_detail {

// Who runs initdb and postgres. PostgreSQL refuses to run as root, so when we are root the
// server runs as the dedicated unprivileged account `pgparity` (created when missing;
// PGPARITY_SERVER_USER names another); otherwise as ourselves. docs/troubleshooting.md.
struct run_user {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, looked up before fork
  std::string name;
};
const run_user& server_user();

struct spawn_options {
  const run_user* user = nullptr;  // switch to this user in the child when switch_user
  std::string output_file;         // stdout and stderr appended here; /dev/null when empty
  bool new_session = false;        // setsid(): a terminal Ctrl-C must not reach it
};

// fork + exec. Only async-signal-safe calls run between the two. Throws environment_error when
// fork fails; a failing exec makes the child exit 127.
pid_t spawn(const std::vector<std::string>& argv, const spawn_options& options);

// Waits at most `timeout_ms` for a child; returns its exit status (128 + signal when killed),
// or nullopt when it is still running then.
std::optional<int> wait_for_within(pid_t pid, long timeout_ms);

// Waits at most `timeout_ms` for a child, then kills it (SIGKILL) and reaps it (bounded too).
// Returns its exit status, or nullopt when it had to be killed. wait_for_within() and this use
// system calls only, so signal handlers may call them.
std::optional<int> wait_or_kill(pid_t pid, long timeout_ms);

// Runs argv, returns its exit status and (first 64 KiB of) its standard output.
int run_capture(const std::vector<std::string>& argv, std::string& output);

// Field 22 of /proc/<pid>/stat (start time in clock ticks); nullopt when there is no such
// process. Together with the pid it names a process even after the pid is reused.
std::optional<unsigned long long> process_start_time(pid_t pid);

// Closes every descriptor >= 3 except `keep` (-1: none). Async-signal-safe.
void close_other_fds(int keep);

}  // namespace pgparity::cluster_detail
