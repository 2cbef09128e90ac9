#include "cluster/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <random>
#include <vector>

#include "cluster/process.h"
#include "common/error.h"

namespace pgparity::cluster_detail {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw environment_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

class fd_guard {
 public:
  explicit fd_guard(int fd) : fd_(fd) {}
  ~fd_guard() {
    if (fd_ >= 0) close(fd_);
  }
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void copy_contents(int in, int out, off_t size, const std::string& to) {
  off_t done = 0;
  while (done < size) {
    const ssize_t n = sendfile(out, in, nullptr, static_cast<std::size_t>(size - done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write", to);
    if (n == 0) break;  // the file shrank under us
    done += n;
  }
}

void set_owner(const std::string& path, const struct stat& source,
               const std::optional<file_owner>& owner) {
  if (geteuid() != 0) return;
  const uid_t uid = owner ? owner->uid : source.st_uid;
  const gid_t gid = owner ? owner->gid : source.st_gid;
  if (lchown(path.c_str(), uid, gid) != 0) fail("change the owner of", path);
}

void copy_entry(const std::string& from, const std::string& to,
                const std::optional<file_owner>& owner) {
  struct stat st {};
  if (lstat(from.c_str(), &st) != 0) fail("read", from);
  if (S_ISDIR(st.st_mode)) {
    if (mkdir(to.c_str(), 0700) != 0) fail("create directory", to);
    DIR* dir = opendir(from.c_str());
    if (dir == nullptr) fail("read directory", from);
    std::vector<std::string> names;
    while (const dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
    for (const auto& name : names) copy_entry(from + "/" + name, to + "/" + name, owner);
    if (chmod(to.c_str(), st.st_mode & 07777) != 0) fail("set permissions of", to);
    set_owner(to, st, owner);
  } else if (S_ISREG(st.st_mode)) {
    fd_guard in(open(from.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) fail("read", from);
    fd_guard out(open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (out.get() < 0) fail("create", to);
    copy_contents(in.get(), out.get(), st.st_size, to);
    if (fchmod(out.get(), st.st_mode & 07777) != 0) fail("set permissions of", to);
    set_owner(to, st, owner);
  } else if (S_ISLNK(st.st_mode)) {
    std::vector<char> target(static_cast<std::size_t>(st.st_size) + 1, '\0');
    const ssize_t n = readlink(from.c_str(), target.data(), target.size() - 1);
    if (n < 0) fail("read link", from);
    if (symlink(target.data(), to.c_str()) != 0) fail("create link", to);
    set_owner(to, st, owner);
  }
  // Sockets, FIFOs and devices do not belong in a data directory: skipped.
}

// Removes everything inside the open directory `dir_fd`. System calls only.
bool remove_contents(int dir_fd, int depth) {
  if (depth > 64) return false;
  bool ok = true;
  alignas(8) char buffer[4096];
  for (;;) {
    const long n = syscall(SYS_getdents64, dir_fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ok && n == 0;
    for (long offset = 0; offset < n;) {
      const auto* entry = reinterpret_cast<const linux_dirent64*>(buffer + offset);
      offset += entry->d_reclen;
      const char* name = entry->d_name;
      if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
      // d_type may be DT_UNKNOWN on some file systems: unlinkat then says EISDIR.
      if (entry->d_type != DT_DIR) {
        if (unlinkat(dir_fd, name, 0) == 0) continue;
        if (errno != EISDIR) {
          ok = false;
          continue;
        }
      }
      const int child = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (child < 0) {
        ok = false;
        continue;
      }
      ok = remove_contents(child, depth + 1) && ok;
      close(child);
      if (unlinkat(dir_fd, name, AT_REMOVEDIR) != 0) ok = false;
    }
  }
}

}  // namespace

void copy_tree(const std::string& from, const std::string& to,
               const std::optional<file_owner>& owner) {
  copy_entry(from, to, owner);
}

bool remove_tree(const char* path) {
  const int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || (unlink(path) == 0);
  // Entries removed while reading may shift the directory offsets: repeat until empty.
  bool ok = false;
  for (int pass = 0; pass < 3 && !ok; ++pass) {
    lseek(fd, 0, SEEK_SET);
    ok = remove_contents(fd, 0);
  }
  close(fd);
  return rmdir(path) == 0 || errno == ENOENT;
}

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << content;
    if (!out.flush()) fail("write", temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("rename to", path);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string random_hex16() {
  std::random_device device;
  unsigned long long value = (static_cast<unsigned long long>(device()) << 32) ^ device();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", value);
  return text;
}

std::string staging_suffix() {
  const pid_t self = getpid();
  return ".tmp." + std::to_string(self) + "." +
         std::to_string(process_start_time(self).value_or(0)) + "." + random_hex16();
}

namespace {

// Whether the staging entry `name` (after ".tmp.") still has a live owner.
bool staging_owner_alive(const std::string& owner, const struct stat& st) {
  unsigned long pid = 0;
  unsigned long long start = 0;
  char random[32];
  if (std::sscanf(owner.c_str(), "%lu.%llu.%31s", &pid, &start, random) == 3) {
    const auto actual = process_start_time(static_cast<pid_t>(pid));
    return actual && *actual == start;
  }
  // No owner recorded: an hour is far beyond any copy still in progress.
  return std::time(nullptr) - st.st_mtime < 3600;
}

}  // namespace

int clean_stale_staging(const std::string& dir, std::vector<std::string>* removed_paths,
                        std::optional<long long> older_than) {
  DIR* listing = opendir(dir.c_str());
  if (listing == nullptr) return 0;
  std::vector<std::string> stale;
  while (const dirent* entry = readdir(listing)) {
    const std::string name = entry->d_name;
    const auto mark = name.find(".tmp.");
    if (mark == std::string::npos || mark == 0) continue;
    struct stat st {};
    const std::string path = dir + "/" + name;
    if (lstat(path.c_str(), &st) != 0 || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) continue;
    const bool too_old = older_than && std::time(nullptr) - st.st_mtime >= *older_than;
    if (too_old || !staging_owner_alive(name.substr(mark + 5), st)) stale.push_back(path);
  }
  closedir(listing);
  int removed = 0;
  for (const auto& path : stale) {
    if (!remove_tree(path.c_str())) continue;
    ++removed;
    if (removed_paths != nullptr) removed_paths->push_back(path);
  }
  return removed;
}

}  // namespace pgparity::cluster_detail
