#include "harness/shared_cluster.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <sstream>
#include <utility>

#include "common/error.h"

namespace pgparity::harness {
namespace fs = std::filesystem;

namespace {

constexpr const char* k_format = "pgparity-state-1";

bool is_disposable(const project_config& config) {
  return config.database.empty() || config.database == "disposable";
}

std::string absolute_path(const std::string& path) {
  return fs::weakly_canonical(fs::absolute(path)).string();
}

std::string config_path(const project_config& config) {
  return absolute_path(config.file.empty() ? "pgparity.yaml" : config.file);
}

// The clone template may only be copied: with no connections allowed, a CREATE DATABASE from
// it never fails because another process is reading it.
void seal_clone_template(const connection_info& admin, const std::string& name) {
  pqxx::connection conn(admin.conninfo());
  pqxx::nontransaction tx(conn);
  tx.exec0("ALTER DATABASE " + tx.quote_name(name) +
           " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
}

}  // namespace

void write_state(const std::string& path, const cluster_state& state) {
  std::ostringstream out;
  out << "# Written by `pgparity up`; `pgparity down --state " << path << "` stops the server.\n"
      << "format: " << k_format << "\n"
      << "config: " << state.config << "\n"
      << "kind: " << state.kind << "\n"
      << "host: " << state.admin.host << "\n"
      << "port: " << state.admin.port << "\n"
      << "user: " << state.admin.user << "\n"
      << "admin_db: " << state.admin.dbname << "\n"
      << "template_db: " << state.template_db << "\n"
      << "clone_template: " << state.clone_template << "\n"
      << "server_version: " << state.server_version << "\n"
      << "run_dir: " << state.cluster.run_dir << "\n"
      << "guardian_pid: " << state.cluster.guardian_pid << "\n"
      << "guardian_start_time: " << state.cluster.guardian_start_time << "\n"
      << "max_lifetime_seconds: " << state.max_lifetime_seconds << "\n";
  // Readers (and the guardian, which polls for the file) never see half a file.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << out.str();
    file.close();
    if (!file) {
      throw environment_error("cannot write the state file " + path +
                              ": check that its directory exists and is writable");
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) throw environment_error("cannot write the state file " + path + ": " + ec.message());
}

cluster_state read_state(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw environment_error(
        path +
        " does not exist: no shared server is running; start one with `pgparity up "
        "--config <pgparity.yaml> --state " +
        path + "` (in ctest, the suite's <name>/up test does)");
  }
  std::map<std::string, std::string> values;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(": ");
    if (colon == std::string::npos) {
      throw environment_error(fmt::format(
          "{}:{}: not a pgparity state file line; remove the file and run `pgparity up` again",
          path, number));
    }
    values[line.substr(0, colon)] = line.substr(colon + 2);
  }
  if (values["format"] != k_format) {
    throw environment_error(path + ": not a " + k_format +
                            " state file; remove it and run `pgparity up` again");
  }
  const auto number = [&](const char* key) -> long long {
    try {
      return std::stoll(values[key]);
    } catch (const std::exception&) {
      throw environment_error(
          fmt::format("{}: `{}` is not a number; remove the file and run "
                      "`pgparity up` again",
                      path, key));
    }
  };
  cluster_state state;
  state.config = values["config"];
  state.kind = values["kind"];
  state.admin.host = values["host"];
  state.admin.port = static_cast<int>(number("port"));
  state.admin.user = values["user"];
  state.admin.dbname = values["admin_db"];
  state.template_db = values["template_db"];
  state.clone_template = values["clone_template"];
  state.server_version = values["server_version"];
  state.cluster.run_dir = values["run_dir"];
  state.cluster.guardian_pid = static_cast<int>(number("guardian_pid"));
  state.cluster.guardian_start_time =
      static_cast<unsigned long long>(number("guardian_start_time"));
  state.max_lifetime_seconds = static_cast<long>(number("max_lifetime_seconds"));
  return state;
}

cluster_state start_shared_cluster(const project_config& config, const std::string& state_file,
                                   long max_lifetime_seconds, bool fresh) {
  const std::string path = absolute_path(state_file);
  // A run that was interrupted (Ctrl-C in ctest) may have left its cluster: replace it.
  stop_shared_cluster(path);

  cluster_state state;
  state.config = config_path(config);
  state.max_lifetime_seconds = max_lifetime_seconds;
  if (!is_disposable(config)) {
    state.kind = "per-process";
    write_state(path, state);
    return state;
  }
  migrated_run run = bring_up(config, fresh);
  state.admin = run.srv->admin_connection();
  state.template_db = run.template_db;
  state.clone_template = run.srv->create_database(run.template_db);
  seal_clone_template(state.admin, state.clone_template);
  state.server_version = run.srv->version();
  state.cluster = run.srv->detach(path, max_lifetime_seconds);
  // Written before `run` goes: its guardian watches for this file once we let go of it.
  write_state(path, state);
  return state;
}

bool stop_shared_cluster(const std::string& state_file) {
  const std::string path = absolute_path(state_file);
  std::error_code ec;
  if (!fs::exists(path, ec)) return false;
  cluster_state state;
  try {
    state = read_state(path);
  } catch (const environment_error&) {
    fs::remove(path, ec);  // unreadable: nothing in it can be stopped
    throw;
  }
  if (state.kind == "disposable") {
    stop_detached(state.cluster, path);
  } else {
    fs::remove(path, ec);
  }
  return true;
}

std::optional<std::string> attach_state_file() {
  const char* value = std::getenv("PGPARITY_ATTACH");
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

attached_run attach(const std::string& state_file, const project_config& config) {
  const cluster_state state = read_state(state_file);
  const std::string mine = config_path(config);
  if (state.config != mine) {
    throw input_error(fmt::format(
        "{} describes the server `pgparity up` started for {}, but this run's config is {}; "
        "pass the same --config to both, or unset PGPARITY_ATTACH",
        state_file, state.config, mine));
  }
  attached_run out;
  if (state.kind != "disposable") {
    out.run = bring_up(config, false);
    out.clone_template = out.run.template_db;
    return out;
  }
  try {
    out.run.srv = server::attach_started(state.admin.conninfo());
  } catch (const environment_error& e) {
    throw environment_error(fmt::format(
        "the server {} describes is gone (stopped by `pgparity down`, or after its lifetime of "
        "{} s): {}; run `pgparity up` again",
        state_file, state.max_lifetime_seconds, e.what()));
  }
  out.run.template_db = state.template_db;
  out.run.from_cache = true;
  if (auto set = read_configured_migrations(config.migrations)) {
    out.run.migrations = without_sql(std::move(*set));
  }
  out.clone_template = state.clone_template;
  return out;
}

attached_run attach_or_bring_up(const project_config& config, bool fresh) {
  if (const auto state_file = attach_state_file()) return attach(*state_file, config);
  attached_run out;
  out.run = bring_up(config, fresh);
  out.clone_template = out.run.template_db;
  return out;
}

}  // namespace pgparity::harness
