// The long forms under a model: indexes, unique, checks and foreign_keys.
#include <algorithm>
#include <cctype>

#include "common/did_you_mean.h"
#include "common/index_key.h"
#include "common/sql_names.h"
#include "manifest/manifest_parser.h"

namespace pgparity {
namespace manifest_detail {
namespace {

const std::vector<std::string> index_keys{
    "name", "columns", "unique", "where", "method", "include", "nulls_not_distinct"};
const std::vector<std::string> unique_keys{
    "name",       "columns",           "allow_soft_deleted_duplicates", "nulls_not_distinct",
    "deferrable", "initially_deferred"};
const std::vector<std::string> check_keys{"name", "expression"};
const std::vector<std::string> foreign_key_keys{
    "name", "columns", "references", "on_delete", "on_update", "deferrable", "initially_deferred"};
const std::vector<std::string> exclusion_keys{"name", "using", "elements", "where"};
const std::vector<std::string> element_keys{"column", "expression", "operator"};
const std::vector<std::string> reference_keys{"table", "columns", "schema"};
const std::vector<std::string> actions{"cascade", "set null", "set default", "restrict",
                                       "no action"};

struct located_text {
  std::string text;
  source_location at;
};

// A non-empty list of texts, each with its own position.
std::vector<located_text> located_list(const YAML::Node& node, const std::string& file,
                                       const std::string& label, const source_location& owner) {
  const std::vector<std::string> texts = read_text_list(node, file, label);
  if (texts.empty()) {
    fail(owner, label + " is empty; list at least one column");
  }
  std::vector<located_text> out;
  std::size_t i = 0;
  for (const auto& item : node) out.push_back({texts[i++], location_of(item, file)});
  return out;
}

// "index `ix_users_email` of model `User`" or "index 2 of model `User`".
std::string describe_entry(const std::string& kind, const YAML::Node& item, std::size_t number,
                           const std::string& model) {
  const YAML::Node name = item.IsMap() ? item["name"] : YAML::Node();
  const std::string id =
      name.IsDefined() && name.IsScalar() ? "`" + name.Scalar() + "`" : std::to_string(number);
  return kind + " " + id + " of model `" + model + "`";
}

std::vector<std::string> texts_of(const std::vector<located_text>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.text);
  return out;
}

}  // namespace

bool is_identifier(const std::string& text) {
  if (text.empty()) return false;
  const auto first = static_cast<unsigned char>(text[0]);
  if (!std::isalpha(first) && first != '_') return false;
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '_' || c == '$'; });
}

deferral_spec read_deferral(const checked_map& m) {
  deferral_spec d;
  d.deferrable = m.boolean("deferrable");
  d.initially_deferred = m.boolean("initially_deferred");
  if (d.initially_deferred == true && d.deferrable == false) {
    fail(m.key_location("initially_deferred"),
         m.what() + " is `initially_deferred` but not `deferrable`; a constraint that starts " +
             "deferred must be deferrable: remove `deferrable: false`");
  }
  return d;
}

referential_action read_action(const YAML::Node& node, const std::string& file,
                               const std::string& label) {
  const std::string written = read_text(node, file, label);
  // Any case, `_` or `-` for the space, extra blanks: SET NULL, set_null, Set-Null.
  std::string action;
  for (const char ch : written) {
    const char c = ch == '_' || ch == '-' ? ' ' : ch;
    if (c == ' ' && (action.empty() || action.back() == ' ')) continue;
    action += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!action.empty() && action.back() == ' ') action.pop_back();
  if (std::find(actions.begin(), actions.end(), action) != actions.end()) return action;
  std::string hint = did_you_mean_suffix(action, actions);
  if (hint.empty()) hint = "; expected " + one_of(actions);
  fail(location_of(node, file), "unknown action `" + written + "` for " + label + hint);
}

void manifest_parser::parse_index(model_spec& model, const YAML::Node& item, std::size_t number) {
  index_spec ix;
  ix.location = location_of(item, file_);
  const std::string what = describe_entry("index", item, number, model.name);
  std::vector<located_text> keys;
  if (item.IsSequence()) {
    keys = located_list(item, file_, "the columns of " + what, ix.location);
  } else if (item.IsMap()) {
    const checked_map m(item, file_, what, index_keys);
    ix.name = m.text("name");
    if (!m.has("columns")) fail(ix.location, what + " has no `columns`; add `columns: [a, b]`");
    keys = located_list(m.value("columns"), file_, "`columns` in " + what, ix.location);
    ix.unique = m.boolean("unique");
    ix.predicate = m.text("where");
    ix.method = m.text("method");
    ix.nulls_not_distinct = m.boolean("nulls_not_distinct");
    if (ix.nulls_not_distinct == true && ix.unique != true) {
      fail(m.key_location("nulls_not_distinct"),
           what + " has `nulls_not_distinct` but is not unique; add `unique: true`");
    }
    if (m.has("include")) {
      // An empty list is meaningful: the index must include nothing.
      ix.include = read_text_list(m.value("include"), file_, "`include` in " + what);
      std::size_t i = 0;
      for (const auto& column : m.value("include")) {
        require_column(model, (*ix.include)[i++], what, location_of(column, file_));
      }
    }
    if (ix.method) {
      std::transform(ix.method->begin(), ix.method->end(), ix.method->begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
  } else {
    fail(ix.location, "expected `{name: ..., columns: [...]}` or a list of columns for " + what +
                          ", got " + describe(item) + "; see docs/manifest.md#indexes");
  }
  // Expressions such as lower(email) are the server's to judge; bare names must be columns.
  for (const auto& key : keys) {
    require_sql_spelling(model, key.text, what, key.at);
    const std::string column = split_index_key(key.text).expression;
    if (is_identifier(column)) require_column(model, column, what, key.at);
  }
  ix.keys = texts_of(keys);
  model.indexes.push_back(std::move(ix));
}

// An index key is SQL: a column whose name needs quotes (a space, capitals, a reserved word),
// written bare, is read by PostgreSQL as another name or an expression.
void manifest_parser::require_sql_spelling(const model_spec& model, const std::string& key,
                                           const std::string& what,
                                           const source_location& at) const {
  // `user id` whole, or `Weird` of `Weird DESC`.
  const std::string expression = split_index_key(key).expression;
  const std::string& column = model.find_column(key) != nullptr ? key : expression;
  if (model.find_column(column) == nullptr) return;
  const std::string quoted = sql::quote_ident(column);
  if (quoted == column) return;
  fail(at, what + " names column `" + column + "` without the quotes SQL needs; write it as " +
               "CREATE INDEX does: '" + quoted + key.substr(column.size()) + "'");
}

void manifest_parser::parse_unique(model_spec& model, const YAML::Node& item, std::size_t number) {
  unique_spec u;
  u.location = location_of(item, file_);
  const std::string what = describe_entry("unique constraint", item, number, model.name);
  std::vector<located_text> columns;
  if (item.IsSequence()) {
    columns = located_list(item, file_, "the columns of " + what, u.location);
  } else if (item.IsMap()) {
    const checked_map m(item, file_, what, unique_keys);
    u.name = m.text("name");
    if (!m.has("columns")) fail(u.location, what + " has no `columns`; add `columns: [a, b]`");
    columns = located_list(m.value("columns"), file_, "`columns` in " + what, u.location);
    u.allows_soft_deleted_duplicates = m.boolean("allow_soft_deleted_duplicates").value_or(false);
    if (u.allows_soft_deleted_duplicates && !model.soft_delete) {
      fail(m.key_location("allow_soft_deleted_duplicates"),
           what + " allows soft-deleted duplicates, but the model has no `soft_delete` " +
               "column; add `soft_delete: <flag column>` to model `" + model.name + "`");
    }
    u.nulls_not_distinct = m.boolean("nulls_not_distinct");
    u.deferral = read_deferral(m);
    if (u.allows_soft_deleted_duplicates && u.deferral.deferrable == true) {
      fail(m.key_location("deferrable"),
           what + " allows soft-deleted duplicates, which a partial unique index enforces, " +
               "and an index cannot be deferrable; remove one of the two keys");
    }
  } else {
    fail(u.location, "expected `[a, b]` or `{name: ..., columns: [a, b]}` for " + what + ", got " +
                         describe(item) + "; see docs/manifest.md#unique");
  }
  for (const auto& column : columns) require_column(model, column.text, what, column.at);
  u.columns = texts_of(columns);
  model.uniques.push_back(std::move(u));
}

void manifest_parser::parse_check(model_spec& model, const YAML::Node& item, std::size_t number) {
  check_spec check;
  check.location = location_of(item, file_);
  const std::string what = describe_entry("check", item, number, model.name);
  if (item.IsScalar()) {
    check.expression = read_text(item, file_, what);
  } else if (item.IsMap()) {
    const checked_map m(item, file_, what, check_keys);
    check.name = m.text("name");
    check.expression =
        m.required_text("expression", "add `expression: \"<SQL condition>\"`", check.location);
  } else {
    fail(check.location, "expected `{name: ..., expression: \"...\"}` for " + what + ", got " +
                             describe(item) + "; see docs/manifest.md#checks");
  }
  model.checks.push_back(std::move(check));
}

// `{column: room_id, operator: "="}`, `{expression: "lower(name)", operator: "="}` or the
// SQL form `room_id WITH =`.
exclusion_element manifest_parser::parse_exclusion_element(const model_spec& model,
                                                           const YAML::Node& item,
                                                           const std::string& what) {
  const source_location at = location_of(item, file_);
  const std::string hint = "; write `{column: room_id, operator: \"=\"}` or `room_id WITH =`";
  exclusion_element e;
  if (item.IsScalar()) {
    const std::string text = item.Scalar();
    const auto with = text.rfind(" WITH ");
    if (with == std::string::npos)
      fail(at, "expected `<column> WITH <operator>` in " + what + hint);
    e.key = text.substr(0, with);
    e.op = text.substr(with + 6);
  } else if (item.IsMap()) {
    const checked_map m(item, file_, "an element of " + what, element_keys);
    if (m.has("column") == m.has("expression")) {
      fail(at, "an element of " + what + " needs one of `column` or `expression`" + hint);
    }
    e.key = m.has("column") ? *m.text("column") : *m.text("expression");
    e.op = m.required_text("operator", "add `operator: \"=\"` (or `&&`, ...)", at);
  } else {
    fail(at, "expected an element of " + what + ", got " + describe(item) + hint);
  }
  if (is_identifier(e.key)) require_column(model, e.key, what, at);
  return e;
}

void manifest_parser::parse_exclusion(model_spec& model, const YAML::Node& item,
                                      std::size_t number) {
  exclusion_spec x;
  x.location = location_of(item, file_);
  const std::string what = describe_entry("exclusion constraint", item, number, model.name);
  if (!item.IsMap()) {
    fail(x.location, "expected `{using: gist, elements: [...]}` for " + what + ", got " +
                         describe(item) + "; see docs/manifest.md#exclusions");
  }
  const checked_map m(item, file_, what, exclusion_keys);
  x.name = m.text("name");
  if (const auto method = m.text("using")) {
    x.method = *method;
    std::transform(x.method.begin(), x.method.end(), x.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  const YAML::Node elements = m.value("elements");
  if (!elements.IsSequence() || elements.size() == 0) {
    fail(m.has("elements") ? m.value_location("elements") : x.location,
         what + " needs a non-empty list `elements`; write e.g. `elements: [room_id WITH =, " +
             "during WITH &&]`");
  }
  for (const auto& element : elements) {
    x.elements.push_back(parse_exclusion_element(model, element, what));
  }
  x.predicate = m.text("where");
  model.exclusions.push_back(std::move(x));
}

void manifest_parser::parse_foreign_key(model_spec& model, const YAML::Node& item,
                                        std::size_t number) {
  foreign_key_spec fk;
  fk.location = location_of(item, file_);
  const std::string what = describe_entry("foreign key", item, number, model.name);
  if (!item.IsMap()) {
    fail(fk.location, "expected `{columns: [...], references: {table: ..., columns: [...]}}` " +
                          std::string("for ") + what + ", got " + describe(item) +
                          "; see docs/manifest.md#foreign-keys");
  }
  const checked_map m(item, file_, what, foreign_key_keys);
  fk.name = m.text("name");
  if (!m.has("columns")) fail(fk.location, what + " has no `columns`; add `columns: [a]`");
  const auto columns = located_list(m.value("columns"), file_, "`columns` in " + what, fk.location);
  for (const auto& column : columns) require_column(model, column.text, what, column.at);
  fk.columns = texts_of(columns);
  if (!m.has("references")) {
    fail(fk.location, what + " has no `references`; add `references: {table: t, columns: [id]}`");
  }
  const YAML::Node target = m.value("references");
  if (!target.IsMap()) {
    fail(m.value_location("references"),
         "expected `{table: ..., columns: [...]}` for `references` in " + what + ", got " +
             describe(target) + "; write e.g. `references: {table: users, columns: [id]}`");
  }
  const checked_map r(target, file_, "`references` of " + what, reference_keys);

  pending_reference ref;
  ref.model = result_.models.size();
  ref.foreign_key = model.foreign_keys.size();
  ref.what = what;
  ref.table =
      r.required_text("table", "add `table: <referenced table>`", m.value_location("references"));
  ref.table_location = r.value_location("table");
  ref.schema = r.text("schema");
  if (r.has("columns")) {
    const auto targets = located_list(r.value("columns"), file_,
                                      "`columns` in `references` of " + what, ref.table_location);
    ref.columns = texts_of(targets);
    for (const auto& t : targets) ref.column_locations.push_back(t.at);
  }
  if (m.has("on_delete")) {
    fk.on_delete = read_action(m.value("on_delete"), file_, "`on_delete` in " + what);
  }
  if (m.has("on_update")) {
    fk.on_update = read_action(m.value("on_update"), file_, "`on_update` in " + what);
  }
  fk.deferral = read_deferral(m);
  model.foreign_keys.push_back(std::move(fk));
  pending_.push_back(std::move(ref));
}

}  // namespace manifest_detail
}  // namespace pgparity
