#include "manifest/manifest_cache.h"

#include <filesystem>

#include "common/cache_file.h"
#include "common/input_file.h"
#include "common/sha256.h"
#include "manifest/load_manifest.h"
#include "manifest/manifest_io.h"

namespace pgparity {
namespace {

// Bump whenever parsing could give another result for the same bytes in a way the executable's
// identity would not show (it always does: the key holds it), or manifest_io.cc's lists change.
constexpr const char* k_format = "pgparity-manifest 1";
// Entries kept; older ones are removed when a new one is written (about 1 MB per 1,000 models).
constexpr std::size_t k_max_entries = 16;

// "" when the executable cannot be identified: then nothing is cached.
std::string key_of(const manifest_inputs& inputs) {
  const std::string self = executable_identity();
  if (self.empty()) return "";
  std::string key = std::string(k_format) + "\n" + self + "\n";
  for (const auto& [name, bytes] : inputs) {
    key += std::to_string(name.size()) + ":" + name + " " + sha256_hex(bytes) + "\n";
  }
  return sha256_hex(key).substr(0, 32);
}

}  // namespace

manifest parse_manifest_cached(const manifest_inputs& inputs, const manifest_cache_options& cache,
                               const std::function<manifest()>& parse) {
  const std::string key = cache.dir.empty() ? "" : key_of(inputs);
  if (key.empty()) return parse();
  const std::string dir = (std::filesystem::path(cache.dir) / "manifests").string();
  const std::string file = key + ".manifest";
  const std::string header = std::string(k_format) + " " + key + "\n";
  if (!cache.refresh) {
    const std::string text = read_cache_file((std::filesystem::path(dir) / file).string());
    if (const auto body = sealed_cache_body(text, header)) {
      if (auto stored = deserialize_manifest(*body)) return std::move(*stored);
    }
  }
  manifest m = parse();  // throws on a bad manifest: nothing is stored
  store_cache_file(dir, file, sealed_cache_text(header, serialize_manifest(m)), k_max_entries);
  return m;
}

manifest load_manifest(const std::string& path, const manifest_cache_options& cache) {
  const std::string text = read_input_file(path, "manifest", max_yaml_file_bytes);
  return parse_manifest_cached({{path, text}}, cache, [&] { return parse_manifest(text, path); });
}

}  // namespace pgparity
