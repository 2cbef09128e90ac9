// File-system helpers for run directories and cached data directories.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace pgparity::cluster_detail {

// An entry of getdents64(2), read with syscall(): directory walks without malloc (guardian).
struct linux_dirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[1];
};

struct file_owner {
  uid_t uid;
  gid_t gid;
};

// Copies a directory tree (regular files, directories, symlinks) keeping permission bits. Files
// get `owner` when given (we are root), else the owner of the source when we are root, else ours.
// Throws environment_error naming the path that failed.
void copy_tree(const std::string& from, const std::string& to,
               const std::optional<file_owner>& owner = std::nullopt);

// Removes a tree. Uses only system calls (no malloc), so the guardian and signal handlers may
// call it. Returns false when something could not be removed.
bool remove_tree(const char* path);

// Writes `content` to `path` through a temporary file and rename(2): readers never see half.
void write_file_atomically(const std::string& path, const std::string& content);

std::string read_file(const std::string& path);

// 16 lowercase hex digits from the kernel's random source.
std::string random_hex16();

// The suffix of a folder being copied into the cache before its rename into place:
// ".tmp.<pid>.<process start time>.<random>", so that a later run can tell when its owner is
// gone (killed while copying) and remove it: see clean_stale_staging().
std::string staging_suffix();

// Removes the `<name>.tmp.<pid>.<start>.<random>` entries of `dir` whose owner process is gone
// (no process `pid`, or one started at another time), and `<name>.tmp.<random>` entries (made
// before owners were recorded) older than an hour; with `older_than`, also any entry not
// modified for that many seconds. Returns how many it removed, and their paths in
// `removed_paths` when given.
int clean_stale_staging(const std::string& dir, std::vector<std::string>* removed_paths = nullptr,
                        std::optional<long long> older_than = std::nullopt);

}  // namespace pgparity::cluster_detail
