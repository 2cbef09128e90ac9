// Top level, enums, models and columns. Constraints are in model_constraints.cc, foreign-key
// targets in resolve_references.cc.
#include "manifest/manifest_parser.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/did_you_mean.h"
#include "common/sql_names.h"
#include "manifest/sql_fragments.h"

namespace pgparity {
namespace manifest_detail {
namespace {

const std::vector<std::string> top_keys{"version", "schema", "enums", "models"};
const std::vector<std::string> model_keys{"table",       "schema",    "soft_delete", "columns",
                                          "indexes",     "unique",    "checks",      "foreign_keys",
                                          "primary_key", "exclusions"};
const std::vector<std::string> column_keys{
    "type",   "nullable", "primary_key", "default",  "references", "on_delete", "on_update",
    "unique", "index",    "sample",      "identity", "generated",  "collation"};
const std::vector<std::string> primary_key_keys{"deferrable", "initially_deferred"};
const std::vector<std::string> identities{"always", "by default"};

// Built-in type names that are never taken for a misspelt enum (`int` is not a typo of an enum
// called `ints`). Only suggestions use this; types themselves are judged by the server.
const std::set<std::string> builtin_types{
    "bigint", "bigserial",   "bit",     "bool",        "boolean", "box",     "bytea",
    "char",   "cidr",        "citext",  "date",        "decimal", "float4",  "float8",
    "inet",   "int",         "int2",    "int4",        "int8",    "integer", "interval",
    "json",   "jsonb",       "line",    "macaddr",     "money",   "numeric", "oid",
    "point",  "real",        "serial",  "smallint",    "text",    "time",    "timestamp",
    "timetz", "timestamptz", "tsquery", "tsvector",    "uuid",    "varbit",  "varchar",
    "xml",    "ltree",       "hstore",  "smallserial", "polygon", "circle",  "path"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// "user_status[]" -> "user_status": an array of an enum uses that enum.
std::string element_type(std::string type) {
  while (type.size() > 2 && type.compare(type.size() - 2, 2, "[]") == 0) {
    type.erase(type.size() - 2);
    while (!type.empty() && type.back() == ' ') type.pop_back();
  }
  return type;
}

// Vectors grown one push_back at a time keep up to twice their size (a model's 12 columns take
// 16 slots of ~460 bytes): fitted once the model is complete, ~20 MB less at 10,000 models.
void fit(model_spec& model) {
  model.columns.shrink_to_fit();
  model.foreign_keys.shrink_to_fit();
  model.indexes.shrink_to_fit();
  model.uniques.shrink_to_fit();
  model.checks.shrink_to_fit();
  model.exclusions.shrink_to_fit();
}

bool is_qualified_identifier(const std::string& text) {
  const auto dot = text.find('.');
  if (dot == std::string::npos) return is_identifier(text);
  return is_identifier(text.substr(0, dot)) && is_identifier(text.substr(dot + 1));
}

}  // namespace

void manifest_parser::check_name(const YAML::Node& key, const std::string& kind,
                                 const std::string& owner,
                                 std::map<std::string, source_location>& seen) const {
  const source_location at = location_of(key, file_);
  if (!key.IsScalar() || key.Scalar().empty()) {
    fail(at, "expected a " + kind + " name in " + owner + ", got " + describe(key) +
                 "; names are plain words");
  }
  const std::string name = key.Scalar();
  const auto first = seen.find(name);
  if (first != seen.end()) {
    fail(at, "duplicate " + kind + " `" + name + "` in " + owner + first_declared(first->second) +
                 "; rename or remove one of them");
  }
  seen.emplace(name, at);
}

manifest manifest_parser::parse(const YAML::Node& root) { return parse(root, nullptr); }

manifest manifest_parser::parse(const YAML::Node& root, const model_feed& models) {
  result_.file = file_;
  if (!root.IsDefined() || root.IsNull()) {
    fail(source_location{file_, 1, 1},
         "the manifest is empty; start it with `version: 1` and a `models:` map "
         "(see docs/manifest.md)");
  }
  if (!root.IsMap()) {
    fail(location_of(root, file_), "expected a map with `version`, `enums` and `models` at the " +
                                       std::string("top of the manifest, got ") + describe(root) +
                                       "; see docs/manifest.md");
  }
  const checked_map top(root, file_, "the manifest", top_keys);
  if (top.has("version")) {
    const YAML::Node version = top.value("version");
    if (!version.IsScalar() || version.Scalar() != "1") {
      fail(top.value_location("version"), "unsupported manifest version " + describe(version) +
                                              "; this pgparity reads `version: 1`");
    }
  }
  result_.schema = top.text("schema").value_or("public");
  parse_enums(top.value("enums"));
  if (models) {
    std::map<std::string, source_location> seen;
    models([&](const YAML::Node& key, const YAML::Node& value) {
      check_name(key, "model", "`models`", seen);
      parse_model(key, value);
    });
  } else {
    for_each_named(
        top.value("models"), "model", "`models`",
        [this](const YAML::Node& key, const YAML::Node& value) { parse_model(key, value); });
  }
  resolve_references();
  result_.models.shrink_to_fit();
  return std::move(result_);  // parse() is called once: no second copy of every spec
}

void manifest_parser::parse_enums(const YAML::Node& node) {
  for_each_named(node, "enum", "`enums`", [this](const YAML::Node& key, const YAML::Node& value) {
    enum_spec e;
    e.location = location_of(key, file_);
    const std::string written = key.Scalar();
    const auto dot = written.find('.');
    e.schema = dot == std::string::npos ? result_.schema : written.substr(0, dot);
    e.name = dot == std::string::npos ? written : written.substr(dot + 1);
    if (e.schema.empty() || e.name.empty() || e.name.find('.') != std::string::npos) {
      fail(e.location, "expected `name` or `schema.name` for an enum, got `" + written +
                           "`; write e.g. `user_status: [pending, active]`");
    }
    const std::string what = "enum `" + written + "`";
    if (value.IsNull()) {
      fail(e.location,
           what + " has no labels; list them in order, e.g. `" + written + ": [pending, active]`");
    }
    if (!value.IsSequence()) {
      fail(location_of(value, file_), "expected a list of labels for " + what + ", got " +
                                          describe(value) + "; write `" + written +
                                          ": [label, ...]` with the labels in order");
    }
    std::map<std::string, source_location> seen;
    for (const auto& item : value) {
      const std::string label = read_text(item, file_, "a label of " + what);
      const source_location at = location_of(item, file_);
      const auto first = seen.find(label);
      if (first != seen.end()) {
        fail(at, "duplicate label `" + label + "` in " + what + first_declared(first->second) +
                     "; each label appears once");
      }
      seen.emplace(label, at);
      e.labels.push_back(label);
    }
    if (e.labels.empty()) {
      fail(e.location,
           what + " has no labels; list them in order, e.g. `" + written + ": [pending, active]`");
    }
    const std::string bare_sql = sql::quote_ident(e.name);
    const std::string qualified_sql = sql::quote_ident(e.schema) + "." + bare_sql;
    for (const std::string& spelling : {e.name, bare_sql}) {
      enum_names_.emplace(spelling, std::make_pair(e.name, bare_sql));
    }
    for (const std::string& spelling : {e.schema + "." + e.name, qualified_sql}) {
      enum_names_.emplace(spelling, std::make_pair(e.schema + "." + e.name, qualified_sql));
    }
    result_.enums.push_back(std::move(e));
  });
}

const model_spec* manifest_parser::find_table(const std::string& schema,
                                              const std::string& table) const {
  const auto found = tables_.find({schema, table});
  return found == tables_.end() ? nullptr : &result_.models[found->second];
}

void manifest_parser::parse_model(const YAML::Node& key, const YAML::Node& value) {
  model_spec model;
  model.name = key.Scalar();
  model.location = location_of(key, file_);
  const std::string what = "model `" + model.name + "`";
  const checked_map m(value, file_, what, model_keys);
  model.table = m.required_text("table", "add `table: <table name>`", model.location);
  model.schema = m.text("schema").value_or(result_.schema);

  const auto table_key = std::make_pair(model.schema, model.table);
  const auto other = tables_.find(table_key);
  if (other != tables_.end()) {
    const model_spec& first = result_.models[other->second];
    fail(m.value_location("table"), what + " maps to table `" + model.schema + "." + model.table +
                                        "` like model `" + first.name + "`" +
                                        first_declared(first.location) +
                                        "; each table belongs to one model");
  }

  for_each_named(m.value("columns"), "column", what,
                 [&](const YAML::Node& column_key, const YAML::Node& column_value) {
                   parse_column(model, column_key, column_value);
                 });

  if (const auto flag = m.text("soft_delete")) {
    require_column(model, *flag, "`soft_delete` of " + what, m.value_location("soft_delete"));
    model.soft_delete = flag;
  }

  // Long forms, after the columns so that every column they name is known.
  const auto each_item = [&](const std::string& list_key, auto parse_one) {
    const YAML::Node list = m.value(list_key);
    if (!list.IsDefined() || list.IsNull()) return;
    if (!list.IsSequence()) {
      fail(m.value_location(list_key), "expected a list for `" + list_key + "` in " + what +
                                           ", got " + describe(list) +
                                           "; write one `- ...` entry per line");
    }
    std::size_t number = 0;
    for (const auto& item : list) (this->*parse_one)(model, item, ++number);
  };
  each_item("indexes", &manifest_parser::parse_index);
  each_item("unique", &manifest_parser::parse_unique);
  each_item("checks", &manifest_parser::parse_check);
  each_item("foreign_keys", &manifest_parser::parse_foreign_key);
  each_item("exclusions", &manifest_parser::parse_exclusion);

  if (m.has("primary_key")) {
    const checked_map pk(m.value("primary_key"), file_, "`primary_key` of " + what,
                         primary_key_keys);
    model.primary_key_deferral = read_deferral(pk);
    if (model.primary_key().empty()) {
      fail(m.key_location("primary_key"),
           what + " has `primary_key` options but no primary-key column; add `primary_key: " +
               "true` to its key columns");
    }
  }

  check_sql_fragments(model);
  tables_.emplace(table_key, result_.models.size());
  fit(model);
  result_.models.push_back(std::move(model));
}

void manifest_parser::parse_column(model_spec& model, const YAML::Node& key,
                                   const YAML::Node& value) {
  column_spec column;
  column.name = key.Scalar();
  column.location = location_of(key, file_);
  const std::string what = "column `" + column.name + "` of model `" + model.name + "`";

  // Shorthand: `email: text` is a nullable column of that type.
  if (value.IsScalar()) {
    column.type = read_text(value, file_, what);
    check_enum_type(column, what, location_of(value, file_));
    model.columns.push_back(std::move(column));
    return;
  }

  const checked_map c(value, file_, what, column_keys);
  column.type = c.required_text("type", "add `type: <PostgreSQL type>`", column.location);
  check_enum_type(column, what, c.value_location("type"));
  column.primary_key = c.boolean("primary_key").value_or(false);
  const auto nullable = c.boolean("nullable");
  if (column.primary_key && nullable == true) {
    fail(c.value_location("nullable"),
         what + " is a primary key and cannot be nullable; remove `nullable: true`");
  }
  column.nullable = !column.primary_key && nullable.value_or(true);

  if (c.has("default")) {
    column.default_declared = true;
    const YAML::Node d = c.value("default");
    if (!d.IsNull()) column.default_expr = read_text(d, file_, "`default` in " + what);
  }
  if (c.has("sample")) {
    column.sample = c.value("sample").IsNull() ? std::string("NULL") : *c.text("sample");
  }
  parse_column_options(column, c, what);

  if (const auto target = c.text("references")) {
    pending_reference ref;
    ref.model = result_.models.size();
    ref.foreign_key = model.foreign_keys.size();
    ref.what = what;
    ref.table_location = c.value_location("references");
    ref.column_locations = {ref.table_location};
    std::vector<std::string> parts;
    std::string::size_type start = 0;
    for (auto dot = target->find('.'); dot != std::string::npos; dot = target->find('.', start)) {
      parts.push_back(target->substr(start, dot - start));
      start = dot + 1;
    }
    parts.push_back(target->substr(start));
    const bool empty_part =
        std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); });
    if (parts.size() < 2 || parts.size() > 3 || empty_part) {
      fail(ref.table_location,
           "expected `table.column` or `schema.table.column` for "
           "`references` in " +
               what + ", got `" + *target + "`; write e.g. `references: users.id`");
    }
    if (parts.size() == 3) ref.schema = parts[0];
    ref.table = parts[parts.size() - 2];
    ref.columns = std::vector<std::string>{parts.back()};

    foreign_key_spec fk;
    fk.columns = {column.name};
    fk.location = c.key_location("references");
    if (c.has("on_delete")) {
      fk.on_delete = read_action(c.value("on_delete"), file_, "`on_delete` in " + what);
    }
    if (c.has("on_update")) {
      fk.on_update = read_action(c.value("on_update"), file_, "`on_update` in " + what);
    }
    model.foreign_keys.push_back(std::move(fk));
    pending_.push_back(std::move(ref));
  } else {
    for (const char* action : {"on_delete", "on_update"}) {
      if (c.has(action)) {
        fail(c.key_location(action), "`" + std::string(action) + "` in " + what +
                                         " needs `references`; add `references: table.column`");
      }
    }
  }

  if (c.boolean("unique").value_or(false)) {
    unique_spec u;
    u.columns = {column.name};
    u.location = c.key_location("unique");
    model.uniques.push_back(std::move(u));
  }
  if (c.boolean("index").value_or(false)) {
    index_spec ix;
    // An index key is SQL (it may be an expression): a name that needs quotes gets them.
    ix.keys = {sql::quote_ident(column.name)};
    ix.location = c.key_location("index");
    model.indexes.push_back(std::move(ix));
  }
  model.columns.push_back(std::move(column));
}

// identity, generated, collation: one column has at most one of DEFAULT, IDENTITY, GENERATED.
void manifest_parser::parse_column_options(column_spec& column, const checked_map& c,
                                           const std::string& what) {
  if (c.has("identity")) {
    const std::string written = read_text(c.value("identity"), file_, "`identity` in " + what);
    std::string kind = lower(written);
    std::replace(kind.begin(), kind.end(), '_', ' ');
    std::replace(kind.begin(), kind.end(), '-', ' ');
    if (std::find(identities.begin(), identities.end(), kind) == identities.end()) {
      fail(c.value_location("identity"),
           "unknown identity `" + written + "` in " + what + "; expected `always` or `by_default`");
    }
    column.identity = kind;
    // An identity column is NOT NULL, as a primary-key column is.
    if (c.boolean("nullable") == true) {
      fail(c.value_location("nullable"),
           what + " is an identity column and cannot be nullable; remove `nullable: true`");
    }
    column.nullable = false;
  }
  column.generated = c.text("generated");
  column.collation = c.text("collation");
  // `collation: '"C"'` is the identifier C, as `collation: C` is.
  auto& name = column.collation;
  if (name && name->size() > 2 && name->front() == '"' && name->back() == '"') {
    *name = name->substr(1, name->size() - 2);
  }
  const char* set_by[] = {"default", "identity", "generated"};
  const char* first = nullptr;
  for (const char* key : set_by) {
    if (!c.has(key) || (std::string(key) == "default" && !column.default_expr)) continue;
    if (first) {
      fail(c.key_location(key), what + " has both `" + first + "` and `" + key +
                                    "`; PostgreSQL allows one of them per column: remove one");
    }
    first = key;
  }
}

void manifest_parser::check_enum_type(column_spec& column, const std::string& what,
                                      const source_location& at) {
  const std::string base = element_type(column.type);
  if (const auto found = enum_names_.find(base); found != enum_names_.end()) {
    column.enum_name = found->second.first;
    // The type is SQL: `Order Status` would not parse, `Mood` would name `mood`.
    column.type = found->second.second + column.type.substr(base.size());
    return;
  }
  if (!is_qualified_identifier(base) || builtin_types.count(lower(base)) != 0) return;
  std::vector<std::string> names;
  for (const auto& e : result_.enums) {
    names.push_back(e.name);
    names.push_back(e.schema + "." + e.name);
  }
  if (const auto match = closest_match(base, names)) {
    fail(at, what + " has type `" + column.type + "`, which is not a declared enum; " +
                 "did you mean `" + *match + "`?");
  }
}

void manifest_parser::require_column(const model_spec& model, const std::string& column,
                                     const std::string& what, const source_location& at) const {
  if (model.find_column(column) != nullptr) return;
  std::vector<std::string> names;
  for (const auto& c : model.columns) names.push_back(c.name);
  std::string hint = did_you_mean_suffix(column, names);
  if (hint.empty()) hint = "; declare it under `columns:` or fix the name";
  fail(at, what + " names column `" + column + "`, which model `" + model.name +
               "` does not declare" + hint);
}

}  // namespace manifest_detail
}  // namespace pgparity
