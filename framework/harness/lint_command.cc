// `pgparity lint`: the static checks of the pre-commit script's Part A. Reads the config, the
// manifest and the migration files, and never starts or touches a database.
#include <filesystem>
#include <iostream>

#include "cluster/server.h"
#include "harness/commands.h"
#include "manifest/load_manifest.h"
#include "manifest/manifest_cache.h"
#include "manifest/model_export.h"
#include "manifest/project_config.h"
#include "migrate/migrations.h"

namespace pgparity::harness {

int run_lint(const command_line& cl) {
  const project_config config = load_project_config(cl.config);
  std::cout << "config     ok  " << config.file << "\n";

  if (config.models) {
    // Runs the exporter (or reuses its cache): an import error is caught before any database.
    const manifest m =
        load_models(*config.models, config.file, config.base_dir, default_cache_dir());
    std::cout << "models     ok  " << config.models->sqlalchemy << " (" << m.models.size()
              << " models, " << m.enums.size() << " enums)\n";
  }
  if (config.manifest) {
    const manifest m = load_manifest(*config.manifest, {default_cache_dir()});
    std::cout << "manifest   ok  " << *config.manifest << " (" << m.models.size() << " models, "
              << m.enums.size() << " enums)\n";
  }

  if (const auto read = read_configured_migrations(config.migrations)) {
    const migration_set& set = *read;
    std::cout << "migrations ok  " << set.dir << " (" << set.steps.size() << " "
              << layout_name(set.layout) << " migrations, " << set.steps.front().version << " .. "
              << set.steps.back().version << ")\n";
    if (!downs_skip_reason(set, config.migrations)) {
      // A missing down is not an error of the files themselves, but round trips will fail on it.
      for (const auto& step : set.steps) {
        if (step.down_file.empty() && step.down_sql.empty()) {
          std::cout << "warning: migration " << step.version << " (" << step.up_file
                    << ") has no down migration; Migrations/Step tests will fail for it\n";
        }
      }
    }
    if (set.heads.size() > 1) {
      std::cout << "warning: the Alembic history has " << set.heads.size()
                << " heads; Migrations/Apply will fail until `alembic merge heads`\n";
    }
  } else {
    std::cout << "migrations ok  command mode: `" << config.migrations.up.value_or("")
              << "` (not run by lint)\n";
  }
  return 0;
}

}  // namespace pgparity::harness
