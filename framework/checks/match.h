// Finding the database object a declared object corresponds to. Shared by the per-family
// checks (which report the differences) and the reverse-drift check (which reports what no
// declaration matched), so both agree on what "declared" means.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "checks/finding.h"
#include "manifest/model_spec.h"

namespace pgparity {
namespace checks_detail {

// The model's table in the snapshot, or nullptr.
const table_info* model_table(const model_spec& model, const snapshot& db);

// The enums the model's columns use, each once, in column order.
std::vector<const enum_spec*> model_enums(const model_spec& model, const manifest& m);
// The schema an enum lives in: its own, else the model's.
std::string enum_schema(const enum_spec& spec, const model_spec& model);

// The closest database object and what differs from the declaration ("ON DELETE", "name",
// ...); `found` is nullptr when nothing corresponds, `differences` empty on an exact match.
template <typename Info>
struct match_result {
  const Info* found = nullptr;
  std::vector<difference> differences;
};

// By name when one is declared, else by columns; an FK on the same columns with another action
// or target is a differing match, not a missing one.
match_result<foreign_key_info> match_foreign_key(const model_spec& model,
                                                 const foreign_key_spec& spec,
                                                 const table_info& table);

// By name when one is declared, else by keys in order, else by the same keys in another order.
// DEFERRABLE and INITIALLY DEFERRED as declared (only what is declared) against the database.
std::vector<difference> deferral_differences(const deferral_spec& spec, bool deferrable,
                                             bool initially_deferred);

match_result<index_info> match_index(const index_spec& spec, const table_info& table);
std::vector<std::string> declared_keys(const index_spec& spec);
bool same_keys(const index_spec& spec, const std::vector<std::string>& keys);

// A unique set is enforced by a unique constraint or a unique index (partial only when the
// model allows soft-deleted duplicates) on exactly its columns, in any order.
struct unique_enforcer {
  std::string name;
  const unique_constraint_info* constraint = nullptr;
  const index_info* index = nullptr;  // the index, when enforced by one
};
struct unique_match {
  bool found = false;
  unique_enforcer enforcer;
  bool name_differs = false;
  // NULLS NOT DISTINCT, DEFERRABLE, INITIALLY DEFERRED as declared vs the enforcer's.
  std::vector<difference> option_differences;
};
unique_match match_unique(const unique_spec& spec, const table_info& table);

// By name when one is declared, else by expression.
match_result<exclusion_info> match_exclusion(const exclusion_spec& spec, const table_info& table);

match_result<check_constraint_info> match_check(const check_spec& spec, const table_info& table);
std::string declared_expression(const check_spec& spec);

}  // namespace checks_detail
}  // namespace pgparity
