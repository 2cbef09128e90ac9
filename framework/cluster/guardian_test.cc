// The guardian on its own: what it stops when pgparity lets go of it.
#include "cluster/guardian.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "cluster/process.h"
#include "cluster/test_support.h"

namespace pgparity::cluster_detail {
namespace {

// A child that stands in for a postmaster: it sleeps until signalled.
pid_t sleeper() {
  const pid_t pid = fork();
  if (pid == 0) {
    for (;;) pause();
  }
  return pid;
}

// Starts a guardian for a scratch run directory, names `pid` (with `start_time`) as its
// postmaster, lets go of it, and waits (bounded) for it to finish.
void release_guardian_of(pid_t pid, unsigned long long start_time) {
  char run_dir[] = "/tmp/pgparity-guardian-test.XXXXXX";
  ASSERT_NE(mkdtemp(run_dir), nullptr);
  const guardian_process guardian = start_guardian(run_dir);
  ASSERT_GT(guardian.pid, 0);
  guardian_set_postmaster(guardian.write_fd, pid, start_time);
  close(guardian.write_fd);
  EXPECT_TRUE(wait_for_within(guardian.pid, 30000).has_value()) << "the guardian did not exit";
  EXPECT_FALSE(test::path_exists(run_dir)) << "the guardian left its run directory";
}

TEST(Guardian, StopsItsPostmasterWhenReleased) {
  const pid_t child = sleeper();
  ASSERT_GT(child, 0);
  release_guardian_of(child, process_start_time(child).value_or(0));
  const auto status = wait_for_within(child, 10000);
  ASSERT_TRUE(status.has_value()) << "the guardian did not stop its postmaster";
  EXPECT_EQ(*status, 128 + SIGQUIT);
}

// Once a postmaster has gone and been reaped, its pid may be reused: the guardian must not
// signal the new process.
TEST(Guardian, LeavesAProcessThatReusedThePidAlone) {
  const pid_t child = sleeper();
  ASSERT_GT(child, 0);
  release_guardian_of(child, process_start_time(child).value_or(0) + 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(wait_for_within(child, 0).has_value()) << "the guardian killed another process";
  kill(child, SIGKILL);
  wait_for_within(child, 10000);
}

}  // namespace
}  // namespace pgparity::cluster_detail
