// The guardian: a small process forked for each disposable run that outlives pgparity by a
// moment. It holds one end of a socket pair whose other end only pgparity has; when read() says
// EOF, pgparity is gone (normal exit, crash or SIGKILL), so it stops the postmaster and removes
// the run directory. Everything here is async-signal-safe: it runs after fork() and in signal
// handlers.
#pragma once

#include <sys/types.h>

namespace pgparity::cluster_detail {

struct guardian_process {
  pid_t pid = -1;
  int write_fd = -1;  // O_CLOEXEC; closing it (or our death) releases the guardian
};

// `run_dir` must be an absolute canonical path. Returns pid -1 when fork fails.
guardian_process start_guardian(const char* run_dir);

// Tells the guardian which postmaster to stop (0: none is running). `start_time` (from
// process_start_time(), 0 when unknown) keeps it from signalling a process that reuses the pid
// after the postmaster has gone.
void guardian_set_postmaster(int write_fd, pid_t postmaster, unsigned long long start_time);

// Detached mode: once pgparity closes its end, the guardian keeps the postmaster running
// until `state_file` (absolute) disappears, `max_lifetime_seconds` pass, or the postmaster
// dies; then it stops it, removes the run directory and the state file. False when the
// message could not be sent (the guardian is gone).
bool guardian_detach(int write_fd, const char* state_file, long max_lifetime_seconds);

// Exists and is not a zombie (system calls only).
bool process_alive_raw(pid_t pid);

// SIGQUIT (immediate shutdown), wait up to `seconds`, then SIGKILL and wait a little more.
// For our own child, reaps it. System calls only.
void stop_process_raw(pid_t pid, int seconds, bool is_child);

// Stops the postmaster named in <data_dir>/postmaster.pid when it is still running in that data
// directory (its working directory is the data directory). System calls only.
void stop_postmaster_of(const char* data_dir);

}  // namespace pgparity::cluster_detail
