#include "cluster/shared_memory.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "cluster/files.h"
#include "cluster/guardian.h"

namespace pgparity::cluster_detail {
namespace {

constexpr std::size_t path_max = 4096;

// PGShmemHeader (src/include/storage/pg_shmem.h, PostgreSQL 10 to 17).
struct pg_shmem_header {
  std::int32_t magic;
  pid_t creator_pid;
  std::size_t total_size;
  std::size_t free_offset;
  std::uint32_t dsm_control;
  void* index;
  dev_t device;
  ino_t inode;
};
constexpr std::int32_t pg_shmem_magic = 679834894;

// dsm_control_header and dsm_control_item (src/backend/storage/ipc/dsm.c).
struct dsm_control_item {
  std::uint32_t handle;
  std::uint32_t refcnt;
  std::size_t first_page;
  std::size_t npages;
  void* impl_private_pm_handle;
  bool pinned;
};
struct dsm_control_header {
  std::uint32_t magic;
  std::uint32_t nitems;
  std::uint32_t maxitems;
  dsm_control_item item[1];
};
constexpr std::uint32_t dsm_control_magic = 0x9a503d32;

// "<prefix><number>" into `out` (no printf after fork).
void path_with_number(char* out, const char* prefix, unsigned long long number) {
  const std::size_t length = std::strlen(prefix);
  std::memcpy(out, prefix, length);
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + number % 10);
    number /= 10;
  } while (number > 0);
  for (int i = 0; i < n; ++i) out[length + i] = digits[n - 1 - i];
  out[length + n] = '\0';
}

void unlink_posix_segment(std::uint32_t handle) {
  char path[64];
  path_with_number(path, "/dev/shm/PostgreSQL.", handle);
  unlink(path);
}

// The POSIX segments listed by the control segment `control`, then the control segment.
void remove_dynamic_segments(std::uint32_t control) {
  if (control == 0) return;
  char path[64];
  path_with_number(path, "/dev/shm/PostgreSQL.", control);
  const int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  void* map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::size_t>(st.st_size) >= offsetof(dsm_control_header, item)) {
    map = mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
  }
  close(fd);
  if (map == MAP_FAILED) return;
  const auto* header = static_cast<const dsm_control_header*>(map);
  const std::size_t room =
      (static_cast<std::size_t>(st.st_size) - offsetof(dsm_control_header, item)) /
      sizeof(dsm_control_item);
  if (header->magic == dsm_control_magic) {
    for (std::size_t i = 0; i < header->nitems && i < room; ++i) {
      const std::uint32_t handle = header->item[i].handle;
      // Odd handles live in the main shared memory region, not in a file of their own.
      if (header->item[i].refcnt > 0 && handle % 2 == 0) unlink_posix_segment(handle);
    }
    munmap(map, static_cast<std::size_t>(st.st_size));
    unlink(path);
    return;
  }
  munmap(map, static_cast<std::size_t>(st.st_size));
}

// The key and id of line 7 of postmaster.pid ("  <key>  <id>"), false when absent.
bool read_shmem_line(const char* data_dir, long& key, long& id) {
  char path[path_max];
  const std::size_t length = std::strlen(data_dir);
  if (length + 20 >= path_max) return false;
  std::memcpy(path, data_dir, length);
  std::memcpy(path + length, "/postmaster.pid", 16);
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[1024];
  const ssize_t n = read(fd, buffer, sizeof buffer - 1);
  close(fd);
  if (n <= 0) return false;
  buffer[n] = '\0';
  const char* p = buffer;
  for (int line = 1; line < 7 && *p != '\0'; ++p) {
    if (*p == '\n') ++line;
  }
  long values[2] = {0, 0};
  for (long& value : values) {
    while (*p == ' ') ++p;
    if (*p < '0' || *p > '9') return false;
    while (*p >= '0' && *p <= '9') value = value * 10 + (*p++ - '0');
  }
  key = values[0];
  id = values[1];
  return true;
}

void remove_shared_memory(const char* data_dir) {
  long key = 0;
  long id = 0;
  struct stat dir {};
  if (!read_shmem_line(data_dir, key, id) || stat(data_dir, &dir) != 0) return;
  shmid_ds info{};
  const int shmid = static_cast<int>(id);
  if (shmctl(shmid, IPC_STAT, &info) != 0 || info.shm_nattch != 0 ||
      info.shm_perm.__key != static_cast<key_t>(key) || info.shm_segsz < sizeof(pg_shmem_header)) {
    return;
  }
  void* at = shmat(shmid, nullptr, SHM_RDONLY);
  if (at == reinterpret_cast<void*>(-1)) return;
  pg_shmem_header header{};
  std::memcpy(&header, at, sizeof header);
  shmdt(at);
  // PostgreSQL's own test that the segment is this data directory's.
  if (header.magic != pg_shmem_magic || header.device != dir.st_dev || header.inode != dir.st_ino) {
    return;
  }
  remove_dynamic_segments(header.dsm_control);
  shmctl(shmid, IPC_RMID, nullptr);
}

bool cwd_is(long pid, const char* data_dir, std::size_t length) {
  char link[64];
  path_with_number(link, "/proc/", static_cast<unsigned long long>(pid));
  std::strcat(link, "/cwd");
  char cwd[path_max];
  const ssize_t n = readlink(link, cwd, sizeof cwd - 1);
  return n >= 0 && static_cast<std::size_t>(n) == length && std::memcmp(cwd, data_dir, length) == 0;
}

void kill_processes_in(const char* data_dir) {
  const std::size_t length = std::strlen(data_dir);
  const int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (proc < 0) return;
  alignas(8) char buffer[8192];
  for (;;) {
    const long n = syscall(SYS_getdents64, proc, buffer, sizeof buffer);
    if (n <= 0) break;
    for (long offset = 0; offset < n;) {
      const auto* entry = reinterpret_cast<const linux_dirent64*>(buffer + offset);
      offset += entry->d_reclen;
      long pid = 0;
      for (const char* c = entry->d_name; *c >= '0' && *c <= '9'; ++c) pid = pid * 10 + (*c - '0');
      if (pid > 1 && pid != getpid() && cwd_is(pid, data_dir, length)) {
        stop_process_raw(static_cast<pid_t>(pid), 5, false);
      }
    }
  }
  close(proc);
}

}  // namespace

void reap_processes_and_shared_memory(const char* data_dir) {
  kill_processes_in(data_dir);
  remove_shared_memory(data_dir);
}

}  // namespace pgparity::cluster_detail
