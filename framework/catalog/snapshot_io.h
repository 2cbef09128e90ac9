// A snapshot as text and back, for the snapshot cache beside a migrated template. Every field
// of every snapshot struct is listed once, in snapshot_io.cc, for both directions
// (common/field_io.h); a field added to snapshot.h without being listed there fails the build (a
// size check next to the lists).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "catalog/snapshot.h"

namespace pgparity {

std::string serialize_snapshot(const snapshot& s);
// nullopt for anything that is not exactly what serialize_snapshot() writes.
std::optional<snapshot> deserialize_snapshot(std::string_view text);

}  // namespace pgparity
