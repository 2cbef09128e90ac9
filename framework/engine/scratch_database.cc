#include "engine/scratch_database.h"

#include <algorithm>
#include <filesystem>
#include <pqxx/pqxx>

#include "catalog/catalog.h"

namespace pgparity::engine {

scratch_database::scratch_database(server& srv, const std::optional<std::string>& template_db)
    : srv_(srv), name_(srv.create_database(template_db)) {}

connection_info scratch_database::migration_info(const migrations_config& config) const {
  if (!migrator_) migrator_ = migration_connection(srv_, name_, config);
  return *migrator_;
}

scratch_database::~scratch_database() {
  try {
    srv_.drop_database(name_);
  } catch (const std::exception&) {
    // The server object drops what is left when it goes; a destructor must not throw.
  }
}

snapshot scratch_database::read() const {
  pqxx::connection conn(info().conninfo());
  return read_snapshot(conn);
}

snapshot without_bookkeeping(const snapshot& s, migration_layout layout) {
  // The name bring_up's bookkeeping gives the layout (framework/migrate/bookkeeping.cc).
  const std::string table = bookkeeping_table_of(layout);
  if (table.empty()) return s;
  std::vector<table_info> tables;
  for (const auto& t : s.tables()) {
    if (!(t.schema == "public" && t.name == table)) tables.push_back(t);
  }
  return snapshot(s.server_version(), std::move(tables), s.enums(), s.other_objects());
}

snapshot columns_by_name(const snapshot& s) {
  std::vector<table_info> tables = s.tables();
  for (auto& t : tables) {
    std::sort(t.columns.begin(), t.columns.end(),
              [](const column_info& a, const column_info& b) { return a.name < b.name; });
  }
  return snapshot(s.server_version(), std::move(tables), s.enums(), s.other_objects());
}

std::string expected_down_file(const migration_set& set, const migration_step& step) {
  namespace fs = std::filesystem;
  const fs::path up = step.up_file;
  const std::string file = up.filename().string();
  switch (set.layout) {
    case migration_layout::golang_migrate:
      return (up.parent_path() / (file.substr(0, file.size() - 7) + ".down.sql")).string();
    case migration_layout::diesel:
      return (up.parent_path() / "down.sql").string();
    case migration_layout::flyway:
      return (up.parent_path() / ("U" + file.substr(1))).string();
    case migration_layout::dbmate:
      return "a `-- migrate:down` section in " + step.up_file;
    case migration_layout::goose:
      return "a `-- +goose Down` section in " + step.up_file;
    case migration_layout::sql_migrate:
      return "a `-- +migrate Down` section in " + step.up_file;
    case migration_layout::sqlx:
      return (up.parent_path() / (file.substr(0, file.size() - 4) + ".down.sql")).string();
    case migration_layout::popx:
      return (up.parent_path() / (step.version + "_" + step.name + ".down.sql")).string();
    case migration_layout::prisma:
      return "nothing (Prisma keeps no down migrations; set `migrations.downs: none`)";
    case migration_layout::plain:
      break;
    case migration_layout::alembic:
      return "a downgrade() in " + step.up_file;
  }
  return "a down migration (plain *.sql migrations have none)";
}

}  // namespace pgparity::engine
