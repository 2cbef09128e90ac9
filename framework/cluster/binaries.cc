// Where the PostgreSQL server programs are, and where initdb results are cached.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>

#include "cluster/binaries_cache.h"
#include "cluster/process.h"
#include "cluster/server.h"
#include "common/error.h"

namespace pgparity {

namespace fs = std::filesystem;

namespace {

bool is_executable(const fs::path& path) { return access(path.c_str(), X_OK) == 0; }

bool has_server(const std::string& bindir) {
  return !bindir.empty() && is_executable(fs::path(bindir) / "initdb") &&
         is_executable(fs::path(bindir) / "postgres");
}

// "postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)" -> 15.20; "17beta1" -> 17beta1.
bool read_version(const std::string& bindir, server_binaries& out) {
  std::string output;
  if (cluster_detail::run_capture({(fs::path(bindir) / "postgres").string(), "--version"},
                                  output) != 0) {
    return false;
  }
  static const std::regex pattern(R"(\(PostgreSQL\) ((\d+)[^\s]*))");
  std::smatch match;
  if (!std::regex_search(output, match, pattern)) return false;
  out.bindir = bindir;
  out.version = match[1];
  out.major_version = std::stoi(match[2]);
  return true;
}

// Where pg_config is looked for when PATH is not set.
constexpr const char* default_search_path = "/usr/local/bin:/usr/bin:/bin";

std::string pg_config_bindir() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : default_search_path;
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const fs::path pg_config = fs::path(dirs.substr(start, end - start)) / "pg_config";
    start = end + 1;
    if (pg_config.parent_path().empty() || !is_executable(pg_config)) continue;
    std::string output;
    if (cluster_detail::run_capture({pg_config.string(), "--bindir"}, output) != 0) continue;
    while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
    return output;
  }
  return {};
}

// /usr/lib/postgresql/<major>/bin, newest major first.
std::vector<std::string> debian_bindirs() {
  std::vector<std::pair<int, std::string>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    found.emplace_back(std::stoi(name), (entry.path() / "bin").string());
  }
  std::sort(found.rbegin(), found.rend());
  std::vector<std::string> out;
  for (auto& [major, dir] : found) out.push_back(dir);
  return out;
}

[[noreturn]] void no_binaries(const std::vector<std::string>& looked) {
  std::string where;
  for (const auto& dir : looked) where += (where.empty() ? "" : ", ") + dir;
  throw environment_error("no PostgreSQL server binaries found (looked in " + where +
                          "); install them: apt-get install postgresql-15 (or set "
                          "PGPARITY_PG_BIN to the directory holding initdb and postgres)");
}

}  // namespace

static server_binaries find_server_binaries_uncached() {
  std::vector<std::string> looked;
  server_binaries result;
  if (const char* env = std::getenv("PGPARITY_PG_BIN"); env != nullptr && *env != '\0') {
    // An explicit choice is never silently replaced by another installation.
    if (has_server(env) && read_version(env, result)) return result;
    no_binaries({std::string("PGPARITY_PG_BIN=") + env});
  }
  // On Debian pg_config belongs to the client package (/usr/bin): use it only when the server
  // programs are really there.
  if (const std::string dir = pg_config_bindir(); !dir.empty()) {
    looked.push_back(dir + " (pg_config --bindir)");
    if (has_server(dir) && read_version(dir, result)) return result;
  }
  for (const auto& dir : debian_bindirs()) {
    looked.push_back(dir);
    if (has_server(dir) && read_version(dir, result)) return result;
  }
  if (looked.empty() || looked.back().rfind("/usr/lib/postgresql", 0) != 0) {
    looked.push_back("/usr/lib/postgresql/*/bin");
  }
  no_binaries(looked);
}

// Looking costs a few exec()s; every disposable start asks, so remember the answer per
// PGPARITY_PG_BIN value, and on disk between runs (binaries_cache.h). Failures are not
// remembered: the user may install the server.
server_binaries find_server_binaries() {
  static std::mutex mutex;
  static std::map<std::string, server_binaries> found;
  const char* env = std::getenv("PGPARITY_PG_BIN");
  const std::string key = env != nullptr ? env : "";
  std::lock_guard<std::mutex> lock(mutex);
  if (const auto hit = found.find(key); hit != found.end()) return hit->second;
  const char* path = std::getenv("PATH");
  const cluster_detail::binaries_cache disk((fs::path(default_cache_dir()) / "binaries").string(),
                                            key, path != nullptr ? path : default_search_path);
  std::optional<server_binaries> result = disk.read();
  if (!result) {
    result = find_server_binaries_uncached();
    disk.store(*result);
  }
  found.emplace(key, *result);
  return *result;
}

std::string default_cache_dir() {
  if (const char* env = std::getenv("PGPARITY_CACHE_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  if (geteuid() == 0) return "/var/tmp/pgparity-cache";
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return std::string(xdg) + "/pgparity";
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    const passwd* pw = getpwuid(geteuid());
    home = pw != nullptr ? pw->pw_dir : "/tmp";
  }
  return std::string(home) + "/.cache/pgparity";
}

}  // namespace pgparity
