// pgparity::DatabaseTest itself: every test gets its own fresh copy of the migrated schema,
// dropped afterwards. Runs on its own (PGPARITY_CONFIG) and attached to a shared cluster
// (the todo_chat suite's PGPARITY_ATTACH).
#include <pgparity/harness/database_test.h>

#include <string>
#include <vector>

namespace {

using DatabaseTest = pgparity::DatabaseTest;

// Databases earlier tests of this process used: each must be gone once its test ended.
std::vector<std::string>& earlier_databases() {
  static std::vector<std::string> names;
  return names;
}

// Each test checks that the rows an earlier test committed are not there, commits its own,
// and that the earlier tests' databases were dropped: whatever order the tests run in, every
// test after the first proves both.
void check_fresh_and_leave_a_row(pqxx::connection& conn) {
  pqxx::work tx(conn);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM users")[0].as<int>(), 0)
      << "a row committed by another test is visible: the copies are not fresh";
  for (const auto& name : earlier_databases()) {
    EXPECT_EQ(
        tx.exec1("SELECT count(*) FROM pg_database WHERE datname = " + tx.quote(name))[0].as<int>(),
        0)
        << "database " << name << " of an earlier test still exists";
  }
  earlier_databases().push_back(tx.exec1("SELECT current_database()")[0].c_str());
  tx.exec0("INSERT INTO users (email) VALUES ('left@example.com')");
  tx.commit();
}

TEST_F(DatabaseTest, FirstCopyIsFresh) { check_fresh_and_leave_a_row(db()); }
TEST_F(DatabaseTest, SecondCopyIsFresh) { check_fresh_and_leave_a_row(db()); }
TEST_F(DatabaseTest, ThirdCopyIsFresh) { check_fresh_and_leave_a_row(db()); }

TEST_F(DatabaseTest, HoldsTheMigratedSchema) {
  pqxx::work tx(db());
  for (const char* table : {"users", "tasks", "conversations", "messages"}) {
    EXPECT_FALSE(tx.exec1(std::string("SELECT to_regclass(") + tx.quote(table) + ")")[0].is_null())
        << "table " << table << " is missing from the test's database";
  }
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_type WHERE typname = 'message_role'")[0].as<int>(),
            1);
}

TEST_F(DatabaseTest, DbInfoReachesTheSameDatabase) {
  pqxx::connection second(db_info().conninfo());
  pqxx::work tx(second);
  EXPECT_EQ(std::string(tx.exec1("SELECT current_database()")[0].c_str()), db_info().dbname);
  EXPECT_EQ(db_info().dbname, std::string(db().dbname()));
}

}  // namespace
