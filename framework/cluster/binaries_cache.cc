// Finding the server programs asks two programs every run: `pg_config --bindir` (on Debian a
// shell wrapper that lists the installed versions) and `postgres --version`, about 25 ms of a
// 120 ms warm run. Their answer is remembered on disk under a key of everything it depends on
// that can change between runs: PGPARITY_PG_BIN, PATH, the identity (device, inode, size,
// modification time) of every pg_config on PATH, of /usr/lib/postgresql and of each version's
// bin folder there (a server package installed or removed changes one of them). A stored answer
// is used only while its postgres binary still has the identity it had (an upgrade replaces it).
#include "cluster/binaries_cache.h"

#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "common/cache_file.h"
#include "common/sha256.h"

namespace pgparity::cluster_detail {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_format = "pgparity-binaries 1";

std::string key_text(const std::string& pg_bin_env, const std::string& path_env) {
  std::string key = std::string(k_format) + "\nPGPARITY_PG_BIN=" + pg_bin_env + "\n";
  if (!pg_bin_env.empty()) return key;  // the explicit choice is the only place looked at
  key += "PATH=" + path_env + "\n";
  std::size_t start = 0;
  while (start <= path_env.size()) {
    const std::size_t end = std::min(path_env.find(':', start), path_env.size());
    const std::string pg_config = path_env.substr(start, end - start) + "/pg_config";
    start = end + 1;
    key += pg_config + " " + file_identity(pg_config) + "\n";
  }
  key += "/usr/lib/postgresql " + file_identity("/usr/lib/postgresql") + "\n";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string bin = (entry.path() / "bin").string();
    key += bin + " " + file_identity(bin) + "\n";
  }
  return key;
}

std::string entry_file(const std::string& key) {
  return sha256_hex(key).substr(0, 32) + ".binaries";
}

}  // namespace

binaries_cache::binaries_cache(std::string dir, const std::string& pg_bin_env,
                               const std::string& path_env)
    : dir_(std::move(dir)), file_(entry_file(key_text(pg_bin_env, path_env))) {}

std::optional<server_binaries> binaries_cache::read() const {
  if (dir_.empty()) return std::nullopt;
  const std::string text = read_cache_file((fs::path(dir_) / file_).string());
  const auto body = sealed_cache_body(text, std::string(k_format) + "\n");
  if (!body) return std::nullopt;
  std::istringstream in{std::string(*body)};
  server_binaries found;
  std::string identity;
  if (!std::getline(in, found.bindir) || !std::getline(in, found.version) ||
      !(in >> found.major_version) || !in.ignore(1) || !std::getline(in, identity)) {
    return std::nullopt;
  }
  if (found.bindir.empty() || identity.empty() ||
      identity != file_identity((fs::path(found.bindir) / "postgres").string()) ||
      access((fs::path(found.bindir) / "initdb").c_str(), X_OK) != 0) {
    return std::nullopt;
  }
  return found;
}

void binaries_cache::store(const server_binaries& found) const {
  if (dir_.empty()) return;
  const std::string body = found.bindir + "\n" + found.version + "\n" +
                           std::to_string(found.major_version) + "\n" +
                           file_identity((fs::path(found.bindir) / "postgres").string()) + "\n";
  store_cache_file(dir_, file_, sealed_cache_text(std::string(k_format) + "\n", body), 8);
}

}  // namespace pgparity::cluster_detail
