// Throwaway databases on an existing server carry their owner twice: in their name
// (`pgparity_<machine>_<pid>_<start>_<random>`, so a kill between CREATE DATABASE and COMMENT
// leaves nothing unowned) and in their comment (`pgparity run host=... pid=... start=...
// created=...`, readable in `\l+`). A later run on the same machine drops those whose owner is
// provably gone (a run killed with SIGKILL cannot drop its own); `pgparity clean` lists them and
// can drop those older than a given age too. Never a database without either mark, from another
// machine, kernel boot or PID namespace (unless older than asked), or with a session open.
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <pqxx/pqxx>

#include "cluster/database_sql.h"
#include "cluster/files.h"
#include "cluster/process.h"
#include "common/sha256.h"

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

// The machine identity in a database name: 8 hex digits of its hash.
std::string machine_tag(const std::string& identity) { return sha256_hex(identity).substr(0, 8); }

struct owner_fields {
  bool on_this_machine = false;
  long pid = 0;
  unsigned long long start = 0;
  long long created = 0;  // seconds since the epoch, 0 when unknown
  bool ours = false;      // carries pgparity's mark (comment or name)
};

// From the comment "pgparity run <identity> pid=P start=S [created=C]".
owner_fields from_comment(const std::string& comment, const std::string& here) {
  owner_fields owner;
  if (comment.rfind(comment_prefix, 0) != 0) return owner;
  owner.ours = true;
  const auto at = comment.find(" pid=");
  if (at == std::string::npos) return owner;
  owner.on_this_machine = comment.substr(0, at) == comment_prefix + here;
  if (std::sscanf(comment.c_str() + at, " pid=%ld start=%llu created=%lld", &owner.pid,
                  &owner.start, &owner.created) < 2) {
    owner.on_this_machine = false;
  }
  return owner;
}

// From the name "pgparity_<tag>_<pid hex>_<start hex>_<random>".
owner_fields from_name(const std::string& name, const std::string& here) {
  owner_fields owner;
  char tag[9] = {};
  unsigned long pid = 0;
  unsigned long long start = 0;
  char random[17] = {};
  if (std::sscanf(name.c_str(), "pgparity_%8[0-9a-f]_%lx_%llx_%16[0-9a-f]", tag, &pid, &start,
                  random) != 4) {
    return owner;
  }
  owner.ours = true;
  owner.on_this_machine = tag == machine_tag(here);
  owner.pid = static_cast<long>(pid);
  owner.start = start;
  return owner;
}

bool owner_alive(const owner_fields& owner) {
  const auto actual = process_start_time(static_cast<pid_t>(owner.pid));
  return actual && *actual == owner.start;
}

// What to do with one pgparity_* database, and why.
stale_database judge(const std::string& name, const std::string& comment, bool in_use,
                     const std::string& here, std::optional<long long> older_than) {
  owner_fields owner = from_comment(comment, here);
  const owner_fields named = from_name(name, here);
  if (!owner.ours || (!owner.on_this_machine && named.on_this_machine)) {
    const long long created = owner.created;
    owner = named;
    if (owner.created == 0) owner.created = created;
  }
  stale_database d{name, false, ""};
  const long long age = owner.created > 0 ? std::time(nullptr) - owner.created : -1;
  const bool old_enough = older_than && age >= 0 && age >= *older_than;
  if (!owner.ours) {
    d.reason = "not made by pgparity (no owner comment): never dropped";
  } else if (in_use) {
    d.reason = "in use (a session is connected)";
  } else if (owner.on_this_machine && !owner_alive(owner)) {
    d.drop = true;
    d.reason = "its run (pid " + std::to_string(owner.pid) + " on this machine) is gone";
  } else if (old_enough) {
    d.drop = true;
    d.reason = "created " + std::to_string(age) + " s ago";
  } else if (owner.on_this_machine) {
    d.reason = "its run (pid " + std::to_string(owner.pid) + ") is still running";
  } else {
    d.reason =
        "its run is on another machine" +
        std::string(age >= 0 ? ", created " + std::to_string(age) + " s ago" : ", age unknown");
  }
  return d;
}

}  // namespace

std::string owner_comment() {
  const pid_t self = getpid();
  return comment_prefix + machine_identity() + " pid=" + std::to_string(self) +
         " start=" + std::to_string(process_start_time(self).value_or(0)) +
         " created=" + std::to_string(static_cast<long long>(std::time(nullptr)));
}

std::string owned_database_name() {
  const pid_t self = getpid();
  char name[64];
  std::snprintf(name, sizeof name, "pgparity_%s_%lx_%llx_%s",
                machine_tag(machine_identity()).c_str(), static_cast<unsigned long>(self),
                process_start_time(self).value_or(0), random_hex16().substr(0, 8).c_str());
  return name;
}

void comment_database_sql(const std::string& admin_conninfo, const std::string& name) {
  try {
    pqxx::connection connection{admin_conninfo};
    pqxx::nontransaction tx{connection};
    tx.exec0("COMMENT ON DATABASE " + tx.quote_name(name) + " IS " + tx.quote(owner_comment()));
  } catch (const std::exception&) {
    // The name carries the owner too: a later run still finds it.
  }
}

std::vector<stale_database> clean_databases(const std::string& admin_conninfo,
                                            std::optional<long long> older_than, bool drop) {
  pqxx::connection connection{admin_conninfo};
  pqxx::nontransaction tx{connection};
  const std::string here = machine_identity();
  const pqxx::result rows = tx.exec(
      "SELECT d.datname, coalesce(shobj_description(d.oid, 'pg_database'), ''), "
      "EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname) "
      "FROM pg_database d WHERE d.datname LIKE 'pgparity\\_%' AND NOT d.datistemplate "
      "ORDER BY 1");
  std::vector<stale_database> out;
  for (const auto& row : rows) {
    stale_database d = judge(row[0].c_str(), row[1].c_str(), row[2].as<bool>(), here, older_than);
    if (d.drop && drop) {
      try {
        // Never WITH (FORCE): a session that connected meanwhile keeps its database.
        tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(d.name));
      } catch (const pqxx::sql_error& e) {
        d.drop = false;
        d.reason = "could not be dropped: " + trimmed(e.what());
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

int drop_abandoned_databases(const std::string& admin_conninfo) {
  int dropped = 0;
  try {
    for (const auto& d : clean_databases(admin_conninfo, std::nullopt, true)) dropped += d.drop;
  } catch (const std::exception&) {
    // Cleaning up after others never fails this run.
  }
  return dropped;
}

}  // namespace pgparity::cluster_detail
