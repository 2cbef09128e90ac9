#include "migrate/bookkeeping.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <filesystem>

namespace pgparity::migrate_detail {
namespace {

// golang-migrate keeps the version as a bigint: the digits of the name's version.
std::string golang_version(const std::string& version) {
  std::string digits;
  for (char c : version) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  return digits.empty() ? "0" : digits;
}

// diesel records the version with its dashes removed.
std::string diesel_version(std::string version) {
  version.erase(std::remove(version.begin(), version.end(), '-'), version.end());
  return version;
}

// golang-migrate: one row, the version and whether a migration to it is half done.
std::string golang_set_version(const std::string& version, bool dirty) {
  return fmt::format(
      "TRUNCATE schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES ({}, "
      "{})",
      version, dirty ? "true" : "false");
}

}  // namespace

const char* bookkeeping_table(migration_layout layout) {
  switch (layout) {
    case migration_layout::golang_migrate:
    case migration_layout::dbmate:
      return "schema_migrations";
    case migration_layout::diesel:
      return "__diesel_schema_migrations";
    case migration_layout::flyway:
      return "flyway_schema_history";
    case migration_layout::plain:
      return "";
    case migration_layout::alembic:  // Alembic keeps it itself
      return "alembic_version";
  }
  return "";
}

void ensure_bookkeeping(pq_session& session, migration_layout layout) {
  std::string sql;
  switch (layout) {
    case migration_layout::golang_migrate:
      sql =
          "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, "
          "dirty boolean NOT NULL)";
      break;
    case migration_layout::dbmate:
      sql = "CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(128) PRIMARY KEY)";
      break;
    case migration_layout::diesel:
      sql =
          "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY "
          "KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)";
      break;
    case migration_layout::flyway:
      sql = R"(CREATE TABLE IF NOT EXISTS flyway_schema_history (
    installed_rank INT NOT NULL,
    version VARCHAR(50),
    description VARCHAR(200) NOT NULL,
    type VARCHAR(20) NOT NULL,
    script VARCHAR(1000) NOT NULL,
    checksum INT,
    installed_by VARCHAR(100) NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT now(),
    execution_time INT NOT NULL,
    success BOOLEAN NOT NULL,
    CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank));
CREATE INDEX IF NOT EXISTS flyway_schema_history_s_idx ON flyway_schema_history (success))";
      break;
    case migration_layout::plain:
    case migration_layout::alembic:  // Alembic creates its own
      return;
  }
  session.must(sql, fmt::format("creating the {} bookkeeping table", bookkeeping_table(layout)));
}

std::string bookkeeping_before(pq_session&, const migration_set& set, std::size_t index, bool up) {
  if (set.layout != migration_layout::golang_migrate) return "";
  if (up) return golang_set_version(golang_version(set.steps[index].version), true);
  // Going down, golang-migrate marks the version it goes to (-1: none) dirty.
  const std::string target = index == 0 ? "-1" : golang_version(set.steps[index - 1].version);
  return golang_set_version(target, true);
}

std::string bookkeeping_after(pq_session& session, const migration_set& set, std::size_t index,
                              bool up, long elapsed_ms) {
  const migration_step& step = set.steps[index];
  switch (set.layout) {
    case migration_layout::golang_migrate:
      if (up) return golang_set_version(golang_version(step.version), false);
      if (index == 0) return "TRUNCATE schema_migrations";
      return golang_set_version(golang_version(set.steps[index - 1].version), false);
    case migration_layout::dbmate:
      if (up) {
        return fmt::format("INSERT INTO schema_migrations (version) VALUES ({})",
                           session.literal(step.version));
      }
      return fmt::format("DELETE FROM schema_migrations WHERE version = {}",
                         session.literal(step.version));
    case migration_layout::diesel:
      if (up) {
        return fmt::format("INSERT INTO __diesel_schema_migrations (version) VALUES ({})",
                           session.literal(diesel_version(step.version)));
      }
      return fmt::format("DELETE FROM __diesel_schema_migrations WHERE version = {}",
                         session.literal(diesel_version(step.version)));
    case migration_layout::flyway: {
      const std::string version = step.version.empty() ? "NULL" : session.literal(step.version);
      if (!up) {
        return fmt::format("DELETE FROM flyway_schema_history WHERE version = {}", version);
      }
      std::string description = step.name;
      std::replace(description.begin(), description.end(), '_', ' ');
      const std::string script = std::filesystem::path(step.up_file).filename().string();
      return fmt::format(
          "INSERT INTO flyway_schema_history (installed_rank, version, description, type, "
          "script, checksum, installed_by, execution_time, success) VALUES ((SELECT "
          "coalesce(max(installed_rank), 0) + 1 FROM flyway_schema_history), {}, {}, 'SQL', {}, "
          "{}, current_user, {}, true)",
          version, session.literal(description), session.literal(script),
          flyway_checksum(step.up_sql), elapsed_ms);
    }
    case migration_layout::plain:
    case migration_layout::alembic:
      return "";
  }
  return "";
}

int flyway_checksum(const std::string& sql) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char ch : sql) {
    if (ch == '\n' || ch == '\r') continue;  // Flyway sums lines without their endings
    crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
  }
  crc ^= 0xFFFFFFFFu;
  return static_cast<int>(static_cast<std::int32_t>(crc));
}

}  // namespace pgparity::migrate_detail
