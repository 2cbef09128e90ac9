// Quoting, error-text reading and built-in type values: no server needed.
#include "probes/sql_text.h"

#include <gtest/gtest.h>

#include "probes/type_values.h"

namespace pgparity::probes_detail {
namespace {

TEST(SqlText, QuotesIdentifiersAndLiterals) {
  EXPECT_EQ(quote_always("user"), "\"user\"");
  EXPECT_EQ(quote_always("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
  EXPECT_EQ(qualified("public", "t"), "\"public\".\"t\"");
  EXPECT_EQ(display_name("public", "t"), "t");
  EXPECT_EQ(display_name("app", "t"), "app.t");
}

TEST(SqlText, ReadsTheFirstLineAndTheConstraintName) {
  const std::string unique =
      "ERROR:  duplicate key value violates unique constraint \"uq_users_email\"\n"
      "DETAIL:  Key (email)=(p1) already exists.\n";
  EXPECT_EQ(server_message_line(unique),
            "duplicate key value violates unique constraint \"uq_users_email\"");
  EXPECT_EQ(constraint_in_message(unique), "uq_users_email");
  const std::string fk =
      "ERROR:  update or delete on table \"a\" violates foreign key constraint \"fk \"x\"\" on "
      "table \"b\"\n";
  EXPECT_EQ(constraint_in_message(fk), "fk \"x\"");
  EXPECT_EQ(constraint_in_message("ERROR:  syntax error at or near \"x\"\n"), std::nullopt);
}

TEST(BuiltinValues, RespectLengthsAndPrecision) {
  EXPECT_EQ(builtin_value("character varying(2)", 5, false), "'p5'");
  EXPECT_EQ(builtin_value("character varying(1)", 40, false), "'4'");  // base 36
  EXPECT_EQ(builtin_value("character(3)", 7, false), "'p7'");
  EXPECT_EQ(builtin_value("character", 7, false), "'7'");
  EXPECT_EQ(builtin_value("numeric(4,2)", 123, false), "23");
  // At the declared width: every character, bit or integer digit.
  EXPECT_EQ(builtin_value("character varying(6)", 5, false, true), "rpad('p5', 6, 'w')");
  EXPECT_EQ(builtin_value("character(3)", 5, false, true), "rpad('p5', 3, 'w')");
  EXPECT_EQ(builtin_value("bit varying(6)", 5, false, true), "lpad('000101', 6, '1')");
  EXPECT_EQ(builtin_value("numeric(6,2)", 5, false, true), "1005");
  EXPECT_EQ(builtin_value("numeric(3,2)", 5, false, true), "6");
  EXPECT_EQ(builtin_value("integer", 5, false, true), "1000000005");
  EXPECT_EQ(builtin_value("text", 5, false, true), "'p5'");
  EXPECT_EQ(builtin_value("numeric(3,3)", 5, false), "0.005");
  EXPECT_EQ(builtin_value("numeric(2,-3)", 7, false), "7000");
  EXPECT_EQ(builtin_value("smallint", 40000, false), "7233");
  EXPECT_EQ(builtin_value("boolean", 1, false), "false");
  EXPECT_EQ(builtin_value("boolean", 1, true), "true");
  EXPECT_EQ(builtin_value("uuid", 255, false), "'00000000-0000-4000-8000-0000000000ff'");
  EXPECT_EQ(builtin_value("bit(3)", 5, false), "B'101'");
  EXPECT_EQ(builtin_value("interval year to month", 2, false), "'2 years'");
  EXPECT_EQ(builtin_value("integer[]", 3, false), "ARRAY[CAST(3 AS integer)]");
  EXPECT_EQ(builtin_value("some_extension_type", 3, false), std::nullopt);
}

}  // namespace
}  // namespace pgparity::probes_detail
