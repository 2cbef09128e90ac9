// <Family>/Match.Check/<Model>: what the model declares of one kind of object matches the
// migrated schema. One body serves every family; the parameter names the family, and
// check_test::SetUp skips the test when the model's table is missing.
//   Columns      every declared column: type, nullability, default (when declared), primary key
//   Enums        every enum the model's columns use: labels, in order
//   ForeignKeys  columns, referenced table and columns, ON DELETE/UPDATE and name when declared
//   Indexes      keys in order, unique, predicate, method, name when declared
//   Uniques      every unique column set is enforced by a constraint or unique index
//   Checks       every check constraint, compared as the server prints the expression
#include "harness/check_test.h"

namespace {

class Match : public pgparity::harness::check_test {};

TEST_P(Match, Check) { expect_no_findings(); }

PGPARITY_INSTANTIATE(Columns, Match, columns_match);
PGPARITY_INSTANTIATE(Enums, Match, enums_match);
PGPARITY_INSTANTIATE(ForeignKeys, Match, foreign_keys_match);
PGPARITY_INSTANTIATE(Indexes, Match, indexes_match);
PGPARITY_INSTANTIATE(Uniques, Match, uniques_match);
PGPARITY_INSTANTIATE(Checks, Match, checks_match);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Match);

}  // namespace
