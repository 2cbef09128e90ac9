// SHA-256 for cache keys (migration templates, canonical forms).
#pragma once

#include <string>

namespace pgparity {

// SHA-256 of `data` as 64 lower-case hex digits.
std::string sha256_hex(const std::string& data);

}  // namespace pgparity
