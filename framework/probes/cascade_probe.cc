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

struct cascade_case {
  const model_spec& model;
  const foreign_key_spec& fk;
  bool on_update = false;  // else on delete
  std::string action;      // normalised: "cascade", "set null", ...
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
        keys_text_(columns_text(child_name_, c.fk.columns)),
        declared_(std::string(c.on_update ? "ON UPDATE " : "ON DELETE ") + upper(c.action)) {}

  probe_result run(row_writer& w, bool& retry);

 private:
  std::string event_text() const;
  std::string expectation() const;
  std::string describe(const std::optional<values>& state, const values& before,
                       const values& new_key) const;
  probe_result refused(const statement_outcome& outcome, bool& retry) const;

  const cascade_case& case_;
  const table_info& child_;
  const table_info& parent_;
  std::vector<std::string> ref_columns_;
  std::string child_name_;
  std::string keys_text_;
  std::string declared_;
  values defaults_;  // SET DEFAULT: the child key's default values
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

std::string cascade_probe::describe(const std::optional<values>& state, const values& before,
                                    const values& new_key) const {
  if (!state) return "removed the child row";
  if (*state == before) {
    return case_.on_update ? "left " + keys_text_ + " unchanged" : "left the child row in place";
  }
  if (all_null(*state)) return "set " + keys_text_ + " to NULL";
  if (case_.on_update && *state == new_key) return "changed " + keys_text_ + " to the new key";
  return "changed " + keys_text_ + " to " + values_text(*state);
}

probe_result cascade_probe::refused(const statement_outcome& outcome, bool& retry) const {
  if (transient(outcome.sqlstate)) {
    retry = true;
    return skipped(event_text() + " waited on another transaction: " + outcome.reason());
  }
  const bool refusal_expected = case_.action == "restrict" || case_.action == "no action";
  if (refusal_expected && outcome.sqlstate == "23503") {
    return passed(event_text() + " was refused with SQLSTATE 23503, as " + declared_ + " declares");
  }
  // The declared action itself could not be carried out: the schema does something else.
  if (!refusal_expected && (outcome.sqlstate == "23503" || outcome.sqlstate == "23502")) {
    return failed(event_text() + " was refused: " + outcome.reason() + ": " + expectation());
  }
  return skipped(event_text() + " was refused for another reason, so " + declared_ +
                 " could not be observed: " + outcome.reason());
}

probe_result cascade_probe::run(row_writer& w, bool& retry) {
  probe_transaction& tx = w.transaction();
  const auto& fk_columns = case_.fk.columns;
  auto refused_insert = [&retry](const insert_result& r) {
    retry = transient(r.sqlstate);
    return skipped(r.reason);
  };

  // SET DEFAULT needs the row its default points at, or the action itself breaks the key.
  defaults_.assign(fk_columns.size(), std::nullopt);
  values& defaults = defaults_;
  if (case_.action == "set default") {
    for (std::size_t i = 0; i < fk_columns.size(); ++i) {
      const column_info* column = child_.find_column(fk_columns[i]);
      if (!column->default_expr) continue;
      const statement_outcome d = tx.attempt("SELECT (" + *column->default_expr + ")::text");
      if (!d.ok)
        return skipped("the default of " + child_name_ + "." + fk_columns[i] +
                       " could not be evaluated: " + d.reason());
      if (!d.rows[0][0].is_null()) defaults[i] = d.rows[0][0].c_str();
    }
    if (std::none_of(defaults.begin(), defaults.end(), [](const auto& v) { return !v; })) {
      row_request request;
      for (std::size_t i = 0; i < ref_columns_.size(); ++i) {
        request.fill.insert(ref_columns_[i]);
        request.fixed[ref_columns_[i]] = "CAST(" + quote_literal(*defaults[i]) + " AS " +
                                         parent_.find_column(ref_columns_[i])->type + ")";
      }
      insert_result default_parent = w.insert(parent_, request);
      if (!default_parent.row) {
        default_parent.reason = "the parent row that the default of " + keys_text_ +
                                " points at could not be inserted: " + default_parent.reason;
        return refused_insert(default_parent);
      }
    }
  }

  row_request parent_request;
  parent_request.fill.insert(ref_columns_.begin(), ref_columns_.end());
  insert_result parent_row = w.insert(parent_, parent_request);
  auto parent_key = [&] {
    values key;
    for (const auto& c : ref_columns_) key.push_back(parent_row.row->values[c]);
    return key;
  };
  // A parent whose key equals the default would make SET DEFAULT a no-op: take another.
  if (parent_row.row && case_.action == "set default" && parent_key() == defaults) {
    parent_row = w.insert(parent_, parent_request);
  }
  if (!parent_row.row) return refused_insert(parent_row);

  row_request child_request;
  for (std::size_t i = 0; i < fk_columns.size(); ++i) {
    child_request.fixed[fk_columns[i]] = parent_row.row->literal(ref_columns_[i]);
    child_request.fill.insert(fk_columns[i]);
  }
  insert_result child_row = w.insert(child_, child_request);
  if (!child_row.row) return refused_insert(child_row);
  values before;
  for (const auto& c : fk_columns) before.push_back(child_row.row->values[c]);

  // How to find the child again: its key, else its other stored values.
  std::vector<std::string> identity;
  for (const auto& c : child_.primary_key) {
    if (std::find(fk_columns.begin(), fk_columns.end(), c) == fk_columns.end()) {
      identity.push_back(c);
    }
  }
  if (identity.empty()) {
    for (const auto& column : child_.columns) {
      if (std::find(fk_columns.begin(), fk_columns.end(), column.name) == fk_columns.end() &&
          child_row.row->values[column.name]) {
        identity.push_back(column.name);
      }
    }
  }
  const bool refusal_expected = case_.action == "restrict" || case_.action == "no action";
  if (identity.empty() && !(case_.action == "cascade" && !case_.on_update) && !refusal_expected) {
    return skipped("the child row in " + child_name_ +
                   " cannot be found again after the change: it has no columns besides " +
                   join(fk_columns));
  }
  const std::string where = identity.empty()
                                ? "ctid = " + quote_literal(child_row.row->ctid) + "::tid"
                                : child_row.row->match(identity);

  // The event itself.
  const std::string parent_table = qualified(parent_.schema, parent_.name);
  values new_key;
  statement_outcome event;
  if (!case_.on_update) {
    event =
        tx.attempt("DELETE FROM " + parent_table + " WHERE " + parent_row.row->match(ref_columns_));
  } else {
    std::vector<std::string> returning;
    for (const auto& c : ref_columns_) returning.push_back(quote_ident(c) + "::text");
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::vector<std::string> assignments;
      for (const auto& c : ref_columns_) {
        const column_info* column = parent_.find_column(c);
        if (column->identity == 'a') {
          assignments.push_back(quote_ident(c) + " = DEFAULT");
          continue;
        }
        synthesized_value v = w.value_for(parent_, *column, w.next_variant(parent_));
        if (!v.sql) return skipped("no new key can be made for " + parent_table + ": " + v.reason);
        assignments.push_back(quote_ident(c) + " = " + *v.sql);
      }
      event = tx.attempt("UPDATE " + parent_table + " SET " + join(assignments) + " WHERE " +
                         parent_row.row->match(ref_columns_) + " RETURNING " + join(returning));
      if (event.ok || event.sqlstate != "23505") break;
    }
    if (event.ok) {
      for (pqxx::row::size_type i = 0; i < event.rows[0].size(); ++i) {
        const auto field = event.rows[0][i];
        new_key.push_back(field.is_null() ? std::nullopt
                                          : std::optional<std::string>(field.c_str()));
      }
      if (new_key == parent_key()) {
        return skipped("the new key given to the parent row in " + parent_table +
                       " equals the old one, so " + declared_ + " could not be observed");
      }
    }
  }
  if (!event.ok) return refused(event, retry);

  std::vector<std::string> selected;
  for (const auto& c : fk_columns) selected.push_back(quote_ident(c) + "::text");
  const statement_outcome look =
      tx.attempt("SELECT " + join(selected) + " FROM " + qualified(child_.schema, child_.name) +
                 " WHERE " + where);
  if (!look.ok) return skipped("the child row could not be read back: " + look.reason());
  std::optional<values> state;
  if (!look.rows.empty()) {
    state.emplace();
    for (pqxx::row::size_type i = 0; i < look.rows[0].size(); ++i) {
      const auto field = look.rows[0][i];
      state->push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
    }
  }

  const std::string happened = describe(state, before, new_key);
  bool ok = false;
  if (refusal_expected) {
    return failed(event_text() + " was accepted and " + happened + ": " + expectation());
  } else if (case_.action == "cascade") {
    ok = case_.on_update ? state && *state == new_key : !state;
  } else if (case_.action == "set null") {
    ok = state && all_null(*state);
  } else if (case_.action == "set default") {
    ok = state && *state == defaults;
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
      result = with_retries([&](bool& retry) {
        std::vector<std::string> steps;
        probe_result r;
        {
          probe_transaction tx(conn, &steps);
          row_writer w(tx, schema, options.models, &model, options.variant_base, &synthesizer);
          r = probe.run(w, retry);
        }
        r.steps = std::move(steps);
        return r;
      });
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
