// Applying migration steps with a time budget; apply_up() and bring_up() share it.
#pragma once

#include <string>
#include <vector>

#include "migrate/migrations.h"

namespace pgparity::migrate_detail {

// apply_up(), naming `config_file` in the hint of a budget overrun.
std::vector<step_timing> apply_up_with_budget(const migration_set& set, const connection_info& db,
                                              double max_seconds, const std::string& config_file);

}  // namespace pgparity::migrate_detail
