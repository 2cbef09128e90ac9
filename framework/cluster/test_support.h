// Helpers shared by the cluster tests: looking at processes and files from the outside.
#pragma once

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace pgparity::test {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline bool path_exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

// Live (non-zombie) processes that belong to the run directory `run_dir`: the postmaster names
// it on its command line, and every server process works in <run_dir>/data.
inline std::vector<pid_t> processes_of(const std::string& run_dir) {
  std::vector<pid_t> out;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return out;
  while (const dirent* entry = readdir(proc)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid <= 1) continue;
    const std::string base = "/proc/" + std::to_string(pid);
    const std::string stat = slurp(base + "/stat");
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] == 'Z') {
      continue;
    }
    std::string cmdline = slurp(base + "/cmdline");
    for (auto& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    char cwd[4096];
    const ssize_t n = readlink((base + "/cwd").c_str(), cwd, sizeof cwd - 1);
    const std::string work = n > 0 ? std::string(cwd, static_cast<std::size_t>(n)) : "";
    if (cmdline.find(run_dir + "/data") != std::string::npos || work == run_dir + "/data") {
      out.push_back(pid);
    }
  }
  closedir(proc);
  return out;
}

// Polls `done` for up to `seconds`.
template <typename F>
bool eventually(F done, int seconds = 15) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// A run directory as start_disposable() makes them: short, in tmpfs or /tmp.
inline bool is_run_dir(const std::string& path) {
  const bool in_base =
      path.rfind("/dev/shm/pgparity.", 0) == 0 || path.rfind("/tmp/pgparity.", 0) == 0;
  return in_base && path.size() - path.rfind('.') == 7;
}

inline pid_t postmaster_pid(const std::string& run_dir) {
  return static_cast<pid_t>(std::atoi(slurp(run_dir + "/data/postmaster.pid").c_str()));
}

}  // namespace pgparity::test
