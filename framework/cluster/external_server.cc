// An existing server (`database: URL`): only throwaway pgparity_* databases are created there,
// and dropped again; nothing else on it is written.
#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <pqxx/pqxx>

#include "cluster/database_sql.h"
#include "cluster/server_base.h"
#include "cluster/signals.h"
#include "cluster/text.h"
#include "common/error.h"
#include "common/secrets.h"

namespace pgparity {

namespace {

struct conn_closer {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};

class external_server final : public cluster_detail::server_base {
 public:
  // `clean_up_others`: drop the databases of dead runs from this machine (every run does;
  // `pgparity clean` does it itself, to list them). `started_by_pgparity`: the disposable
  // server of `pgparity up`, reached through its URL; ours to make roles in.
  external_server(const std::string& url, bool clean_up_others, bool started_by_pgparity = false)
      : started_by_pgparity_(started_by_pgparity) {
    char* parse_error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
    if (options == nullptr) {
      const std::string message = parse_error != nullptr ? parse_error : "out of memory";
      PQfreemem(parse_error);
      throw input_error("invalid database URL " + redact(url) + ": " +
                        cluster_detail::first_line(message) +
                        "; expected postgresql://user@host:port/dbname or \"host=... "
                        "dbname=...\"");
    }
    std::string given_dbname;
    for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
      if (option->val == nullptr) continue;
      const std::string keyword = option->keyword;
      if (keyword == "password") remember_secret(option->val);
      if (keyword == "dbname") {
        given_dbname = option->val;
      } else if (keyword != "host" && keyword != "port" && keyword != "user" &&
                 keyword != "password") {
        info_.extra += (info_.extra.empty() ? "" : " ") + keyword + "=" +
                       cluster_detail::quote_conninfo_value(option->val);
      }
    }
    PQconninfoFree(options);

    // A dead host must not hang the run: connect_timeout unless the URL sets one (later
    // keywords win, and the expanded URL comes after ours).
    const char* keywords[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {"10", url.c_str(), nullptr};
    std::unique_ptr<PGconn, conn_closer> conn(PQconnectdbParams(keywords, values, 1));
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      const std::string message = cluster_detail::first_line(PQerrorMessage(conn.get()));
      // The server answered and refused us: not a question of whether it runs.
      const bool refused_us = message.find("authentication") != std::string::npos ||
                              message.find("does not exist") != std::string::npos ||
                              message.find("password") != std::string::npos;
      throw environment_error("cannot connect to " + redact(url) + ": " + message +
                              (refused_us ? "; check the user, password and database name in "
                                            "`database:`"
                                          : "; is the server running?"));
    }
    // What libpq resolved (defaults, PG* variables) is what child processes must get too.
    info_.host = PQhost(conn.get());
    info_.port = std::atoi(PQport(conn.get()));
    if (info_.port == 0) info_.port = 5432;
    info_.user = PQuser(conn.get());
    if (PQconnectionUsedPassword(conn.get())) {
      info_.password = PQpass(conn.get());
      remember_secret(info_.password);  // from PGPASSWORD or ~/.pgpass as well
    }
    admin_database_ = given_dbname.empty() ? PQdb(conn.get()) : given_dbname;
    version_num_ = PQserverVersion(conn.get());
    const char* version = PQparameterStatus(conn.get(), "server_version");
    version_ = version != nullptr ? version : "";
    version_.resize(std::min(version_.size(), version_.find(' ')));

    std::unique_ptr<PGresult, decltype(&PQclear)> result(
        PQexec(conn.get(),
               "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"),
        &PQclear);
    const bool may_create = PQresultStatus(result.get()) == PGRES_TUPLES_OK &&
                            PQntuples(result.get()) == 1 &&
                            std::string(PQgetvalue(result.get(), 0, 0)) == "t";
    if (!may_create) {
      throw environment_error("role " + info_.user + " on " + redact(url) +
                              " may not create databases; pgparity needs a throwaway database "
                              "there: ALTER ROLE " +
                              info_.user + " CREATEDB, or use `database: disposable`");
    }
    registry_id_ =
        cluster_detail::register_external(connection(admin_database_).conninfo(), version_num_);
    if (clean_up_others) {
      cluster_detail::drop_abandoned_databases(connection(admin_database_).conninfo());
      clean_stale_cache(default_cache_dir());  // the cache is shared with disposable runs
    }
  }

  ~external_server() override {
    drop_all_created();
    cluster_detail::unregister_external(registry_id_);
  }

  bool is_disposable() const override { return false; }
  bool may_create_roles() const override { return started_by_pgparity_; }
  std::string version() const override { return version_; }
  int version_num() const override { return version_num_; }
  std::string admin_database() const override { return admin_database_; }

  connection_info connection(const std::string& dbname) const override {
    connection_info info = info_;
    info.dbname = dbname;
    return info;
  }

  void save_datadir(const std::string& destination) override {
    throw input_error("cannot save a data directory to " + destination +
                      ": the server is not a disposable one (database: URL)");
  }

 protected:
  void on_database_change(const std::string& name, bool exists) override {
    cluster_detail::note_database(registry_id_, name, exists);
    if (exists) cluster_detail::comment_database_sql(connection(admin_database_).conninfo(), name);
  }

 private:
  bool started_by_pgparity_;
  connection_info info_;
  std::string admin_database_;
  std::string version_;
  int version_num_ = 0;
  std::uint64_t registry_id_ = 0;
};

}  // namespace

std::unique_ptr<server> server::connect_existing(const std::string& url) {
  return std::make_unique<external_server>(url, true);
}

std::unique_ptr<server> server::attach_started(const std::string& url) {
  return std::make_unique<external_server>(url, true, true);
}

std::vector<stale_database> clean_existing_server(const std::string& url,
                                                  std::optional<long long> older_than_seconds) {
  const external_server srv(url, false);
  try {
    return cluster_detail::clean_databases(srv.connection(srv.admin_database()).conninfo(),
                                           older_than_seconds, true);
  } catch (const pqxx::sql_error& e) {
    throw environment_error("cannot list the databases on " + redact(url) + ": " +
                            cluster_detail::first_line(e.what()) + " (SQLSTATE " + e.sqlstate() +
                            ")");
  }
}

}  // namespace pgparity
