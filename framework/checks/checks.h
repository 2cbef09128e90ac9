// The consistency checks: pure functions (model spec, snapshot) -> findings. No database.
#pragma once

#include "catalog/snapshot.h"
#include "checks/finding.h"
#include "manifest/model_spec.h"

namespace pgparity {

// The table exists; when it is missing, the fix creates it together with the enum types it needs
// and the database lacks (each type once across the manifest: in the fix of the first model, in
// manifest order, whose table is missing and uses it), so that the fixes of all findings, applied
// in order, work.
findings check_table_exists(const model_spec& model, const manifest& m, const snapshot& db);
findings check_columns(const model_spec& model, const snapshot& db);
findings check_enums(const model_spec& model, const manifest& m, const snapshot& db);
findings check_foreign_keys(const model_spec& model, const snapshot& db);
findings check_indexes(const model_spec& model, const snapshot& db);
findings check_uniques(const model_spec& model, const snapshot& db);
// Exclusion constraints: by name when declared, else by elements; method, elements, predicate.
findings check_exclusions(const model_spec& model, const snapshot& db);
findings check_checks(const model_spec& model, const snapshot& db);

struct reverse_drift_options {
  std::vector<std::string> ignore_tables;
  bool as_error = false;  // CRITICAL instead of WARNING
};
// Tables, columns, indexes and constraints in the database that no model declares. Per model
// (the undeclared columns/indexes/constraints of its table) ...
findings check_undeclared(const model_spec& model, const snapshot& db,
                          const reverse_drift_options& options);
// ... and for the schema as a whole (tables no model declares).
findings check_undeclared_tables(const manifest& m, const snapshot& db,
                                 const reverse_drift_options& options);

}  // namespace pgparity
