// Reading the exporter's JSON (a YAML subset, so yaml-cpp reads it) into specs.
#include <map>

#include "common/error.h"
#include "manifest/model_export.h"
#include "manifest/sql_fragments.h"
#include "manifest/yaml_reader.h"

namespace pgparity {
namespace {

constexpr int exporter_version = 1;

class export_reader {
 public:
  explicit export_reader(std::string origin) : origin_(std::move(origin)) {}

  model_export read(const YAML::Node& root) {
    if (!root.IsMap() || !root["exporter"] || root["exporter"].as<int>(0) != exporter_version) {
      malformed("not an export of exporter version " + std::to_string(exporter_version));
    }
    model_export out;
    out.declared.file = origin_;
    out.files = texts(root["files"], "files");
    for (const auto& e : list(root["enums"], "enums")) out.declared.enums.push_back(read_enum(e));
    std::map<std::string, source_location> seen;
    for (const auto& node : list(root["models"], "models")) {
      model_spec model = read_model(node);
      const auto first = seen.find(model.name);
      if (first != seen.end()) {
        throw input_error(model.location.str() + ": two models are named `" + model.name +
                          "` (the other at " + first->second.str() +
                          "); test names come from class names, so rename one of the classes");
      }
      manifest_detail::check_sql_fragments(model);
      seen.emplace(model.name, model.location);
      out.declared.models.push_back(std::move(model));
    }
    return out;
  }

 private:
  [[noreturn]] void malformed(const std::string& what) const {
    throw input_error(origin_ + ": the SQLAlchemy exporter's output is malformed (" + what +
                      "); pgparity and its exporter do not match: reinstall pgparity");
  }

  YAML::Node list(const YAML::Node& node, const std::string& key) const {
    if (node && !node.IsSequence()) malformed("`" + key + "` is not a list");
    return node ? node : YAML::Node(YAML::NodeType::Sequence);
  }

  std::string text(const YAML::Node& node, const std::string& key) const {
    if (!node[key] || !node[key].IsScalar()) malformed("no text `" + key + "`");
    return node[key].Scalar();
  }

  // Absent or JSON null: nullopt.
  std::optional<std::string> optional_text(const YAML::Node& node, const std::string& key) const {
    if (!node[key] || node[key].IsNull()) return std::nullopt;
    return text(node, key);
  }

  bool flag(const YAML::Node& node, const std::string& key) const {
    return node[key] && node[key].IsScalar() && node[key].Scalar() == "true";
  }

  // Absent: not declared, so not compared.
  std::optional<bool> optional_flag(const YAML::Node& node, const std::string& key) const {
    if (!node[key] || node[key].IsNull()) return std::nullopt;
    return flag(node, key);
  }

  deferral_spec deferral(const YAML::Node& node) const {
    return {optional_flag(node, "deferrable"), optional_flag(node, "initially_deferred")};
  }

  std::vector<std::string> texts(const YAML::Node& node, const std::string& key) const {
    std::vector<std::string> out;
    for (const auto& item : list(node, key)) {
      if (!item.IsScalar()) malformed("`" + key + "` holds a non-text item");
      out.push_back(item.Scalar());
    }
    return out;
  }

  source_location where(const YAML::Node& node) const {
    return source_location{text(node, "file"), node["line"] ? node["line"].as<int>(0) : 0, 0};
  }

  std::string schema_of(const YAML::Node& node, const std::string& key) const {
    return optional_text(node, key).value_or("public");
  }

  enum_spec read_enum(const YAML::Node& node) const {
    enum_spec e;
    e.name = text(node, "name");
    e.schema = schema_of(node, "schema");
    e.labels = texts(node["labels"], "labels");
    e.location = where(node);
    return e;
  }

  column_spec read_column(const YAML::Node& node) const {
    column_spec c;
    c.name = text(node, "name");
    c.type = text(node, "type");
    c.primary_key = flag(node, "primary_key");
    c.nullable = !c.primary_key && flag(node, "nullable");
    // Only a server_default is a database default; without one the default is not compared
    // (a Python-side `default=` never reaches the database).
    c.default_declared = static_cast<bool>(node["default"]);
    c.default_expr = optional_text(node, "default");
    c.enum_name = optional_text(node, "enum");
    c.identity = optional_text(node, "identity");  // "always" or "by default"
    if (c.identity) c.nullable = false;
    c.generated = optional_text(node, "generated");
    c.collation = optional_text(node, "collation");
    c.location = where(node);
    return c;
  }

  foreign_key_spec read_foreign_key(const YAML::Node& node) const {
    foreign_key_spec fk;
    fk.name = optional_text(node, "name");
    fk.columns = texts(node["columns"], "columns");
    fk.ref_schema = schema_of(node, "ref_schema");
    fk.ref_table = text(node, "ref_table");
    fk.ref_columns = texts(node["ref_columns"], "ref_columns");
    fk.on_delete = optional_text(node, "on_delete");
    fk.on_update = optional_text(node, "on_update");
    fk.deferral = deferral(node);
    fk.location = where(node);
    return fk;
  }

  index_spec read_index(const YAML::Node& node) const {
    index_spec ix;
    ix.name = optional_text(node, "name");
    ix.keys = texts(node["keys"], "keys");
    ix.unique = flag(node, "unique");
    ix.predicate = optional_text(node, "where");
    ix.method = optional_text(node, "method");
    if (node["include"]) ix.include = texts(node["include"], "include");
    ix.nulls_not_distinct = optional_flag(node, "nulls_not_distinct");
    ix.location = where(node);
    return ix;
  }

  // Elements are written `<column or expression> WITH <operator>`.
  exclusion_spec read_exclusion(const YAML::Node& node) const {
    exclusion_spec x;
    x.name = optional_text(node, "name");
    x.method = optional_text(node, "using").value_or("gist");
    for (const auto& element : texts(node["elements"], "elements")) {
      const auto with = element.rfind(" WITH ");
      if (with == std::string::npos) malformed("an exclusion element has no ` WITH `");
      x.elements.push_back({element.substr(0, with), element.substr(with + 6)});
    }
    x.predicate = optional_text(node, "where");
    x.location = where(node);
    return x;
  }

  model_spec read_model(const YAML::Node& node) const {
    model_spec m;
    m.name = text(node, "name");
    m.schema = schema_of(node, "schema");
    m.table = text(node, "table");
    m.location = where(node);
    for (const auto& c : list(node["columns"], "columns")) m.columns.push_back(read_column(c));
    for (const auto& f : list(node["foreign_keys"], "foreign_keys")) {
      m.foreign_keys.push_back(read_foreign_key(f));
    }
    for (const auto& i : list(node["indexes"], "indexes")) m.indexes.push_back(read_index(i));
    for (const auto& u : list(node["uniques"], "uniques")) {
      unique_spec spec;
      spec.name = optional_text(u, "name");
      spec.columns = texts(u["columns"], "columns");
      spec.nulls_not_distinct = optional_flag(u, "nulls_not_distinct");
      spec.deferral = deferral(u);
      spec.location = where(u);
      m.uniques.push_back(std::move(spec));
    }
    if (node["primary_key"]) m.primary_key_deferral = deferral(node["primary_key"]);
    for (const auto& x : list(node["exclusions"], "exclusions"))
      m.exclusions.push_back(read_exclusion(x));
    for (const auto& k : list(node["checks"], "checks")) {
      m.checks.push_back({optional_text(k, "name"), text(k, "expression"), std::nullopt, where(k)});
    }
    return m;
  }

  std::string origin_;
};

}  // namespace

model_export read_model_export(const std::string& json_text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(json_text);
  } catch (const YAML::Exception& e) {
    throw input_error(
        origin + ": the SQLAlchemy exporter printed no readable JSON (" + e.msg +
        "); its output was cut short: run `pgparity lint` to see the exporter's error");
  }
  return export_reader(origin).read(root);
}

}  // namespace pgparity
