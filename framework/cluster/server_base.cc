#include "cluster/server_base.h"

#include "cluster/database_sql.h"
#include "cluster/files.h"
#include "cluster/signals.h"
#include "common/error.h"

namespace pgparity::cluster_detail {

std::string server_base::create_database(const std::optional<std::string>& template_db) {
  const std::string name = owned_database_name();
  create_database_sql(admin_connection().conninfo(), name, template_db);
  created_.insert(name);
  on_database_change(name, true);
  return name;
}

void server_base::drop_database(const std::string& name) {
  if (created_.count(name) == 0) {
    throw input_error("refusing to drop database `" + name +
                      "`: this pgparity run did not create it (it only drops the pgparity_* "
                      "databases it made itself)");
  }
  drop_database_sql(admin_connection().conninfo(), version_num(), name);
  created_.erase(name);
  on_database_change(name, false);
}

}  // namespace pgparity::cluster_detail

namespace pgparity {

connection_info server::owner_connection(const std::string& dbname) {
  throw input_error("cannot run migrations as an owner role in `" + dbname +
                    "`: `role: owner` works on a disposable server only");
}

}  // namespace pgparity

namespace pgparity::cluster_detail {

connection_info server_base::owner_connection(const std::string& dbname) {
  if (!may_create_roles()) return server::owner_connection(dbname);
  owner_role_sql(admin_connection().conninfo(), dbname);
  connection_info info = connection(dbname);
  info.user = owner_role;
  return info;
}

void server_base::drop_all_created() noexcept {
  while (!created_.empty()) {
    const std::string name = *created_.begin();
    try {
      drop_database(name);
    } catch (...) {
      created_.erase(name);
      on_database_change(name, false);
    }
  }
}

}  // namespace pgparity::cluster_detail

namespace pgparity {

void install_signal_handlers() { cluster_detail::install_handlers(); }

staging_entry::staging_entry(const std::string& destination)
    : path_(destination + cluster_detail::staging_suffix()),
      slot_(cluster_detail::register_staging(path_)) {}

staging_entry::~staging_entry() {
  cluster_detail::remove_tree(path_.c_str());  // nothing left when it was renamed into place
  cluster_detail::unregister_staging(slot_);
}

int clean_stale_cache(const std::string& cache, std::vector<std::string>* removed_paths,
                      std::optional<long long> older_than_seconds) {
  int removed = 0;
  // Every folder a cache entry is written into (tmp + rename): the templates and canonical forms
  // name their staging entries after the run; the others (common/cache_file.h, written by
  // modules below cluster) as `<entry>.tmp.<pid>`, reaped once an hour old.
  for (const char* sub : {"", "/templates", "/canonical", "/manifests", "/lifecycle", "/models",
                          "/exporters", "/binaries"}) {
    removed += cluster_detail::clean_stale_staging(cache + sub, removed_paths, older_than_seconds);
  }
  return removed;
}

}  // namespace pgparity
