// The parsed-manifest cache: what comes back is the manifest the parser gave, field for field
// and location for location; any changed byte, a damaged entry or `--fresh` parses again; a
// bad manifest is never stored.
#include "manifest/manifest_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "manifest/load_manifest.h"
#include "manifest/manifest_equal.h"
#include "manifest/manifest_io.h"
#include "manifest/model_export.h"
#include "manifest/project_config.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

const fs::path source_dir = PGPARITY_SOURCE_DIR;

// Every location a manifest holds, in order: manifest_difference() ignores them.
std::vector<std::string> locations_of(const manifest& m) {
  std::vector<std::string> out;
  const auto add = [&out](const source_location& at) { out.push_back(at.str()); };
  for (const auto& e : m.enums) add(e.location);
  for (const auto& model : m.models) {
    add(model.location);
    for (const auto& c : model.columns) add(c.location);
    for (const auto& f : model.foreign_keys) add(f.location);
    for (const auto& i : model.indexes) add(i.location);
    for (const auto& u : model.uniques) add(u.location);
    for (const auto& c : model.checks) add(c.location);
    for (const auto& e : model.exclusions) add(e.location);
  }
  return out;
}

void expect_same(const manifest& a, const manifest& b) {
  EXPECT_EQ(manifest_difference(a, b), "");
  EXPECT_EQ(a.file, b.file);
  EXPECT_EQ(locations_of(a), locations_of(b));
  EXPECT_EQ(serialize_manifest(a), serialize_manifest(b));
}

// The canonical_* fields are empty after loading; fill one of each so they round-trip too.
void fill_canonical_forms(manifest& m) {
  for (auto& model : m.models) {
    for (auto& c : model.columns) {
      c.canonical_type = "t " + c.type;
      c.canonical_default = "d";
      c.canonical_generated = "g";
    }
    for (auto& c : model.checks) c.canonical_expression = "(" + c.expression + ")";
    for (auto& i : model.indexes) {
      i.canonical_keys = i.keys;
      i.canonical_predicate = "p";
    }
  }
}

TEST(ManifestIo, RichestFixturesReadBackEqualAndDamageIsRefused) {
  for (const char* fixture : {"constraint_options", "index_options", "saas_billing"}) {
    const std::string path = (source_dir / "fixtures/examples" / fixture / "models.yaml").string();
    SCOPED_TRACE(path);
    manifest m = load_manifest(path);
    fill_canonical_forms(m);
    m.version = 7;  // not the default: version is read back, not assumed
    const std::string text = serialize_manifest(m);
    const auto back = deserialize_manifest(text);
    ASSERT_TRUE(back);
    expect_same(*back, m);
    EXPECT_EQ(back->version, 7);
    for (const std::size_t n : {std::size_t{0}, text.size() / 3, text.size() - 1}) {
      EXPECT_FALSE(deserialize_manifest(text.substr(0, n))) << n;
    }
    EXPECT_FALSE(deserialize_manifest(text + "1:x"));
    EXPECT_FALSE(deserialize_manifest("x" + text.substr(1)));
  }
}

class ManifestCache : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pgparity-manifest-cache-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "models.yaml").string();
    fs::copy_file(source_dir / "fixtures/examples/constraint_options/models.yaml", path_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // load_manifest() through the cache, counting the parses that really ran.
  manifest load(bool refresh = false) {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return parse_manifest_cached({{path_, text.str()}}, {cache_dir(), refresh}, [&] {
      ++parses_;
      return parse_manifest(text.str(), path_);
    });
  }
  std::string cache_dir() const { return (dir_ / "cache").string(); }
  std::vector<fs::path> entries() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_ / "cache" / "manifests")) {
      out.push_back(e.path());
    }
    return out;
  }
  void append(const std::string& text) { std::ofstream(path_, std::ios::app) << text; }

  fs::path dir_;
  std::string path_;
  int parses_ = 0;
};

TEST_F(ManifestCache, SecondLoadIsReadFromTheCacheAndEqual) {
  const manifest first = load();
  EXPECT_EQ(parses_, 1);
  ASSERT_EQ(entries().size(), 1u);
  const manifest second = load();
  EXPECT_EQ(parses_, 1) << "the second load parsed again";
  expect_same(second, first);
  expect_same(second, load_manifest(path_));
  // The public overload uses the same entry.
  expect_same(load_manifest(path_, {cache_dir()}), first);
  EXPECT_EQ(entries().size(), 1u);
}

TEST_F(ManifestCache, AChangedByteOrPathOrFreshParsesAgain) {
  load();
  append("\n");  // same models, one byte more
  load();
  EXPECT_EQ(parses_, 2);
  EXPECT_EQ(entries().size(), 2u);
  load(/*refresh=*/true);
  EXPECT_EQ(parses_, 3);
  const std::string moved = (dir_ / "moved.yaml").string();
  fs::copy_file(path_, moved);
  path_ = moved;  // same bytes, another path: locations differ
  const manifest m = load();
  EXPECT_EQ(parses_, 4);
  EXPECT_EQ(m.models.front().location.file, moved);
}

TEST_F(ManifestCache, DamagedOrTruncatedEntryIsAMissAndIsRewritten) {
  const manifest first = load();
  const fs::path entry = entries().front();
  const auto size = fs::file_size(entry);
  {
    std::fstream f(entry, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 10));
    f.put('#');
  }
  expect_same(load(), first);
  EXPECT_EQ(parses_, 2);
  expect_same(load(), first);
  EXPECT_EQ(parses_, 2) << "the damaged entry was not rewritten";
  fs::resize_file(entry, size / 2);
  expect_same(load(), first);
  EXPECT_EQ(parses_, 3);
  std::ofstream(entry, std::ios::trunc) << "pgparity-manifest 0 old format\n";
  expect_same(load(), first);
  EXPECT_EQ(parses_, 4);
}

TEST_F(ManifestCache, ABadManifestIsNeverStoredAndFailsTheSameWayEveryTime) {
  append("  Oops: {table: oops, colums: {}}\n");
  std::string messages[2];
  for (auto& message : messages) {
    try {
      load_manifest(path_, {cache_dir()});
      ADD_FAILURE() << "a bad manifest loaded";
    } catch (const input_error& e) {
      message = e.what();
    }
  }
  EXPECT_NE(messages[0].find(path_ + ":"), std::string::npos) << messages[0];
  EXPECT_NE(messages[0].find("colums"), std::string::npos) << messages[0];
  EXPECT_EQ(messages[1], messages[0]);
  EXPECT_FALSE(fs::exists(dir_ / "cache" / "manifests") && !entries().empty());
}

TEST_F(ManifestCache, NoDirectoryMeansNoCache) {
  for (int run = 0; run < 2; ++run) {
    parse_manifest_cached({{path_, "x"}}, {}, [&] {
      ++parses_;
      return manifest{};
    });
  }
  EXPECT_EQ(parses_, 2) << "a cache without a folder served the second load";
  EXPECT_FALSE(fs::exists(dir_ / "cache"));
  EXPECT_FALSE(fs::exists("manifests")) << "written relative to the working directory";
}

// The `models:` path: the export and its overlay, parsed once, then read back equal.
TEST_F(ManifestCache, SqlalchemyExportWithOverlayReadsBackEqual) {
  const fs::path fixture = source_dir / "fixtures/orm/rbac_declarative";
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
  const project_config config = load_project_config((fixture / "pgparity.yaml").string(), false);
  ASSERT_TRUE(config.models);
  ASSERT_TRUE(config.models->overlay);
  const auto load_rbac = [&](bool fresh) {
    return load_models(*config.models, config.file, config.base_dir, cache_dir(), fresh);
  };
  const manifest first = load_rbac(false);  // the exporter runs, the result is parsed and stored
  const auto stored = entries();
  ASSERT_EQ(stored.size(), 1u);
  const auto written = fs::last_write_time(stored.front());
  const manifest second = load_rbac(false);
  expect_same(second, first);
  EXPECT_EQ(fs::last_write_time(stored.front()), written) << "a hit rewrote its entry";
  bool overlay_applied = false;
  for (const auto& model : second.models) overlay_applied |= model.soft_delete.has_value();
  EXPECT_TRUE(overlay_applied) << "the overlay's soft_delete did not come back";
  expect_same(load_rbac(true), first);
}

}  // namespace
}  // namespace pgparity
