#include "harness/suite_params.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <ostream>
#include <set>

namespace pgparity::harness {
namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool declares_kind(suite_family family, const model_spec& model, const manifest& m) {
  switch (family) {
    case suite_family::enums_match:
      return uses_enum(model, m);
    case suite_family::foreign_keys_match:
      return !model.foreign_keys.empty();
    case suite_family::indexes_match:
      return !model.indexes.empty();
    case suite_family::uniques_match:
      return !model.uniques.empty();
    case suite_family::checks_match:
      return !model.checks.empty();
    case suite_family::cascade_probe:
      return std::any_of(model.foreign_keys.begin(), model.foreign_keys.end(),
                         [](const foreign_key_spec& fk) { return fk.on_delete || fk.on_update; });
    case suite_family::duplicate_probe:
      return !model.primary_key().empty() || !model.uniques.empty();
    case suite_family::migrations_apply:
    case suite_family::migrations_round_trip:
    case suite_family::migrations_step:
      return false;  // not per model: see lifecycle_params()
    default:
      return true;
  }
}

// Sanitises every raw name and resolves collisions ("a-b" and "a_b") in order.
std::vector<std::string> unique_names(const std::vector<std::string>& raw) {
  std::set<std::string> taken;
  for (const auto& r : raw) {
    if (sanitize_test_name(r) == r) taken.insert(r);  // valid names always keep their name
  }
  std::set<std::string> used;
  std::vector<std::string> out;
  for (const auto& r : raw) {
    std::string name = sanitize_test_name(r);
    if (name != r || used.count(name) > 0) {
      const std::string base = name;
      for (int n = 2; used.count(name) > 0 || (name != r && taken.count(name) > 0); ++n) {
        name = base + "_" + std::to_string(n);
      }
    }
    used.insert(name);
    out.push_back(name);
  }
  return out;
}

std::map<suite_family, std::vector<suite_param>>& registry() {
  static std::map<suite_family, std::vector<suite_param>> instance;
  return instance;
}

std::optional<migration_set>& migrations_slot() {
  static std::optional<migration_set> instance;
  return instance;
}

}  // namespace

const std::vector<suite_family>& all_suite_families() {
  static const std::vector<suite_family> families = {
      suite_family::tables_exist,      suite_family::columns_match,
      suite_family::enums_match,       suite_family::foreign_keys_match,
      suite_family::indexes_match,     suite_family::uniques_match,
      suite_family::checks_match,      suite_family::undeclared_objects,
      suite_family::undeclared_tables,
  };
  return families;
}

const std::vector<suite_family>& probe_families() {
  static const std::vector<suite_family> families = {suite_family::cascade_probe,
                                                     suite_family::duplicate_probe};
  return families;
}

const std::vector<suite_family>& lifecycle_families() {
  static const std::vector<suite_family> families = {suite_family::migrations_apply,
                                                     suite_family::migrations_round_trip,
                                                     suite_family::migrations_step};
  return families;
}

const char* suite_name(suite_family family) {
  switch (family) {
    case suite_family::tables_exist:
      return "Tables/Exists";
    case suite_family::columns_match:
      return "Columns/Match";
    case suite_family::enums_match:
      return "Enums/Match";
    case suite_family::foreign_keys_match:
      return "ForeignKeys/Match";
    case suite_family::indexes_match:
      return "Indexes/Match";
    case suite_family::uniques_match:
      return "Uniques/Match";
    case suite_family::checks_match:
      return "Checks/Match";
    case suite_family::undeclared_objects:
      return "Undeclared/Objects";
    case suite_family::undeclared_tables:
      return "Undeclared/Tables";
    case suite_family::cascade_probe:
      return "Probes/CascadeDelete";
    case suite_family::duplicate_probe:
      return "Probes/DuplicateInsert";
    case suite_family::migrations_apply:
      return "Migrations/Apply";
    case suite_family::migrations_round_trip:
      return "Migrations/RoundTrip";
    case suite_family::migrations_step:
      return "Migrations/Step";
  }
  return "?";
}

std::string suite_param::test_name() const {
  return std::string(suite_name(family)) + ".Check/" + name;
}

void PrintTo(const suite_param& param, std::ostream* os) { *os << param.name; }

std::string sanitize_test_name(const std::string& raw) {
  if (raw.empty()) return "_";
  std::string out = raw;
  std::replace_if(
      out.begin(), out.end(), [](char c) { return !is_name_char(c); }, '_');
  return out;
}

bool uses_enum(const model_spec& model, const manifest& m) {
  return std::any_of(model.columns.begin(), model.columns.end(), [&](const column_spec& c) {
    return c.enum_name.has_value() || m.find_enum(c.type) != nullptr;
  });
}

std::vector<std::string> manifest_schemas(const manifest& m) {
  std::vector<std::string> schemas;
  for (const auto& model : m.models) {
    if (std::find(schemas.begin(), schemas.end(), model.schema) == schemas.end()) {
      schemas.push_back(model.schema);
    }
  }
  if (schemas.empty()) schemas.push_back(m.schema);
  return schemas;
}

std::vector<suite_param> params_for(suite_family family, const manifest& m) {
  std::vector<suite_param> params;
  if (family == suite_family::undeclared_tables) {
    for (const auto& schema : manifest_schemas(m)) {
      params.push_back({family, 0, schema, schema});
    }
  } else {
    for (std::size_t i = 0; i < m.models.size(); ++i) {
      const model_spec& model = m.models[i];
      if (declares_kind(family, model, m)) params.push_back({family, i, model.schema, model.name});
    }
  }
  std::vector<std::string> raw;
  for (const auto& p : params) raw.push_back(p.name);
  const auto names = unique_names(raw);
  for (std::size_t i = 0; i < params.size(); ++i) params[i].name = names[i];
  return params;
}

std::vector<suite_param> lifecycle_params(suite_family family, const migrations_config& config,
                                          const migration_set* set) {
  std::vector<suite_param> params;
  switch (family) {
    case suite_family::migrations_apply:
      if (set != nullptr || config.up) params.push_back({family, 0, "", "all"});
      break;
    case suite_family::migrations_round_trip:
      // Command mode rolls back with the configured `down:` command only.
      if (set != nullptr || (config.up && config.down)) params.push_back({family, 0, "", "all"});
      break;
    case suite_family::migrations_step: {
      if (set == nullptr) break;
      std::vector<std::string> raw;
      for (std::size_t i = 0; i < set->steps.size(); ++i) {
        params.push_back({family, i, "", ""});
        raw.push_back(set->steps[i].version);
      }
      const auto names = unique_names(raw);
      for (std::size_t i = 0; i < params.size(); ++i) params[i].name = names[i];
      break;
    }
    default:
      break;
  }
  return params;
}

void register_manifest(const manifest& m) {
  for (suite_family family : all_suite_families()) registry()[family] = params_for(family, m);
  for (suite_family family : probe_families()) registry()[family] = params_for(family, m);
}

void register_migrations(const project_config& config) {
  migrations_slot().reset();
  if (config.migrations.dir) migrations_slot() = read_migrations(config.migrations);
  const migration_set* set = migrations_slot() ? &*migrations_slot() : nullptr;
  for (suite_family family : lifecycle_families()) {
    registry()[family] = lifecycle_params(family, config.migrations, set);
  }
}

const std::optional<migration_set>& registered_migrations() { return migrations_slot(); }

const std::vector<suite_param>& registered(suite_family family) { return registry()[family]; }

}  // namespace pgparity::harness
