// Parsed manifests cached on disk: an unchanged manifest (or SQLAlchemy export and overlay) is
// read back from one file instead of being parsed again (yaml-cpp: about half a second at 1,000
// models). Lives in the manifest module because only the loaders know every file a load reads;
// callers pass the cache directory (default_cache_dir(), which the cluster module names).
//
// An entry is keyed by a SHA-256 of a format version, the running executable's identity and
// the name and bytes of every file the load read, so any changed byte, path or pgparity is a
// miss. Only successful loads are stored: a bad manifest is parsed, and refused with the same
// file:line message, every time. Loading prints nothing on success today; a warning added to a
// loader must be stored in the entry and printed again on a hit.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "manifest/model_spec.h"

namespace pgparity {

struct manifest_cache_options {
  std::string dir;       // the cache root (entries go to <dir>/manifests); "" disables the cache
  bool refresh = false;  // parse again and overwrite the entry (`--fresh`)
};

// What a load reads: (name, bytes) of every input, in a fixed order. The name is what the
// parsed specs carry in their locations (a path as given), or what the bytes are.
using manifest_inputs = std::vector<std::pair<std::string, std::string>>;

// parse(), or its stored result when an intact entry for `inputs` exists; a successful parse is
// stored. A missing, truncated, damaged or old-format entry is a miss, never an error.
manifest parse_manifest_cached(const manifest_inputs& inputs, const manifest_cache_options& cache,
                               const std::function<manifest()>& parse);

// load_manifest(path) through the cache.
manifest load_manifest(const std::string& path, const manifest_cache_options& cache);

}  // namespace pgparity
