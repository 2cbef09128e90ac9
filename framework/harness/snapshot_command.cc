#include <pqxx/pqxx>

#include "catalog/catalog.h"
#include "harness/commands.h"
#include "manifest/load_manifest.h"
#include "manifest/project_config.h"
#include "migrate/migrations.h"

namespace pgparity::harness {

int run_snapshot(const command_line& cl) {
  // The manifest is what this command writes: it need not exist yet.
  const project_config config = load_project_config(cl.config, /*manifest_must_exist=*/false);
  migrated_run run = bring_up(config, cl.fresh);
  pqxx::connection conn(run.srv->connection(run.template_db).conninfo());
  const snapshot db = read_snapshot(conn);
  write_output(cl.out, to_yaml(manifest_from_snapshot(db, config.ignore_tables)));
  return 0;
}

}  // namespace pgparity::harness
