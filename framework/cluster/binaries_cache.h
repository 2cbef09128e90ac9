// The answer of the search for the server programs, remembered on disk between runs
// (binaries_cache.cc says under which key, and when a stored answer is not used).
#pragma once

#include <optional>
#include <string>

#include "cluster/server.h"

namespace pgparity::cluster_detail {

class binaries_cache {
 public:
  // `dir`: the cache folder ("" turns the cache off); the environment values as the search
  // would read them.
  binaries_cache(std::string dir, const std::string& pg_bin_env, const std::string& path_env);

  // The stored answer, when there is one for this key and its postgres is unchanged.
  std::optional<server_binaries> read() const;
  // Remembers `found` (errors ignored: the next run searches again).
  void store(const server_binaries& found) const;

 private:
  std::string dir_;
  std::string file_;
};

}  // namespace pgparity::cluster_detail
