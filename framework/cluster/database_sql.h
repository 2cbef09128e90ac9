// CREATE DATABASE / DROP DATABASE on a server's maintenance database, shared by both kinds of
// server and by the signal path that drops throwaway databases on Ctrl-C.
#pragma once

#include <optional>
#include <string>

namespace pgparity::cluster_detail {

// Throws environment_error with PostgreSQL's message and SQLSTATE.
void create_database_sql(const std::string& admin_conninfo, const std::string& name,
                         const std::optional<std::string>& template_db);
// DROP DATABASE IF EXISTS, closing other sessions first (WITH (FORCE) from PostgreSQL 13).
void drop_database_sql(const std::string& admin_conninfo, int version_num, const std::string& name);

}  // namespace pgparity::cluster_detail
