#include "cluster/process.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

#include "cluster/files.h"
#include "common/error.h"

namespace pgparity::cluster_detail {

namespace {

constexpr const char* dedicated_account = "pgparity";

std::optional<run_user> account(const char* name) {
  const passwd* pw = getpwnam(name);
  if (pw == nullptr) return std::nullopt;
  run_user user;
  user.switch_user = true;
  user.uid = pw->pw_uid;
  user.gid = pw->pw_gid;
  user.name = name;
  // Its own group only: the account must not share a group (postgres, ssl-cert) that opens
  // other clusters' files.
  user.groups = {pw->pw_gid};
  return user;
}

// Creates the system account once: no home, no login, its own group. Another run may create
// it at the same moment, so the outcome is judged by looking it up again.
void create_account(const char* name) {
  const std::string nologin =
      access("/usr/sbin/nologin", X_OK) == 0 ? "/usr/sbin/nologin" : "/bin/false";
  const std::string command = std::string("useradd --system --user-group --no-create-home ") +
                              "--home-dir /nonexistent --shell " + nologin +
                              " --comment 'pgparity disposable PostgreSQL servers' " + name +
                              " >/dev/null 2>&1";
  static_cast<void>(std::system(command.c_str()));
}

// As root, the disposable server runs as the dedicated unprivileged account `pgparity`
// (PGPARITY_SERVER_USER names another), created when missing. Never the shared `postgres`
// account, which owns (and may read) every other cluster's data folder, and never `nobody`.
run_user lookup_server_user() {
  if (geteuid() != 0) return {};
  const char* chosen = std::getenv("PGPARITY_SERVER_USER");
  const std::string name = chosen != nullptr && *chosen != '\0' ? chosen : dedicated_account;
  if (name == "root" || name == "postgres" || name == "nobody") {
    throw environment_error("PGPARITY_SERVER_USER=" + name +
                            " is refused: the disposable server needs an account of its own, "
                            "with access to no other cluster's files; unset it to use `" +
                            dedicated_account + "`");
  }
  auto user = account(name.c_str());
  if (!user && name == dedicated_account) {
    create_account(dedicated_account);
    user = account(dedicated_account);
  }
  if (!user) {
    throw environment_error(
        "running as root, but the account `" + name +
        "` that runs the disposable PostgreSQL does not exist and could not be created; create "
        "it (useradd --system --user-group --no-create-home --shell /usr/sbin/nologin " +
        name + ") or run pgparity as a normal user");
  }
  if (user->uid == 0) {
    throw environment_error("the account `" + name + "` has uid 0; PostgreSQL refuses to run " +
                            "as root: give it an unprivileged uid");
  }
  return *user;
}

// In the child after fork: async-signal-safe calls only.
[[noreturn]] void exec_child(char* const* argv, const spawn_options& options, int out_fd,
                             int null_fd) {
  if (options.new_session) setsid();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  dup2(null_fd, 0);
  dup2(out_fd, 1);
  dup2(out_fd, 2);
  close_other_fds(-1);
  if (options.user != nullptr && options.user->switch_user) {
    const run_user& u = *options.user;
    if (setgroups(u.groups.size(), u.groups.data()) != 0 || setgid(u.gid) != 0 ||
        setuid(u.uid) != 0) {
      _exit(126);
    }
  }
  if (chdir("/") != 0) _exit(126);
  execv(argv[0], argv);
  _exit(127);
}

}  // namespace

const run_user& server_user() {
  static const run_user user = lookup_server_user();
  return user;
}

void close_other_fds(int keep) {
#ifdef SYS_close_range
  if (keep < 0) {
    if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
  } else {
    bool ok = true;
    if (keep > 3) ok = syscall(SYS_close_range, 3U, static_cast<unsigned>(keep - 1), 0U) == 0;
    if (ok && syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0U, 0U) == 0) return;
  }
#endif
  const long max_fd = sysconf(_SC_OPEN_MAX);
  for (int fd = 3; fd < (max_fd > 0 ? max_fd : 1024); ++fd) {
    if (fd != keep) close(fd);
  }
}

pid_t spawn(const std::vector<std::string>& argv, const spawn_options& options) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  const int out_fd =
      options.output_file.empty()
          ? null_fd
          : open(options.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (null_fd < 0 || out_fd < 0) {
    throw environment_error("cannot open " + options.output_file + ": " + std::strerror(errno));
  }
  const pid_t pid = fork();
  if (pid == 0) exec_child(args.data(), options, out_fd, null_fd);
  const int fork_errno = errno;
  if (out_fd != null_fd) close(out_fd);
  close(null_fd);
  if (pid < 0) {
    throw environment_error("cannot start " + argv[0] +
                            ": fork failed: " + std::strerror(fork_errno));
  }
  return pid;
}

namespace {

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::optional<int> wait_for_within(pid_t pid, long timeout_ms) {
  // Short sleeps first: most children we wait for are exiting already.
  long waited_us = 0;
  for (long delay_us = 200;; delay_us = std::min(delay_us * 2, 20000L)) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return decode_status(status);
    if (r < 0 && errno != EINTR) return -1;  // not our child (or reaped already)
    if (waited_us >= timeout_ms * 1000) return std::nullopt;
    timespec delay{0, delay_us * 1000};
    nanosleep(&delay, nullptr);
    waited_us += delay_us;
  }
}

std::optional<int> wait_or_kill(pid_t pid, long timeout_ms) {
  if (const auto status = wait_for_within(pid, timeout_ms)) return status;
  kill(pid, SIGKILL);
  wait_for_within(pid, 5000);
  return std::nullopt;
}

int run_capture(const std::vector<std::string>& argv, std::string& output) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(null_fd, 0);
    dup2(fds[1], 1);
    dup2(null_fd, 2);
    close_other_fds(-1);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  close(null_fd);
  if (pid < 0) {
    close(fds[0]);
    return -1;
  }
  // `postgres --version` and `pg_config` answer at once; one that hangs must not hang us.
  constexpr long limit_ms = 30000;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limit_ms);
  char buffer[4096];
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    pollfd readable{fds[0], POLLIN, 0};
    const int ready = left > 0 ? poll(&readable, 1, static_cast<int>(left)) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = true;
      break;
    }
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (output.size() < 65536) output.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  const auto status = wait_or_kill(pid, timed_out ? 0 : limit_ms);
  return status && !timed_out ? *status : -1;
}

std::optional<unsigned long long> process_start_time(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  // The command name (field 2) may contain spaces and parentheses: fields resume after the
  // last ')'. Field 3 is the state; the start time is field 22.
  const auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close_paren + 1));
  std::string field;
  for (int index = 3; index <= 22 && fields >> field; ++index) {
    if (index == 22) return std::stoull(field);
  }
  return std::nullopt;
}

}  // namespace pgparity::cluster_detail
