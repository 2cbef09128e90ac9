// Detached servers: they outlive their server object, and stop on stop_detached(), when the
// state file goes, or when their lifetime runs out.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cluster/server.h"
#include "common/error.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

bool reachable(const connection_info& info) { return PQping(info.conninfo().c_str()) == PQPING_OK; }

bool gone_within(const std::string& dir, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (fs::exists(dir)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

class DetachTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test: the guardian of the previous test's server removes its state
    // file last, possibly after that test has ended.
    static int counter = 0;
    dir_ = fs::temp_directory_path() /
           ("pgparity_detach_test." + std::to_string(getpid()) + "." + std::to_string(++counter));
    fs::create_directories(dir_);
    state_ = (dir_ / "cluster.state").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Starts a server, detaches it, writes the state file and lets the server object go.
  detached_cluster start(long lifetime, connection_info& admin) {
    auto srv = server::start_disposable();
    admin = srv->admin_connection();
    detached_cluster cluster = srv->detach(state_, lifetime);
    std::ofstream(state_) << "running\n";
    return cluster;
  }

  fs::path dir_;
  std::string state_;
};

TEST_F(DetachTest, OutlivesItsObjectUntilStopped) {
  connection_info admin;
  const detached_cluster cluster = start(600, admin);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(reachable(admin)) << "the detached server stopped with its object";
  EXPECT_TRUE(fs::exists(cluster.run_dir));
  EXPECT_GT(cluster.guardian_start_time, 0u);
  stop_detached(cluster, state_);
  EXPECT_FALSE(fs::exists(cluster.run_dir)) << "stop_detached() returned before cleaning up";
  EXPECT_FALSE(fs::exists(state_));
  EXPECT_FALSE(reachable(admin));
  stop_detached(cluster, state_);  // twice is harmless
}

TEST_F(DetachTest, StopsWhenTheStateFileIsRemoved) {
  connection_info admin;
  const detached_cluster cluster = start(600, admin);
  fs::remove(state_);
  EXPECT_TRUE(gone_within(cluster.run_dir, std::chrono::seconds(15)));
  EXPECT_FALSE(reachable(admin));
}

TEST_F(DetachTest, StopsAfterItsLifetime) {
  connection_info admin;
  const auto started = std::chrono::steady_clock::now();
  const detached_cluster cluster = start(1, admin);
  EXPECT_TRUE(gone_within(cluster.run_dir, std::chrono::seconds(20)));
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_FALSE(fs::exists(state_)) << "the guardian left the state file of a stopped server";
  EXPECT_FALSE(reachable(admin));
}

TEST_F(DetachTest, StopsWhenTheObjectGoesWithoutAStateFile) {
  // The caller died between detach() and writing its state file: nothing may be left.
  std::string run_dir;
  {
    auto srv = server::start_disposable();
    run_dir = srv->detach(state_, 600).run_dir;
  }
  EXPECT_TRUE(gone_within(run_dir, std::chrono::seconds(15)));
}

TEST_F(DetachTest, KilledGuardianLeavesTheServerToStopDetached) {
  connection_info admin;
  const detached_cluster cluster = start(600, admin);
  ASSERT_EQ(kill(cluster.guardian_pid, SIGKILL), 0);
  ASSERT_EQ(waitpid(cluster.guardian_pid, nullptr, 0), cluster.guardian_pid);
  // This process, its owner, is alive here; StaleRuns.DetachedRunWithKilledGuardian... covers
  // the `pgparity up` case, whose owner has exited.
  clean_stale_runs();
  EXPECT_TRUE(reachable(admin)) << "clean_stale_runs() stopped a detached server in use";
  stop_detached(cluster, state_);
  EXPECT_FALSE(fs::exists(cluster.run_dir)) << "stop_detached() did not clean up after a killed "
                                               "guardian";
  EXPECT_FALSE(reachable(admin));
}

TEST_F(DetachTest, AnExistingServerCannotBeDetached) {
  auto owner = server::start_disposable();
  auto external = server::connect_existing(owner->admin_connection().conninfo());
  EXPECT_THROW(external->detach(state_, 600), input_error);
}

}  // namespace
}  // namespace pgparity
