// Applying an Alembic project's revisions with Alembic itself; apply.cc dispatches here.
#pragma once

#include <string>
#include <vector>

#include "migrate/migrations.h"

namespace pgparity::migrate_detail {

// Upgrades to each revision in turn (base first), timing each; throws environment_error naming
// the revision's file and the traceback's line, or when the budget runs out.
std::vector<step_timing> alembic_up(const migration_set& set, const connection_info& db,
                                    double max_seconds, const std::string& config_file);
// Upgrades to every head in one Alembic run (one timing, "heads") when `set` holds every
// revision, else as alembic_up(): each Alembic run starts a Python, which is the slow part.
std::vector<step_timing> alembic_all_up(const migration_set& set, const connection_info& db,
                                        double max_seconds);
// Upgrades to revision `index`, or downgrades that revision only (`<rev>@-1`).
void alembic_step(const migration_set& set, std::size_t index, bool up, const connection_info& db);
// Downgrades the last `count` revisions (all of them: to base).
void alembic_down(const migration_set& set, const connection_info& db, std::size_t count);

}  // namespace pgparity::migrate_detail
