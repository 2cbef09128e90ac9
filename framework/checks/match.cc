#include "checks/match.h"

#include <algorithm>

#include "checks/compare.h"
#include "checks/sql_text.h"
#include "common/index_key.h"

namespace pgparity {
namespace checks_detail {
namespace {

std::string action(const std::string& text) { return loose_form(text); }

std::vector<difference> fk_differences(const model_spec& model, const foreign_key_spec& spec,
                                       const foreign_key_info& info) {
  std::vector<difference> out;
  if (spec.name && *spec.name != info.name) out.push_back({attribute::name});
  if (spec.columns != info.columns) out.push_back({attribute::columns});
  const std::string ref_schema = spec.ref_schema.empty() ? model_schema(model) : spec.ref_schema;
  if (ref_schema != info.ref_schema || spec.ref_table != info.ref_table) {
    out.push_back({attribute::referenced_table});
  } else if (spec.ref_columns != info.ref_columns) {
    out.push_back({attribute::referenced_columns});
  }
  if (spec.on_delete && action(*spec.on_delete) != action(info.on_delete)) {
    out.push_back({attribute::on_delete});
  }
  if (spec.on_update && action(*spec.on_update) != action(info.on_update)) {
    out.push_back({attribute::on_update});
  }
  for (auto& d : deferral_differences(spec.deferral, info.deferrable, info.initially_deferred)) {
    out.push_back(std::move(d));
  }
  return out;
}

// An index cannot be deferrable; a constraint has its own flags.
std::vector<difference> unique_option_differences(const unique_spec& spec,
                                                  const unique_enforcer& e) {
  const bool nulls_not_distinct =
      e.constraint ? e.constraint->nulls_not_distinct : e.index->nulls_not_distinct;
  std::vector<difference> out;
  if (spec.nulls_not_distinct && *spec.nulls_not_distinct != nulls_not_distinct) {
    out.push_back({attribute::nulls_not_distinct});
  }
  const bool deferrable = e.constraint && e.constraint->deferrable;
  const bool deferred = e.constraint && e.constraint->initially_deferred;
  for (auto& d : deferral_differences(spec.deferral, deferrable, deferred)) {
    out.push_back(std::move(d));
  }
  return out;
}

// Of the candidates, the one that differs in the fewest ways (the first on a tie).
template <typename Info, typename Diff>
match_result<Info> best_of(const std::vector<const Info*>& candidates, Diff diff) {
  match_result<Info> best;
  for (const Info* candidate : candidates) {
    auto differences = diff(*candidate);
    if (!best.found || differences.size() < best.differences.size()) {
      best.found = candidate;
      best.differences = std::move(differences);
    }
  }
  return best;
}

}  // namespace

std::vector<difference> deferral_differences(const deferral_spec& spec, bool deferrable,
                                             bool initially_deferred) {
  std::vector<difference> out;
  // INITIALLY DEFERRED implies DEFERRABLE, as PostgreSQL reads it.
  const auto expected_deferrable =
      spec.initially_deferred == true ? std::optional<bool>(true) : spec.deferrable;
  if (expected_deferrable && *expected_deferrable != deferrable) {
    out.push_back({attribute::deferrable});
  }
  if (spec.initially_deferred && *spec.initially_deferred != initially_deferred) {
    out.push_back({attribute::initially_deferred});
  }
  return out;
}

const table_info* model_table(const model_spec& model, const snapshot& db) {
  return db.find_table(model_schema(model), model.table);
}

std::vector<const enum_spec*> model_enums(const model_spec& model, const manifest& m) {
  std::vector<const enum_spec*> out;
  for (const auto& column : model.columns) {
    // Every loader sets enum_name (the YAML parser, the ORM export, the snapshot); looking the
    // type up among the enums instead cost a scan per column (a fifth of a warm run at 10,000
    // models).
    const enum_spec* spec = column.enum_name ? m.find_enum(*column.enum_name) : nullptr;
    if (spec && std::find(out.begin(), out.end(), spec) == out.end()) out.push_back(spec);
  }
  return out;
}

std::string enum_schema(const enum_spec& spec, const model_spec& model) {
  return spec.schema.empty() ? model_schema(model) : spec.schema;
}

match_result<foreign_key_info> match_foreign_key(const model_spec& model,
                                                 const foreign_key_spec& spec,
                                                 const table_info& table) {
  std::vector<const foreign_key_info*> by_name;
  std::vector<const foreign_key_info*> by_columns;
  for (const auto& fk : table.foreign_keys) {
    if (spec.name && fk.name == *spec.name) by_name.push_back(&fk);
    if (fk.columns == spec.columns) by_columns.push_back(&fk);
  }
  const auto diff = [&](const foreign_key_info& fk) { return fk_differences(model, spec, fk); };
  return best_of(by_name.empty() ? by_columns : by_name, diff);
}

std::vector<std::string> declared_keys(const index_spec& spec) {
  return spec.canonical_keys.size() == spec.keys.size() ? spec.canonical_keys : spec.keys;
}

bool same_keys(const index_spec& spec, const std::vector<std::string>& keys) {
  const bool canonical = spec.canonical_keys.size() == spec.keys.size();
  const auto expected = declared_keys(spec);
  if (expected.size() != keys.size()) return false;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!same_spelling(expected[i], canonical, keys[i])) return false;
  }
  return true;
}

namespace {

// The keys' columns or expressions, without their options.
std::vector<std::string> key_expressions(const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  for (const auto& key : keys) out.push_back(split_index_key(key).expression);
  return out;
}

// Keys on the same columns or expressions in the same order, whatever their options.
bool same_key_expressions(const index_spec& spec, const std::vector<std::string>& keys) {
  const bool canonical = spec.canonical_keys.size() == spec.keys.size();
  const auto expected = key_expressions(declared_keys(spec));
  const auto actual = key_expressions(keys);
  if (expected.size() != actual.size()) return false;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (!same_spelling(expected[i], canonical, actual[i])) return false;
  }
  return true;
}

// Included columns compare as identifiers: the server prints them quoted when needed.
bool same_include(const std::vector<std::string>& declared, const std::vector<std::string>& found) {
  if (declared.size() != found.size()) return false;
  for (std::size_t i = 0; i < found.size(); ++i) {
    const std::string& d = declared[i];
    if (d != found[i] && quote_ident(d) != found[i]) return false;
  }
  return true;
}

// Keys equal up to order, compared one by one like same_keys.
bool same_keys_any_order(const index_spec& spec, const std::vector<std::string>& keys) {
  const bool canonical = spec.canonical_keys.size() == spec.keys.size();
  auto expected = declared_keys(spec);
  if (expected.size() != keys.size()) return false;
  std::vector<bool> used(keys.size(), false);
  for (const auto& key : expected) {
    bool matched = false;
    for (std::size_t i = 0; i < keys.size() && !matched; ++i) {
      if (!used[i] && same_spelling(key, canonical, keys[i])) used[i] = matched = true;
    }
    if (!matched) return false;
  }
  return true;
}

std::vector<difference> index_differences(const index_spec& spec, const index_info& info) {
  std::vector<difference> out;
  if (spec.name && *spec.name != info.name) out.push_back({attribute::name});
  if (!same_keys(spec, info.keys)) {
    if (same_key_expressions(spec, info.keys)) {
      out.push_back({attribute::key_options});
    } else {
      out.push_back(
          {same_keys_any_order(spec, info.keys) ? attribute::column_order : attribute::columns});
    }
  }
  if (spec.include && !same_include(*spec.include, info.include)) {
    out.push_back({attribute::include});
  }
  if (spec.unique && *spec.unique != info.unique) out.push_back({attribute::unique});
  if (spec.nulls_not_distinct && *spec.nulls_not_distinct != info.nulls_not_distinct) {
    out.push_back({attribute::nulls_not_distinct});
  }
  if (spec.predicate) {
    if (!info.predicate) {
      out.push_back({attribute::predicate_missing});
    } else {
      const bool canonical = spec.canonical_predicate.has_value();
      const std::string& declared = canonical ? *spec.canonical_predicate : *spec.predicate;
      if (!same_spelling(declared, canonical, *info.predicate))
        out.push_back({attribute::predicate});
    }
  }
  if (spec.method && !iequals(*spec.method, info.method)) out.push_back({attribute::method});
  return out;
}

}  // namespace

match_result<index_info> match_index(const index_spec& spec, const table_info& table) {
  std::vector<const index_info*> by_name;
  std::vector<const index_info*> by_keys;
  std::vector<const index_info*> by_expressions;  // the same keys with other options
  std::vector<const index_info*> by_key_set;
  for (const auto& index : table.indexes) {
    if (spec.name && index.name == *spec.name) by_name.push_back(&index);
    if (same_keys(spec, index.keys)) {
      by_keys.push_back(&index);
    } else if (!spec.name && same_key_expressions(spec, index.keys)) {
      by_expressions.push_back(&index);
    } else if (!spec.name && same_keys_any_order(spec, index.keys)) {
      by_key_set.push_back(&index);
    }
  }
  const auto diff = [&](const index_info& index) { return index_differences(spec, index); };
  if (!by_name.empty()) return best_of(by_name, diff);
  if (!by_keys.empty()) return best_of(by_keys, diff);
  if (!by_expressions.empty()) return best_of(by_expressions, diff);
  return best_of(by_key_set, diff);
}

unique_match match_unique(const unique_spec& spec, const table_info& table) {
  std::vector<unique_enforcer> enforcers;
  for (const auto& constraint : table.uniques) {
    if (same_set(constraint.columns, spec.columns)) {
      enforcers.push_back({constraint.name, &constraint, nullptr});
    }
  }
  for (const auto& index : table.indexes) {
    if (!index.unique || (index.predicate && !spec.allows_soft_deleted_duplicates)) continue;
    // A key's options (DESC, an operator class) do not change which rows are duplicates.
    const auto columns = key_expressions(index.keys);
    if (!std::all_of(columns.begin(), columns.end(), is_column_name)) continue;
    if (same_set(columns, spec.columns)) enforcers.push_back({index.name, nullptr, &index});
  }
  unique_match result;
  if (enforcers.empty()) return result;
  result.found = true;
  // The declared name first, then the enforcer whose options differ least.
  const auto rank = [&](const unique_enforcer& e) {
    const bool other_name = spec.name && e.name != *spec.name;
    return std::make_pair(other_name, unique_option_differences(spec, e).size());
  };
  result.enforcer = *std::min_element(
      enforcers.begin(), enforcers.end(),
      [&](const unique_enforcer& a, const unique_enforcer& b) { return rank(a) < rank(b); });
  result.name_differs = spec.name && result.enforcer.name != *spec.name;
  result.option_differences = unique_option_differences(spec, result.enforcer);
  return result;
}

namespace {

// A column compares as an identifier (the server quotes it when needed), an expression loosely.
bool same_element(const exclusion_element& declared, const std::pair<std::string, std::string>& e) {
  const bool same_key = is_column_name(declared.key)
                            ? declared.key == e.first || quote_ident(declared.key) == e.first
                            : same_spelling(declared.key, false, e.first);
  return same_key && declared.op == e.second;
}

bool same_elements(const exclusion_spec& spec, const exclusion_info& info) {
  if (spec.elements.size() != info.elements.size()) return false;
  for (std::size_t i = 0; i < spec.elements.size(); ++i) {
    if (!same_element(spec.elements[i], info.elements[i])) return false;
  }
  return true;
}

std::vector<difference> exclusion_differences(const exclusion_spec& spec,
                                              const exclusion_info& info) {
  std::vector<difference> out;
  if (spec.name && *spec.name != info.name) out.push_back({attribute::name});
  if (spec.method != info.method) out.push_back({attribute::method});
  if (!same_elements(spec, info)) out.push_back({attribute::elements});
  if (spec.predicate) {
    if (!info.predicate) {
      out.push_back({attribute::predicate_missing});
    } else if (!same_spelling(*spec.predicate, false, *info.predicate)) {
      out.push_back({attribute::predicate});
    }
  }
  return out;
}

}  // namespace

match_result<exclusion_info> match_exclusion(const exclusion_spec& spec, const table_info& table) {
  std::vector<const exclusion_info*> by_name;
  std::vector<const exclusion_info*> by_elements;
  for (const auto& x : table.exclusions) {
    if (spec.name && x.name == *spec.name) by_name.push_back(&x);
    if (same_elements(spec, x)) by_elements.push_back(&x);
  }
  const auto diff = [&](const exclusion_info& x) { return exclusion_differences(spec, x); };
  return best_of(by_name.empty() ? by_elements : by_name, diff);
}

std::string declared_expression(const check_spec& spec) {
  return spec.canonical_expression ? *spec.canonical_expression : spec.expression;
}

match_result<check_constraint_info> match_check(const check_spec& spec, const table_info& table) {
  const bool canonical = spec.canonical_expression.has_value();
  const auto same_expression = [&](const check_constraint_info& check) {
    return same_spelling(declared_expression(spec), canonical, check.expression);
  };
  match_result<check_constraint_info> result;
  if (spec.name) {
    for (const auto& check : table.checks) {
      if (check.name != *spec.name) continue;
      result.found = &check;
      if (!same_expression(check)) result.differences.push_back({attribute::expression});
      return result;
    }
  }
  for (const auto& check : table.checks) {
    if (!same_expression(check)) continue;
    result.found = &check;
    if (spec.name) result.differences.push_back({attribute::name});
    return result;
  }
  return result;
}

}  // namespace checks_detail
}  // namespace pgparity
