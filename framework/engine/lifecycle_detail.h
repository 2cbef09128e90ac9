// What the lifecycle runners (lifecycle.cc, with_data.cc) share. Engine internals.
#pragma once

#include <cstddef>
#include <exception>
#include <optional>
#include <string>

#include "engine/audit.h"
#include "engine/session_state.h"

namespace pgparity::engine {
namespace engine_detail {

// The run's migrations with their SQL texts (null in command mode): in directory mode read again
// at the first call (load_inputs() keeps the list only); test_error when the files changed since.
const migration_set* set_of(session& s);
server& server_of(const session& s);

// A lifecycle finding about migration `name` ("all": the whole set), located at `file`.
finding migration_finding(const target& t, const std::string& name, attribute what,
                          const std::string& file, int line = 0);
// `phase` of migration `name` failed with `e`.
finding phase_failed(const target& t, const std::string& name, const std::string& phase,
                     const std::exception& e, const std::string& file);

// Makes `state` a database holding steps [0, index): moved on from where it is, or new when it
// is past `index` or absent. When that throws, `state` is left empty (never half-built).
void move_to(std::optional<step_progress>& state, const session& s, const migration_set& migrations,
             std::size_t index);

// True (and `o` skipped) when the run has no server yet.
bool without_context(const session& s, outcome& o);

}  // namespace engine_detail
}  // namespace pgparity::engine
