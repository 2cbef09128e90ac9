// The bulk pg_catalog queries shared by read_snapshot() and canonicalize(): each reads every
// object of one kind in the selected schemas in a single statement, so the number of
// statements never grows with the number of tables.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/snapshot.h"

namespace pgparity {
namespace catalog_detail {

// Which schemas to read: an SQL boolean over the pg_namespace alias `n`.
struct schema_filter {
  std::string sql;
};

// User schemas: everything but pg_catalog, information_schema, pg_toast and temp schemas.
schema_filter user_schemas();
// Exactly the named schemas (the scratch schemas of canonicalize()).
schema_filter only_schemas(pqxx::transaction_base& tx, const std::vector<std::string>& names);

// Counts the statements (round trips) the catalog module sends, so tests can prove the
// snapshot costs a constant number of them.
struct statement_counter {
  int statements = 0;
  double exec_ms = 0;  // wall time spent in exec(): the server's work and the transfer
  pqxx::result exec(pqxx::transaction_base& tx, const std::string& sql);
};

// Tables with their columns, keys, foreign keys, indexes, unique and check constraints:
// three statements. Printed forms depend on the transaction's search_path, which callers set
// (read_snapshot() and canonicalize() both print with search_path = public).
std::vector<table_info> read_tables(pqxx::transaction_base& tx, const schema_filter& filter,
                                    statement_counter& counter);
std::vector<enum_info> read_enums(pqxx::transaction_base& tx, const schema_filter& filter,
                                  statement_counter& counter);
// Functions, free-standing sequences, views, types, domains, triggers, schemas, extensions.
std::vector<object_info> read_other_objects(pqxx::transaction_base& tx, const schema_filter& filter,
                                            statement_counter& counter);

// The inside of a CHECK constraint: pg_get_constraintdef(oid, true) prints
// `CHECK (<expr>)[ NO INHERIT][ NOT VALID]`; this returns <expr>, i.e. without the leading
// "CHECK (" and its matching ")". Text that does not have that shape is returned unchanged.
std::string check_expression(const std::string& definition);

// read_snapshot() that also reports how many statements it sent.
// canonicalize() builds at most about this many scratch relations (each holding a lock) before
// rolling them back: well inside PostgreSQL's default lock table (64 x max_connections).
constexpr std::size_t canonical_batch_relations = 1000;
canonical_manifest canonicalize_in_batches(pqxx::connection& conn, manifest m,
                                           std::size_t batch_relations);

snapshot read_snapshot_counted(pqxx::connection& conn, statement_counter& counter);

}  // namespace catalog_detail
}  // namespace pgparity
