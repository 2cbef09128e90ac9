// What a pgparity process leaves behind when it is killed: nothing. `cluster_hold` holds a
// cluster in a child process; the tests kill it in the ways CI and users do.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "cluster/server.h"
#include "cluster/test_support.h"

namespace pgparity {
namespace {

// A cluster_hold child. However a test ends (a failed ASSERT returns early), the child is
// killed and reaped: a leaked one would hold a cluster, and ctest's output pipe (its stderr),
// until ctest's timeout.
struct held {
  held() = default;
  held(const held&) = delete;
  held& operator=(const held&) = delete;
  ~held() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  pid_t pid = -1;    // -1 once reaped
  std::string line;  // run directory, or the throwaway database name
};

// Starts cluster_hold and waits (at most 120 s) for the line it prints once its cluster is
// ready.
void hold(held& out, const std::vector<std::string>& args = {}) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  const pid_t parent = getpid();
  out.pid = fork();
  if (out.pid == 0) {
    // Should this test process be killed (ctest's timeout), the held cluster goes with it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    dup2(fds[1], 1);
    std::vector<char*> argv{const_cast<char*>(CLUSTER_HOLD_PATH)};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (char c = 0; c != '\n';) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    pollfd readable{fds[0], POLLIN, 0};
    if (left <= 0 || poll(&readable, 1, static_cast<int>(left)) <= 0) {
      ADD_FAILURE() << "cluster_hold printed nothing within 120 s; got `" << out.line << "`";
      break;
    }
    if (read(fds[0], &c, 1) != 1) break;
    if (c != '\n') out.line += c;
  }
  close(fds[0]);
}

// Reaps the child (at most 60 s: its SIGTERM handler stops the server within seconds).
int exit_status(held& run) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (waitpid(run.pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "cluster_hold (pid " << run.pid << ") did not exit within 60 s";
      return -1;  // ~held kills it
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.pid = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

pid_t guardian_of(const std::string& run_dir) {
  std::istringstream in(test::slurp(run_dir + "/owner"));
  std::string word;
  while (in >> word) {
    if (word == "guardian") {
      pid_t pid = 0;
      in >> pid;
      return pid;
    }
  }
  return 0;
}

bool left_nothing(const std::string& run_dir) {
  return !test::path_exists(run_dir) && test::processes_of(run_dir).empty();
}

TEST(Kill, SigkillOfTheRunLeavesNothingBehind) {
  held run;
  hold(run);
  ASSERT_TRUE(test::is_run_dir(run.line)) << run.line;
  ASSERT_FALSE(test::processes_of(run.line).empty()) << "the server should be running";
  kill(run.pid, SIGKILL);
  EXPECT_EQ(exit_status(run), 128 + SIGKILL);
  // The guardian notices at once; the next start finds nothing to do.
  EXPECT_TRUE(test::eventually([&] { return left_nothing(run.line); }));
  auto next = server::start_disposable();
  EXPECT_TRUE(left_nothing(run.line));
}

TEST(Kill, SigkillOfRunAndGuardianIsCleanedByTheNextStart) {
  held run;
  hold(run);
  ASSERT_TRUE(test::is_run_dir(run.line)) << run.line;
  const pid_t guardian = guardian_of(run.line);
  ASSERT_GT(guardian, 0);
  const pid_t postmaster = test::postmaster_pid(run.line);
  ASSERT_GT(postmaster, 0);
  kill(guardian, SIGKILL);
  kill(run.pid, SIGKILL);
  EXPECT_EQ(exit_status(run), 128 + SIGKILL);
  // Only clean_stale_runs() can help now: the server is still there, orphaned.
  EXPECT_TRUE(test::eventually(
      [&] {
        return kill(guardian, 0) != 0 ||
               !test::path_exists("/proc/" + std::to_string(guardian) + "/cwd");
      },
      5));
  // Unless a concurrent pgparity run's clean_stale_runs() got there first, the orphaned server
  // is still running. Such a run may be half way (server stopped, directory not yet removed):
  // then the directory must go soon without us.
  if (test::path_exists(run.line) && test::processes_of(run.line).empty()) {
    EXPECT_TRUE(test::eventually([&] { return left_nothing(run.line); }, 60))
        << "the orphaned server in " << run.line << " stopped, but its directory stays";
  }
  auto next = server::start_disposable();  // calls clean_stale_runs() first
  EXPECT_TRUE(left_nothing(run.line));
}

TEST(Kill, SigtermStopsTheServerAndExits143) {
  held run;
  hold(run);
  ASSERT_TRUE(test::is_run_dir(run.line)) << run.line;
  kill(run.pid, SIGTERM);
  EXPECT_EQ(exit_status(run), 143);
  EXPECT_TRUE(left_nothing(run.line));  // already, not eventually
}

TEST(Kill, SigintStopsTheServerAndExits130) {
  held run;
  hold(run);
  ASSERT_TRUE(test::is_run_dir(run.line)) << run.line;
  kill(run.pid, SIGINT);
  EXPECT_EQ(exit_status(run), 130);
  EXPECT_TRUE(left_nothing(run.line));
}

TEST(Kill, SigtermDropsThrowawayDatabaseOnExistingServer) {
  auto host = server::start_disposable();
  held run;
  hold(run, {host->admin_connection().url()});
  ASSERT_EQ(run.line.rfind("pgparity_", 0), 0u) << run.line;
  auto count = [&] {
    pqxx::connection connection{host->admin_connection().conninfo()};
    pqxx::nontransaction tx{connection};
    return tx.exec1("SELECT count(*) FROM pg_database WHERE datname = " + tx.quote(run.line))[0]
        .as<int>();
  };
  EXPECT_EQ(count(), 1);
  kill(run.pid, SIGTERM);
  EXPECT_EQ(exit_status(run), 143);
  EXPECT_EQ(count(), 0);
}

}  // namespace
}  // namespace pgparity
