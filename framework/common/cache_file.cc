#include "common/cache_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "common/sha256.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

// Keeps the newest entries of one kind (extension); a failure here only leaves more files behind.
void prune(const fs::path& dir, const fs::path& extension, std::size_t keep) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != extension) continue;
    entries.emplace_back(fs::last_write_time(it->path(), ec), it->path());
  }
  if (entries.size() <= keep) return;
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = keep; i < entries.size(); ++i) fs::remove(entries[i].second, ec);
}

}  // namespace

std::string read_cache_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool store_cache_file(const std::string& dir, const std::string& file, const std::string& text,
                      std::size_t keep) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return false;
  const fs::path path = fs::path(dir) / file;
  const fs::path temporary = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      out.close();
      fs::remove(temporary, ec);
      return false;
    }
  }
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return false;
  }
  prune(dir, path.extension(), keep);
  return true;
}

std::string sealed_cache_text(const std::string& header, const std::string& body) {
  return header + sha256_hex(body) + "\n" + body;
}

std::optional<std::string_view> sealed_cache_body(std::string_view text,
                                                  const std::string& header) {
  constexpr std::size_t hash_size = 64;
  if (text.size() < header.size() + hash_size + 1 || text.substr(0, header.size()) != header ||
      text[header.size() + hash_size] != '\n') {
    return std::nullopt;
  }
  const std::string_view body = text.substr(header.size() + hash_size + 1);
  if (sha256_hex(body) != text.substr(header.size(), hash_size)) return std::nullopt;
  return body;
}

std::string file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  return std::to_string(st.st_dev) + " " + std::to_string(st.st_ino) + " " +
         std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

std::string executable_identity() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const std::string identity = file_identity(self.string());
  return identity.empty() ? "" : self.string() + " " + identity;
}

}  // namespace pgparity
