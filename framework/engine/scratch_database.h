// Writable databases for the migration lifecycle tests: each is created empty on the run's
// server and dropped when the object goes (the migrated template is never written).
#pragma once

#include <optional>
#include <string>

#include "catalog/snapshot.h"
#include "cluster/server.h"
#include "migrate/migrations.h"

namespace pgparity::engine {

class scratch_database {
 public:
  // Empty, or a copy of `template_db` (a database of this server nobody is connected to).
  explicit scratch_database(server& srv, const std::optional<std::string>& template_db = {});
  ~scratch_database();
  scratch_database(const scratch_database&) = delete;
  scratch_database& operator=(const scratch_database&) = delete;

  connection_info info() const { return srv_.connection(name_); }
  // Where migrations run in it: as the superuser, or as the owner role (`role: owner`); the
  // owner is made once, on first use.
  connection_info migration_info(const migrations_config& config) const;
  const std::string& name() const { return name_; }
  // The schema as it is now (one connection, closed again: the database can then be dropped).
  snapshot read() const;

 private:
  server& srv_;
  std::string name_;
  mutable std::optional<connection_info> migrator_;
};

// `s` without the migration tool's bookkeeping table of `layout` (schema_migrations, ...): the
// real tools leave it in place after rolling everything back, so an "empty" schema may hold it.
snapshot without_bookkeeping(const snapshot& s, migration_layout layout);

// `s` with every table's columns in name order. A down migration that restores a dropped column
// can only add it at the end (PostgreSQL has no ALTER TABLE ... ADD COLUMN ... AFTER), so the
// Step tests do not hold column order against it; everything else about the column is compared.
snapshot columns_by_name(const snapshot& s);

// Where the down migration of `step` is expected, for "add it" messages: the file path
// (golang-migrate, diesel, Flyway U file), or the up file's missing section (dbmate).
std::string expected_down_file(const migration_set& set, const migration_step& step);

}  // namespace pgparity::engine
