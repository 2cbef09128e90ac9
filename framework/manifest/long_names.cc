#include "manifest/long_names.h"

#include <vector>

namespace pgparity::manifest_detail {
namespace {

// Clips a declared name and says so.
void clip_declared(manifest& m, std::string& name, const source_location& at,
                   const std::string& what) {
  const std::string whole = name;
  if (!clip_identifier(name)) return;
  m.notes.push_back(at.str() + ": " + what + " `" + whole + "` is " + std::to_string(whole.size()) +
                    " bytes; PostgreSQL keeps only its first " +
                    std::to_string(max_identifier_bytes) +
                    ", so it is checked (and fix SQL names " + "it) as `" + name + "`");
}

void clip_all(std::vector<std::string>& names) {
  for (auto& name : names) clip_identifier(name);
}

void clip_optional(manifest& m, std::optional<std::string>& name, const source_location& at,
                   const std::string& what) {
  if (name) clip_declared(m, *name, at, what);
}

void clip_constraints(manifest& m, model_spec& model) {
  for (auto& fk : model.foreign_keys) {
    clip_optional(m, fk.name, fk.location, "foreign key name");
    clip_all(fk.columns);
    clip_identifier(fk.ref_schema);
    clip_identifier(fk.ref_table);
    clip_all(fk.ref_columns);
  }
  for (auto& ix : model.indexes) {
    clip_optional(m, ix.name, ix.location, "index name");
    if (ix.include) clip_all(*ix.include);
  }
  for (auto& u : model.uniques) {
    clip_optional(m, u.name, u.location, "unique constraint name");
    clip_all(u.columns);
  }
  for (auto& c : model.checks) clip_optional(m, c.name, c.location, "check constraint name");
  for (auto& x : model.exclusions) clip_optional(m, x.name, x.location, "exclusion name");
}

}  // namespace

bool clip_identifier(std::string& name) {
  if (name.size() <= max_identifier_bytes) return false;
  std::size_t end = max_identifier_bytes;
  // Never half a UTF-8 character: back up over continuation bytes.
  while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0u) == 0x80u) --end;
  name.resize(end);
  return true;
}

void clip_long_names(manifest& m) {
  clip_identifier(m.schema);
  for (auto& e : m.enums) {
    clip_identifier(e.schema);
    clip_declared(m, e.name, e.location, "enum name");
  }
  for (auto& model : m.models) {
    clip_identifier(model.schema);
    clip_declared(m, model.table, model.location, "table name");
    if (model.soft_delete) clip_identifier(*model.soft_delete);
    for (auto& c : model.columns) clip_declared(m, c.name, c.location, "column name");
    clip_constraints(m, model);
  }
}

}  // namespace pgparity::manifest_detail
