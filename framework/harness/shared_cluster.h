// One migrated server shared by every test process of a run (ctest fixtures): `pgparity up`
// starts it, migrates, and leaves it running, described by a state file; test processes attach
// to it instead of bringing their own up; `pgparity down` stops it. See docs/cmake.md.
#pragma once

#include <optional>
#include <string>

#include "cluster/server.h"
#include "manifest/project_config.h"
#include "migrate/migrations.h"

namespace pgparity::harness {

// What `pgparity up` writes: enough to connect, clone the template, and stop the server.
struct cluster_state {
  std::string config;  // absolute path of the project config it was started for
  // "disposable": a detached cluster; "per-process": `database: URL`, each process brings up
  // its own throwaway database (nothing is shared).
  std::string kind = "disposable";
  connection_info admin;       // the maintenance database of the server
  std::string template_db;     // the migrated schema: read it, never write it
  std::string clone_template;  // a copy of it nobody may connect to: clone it per test
  std::string server_version;
  detached_cluster cluster;
  long max_lifetime_seconds = 0;
};

// Default lifetime of a detached cluster: a forgotten one stops by itself.
constexpr long default_max_lifetime_seconds = 6 * 60 * 60;

void write_state(const std::string& path, const cluster_state& state);
// Throws environment_error when the file is missing (naming `pgparity up`) or unreadable.
cluster_state read_state(const std::string& path);

// `pgparity up`: stops what `state_file` still describes, brings the migrated schema up, makes
// the clone template, detaches the server and writes the state file.
cluster_state start_shared_cluster(const project_config& config, const std::string& state_file,
                                   long max_lifetime_seconds, bool fresh);
// `pgparity down`: false when there was nothing to stop (no state file).
bool stop_shared_cluster(const std::string& state_file);

// The state file a process should attach to: PGPARITY_ATTACH, when set and non-empty.
std::optional<std::string> attach_state_file();

// A process's view of a shared cluster: a connection to the running server (throwaway
// databases it creates are dropped when `srv` goes), the template, and the clone template.
struct attached_run {
  migrated_run run;
  std::string clone_template;
};
// Attaches to the cluster `state_file` describes, checking it was started for `config`.
attached_run attach(const std::string& state_file, const project_config& config);

// What `pgparity test`, `pgparity report` and DatabaseTest start from: the shared cluster when
// PGPARITY_ATTACH names one, else bring_up(config, fresh) (its template is then the one to clone).
attached_run attach_or_bring_up(const project_config& config, bool fresh);

}  // namespace pgparity::harness
