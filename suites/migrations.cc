// Migration lifecycle: the migrations apply in time, roll back cleanly, and apply again to the
// same schema. Each test works in empty databases of its own on the run's server (created and
// dropped here); the migrated template is never written.
//   Migrations/Apply.Check/all        all up from empty within migrations.max_seconds; the
//                                     failure lists each migration's time
//   Migrations/RoundTrip.Check/all    up, down to empty (nothing left but the migration tool's
//                                     bookkeeping table), up again: the same schema as the first up
//   Migrations/Step.Check/<version>   with the earlier steps applied: up, down gives the schema
//                                     before it, up again the schema after it (column order
//                                     aside: a down can only re-add a dropped column at the end)
// Apply reuses the timings of this run's bring-up when it applied the migrations; when the
// schema came from the template cache (or a shared cluster) it applies them again into an empty
// database to measure. Command mode has Apply, and RoundTrip when `down:` is configured; Step
// needs a migrations directory. Plain *.sql migrations have no down files: their RoundTrip and
// Step tests are skipped with that reason.
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <optional>

#include "common/error.h"
#include "harness/check_test.h"
#include "scratch_database.h"

namespace {

namespace harness = pgparity::harness;
using pgparity::migration_layout;
using pgparity::migration_set;
using pgparity::snapshot;
using pgparity::step_timing;
using pgparity::suites::scratch_database;
using clock_type = std::chrono::steady_clock;

std::string timing_lines(const std::vector<step_timing>& timings) {
  std::string out;
  for (const auto& t : timings) {
    out += fmt::format("\n  {:<20} {:<40} {:>9.1f} ms", t.version, t.name, t.elapsed.count() * 1e3);
  }
  return out;
}

double total_seconds(const std::vector<step_timing>& timings) {
  double total = 0;
  for (const auto& t : timings) total += t.elapsed.count();
  return total;
}

std::string cwd_of(const pgparity::project_config& config) {
  return config.migrations.cwd.empty() ? config.base_dir : config.migrations.cwd;
}

// Tables an empty database may keep after everything was rolled back: the directory layout's
// bookkeeping table, or in command mode the config's ignore_tables (alembic_version, ...).
snapshot without_leftover_bookkeeping(const snapshot& s, const pgparity::project_config& config,
                                      const migration_set* set) {
  if (set != nullptr) return pgparity::suites::without_bookkeeping(s, set->layout);
  std::vector<pgparity::table_info> tables;
  for (const auto& t : s.tables()) {
    bool ignored = false;
    for (const auto& name : config.ignore_tables) ignored = ignored || t.name == name;
    if (!ignored) tables.push_back(t);
  }
  return snapshot(s.server_version(), std::move(tables), s.enums(), s.other_objects());
}

class lifecycle_test : public ::testing::TestWithParam<harness::suite_param> {
 protected:
  void SetUp() override {
    if (ctx().run == nullptr || !ctx().run->srv) {
      GTEST_FAIL() << "internal: the lifecycle tests ran before the database was prepared";
    }
  }
  const harness::run_context& ctx() const { return harness::current_context(); }
  pgparity::server& srv() const { return *ctx().run->srv; }
  const migration_set* set() const {
    const auto& m = harness::registered_migrations();
    return m ? &*m : nullptr;
  }
  const pgparity::migrations_config& config() const { return ctx().config.migrations; }

  // Every migration up (directory mode) or the `up:` command, on `db`.
  void all_up(const scratch_database& db, double max_seconds) const {
    if (set() != nullptr) {
      pgparity::apply_up(*set(), db.info(), max_seconds);
    } else {
      pgparity::run_migration_command(*config().up, cwd_of(ctx().config), db.info(), max_seconds);
    }
  }
};

class Apply : public lifecycle_test {};
class RoundTrip : public lifecycle_test {};
class Step : public lifecycle_test {
 protected:
  // The database the previous Step test left at "its steps applied" (when it passed), so that
  // in-order Step tests replay each migration once rather than all earlier ones each time.
  struct progress {
    std::unique_ptr<scratch_database> db;
    std::size_t applied = 0;
    // The schema of `db` as the Step tests read it, when known: the previous test read it last
    // (up again), so the next test starts from it instead of reading the catalog once more.
    std::optional<snapshot> schema;
  };
  static std::optional<progress>& last() {
    static std::optional<progress> instance;
    return instance;
  }
  // Dropped before the run's server goes.
  static void TearDownTestSuite() { last().reset(); }
};

TEST_P(Apply, Check) {
  const double budget = config().max_seconds;
  std::vector<step_timing> timings;
  std::string how;
  const pgparity::migrated_run& run = *ctx().run;
  if (!run.from_cache && !run.timings.empty()) {
    timings = run.timings;
    how = "applied from empty while bringing the database up";
  } else {
    how = "applied again into an empty database (the schema came from the template cache)";
    scratch_database db(srv());
    try {
      if (set() == nullptr) {
        const auto started = clock_type::now();
        all_up(db, budget);
        timings.push_back({"command", *config().up, clock_type::now() - started});
      } else {
        // One step at a time, so that a run over budget still shows where the time went.
        for (std::size_t i = 0; i < set()->steps.size(); ++i) {
          const auto started = clock_type::now();
          pgparity::apply_step(*set(), i, true, db.info());
          timings.push_back(
              {set()->steps[i].version, set()->steps[i].name, clock_type::now() - started});
          if (budget > 0 && total_seconds(timings) > budget) break;
        }
      }
    } catch (const std::exception& e) {
      FAIL() << e.what() << "\ntimes so far:" << timing_lines(timings);
    }
  }
  const double total = total_seconds(timings);
  std::cout << fmt::format("[ TIMING   ] {} migration(s) in {:.3f} s ({}):{}", timings.size(),
                           total, how, timing_lines(timings))
            << std::endl;
  if (budget > 0 && total > budget) {
    ADD_FAILURE_AT(ctx().config.file.c_str(),
                   config().location.line > 0 ? config().location.line : -1)
        << fmt::format(
               "applying the migrations from empty took {:.3f} s, over the migrations.max_seconds "
               "budget of {} s in {}; make the slow migrations faster or raise max_seconds. "
               "Per migration ({}):{}",
               total, budget, ctx().config.file, how, timing_lines(timings));
  }
}

TEST_P(RoundTrip, Check) {
  if (const auto why = set() ? pgparity::downs_skip_reason(*set(), config()) : std::nullopt) {
    GTEST_SKIP() << *why;
  }
  if (set() != nullptr) {
    std::string missing;
    for (const auto& step : set()->steps) {
      if (step.down_file.empty()) {
        missing += "\n  " + pgparity::suites::expected_down_file(*set(), step) + " (for " +
                   step.up_file + ")";
      }
    }
    if (!missing.empty()) {
      FAIL() << "the migrations cannot all be rolled back: down migrations are missing; add"
             << missing;
    }
  }
  scratch_database db(srv());
  const snapshot empty = db.read();
  std::string phase = "applying every migration";
  try {
    all_up(db, 0);
    const snapshot first = db.read();
    if (set() != nullptr) {
      phase = "rolling every migration back";
      pgparity::apply_down(*set(), db.info(), set()->steps.size());
    } else {
      phase = "running the down command";
      pgparity::run_migration_command(*config().down, cwd_of(ctx().config), db.info(), 0);
    }
    const snapshot rolled_back = without_leftover_bookkeeping(db.read(), ctx().config, set());
    if (rolled_back != empty) {
      FAIL() << "rolling every migration back left objects behind that an empty database does "
                "not have (fix the down migrations that created them):\n"
             << empty.diff(rolled_back);
    }
    phase = "applying every migration again after rolling back";
    all_up(db, 0);
    const snapshot again = db.read();
    EXPECT_TRUE(first == again)
        << "up, down, up gave a different schema than the first up (the down migrations do not "
           "undo exactly what the up migrations do):\n"
        << first.diff(again);
  } catch (const std::exception& e) {
    FAIL() << phase << " failed: " << e.what();
  }
}

TEST_P(Step, Check) {
  const migration_set& migrations = *set();
  if (const auto why = pgparity::downs_skip_reason(migrations, config())) GTEST_SKIP() << *why;
  const std::size_t index = GetParam().model_index;
  const pgparity::migration_step& step = migrations.steps.at(index);
  if (step.down_file.empty()) {
    FAIL() << step.up_file << ": migration " << step.version << " " << step.name
           << " has no down migration, so it cannot be rolled back; add "
           << pgparity::suites::expected_down_file(migrations, step);
  }
  std::optional<progress> state = std::move(last());
  last().reset();
  std::string phase = "applying the migrations before it";
  try {
    if (!state || state->applied > index) {
      state.emplace();
      state->db = std::make_unique<scratch_database>(srv());
      migration_set before = migrations;
      before.steps.resize(index);
      if (index > 0) pgparity::apply_up(before, state->db->info(), 0);
      state->applied = index;
    }
    for (; state->applied < index; ++state->applied) {
      pgparity::apply_step(migrations, state->applied, true, state->db->info());
      state->schema.reset();
    }
    const scratch_database& db = *state->db;
    // Without the bookkeeping table (the first step's up creates it, its down leaves it), and
    // with columns in name order (a restored column can only come back at the end).
    const auto read = [&] {
      return pgparity::suites::columns_by_name(
          pgparity::suites::without_bookkeeping(db.read(), migrations.layout));
    };
    const snapshot s0 = state->schema ? std::move(*state->schema) : read();
    state->schema.reset();
    phase = "applying it";
    pgparity::apply_step(migrations, index, true, db.info());
    const snapshot s1 = read();
    phase = "rolling it back";
    pgparity::apply_step(migrations, index, false, db.info());
    const snapshot s2 = read();
    if (s0 != s2) {
      FAIL() << step.down_file << ": rolling migration " << step.version
             << " back did not restore the schema it started from (up, then down):\n"
             << s0.diff(s2);
    }
    phase = "applying it again after rolling it back";
    pgparity::apply_step(migrations, index, true, db.info());
    snapshot s3 = read();
    if (s1 != s3) {
      FAIL() << step.up_file << ": migration " << step.version
             << " applied after its rollback gave a different schema than the first time (up, "
                "down, up):\n"
             << s1.diff(s3);
    }
    state->schema = std::move(s3);
  } catch (const std::exception& e) {
    FAIL() << phase << " failed: " << e.what();
  }
  // Passed: the database holds every step up to this one, ready for the next Step test.
  state->applied = index + 1;
  if (state->applied < migrations.steps.size()) last() = std::move(state);
}

PGPARITY_INSTANTIATE(Migrations, Apply, migrations_apply);
PGPARITY_INSTANTIATE(Migrations, RoundTrip, migrations_round_trip);
PGPARITY_INSTANTIATE(Migrations, Step, migrations_step);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Apply);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RoundTrip);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Step);

}  // namespace
