// Files of the on-disk caches (canonical forms, catalog snapshots, parsed manifests): written
// whole or not at all, checked by a hash of their body when read, pruned to the newest few.
// A cache that cannot be read or written is never an error: the caller computes instead.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pgparity {

// The bytes of `path`, or "" when it cannot be read.
std::string read_cache_file(const std::string& path);

// Writes `text` to `file` in `dir` (created when missing) through a private temporary name and
// a rename, so a reader sees a whole file or none and two runs storing the same entry both
// succeed; the temporary file is removed on failure. Then keeps the newest `keep` files of
// `dir` with `file`'s extension. False when the entry could not be written.
bool store_cache_file(const std::string& dir, const std::string& file, const std::string& text,
                      std::size_t keep);

// `header` (one line, newline included), the SHA-256 of `body` on a line, then `body`.
std::string sealed_cache_text(const std::string& header, const std::string& body);
// The body of a sealed_cache_text() whose header is exactly `header` and whose body still has
// its hash; nullopt for anything else (another entry, truncated, damaged in any byte).
std::optional<std::string_view> sealed_cache_body(std::string_view text, const std::string& header);

// "device inode size mtime" of the file at `path` (following links), which a replaced or
// rewritten file changes; "" when it does not exist.
std::string file_identity(const std::string& path);

// The running pgparity executable (its path and file_identity()), for cache keys whose
// entries a rebuilt or reinstalled pgparity must not read; "" when it cannot be told.
std::string executable_identity();

}  // namespace pgparity
