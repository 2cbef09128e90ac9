// Reading the files a user points pgparity at (config, manifest, migrations): only regular
// files, never more than a limit, with one-line errors. A FIFO or a device (or a symlink to one)
// would otherwise hang a run or fill memory; they are refused before any byte is read.
#pragma once

#include <cstddef>
#include <string>

namespace pgparity {

// Documented in docs/config.md ("Limits").
inline constexpr std::size_t max_yaml_file_bytes = std::size_t{16} << 20;       // 16 MiB
inline constexpr std::size_t max_migration_file_bytes = std::size_t{64} << 20;  // 64 MiB

// "" when `path` is a regular file (after symlinks); else what it is, for a message:
// "does not exist", "is a folder, not a file", "is a FIFO (named pipe), not a regular file",
// "cannot be reached (permission denied)". Never throws.
std::string not_a_regular_file(const std::string& path);

// The bytes of `path`. Throws input_error "<path>: <what> ...; <what to do>" when it does not
// exist, is a folder, is not a regular file (FIFO, socket, device), cannot be read, or is larger
// than `limit` bytes.
std::string read_input_file(const std::string& path, const std::string& what, std::size_t limit);

}  // namespace pgparity
