// PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1, never splitting a
// UTF-8 character) and drops the rest without an error: `CREATE TABLE <70 bytes>` makes a table
// named by the first 63. A manifest name that long is therefore read as PostgreSQL reads it, and
// the loader says so, so that checks compare (and fix SQL writes) the name the table really has.
#pragma once

#include <string>

#include "manifest/model_spec.h"

namespace pgparity::manifest_detail {

inline constexpr std::size_t max_identifier_bytes = 63;

// `name` cut as PostgreSQL cuts it; true when it was longer.
bool clip_identifier(std::string& name);

// Clips every name of `m` (schemas, tables, columns, enums, constraint and index names, the
// columns and tables they refer to) and adds a note to m.notes for each declared one it clipped.
void clip_long_names(manifest& m);

}  // namespace pgparity::manifest_detail
