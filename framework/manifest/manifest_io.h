// A parsed manifest as text and back, for the parsed-manifest cache (manifest_cache.h). Every
// field of every spec struct is listed once, in manifest_io.cc, for both directions
// (common/field_io.h); a field added to model_spec.h without being listed there fails the build
// (a size check next to the lists).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "manifest/model_spec.h"

namespace pgparity {

std::string serialize_manifest(const manifest& m);
// nullopt for anything that is not exactly what serialize_manifest() writes.
std::optional<manifest> deserialize_manifest(std::string_view text);

}  // namespace pgparity
