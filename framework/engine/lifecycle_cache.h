// Lifecycle outcomes that passed, kept between runs. Applying, stepping and round-tripping the
// migrations depends only on the migration files, the server and pgparity itself; with Alembic
// each step starts a Python, which makes these tests most of an unchanged project's run time.
// A pass is remembered under a key of all three; a failure is never remembered, so it is shown
// again on every run until it is fixed.
#pragma once

#include <optional>
#include <string>

#include "engine/audit.h"

namespace pgparity::engine {

// The key of `t`'s outcome in the cache, "" when it may not be cached: no migration files
// (command mode), an existing server, or `--fresh`.
std::string lifecycle_cache_key(const target& t, const audit_context& ctx);

// The outcome stored under `key` by an earlier run, with a line saying it was.
std::optional<outcome> cached_lifecycle_outcome(const std::string& key);

// Remembers `o` under `key` when it passed with nothing skipped; a cache that cannot be
// written is no error.
void remember_lifecycle_outcome(const std::string& key, const outcome& o);

}  // namespace pgparity::engine
