#include "manifest/model_spec.h"

namespace pgparity {

const column_spec* model_spec::find_column(const std::string& column) const {
  for (const auto& c : columns) {
    if (c.name == column) return &c;
  }
  return nullptr;
}

std::vector<std::string> model_spec::primary_key() const {
  std::vector<std::string> out;
  for (const auto& c : columns) {
    if (c.primary_key) out.push_back(c.name);
  }
  return out;
}

const model_spec* manifest::find_model(const std::string& model_name) const {
  for (const auto& model : models) {
    if (model.name == model_name) return &model;
  }
  return nullptr;
}

const model_spec* manifest::find_table(const std::string& schema_name,
                                       const std::string& table) const {
  for (const auto& model : models) {
    if (model.schema == schema_name && model.table == table) return &model;
  }
  return nullptr;
}

const enum_spec* manifest::find_enum(const std::string& enum_name) const {
  const auto dot = enum_name.find('.');
  for (const auto& e : enums) {
    if (dot == std::string::npos
            ? e.name == enum_name
            : e.schema == enum_name.substr(0, dot) && e.name == enum_name.substr(dot + 1)) {
      return &e;
    }
  }
  return nullptr;
}

const model_spec* manifest::resolve_table(const std::string& from_schema,
                                          const std::string& table) const {
  if (const model_spec* same_schema = find_table(from_schema, table)) return same_schema;
  return find_table(schema, table);
}

}  // namespace pgparity
