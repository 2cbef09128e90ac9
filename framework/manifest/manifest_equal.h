// Comparing manifests by what they declare, ignoring where it was written (file, locations):
// for round-trip tests of to_yaml and `pgparity snapshot`.
#pragma once

#include <string>

#include "manifest/model_spec.h"

namespace pgparity {

// "" when equal; otherwise the path of the first difference, e.g.
// "models[1].foreign_keys[0].ref_schema".
std::string manifest_difference(const manifest& a, const manifest& b);

}  // namespace pgparity
