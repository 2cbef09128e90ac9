#include "cluster/guardian.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cluster/files.h"
#include "cluster/process.h"
#include "cluster/shared_memory.h"

namespace pgparity::cluster_detail {

namespace {

constexpr std::size_t path_max = 4096;
// A postmaster pid is positive: this value announces a detach message instead.
constexpr pid_t detach_marker = -2;

// "/proc/<pid>/<leaf>" without snprintf (not async-signal-safe).
void proc_path(char* out, pid_t pid, const char* leaf) {
  char digits[16];
  int n = 0;
  for (unsigned value = static_cast<unsigned>(pid); n == 0 || value != 0; value /= 10) {
    digits[n++] = static_cast<char>('0' + value % 10);
  }
  char* p = out;
  for (const char* s = "/proc/"; *s != '\0'; ++s) *p++ = *s;
  while (n > 0) *p++ = digits[--n];
  *p++ = '/';
  for (const char* s = leaf; *s != '\0'; ++s) *p++ = *s;
  *p = '\0';
}

void sleep_ms(long ms) {
  timespec delay{ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&delay, &delay) != 0 && errno == EINTR) {
  }
}

// Field 22 of /proc/<pid>/stat (start time in clock ticks); 0 when there is no such process.
// Fields resume after the last ')' (the command name may hold anything).
unsigned long long start_time_raw(pid_t pid) {
  if (pid <= 0) return 0;
  char path[64];
  proc_path(path, pid, "stat");
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buffer[1024];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  close(fd);
  if (n <= 0) return 0;
  ssize_t i = n - 1;
  while (i >= 0 && buffer[i] != ')') --i;
  if (i < 0) return 0;
  int field = 2;
  for (++i; i < n && field < 22; ++i) {
    if (buffer[i] == ' ') ++field;
  }
  unsigned long long value = 0;
  for (; i < n && buffer[i] >= '0' && buffer[i] <= '9'; ++i) {
    value = value * 10 + static_cast<unsigned long long>(buffer[i] - '0');
  }
  return field == 22 ? value : 0;
}

bool gone(pid_t pid, bool is_child) {
  if (is_child) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
  }
  return !process_alive_raw(pid);
}

bool wait_gone(pid_t pid, int ms, bool is_child) {
  for (int waited = 0; waited <= ms; waited += 5) {
    if (gone(pid, is_child)) return true;
    sleep_ms(5);
  }
  return false;
}

// Detached mode, filled in by the detach message (the guardian is single-threaded).
char state_file[path_max];
long long lifetime_seconds = 0;

bool read_full(int fd, void* out, std::size_t size) {
  char* p = static_cast<char*>(out);
  while (size > 0) {
    const ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// The socket is blocking and the guardian drains it at once: a small message always fits.
bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_detach_message(int fd) {
  long long lifetime = 0;
  unsigned length = 0;
  if (!read_full(fd, &lifetime, sizeof lifetime) || !read_full(fd, &length, sizeof length) ||
      length == 0 || length >= path_max || !read_full(fd, state_file, length)) {
    state_file[0] = '\0';
    return false;
  }
  state_file[length] = '\0';
  lifetime_seconds = lifetime;
  return true;
}

long long monotonic_ms() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<long long>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

// The postmaster we were told about, by pid and start time: once it has exited, its pid may
// belong to an unrelated process (the zombie is reaped by init when its parent has gone).
struct postmaster_id {
  pid_t pid = 0;
  unsigned long long start_time = 0;  // 0: unknown, trust the pid
};

bool still_running(const postmaster_id& postmaster) {
  if (postmaster.pid <= 0 || !process_alive_raw(postmaster.pid)) return false;
  return postmaster.start_time == 0 || start_time_raw(postmaster.pid) == postmaster.start_time;
}

// After pgparity has gone: wait for the state file to disappear (`pgparity down`), the
// lifetime to run out (a forgotten cluster) or the postmaster to die.
void watch_detached(const postmaster_id& postmaster, long long deadline) {
  while (access(state_file, F_OK) == 0 && monotonic_ms() < deadline &&
         (postmaster.pid <= 0 || still_running(postmaster))) {
    sleep_ms(50);
  }
}

[[noreturn]] void guardian_main(int read_fd, const char* run_dir, const char* data_dir) {
  setsid();
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaction(sig, &ignore, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // Hold no other descriptor: a pipe (say, a test reading our parent's stdout) must not wait
  // for us, and another guardian's pipe must not be kept open by us.
  const int null_fd = open("/dev/null", O_RDWR);
  if (null_fd >= 0) {
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
  }
  if (read_fd < 3) _exit(1);
  if (chdir("/") != 0) _exit(1);
  close_other_fds(read_fd);
  postmaster_id postmaster;
  bool detached = false;
  long long deadline = 0;
  // Messages: a pid (then its start time), or detach_marker (then the detach message). A
  // short read is EOF: pgparity is gone or done with us (it never sends half a message).
  for (;;) {
    pid_t value = 0;
    if (!read_full(read_fd, &value, sizeof value)) break;
    if (value == detach_marker) {
      detached = read_detach_message(read_fd);
      deadline = monotonic_ms() + lifetime_seconds * 1000;
      if (!detached) break;
      continue;
    }
    unsigned long long start_time = 0;
    if (!read_full(read_fd, &start_time, sizeof start_time)) break;
    postmaster.pid = value;
    postmaster.start_time = start_time;
  }
  if (detached) watch_detached(postmaster, deadline);
  if (still_running(postmaster)) stop_process_raw(postmaster.pid, 10, false);
  // Twice when something still wrote into it (a backend that was just starting).
  for (int pass = 0; pass < 2; ++pass) {
    stop_postmaster_of(data_dir);
    reap_processes_and_shared_memory(data_dir);
    if (remove_tree(run_dir)) break;
  }
  if (detached) unlink(state_file);
  _exit(0);
}

}  // namespace

bool process_alive_raw(pid_t pid) {
  if (pid <= 0) return false;
  char path[64];
  proc_path(path, pid, "stat");
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[512];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  close(fd);
  if (n <= 0) return false;
  ssize_t close_paren = -1;
  for (ssize_t i = 0; i < n; ++i) {
    if (buffer[i] == ')') close_paren = i;
  }
  if (close_paren < 0 || close_paren + 2 >= n) return false;
  const char state = buffer[close_paren + 2];
  return state != 'Z' && state != 'X';
}

void stop_process_raw(pid_t pid, int seconds, bool is_child) {
  if (pid <= 0 || gone(pid, is_child)) return;
  kill(pid, SIGQUIT);
  if (wait_gone(pid, seconds * 1000, is_child)) return;
  kill(pid, SIGKILL);
  wait_gone(pid, 5000, is_child);
}

void stop_postmaster_of(const char* data_dir) {
  char path[path_max];
  const std::size_t length = std::strlen(data_dir);
  if (length + 20 >= path_max) return;
  std::memcpy(path, data_dir, length);
  std::memcpy(path + length, "/postmaster.pid", 16);
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buffer[32];
  const ssize_t n = read(fd, buffer, sizeof buffer - 1);
  close(fd);
  if (n <= 0) return;
  pid_t pid = 0;
  for (ssize_t i = 0; i < n && buffer[i] >= '0' && buffer[i] <= '9'; ++i) {
    pid = pid * 10 + (buffer[i] - '0');
  }
  if (pid <= 1) return;
  // The postmaster's working directory is its data directory: this tells it from a process
  // that merely reuses the pid.
  char cwd_link[64];
  proc_path(cwd_link, pid, "cwd");
  char cwd[path_max];
  const ssize_t cwd_length = readlink(cwd_link, cwd, sizeof cwd - 1);
  if (cwd_length < 0 || static_cast<std::size_t>(cwd_length) != length ||
      std::memcmp(cwd, data_dir, length) != 0) {
    return;
  }
  stop_process_raw(pid, 10, false);
}

guardian_process start_guardian(const char* run_dir) {
  guardian_process result;
  char data_dir[path_max];
  const std::size_t length = std::strlen(run_dir);
  if (length + 6 >= path_max) return result;
  std::memcpy(data_dir, run_dir, length);
  std::memcpy(data_dir + length, "/data", 6);
  // A socket pair rather than a pipe: send(MSG_NOSIGNAL) cannot raise SIGPIPE in pgparity
  // should the guardian be gone (killed by hand).
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return result;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[1]);
    guardian_main(fds[0], run_dir, data_dir);
  }
  close(fds[0]);
  if (pid < 0) {
    close(fds[1]);
    return result;
  }
  result.pid = pid;
  result.write_fd = fds[1];
  return result;
}

bool guardian_detach(int write_fd, const char* path, long max_lifetime_seconds) {
  if (write_fd < 0) return false;
  const std::size_t length = std::strlen(path);
  if (length == 0 || length >= path_max) return false;
  const long long lifetime = max_lifetime_seconds;
  const unsigned size = static_cast<unsigned>(length);
  char message[sizeof(pid_t) + sizeof lifetime + sizeof size + path_max];
  char* p = message;
  std::memcpy(p, &detach_marker, sizeof detach_marker);
  p += sizeof detach_marker;
  std::memcpy(p, &lifetime, sizeof lifetime);
  p += sizeof lifetime;
  std::memcpy(p, &size, sizeof size);
  p += sizeof size;
  std::memcpy(p, path, length);
  p += length;
  return send_all(write_fd, message, static_cast<std::size_t>(p - message));
}

void guardian_set_postmaster(int write_fd, pid_t postmaster, unsigned long long start_time) {
  if (write_fd < 0) return;
  char message[sizeof postmaster + sizeof start_time];
  std::memcpy(message, &postmaster, sizeof postmaster);
  std::memcpy(message + sizeof postmaster, &start_time, sizeof start_time);
  send_all(write_fd, message, sizeof message);
}

}  // namespace pgparity::cluster_detail
