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

// "pgparity run host=H boot=B ns=N pid=P start=S": this process, written as the comment of
// every throwaway database on an existing server (framework/cluster/abandoned_databases.cc).
std::string owner_comment();
// COMMENT ON DATABASE `name` IS owner_comment(); failures are ignored.
void comment_database_sql(const std::string& admin_conninfo, const std::string& name);
// Drops the pgparity_* databases whose comment names an owner process on this machine (same
// host, boot and PID namespace) that is gone, and that no session uses. Never throws; returns
// how many it dropped.
int drop_abandoned_databases(const std::string& admin_conninfo);

}  // namespace pgparity::cluster_detail
