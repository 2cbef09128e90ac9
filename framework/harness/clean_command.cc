// `pgparity clean`: what killed runs left behind, removed and listed (docs/cli.md).
#include <iostream>

#include "cluster/server.h"
#include "common/secrets.h"
#include "harness/commands.h"

namespace pgparity::harness {

int run_clean(const command_line& cl) {
  std::vector<std::string> runs;
  clean_stale_runs(&runs);
  for (const auto& dir : runs)
    std::cout << "removed run directory " << dir << " (its run is gone)\n";
  std::vector<std::string> staged;
  clean_stale_cache(default_cache_dir(), &staged, cl.older_than);
  for (const auto& path : staged) std::cout << "removed staging entry " << path << "\n";
  int dropped = 0;
  int kept = 0;
  if (cl.database) {
    const std::string where = redact(*cl.database);
    for (const auto& d : clean_existing_server(*cl.database, cl.older_than)) {
      std::cout << (d.drop ? "dropped database " : "kept database ") << d.name << " on " << where
                << ": " << d.reason << "\n";
      (d.drop ? dropped : kept) += 1;
    }
  }
  std::cout << "clean: removed " << runs.size() << " run director"
            << (runs.size() == 1 ? "y" : "ies") << " and " << staged.size() << " staging entr"
            << (staged.size() == 1 ? "y" : "ies");
  if (cl.database) std::cout << "; dropped " << dropped << " database(s), kept " << kept;
  std::cout << "\n";
  return 0;
}

}  // namespace pgparity::harness
