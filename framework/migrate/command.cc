// Command mode: a project's own migration tool (alembic, flyway, sqitch...) run through
// /bin/sh with the database's environment, in its own process group so a timeout kills it all.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <thread>
#include <vector>

#include "cluster/process.h"
#include "common/error.h"
#include "migrate/migrations.h"

extern char** environ;

namespace pgparity {
namespace {

constexpr std::size_t k_tail_lines = 20;

// Keeps the last lines of the command's combined output for the error message.
class output_tail {
 public:
  void add(const char* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      if (data[i] == '\n') {
        push();
      } else if (current_.size() < 1000) {
        current_.push_back(data[i]);
      }
    }
  }
  std::string str() {
    if (!current_.empty()) push();
    std::string out;
    for (const auto& line : lines_) out += "\n  | " + line;
    return out;
  }

 private:
  void push() {
    lines_.push_back(current_);
    current_.clear();
    if (lines_.size() > k_tail_lines) lines_.pop_front();
  }
  std::deque<std::string> lines_;
  std::string current_;
};

// SIGTERM to the whole group, a second for the shell to exit, then SIGKILL for what is left
// (children the shell left behind, or the shell itself).
void kill_group(pid_t pid) {
  kill(-pid, SIGTERM);
  const bool exited = cluster_detail::wait_for_within(pid, 1000).has_value();
  kill(-pid, SIGKILL);
  if (!exited) cluster_detail::wait_for_within(pid, 5000);
}

}  // namespace

void run_migration_command(const std::string& command, const std::string& cwd,
                           const connection_info& db, double max_seconds) {
  std::error_code ec;
  if (!std::filesystem::is_directory(cwd, ec)) {
    throw input_error(fmt::format(
        "migrations.cwd {} is not a directory; fix migrations.cwd in pgparity.yaml", cwd));
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw environment_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  }
  // Everything the child needs is built before fork(): after it, only async-signal-safe calls.
  std::vector<std::string> env_strings;
  std::vector<std::string> overridden = {"PGPASSWORD"};
  for (const auto& entry : db.environment()) overridden.push_back(entry.first);
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (std::find(overridden.begin(), overridden.end(), name) == overridden.end()) {
      env_strings.push_back(entry);
    }
  }
  for (const auto& [name, value] : db.environment()) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string sh = "sh", dash_c = "-c", script = command;
  char* argv[] = {sh.data(), dash_c.data(), script.data(), nullptr};

  const pid_t pid = fork();
  if (pid < 0) {
    throw environment_error(fmt::format("cannot start `{}`: {}", command, std::strerror(errno)));
  }
  if (pid == 0) {
    // Child: own process group, output into the pipe, the database in the environment.
    setpgid(0, 0);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execve("/bin/sh", argv, envp.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so kill(-pid) works even before the child ran
  close(pipe_fds[1]);

  using steady = std::chrono::steady_clock;
  const auto deadline = steady::now() + std::chrono::duration_cast<steady::duration>(
                                            std::chrono::duration<double>(max_seconds));
  output_tail tail;
  bool timed_out = false;
  char buffer[4096];
  while (true) {
    int timeout_ms = -1;
    if (max_seconds > 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
      if (left <= 0) {
        timed_out = true;
        break;
      }
      timeout_ms = static_cast<int>(left) + 1;
    }
    pollfd fd{pipe_fds[0], POLLIN, 0};
    const int ready = poll(&fd, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    const ssize_t got = read(pipe_fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // every writer closed: the command is done
    tail.add(buffer, static_cast<std::size_t>(got));
  }
  // Its output is closed, but the command may still run: wait within the budget too.
  int status = 0;
  while (!timed_out) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (max_seconds > 0 && steady::now() >= deadline) timed_out = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  close(pipe_fds[0]);
  if (timed_out) {
    kill_group(pid);
    throw environment_error(fmt::format(
        "migration command `{}` (in {}) was still running after the migrations.max_seconds "
        "budget of {} s and was killed; raise migrations.max_seconds in pgparity.yaml or make it "
        "faster; its last output:{}",
        command, cwd, max_seconds, tail.str()));
  }
  kill(-pid, SIGKILL);  // background processes it left behind
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  const std::string how =
      WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                        : fmt::format("signal {}", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  throw environment_error(fmt::format(
      "migration command `{}` (in {}) failed with {}; fix the command or its migrations; its "
      "last output:{}",
      command, cwd, how, tail.str()));
}

}  // namespace pgparity
