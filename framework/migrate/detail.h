// Internals of the migrate module shared between its source files and tests.
#pragma once

#include <string>
#include <vector>

#include "migrate/migrations.h"

namespace pgparity::migrate_detail {

// Numeric-aware version order: digit runs compare as numbers (1 < 2 < 10, 1.2 < 1.10,
// 0001 == 1), everything else case-insensitively. Returns <0, 0 or >0.
int compare_versions(const std::string& a, const std::string& b);

// What a message calls a step: its version, or its name when it has none (Flyway R__).
std::string step_label(const migration_step& step);

// The SQL and file of one direction of a step.
struct step_side {
  const std::string& sql;
  const std::string& file;
  int first_line;
  bool in_transaction;
};
step_side side_of(const migration_step& step, bool up);

}  // namespace pgparity::migrate_detail
