// CREATE DATABASE / DROP DATABASE on a server's maintenance database, shared by both kinds of
// server and by the signal path that drops throwaway databases on Ctrl-C.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cluster/server.h"

namespace pgparity::cluster_detail {

// Throws environment_error with PostgreSQL's message and SQLSTATE.
void create_database_sql(const std::string& admin_conninfo, const std::string& name,
                         const std::optional<std::string>& template_db);
// DROP DATABASE IF EXISTS, closing other sessions first (WITH (FORCE) from PostgreSQL 13).
void drop_database_sql(const std::string& admin_conninfo, int version_num, const std::string& name);

// The role migrations run as with `role: owner`.
inline constexpr const char* owner_role = "pgparity_owner";
// Creates owner_role when missing and makes it the owner of database `name`. Throws
// environment_error with PostgreSQL's message.
void owner_role_sql(const std::string& admin_conninfo, const std::string& name);

// "pgparity run host=H boot=B ns=N pid=P start=S created=C": this process, written as the
// comment of every throwaway database on an existing server (abandoned_databases.cc).
std::string owner_comment();
// "pgparity_<machine>_<pid>_<start>_<random>": a throwaway database's name, which carries its
// owner even before the comment is written.
std::string owned_database_name();
// COMMENT ON DATABASE `name` IS owner_comment(); failures are ignored.
void comment_database_sql(const std::string& admin_conninfo, const std::string& name);
// Every pgparity_* database of the server, judged: dropped (when `drop`) if pgparity made it
// and no session uses it and its owner run on this machine (same host, boot and PID namespace)
// is gone, or it is older than `older_than` seconds. Throws pqxx errors when the listing fails.
std::vector<stale_database> clean_databases(const std::string& admin_conninfo,
                                            std::optional<long long> older_than, bool drop);
// clean_databases() without an age, dropping. Never throws; returns how many it dropped.
int drop_abandoned_databases(const std::string& admin_conninfo);

}  // namespace pgparity::cluster_detail
