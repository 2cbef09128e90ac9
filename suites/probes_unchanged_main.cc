// probes_unchanged_test <pgparity.yaml>: proves that the probe suites leave the migrated
// database exactly as the migrations made it. Brings the project up as `pgparity test` does,
// reads the template database's snapshot and every table's row count, runs every Probes/* test
// (the same suites, linked in), and reads both again: they must be equal, and at least one probe
// test must have passed (so the probes did insert rows). Exit 0 when all holds.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "harness/generated_tests.h"
#include "harness/shared_cluster.h"

namespace {

struct database_state {
  pgparity::snapshot schema;
  std::map<std::string, long> rows;  // "schema.table" -> count(*)
};

database_state read_state(const pgparity::connection_info& db) {
  pqxx::connection conn(db.conninfo());
  database_state state;
  state.schema = pgparity::read_snapshot(conn);
  pqxx::work tx(conn);
  for (const auto& t : state.schema.tables()) {
    const std::string name = tx.quote_name(t.schema) + "." + tx.quote_name(t.name);
    state.rows[t.schema + "." + t.name] = tx.exec1("SELECT count(*) FROM " + name)[0].as<long>();
  }
  return state;
}

}  // namespace

int main(int argc, char** argv) {
  namespace harness = pgparity::harness;
  if (argc != 2) {
    std::cerr << "usage: probes_unchanged_test <pgparity.yaml>\n";
    return 2;
  }
  try {
    pgparity::engine::audit_context ctx = pgparity::engine::load_inputs(argv[1]);
    harness::register_tests(ctx);
    std::vector<std::string> args = {argv[0], "--gtest_filter=Probes/*"};
    std::vector<char*> gtest_argv;
    for (auto& a : args) gtest_argv.push_back(a.data());
    int gtest_argc = static_cast<int>(gtest_argv.size());
    gtest_argv.push_back(nullptr);  // argv[argc] is null, as InitGoogleTest reads it
    ::testing::InitGoogleTest(&gtest_argc, gtest_argv.data());

    pgparity::migrated_run run = harness::attach_or_bring_up(ctx.config, false).run;
    pgparity::engine::prepare(ctx, run, false);
    const pgparity::connection_info db = run.srv->connection(run.template_db);
    const database_state before = read_state(db);
    pgparity::engine::session session(ctx);
    harness::set_current_session(&session);
    const int tests = RUN_ALL_TESTS();
    harness::set_current_session(nullptr);
    const database_state after = read_state(db);

    bool ok = true;
    if (tests != 0) {
      std::cout << "FAIL: a probe test failed\n";
      ok = false;
    }
    const int passed = ::testing::UnitTest::GetInstance()->successful_test_count();
    if (passed == 0) {
      std::cout << "FAIL: no probe test passed, so nothing was probed\n";
      ok = false;
    }
    if (before.schema != after.schema) {
      std::cout << "FAIL: the schema changed:\n" << before.schema.diff(after.schema) << "\n";
      ok = false;
    }
    long total = 0;
    for (const auto& [table, count] : before.rows) {
      total += count;
      const auto it = after.rows.find(table);
      const long now = it == after.rows.end() ? -1 : it->second;
      if (now != count) {
        std::cout << "FAIL: " << table << " held " << count << " row(s) before, " << now
                  << " after\n";
        ok = false;
      }
    }
    std::cout << (ok ? "PASS" : "FAIL") << ": " << passed << " probe test(s) passed; "
              << before.rows.size() << " table(s), " << total
              << " row(s) before; snapshot and row counts after the probes "
              << (ok ? "equal" : "compared above") << "\n";
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cout << "FAIL: " << e.what() << "\n";
    return 1;
  }
}
