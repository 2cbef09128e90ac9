#include "migrate/sql_text.h"

#include <gtest/gtest.h>

#include "migrate/bookkeeping.h"
#include "migrate/detail.h"

namespace pgparity::migrate_detail {
namespace {

std::vector<std::string> texts(const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& s : split_statements(sql)) out.push_back(sql.substr(s.begin, s.end - s.begin));
  return out;
}

TEST(SplitStatements, IgnoresSemicolonsInStringsCommentsAndDollarQuotes) {
  const std::string sql =
      "-- leading; comment\n"
      "CREATE TABLE a (x text DEFAULT ';');\n"
      "/* block; /* nested; */ still; */ INSERT INTO a VALUES (E'it\\'s;');\n"
      "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
      "SELECT \"semi;colon\" FROM a;;\n"
      "DO $$ BEGIN PERFORM 1; END $$";
  EXPECT_EQ(texts(sql),
            (std::vector<std::string>{
                "CREATE TABLE a (x text DEFAULT ';')",
                "INSERT INTO a VALUES (E'it\\'s;')",
                "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
                "SELECT \"semi;colon\" FROM a",
                "DO $$ BEGIN PERFORM 1; END $$",
            }));
}

TEST(SplitStatements, KeepsSqlStandardFunctionBodiesWhole) {
  const std::string sql =
      "CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 "
      "THEN 1 END; SELECT 2; END;\nSELECT 3;";
  const auto parts = texts(sql);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1], "SELECT 3");
}

TEST(SplitStatements, ParametersAreNotDollarQuotes) {
  EXPECT_EQ(texts("PREPARE p AS SELECT $1; SELECT 2").size(), 2u);
}

TEST(BlankSql, OnlyCommentsAndWhitespace) {
  EXPECT_TRUE(is_blank_sql(""));
  EXPECT_TRUE(is_blank_sql("  \n-- nothing here\n/* nor here */\n"));
  EXPECT_FALSE(is_blank_sql("-- x\nSELECT 1"));
}

TEST(NoTransactionMarker, OnlyInLeadingComments) {
  EXPECT_TRUE(has_no_transaction_marker("-- pgparity:no-transaction\nCREATE TABLE a ();"));
  EXPECT_TRUE(has_no_transaction_marker("\n-- why: big index\n--pgparity:no-transaction\n"));
  EXPECT_FALSE(has_no_transaction_marker("CREATE TABLE a ();\n-- pgparity:no-transaction\n"));
  EXPECT_FALSE(has_no_transaction_marker("CREATE TABLE a ();"));
}

TEST(NeedsNoTransaction, DetectsStatementsRefusedInATransactionBlock) {
  EXPECT_EQ(statement_needing_no_transaction(
                "CREATE TABLE a (x int);\ncreate unique index concurrently ix on a (x);", 150000),
            "CREATE INDEX CONCURRENTLY");
  EXPECT_EQ(statement_needing_no_transaction("DROP INDEX CONCURRENTLY ix", 150000),
            "DROP INDEX CONCURRENTLY");
  EXPECT_EQ(statement_needing_no_transaction("REINDEX (VERBOSE) INDEX CONCURRENTLY ix", 150000),
            "REINDEX CONCURRENTLY");
  EXPECT_EQ(statement_needing_no_transaction("VACUUM ANALYZE a", 150000), "VACUUM");
  EXPECT_FALSE(statement_needing_no_transaction("CREATE INDEX ix ON a (x)", 150000));
  EXPECT_FALSE(statement_needing_no_transaction(
      "COMMENT ON TABLE a IS 'CREATE INDEX CONCURRENTLY';", 150000));
  // ADD VALUE runs in a transaction block since PostgreSQL 12.
  EXPECT_FALSE(statement_needing_no_transaction("ALTER TYPE s ADD VALUE 'x'", 150000));
  EXPECT_EQ(statement_needing_no_transaction("ALTER TYPE s ADD VALUE 'x'", 110000),
            "ALTER TYPE ... ADD VALUE");
}

TEST(Positions, CountUtf8CharactersAndLines) {
  const std::string sql = "-- héllo\nSELECT 'é' +\n  nope;";
  // PostgreSQL position of `nope`: characters, not bytes.
  const std::size_t char_pos = std::string("-- héllo\nSELECT 'é' +\n  ").size() - 2 + 1;
  const std::size_t offset = offset_of_position(sql, 0, static_cast<int>(char_pos), true);
  EXPECT_EQ(sql.substr(offset, 4), "nope");
  EXPECT_EQ(line_of_offset(sql, offset, 1), 3);
  EXPECT_EQ(line_of_offset(sql, offset, 10), 12);
  EXPECT_EQ(line_of_offset(sql, 0, 1), 1);
}

TEST(Versions, NumericAwareOrder) {
  EXPECT_LT(compare_versions("1", "2"), 0);
  EXPECT_LT(compare_versions("2", "10"), 0);
  EXPECT_LT(compare_versions("1.2", "1.10"), 0);
  EXPECT_EQ(compare_versions("0001", "1"), 0);
  EXPECT_GT(compare_versions("20190226002946", "0020190226002945"), 0);
  EXPECT_LT(compare_versions("1", "1.1"), 0);
}

TEST(Hashes, FlywayChecksumIsCrc32OfTheLines) {
  EXPECT_EQ(flyway_checksum("123456789"), -873187034);
  EXPECT_EQ(flyway_checksum("1234\n56789\r\n"), flyway_checksum("123456789"));
}

}  // namespace
}  // namespace pgparity::migrate_detail
