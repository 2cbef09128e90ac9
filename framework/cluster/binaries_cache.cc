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

#include "common/cache_file.h"
#include "common/field_io.h"
#include "common/sha256.h"

namespace pgparity::cluster_detail {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_format = "pgparity-binaries 2";

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

// One field list for both directions (common/field_io.h); `identity` is the postgres binary's.
template <typename V, typename B, typename S>
void entry_fields(V& v, B& b, S& identity) {
  v(b.bindir), v(b.version), v(b.major_version), v(identity);
}

std::string postgres_identity(const server_binaries& b) {
  return file_identity((fs::path(b.bindir) / "postgres").string());
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
  field_reader r(*body);
  server_binaries found;
  std::string identity;
  entry_fields(r, found, identity);
  if (!r.ok() || found.bindir.empty() || identity.empty() || identity != postgres_identity(found) ||
      access((fs::path(found.bindir) / "initdb").c_str(), X_OK) != 0) {
    return std::nullopt;
  }
  return found;
}

void binaries_cache::store(const server_binaries& found) const {
  if (dir_.empty()) return;
  field_writer w;
  std::string identity = postgres_identity(found);
  entry_fields(w, found, identity);
  store_cache_file(dir_, file_, sealed_cache_text(std::string(k_format) + "\n", w.out), 8);
}

}  // namespace pgparity::cluster_detail
