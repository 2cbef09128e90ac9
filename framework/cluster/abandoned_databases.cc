// Throwaway databases on an existing server carry their owner in their comment; a later run on
// the same machine drops those whose owner is provably gone (a run killed with SIGKILL cannot
// drop its own). Never a database without our comment, from another machine, kernel boot or PID
// namespace, or with a session open.
#include <unistd.h>

#include <cstdio>
#include <pqxx/pqxx>

#include "cluster/database_sql.h"
#include "cluster/files.h"
#include "cluster/process.h"

namespace pgparity::cluster_detail {
namespace {

constexpr const char* comment_prefix = "pgparity run ";

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// This machine, kernel boot and PID namespace: where a recorded pid means this process table.
std::string machine_identity() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  char ns[128] = {};
  const ssize_t n = readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
  std::string pid_ns = n > 0 ? std::string(ns, static_cast<std::size_t>(n)) : "?";
  for (char& c : pid_ns) {
    if (c == ' ') c = '_';
  }
  return "host=" + std::string(host) +
         " boot=" + trimmed(read_file("/proc/sys/kernel/random/boot_id")) + " ns=" + pid_ns;
}

// True when `comment` names an owner on this machine (`here`) that no longer runs.
bool owner_gone(const std::string& comment, const std::string& here) {
  const std::string mine = comment_prefix + here + " ";
  if (comment.rfind(mine, 0) != 0) return false;
  long pid = 0;
  unsigned long long start = 0;
  if (std::sscanf(comment.c_str() + mine.size(), "pid=%ld start=%llu", &pid, &start) != 2) {
    return false;
  }
  const auto actual = process_start_time(static_cast<pid_t>(pid));
  return !(actual && *actual == start);
}

}  // namespace

std::string owner_comment() {
  const pid_t self = getpid();
  return comment_prefix + machine_identity() + " pid=" + std::to_string(self) +
         " start=" + std::to_string(process_start_time(self).value_or(0));
}

void comment_database_sql(const std::string& admin_conninfo, const std::string& name) {
  try {
    pqxx::connection connection{admin_conninfo};
    pqxx::nontransaction tx{connection};
    tx.exec0("COMMENT ON DATABASE " + tx.quote_name(name) + " IS " + tx.quote(owner_comment()));
  } catch (const std::exception&) {
    // Without the comment only `pgparity clean`-like manual cleanup finds it; the run goes on.
  }
}

int drop_abandoned_databases(const std::string& admin_conninfo) {
  int dropped = 0;
  try {
    pqxx::connection connection{admin_conninfo};
    pqxx::nontransaction tx{connection};
    const std::string here = machine_identity();
    const pqxx::result rows = tx.exec(
        "SELECT d.datname, shobj_description(d.oid, 'pg_database') FROM pg_database d "
        "WHERE d.datname LIKE 'pgparity\\_%' AND NOT d.datistemplate "
        "AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)");
    for (const auto& row : rows) {
      if (row[1].is_null() || !owner_gone(row[1].c_str(), here)) continue;
      try {
        tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(row[0].c_str()));
        ++dropped;
      } catch (const pqxx::sql_error&) {
        // Someone connected meanwhile, or another role owns it: not ours to force.
      }
    }
  } catch (const std::exception&) {
    // Cleaning up after others never fails this run.
  }
  return dropped;
}

}  // namespace pgparity::cluster_detail
