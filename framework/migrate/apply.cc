// Applying migration steps: each in its own transaction unless it cannot, recorded in the
// layout's bookkeeping table, failing with the file, line, message and SQLSTATE.
#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "common/error.h"
#include "common/progress.h"
#include "migrate/alembic.h"
#include "migrate/apply_detail.h"
#include "migrate/bookkeeping.h"
#include "migrate/detail.h"
#include "migrate/migrations.h"
#include "migrate/pq_session.h"
#include "migrate/sql_text.h"

namespace pgparity {
namespace {

using steady = std::chrono::steady_clock;

struct budget {
  std::optional<steady::time_point> deadline;  // none: unlimited
  double max_seconds = 0;
  std::string config_file = "pgparity.yaml";
};

std::string direction(bool up) { return up ? "migration" : "down migration"; }

std::string postgres_message(const migrate_detail::pq_outcome& outcome) {
  std::string text = outcome.message;
  if (!outcome.detail.empty()) text += " (" + outcome.detail + ")";
  if (!outcome.hint.empty()) text += "; hint: " + outcome.hint;
  return text;
}

[[noreturn]] void throw_timeout(const migration_step& step, const migrate_detail::step_side& side,
                                bool up, const budget& limits) {
  throw environment_error(fmt::format(
      "{}: {} {} was still running when the migrations.max_seconds budget of {} s ran out; "
      "nothing after it was applied; raise migrations.max_seconds in {} or make it faster",
      side.file, direction(up), migrate_detail::step_label(step), limits.max_seconds,
      limits.config_file));
}

// Runs one side of one step on `session`; throws on failure or when over budget.
class step_runner {
 public:
  step_runner(migrate_detail::pq_session& session, const migration_set& set, const budget& limits)
      : session_(session), set_(set), limits_(limits) {}

  void run(std::size_t index, bool up) {
    const migration_step& step = set_.steps[index];
    const migrate_detail::step_side side = migrate_detail::side_of(step, up);
    const auto started = steady::now();
    if (limits_.deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*limits_.deadline - started)
              .count();
      if (left <= 0) throw_timeout(step, side, up, limits_);
      // The server-side guard; the client cancels too, since the timeout is per statement.
      must(fmt::format("SET statement_timeout = {}", left), "setting statement_timeout", step, side,
           up, false);
    }
    const bool in_transaction =
        side.in_transaction &&
        !migrate_detail::statement_needing_no_transaction(side.sql, session_.server_version());
    const std::string before = migrate_detail::bookkeeping_before(session_, set_, index, up);
    before_ = before;
    if (in_transaction) {
      must("BEGIN", "starting a transaction", step, side, up, false);
      if (!before.empty()) must(before, "recording the migration", step, side, up, true);
      check(session_.exec(side.sql, limits_.deadline), step, side, up, 0, true);
      after(index, up, started, side, true);
      check(session_.exec("COMMIT", limits_.deadline), step, side, up, std::string::npos, true);
    } else {
      if (!before.empty()) must(before, "recording the migration", step, side, up, false);
      for (const auto& statement : migrate_detail::split_statements(side.sql)) {
        const std::string text = side.sql.substr(statement.begin, statement.end - statement.begin);
        check(session_.exec(text, limits_.deadline), step, side, up, statement.begin, false);
      }
      after(index, up, started, side, false);
    }
  }

 private:
  void after(std::size_t index, bool up, steady::time_point started,
             const migrate_detail::step_side& side, bool in_transaction) {
    const long elapsed_ms = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started).count());
    const std::string sql =
        migrate_detail::bookkeeping_after(session_, set_, index, up, elapsed_ms);
    if (!sql.empty()) {
      must(sql, "recording the migration", set_.steps[index], side, up, in_transaction);
    }
  }

  // Our own statements around a step run under its statement_timeout and the budget too: the
  // budget running out during one of them (a loaded machine) is the same timeout, with the
  // same hint, as during the step's SQL.
  void must(const std::string& sql, const std::string& what, const migration_step& step,
            const migrate_detail::step_side& side, bool up, bool in_transaction) {
    const migrate_detail::pq_outcome outcome = session_.exec(sql, limits_.deadline);
    if (outcome.ok) return;
    if (in_transaction) session_.exec("ROLLBACK");
    if (outcome.cancelled || (outcome.sqlstate == "57014" && limits_.deadline)) {
      throw_timeout(step, side, up, limits_);
    }
    throw environment_error(fmt::format(
        "{}: {} failed before or after {} {}: {} (SQLSTATE {})", side.file, what, direction(up),
        migrate_detail::step_label(step), outcome.message, outcome.sqlstate));
  }

  // `base`: byte offset in side.sql where the SQL sent began (npos: our COMMIT).
  void check(const migrate_detail::pq_outcome& outcome, const migration_step& step,
             const migrate_detail::step_side& side, bool up, std::size_t base,
             bool in_transaction) {
    if (outcome.ok) return;
    if (in_transaction) session_.exec("ROLLBACK");
    // The server's statement_timeout was set from the budget rounded down to whole milliseconds
    // (and its clock starts a little after ours), so it may fire just before our deadline.
    const bool over_budget =
        limits_.deadline && steady::now() + std::chrono::milliseconds(200) >= *limits_.deadline;
    if (outcome.cancelled || (outcome.sqlstate == "57014" && over_budget)) {
      throw_timeout(step, side, up, limits_);
    }
    std::string where = side.file;
    const std::string when = base == std::string::npos ? " at COMMIT (a deferred constraint)" : "";
    if (base != std::string::npos) {
      std::optional<std::size_t> offset;
      if (outcome.position > 0) {
        offset =
            migrate_detail::offset_of_position(side.sql, base, outcome.position, session_.utf8());
      } else if (!in_transaction) {
        offset = base;
      } else {
        offset = locate_failing_statement(side, outcome, before_);
      }
      if (offset) {
        where +=
            fmt::format(":{}", migrate_detail::line_of_offset(side.sql, *offset, side.first_line));
      }
    }
    std::string consequence = "nothing after it was applied";
    if (!in_transaction) {
      consequence += "; it ran outside a transaction, so its statements before that line stay";
    }
    throw environment_error(fmt::format("{}: {} {} failed{}: {} (SQLSTATE {}); {}", where,
                                        direction(up), migrate_detail::step_label(step), when,
                                        postgres_message(outcome), outcome.sqlstate, consequence));
  }

  // PostgreSQL gives no position for errors such as a unique violation. To name the line,
  // re-run the statements one by one in a transaction that is rolled back and see which one
  // fails the same way. The script's own BEGIN/COMMIT are left out so nothing can commit;
  // when its own COMMIT already kept the first part, only the part after its last COMMIT is
  // re-run.
  std::optional<std::size_t> locate_failing_statement(const migrate_detail::step_side& side,
                                                      const migrate_detail::pq_outcome& original,
                                                      const std::string& before) {
    std::vector<migrate_detail::sql_statement> all, after_last_commit;
    for (const auto& statement : migrate_detail::split_statements(side.sql)) {
      std::string word;
      for (std::size_t i = statement.begin;
           i < statement.end && std::isalpha(static_cast<unsigned char>(side.sql[i])); ++i) {
        word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(side.sql[i]))));
      }
      if (word == "COMMIT" || word == "END" || word == "ROLLBACK" || word == "ABORT") {
        after_last_commit.clear();
      }
      if (word == "BEGIN" || word == "START" || word == "COMMIT" || word == "END" ||
          word == "ROLLBACK" || word == "ABORT" || word == "SAVEPOINT" || word == "RELEASE") {
        continue;
      }
      all.push_back(statement);
      after_last_commit.push_back(statement);
    }
    for (const auto* candidates : {&all, &after_last_commit}) {
      if (!session_.exec("BEGIN").ok) return std::nullopt;
      if (!before.empty()) session_.exec(before);
      std::optional<std::size_t> failing;
      for (const auto& statement : *candidates) {
        const auto outcome = session_.exec(
            side.sql.substr(statement.begin, statement.end - statement.begin), limits_.deadline);
        if (!outcome.ok) {
          if (outcome.sqlstate == original.sqlstate && outcome.message == original.message) {
            failing = statement.begin;
          }
          break;
        }
      }
      session_.exec("ROLLBACK");
      if (failing) return failing;
    }
    return std::nullopt;
  }

  migrate_detail::pq_session& session_;
  const migration_set& set_;
  const budget& limits_;
  std::string before_;  // the bookkeeping SQL run before the current step
};

budget make_budget(double max_seconds, const std::string& config_file) {
  budget limits;
  limits.max_seconds = max_seconds;
  limits.config_file = config_file;
  if (max_seconds > 0) {
    limits.deadline = steady::now() + std::chrono::duration_cast<steady::duration>(
                                          std::chrono::duration<double>(max_seconds));
  }
  return limits;
}

bool ends_with_up_sql(const std::string& file) {
  return file.size() >= 7 && file.compare(file.size() - 7, 7, ".up.sql") == 0;
}

// Opens the session that applies migrations: `migrations.session_sql` first (an advisory
// lock, a search_path), as the project's own runner would, then the bookkeeping table.
std::unique_ptr<migrate_detail::pq_session> open_session(const migration_set& set,
                                                         const connection_info& db) {
  auto session = std::make_unique<migrate_detail::pq_session>(db);
  if (!set.session_sql.empty()) {
    const migrate_detail::pq_outcome outcome = session->exec(set.session_sql);
    if (!outcome.ok) {
      throw environment_error(fmt::format(
          "{}: migrations.session_sql failed: {} (SQLSTATE {}); no migration was applied; fix "
          "the SQL in the config",
          set.session_sql_origin, postgres_message(outcome), outcome.sqlstate));
    }
  }
  migrate_detail::ensure_bookkeeping(*session, set.layout);
  return session;
}

std::string expected_down(const migration_set& set, const migration_step& step) {
  switch (set.layout) {
    case migration_layout::golang_migrate: {
      std::string up = std::filesystem::path(step.up_file).filename().string();
      return up.substr(0, up.size() - 7) + ".down.sql";
    }
    case migration_layout::diesel:
      return "down.sql beside it";
    case migration_layout::dbmate:
      return "a `-- migrate:down` section";
    case migration_layout::flyway:
      return "U" + step.version + "__" + step.name + ".sql";
    case migration_layout::goose:
      return "a `-- +goose Down` section";
    case migration_layout::sql_migrate:
      return "a `-- +migrate Down` section";
    case migration_layout::sqlx: {
      std::string up = std::filesystem::path(step.up_file).filename().string();
      return up.substr(0, up.size() - (ends_with_up_sql(up) ? 7 : 4)) + ".down.sql";
    }
    case migration_layout::popx:
      return step.version + "_" + step.name + ".down.sql";
    case migration_layout::prisma:
      return "nothing: Prisma keeps no down migrations; set `migrations.downs: none`";
    case migration_layout::plain:
      return "a layout with down files; plain *.sql migrations have none";
    case migration_layout::alembic:
      return "a downgrade() to the revision";
  }
  return "";
}

void require_down(const migration_set& set, const migration_step& step) {
  if (step.down_file.empty()) {
    throw input_error(
        fmt::format("{}: migration {} has no down migration, so it cannot be rolled back; add {}",
                    step.up_file, migrate_detail::step_label(step), expected_down(set, step)));
  }
}

}  // namespace

namespace migrate_detail {

std::vector<step_timing> apply_up_with_budget(const migration_set& set, const connection_info& db,
                                              double max_seconds, const std::string& config_file) {
  if (set.layout == migration_layout::alembic) {
    return alembic_up(set, db, max_seconds, config_file);
  }
  const budget limits = make_budget(max_seconds, config_file);
  const auto session = open_session(set, db);
  step_runner runner(*session, set, limits);
  std::vector<step_timing> timings;
  progress shown("applying migration");
  for (std::size_t i = 0; i < set.steps.size(); ++i) {
    const migration_step& step = set.steps[i];
    shown.at(i + 1, set.steps.size(),
             step.name.empty() ? step.version : step.version + " " + step.name);
    const auto started = steady::now();
    runner.run(i, true);
    timings.push_back({set.steps[i].version, set.steps[i].name, steady::now() - started});
  }
  return timings;
}

}  // namespace migrate_detail

std::vector<step_timing> apply_up(const migration_set& set, const connection_info& db,
                                  double max_seconds) {
  if (set.layout == migration_layout::alembic) {
    return migrate_detail::alembic_all_up(set, db, max_seconds);
  }
  return migrate_detail::apply_up_with_budget(set, db, max_seconds, "pgparity.yaml");
}

void apply_down(const migration_set& set, const connection_info& db, std::size_t count) {
  if (count > set.steps.size()) {
    throw input_error(fmt::format("cannot roll back {} migrations: {} holds only {}", count,
                                  set.dir, set.steps.size()));
  }
  const std::size_t first = set.steps.size() - count;
  for (std::size_t i = first; i < set.steps.size(); ++i) require_down(set, set.steps[i]);
  if (set.layout == migration_layout::alembic) return migrate_detail::alembic_down(set, db, count);
  const budget limits;
  const auto session = open_session(set, db);
  step_runner runner(*session, set, limits);
  for (std::size_t i = set.steps.size(); i > first; --i) runner.run(i - 1, false);
}

std::size_t unit_end(const migration_set& set, std::size_t first) {
  std::size_t end = first + 1;
  const std::string& unit = set.steps.at(first).unit;
  while (!unit.empty() && end < set.steps.size() && set.steps[end].unit == unit) ++end;
  return end;
}

void apply_unit(const migration_set& set, std::size_t first, bool up, const connection_info& db) {
  const std::size_t end = unit_end(set, first);
  for (std::size_t i = first; i < end; ++i) apply_step(set, up ? i : first + end - 1 - i, up, db);
}

void apply_step(const migration_set& set, std::size_t index, bool up, const connection_info& db) {
  if (index >= set.steps.size()) {
    throw input_error(fmt::format("no migration number {} in {}: it holds {}", index + 1, set.dir,
                                  set.steps.size()));
  }
  if (!up) require_down(set, set.steps[index]);
  if (set.layout == migration_layout::alembic)
    return migrate_detail::alembic_step(set, index, up, db);
  const budget limits;
  const auto session = open_session(set, db);
  step_runner(*session, set, limits).run(index, up);
}

}  // namespace pgparity
