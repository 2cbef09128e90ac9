// Spelling comparison and SQL text helpers.
#include "checks/compare.h"

#include <gtest/gtest.h>

#include "checks/sql_text.h"

namespace pgparity {
namespace {

using namespace checks_detail;

TEST(Compare, LooseFormIgnoresCaseSpacingOuterParensAndLiteralCasts) {
  EXPECT_EQ(loose_form("  NOT   is_deleted "), "not is_deleted");
  EXPECT_EQ(loose_form("((NOT is_deleted))"), "not is_deleted");
  EXPECT_EQ(loose_form("(a > 0) AND (b > 0)"), "(a>0)and(b>0)");
  EXPECT_EQ(loose_form("status = 'Active'::user_status"), "status='Active'");
  EXPECT_EQ(loose_form("'x'::character varying(20)"), "'x'");
  EXPECT_EQ(loose_form("\"Name\" <> ''"), "\"Name\"<>''");
}

TEST(Compare, CanonicalFormsCompareExactlyUpToOuterParens) {
  EXPECT_TRUE(same_spelling("(NOT is_deleted)", true, "(NOT is_deleted)"));
  EXPECT_TRUE(same_spelling("NOT is_deleted", true, "(NOT is_deleted)"));
  EXPECT_FALSE(same_spelling("not is_deleted", true, "(NOT is_deleted)"));
  EXPECT_TRUE(same_spelling("not is_deleted", false, "(NOT is_deleted)"));
  EXPECT_FALSE(same_spelling("int", false, "integer"));
  EXPECT_FALSE(same_spelling("'Pending'", false, "'pending'::user_status"));
}

TEST(Compare, StripOuterParensKeepsParensThatDoNotEncloseEverything) {
  EXPECT_EQ(strip_outer_parens("(a) OR (b)"), "(a) OR (b)");
  EXPECT_EQ(strip_outer_parens("((a) OR (b))"), "(a) OR (b)");
  EXPECT_EQ(strip_outer_parens("(')' = x)"), "')' = x");
}

TEST(SqlText, IdentifiersAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(quote_ident("users"), "users");
  EXPECT_EQ(quote_ident("user_roles2"), "user_roles2");
  EXPECT_EQ(quote_ident("user"), "\"user\"");
  EXPECT_EQ(quote_ident("Users"), "\"Users\"");
  EXPECT_EQ(quote_ident("my table"), "\"my table\"");
  EXPECT_EQ(quote_ident("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(quote_ident("1st"), "\"1st\"");
  EXPECT_EQ(qualified_name("public", "users"), "users");
  EXPECT_EQ(qualified_name("Billing", "order"), "\"Billing\".\"order\"");
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
}

TEST(SqlText, ConventionalNamesFitInAnIdentifier) {
  EXPECT_EQ(conventional_name("uq", "user_roles", {"user_id", "role_id"}),
            "uq_user_roles_user_id_role_id");
  EXPECT_EQ(conventional_name("ix", "users", {"lower(email)"}), "ix_users_lower_email");
  EXPECT_EQ(conventional_name("ix", std::string(80, 't'), {"c"}).size(), 63u);
}

TEST(SqlText, IndexKeys) {
  EXPECT_EQ(index_key_sql("email"), "email");
  EXPECT_EQ(index_key_sql("Email"), "\"Email\"");
  EXPECT_EQ(index_key_sql("\"Email\""), "\"Email\"");
  EXPECT_EQ(index_key_sql("lower(email)"), "(lower(email))");
  EXPECT_EQ(index_key_sql("(a + b)"), "(a + b)");
}

}  // namespace
}  // namespace pgparity
