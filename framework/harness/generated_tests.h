// The GoogleTest adapter: one registered test per engine target (suite names from the kind
// table), whose body asks the engine for the target's outcome and asserts on it. No check runs
// here; this is the only module that knows GoogleTest.
#pragma once

#include "engine/audit.h"
#include "engine/context.h"

namespace pgparity::harness {

// Registers every target of `ctx`'s manifest and migrations (no database). Call between
// InitGoogleTest and RUN_ALL_TESTS.
void register_tests(const engine::audit_context& ctx);

// The session the registered tests run in; set before RUN_ALL_TESTS, cleared after.
void set_current_session(engine::session* s);

// The first engine::test_error a test met in this run ("" when none): the run then exits 3.
std::string test_error_of_run();

}  // namespace pgparity::harness
