#include "cluster/database_sql.h"

#include <pqxx/pqxx>

#include "cluster/text.h"
#include "common/error.h"

namespace pgparity::cluster_detail {

void create_database_sql(const std::string& admin_conninfo, const std::string& name,
                         const std::optional<std::string>& template_db) {
  try {
    pqxx::connection connection{admin_conninfo};
    pqxx::nontransaction tx{connection};
    std::string sql = "CREATE DATABASE " + tx.quote_name(name);
    if (template_db) sql += " TEMPLATE " + tx.quote_name(*template_db);
    tx.exec0(sql);
  } catch (const pqxx::sql_error& e) {
    const std::string hint =
        e.sqlstate() == "55006" ? "; close the other sessions on the template database" : "";
    throw environment_error("cannot create database " + name +
                            (template_db ? " from template " + *template_db : "") + ": " +
                            first_line(e.what()) + " (SQLSTATE " + e.sqlstate() + ")" + hint);
  } catch (const pqxx::failure& e) {
    throw environment_error("cannot create database " + name + ": " + first_line(e.what()));
  }
}

void drop_database_sql(const std::string& admin_conninfo, int version_num,
                       const std::string& name) {
  try {
    pqxx::connection connection{admin_conninfo};
    pqxx::nontransaction tx{connection};
    if (version_num >= 130000) {
      tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
    } else {
      tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
              tx.quote(name) + " AND pid <> pg_backend_pid()");
      tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name));
    }
  } catch (const pqxx::sql_error& e) {
    throw environment_error("cannot drop database " + name + ": " + first_line(e.what()) +
                            " (SQLSTATE " + e.sqlstate() + ")");
  } catch (const pqxx::failure& e) {
    throw environment_error("cannot drop database " + name + ": " + first_line(e.what()));
  }
}

void owner_role_sql(const std::string& admin_conninfo, const std::string& name) {
  try {
    pqxx::connection connection{admin_conninfo};
    pqxx::nontransaction tx{connection};
    try {
      tx.exec0(std::string("CREATE ROLE ") + owner_role +
               " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
    } catch (const pqxx::sql_error& e) {
      // It exists (a template copy carries it), or a concurrent session just made it.
      if (e.sqlstate() != "42710" && e.sqlstate() != "23505") throw;
    }
    tx.exec0("ALTER DATABASE " + tx.quote_name(name) + " OWNER TO " + owner_role);
    // Before PostgreSQL 15 the superuser owns `public`; the owner makes it its own there too.
    pqxx::connection in_database{admin_conninfo + " dbname=" + tx.quote(name)};
    pqxx::nontransaction in_tx{in_database};
    in_tx.exec0(std::string("DO $$BEGIN IF EXISTS (SELECT FROM pg_namespace WHERE nspname = "
                            "'public') THEN ALTER SCHEMA public OWNER TO ") +
                owner_role + "; END IF; END$$");
  } catch (const pqxx::sql_error& e) {
    throw environment_error("cannot make " + std::string(owner_role) + " the owner of database " +
                            name + ": " + first_line(e.what()) + " (SQLSTATE " + e.sqlstate() +
                            ")");
  }
}

}  // namespace pgparity::cluster_detail
