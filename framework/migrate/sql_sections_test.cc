// Section markers of one-file migrations (dbmate, goose, sql-migrate): text only.
#include "migrate/sql_sections.h"

#include <gtest/gtest.h>

namespace pgparity::migrate_detail {
namespace {

TEST(SqlSections, GooseMarkersIgnoreCaseAndTrailingBlanks) {
  const auto s = split_sections(
      "-- header\n-- +goose up  \nSELECT 1;\n-- +goose Upgrade\n-- +goose DOWN\r\nSELECT 2;\n",
      section_style::goose);
  EXPECT_TRUE(s.has_up);
  EXPECT_TRUE(s.has_down);
  EXPECT_EQ(s.up_sql, "SELECT 1;\n-- +goose Upgrade\n") << "Upgrade is not a marker";
  EXPECT_EQ(s.down_sql, "SELECT 2;\n");
  EXPECT_EQ(s.up_first_line, 3);
  EXPECT_EQ(s.down_first_line, 6);
  EXPECT_FALSE(s.up_no_transaction);
}

TEST(SqlSections, GooseNoTransactionAnywhereCoversBothDirections) {
  const auto s = split_sections(
      "-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- +goose NO TRANSACTION \t\n"
      "-- +goose Down\nDROP INDEX CONCURRENTLY i;\n",
      section_style::goose);
  EXPECT_TRUE(s.up_no_transaction);
  EXPECT_TRUE(s.down_no_transaction);
  EXPECT_TRUE(has_goose_no_transaction("-- +goose NO TRANSACTION   \n"));
  EXPECT_FALSE(has_goose_no_transaction("-- +goose Up\nSELECT 1; -- +goose NO TRANSACTION\n"));
}

TEST(SqlSections, SqlMigrateNotransactionPerSection) {
  const auto s =
      split_sections("-- +migrate Up notransaction\nSELECT 1;\n-- +migrate Down\nSELECT 2;\n",
                     section_style::sql_migrate);
  EXPECT_TRUE(s.up_no_transaction);
  EXPECT_FALSE(s.down_no_transaction);
  EXPECT_FALSE(has_up_marker("-- +migrate up\n", section_style::sql_migrate))
      << "sql-migrate's markers are case-sensitive";
  EXPECT_TRUE(has_up_marker("  -- +migrate Up\n", section_style::sql_migrate));
}

TEST(SqlSections, DbmateOptions) {
  const auto s = split_sections("-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\n",
                                section_style::dbmate);
  EXPECT_TRUE(s.up_no_transaction);
  EXPECT_TRUE(s.has_down);
  EXPECT_EQ(s.down_sql, "");
  EXPECT_FALSE(has_up_marker("-- migrate:upper\n", section_style::dbmate));
}

}  // namespace
}  // namespace pgparity::migrate_detail
