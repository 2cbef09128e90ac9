// SHA-256 for cache keys (migration templates, canonical forms).
#pragma once

#include <string>
#include <string_view>

namespace pgparity {

// SHA-256 of `data` as 64 lower-case hex digits.
// Uses the CPU's SHA extensions when it has them.
std::string sha256_hex(std::string_view data);

namespace common_detail {
// The portable implementation alone, for tests comparing the two.
std::string portable_sha256_hex(std::string_view data);
}  // namespace common_detail

}  // namespace pgparity
