// What both kinds of server share: the throwaway databases this object created, and only those.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "cluster/server.h"

namespace pgparity::cluster_detail {

class server_base : public server {
 public:
  std::string create_database(const std::optional<std::string>& template_db) override;
  void drop_database(const std::string& name) override;
  connection_info owner_connection(const std::string& dbname) override;

 protected:
  // pgparity started this server, so it may make `pgparity_owner` there.
  virtual bool may_create_roles() const { return is_disposable(); }
  // Drops every database still listed; errors are ignored (we are cleaning up).
  void drop_all_created() noexcept;
  // Called after a database was created (true) or dropped (false).
  virtual void on_database_change(const std::string& name, bool exists) {
    static_cast<void>(name);
    static_cast<void>(exists);
  }

 private:
  std::set<std::string> created_;
};

}  // namespace pgparity::cluster_detail
