// The lifecycle outcome cache: passes are remembered and come back marked as cached; failures
// and skips never are, so they are observed again on every run.
#include "engine/lifecycle_cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

namespace pgparity::engine {
namespace {

namespace fs = std::filesystem;

class lifecycle_cache_test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "pgparity-lifecycle.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    setenv("PGPARITY_CACHE_DIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("PGPARITY_CACHE_DIR");
    fs::remove_all(dir_);
  }
  std::string dir_;
};

TEST_F(lifecycle_cache_test, APassComesBackMarkedAsCached) {
  EXPECT_FALSE(cached_lifecycle_outcome("0123456789abcdef"));
  outcome passed;
  passed.note = "[ TIMING   ] 2 migration(s) in 1.234 s";
  remember_lifecycle_outcome("0123456789abcdef", passed);
  const auto cached = cached_lifecycle_outcome("0123456789abcdef");
  ASSERT_TRUE(cached);
  EXPECT_TRUE(cached->found.empty());
  EXPECT_TRUE(cached->skipped.empty());
  EXPECT_EQ(cached->note.rfind("[ CACHED   ] passed on an earlier run", 0), 0u) << cached->note;
  EXPECT_NE(cached->note.find("\n[ TIMING   ] 2 migration(s) in 1.234 s"), std::string::npos);
}

TEST_F(lifecycle_cache_test, FailuresAndSkipsAreNeverRemembered) {
  outcome failed;
  failed.found.emplace_back();
  remember_lifecycle_outcome("failed", failed);
  EXPECT_FALSE(cached_lifecycle_outcome("failed"));
  outcome skipped;
  skipped.skipped = "the project has no down migrations";
  remember_lifecycle_outcome("skipped", skipped);
  EXPECT_FALSE(cached_lifecycle_outcome("skipped"));
  outcome part;
  part.skipped_parts = {"no valid row"};
  remember_lifecycle_outcome("part", part);
  EXPECT_FALSE(cached_lifecycle_outcome("part"));
}

TEST_F(lifecycle_cache_test, NoKeyNoCache) {
  remember_lifecycle_outcome("", outcome{});
  EXPECT_FALSE(cached_lifecycle_outcome(""));
  EXPECT_FALSE(fs::exists(fs::path(dir_) / "lifecycle"));
}

}  // namespace
}  // namespace pgparity::engine
