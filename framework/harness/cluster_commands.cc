#include "harness/cluster_commands.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <iostream>

#include "common/did_you_mean.h"
#include "common/error.h"
#include "harness/shared_cluster.h"
#include "manifest/project_config.h"

namespace pgparity::harness {
namespace {

constexpr const char* up_help =
    "usage: pgparity up --state FILE [--config FILE] [--max-lifetime SECONDS] [--fresh]\n"
    "\n"
    "Starts the disposable PostgreSQL, applies the migrations (or takes them from the template\n"
    "cache), writes FILE describing the running server and returns while it keeps running.\n"
    "`pgparity test --attach FILE` (or PGPARITY_ATTACH=FILE) then uses it instead of starting\n"
    "its own. The server stops on `pgparity down --state FILE`, when FILE is removed, or after\n"
    "--max-lifetime seconds (default 21600, six hours).\n";
constexpr const char* down_help =
    "usage: pgparity down --state FILE\n"
    "\n"
    "Stops the server `pgparity up --state FILE` started and removes its files and FILE.\n"
    "Nothing to stop (no FILE) is not an error.\n";

struct cluster_args {
  std::string command;
  std::string config = "pgparity.yaml";
  std::string state;
  long max_lifetime = default_max_lifetime_seconds;
  bool fresh = false;
  bool help = false;
};

long parse_seconds(const std::string& value) {
  try {
    std::size_t used = 0;
    const long seconds = std::stol(value, &used);
    if (used == value.size() && seconds > 0) return seconds;
  } catch (const std::exception&) {
  }
  throw input_error("--max-lifetime `" + value + "` is not a positive number of seconds");
}

cluster_args parse(const std::vector<std::string>& args) {
  cluster_args out;
  out.command = args.at(0);
  const bool up = out.command == "up";
  const std::vector<std::string> flags =
      up ? std::vector<std::string>{"--config", "--state", "--max-lifetime", "--fresh"}
         : std::vector<std::string>{"--state"};
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      return out;
    }
    const auto eq = arg.find('=');
    const std::string flag = arg.substr(0, eq);
    if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
      throw input_error("unknown flag `" + flag + "` for `pgparity " + out.command + "`" +
                        did_you_mean_suffix(flag, flags) + "; run `pgparity " + out.command +
                        " --help`");
    }
    if (flag == "--fresh") {
      out.fresh = true;
      continue;
    }
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    }
    if (value.empty()) throw input_error("flag `" + flag + "` needs a value");
    if (flag == "--config") out.config = value;
    if (flag == "--state") out.state = value;
    if (flag == "--max-lifetime") out.max_lifetime = parse_seconds(value);
  }
  if (out.state.empty()) {
    throw input_error("`pgparity " + out.command +
                      "` needs --state FILE: where the running server is described");
  }
  return out;
}

}  // namespace

bool is_cluster_command(const std::vector<std::string>& args) {
  return !args.empty() && (args[0] == "up" || args[0] == "down");
}

int run_cluster_command(const std::vector<std::string>& args) {
  const cluster_args a = parse(args);
  if (a.help) {
    std::cout << (a.command == "up" ? up_help : down_help);
    return 0;
  }
  if (a.command == "down") {
    const bool stopped = stop_shared_cluster(a.state);
    std::cout << (stopped ? "pgparity: stopped the server of " : "pgparity: nothing to stop: no ")
              << a.state << std::endl;
    return 0;
  }
  // Migrating needs no manifest; the tests that attach load it themselves.
  const project_config config = load_project_config(a.config, /*manifest_must_exist=*/false);
  const cluster_state state = start_shared_cluster(config, a.state, a.max_lifetime, a.fresh);
  if (state.kind != "disposable") {
    std::cout << "pgparity: " << config.file
              << " uses an existing server: each test process creates its own throwaway "
                 "database there (nothing to share)"
              << std::endl;
    return 0;
  }
  connection_info template_db = state.admin.without_password();
  template_db.dbname = state.template_db;
  std::cout << fmt::format(
                   "pgparity: PostgreSQL {} is running with the migrated schema of {}\n"
                   "  psql \"{}\"\n"
                   "  tests: pgparity test --config {} --attach {}   (or PGPARITY_ATTACH={})\n"
                   "  stop:  pgparity down --state {}   (else it stops by itself in {} s)",
                   state.server_version, config.file, template_db.conninfo(), a.config, a.state,
                   a.state, a.state, a.max_lifetime)
            << std::endl;
  return 0;
}

void take_attach_flag(std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "test" && args[0] != "report")) return;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string value;
    std::size_t count = 0;
    if (args[i] == "--attach" && i + 1 < args.size()) {
      value = args[i + 1];
      count = 2;
    } else if (args[i].rfind("--attach=", 0) == 0) {
      value = args[i].substr(9);
      count = 1;
    } else if (args[i] == "--attach") {
      throw input_error("flag `--attach` needs a value: the state file of `pgparity up`");
    } else {
      continue;
    }
    if (value.empty()) throw input_error("flag `--attach` needs a non-empty value");
    setenv("PGPARITY_ATTACH", value.c_str(), 1);
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
               args.begin() + static_cast<std::ptrdiff_t>(i + count));
    --i;
  }
}

}  // namespace pgparity::harness
