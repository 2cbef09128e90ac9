// The database the lifecycle targets move on from one to the next (engine_detail::move_to): a
// move that failed leaves nothing behind for the next target to continue from.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "common/error.h"
#include "engine/context.h"
#include "engine/lifecycle_detail.h"
#include "engine/scratch_database.h"
#include "engine/session_state.h"
#include "migrate/migrations.h"

namespace pgparity::engine {
namespace {

migration_step plain_step(const std::string& version, const std::string& sql) {
  migration_step step;
  step.version = version;
  step.name = "step_" + version;
  step.up_file = "/nonexistent/" + version + ".sql";
  step.up_sql = sql;
  return step;
}

// Found by UBSan (scripts/init under the asan preset): the server went away while a WithData
// target created its database, the half-built state was kept, and the next target read its null
// database. The same kept state after a failing step would replay steps already applied.
TEST(MoveTo, AFailedMoveLeavesNothingForTheNextTarget) {
  audit_context ctx =
      load_inputs(PGPARITY_SOURCE_DIR "/fixtures/layouts/golang_migrate/pgparity.yaml");
  const migrated_run run = bring_up(ctx.config, false);
  prepare(ctx, run, false);
  const session s(ctx);

  migration_set set;
  set.layout = migration_layout::plain;
  set.steps = {plain_step("0001", "CREATE TABLE kept (id int);"),
               plain_step("0002", "CREATE TABLE broken (;")};
  std::optional<step_progress> state;
  EXPECT_THROW(engine_detail::move_to(state, s, set, 2), environment_error);
  EXPECT_FALSE(state) << "the failed database was kept for the next target";

  // The next target starts afresh: step 0001 applies once, not on top of itself.
  ASSERT_NO_THROW(engine_detail::move_to(state, s, set, 1));
  ASSERT_TRUE(state && state->db);
  EXPECT_EQ(state->applied, 1u);
  EXPECT_NO_THROW(state->db->read());
}

}  // namespace
}  // namespace pgparity::engine
