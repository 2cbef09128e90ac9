// Tables/Exists.Check/<Model>: the model's table exists in its schema.
#include "harness/check_test.h"

namespace {

class Exists : public pgparity::harness::check_test {};

TEST_P(Exists, Check) { expect_no_findings(); }

PGPARITY_INSTANTIATE(Tables, Exists, tables_exist);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Exists);

}  // namespace
