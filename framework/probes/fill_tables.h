// Rows in every table, kept: the migration-with-data tests (Migrations/WithData) fill the
// database as it is before a migration and then apply the migration over the rows. The rows
// come from the probes' row synthesis (row_synthesis.h): parents first, required foreign keys
// get parent rows, manifest `sample:` values win.
//
// Per table, `rows_per_table` rows that look like a real table's: the primary key, unique and
// foreign-key columns differ between rows; every other column holds one value shared by all
// rows (so a unique index added later over such a column meets duplicates, as it would in
// production); the first row leaves its nullable columns NULL and the others fill them (so a
// later SET NOT NULL meets NULLs and a later type change meets values). The last row holds its
// values at their declared width (type_values.h: varchar(n) and char(n) at n characters, bit
// varying(n) at n bits, numeric(p,s) and the integer types with all their integer digits), so a
// later narrowing meets a value that does not fit; a table that refuses it so is tried with
// short values in the columns a CHECK names or a domain types, then with short values
// throughout, and named with the server's reason. A row the table refuses in the shape above is
// tried again as the probes build it; a table that refuses that too is named with the server's
// reason. Same schema, same rows: nothing is random.
#pragma once

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "manifest/model_spec.h"

namespace pgparity {

struct fill_options {
  const manifest* models = nullptr;      // for `sample:` values (may be null)
  std::vector<std::string> skip_tables;  // bare names never written (bookkeeping tables)
  int rows_per_table = 4;                // the last one at full width
  bool full_width = true;                // false: the last row short like the others
  long statement_timeout_ms = 10000;     // per INSERT: `probe_timeout_seconds`
};

struct filled_tables {
  // "schema.table" -> the INSERT statements that put rows in it, in order.
  std::map<std::string, std::vector<std::string>> inserts;
  // "schema.table: <why no row could be synthesised>", in fill order.
  std::vector<std::string> unfilled;
  // "schema.table: <why its last row holds short values>": it refused the full-width one.
  std::vector<std::string> narrow;
};

// Fills every table of `schema` but the skipped ones through `conn` and commits. Throws only
// when the connection fails.
filled_tables fill_tables(pqxx::connection& conn, const snapshot& schema,
                          const fill_options& options);

}  // namespace pgparity
