// Row synthesis: an INSERT that a table accepts, built from the snapshot alone. NOT NULL
// columns without defaults get values of their type, identity and generated columns are left
// to the server, required foreign keys get parent rows inserted first (recursively, cycles
// refused with the cycle named), and manifest `sample:` values override synthesis.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "manifest/model_spec.h"
#include "probes/probe_transaction.h"
#include "probes/type_values.h"

namespace pgparity {
namespace probes_detail {

// A row as the server stored it (RETURNING *), each value in its type's text form (a char(n)
// value keeps its padding).
struct inserted_row {
  const table_info* table = nullptr;
  std::map<std::string, std::optional<std::string>> values;
  std::string ctid;      // valid until the row is updated
  std::string tableoid;  // the partition that holds it, for a partitioned table

  // The column's stored value as a typed SQL expression, or NULL.
  std::string literal(const std::string& column) const;
  // A WHERE condition that finds this row again by `columns`, each compared in its own type
  // with `=` (never through ::text: char(n)::text drops the padding its stored text form keeps).
  // For key columns, which always have an equality operator.
  std::string match(const std::vector<std::string>& columns) const;
  // The same for columns that may have no equality operator (json, point): both sides are cast
  // to the column's type and then printed by that type, so they agree whatever the type.
  std::string match_stored(const std::vector<std::string>& columns) const;
  // This physical row: its partition and ctid (a ctid alone repeats across partitions). Finds
  // nothing once the row was updated or deleted.
  std::string match_self() const;
};

struct row_request {
  std::map<std::string, std::string> fixed;  // column -> SQL expression the caller chose
  std::set<std::string> fill;                // nullable columns that must get a value anyway
  std::set<std::string> wide;                // columns synthesised at their declared width
  // On a unique violation, try again with other values (rows already in the table may hold
  // ours). Off when the violation is what the caller wants to see.
  bool vary_on_conflict = true;
};

struct insert_result {
  std::optional<inserted_row> row;
  std::string reason;         // a sentence, when there is no row
  std::string sqlstate;       // when the server refused the row
  statement_outcome refusal;  // the server's own answer, when it refused the row
};

// Manifest `sample:` values: "schema.table" -> column -> SQL literal.
using sample_map = std::map<std::string, std::map<std::string, std::string>>;

class row_writer {
 public:
  // `variant_base` offsets every sequence number (for callers that want disjoint values).
  row_writer(probe_transaction& tx, const snapshot& schema, sample_map samples,
             long variant_base = 0);
  // Samples from `model` (the probed one) and, for other tables, the models of `models` (may
  // be null), looked up only for tables a probe touches. `values` (may be null), when given,
  // outlives this writer, so the type facts it reads from the server serve every probe of a
  // model rather than one attempt.
  row_writer(probe_transaction& tx, const snapshot& schema, const manifest* models,
             const model_spec* model, long variant_base = 0, value_synthesizer* values = nullptr);

  insert_result insert(const table_info& table, const row_request& request = {});

  // A fresh sequence number for a row of `table`: values that must differ do.
  long next_variant(const table_info& table);
  // The value synthesis would give `column` for `variant` (samples first); `wide`: at the
  // type's declared width (type_values.h).
  synthesized_value value_for(const table_info& table, const column_info& column, long variant,
                              bool wide = false);

  // The columns of the primary key, unique constraints and unique indexes of `table`: values
  // there must differ between rows.
  const std::set<std::string>& key_columns(const table_info& table);

  const snapshot& schema() const { return schema_; }
  probe_transaction& transaction() { return tx_; }

 private:
  insert_result insert_in(const table_info& table, const row_request& request,
                          std::vector<const table_info*>& path);
  // Inserts the parent rows that the required foreign keys of `table` point at and adds their
  // keys to `fixed`; nullopt when all went in, else why not.
  std::optional<insert_result> insert_parents(const table_info& table, const row_request& request,
                                              std::map<std::string, std::string>& fixed,
                                              std::vector<const table_info*>& path);
  std::optional<insert_result> insert_parent(const table_info& table, const foreign_key_info& fk,
                                             std::map<std::string, std::string>& fixed,
                                             std::vector<const table_info*>& path);
  // The INSERT itself, tried again with other values when seed rows hold the ones chosen.
  insert_result insert_row(const table_info& table, const row_request& request,
                           const std::map<std::string, std::string>& fixed);
  struct insert_statement {
    std::string sql;
    bool varied = false;  // some value came from synthesis, so another variant differs
    std::string problem;  // no statement: a column has no value
  };
  insert_statement build_insert(const table_info& table, const row_request& request,
                                const std::map<std::string, std::string>& fixed, long variant);
  const std::map<std::string, std::string>& samples_for(const table_info& table);

  probe_transaction& tx_;
  const snapshot& schema_;
  sample_map samples_;  // filled per table on first use when models are given
  long variant_base_;
  value_synthesizer own_values_;  // used when the caller shares none
  value_synthesizer& values_;
  std::map<std::string, long> counters_;
  std::map<std::string, std::set<std::string>> key_columns_;
  const manifest* models_ = nullptr;
  const model_spec* model_ = nullptr;
};

}  // namespace probes_detail
}  // namespace pgparity
