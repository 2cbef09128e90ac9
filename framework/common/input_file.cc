#include "common/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace pgparity {
namespace common_detail {
namespace {

std::string mebibytes(std::size_t bytes) {
  return std::to_string((bytes + (std::size_t{1} << 20) - 1) >> 20) + " MiB";
}

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Throws unless `st` is a regular file within `limit`.
void check_kind_and_size(const struct stat& st, const std::string& path, const std::string& what,
                         std::size_t limit) {
  if (S_ISDIR(st.st_mode)) {
    throw input_error(path + ": the " + what + " is a folder, not a file; give the file's path");
  }
  if (!S_ISREG(st.st_mode)) {
    throw input_error(path + ": the " + what + " is " + kind_of(st.st_mode) +
                      ", not a regular file; pgparity reads only regular files (a symlink must "
                      "point to one): replace it with the file itself");
  }
  if (static_cast<unsigned long long>(st.st_size) > limit) {
    throw input_error(path + ": the " + what + " is " + mebibytes(st.st_size) +
                      ", over pgparity's limit of " + mebibytes(limit) +
                      " for such files (docs/config.md, Limits); split it or check the path");
  }
}

std::string errno_reason(int err) {
  if (err == ENOENT || err == ENOTDIR) return "no such file";
  if (err == EACCES) return "permission denied";
  if (err == ELOOP) return "symbolic link loop";
  if (err == ENAMETOOLONG) return "the path is too long";
  return std::strerror(err);
}

struct fd_closer {
  int fd;
  ~fd_closer() { ::close(fd); }
};

}  // namespace
}  // namespace common_detail

std::string not_a_regular_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return "does not exist";
    return "cannot be reached (" + common_detail::errno_reason(err) + ")";
  }
  if (S_ISREG(st.st_mode)) return "";
  if (S_ISDIR(st.st_mode)) return "is a folder, not a file";
  return std::string("is ") + common_detail::kind_of(st.st_mode) + ", not a regular file";
}

std::string read_input_file(const std::string& path, const std::string& what, std::size_t limit) {
  // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    throw input_error(path + ": cannot read the " + what + " (" +
                      common_detail::errno_reason(errno) + "); check the path and its permissions");
  }
  const common_detail::fd_closer closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw input_error(path + ": cannot read the " + what + " (" + std::strerror(errno) + ")");
  }
  common_detail::check_kind_and_size(st, path, what, limit);
  std::string text;
  text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd, &text[done], text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw input_error(path + ": cannot read the " + what + " (" + std::strerror(errno) + ")");
    }
    if (n == 0) break;  // shrank while we read
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

}  // namespace pgparity
