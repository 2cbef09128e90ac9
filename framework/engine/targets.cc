#include "engine/targets.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "engine/kinds.h"

namespace pgparity::engine {
namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

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

}  // namespace

std::string target::test_name() const {
  return std::string(info(kind).suite_title) + ".Check/" + name;
}

std::string sanitize_test_name(const std::string& raw) {
  if (raw.empty()) return "_";
  std::string out = raw;
  std::replace_if(
      out.begin(), out.end(), [](char c) { return !is_name_char(c); }, '_');
  return out;
}

bool uses_enum(const model_spec& model) {
  return std::any_of(model.columns.begin(), model.columns.end(),
                     [](const column_spec& c) { return c.enum_name.has_value(); });
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

std::vector<target> model_targets(check_kind kind, const manifest& m) {
  std::vector<target> params;
  const kind_info& k = info(kind);
  if (k.scope == scope::per_schema) {
    for (const auto& schema : manifest_schemas(m)) {
      params.push_back({kind, 0, schema, schema});
    }
  } else {
    for (std::size_t i = 0; i < m.models.size(); ++i) {
      const model_spec& model = m.models[i];
      if (k.scope == scope::per_model && k.applies(model, m)) {
        params.push_back({kind, i, model.schema, model.name});
      }
    }
  }
  std::vector<std::string> raw;
  for (const auto& p : params) raw.push_back(p.name);
  const auto names = unique_names(raw);
  for (std::size_t i = 0; i < params.size(); ++i) params[i].name = names[i];
  return params;
}

std::vector<target> lifecycle_targets(check_kind kind, const migrations_config& config,
                                      const migration_set* set) {
  std::vector<target> params;
  switch (kind) {
    case check_kind::migrations_apply:
      if (set != nullptr || config.up) params.push_back({kind, 0, "", "all"});
      break;
    case check_kind::migrations_round_trip:
      // Command mode rolls back with the configured `down:` command only.
      if (set != nullptr || (config.up && config.down)) params.push_back({kind, 0, "", "all"});
      break;
    case check_kind::migrations_with_data:
    case check_kind::migrations_step: {
      if (set == nullptr) break;
      if (kind == check_kind::migrations_with_data && !config.with_data) break;
      std::vector<std::string> raw;
      // One target per rollback unit (a step, or a popx migration split into statements),
      // named after its first version.
      for (std::size_t i = 0; i < set->steps.size(); i = unit_end(*set, i)) {
        params.push_back({kind, i, "", ""});
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

}  // namespace pgparity::engine
