#include "engine/lifecycle_cache.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "cluster/files.h"
#include "cluster/server.h"
#include "common/cache_file.h"
#include "common/sha256.h"
#include "engine/kinds.h"

namespace pgparity::engine {
namespace {

namespace fs = std::filesystem;

// Bump whenever what a lifecycle target does changes in a way the executable's identity would
// not show (it always does: the key holds it).
constexpr const char* k_format = "pgparity-lifecycle 1";

fs::path entry_path(const std::string& key) {
  return fs::path(default_cache_dir()) / "lifecycle" / (key + ".passed");
}

}  // namespace

std::string lifecycle_cache_key(const target& t, const audit_context& ctx) {
  // Known without a server (prepare_from_caches()): a remembered pass starts none.
  if (ctx.fresh || !ctx.migrations || ctx.cacheable_server_version.empty()) return "";
  const std::string self = executable_identity();
  if (self.empty()) return "";
  const migrations_config& m = ctx.config.migrations;
  // The role the migrations run as too: a pass as the superuser says nothing of `role: owner`.
  return sha256_hex(fmt::format("{}\n{}\n{}\n{}\n{} {} {} {} {}\n{}", k_format,
                                ctx.migrations->content_hash, ctx.cacheable_server_version, self,
                                m.max_seconds, m.downs, m.session_sql, m.cwd, m.role,
                                t.test_name()))
      .substr(0, 32);
}

std::optional<outcome> cached_lifecycle_outcome(const std::string& key) {
  const fs::path file = entry_path(key);
  std::error_code ec;
  if (key.empty() || !fs::is_regular_file(file, ec)) return std::nullopt;
  const std::string text = cluster_detail::read_file(file.string());
  const std::string header = std::string(k_format) + "\n";
  if (text.compare(0, header.size(), header) != 0) return std::nullopt;
  outcome o;
  o.note =
      "[ CACHED   ] passed on an earlier run with the same migration files, server and pgparity "
      "(`pgparity test --fresh` runs it again)";
  if (text.size() > header.size()) o.note += "\n" + text.substr(header.size());
  return o;
}

void remember_lifecycle_outcome(const std::string& key, const outcome& o) {
  if (key.empty() || !o.found.empty() || !o.skipped.empty() || !o.skipped_parts.empty()) return;
  const fs::path file = entry_path(key);
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return;
  try {
    cluster_detail::write_file_atomically(file.string(), std::string(k_format) + "\n" + o.note);
  } catch (const std::exception&) {
    // Not remembered: the next run runs it again.
  }
}

}  // namespace pgparity::engine
