#include "cluster/server_base.h"

#include "cluster/database_sql.h"
#include "cluster/files.h"
#include "cluster/signals.h"
#include "common/error.h"

namespace pgparity::cluster_detail {

std::string server_base::create_database(const std::optional<std::string>& template_db) {
  const std::string name = "pgparity_" + random_hex16();
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

}  // namespace pgparity
