// Whether a project's rollback tests can run: some tools keep no down migrations at all.
#include <fmt/format.h>

#include <algorithm>

#include "migrate/migrations.h"

namespace pgparity {
namespace {

bool has_down(const migration_step& step) { return !step.down_file.empty(); }

}  // namespace

std::optional<std::string> downs_skip_reason(const migration_set& set,
                                             const migrations_config& config) {
  if (config.downs == "required") return std::nullopt;
  const std::string at = config.location.file.empty() ? "pgparity.yaml" : config.location.file;
  if (config.downs == "none") {
    return fmt::format(
        "`migrations.downs: none` in {}: the project keeps no down migrations, so rolling back "
        "is not tested",
        at);
  }
  if (set.layout == migration_layout::plain) {
    return std::string(
        "plain *.sql migrations have no down migrations, so rolling back cannot be tested; use a "
        "layout with down files (golang-migrate .down.sql, diesel down.sql, dbmate `-- "
        "migrate:down`, Flyway U files), or set `migrations.downs: required` to fail instead");
  }
  // Only a project without any down at all is up-only by design; one missing down among
  // others is a mistake the tests must report.
  if (std::none_of(set.steps.begin(), set.steps.end(), has_down)) {
    return fmt::format(
        "none of the {} {} migrations in {} has a down migration, so rolling back cannot be "
        "tested; set `migrations.downs: required` in {} to make this a failure instead",
        set.steps.size(), layout_name(set.layout), set.dir, at);
  }
  return std::nullopt;
}

}  // namespace pgparity
