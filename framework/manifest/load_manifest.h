// Loading a models manifest (YAML, version 1) into immutable specs.
#pragma once

#include <string>

#include "manifest/model_spec.h"

namespace pgparity {

// Reads and validates the manifest at `path`. Throws input_error (exit 2) whose message is one
// line: "<file>:<line>:<column>: <what is wrong>[; did you mean `x`?]". Validation covers unknown
// keys, values of the wrong kind, duplicate models or tables, references to tables or columns no
// model declares, enum-typed columns whose enum is not declared, bad ON DELETE actions.
manifest load_manifest(const std::string& path);

// Same, from text (for tests and stdin); `file_name` is used in locations.
manifest parse_manifest(const std::string& yaml_text, const std::string& file_name);

// Writes a manifest back as YAML in the documented format (used by `pgparity snapshot`).
std::string to_yaml(const manifest& m);

}  // namespace pgparity
