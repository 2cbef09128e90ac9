// clean_stale_runs(): what a run killed with SIGKILL (and its guardian with it) left behind.
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "cluster/files.h"
#include "cluster/guardian.h"
#include "cluster/process.h"
#include "cluster/run_dir.h"
#include "cluster/server.h"
#include "cluster/shared_memory.h"

namespace pgparity {

namespace {

// One line of an owner file: "<role> <pid> <start time>" or "detached <deadline> <state file>".
struct owner_record {
  bool found = false;
  long long number = 0;  // pid, or the deadline (seconds since the epoch)
  std::string rest;      // start time, or the state file (may hold spaces)
};

owner_record find_record(const std::string& owner_file, const std::string& role) {
  std::istringstream in(owner_file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string word;
    owner_record record;
    if (!(fields >> word) || word != role || !(fields >> record.number)) continue;
    fields >> std::ws;
    std::getline(fields, record.rest);
    record.found = true;
    return record;
  }
  return {};
}

// True when the process recorded as `role pid start` in an owner file still runs.
bool recorded_alive(const std::string& owner_file, const std::string& role, bool& found) {
  const owner_record record = find_record(owner_file, role);
  found = record.found;
  if (!found) return false;
  unsigned long long start = 0;
  try {
    start = std::stoull(record.rest);
  } catch (const std::exception&) {
    return false;
  }
  const auto pid = static_cast<pid_t>(record.number);
  const auto actual = cluster_detail::process_start_time(pid);
  return actual && *actual == start && cluster_detail::process_alive_raw(pid);
}

// A detached server (`pgparity up`) whose guardian was killed still has a user while its state
// file exists and its lifetime has not run out: stop_detached() (`pgparity down`) stops it.
bool detached_and_wanted(const std::string& owner_file) {
  const owner_record record = find_record(owner_file, "detached");
  return record.found && !record.rest.empty() &&
         static_cast<long long>(std::time(nullptr)) < record.number &&
         access(record.rest.c_str(), F_OK) == 0;
}

// A run killed between mkdtemp() and writing its owner file (microseconds) leaves a directory
// holding nothing, or only the half-written `owner.tmp`. Ten seconds on, no live run is still
// between those two steps.
bool abandoned_before_owner(const std::string& dir, const struct stat& st) {
  if (std::time(nullptr) - st.st_mtime < 10) return false;
  DIR* listing = opendir(dir.c_str());
  if (listing == nullptr) return false;
  bool only_owner_tmp = true;
  while (const dirent* entry = readdir(listing)) {
    const std::string name = entry->d_name;
    if (name != "." && name != ".." && name != "owner.tmp") only_owner_tmp = false;
  }
  closedir(listing);
  return only_owner_tmp;
}

}  // namespace

int clean_stale_runs(std::vector<std::string>* removed_paths) {
  std::vector<std::string> candidates;
  for (const auto& base : cluster_detail::run_bases()) {
    DIR* dir = opendir(base.c_str());
    if (dir == nullptr) continue;
    while (const dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name.rfind("pgparity.", 0) == 0 && name.size() == 15) {
        candidates.push_back(base + "/" + name);
      }
    }
    closedir(dir);
  }
  int removed = 0;
  for (const auto& dir : candidates) {
    struct stat st {};
    if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    const std::string owner = cluster_detail::read_file(dir + "/owner");
    if (owner.empty() && abandoned_before_owner(dir, st) &&
        cluster_detail::remove_tree(dir.c_str())) {
      ++removed;
      if (removed_paths != nullptr) removed_paths->push_back(dir);
      continue;
    }
    if (owner.rfind("pgparity-run ", 0) != 0) continue;  // not ours (or still being made)
    // Another PID namespace's run (a container sharing this folder): its pids mean nothing here.
    const owner_record ns = find_record(owner, "pidns");
    if (ns.found && static_cast<unsigned long long>(ns.number) != cluster_detail::pid_namespace()) {
      continue;
    }
    bool has_owner = false;
    bool has_guardian = false;
    if (recorded_alive(owner, "owner", has_owner) || !has_owner) continue;
    // A live guardian is cleaning up, or watches a detached server: never ours to touch.
    if (recorded_alive(owner, "guardian", has_guardian)) continue;
    if (detached_and_wanted(owner)) continue;
    const std::string data_dir = dir + "/data";
    cluster_detail::stop_postmaster_of(data_dir.c_str());
    cluster_detail::reap_processes_and_shared_memory(data_dir.c_str());
    if (!cluster_detail::remove_tree(dir.c_str())) continue;
    ++removed;
    if (removed_paths != nullptr) removed_paths->push_back(dir);
  }
  return removed;
}

}  // namespace pgparity
