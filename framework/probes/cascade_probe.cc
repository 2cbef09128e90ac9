// Cascade probe: parent and child rows, the parent deleted (or its key changed), and the child
// looked at again.
#include <algorithm>
#include <cctype>

#include "probes/probe_support.h"
#include "probes/probes.h"
#include "probes/row_synthesis.h"
#include "probes/sql_text.h"

namespace pgparity {

using namespace probes_detail;  // NOLINT: this file is the probes_detail implementation

namespace {

using values = std::vector<std::optional<std::string>>;

std::string normalize_action(const std::string& action) {
  std::string out;
  for (char c : action) {
    const char lower =
        c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += lower;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string columns_text(const std::string& table, const std::vector<std::string>& columns) {
  if (columns.size() == 1) return table + "." + columns[0];
  return table + " (" + join(columns) + ")";
}

std::string values_text(const values& v) {
  std::vector<std::string> parts;
  for (const auto& value : v) parts.push_back(value ? *value : "NULL");
  return v.size() == 1 ? parts[0] : "(" + join(parts) + ")";
}

bool all_null(const values& v) {
  return std::all_of(v.begin(), v.end(), [](const auto& value) { return !value; });
}

// The first `count` fields of `row`, each in its type's text form; NULL as nullopt.
values fields(const pqxx::row& row, std::size_t count) {
  values out;
  for (pqxx::row::size_type i = 0; i < count; ++i) {
    out.push_back(row[i].is_null() ? std::nullopt : std::optional<std::string>(row[i].c_str()));
  }
  return out;
}

bool is_true(const pqxx::field& field) {
  return !field.is_null() && std::string(field.c_str()) == "t";
}

struct cascade_case {
  const model_spec& model;
  const foreign_key_spec& fk;
  bool on_update = false;  // else on delete
  std::string action;      // normalised: "cascade", "set null", ...
};

// The child row as read back after the event. The verdicts are the server's, comparing in the
// key columns' own types; `keys` (each type's text form) is only for messages.
struct child_state {
  bool exists = false;
  values keys;
  bool unchanged = false;   // the key still equals what the child was inserted with
  bool at_new_key = false;  // ON UPDATE: the key equals the parent's new key
  bool at_default = false;  // SET DEFAULT: the key equals its default
};

class cascade_probe {
 public:
  cascade_probe(const cascade_case& c, const table_info& child, const table_info& parent,
                std::vector<std::string> ref_columns)
      : case_(c),
        child_(child),
        parent_(parent),
        ref_columns_(std::move(ref_columns)),
        child_name_(display_name(child.schema, child.name)),
        parent_table_(qualified(parent.schema, parent.name)),
        keys_text_(columns_text(child_name_, c.fk.columns)),
        declared_(std::string(c.on_update ? "ON UPDATE " : "ON DELETE ") + upper(c.action)) {}

  probe_result run(row_writer& w, bool& retry);

 private:
  // The steps of one run, in order; each returns the result that ends the run early, if any.
  std::optional<probe_result> insert_default_parent(row_writer& w);
  std::optional<probe_result> insert_parent_and_child(row_writer& w);
  std::optional<probe_result> find_child_again();
  std::optional<probe_result> delete_parent(probe_transaction& tx);
  std::optional<probe_result> update_parent(row_writer& w);
  std::optional<probe_result> read_child(probe_transaction& tx);
  probe_result judge() const;

  std::optional<probe_result> read_defaults(probe_transaction& tx);
  std::optional<std::string> new_key_assignments(row_writer& w, std::string& reason);
  bool refusal_expected() const {
    return case_.action == "restrict" || case_.action == "no action";
  }
  std::optional<probe_result> refused_insert(const insert_result& r);
  std::string same_as(const std::vector<std::string>& types, const values& v) const;
  std::string event_text() const;
  std::string expectation() const;
  std::string describe() const;
  probe_result refused(const statement_outcome& outcome);
  probe_result touched_nothing(const std::string& statement) const;

  const cascade_case& case_;
  const table_info& child_;
  const table_info& parent_;
  std::vector<std::string> ref_columns_;
  std::string child_name_;
  std::string parent_table_;
  std::string keys_text_;
  std::string declared_;

  // One run's state, reset by run().
  bool retry_ = false;
  values defaults_;  // SET DEFAULT: the child key's default values, in the child's types
  std::optional<inserted_row> parent_row_;
  std::optional<inserted_row> child_row_;
  std::string child_where_;  // how to find the child row again after the event
  values new_key_;           // ON UPDATE: the parent's new key, in the parent's types
  child_state state_;
};

std::string cascade_probe::event_text() const {
  if (!case_.on_update) return "deleting the parent row of " + keys_text_;
  return "changing the key " +
         columns_text(display_name(parent_.schema, parent_.name), ref_columns_) +
         " of the parent row of " + keys_text_;
}

std::string cascade_probe::expectation() const {
  const std::string& a = case_.action;
  std::string effect;
  if (a == "cascade") {
    effect = case_.on_update ? "change " + keys_text_ + " to the parent's new key" : "remove it";
  } else if (a == "set null") {
    effect = "set " + keys_text_ + " to NULL";
  } else if (a == "set default") {
    effect = "reset " + keys_text_ + " to its default " + values_text(defaults_);
  } else {
    effect = "refuse it with SQLSTATE 23503";
  }
  return "expected " + declared_ + " to " + effect;
}

std::string cascade_probe::describe() const {
  if (!state_.exists) return "removed the child row";
  if (state_.unchanged) {
    return case_.on_update ? "left " + keys_text_ + " unchanged" : "left the child row in place";
  }
  if (all_null(state_.keys)) return "set " + keys_text_ + " to NULL";
  if (case_.on_update && state_.at_new_key) return "changed " + keys_text_ + " to the new key";
  return "changed " + keys_text_ + " to " + values_text(state_.keys);
}

probe_result cascade_probe::refused(const statement_outcome& outcome) {
  if (transient(outcome.sqlstate)) {
    retry_ = true;
    return skipped(event_text() + " waited on another transaction: " + outcome.reason());
  }
  if (refusal_expected() && outcome.sqlstate == "23503") {
    return passed(event_text() + " was refused with SQLSTATE 23503, as " + declared_ + " declares");
  }
  // The declared action itself could not be carried out: the schema does something else.
  if (!refusal_expected() && (outcome.sqlstate == "23503" || outcome.sqlstate == "23502")) {
    return failed(event_text() + " was refused: " + outcome.reason() + ": " + expectation());
  }
  return skipped(event_text() + " was refused for another reason, so " + declared_ +
                 " could not be observed: " + outcome.reason());
}

// The probe's own statement found no row (a trigger swallowed it, or the probe looked for its
// row the wrong way): nothing about the schema was observed, so this is pgparity's problem to
// report, not a failure of the schema.
probe_result cascade_probe::touched_nothing(const std::string& statement) const {
  return skipped("the probe's " + statement + " of the parent row it had inserted in " +
                 display_name(parent_.schema, parent_.name) + " touched 0 rows, so " + declared_ +
                 " could not be observed (see the statements run)");
}

std::optional<probe_result> cascade_probe::refused_insert(const insert_result& r) {
  retry_ = transient(r.sqlstate);
  return skipped(r.reason);
}

// `(c1 IS NOT DISTINCT FROM CAST(v1 AS t1) AND ...)` over the child's key columns: compared in
// a key type's own equality (FK columns always have one), never through text.
std::string cascade_probe::same_as(const std::vector<std::string>& types, const values& v) const {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < case_.fk.columns.size(); ++i) {
    parts.push_back(quote_always(case_.fk.columns[i]) + " IS NOT DISTINCT FROM " +
                    (v[i] ? "CAST(" + quote_literal(*v[i]) + " AS " + types[i] + ")" : "NULL"));
  }
  return "(" + join(parts, " AND ") + ")";
}

probe_result cascade_probe::run(row_writer& w, bool& retry) {
  retry_ = false;
  parent_row_.reset();
  child_row_.reset();
  new_key_.clear();
  state_ = child_state{};
  probe_transaction& tx = w.transaction();
  std::optional<probe_result> stop = insert_default_parent(w);
  if (!stop) stop = insert_parent_and_child(w);
  if (!stop) stop = find_child_again();
  if (!stop) stop = case_.on_update ? update_parent(w) : delete_parent(tx);
  if (!stop) stop = read_child(tx);
  retry = retry_;
  return stop ? *stop : judge();
}

// The default values of the child's key, as the child's own types store them.
std::optional<probe_result> cascade_probe::read_defaults(probe_transaction& tx) {
  const auto& fk_columns = case_.fk.columns;
  defaults_.assign(fk_columns.size(), std::nullopt);
  for (std::size_t i = 0; i < fk_columns.size(); ++i) {
    const column_info* column = child_.find_column(fk_columns[i]);
    if (!column->default_expr) continue;
    const statement_outcome d =
        tx.attempt("SELECT CAST((" + *column->default_expr + ") AS " + column->type + ")");
    if (!d.ok) {
      return skipped("the default of " + child_name_ + "." + fk_columns[i] +
                     " could not be evaluated: " + d.reason());
    }
    if (!d.rows[0][0].is_null()) defaults_[i] = d.rows[0][0].c_str();
  }
  return std::nullopt;
}

// SET DEFAULT needs the row its default points at, or the action itself breaks the key. Once
// that row exists, the probe's own parent row cannot have the same key (it is unique), so SET
// DEFAULT always changes the child.
std::optional<probe_result> cascade_probe::insert_default_parent(row_writer& w) {
  if (case_.action != "set default") return std::nullopt;
  probe_transaction& tx = w.transaction();
  if (auto stop = read_defaults(tx)) return stop;
  if (std::any_of(defaults_.begin(), defaults_.end(), [](const auto& v) { return !v; })) {
    return std::nullopt;  // a key with a NULL in it points at no row
  }
  row_request request;
  std::vector<std::string> conditions;
  for (std::size_t i = 0; i < ref_columns_.size(); ++i) {
    const std::string value = "CAST(" + quote_literal(*defaults_[i]) + " AS " +
                              parent_.find_column(ref_columns_[i])->type + ")";
    request.fill.insert(ref_columns_[i]);
    request.fixed[ref_columns_[i]] = value;
    conditions.push_back(quote_always(ref_columns_[i]) + " = " + value);
  }
  // Seed data may hold it already.
  const statement_outcome seeded = tx.attempt("SELECT 1 FROM " + parent_table_ + " WHERE " +
                                              join(conditions, " AND ") + " LIMIT 1");
  if (seeded.ok && !seeded.rows.empty()) return std::nullopt;
  insert_result default_parent = w.insert(parent_, request);
  if (default_parent.row) return std::nullopt;
  default_parent.reason = "the parent row that the default of " + keys_text_ +
                          " points at could not be inserted: " + default_parent.reason;
  return refused_insert(default_parent);
}

std::optional<probe_result> cascade_probe::insert_parent_and_child(row_writer& w) {
  row_request parent_request;
  parent_request.fill.insert(ref_columns_.begin(), ref_columns_.end());
  insert_result parent = w.insert(parent_, parent_request);
  if (!parent.row) return refused_insert(parent);
  parent_row_ = parent.row;

  const auto& fk_columns = case_.fk.columns;
  row_request child_request;
  for (std::size_t i = 0; i < fk_columns.size(); ++i) {
    child_request.fixed[fk_columns[i]] = parent_row_->literal(ref_columns_[i]);
    child_request.fill.insert(fk_columns[i]);
  }
  insert_result child = w.insert(child_, child_request);
  if (!child.row) return refused_insert(child);
  child_row_ = child.row;
  return std::nullopt;
}

// How to find the child again after the event: its key, else its other stored values, else
// (when it is to be deleted, or left alone) the physical row.
std::optional<probe_result> cascade_probe::find_child_again() {
  const auto& fk_columns = case_.fk.columns;
  auto outside_fk = [&](const std::string& c) {
    return std::find(fk_columns.begin(), fk_columns.end(), c) == fk_columns.end();
  };
  std::vector<std::string> key;
  for (const auto& c : child_.primary_key) {
    if (outside_fk(c)) key.push_back(c);
  }
  if (!key.empty()) {
    child_where_ = child_row_->match(key);
    return std::nullopt;
  }
  std::vector<std::string> stored;
  for (const auto& column : child_.columns) {
    if (outside_fk(column.name) && child_row_->values[column.name]) stored.push_back(column.name);
  }
  if (!stored.empty()) {
    child_where_ = child_row_->match_stored(stored);
    return std::nullopt;
  }
  if ((case_.action == "cascade" && !case_.on_update) || refusal_expected()) {
    child_where_ = child_row_->match_self();
    return std::nullopt;
  }
  return skipped("the child row in " + child_name_ +
                 " cannot be found again after the change: it has no columns besides " +
                 join(fk_columns));
}

std::optional<probe_result> cascade_probe::delete_parent(probe_transaction& tx) {
  const std::string sql =
      "DELETE FROM " + parent_table_ + " WHERE " + parent_row_->match(ref_columns_);
  const statement_outcome event = tx.attempt(sql);
  if (!event.ok) return refused(event);
  if (event.rows.affected_rows() == 0) return touched_nothing("DELETE");
  return std::nullopt;
}

// `"k" = <new value>, ...` for the parent's key; an identity ALWAYS key takes its next value.
std::optional<std::string> cascade_probe::new_key_assignments(row_writer& w, std::string& reason) {
  std::vector<std::string> assignments;
  for (const auto& c : ref_columns_) {
    const column_info* column = parent_.find_column(c);
    if (column->identity == 'a') {
      assignments.push_back(quote_always(c) + " = DEFAULT");
      continue;
    }
    synthesized_value v = w.value_for(parent_, *column, w.next_variant(parent_));
    if (!v.sql) {
      reason = v.reason;
      return std::nullopt;
    }
    assignments.push_back(quote_always(c) + " = " + *v.sql);
  }
  return join(assignments);
}

std::optional<probe_result> cascade_probe::update_parent(row_writer& w) {
  // The new key as the parent stores it, and whether the server sees it as the old one.
  std::vector<std::string> returning;
  for (const auto& c : ref_columns_) returning.push_back(quote_always(c));
  returning.push_back("(" + parent_row_->match(ref_columns_) + ") AS \"pgparity same key\"");
  statement_outcome event;
  for (int attempt = 0; attempt < 3; ++attempt) {  // the new key may be taken: try another
    std::string reason;
    const std::optional<std::string> assignments = new_key_assignments(w, reason);
    if (!assignments) return skipped("no new key can be made for " + parent_table_ + ": " + reason);
    event =
        w.transaction().attempt("UPDATE " + parent_table_ + " SET " + *assignments + " WHERE " +
                                parent_row_->match(ref_columns_) + " RETURNING " + join(returning));
    if (event.ok || event.sqlstate != "23505") break;
  }
  if (!event.ok) return refused(event);
  if (event.rows.empty()) return touched_nothing("UPDATE");
  new_key_ = fields(event.rows[0], ref_columns_.size());
  if (is_true(event.rows[0]["pgparity same key"])) {
    return skipped("the new key given to the parent row in " + parent_table_ +
                   " equals the old one, so " + declared_ + " could not be observed");
  }
  return std::nullopt;
}

std::optional<probe_result> cascade_probe::read_child(probe_transaction& tx) {
  std::vector<std::string> child_types;
  std::vector<std::string> parent_types;
  for (std::size_t i = 0; i < case_.fk.columns.size(); ++i) {
    child_types.push_back(child_.find_column(case_.fk.columns[i])->type);
    parent_types.push_back(parent_.find_column(ref_columns_[i])->type);
  }
  values before;
  for (const auto& c : case_.fk.columns) before.push_back(child_row_->values[c]);
  std::vector<std::string> selected;
  for (const auto& c : case_.fk.columns) selected.push_back(quote_always(c));
  selected.push_back(same_as(child_types, before));
  selected.push_back(new_key_.empty() ? "false" : same_as(parent_types, new_key_));
  selected.push_back(defaults_.empty() ? "false" : same_as(child_types, defaults_));
  const statement_outcome look =
      tx.attempt("SELECT " + join(selected) + " FROM " + qualified(child_.schema, child_.name) +
                 " WHERE " + child_where_);
  if (!look.ok) return skipped("the child row could not be read back: " + look.reason());
  if (look.rows.empty()) return std::nullopt;
  const pqxx::row row = look.rows[0];
  const auto n = static_cast<pqxx::row::size_type>(case_.fk.columns.size());
  state_.exists = true;
  state_.keys = fields(row, n);
  state_.unchanged = is_true(row[n]);
  state_.at_new_key = is_true(row[n + 1]);
  state_.at_default = is_true(row[n + 2]);
  return std::nullopt;
}

probe_result cascade_probe::judge() const {
  const std::string happened = describe();
  if (refusal_expected()) {
    return failed(event_text() + " was accepted and " + happened + ": " + expectation());
  }
  bool ok = false;
  if (case_.action == "cascade") {
    ok = case_.on_update ? state_.exists && state_.at_new_key : !state_.exists;
  } else if (case_.action == "set null") {
    ok = state_.exists && all_null(state_.keys);
  } else if (case_.action == "set default") {
    ok = state_.exists && state_.at_default;
  }
  if (ok) return passed(event_text() + " " + happened + ", as " + declared_ + " declares");
  return failed(event_text() + " " + happened + ": " + expectation());
}

probe_result probe_one(pqxx::connection& conn, const cascade_case& c, const snapshot& schema,
                       const probe_options& options, value_synthesizer& synthesizer) {
  const model_spec& model = c.model;
  const foreign_key_spec& fk = c.fk;
  const std::string child_name = display_name(model.schema, model.table);
  const std::string ref_schema = fk.ref_schema.empty() ? model.schema : fk.ref_schema;
  const std::string parent_name = display_name(ref_schema, fk.ref_table);

  const table_info* child = schema.find_table(model.schema, model.table);
  const table_info* parent = schema.find_table(ref_schema, fk.ref_table);
  std::vector<std::string> ref_columns = fk.ref_columns;
  if (parent != nullptr && ref_columns.empty()) ref_columns = parent->primary_key;
  const std::string declared =
      std::string(c.on_update ? "ON UPDATE " : "ON DELETE ") + upper(c.action);

  probe_result result;
  if (child == nullptr || parent == nullptr) {
    result = skipped("table " + (child == nullptr ? child_name : parent_name) +
                     " does not exist, so " + declared + " cannot be probed");
  } else if (ref_columns.size() != fk.columns.size() || fk.columns.empty()) {
    result = skipped("the foreign key " + columns_text(child_name, fk.columns) +
                     " and its referenced columns " + join(ref_columns) +
                     " differ in number, so it cannot be probed");
  } else if (c.action != "cascade" && c.action != "set null" && c.action != "set default" &&
             c.action != "restrict" && c.action != "no action") {
    result = skipped("unknown referential action \"" + c.action +
                     "\"; expected cascade, set null, set default, restrict or no action");
  } else {
    std::string missing;
    for (const auto& column : fk.columns) {
      if (!child->find_column(column)) missing = child_name + "." + column;
    }
    for (const auto& column : ref_columns) {
      if (!parent->find_column(column)) missing = parent_name + "." + column;
    }
    if (!missing.empty()) {
      result =
          skipped("column " + missing + " does not exist, so " + declared + " cannot be probed");
    } else {
      cascade_probe probe(c, *child, *parent, ref_columns);
      result = run_rolled_back(conn, schema, options, model, synthesizer,
                               [&](row_writer& w, bool& retry) { return probe.run(w, retry); });
    }
  }
  result.subject = columns_text(child_name, fk.columns) + " -> " +
                   columns_text(parent_name, ref_columns) + " " + declared;
  result.location = fk.location;
  return result;
}

}  // namespace

std::vector<probe_result> probe_cascades(pqxx::connection& conn, const model_spec& model,
                                         const snapshot& schema, const probe_options& options) {
  std::vector<probe_result> results;
  value_synthesizer synthesizer(schema);  // one type lookup per type for all of the model's probes
  for (const auto& fk : model.foreign_keys) {
    if (fk.on_delete) {
      results.push_back(probe_one(conn,
                                  cascade_case{model, fk, false, normalize_action(*fk.on_delete)},
                                  schema, options, synthesizer));
    }
    if (fk.on_update) {
      results.push_back(probe_one(conn,
                                  cascade_case{model, fk, true, normalize_action(*fk.on_update)},
                                  schema, options, synthesizer));
    }
  }
  return results;
}

}  // namespace pgparity
