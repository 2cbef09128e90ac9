// Reverse drift: what the database holds that no model declares. A WARNING by default (printed,
// the test passes); a failure when the config says `undeclared: error`.
//   Undeclared/Objects.Check/<Model>  columns, indexes and constraints of the model's table
//   Undeclared/Tables.Check/<schema>  tables of a schema the manifest uses
#include "harness/check_test.h"

namespace {

class Objects : public pgparity::harness::check_test {};
class Tables : public pgparity::harness::check_test {};

TEST_P(Objects, Check) { expect_no_findings(); }
TEST_P(Tables, Check) { expect_no_findings(); }

PGPARITY_INSTANTIATE(Undeclared, Objects, undeclared_objects);
PGPARITY_INSTANTIATE(Undeclared, Tables, undeclared_tables);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Objects);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Tables);

}  // namespace
