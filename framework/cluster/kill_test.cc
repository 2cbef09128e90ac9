// What a pgparity process leaves behind when it is killed: nothing. `cluster_hold` holds a
// cluster in a child process; the tests kill it in the ways CI and users do.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <pqxx/pqxx>
#include <sstream>

#include "cluster/server.h"
#include "cluster/test_support.h"

namespace pgparity {
namespace {

struct held {
  pid_t pid = -1;
  std::string line;  // run directory, or the throwaway database name
};

// Starts cluster_hold and waits for the line it prints once its cluster is ready.
held hold(const std::vector<std::string>& args = {}) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  held out;
  out.pid = fork();
  if (out.pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv{const_cast<char*>(CLUSTER_HOLD_PATH)};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  char c;
  while (read(fds[0], &c, 1) == 1 && c != '\n') out.line += c;
  close(fds[0]);
  return out;
}

int exit_status(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
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
  const held run = hold();
  ASSERT_TRUE(test::is_run_dir(run.line)) << run.line;
  ASSERT_FALSE(test::processes_of(run.line).empty()) << "the server should be running";
  kill(run.pid, SIGKILL);
  EXPECT_EQ(exit_status(run.pid), 128 + SIGKILL);
  // The guardian notices at once; the next start finds nothing to do.
  EXPECT_TRUE(test::eventually([&] { return left_nothing(run.line); }));
  auto next = server::start_disposable();
  EXPECT_TRUE(left_nothing(run.line));
}

TEST(Kill, SigkillOfRunAndGuardianIsCleanedByTheNextStart) {
  const held run = hold();
  ASSERT_TRUE(test::is_run_dir(run.line)) << run.line;
  const pid_t guardian = guardian_of(run.line);
  ASSERT_GT(guardian, 0);
  const pid_t postmaster = test::postmaster_pid(run.line);
  ASSERT_GT(postmaster, 0);
  kill(guardian, SIGKILL);
  kill(run.pid, SIGKILL);
  EXPECT_EQ(exit_status(run.pid), 128 + SIGKILL);
  // Only clean_stale_runs() can help now: the server is still there, orphaned.
  EXPECT_TRUE(test::eventually(
      [&] {
        return kill(guardian, 0) != 0 ||
               !test::path_exists("/proc/" + std::to_string(guardian) + "/cwd");
      },
      5));
  // Unless a concurrent pgparity run's clean_stale_runs() got there first, the orphaned server
  // is still running.
  if (test::path_exists(run.line)) {
    EXPECT_FALSE(test::processes_of(run.line).empty());
  }
  auto next = server::start_disposable();  // calls clean_stale_runs() first
  EXPECT_TRUE(left_nothing(run.line));
}

TEST(Kill, SigtermStopsTheServerAndExits143) {
  const held run = hold();
  ASSERT_TRUE(test::is_run_dir(run.line)) << run.line;
  kill(run.pid, SIGTERM);
  EXPECT_EQ(exit_status(run.pid), 143);
  EXPECT_TRUE(left_nothing(run.line));  // already, not eventually
}

TEST(Kill, SigintStopsTheServerAndExits130) {
  const held run = hold();
  ASSERT_TRUE(test::is_run_dir(run.line)) << run.line;
  kill(run.pid, SIGINT);
  EXPECT_EQ(exit_status(run.pid), 130);
  EXPECT_TRUE(left_nothing(run.line));
}

TEST(Kill, SigtermDropsThrowawayDatabaseOnExistingServer) {
  auto host = server::start_disposable();
  const held run = hold({host->admin_connection().url()});
  ASSERT_EQ(run.line.rfind("pgparity_", 0), 0u) << run.line;
  auto count = [&] {
    pqxx::connection connection{host->admin_connection().conninfo()};
    pqxx::nontransaction tx{connection};
    return tx.exec1("SELECT count(*) FROM pg_database WHERE datname = " + tx.quote(run.line))[0]
        .as<int>();
  };
  EXPECT_EQ(count(), 1);
  kill(run.pid, SIGTERM);
  EXPECT_EQ(exit_status(run.pid), 143);
  EXPECT_EQ(count(), 0);
}

}  // namespace
}  // namespace pgparity
