// Duplicate probe: a row, then a second row equal on a unique set and different elsewhere,
// which must be refused by the expected constraint.
#include <algorithm>
#include <set>

#include "probes/probe_support.h"
#include "probes/probes.h"
#include "probes/row_synthesis.h"
#include "probes/sql_text.h"

namespace pgparity {

using namespace probes_detail;  // NOLINT: this file is the probes_detail implementation

namespace {

struct unique_case {
  std::vector<std::string> columns;
  std::optional<std::string> name;  // expected constraint or index name, when declared
  bool primary = false;
  bool soft_deleted_duplicate = false;  // the allows_soft_deleted_duplicates variant
  source_location location;
};

// How the constraint a duplicate was refused by relates to the probed set.
enum class coverage { same, narrower, other, unknown };

coverage classify(const table_info& table, const std::string& constraint,
                  const std::vector<std::string>& set) {
  std::optional<std::vector<std::string>> keys;
  if (table.primary_key_name && *table.primary_key_name == constraint) keys = table.primary_key;
  for (const auto& u : table.uniques) {
    if (u.name == constraint) keys = u.columns;
  }
  for (const auto& index : table.indexes) {
    if (index.name == constraint ||
        (index.constraint_name && *index.constraint_name == constraint)) {
      keys = index.keys;
    }
  }
  if (!keys) return coverage::unknown;
  const std::set<std::string> wanted(set.begin(), set.end());
  bool expression = false;
  bool outside = false;
  for (const auto& key : *keys) {
    if (table.find_column(key) == nullptr) {
      expression = true;
    } else if (!wanted.count(key)) {
      outside = true;
    }
  }
  if (outside) return coverage::other;
  if (expression) return coverage::same;  // e.g. lower(email) for (email): enforced, stricter
  const std::set<std::string> got(keys->begin(), keys->end());
  return got == wanted ? coverage::same : coverage::narrower;
}

std::string set_text(const std::vector<std::string>& columns) { return "(" + join(columns) + ")"; }

struct soft_flag {
  std::string column;
  std::string live;     // SQL for "not deleted"
  std::string deleted;  // SQL for "deleted"
};

class duplicate_probe {
 public:
  duplicate_probe(const unique_case& c, const model_spec& model, const table_info& table)
      : case_(c),
        model_(model),
        table_(table),
        table_name_(display_name(table.schema, table.name)) {}

  probe_result run(row_writer& w, bool& retry);

 private:
  std::string expected_text() const {
    if (case_.name) return "constraint \"" + *case_.name + "\"";
    if (case_.primary) return "the primary key on " + set_text(case_.columns);
    return "a unique constraint or index on " + set_text(case_.columns);
  }
  probe_result judge_refusal(const statement_outcome& outcome) const;

  const unique_case& case_;
  const model_spec& model_;
  const table_info& table_;
  std::string table_name_;
};

probe_result duplicate_probe::judge_refusal(const statement_outcome& outcome) const {
  const std::string what =
      "a second row with the same " + set_text(case_.columns) + " as the first";
  if (case_.name) {
    // The name is quoted verbatim in the message in every server language.
    if (outcome.message.find("\"" + *case_.name + "\"") != std::string::npos) {
      return passed(what + " was refused with SQLSTATE 23505 by " + expected_text());
    }
    return failed(what + " was refused by " +
                  (outcome.constraint ? "\"" + *outcome.constraint + "\"" : "another constraint") +
                  " (" + outcome.message + "): expected " + expected_text());
  }
  if (!outcome.constraint) {
    return passed(what + " was refused with SQLSTATE 23505 (" + outcome.message + ")");
  }
  if (classify(table_, *outcome.constraint, case_.columns) == coverage::narrower) {
    return failed(what + " was refused by \"" + *outcome.constraint +
                  "\", which covers only part of " + set_text(case_.columns) + ": expected " +
                  expected_text());
  }
  return passed(what + " was refused with SQLSTATE 23505 by \"" + *outcome.constraint + "\"");
}

probe_result duplicate_probe::run(row_writer& w, bool& retry) {
  probe_transaction& tx = w.transaction();
  const std::string dup = "a second row with the same " + set_text(case_.columns) + " as " +
                          (case_.soft_deleted_duplicate ? "a soft-deleted row" : "the first");

  std::optional<soft_flag> flag;
  if (model_.soft_delete) {
    const column_info* column = table_.find_column(*model_.soft_delete);
    if (column == nullptr) {
      if (case_.soft_deleted_duplicate) {
        return skipped("the soft-delete column " + table_name_ + "." + *model_.soft_delete +
                       " does not exist");
      }
    } else if (std::find(case_.columns.begin(), case_.columns.end(), column->name) ==
               case_.columns.end()) {
      flag = soft_flag{column->name, "false", "true"};
      if (column->type != "boolean") {
        // A deleted_at style flag: NULL is live, any value is deleted.
        synthesized_value v = w.value_for(table_, *column, w.next_variant(table_));
        if (!v.sql && case_.soft_deleted_duplicate) {
          return skipped("no value marks a row deleted in " + table_name_ + "." + column->name +
                         ": " + v.reason);
        }
        flag = soft_flag{column->name, "NULL", v.sql ? *v.sql : "NULL"};
      }
    }
  }

  row_request first_request;
  first_request.fill.insert(case_.columns.begin(), case_.columns.end());
  if (flag) first_request.fixed[flag->column] = flag->live;
  insert_result first = w.insert(table_, first_request);
  if (!first.row) {
    retry = transient(first.sqlstate);
    return skipped(first.reason);
  }

  if (case_.soft_deleted_duplicate) {
    const statement_outcome deleted = tx.attempt(
        "UPDATE " + qualified(table_.schema, table_.name) + " SET " + quote_always(flag->column) +
        " = " + flag->deleted + " WHERE " + first.row->match_self());
    if (!deleted.ok) {
      retry = transient(deleted.sqlstate);
      return skipped("soft-deleting the first row was refused: " + deleted.reason());
    }
    // Nothing observed (a trigger swallowed it): pgparity's problem, not the schema's.
    if (deleted.rows.affected_rows() == 0) {
      return skipped("the probe's UPDATE soft-deleting the row it had inserted in " + table_name_ +
                     " touched 0 rows, so allows_soft_deleted_duplicates could not be observed "
                     "(see the statements run)");
    }
  }

  row_request second_request;
  second_request.vary_on_conflict = false;
  for (const auto& column : case_.columns) {
    second_request.fixed[column] = first.row->literal(column);
  }
  if (flag) second_request.fixed[flag->column] = flag->live;
  insert_result second;
  statement_outcome refusal;
  for (int attempt = 0; attempt < 3; ++attempt) {
    second = w.insert(table_, second_request);
    if (second.row || second.sqlstate != "23505") break;
    refusal = second.refusal;
    // Refused by a constraint on columns we meant to vary (seed rows, few possible values):
    // try other values before judging.
    if (!refusal.constraint ||
        classify(table_, *refusal.constraint, case_.columns) != coverage::other) {
      break;
    }
  }
  if (second.row) {
    if (case_.soft_deleted_duplicate) {
      return passed(dup + " was accepted, as allows_soft_deleted_duplicates declares");
    }
    return failed(dup + " was accepted: expected the INSERT to be refused with SQLSTATE 23505 by " +
                  expected_text());
  }
  if (transient(second.sqlstate)) {
    retry = true;
    return skipped(second.reason);
  }
  if (second.sqlstate != "23505") {
    return skipped(
        "the INSERT of " + dup +
        " was refused for another reason, so uniqueness could not be observed: " + second.reason);
  }
  if (refusal.constraint &&
      classify(table_, *refusal.constraint, case_.columns) == coverage::other) {
    return skipped("the INSERT of " + dup + " could not be made different outside " +
                   set_text(case_.columns) + ": " + second.reason);
  }
  if (case_.soft_deleted_duplicate) {
    return failed(dup + " (" + flag->column + " = " + flag->deleted +
                  ") was refused: " + refusal.message + ": expected it to be accepted, as " +
                  "allows_soft_deleted_duplicates declares (a unique index WHERE the row is "
                  "not deleted)");
  }
  return judge_refusal(refusal);
}

probe_result probe_one(pqxx::connection& conn, const unique_case& c, const model_spec& model,
                       const snapshot& schema, const probe_options& options,
                       value_synthesizer& synthesizer) {
  const std::string table_name = display_name(model.schema, model.table);
  probe_result result;
  const table_info* table = schema.find_table(model.schema, model.table);
  std::string problem;
  if (table == nullptr) {
    problem = "table " + table_name + " does not exist";
  } else {
    for (const auto& column : c.columns) {
      const column_info* info = table->find_column(column);
      if (info == nullptr) {
        problem = "column " + table_name + "." + column + " does not exist";
      } else if (info->generated != '\0') {
        problem = "column " + table_name + "." + column +
                  " is generated, so two rows cannot be made equal on it directly";
      }
    }
  }
  if (c.soft_deleted_duplicate && !model.soft_delete) {
    problem = "the model declares no soft_delete column";
  }
  if (!problem.empty()) {
    result = skipped(problem + ", so uniqueness of " + set_text(c.columns) + " cannot be probed");
  } else {
    duplicate_probe probe(c, model, *table);
    result = run_rolled_back(conn, schema, options, model, synthesizer,
                             [&](row_writer& w, bool& retry) { return probe.run(w, retry); });
  }
  result.subject = table_name + (c.primary ? " primary key " : " unique ") + set_text(c.columns);
  if (c.name) result.subject += " " + *c.name;
  if (c.soft_deleted_duplicate) result.subject += " allows a duplicate of a soft-deleted row";
  result.location = c.location;
  return result;
}

}  // namespace

std::vector<probe_result> probe_duplicates(pqxx::connection& conn, const model_spec& model,
                                           const snapshot& schema, const probe_options& options) {
  std::vector<unique_case> cases;
  const std::vector<std::string> primary = model.primary_key();
  if (!primary.empty()) {
    unique_case c;
    c.columns = primary;
    c.primary = true;
    for (const auto& column : model.columns) {
      if (column.primary_key) {
        c.location = column.location;
        break;
      }
    }
    cases.push_back(c);
  }
  for (const auto& u : model.uniques) {
    unique_case c;
    c.columns = u.columns;
    c.name = u.name;
    c.location = u.location;
    cases.push_back(c);
    if (u.allows_soft_deleted_duplicates && model.soft_delete) {
      c.soft_deleted_duplicate = true;
      cases.push_back(c);
    }
  }
  std::vector<probe_result> results;
  value_synthesizer synthesizer(schema);  // one type lookup per type for all of the model's probes
  for (const auto& c : cases)
    results.push_back(probe_one(conn, c, model, schema, options, synthesizer));
  return results;
}

}  // namespace pgparity
