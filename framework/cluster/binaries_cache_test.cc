// The on-disk answer of the search for the server programs: used for the same key while its
// postgres is unchanged, and never otherwise.
#include "cluster/binaries_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pgparity::cluster_detail {
namespace {

namespace fs = std::filesystem;

class BinariesCache : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pgparity-binaries-test-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "bin");
    for (const char* program : {"postgres", "initdb"}) write_program(program, "#!/bin/sh\n");
    found_.bindir = (dir_ / "bin").string();
    found_.version = "15.18";
    found_.major_version = 15;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_program(const char* name, const std::string& text) {
    const fs::path path = dir_ / "bin" / name;
    std::ofstream(path) << text;
    fs::permissions(path, fs::perms::owner_all);
  }
  binaries_cache cache(const std::string& path_env = "/nowhere") const {
    return binaries_cache((dir_ / "cache").string(), "", path_env);
  }

  fs::path dir_;
  server_binaries found_;
};

TEST_F(BinariesCache, StoredAnswerIsReadBackForTheSameKey) {
  EXPECT_FALSE(cache().read());
  cache().store(found_);
  const auto read = cache().read();
  ASSERT_TRUE(read);
  EXPECT_EQ(read->bindir, found_.bindir);
  EXPECT_EQ(read->version, "15.18");
  EXPECT_EQ(read->major_version, 15);
}

TEST_F(BinariesCache, AnotherPathOrPgBinIsAnotherKey) {
  cache().store(found_);
  EXPECT_FALSE(cache("/elsewhere").read());
  EXPECT_FALSE(binaries_cache((dir_ / "cache").string(), found_.bindir, "/nowhere").read());
}

TEST_F(BinariesCache, AReplacedPostgresOrAMissingInitdbIsNotTrusted) {
  cache().store(found_);
  write_program("postgres", "#!/bin/sh\necho upgraded\n");  // an upgrade: another file
  EXPECT_FALSE(cache().read());
  cache().store(found_);
  ASSERT_TRUE(cache().read());
  fs::remove(dir_ / "bin" / "initdb");
  EXPECT_FALSE(cache().read());
}

TEST_F(BinariesCache, APgConfigAppearingOnThePathChangesTheKey) {
  fs::create_directories(dir_ / "path");
  const std::string path_env = (dir_ / "path").string();
  cache(path_env).store(found_);
  ASSERT_TRUE(cache(path_env).read());
  std::ofstream(dir_ / "path" / "pg_config") << "#!/bin/sh\n";
  EXPECT_FALSE(cache(path_env).read());
}

TEST_F(BinariesCache, DamagedEntriesAreMisses) {
  cache().store(found_);
  for (const auto& entry : fs::directory_iterator(dir_ / "cache")) {
    std::ofstream(entry.path(), std::ios::app) << "x";
  }
  EXPECT_FALSE(cache().read());
  EXPECT_FALSE(binaries_cache("", "", "/nowhere").read());  // cache off
}

}  // namespace
}  // namespace pgparity::cluster_detail
