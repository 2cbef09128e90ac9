// Alembic projects, with Debian's python3 and its python3-alembic on a real server: revisions
// read base first, applied and stepped back one at a time, heads, errors, and the cache key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "migrate/migrations.h"
#include "migrate/test_support.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;
using test::query_value;
using test::shared_server;
using test::table_exists;

constexpr const char* k_python = "/usr/bin/python3";

std::string source(const std::string& relative) {
  return std::string(PGPARITY_SOURCE_DIR) + "/" + relative;
}

migrations_config alembic_config(const std::string& project) {
  migrations_config config;
  config.alembic = project + "/alembic.ini";
  config.python = k_python;
  config.cwd = project;
  return config;
}

// A copy of fixtures/layouts/alembic to change files in.
class AlembicCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pgparity-alembic-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::copy(source("fixtures/layouts/alembic"), dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void append(const std::string& relative, const std::string& text) {
    std::ofstream(dir_ / relative, std::ios::app) << text;
  }
  fs::path dir_;
};

TEST(Alembic, RevisionsBaseFirstWithFilesAndMessages) {
  const migration_set set = read_alembic(alembic_config(source("fixtures/layouts/alembic")));
  EXPECT_EQ(set.layout, migration_layout::alembic);
  ASSERT_EQ(set.steps.size(), 4u);
  EXPECT_EQ(set.steps[0].version, "1f0a6c2b9d31");
  EXPECT_EQ(set.steps[0].name, "create authors");
  EXPECT_EQ(set.steps[3].version, "e5a8c1f70d42");
  EXPECT_EQ(fs::path(set.steps[1].up_file).filename(), "7c4e2d8a1b55_create_books.py");
  EXPECT_EQ(set.steps[1].down_file, set.steps[1].up_file);
  EXPECT_EQ(set.heads, std::vector<std::string>{"e5a8c1f70d42"});
  EXPECT_EQ(fs::path(set.dir).filename(), "migrations");
}

TEST(Alembic, TwoHeadsAreBothNamed) {
  const migration_set set =
      read_alembic(alembic_config(source("fixtures/lifecycle/alembic_two_heads")));
  EXPECT_EQ(set.heads, (std::vector<std::string>{"4d2f9a6e8c13", "e5a8c1f70d42"}));
  EXPECT_EQ(set.steps.size(), 5u);
}

// The env.py line `set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])` accepts the
// URL pgparity gives, and each revision steps up, down and up again.
TEST(Alembic, AppliesStepsAndRollsBack) {
  const migration_set set = read_alembic(alembic_config(source("fixtures/layouts/alembic")));
  const connection_info db = shared_server().connection(shared_server().create_database());
  const std::vector<step_timing> timings = apply_up(set, db, 120);
  EXPECT_TRUE(table_exists(db, "loans"));
  EXPECT_EQ(query_value(db, "SELECT version_num FROM alembic_version"), "e5a8c1f70d42");
  EXPECT_EQ(timings.size(), 1u) << "the whole history is one `upgrade heads`";
  apply_step(set, 3, false, db);
  EXPECT_FALSE(table_exists(db, "loans"));
  EXPECT_EQ(query_value(db, "SELECT version_num FROM alembic_version"), "b93d0e5f4a27");
  apply_down(set, db, 3);
  EXPECT_FALSE(table_exists(db, "books"));
  EXPECT_TRUE(table_exists(db, "authors"));
  apply_down(set, db, 4);
  EXPECT_FALSE(table_exists(db, "authors"));
}

TEST_F(AlembicCopy, FailingRevisionNamesItsFileAndLine) {
  append("migrations/versions/b93d0e5f4a27_books_isbn_unique.py",
         "\n\ndef upgrade():\n    op.execute(\"SELEC 1\")\n");
  const migration_set set = read_alembic(alembic_config(dir_.string()));
  const connection_info db = shared_server().connection(shared_server().create_database());
  try {
    apply_up(set, db, 120);
    FAIL() << "the bad revision applied";
  } catch (const environment_error& e) {
    const std::string message = e.what();
    const std::string file =
        (dir_ / "migrations/versions/b93d0e5f4a27_books_isbn_unique.py").string();
    // One `upgrade heads` applied them all; the traceback still names the revision and line.
    EXPECT_EQ(message.rfind(file + ":30: `alembic upgrade heads` failed: ProgrammingError: ", 0),
              0u)
        << message;
    EXPECT_NE(message.find("; fix revision b93d0e5f4a27;"), std::string::npos) << message;
    EXPECT_NE(message.find("syntax error at or near \"SELEC\""), std::string::npos) << message;
  }
}

TEST_F(AlembicCopy, UnreadableRevisionIsAnInputError) {
  append("migrations/versions/e5a8c1f70d42_create_loans.py", "\ndef broken(:\n");
  EXPECT_THROW(read_alembic(alembic_config(dir_.string())), input_error);
}

TEST_F(AlembicCopy, MissingInterpreterIsAnEnvironmentError) {
  migrations_config config = alembic_config(dir_.string());
  config.python = "/nonexistent/python3";
  EXPECT_THROW(read_alembic(config), environment_error);
}

// The template cache key follows env.py and the revisions, not only their names.
TEST_F(AlembicCopy, ContentHashFollowsEnvPyAndRevisions) {
  const std::string before = read_alembic(alembic_config(dir_.string())).content_hash;
  EXPECT_EQ(read_alembic(alembic_config(dir_.string())).content_hash, before);
  append("migrations/env.py", "# changed\n");
  const std::string after_env = read_alembic(alembic_config(dir_.string())).content_hash;
  EXPECT_NE(after_env, before);
  append("migrations/versions/1f0a6c2b9d31_create_authors.py", "# changed\n");
  EXPECT_NE(read_alembic(alembic_config(dir_.string())).content_hash, after_env);
}

}  // namespace
}  // namespace pgparity
