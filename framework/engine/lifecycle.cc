// The lifecycle kinds: the migrations apply in time, roll back cleanly, and apply again to the
// same schema. Each target works in empty databases of its own on the run's server (created and
// dropped here); the migrated template is never written.
//   migrations_apply       all up from empty within migrations.max_seconds, with each
//                          migration's time
//   migrations_round_trip  up, down to empty (nothing left but the migration tool's bookkeeping
//                          table), up again: the same schema as the first up
//   migrations_step        with the earlier steps applied: up, down gives the schema before it,
//                          up again the schema after it (column order aside: a down can only
//                          re-add a dropped column at the end); a popx migration split
//                          into one version per statement is one step (migration_step::unit)
// Apply reuses the timings of this run's bring-up when it applied the migrations; when the
// schema came from the template cache (or a shared cluster) it applies them again into an empty
// database to measure. Command mode has Apply, and RoundTrip when `down:` is configured; Step
// needs a migrations directory or Alembic, whose Apply also fails when the history has more than
// one head. A project without downs (plain *.sql, Prisma, up-only layouts, or
// `downs: none`) has its RoundTrip and Step targets skipped with one reason (downs_skip_reason).
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <optional>

#include "common/error.h"
#include "engine/lifecycle_detail.h"
#include "engine/session_state.h"
#include "migrate/migrations.h"

namespace pgparity::engine {
namespace engine_detail {

const migration_set* set_of(session& s) {
  const audit_context& ctx = s.ctx();
  if (!ctx.migrations || !ctx.config.migrations.dir)
    return ctx.migrations ? &*ctx.migrations : nullptr;
  std::optional<migration_set>& full = s.internals().migrations_with_sql;
  if (!full) {
    try {
      full = read_migrations(ctx.config.migrations);
    } catch (const input_error& e) {
      throw test_error(std::string("reading the migrations again: ") + e.what());
    }
    if (full->content_hash != ctx.migrations->content_hash) {
      full.reset();
      throw test_error("the migration files changed during this run; run it again");
    }
  }
  return &*full;
}

server& server_of(const session& s) { return *server_run(s.ctx())->srv; }

// A lifecycle finding about migration `name` ("all": the whole set), located at `file`.
finding migration_finding(const target& t, const std::string& name, attribute what,
                          const std::string& file, int line) {
  finding f = make_finding(t.kind, object_kind::migration, "", "", name);
  f.differs = {what};
  f.location = {file, line, 0};
  return f;
}

finding phase_failed(const target& t, const std::string& name, const std::string& phase,
                     const std::exception& e, const std::string& file) {
  finding f = migration_finding(t, name, attribute::applies, file);
  f.differs = {difference{attribute::applies, {phase}}};
  f.actual = e.what();
  return f;
}

void move_to(std::optional<step_progress>& state, const session& s, const migration_set& migrations,
             std::size_t index) {
  if (!state || state->applied > index) {
    // Built aside and kept only when complete: a database that could not be created or brought
    // to `index` is never continued by the next target (UBSan found a null `db` kept when the
    // server had gone).
    state.reset();
    step_progress fresh;
    fresh.db = std::make_unique<scratch_database>(server_of(s));
    migration_set before = migrations;
    before.steps.resize(index);
    if (index > 0) apply_up(before, fresh.db->migration_info(s.ctx().config.migrations), 0);
    fresh.applied = index;
    state = std::move(fresh);
  }
  try {
    for (; state->applied < index; ++state->applied) {
      apply_step(migrations, state->applied, true,
                 state->db->migration_info(s.ctx().config.migrations));
      state->schema.reset();
    }
  } catch (...) {
    state.reset();  // a step failed part-way: what the database holds is no longer known
    throw;
  }
}

bool without_context(const session& s, outcome& o) {
  const migrated_run* run = server_run(s.ctx());
  if (run != nullptr && run->srv) return false;
  o.skipped = "internal: the lifecycle tests ran before the database was prepared";
  return true;
}

}  // namespace engine_detail

namespace {

using engine_detail::migration_finding;
using engine_detail::phase_failed;
using engine_detail::server_of;
using engine_detail::set_of;
using engine_detail::without_context;

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

std::string cwd_of(const project_config& config) {
  return config.migrations.cwd.empty() ? config.base_dir : config.migrations.cwd;
}

// Tables an empty database may keep after everything was rolled back: the directory layout's
// bookkeeping table, or in command mode the config's ignore_tables (alembic_version, ...).
snapshot without_leftover_bookkeeping(const snapshot& s, const project_config& config,
                                      const migration_set* set) {
  if (set != nullptr) return without_bookkeeping(s, set->layout);
  std::vector<table_info> tables;
  for (const auto& t : s.tables()) {
    bool ignored = false;
    for (const auto& name : config.ignore_tables) ignored = ignored || t.name == name;
    if (!ignored) tables.push_back(t);
  }
  return snapshot(s.server_version(), std::move(tables), s.enums(), s.other_objects());
}

// Every migration up (directory mode) or the `up:` command, on `db`.
void all_up(session& s, const scratch_database& db, double max_seconds) {
  const project_config& config = s.ctx().config;
  if (const migration_set* set = set_of(s)) {
    apply_up(*set, db.migration_info(s.ctx().config.migrations), max_seconds);
  } else {
    run_migration_command(*config.migrations.up, cwd_of(config),
                          db.migration_info(s.ctx().config.migrations), max_seconds);
  }
}

// The migrations applied one at a time into an empty database, stopping once over `budget`.
std::vector<step_timing> measure_apply(const target& t, session& s, double budget, outcome& o) {
  std::vector<step_timing> timings;
  scratch_database db(server_of(s));
  const migration_set* set = set_of(s);
  try {
    if (set == nullptr) {
      const auto started = clock_type::now();
      all_up(s, db, budget);
      timings.push_back({"command", *s.ctx().config.migrations.up, clock_type::now() - started});
    } else {
      for (std::size_t i = 0; i < set->steps.size(); ++i) {
        const auto started = clock_type::now();
        apply_step(*set, i, true, db.migration_info(s.ctx().config.migrations));
        timings.push_back({set->steps[i].version, set->steps[i].name, clock_type::now() - started});
        if (budget > 0 && total_seconds(timings) > budget) break;
      }
    }
  } catch (const std::exception& e) {
    finding f = phase_failed(t, "all", "applying the migrations", e, s.ctx().config.file);
    f.statements = {"times so far:" + timing_lines(timings)};
    o.found.push_back(std::move(f));
  }
  return timings;
}

// An Alembic history with more than one head cannot be upgraded to `head` (pytest-alembic's
// single_head_revision): a finding naming every head.
bool has_many_heads(const target& t, session& s, outcome& o) {
  const migration_set* set = set_of(s);
  if (set == nullptr || set->heads.size() <= 1) return false;
  std::string heads;
  for (const auto& head : set->heads) {
    for (const auto& step : set->steps) {
      if (step.version == head) heads += fmt::format("\n  {} ({})", head, step.up_file);
    }
  }
  finding f = migration_finding(t, "all", attribute::applies, set->alembic_ini);
  f.differs = {difference{attribute::applies, {"checking that the Alembic history has one head"}}};
  f.actual = fmt::format(
      "it has {} heads, so `alembic upgrade head` fails; join them with `alembic merge heads -m "
      "<message>`:{}",
      set->heads.size(), heads);
  o.found.push_back(std::move(f));
  return true;
}

}  // namespace

outcome run_apply(const target& t, session& s) {
  outcome o;
  if (without_context(s, o)) return o;
  if (has_many_heads(t, s, o)) return o;
  const project_config& config = s.ctx().config;
  const double budget = config.migrations.max_seconds;
  std::vector<step_timing> timings;
  std::string how;
  const migrated_run& run = *server_run(s.ctx());
  if (!run.from_cache && !run.timings.empty()) {
    timings = run.timings;
    how = "applied from empty while bringing the database up";
  } else {
    how = "applied again into an empty database (the schema came from the template cache)";
    timings = measure_apply(t, s, budget, o);
    if (!o.found.empty()) return o;
  }
  const double total = total_seconds(timings);
  o.note = fmt::format("[ TIMING   ] {} migration(s) in {:.3f} s ({}):{}", timings.size(), total,
                       how, timing_lines(timings));
  if (budget > 0 && total > budget) {
    finding f = migration_finding(t, "all", attribute::duration, config.file,
                                  config.migrations.location.line);
    f.expected = fmt::format("{}", budget);
    f.actual = fmt::format("{:.3f}", total);
    f.statements = {fmt::format("per migration ({}):{}", how, timing_lines(timings))};
    o.found.push_back(std::move(f));
  }
  return o;
}

outcome run_round_trip(const target& t, session& s) {
  outcome o;
  if (without_context(s, o)) return o;
  const migration_set* set = set_of(s);
  if (set != nullptr) {
    // Plain files, `downs: none`, or a project with no down at all: one reason, not failures.
    if (const auto why = downs_skip_reason(*set, s.ctx().config.migrations)) {
      o.skipped = *why;
      return o;
    }
  }
  if (set != nullptr) {
    std::vector<std::string> missing;
    for (const auto& step : set->steps) {
      if (step.down_file.empty()) {
        missing.push_back(expected_down_file(*set, step) + " (for " + step.up_file + ")");
      }
    }
    if (!missing.empty()) {
      finding f = migration_finding(t, "all", attribute::down_missing, s.ctx().config.file);
      f.differs = {difference{attribute::down_missing, missing}};
      o.found.push_back(std::move(f));
      return o;
    }
  }
  scratch_database db(server_of(s));
  const snapshot empty = db.read();
  std::string phase = "applying every migration";
  try {
    all_up(s, db, 0);
    const snapshot first = db.read();
    if (set != nullptr) {
      phase = "rolling every migration back";
      apply_down(*set, db.migration_info(s.ctx().config.migrations), set->steps.size());
    } else {
      phase = "running the down command";
      run_migration_command(*s.ctx().config.migrations.down, cwd_of(s.ctx().config),
                            db.migration_info(s.ctx().config.migrations), 0);
    }
    const snapshot rolled_back = without_leftover_bookkeeping(db.read(), s.ctx().config, set);
    if (rolled_back != empty) {
      finding f = migration_finding(t, "all", attribute::rollback_leftovers, "");
      f.actual = empty.diff(rolled_back);
      o.found.push_back(std::move(f));
      return o;
    }
    phase = "applying every migration again after rolling back";
    all_up(s, db, 0);
    const snapshot again = db.read();
    if (first != again) {
      finding f = migration_finding(t, "all", attribute::applies_again, "");
      f.actual = first.diff(again);
      o.found.push_back(std::move(f));
    }
  } catch (const std::exception& e) {
    o.found.push_back(phase_failed(t, "all", phase, e, ""));
  }
  return o;
}

namespace {

// The schema of `db` without the bookkeeping table (the first step's up creates it, its down
// leaves it), and with columns in name order (a restored column can only come back at the end).
snapshot step_schema(const scratch_database& db, const migration_set& migrations) {
  return columns_by_name(without_bookkeeping(db.read(), migrations.layout));
}

// A database holding steps [0, index): the one the previous Step target left when it can be
// continued, else a new one with the earlier steps applied.
step_progress database_before(session& s, const migration_set& migrations, std::size_t index) {
  std::optional<step_progress> state = std::move(s.internals().last_step);
  s.internals().last_step.reset();
  engine_detail::move_to(state, s, migrations, index);
  return std::move(*state);
}

// A finding for the first step of [first, end) that has no down file, if any.
std::optional<finding> missing_down(const target& t, const migration_set& migrations,
                                    std::size_t first, std::size_t end) {
  for (std::size_t i = first; i < end; ++i) {
    const migration_step& step = migrations.steps[i];
    if (!step.down_file.empty()) continue;
    finding f = migration_finding(t, step.version, attribute::down_missing, step.up_file);
    f.differs = {difference{attribute::down_missing, {expected_down_file(migrations, step)}}};
    f.expected = step.name;
    return f;
  }
  return std::nullopt;
}

}  // namespace

outcome run_step(const target& t, session& s) {
  outcome o;
  if (without_context(s, o)) return o;
  const migration_set& migrations = *set_of(s);
  if (const auto why = downs_skip_reason(migrations, s.ctx().config.migrations)) {
    o.skipped = *why;
    return o;
  }
  // The steps of the rollback unit this target tests: the step alone, or a popx migration.
  const std::size_t first = t.index;
  const std::size_t end = unit_end(migrations, first);
  const migration_step& step = migrations.steps.at(first);
  const migration_step& last = migrations.steps.at(end - 1);
  if (auto f = missing_down(t, migrations, first, end)) {
    o.found.push_back(std::move(*f));
    return o;
  }
  std::string phase = "applying the migrations before it";
  try {
    step_progress state = database_before(s, migrations, first);
    const snapshot s0 =
        state.schema ? std::move(*state.schema) : step_schema(*state.db, migrations);
    state.schema.reset();
    phase = "applying it";
    apply_unit(migrations, first, true, state.db->migration_info(s.ctx().config.migrations));
    const snapshot s1 = step_schema(*state.db, migrations);
    phase = "rolling it back";
    apply_unit(migrations, first, false, state.db->migration_info(s.ctx().config.migrations));
    const snapshot s2 = step_schema(*state.db, migrations);
    if (s0 != s2) {
      finding f = migration_finding(t, step.version, attribute::restores, last.down_file);
      f.actual = s0.diff(s2);
      o.found.push_back(std::move(f));
      return o;
    }
    phase = "applying it again after rolling it back";
    apply_unit(migrations, first, true, state.db->migration_info(s.ctx().config.migrations));
    snapshot s3 = step_schema(*state.db, migrations);
    if (s1 != s3) {
      finding f = migration_finding(t, step.version, attribute::applies_again, step.up_file);
      f.actual = s1.diff(s3);
      o.found.push_back(std::move(f));
      return o;
    }
    // Passed: the database holds every step up to this unit, ready for the next Step target.
    state.schema = std::move(s3);
    state.applied = end;
    if (state.applied < migrations.steps.size()) s.internals().last_step = std::move(state);
  } catch (const std::exception& e) {
    o.found.push_back(phase_failed(t, step.version, phase, e, ""));
  }
  return o;
}

}  // namespace pgparity::engine
