// Running the SQLAlchemy exporter and caching its output. The cache key is the configuration,
// the interpreter and the exporter's own source; an entry is valid while every project source
// file the exporter imported still has the content it had, so an unchanged project does not
// start Python at all.
#include "manifest/model_export.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include "common/cache_file.h"
#include "common/error.h"
#include "common/input_file.h"
#include "common/sha256.h"
#include "manifest/long_names.h"
#include "manifest/manifest_cache.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

// The exporter's documented exit codes (exporters/sqlalchemy_export.py).
constexpr int user_code_failed = 3;
constexpr int no_sqlalchemy = 4;
constexpr int cannot_export = 5;
constexpr int exec_failed = 127;

std::string read_text_file(const fs::path& path) { return read_cache_file(path.string()); }

// Via a private temporary file and a rename (common/cache_file.h), so a concurrent run never
// reads half a file and a failed write leaves none; nothing pruned: every entry is kept.
void write_atomically(const fs::path& path, const std::string& text) {
  store_cache_file(path.parent_path().string(), path.filename().string(), text,
                   std::numeric_limits<std::size_t>::max());
}

std::string last_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const auto newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

// A bare interpreter name is looked up on PATH, as the shell would.
std::optional<std::string> find_interpreter(const std::string& python) {
  if (python.find('/') != std::string::npos) {
    return access(python.c_str(), X_OK) == 0 ? std::optional<std::string>(python) : std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (fs::path(dir.empty() ? "." : dir) / python).string();
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::string exporter_path(const std::string& cache_dir) {
  const std::string& source = sqlalchemy_exporter_source();
  const fs::path dir = fs::path(cache_dir) / "exporters";
  const fs::path path = dir / ("sqlalchemy_export-" + sha256_hex(source).substr(0, 16) + ".py");
  if (!fs::exists(path)) {
    fs::create_directories(dir);
    write_atomically(path, source);
  }
  return path.string();
}

struct run_result {
  int status = 0;
  std::string out, err;
};

// fork + exec with stdout and stderr into files (an export can be larger than a pipe buffer).
run_result run_exporter(const std::vector<std::string>& argv, const std::string& cwd,
                        const fs::path& scratch) {
  const fs::path out_file = scratch.string() + ".out";
  const fs::path err_file = scratch.string() + ".err";
  const pid_t pid = fork();
  if (pid < 0) throw environment_error("cannot start the SQLAlchemy exporter: fork failed");
  if (pid == 0) {
    const int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || err < 0 || chdir(cwd.c_str()) != 0) _exit(exec_failed);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(exec_failed);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  run_result r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text_file(out_file);
  r.err = read_text_file(err_file);
  std::error_code ec;
  fs::remove(out_file, ec);
  fs::remove(err_file, ec);
  return r;
}

// "<sha256> <path>" per imported file; the cache entry is valid while every line still holds.
std::string sources_of(const std::vector<std::string>& files) {
  std::string lines;
  for (const auto& file : files) lines += sha256_hex(read_text_file(file)) + " " + file + "\n";
  return lines;
}

bool sources_unchanged(const fs::path& sources) {
  std::ifstream in(sources);
  if (!in) return false;
  // No project file imported (models from an installed package): nothing tells a change, so
  // the export is not reused.
  bool any = false;
  for (std::string line; std::getline(in, line); any = true) {
    const auto space = line.find(' ');
    if (space == std::string::npos) return false;
    const std::string file = line.substr(space + 1);
    if (!fs::is_regular_file(file) || sha256_hex(read_text_file(file)) != line.substr(0, space)) {
      return false;
    }
  }
  return any;
}

std::string cache_key(const models_config& config, const std::string& python,
                      const std::string& base_dir) {
  std::string key = sqlalchemy_exporter_source() + "\n" + python + "\n" + config.sqlalchemy + "\n" +
                    base_dir + "\n";
  for (const auto& name : config.imports) key += "import " + name + "\n";
  for (const auto& dir : config.path) key += "path " + dir + "\n";
  return sha256_hex(key);
}

[[noreturn]] void exporter_failed(const run_result& r, const models_config& config,
                                  const std::string& config_file, const std::string& python) {
  const std::string at = config_file + ":" + std::to_string(config.location.line) + ":" +
                         std::to_string(config.location.column) + ": ";
  if (r.status == user_code_failed) {
    std::cerr << r.err;  // Python's own traceback, as Python shows it
    throw input_error(at + "importing the SQLAlchemy models failed: " + last_line(r.err) +
                      " (traceback above); fix that error in the application's code");
  }
  if (r.status == no_sqlalchemy || r.status == cannot_export) {
    throw input_error(at + last_line(r.err));
  }
  throw input_error(at + "the SQLAlchemy exporter failed with " + python + " (exit " +
                    std::to_string(r.status) + "): " + last_line(r.err) +
                    "; check that `python:` is a working Python 3 interpreter");
}

}  // namespace

manifest load_models(const models_config& config, const std::string& config_file,
                     const std::string& base_dir, const std::string& cache_dir, bool fresh) {
  const auto python = find_interpreter(config.python);
  if (!python) {
    throw input_error(config.python_location.str() + ": Python interpreter `" + config.python +
                      "` not found; install it (apt-get install python3 python3-sqlalchemy) or "
                      "set `models: python:` to the project's interpreter, e.g. "
                      ".venv/bin/python");
  }
  const fs::path entry = fs::path(cache_dir) / "models" / cache_key(config, *python, base_dir);
  const std::string origin = "the SQLAlchemy models (" + config.sqlalchemy + ")";
  std::optional<model_export> exported;  // read already when the exporter ran
  std::string json;
  if (sources_unchanged(entry.string() + ".sources") && fs::exists(entry.string() + ".json")) {
    json = read_text_file(entry.string() + ".json");
  } else {
    fs::create_directories(entry.parent_path());
    // -B: importing the models must not write __pycache__ into the user's repository.
    std::vector<std::string> argv{
        *python, "-B", exporter_path(cache_dir), "--target", config.sqlalchemy, "--base", base_dir};
    for (const auto& name : config.imports) argv.insert(argv.end(), {"--import", name});
    for (const auto& dir : config.path) argv.insert(argv.end(), {"--path", dir});
    run_result r = run_exporter(argv, base_dir, entry.string() + ".run" + std::to_string(getpid()));
    if (r.status != 0) exporter_failed(r, config, config_file, *python);
    exported = read_model_export(r.out, origin);
    write_atomically(entry.string() + ".json", r.out);
    write_atomically(entry.string() + ".sources", sources_of(exported->files));
    json = std::move(r.out);
  }
  // The parsed result of the export and the overlay is cached too (reading the JSON and the
  // overlay costs more than hashing them).
  manifest_inputs inputs{{origin, json}};
  if (config.overlay) {
    inputs.emplace_back(*config.overlay,
                        read_input_file(*config.overlay, "overlay", max_yaml_file_bytes));
  }
  return parse_manifest_cached(inputs, {cache_dir, fresh}, [&] {
    manifest declared =
        exported ? std::move(exported->declared) : read_model_export(json, origin).declared;
    if (config.overlay) apply_overlay(declared, inputs[1].first, inputs[1].second);
    manifest_detail::clip_long_names(declared);
    return declared;
  });
}

}  // namespace pgparity
