// Alembic projects: the revisions read through Alembic's own API, and each revision upgraded or
// downgraded by Alembic itself (the project's env.py, with DATABASE_URL set) in its own process.
#include "migrate/alembic.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "cluster/files.h"
#include "cluster/server.h"
#include "common/error.h"
#include "common/sha256.h"

namespace pgparity {
namespace fs = std::filesystem;

namespace {

using steady = std::chrono::steady_clock;

// Prints the script directory, heads and revisions (base first) as one JSON line after a
// marker, so that warnings env.py or Alembic print cannot be mistaken for it.
constexpr const char* k_reader = R"PY(
import json, os, sys
from alembic.config import Config
from alembic.script import ScriptDirectory

def downs(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)

script = ScriptDirectory.from_config(Config(sys.argv[1]))
revisions = list(script.walk_revisions())
revisions.reverse()
print("pgparity-json: " + json.dumps({
    "dir": os.path.abspath(script.dir),
    "heads": sorted(script.get_heads()),
    "revisions": [{"revision": r.revision, "down_revision": downs(r.down_revision),
                   "path": os.path.abspath(r.path), "doc": (r.doc or "").splitlines()[0:1]}
                  for r in revisions]}))
)PY";

// `python -m alembic`, except that an exception escaping Alembic ends with two marker lines: the
// deepest traceback frame inside the script directory (a revision or env.py) and the message.
constexpr const char* k_runner = R"PY(
import os, sys, traceback
from alembic.config import main
script_dir = os.path.abspath(sys.argv[1])
try:
    main(argv=sys.argv[2:], prog="alembic")
except Exception as e:
    traceback.print_exc()
    where = None
    for frame in traceback.extract_tb(e.__traceback__):
        if os.path.abspath(frame.filename).startswith(script_dir + os.sep):
            where = frame
    if where is not None:
        print("pgparity-where: %s:%d" % (os.path.abspath(where.filename), where.lineno))
    message = (str(e).strip().splitlines() or [type(e).__name__])[0]
    print("pgparity-error: %s: %s" % (type(e).__name__, message))
    sys.exit(1)
)PY";

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `command` through /bin/sh, returning its exit status and combined output.
std::pair<int, std::string> capture(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  std::string output;
  std::array<char, 4096> buffer{};
  while (const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    output.append(buffer.data(), got);
  }
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// The text after `marker` on its line in `output`, "" when absent.
std::string marked(const std::string& output, const std::string& marker) {
  const auto at = output.rfind(marker);
  if (at == std::string::npos) return "";
  const auto from = at + marker.size();
  return output.substr(from, output.find('\n', from) - from);
}

std::string indented(const std::string& output) {
  std::string out;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) out += "\n  | " + line;
  return out;
}

std::string python_command(const migrations_config& config, const char* script) {
  return fmt::format("cd {} && {} -c {}", shell_quote(config.cwd), shell_quote(config.python),
                     shell_quote(script));
}

// Fails with what Alembic said when it could not read the revisions: a missing interpreter or
// Alembic is the machine's fault (3), anything else the project's (2).
[[noreturn]] void reading_failed(const migrations_config& config, int status,
                                 const std::string& output) {
  const std::string ini = *config.alembic;
  if (status == 127) {
    throw environment_error(fmt::format(
        "{}: cannot run the Python interpreter `{}`; set migrations.python in pgparity.yaml to "
        "one that has Alembic (e.g. /usr/bin/python3 or .venv/bin/python)",
        ini, config.python));
  }
  if (output.find("No module named 'alembic'") != std::string::npos) {
    throw environment_error(fmt::format(
        "{}: `{}` has no Alembic; install it there (pip install alembic, or apt-get install "
        "python3-alembic) or set migrations.python to an interpreter that has it; its output:{}",
        ini, config.python, indented(output)));
  }
  throw input_error(fmt::format(
      "{}: Alembic cannot read the revisions; fix the revision files or alembic.ini; its "
      "output:{}",
      ini, indented(output)));
}

migration_step step_of(const YAML::Node& revision) {
  migration_step step;
  step.version = revision["revision"].as<std::string>();
  const YAML::Node doc = revision["doc"];
  step.name = doc.size() > 0 ? doc[0].as<std::string>() : "";
  step.up_file = revision["path"].as<std::string>();
  step.down_file = step.up_file;  // downgrade() sits beside upgrade()
  return step;
}

// The template cache key: alembic.ini, env.py and every revision file, names and contents.
std::string content_hash(const migration_set& set) {
  std::string all = "pgparity-alembic-1\n" + set.python + "\n";
  std::vector<std::string> files = {set.alembic_ini, (fs::path(set.dir) / "env.py").string()};
  for (const auto& step : set.steps) files.push_back(step.up_file);
  for (const auto& file : files) {
    const std::string bytes = read_file(file);
    all += fmt::format("{}\n{}\n", file, bytes.size()) + bytes;
  }
  return sha256_hex(all).substr(0, 32);
}

// Alembic's error as one message: the revision's file and the traceback's line when it has
// one, what went wrong, and Alembic's output below.
[[noreturn]] void alembic_failed(const migration_set& set, const migration_step& step,
                                 const std::string& action, const std::string& command,
                                 const environment_error& e) {
  std::string message = e.what();
  const std::string where = marked(message, "| pgparity-where: ");
  const std::string what = marked(message, "| pgparity-error: ");
  if (what.empty()) {
    // A timeout, or a failure outside Python: already worded, but naming our helper script.
    const auto at = message.find(command);
    const std::string shown =
        fmt::format("{} -m alembic -c {} {}", set.python, set.alembic_ini, action);
    if (at != std::string::npos) message.replace(at, command.size(), shown);
    throw environment_error(message);
  }
  std::string output;
  const auto tail = message.find("its last output:");
  if (tail != std::string::npos) {
    std::istringstream lines(message.substr(tail + 16));
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("  | pgparity-", 0) != 0 && !line.empty()) output += "\n" + line;
    }
  }
  // One run may apply several revisions (`upgrade heads`): the traceback's file says which.
  std::string revision = step.version;
  for (const auto& candidate : set.steps) {
    if (where.rfind(candidate.up_file + ":", 0) == 0) revision = candidate.version;
  }
  throw environment_error(fmt::format(
      "{}: `alembic {}` failed: {}; nothing after it was applied; fix revision {}; Alembic's "
      "last output:{}",
      where.empty() ? step.up_file : where, action, what, revision, output));
}

void run_alembic(const migration_set& set, const migration_step& step, const std::string& action,
                 const connection_info& db, double max_seconds, double budget = 0) {
  const std::string command =
      fmt::format("{} -c {} {} -c {} {}", shell_quote(set.python), shell_quote(k_runner),
                  shell_quote(set.dir), shell_quote(set.alembic_ini), action);
  try {
    run_migration_command(command, set.cwd, db, max_seconds);
  } catch (const environment_error& e) {
    // Killed for the budget: name the whole budget, not what was left of it for this revision.
    if (budget > 0 && std::string(e.what()).find("was still running after") != std::string::npos) {
      throw environment_error(fmt::format(
          "{}: `alembic {}` was still running when the migrations.max_seconds budget of {} s "
          "ran out and was killed; nothing after it was applied; raise migrations.max_seconds in "
          "pgparity.yaml or make the revisions faster",
          step.up_file, action, budget));
    }
    alembic_failed(set, step, action, command, e);
  }
}

// The migration set of the reader helper's JSON line.
migration_set alembic_set(const migrations_config& config, const std::string& json) {
  YAML::Node root;
  try {
    root = YAML::Load(json);
  } catch (const YAML::Exception& e) {
    throw environment_error(
        fmt::format("{}: cannot read the revisions pgparity's helper listed "
                    "({}); please report this with the alembic.ini",
                    *config.alembic, e.what()));
  }
  migration_set set;
  set.layout = migration_layout::alembic;
  set.dir = root["dir"].as<std::string>();
  set.alembic_ini = *config.alembic;
  set.python = config.python;
  set.cwd = config.cwd;
  for (const auto& head : root["heads"]) set.heads.push_back(head.as<std::string>());
  for (const auto& revision : root["revisions"]) {
    set.steps.push_back(step_of(revision));
    const YAML::Node downs = revision["down_revision"];
    set.downgrade_targets.push_back(downs.size() > 1 ? downs[0].as<std::string>()
                                                     : set.steps.back().version + "@-1");
  }
  if (set.steps.empty()) {
    throw input_error(
        fmt::format("{}: the Alembic script directory {} has no revisions; add one "
                    "with `alembic revision -m <message>`",
                    set.alembic_ini, set.dir));
  }
  set.content_hash = content_hash(set);
  return set;
}

// The revision files Alembic would find now: the *.py names in the versions folder and in each
// folder a listed revision lives in. With content_hash() (every listed file's bytes), it tells
// whether a listing read earlier still holds: a new, removed or edited revision changes it.
std::string listing_fingerprint(const migration_set& set) {
  std::set<fs::path> dirs = {fs::path(set.dir) / "versions"};
  for (const auto& step : set.steps) dirs.insert(fs::path(step.up_file).parent_path());
  std::string all = set.content_hash + "\n";
  for (const auto& dir : dirs) {
    std::set<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".py") names.insert(it->path().filename().string());
    }
    all += dir.string() + ":";
    for (const auto& name : names) all += " " + name;
    all += "\n";
  }
  return sha256_hex(all);
}

// Listing the revisions starts a Python and imports Alembic and every revision: most of an
// unchanged project's run. The listing is kept in the cache, keyed by the interpreter, the
// working directory and alembic.ini, and used while listing_fingerprint() still matches.
fs::path listing_cache_file(const migrations_config& config) {
  const std::string key =
      sha256_hex(fmt::format("pgparity-alembic-listing 1\n{}\n{}\n{}\n{}", config.python,
                             config.cwd, *config.alembic, read_file(*config.alembic)));
  return fs::path(default_cache_dir()) / "alembic" / (key.substr(0, 32) + ".listing");
}

}  // namespace

migration_set read_alembic(const migrations_config& config) {
  const fs::path cache = listing_cache_file(config);
  {
    // Entry: the fingerprint line, then the helper's JSON line.
    const std::string entry = read_file(cache);
    const auto newline = entry.find('\n');
    if (newline != std::string::npos) {
      try {
        migration_set set = alembic_set(config, entry.substr(newline + 1));
        if (listing_fingerprint(set) == entry.substr(0, newline)) return set;
      } catch (const std::exception&) {
        // A damaged entry: list again.
      }
    }
  }
  const auto [status, output] =
      capture(python_command(config, k_reader) + " " + shell_quote(*config.alembic));
  const std::string json = marked(output, "pgparity-json: ");
  if (status != 0 || json.empty()) reading_failed(config, status, output);
  migration_set set = alembic_set(config, json);
  std::error_code ec;
  fs::create_directories(cache.parent_path(), ec);
  try {
    if (!ec)
      cluster_detail::write_file_atomically(cache.string(), listing_fingerprint(set) + "\n" + json);
  } catch (const std::exception&) {
    // Not kept: the next run lists again.
  }
  return set;
}

std::optional<migration_set> read_configured_migrations(const migrations_config& config) {
  if (config.dir) return read_migrations(config);
  if (config.alembic) return read_alembic(config);
  return std::nullopt;
}

namespace migrate_detail {

std::vector<step_timing> alembic_up(const migration_set& set, const connection_info& db,
                                    double max_seconds, const std::string& config_file) {
  std::vector<step_timing> timings;
  const auto started = steady::now();
  for (const auto& step : set.steps) {
    double left = 0;  // unlimited
    if (max_seconds > 0) {
      left = max_seconds - std::chrono::duration<double>(steady::now() - started).count();
      if (left <= 0) {
        throw environment_error(fmt::format(
            "{}: revision {} was not applied: the migrations.max_seconds budget of {} s ran out "
            "before it; raise migrations.max_seconds in {} or make the revisions faster",
            step.up_file, step.version, max_seconds, config_file));
      }
    }
    const auto step_started = steady::now();
    run_alembic(set, step, "upgrade " + step.version, db, left, max_seconds);
    timings.push_back({step.version, step.name, steady::now() - step_started});
  }
  return timings;
}

std::vector<step_timing> alembic_all_up(const migration_set& set, const connection_info& db,
                                        double max_seconds) {
  if (set.steps.empty()) return {};
  // A prefix of the base-first order holding every head holds every revision (their ancestors).
  bool whole_history = !set.heads.empty();
  for (const auto& head : set.heads) {
    whole_history = whole_history && std::any_of(set.steps.begin(), set.steps.end(),
                                                 [&](const auto& s) { return s.version == head; });
  }
  if (!whole_history) return alembic_up(set, db, max_seconds, "pgparity.yaml");
  const auto started = steady::now();
  run_alembic(set, set.steps.back(), "upgrade heads", db, max_seconds, max_seconds);
  return {{"heads", "every revision", steady::now() - started}};
}

void alembic_step(const migration_set& set, std::size_t index, bool up, const connection_info& db) {
  const migration_step& step = set.steps.at(index);
  // `<rev>@-1` undoes this revision only, also when another branch is applied beside it.
  run_alembic(set, step,
              up ? "upgrade " + step.version : "downgrade " + set.downgrade_targets.at(index), db,
              0);
}

void alembic_down(const migration_set& set, const connection_info& db, std::size_t count) {
  if (count == 0) return;
  const std::size_t keep = set.steps.size() - count;
  const std::string target = keep == 0 ? "base" : set.steps[keep - 1].version;
  run_alembic(set, set.steps[keep], "downgrade " + target, db, 0);
}

}  // namespace migrate_detail

}  // namespace pgparity
