// Detached clusters (`pgparity up` / `pgparity down`): the default server::detach() for servers
// that cannot be detached, and stopping one from another process.
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cluster/files.h"
#include "cluster/guardian.h"
#include "cluster/process.h"
#include "cluster/run_dir.h"
#include "cluster/server.h"
#include "common/error.h"

namespace pgparity {

namespace {

bool guardian_running(const detached_cluster& cluster) {
  if (cluster.guardian_pid <= 0) return false;
  const auto start = cluster_detail::process_start_time(cluster.guardian_pid);
  return start && *start == cluster.guardian_start_time &&
         cluster_detail::process_alive_raw(cluster.guardian_pid);
}

// Only a run directory pgparity made (base/pgparity.XXXXXX with our owner file) is removed,
// whatever a state file says.
bool is_run_directory(const std::string& dir) {
  bool in_base = false;
  for (const auto& base : cluster_detail::run_bases()) {
    const std::string prefix = base + "/pgparity.";
    in_base = in_base || (dir.rfind(prefix, 0) == 0 && dir.size() == prefix.size() + 6 &&
                          dir.find('/', prefix.size()) == std::string::npos);
  }
  return in_base && cluster_detail::read_file(dir + "/owner").rfind("pgparity-run ", 0) == 0;
}

}  // namespace

detached_cluster server::detach(const std::string& state_file, long max_lifetime_seconds) {
  static_cast<void>(max_lifetime_seconds);
  throw input_error("cannot keep this server running for " + state_file +
                    ": only a disposable server (database: disposable) can be detached");
}

void stop_detached(const detached_cluster& cluster, const std::string& state_file) {
  if (unlink(state_file.c_str()) != 0 && errno != ENOENT) {
    throw environment_error("cannot remove " + state_file + ": " + std::strerror(errno) +
                            "; remove it by hand and the server stops within a second");
  }
  // The guardian polls for the state file; it stops the postmaster within seconds.
  for (int waited_ms = 0; waited_ms < 30000 && guardian_running(cluster); waited_ms += 10) {
    timespec delay{0, 10000000L};
    nanosleep(&delay, nullptr);
  }
  if (guardian_running(cluster)) {
    throw environment_error("the cleanup process " + std::to_string(cluster.guardian_pid) + " of " +
                            cluster.run_dir + " did not finish within 30 s");
  }
  // The guardian was killed, or is done: whatever is left is ours to remove.
  if (!cluster.run_dir.empty() && is_run_directory(cluster.run_dir)) {
    const std::string data_dir = cluster.run_dir + "/data";
    cluster_detail::stop_postmaster_of(data_dir.c_str());
    if (!cluster_detail::remove_tree(cluster.run_dir.c_str())) {
      throw environment_error("cannot remove " + cluster.run_dir + "; remove it by hand");
    }
  }
}

}  // namespace pgparity
