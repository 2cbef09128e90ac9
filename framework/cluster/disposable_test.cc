// The disposable cluster against the machine's real PostgreSQL.
#include <gtest/gtest.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pqxx/pqxx>
#include <sstream>

#include "cluster/server.h"
#include "cluster/test_support.h"
#include "common/error.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

std::string query_one(const connection_info& info, const std::string& sql) {
  pqxx::connection connection{info.conninfo()};
  pqxx::nontransaction tx{connection};
  return tx.exec1(sql)[0].c_str();
}

void exec(const connection_info& info, const std::string& sql) {
  pqxx::connection connection{info.conninfo()};
  pqxx::nontransaction tx{connection};
  tx.exec0(sql);
}

// A scratch directory removed at the end of a test.
struct scratch_dir {
  scratch_dir() {
    char pattern[] = "/tmp/pgparity-test-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~scratch_dir() { fs::remove_all(path); }
  std::string path;
};

TEST(Disposable, StartsQueriesAndStopsOnDestruction) {
  auto server = server::start_disposable();  // warms the initdb cache
  const auto run_dir = server->admin_connection().host;
  EXPECT_EQ(query_one(server->admin_connection(), "SELECT 40 + 2"), "42");
  EXPECT_TRUE(server->is_disposable());
  EXPECT_GE(server->version_num(), 100000);
  EXPECT_EQ(server->version().substr(0, 2), std::to_string(server->version_num() / 10000));
  const pid_t postmaster = test::postmaster_pid(run_dir);
  ASSERT_GT(postmaster, 0);
  server.reset();
  EXPECT_FALSE(test::path_exists(run_dir));
  EXPECT_TRUE(test::processes_of(run_dir).empty());
}

TEST(Disposable, WarmStartIsFast) {
  server::start_disposable().reset();  // make sure initdb is cached
  const auto begin = std::chrono::steady_clock::now();
  auto server = server::start_disposable();
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin);
  std::cout << "warm start_disposable(): " << took.count() * 1000 << " ms\n";
  // What makes it fast: the data directory is a copy of the cached initdb result (initdb
  // leaves its log in the run directory when it runs).
  EXPECT_FALSE(test::path_exists(server->admin_connection().host + "/initdb.log"))
      << "a warm start ran initdb";
  // Target well under 0.5 s; the bound only catches a gross regression, since a loaded 2-core
  // CI machine (ctest -j2 beside other builds) can stall any process for seconds.
  EXPECT_LT(took.count(), 15.0);
  const auto stop_begin = std::chrono::steady_clock::now();
  server.reset();
  const auto stop = std::chrono::duration<double>(std::chrono::steady_clock::now() - stop_begin);
  std::cout << "stop and remove: " << stop.count() * 1000 << " ms\n";
}

TEST(Disposable, RunsAsUnprivilegedUserWithDurabilityOffAndNoTcp) {
  auto server = server::start_disposable();
  const auto admin = server->admin_connection();
  struct stat st {};
  ASSERT_EQ(stat(("/proc/" + std::to_string(test::postmaster_pid(admin.host))).c_str(), &st), 0);
  if (geteuid() == 0) {
    EXPECT_NE(st.st_uid, 0u) << "the postmaster must not run as root";
    // The dedicated account, never the shared `postgres` one (it can read other clusters).
    const passwd* own = getpwnam("pgparity");
    ASSERT_NE(own, nullptr) << "the `pgparity` account was not created";
    const uid_t own_uid = own->pw_uid;  // getpwnam's result is overwritten by the next call
    EXPECT_EQ(st.st_uid, own_uid);
    const passwd* postgres = getpwnam("postgres");
    if (postgres != nullptr) {
      EXPECT_NE(st.st_uid, postgres->pw_uid);
    }
    struct stat data {};
    ASSERT_EQ(stat((admin.host + "/data").c_str(), &data), 0);
    EXPECT_EQ(data.st_mode & 0777, 0700u);
    EXPECT_EQ(data.st_uid, own_uid);
  } else {
    EXPECT_EQ(st.st_uid, geteuid());
  }
  EXPECT_EQ(query_one(admin, "SHOW listen_addresses"), "");
  EXPECT_EQ(query_one(admin, "SHOW fsync"), "off");
  EXPECT_EQ(query_one(admin, "SHOW synchronous_commit"), "off");
  EXPECT_EQ(query_one(admin, "SHOW full_page_writes"), "off");
  EXPECT_EQ(query_one(admin, "SELECT current_user"), "pgparity");
  // Private socket directory with a short path (sun_path holds 107 bytes).
  ASSERT_EQ(stat(admin.host.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_LT(admin.host.size() + std::string("/.s.PGSQL.5432").size(), 107u);
  EXPECT_TRUE(test::is_run_dir(admin.host)) << admin.host;
}

TEST(Disposable, TwoServersAtOnce) {
  auto first = server::start_disposable();
  auto second = server::start_disposable();
  EXPECT_NE(first->admin_connection().host, second->admin_connection().host);
  exec(first->admin_connection(), "CREATE TABLE only_in_first (id int)");
  EXPECT_EQ(query_one(first->admin_connection(), "SELECT to_regclass('only_in_first')::text"),
            "only_in_first");
  pqxx::connection connection{second->admin_connection().conninfo()};
  pqxx::nontransaction tx{connection};
  EXPECT_TRUE(tx.exec1("SELECT to_regclass('only_in_first')")[0].is_null());
}

TEST(Disposable, CreatesAndDropsOnlyItsOwnDatabases) {
  auto server = server::start_disposable();
  const std::string name = server->create_database();
  // pgparity_<machine>_<pid>_<start>_<random>: the name carries its owner.
  char pid_hex[16];
  std::snprintf(pid_hex, sizeof pid_hex, "_%lx_", static_cast<unsigned long>(getpid()));
  EXPECT_EQ(name.rfind("pgparity_", 0), 0u);
  EXPECT_NE(name.find(pid_hex), std::string::npos) << name;
  EXPECT_LE(name.size(), 63u);
  EXPECT_EQ(query_one(server->connection(name), "SELECT current_database()"), name);
  // A clone from a template carries its tables.
  exec(server->connection(name), "CREATE TABLE t (id int)");
  const std::string clone = server->create_database(name);
  EXPECT_EQ(query_one(server->connection(clone), "SELECT to_regclass('t')::text"), "t");
  server->drop_database(name);
  EXPECT_EQ(query_one(server->admin_connection(),
                      "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"),
            "0");
  EXPECT_THROW(server->drop_database(name), input_error);  // already dropped
  EXPECT_THROW(server->drop_database("postgres"), input_error);
  try {
    server->drop_database("template1");
    FAIL() << "dropping a foreign database must be refused";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("template1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(query_one(server->admin_connection(),
                      "SELECT count(*) FROM pg_database WHERE datname IN ('postgres', "
                      "'template1', '" +
                          clone + "')"),
            "3");
}

TEST(Disposable, SaveDatadirRoundTripAndExistingCopyWins) {
  scratch_dir scratch;
  const std::string saved = scratch.path + "/nested/dir/data";
  auto server = server::start_disposable();
  const std::string db = server->create_database();
  exec(server->connection(db), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('first')");
  server->save_datadir(saved);
  // Still usable after the save: it started again on the same socket.
  exec(server->connection(db), "INSERT INTO kept VALUES ('second')");
  EXPECT_TRUE(test::path_exists(saved + "/PG_VERSION"));
  EXPECT_FALSE(test::path_exists(saved + "/postmaster.pid"));
  struct stat st {};
  ASSERT_EQ(stat(saved.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  server->save_datadir(saved);  // the existing copy wins
  server.reset();

  disposable_options options;
  options.datadir_template = saved;
  auto restored = server::start_disposable(options);
  EXPECT_EQ(query_one(restored->connection(db), "SELECT string_agg(v, ',') FROM kept"), "first");
  // Nothing but the data directory itself is left beside it.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(scratch.path + "/nested/dir")) {
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(Disposable, BadTemplateIsAnEnvironmentError) {
  disposable_options options;
  options.datadir_template = "/nonexistent/pgparity/template";
  EXPECT_THROW(server::start_disposable(options), environment_error);
}

TEST(Disposable, ServerThatExitsReportsItsLog) {
  scratch_dir scratch;
  const std::string broken = scratch.path + "/data";
  fs::create_directory(broken);
  std::ofstream(broken + "/PG_VERSION") << find_server_binaries().major_version << "\n";
  disposable_options options;
  options.datadir_template = broken;
  try {
    server::start_disposable(options);
    FAIL() << "expected environment_error";
  } catch (const environment_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("PostgreSQL did not start"), std::string::npos) << message;
    EXPECT_NE(message.find("postgresql.conf"), std::string::npos) << message;  // from its log
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(Disposable, InitdbIsCachedPerVersion) {
  scratch_dir scratch;
  disposable_options options;
  options.cache_dir = scratch.path + "/cache";
  const auto binaries = find_server_binaries();
  const std::string cached = options.cache_dir + "/initdb-" + binaries.version + "/data";
  EXPECT_FALSE(test::path_exists(cached));
  {
    auto cold = server::start_disposable(options);
    EXPECT_EQ(query_one(cold->admin_connection(), "SELECT 1"), "1");
  }
  EXPECT_TRUE(test::path_exists(cached + "/PG_VERSION"));
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(options.cache_dir)) ++entries;
  EXPECT_EQ(entries, 1) << "no staging directory may be left behind";
  auto warm = server::start_disposable(options);
  EXPECT_EQ(query_one(warm->admin_connection(), "SHOW server_encoding"), "UTF8");
}

TEST(Binaries, FoundWithVersion) {
  const auto binaries = find_server_binaries();
  EXPECT_TRUE(test::path_exists(binaries.bindir + "/initdb"));
  EXPECT_TRUE(test::path_exists(binaries.bindir + "/postgres"));
  EXPECT_GE(binaries.major_version, 10);
  EXPECT_EQ(binaries.version.rfind(std::to_string(binaries.major_version), 0), 0u);
}

TEST(Binaries, PgBinPointingNowhereGivesInstallHint) {
  setenv("PGPARITY_PG_BIN", "/nonexistent/bin", 1);
  try {
    find_server_binaries();
    unsetenv("PGPARITY_PG_BIN");
    FAIL() << "expected environment_error";
  } catch (const environment_error& e) {
    unsetenv("PGPARITY_PG_BIN");
    const std::string message = e.what();
    EXPECT_NE(message.find("no PostgreSQL server binaries found"), std::string::npos) << message;
    EXPECT_NE(message.find("/nonexistent/bin"), std::string::npos) << message;
    EXPECT_NE(message.find("apt-get install postgresql-15"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  setenv("PGPARITY_PG_BIN", "/nonexistent/bin", 1);
  EXPECT_THROW(server::start_disposable(), environment_error);
  unsetenv("PGPARITY_PG_BIN");
}

TEST(Binaries, DefaultCacheDir) {
  setenv("PGPARITY_CACHE_DIR", "/x/y", 1);
  EXPECT_EQ(default_cache_dir(), "/x/y");
  unsetenv("PGPARITY_CACHE_DIR");
  if (geteuid() == 0) {
    EXPECT_EQ(default_cache_dir(), "/var/tmp/pgparity-cache");
  } else {
    EXPECT_NE(default_cache_dir().find("pgparity"), std::string::npos);
  }
}

TEST(StaleRuns, LeavesForeignAndLiveDirectoriesAlone) {
  char foreign[] = "/tmp/pgparity.XXXXXX";
  ASSERT_NE(mkdtemp(foreign), nullptr);  // no owner file: not ours
  char live[] = "/tmp/pgparity.XXXXXX";
  ASSERT_NE(mkdtemp(live), nullptr);
  const std::string my_stat = test::slurp("/proc/self/stat");
  std::string start;
  {
    std::istringstream fields(my_stat.substr(my_stat.rfind(')') + 1));
    for (int index = 3; index <= 22; ++index) fields >> start;
  }
  std::ofstream(std::string(live) + "/owner")
      << "pgparity-run 1\nowner " << getpid() << " " << start << "\n";
  char dead[] = "/tmp/pgparity.XXXXXX";
  ASSERT_NE(mkdtemp(dead), nullptr);
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  std::ofstream(std::string(dead) + "/owner") << "pgparity-run 1\nowner " << child << " 1\n";
  // Dead here, but recorded by a run in another PID namespace (a container sharing /tmp).
  char other_namespace[] = "/tmp/pgparity.XXXXXX";
  ASSERT_NE(mkdtemp(other_namespace), nullptr);
  std::ofstream(std::string(other_namespace) + "/owner")
      << "pgparity-run 1\nowner " << child << " 1\npidns 12345 0\n";

  clean_stale_runs();
  EXPECT_TRUE(test::path_exists(foreign));
  EXPECT_TRUE(test::path_exists(live));
  EXPECT_FALSE(test::path_exists(dead));
  EXPECT_TRUE(test::path_exists(other_namespace));
  fs::remove_all(foreign);
  fs::remove_all(live);
  fs::remove_all(other_namespace);
}

// `pgparity up` has exited and the guardian of its server was killed: the server is left to
// `pgparity down` while its state file exists and its lifetime lasts, then cleaned up.
TEST(StaleRuns, DetachedRunWithKilledGuardianWaitsForItsStateFile) {
  scratch_dir scratch;
  const std::string state = scratch.path + "/cluster state";  // a space: the rest of the line
  std::ofstream(state) << "running\n";
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const auto make_run = [&](long long deadline) {
    char run[] = "/tmp/pgparity.XXXXXX";
    EXPECT_NE(mkdtemp(run), nullptr);
    std::ofstream(std::string(run) + "/owner")
        << "pgparity-run 1\nowner " << dead << " 1\nguardian " << dead << " 2\ndetached "
        << deadline << " " << state << "\n";
    return std::string(run);
  };
  const long long now = static_cast<long long>(std::time(nullptr));
  const std::string wanted = make_run(now + 600);
  const std::string expired = make_run(now - 1);
  clean_stale_runs();
  EXPECT_TRUE(test::path_exists(wanted)) << "removed while its state file exists";
  EXPECT_FALSE(test::path_exists(expired)) << "kept after its lifetime ran out";
  fs::remove(state);
  clean_stale_runs();
  EXPECT_FALSE(test::path_exists(wanted)) << "kept after its state file was removed";
  fs::remove_all(wanted);
  fs::remove_all(expired);
}

}  // namespace
}  // namespace pgparity
