// The on-disk cache of canonical forms: a hit returns exactly what canonicalize() returns, without
// asking the server; any change of manifest spelling or database key asks it again.
#include "engine/canonical_cache.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "catalog/catalog.h"
#include "catalog/test_database.h"
#include "migrate/migrations.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

column_spec column(const std::string& name, const std::string& type,
                   std::optional<std::string> dflt = {}) {
  column_spec c;
  c.name = name;
  c.type = type;
  c.default_declared = dflt.has_value();
  c.default_expr = std::move(dflt);
  return c;
}

manifest notes_manifest() {
  manifest m;
  m.enums.push_back({"mood", "public", {"happy", "sad"}, {}});
  model_spec model;
  model.name = "Note";
  model.schema = "public";
  model.table = "notes";
  model.columns = {column("id", "int"), column("title", "varchar(20)", "'x'"),
                   column("amount", "money_amount"), column("mood", "mood", "'happy'"),
                   column("broken", "varchr")};
  check_spec check;
  check.name = "ck_positive";
  check.expression = "id > 0";
  model.checks.push_back(check);
  index_spec index;
  index.name = "ix_title";
  index.keys = {"lower(title)"};
  index.predicate = "id > 0";
  model.indexes.push_back(index);
  m.models.push_back(model);
  return m;
}

// Every canonical field and error, one per line, for comparisons with readable failures.
std::string dump(const canonical_manifest& c) {
  std::string out;
  for (const auto& model : c.m.models) {
    for (const auto& col : model.columns) {
      out += fmt::format("{}.{}: {} default {}\n", model.name, col.name, col.canonical_type,
                         col.canonical_default.value_or("(none)"));
    }
    for (const auto& check : model.checks) {
      out +=
          fmt::format("{} check: {}\n", model.name, check.canonical_expression.value_or("(none)"));
    }
    for (const auto& index : model.indexes) {
      std::string keys;
      for (const auto& k : index.canonical_keys) keys += k + "|";
      out += fmt::format("{} index: {} where {}\n", model.name, keys,
                         index.canonical_predicate.value_or("(none)"));
    }
  }
  for (const auto& e : c.canonical_errors) {
    out += fmt::format("error {}: {}\n", e.key(), e.message);
  }
  return out;
}

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n;
}

class canonical_cache_test : public test::database_test {
 protected:
  void SetUp() override {
    database_test::SetUp();
    run("CREATE DOMAIN money_amount AS numeric(10,2)");
    dir_ = fs::temp_directory_path() /
           fmt::format("pgparity-canonical-test-{}-{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override {
    fs::remove_all(dir_);
    database_test::TearDown();
  }

  canonical_cache_options options(const std::string& key = "database one") const {
    canonical_cache_options o;
    o.dir = dir_.string();
    o.database_key = key;
    return o;
  }

  fs::path dir_;
};

TEST_F(canonical_cache_test, MissAndHitBothReturnWhatCanonicalizeReturns) {
  const manifest m = notes_manifest();
  const std::string expected = dump(canonicalize(conn(), m));
  ASSERT_NE(expected.find("Note.amount: money_amount"), std::string::npos) << expected;
  ASSERT_NE(expected.find("error Note.column broken:"), std::string::npos) << expected;

  EXPECT_EQ(dump(canonicalize_cached(conn(), m, options())),
            expected);  // miss: computed and stored
  EXPECT_EQ(entries(dir_), 1u);
  EXPECT_EQ(dump(canonicalize_cached(conn(), m, options())), expected);  // hit
  EXPECT_EQ(entries(dir_), 1u);
}

// The proof that a hit does not ask the server: the database changes under the same key (which
// a real key never allows), and the old answer comes back until the key changes or --fresh.
TEST_F(canonical_cache_test, HitDoesNotAskTheServerButAnotherKeyOrRefreshDoes) {
  const manifest m = notes_manifest();
  const std::string before = dump(canonicalize_cached(conn(), m, options()));
  run("DROP DOMAIN money_amount");

  EXPECT_EQ(dump(canonicalize_cached(conn(), m, options())), before);
  const std::string after = dump(canonicalize_cached(conn(), m, options("database two")));
  EXPECT_NE(after.find("error Note.column amount: type \"money_amount\" does not exist"),
            std::string::npos)
      << after;
  canonical_cache_options refresh = options();
  refresh.refresh = true;
  EXPECT_EQ(dump(canonicalize_cached(conn(), m, refresh)), after);
  EXPECT_EQ(dump(canonicalize_cached(conn(), m, options())), after);  // the entry was overwritten
}

// Without a server: exactly what a hit through the server returns, and nothing for a manifest
// or database never stored.
TEST_F(canonical_cache_test, WithoutAServerTheStoredFormsOrNothing) {
  manifest m = notes_manifest();
  EXPECT_FALSE(cached_canonical_forms(m, options()));
  const std::string expected = dump(canonicalize_cached(conn(), m, options()));
  manifest moved = m;  // a hit takes the manifest it fills (no second copy in a run)
  const auto offline = cached_canonical_forms(moved, options());
  ASSERT_TRUE(offline);
  EXPECT_EQ(dump(*offline), expected);
  EXPECT_FALSE(cached_canonical_forms(m, options("database two")));
  canonical_cache_options refresh = options();
  refresh.refresh = true;
  EXPECT_FALSE(cached_canonical_forms(m, refresh));
  m.models.front().columns.front().type = "bigint";
  EXPECT_FALSE(cached_canonical_forms(m, options()));
}

TEST_F(canonical_cache_test, AnyChangedSpellingIsAskedAgain) {
  manifest m = notes_manifest();
  canonicalize_cached(conn(), m, options());
  m.models[0].columns[1].type = "varchar(30)";
  m.models[0].checks[0].expression = "id >= 1";
  m.models[0].indexes[0].predicate = "id > 1";
  m.enums[0].labels.push_back("calm");
  const std::string changed = dump(canonicalize_cached(conn(), m, options()));
  EXPECT_EQ(changed, dump(canonicalize(conn(), m)));
  EXPECT_NE(changed.find("Note.title: character varying(30)"), std::string::npos) << changed;
  EXPECT_NE(changed.find("check: id >= 1"), std::string::npos) << changed;
  EXPECT_EQ(entries(dir_), 2u);
}

TEST_F(canonical_cache_test, CorruptEntryIsRecomputed) {
  const manifest m = notes_manifest();
  const std::string expected = dump(canonicalize_cached(conn(), m, options()));
  ASSERT_EQ(entries(dir_), 1u);
  const fs::path file = fs::directory_iterator(dir_)->path();
  std::string text;
  {
    std::ifstream in(file);
    std::getline(in, text);  // keep the header, lose the body
  }
  for (const std::string& body : {std::string(""), std::string("7:short"), std::string("x:y")}) {
    std::ofstream(file, std::ios::trunc) << text << "\n" << body;
    EXPECT_EQ(dump(canonicalize_cached(conn(), m, options())), expected) << body;
  }
}

TEST_F(canonical_cache_test, NoKeyOrNoDirectoryMeansNoCache) {
  const manifest m = notes_manifest();
  const std::string expected = dump(canonicalize(conn(), m));
  EXPECT_EQ(dump(canonicalize_cached(conn(), m, options(""))), expected);
  EXPECT_FALSE(fs::exists(dir_));
  canonical_cache_options no_dir = options();
  no_dir.dir.clear();
  EXPECT_EQ(dump(canonicalize_cached(conn(), m, no_dir)), expected);
  EXPECT_FALSE(fs::exists(dir_));
}

TEST(canonical_cache_for, CommandModeAndExistingServersAreNotCached) {
  migrated_run command_mode;  // no migration set: the schema came from a command
  EXPECT_TRUE(canonical_cache_for(command_mode, false).database_key.empty());
  EXPECT_TRUE(canonical_cache_for(command_mode, false).dir.empty());
}

}  // namespace
}  // namespace pgparity

namespace pgparity {
namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class snapshot_cache_test : public test::database_test {
 protected:
  void SetUp() override {
    database_test::SetUp();
    run("CREATE TABLE notes (id bigint PRIMARY KEY, title text NOT NULL)");
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pgparity-snapshot-test-{}-{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    options_.dir = dir_.string();
    options_.database_key = "database one";
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    database_test::TearDown();
  }
  std::filesystem::path entry() const {
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().extension() == ".snapshot") return e.path();
    }
    return {};
  }

  std::filesystem::path dir_;
  canonical_cache_options options_;
};

TEST_F(snapshot_cache_test, HitIsTheSnapshotAndAnyDdlSinceMakesItReadAgain) {
  const snapshot first = read_snapshot_cached(conn(), options_);
  ASSERT_FALSE(entry().empty());
  const std::string stored = slurp(entry());
  EXPECT_EQ(read_snapshot_cached(conn(), options_), first);
  EXPECT_EQ(slurp(entry()), stored);  // a hit writes nothing
  run("ALTER TABLE notes ADD COLUMN body text");
  const snapshot after = read_snapshot_cached(conn(), options_);
  ASSERT_NE(after.find_table("public", "notes"), nullptr);
  EXPECT_NE(after.find_table("public", "notes")->find_column("body"), nullptr);
  EXPECT_EQ(after, read_snapshot(conn()));
}

TEST_F(snapshot_cache_test, DamagedEntryIsReadAgainAndRewritten) {
  const snapshot real = read_snapshot_cached(conn(), options_);
  const std::string stored = slurp(entry());
  // A change that keeps the format valid (the table's name) is caught by the body's hash;
  // a cut-off body by the format.
  std::string renamed = stored;
  renamed.replace(renamed.rfind("5:notes"), 7, "5:nates");
  for (const std::string& damaged : {renamed, stored.substr(0, stored.size() / 2)}) {
    std::ofstream(entry(), std::ios::binary | std::ios::trunc) << damaged;
    EXPECT_EQ(read_snapshot_cached(conn(), options_), real);
    EXPECT_EQ(slurp(entry()), stored);
  }
}

// Without a server: the entry is used only for the template it was recorded with.
TEST_F(snapshot_cache_test, WithoutAServerOnlyTheRecordedTemplateIsUsed) {
  options_.template_fingerprint = "template one";
  const snapshot real = read_snapshot_cached(conn(), options_);
  const auto offline = cached_snapshot(options_);
  ASSERT_TRUE(offline);
  EXPECT_EQ(*offline, real);
  canonical_cache_options other = options_;
  other.template_fingerprint = "template two";
  EXPECT_FALSE(cached_snapshot(other)) << "another template (rebuilt) must not use it";
  other.template_fingerprint.clear();
  EXPECT_FALSE(cached_snapshot(other)) << "an unknown template must not use it";
  other = options_;
  other.refresh = true;
  EXPECT_FALSE(cached_snapshot(other));
  other = options_;
  other.database_key = "database two";
  EXPECT_FALSE(cached_snapshot(other));
  // A run through the server from another copy of the same catalog records its template.
  const std::string stored = slurp(entry());
  options_.template_fingerprint = "template three";
  EXPECT_EQ(read_snapshot_cached(conn(), options_), real);
  EXPECT_NE(slurp(entry()), stored);
  EXPECT_TRUE(cached_snapshot(options_));
  // A damaged body is refused here too.
  std::string renamed = slurp(entry());
  renamed.replace(renamed.rfind("5:notes"), 7, "5:nates");
  std::ofstream(entry(), std::ios::binary | std::ios::trunc) << renamed;
  EXPECT_FALSE(cached_snapshot(options_));
}

}  // namespace
}  // namespace pgparity
