// The tables migration tools keep of what they applied, created and filled as the real tool
// would, because real migrations read and alter them.
#pragma once

#include <string>

#include "migrate/migrations.h"
#include "migrate/pq_session.h"

namespace pgparity::migrate_detail {

// The bookkeeping table of `layout` ("" for plain): also what the checks ignore by default.
const char* bookkeeping_table(migration_layout layout);

// Creates the table if it does not exist (autocommit, before the first migration).
void ensure_bookkeeping(pq_session& session, migration_layout layout);

// SQL run before a step's own SQL (golang-migrate marks the version dirty first), and after
// it (the version recorded, or removed when going down). "" when there is nothing to do.
std::string bookkeeping_before(pq_session& session, const migration_set& set, std::size_t index,
                               bool up);
std::string bookkeeping_after(pq_session& session, const migration_set& set, std::size_t index,
                              bool up, long elapsed_ms);

// Flyway's checksum: CRC-32 of the script's lines without their line endings, as a signed int.
int flyway_checksum(const std::string& sql);

}  // namespace pgparity::migrate_detail
