// `models: overlay:`: what the ORM cannot say, written beside it in manifest syntax:
//
//   models:
//     User:
//       soft_delete: is_deleted
//       columns:
//         email: {sample: "'a@example.com'"}

#include "common/did_you_mean.h"
#include "common/error.h"
#include "common/input_file.h"
#include "manifest/model_export.h"
#include "manifest/sql_fragments.h"
#include "manifest/yaml_reader.h"

namespace pgparity {
namespace {

using manifest_detail::check_sql_fragment;
using manifest_detail::checked_map;
using manifest_detail::fail;
using manifest_detail::location_of;

std::vector<std::string> names_of(const std::vector<model_spec>& models) {
  std::vector<std::string> out;
  for (const auto& m : models) out.push_back(m.name);
  return out;
}

std::vector<std::string> names_of(const std::vector<column_spec>& columns) {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(c.name);
  return out;
}

// Finds `name` in `items` or fails at `at` with a did-you-mean among their names.
template <typename T>
T& find_named(std::vector<T>& items, const std::string& name, const std::string& kind,
              const source_location& at) {
  for (auto& item : items) {
    if (item.name == name) return item;
  }
  std::string hint = did_you_mean_suffix(name, names_of(items));
  if (hint.empty()) hint = "; the overlay can only add to what the SQLAlchemy models declare";
  fail(at, "no " + kind + " `" + name + "` in the SQLAlchemy models" + hint);
}

void overlay_model(model_spec& model, const YAML::Node& value, const std::string& file) {
  const checked_map m(value, file, "model `" + model.name + "` in the overlay",
                      {"soft_delete", "columns"});
  if (const auto flag = m.text("soft_delete")) {
    find_named(model.columns, *flag, "column", m.value_location("soft_delete"));
    model.soft_delete = flag;
  }
  const YAML::Node columns = m.value("columns");
  if (!columns.IsDefined() || columns.IsNull()) return;
  for (const auto& pair : columns) {
    column_spec& column =
        find_named(model.columns, pair.first.Scalar(), "column", location_of(pair.first, file));
    const checked_map c(pair.second, file, "column `" + column.name + "` in the overlay",
                        {"sample"});
    if (c.has("sample")) {
      column.sample = c.value("sample").IsNull() ? std::string("NULL") : *c.text("sample");
      check_sql_fragment(*column.sample, c.value_location("sample"),
                         "`sample` of column `" + column.name + "` in the overlay");
    }
  }
}

}  // namespace

void apply_overlay(manifest& declared, const std::string& overlay_path) {
  apply_overlay(declared, overlay_path,
                read_input_file(overlay_path, "overlay", max_yaml_file_bytes));
}

void apply_overlay(manifest& declared, const std::string& overlay_path,
                   const std::string& overlay_text) {
  const YAML::Node root = manifest_detail::parse_yaml(overlay_text, overlay_path);
  if (root.IsNull()) return;
  const checked_map top(root, overlay_path, "the overlay", {"models"});
  const YAML::Node models = top.value("models");
  if (!models.IsDefined() || models.IsNull()) return;
  if (!models.IsMap()) {
    fail(top.value_location("models"),
         "expected a map of model name to `soft_delete:` / "
         "`columns:` in the overlay; see docs/sqlalchemy.md");
  }
  for (const auto& pair : models) {
    model_spec& model = find_named(declared.models, pair.first.Scalar(), "model",
                                   location_of(pair.first, overlay_path));
    overlay_model(model, pair.second, overlay_path);
  }
}

}  // namespace pgparity
