#include "probes/fill_tables.h"

#include <algorithm>
#include <set>

#include "common/sql_names.h"
#include "probes/row_synthesis.h"
#include "probes/sql_text.h"

namespace pgparity {
namespace probes_detail {
namespace {

// The variant every row uses for its shared (non-key) columns.
constexpr long shared_variant = 1;

bool skipped(const table_info& t, const fill_options& options) {
  return std::find(options.skip_tables.begin(), options.skip_tables.end(), t.name) !=
         options.skip_tables.end();
}

// A reference a row must honour: a foreign key of the table, or one its model declares that a
// later migration will add (rows written before it must already point at real parents).
struct reference {
  std::vector<std::string> columns;
  std::string ref_schema;
  std::string ref_table;
  std::vector<std::string> ref_columns;
};

std::vector<reference> references_of(const table_info& table, const manifest* models) {
  std::vector<reference> out;
  for (const auto& fk : table.foreign_keys) {
    out.push_back({fk.columns, fk.ref_schema, fk.ref_table, fk.ref_columns});
  }
  const model_spec* model = models ? models->find_table(table.schema, table.name) : nullptr;
  if (model == nullptr) return out;
  for (const auto& fk : model->foreign_keys) {
    out.push_back({fk.columns, fk.ref_schema, fk.ref_table, fk.ref_columns});
  }
  return out;
}

void visit(const snapshot& s, const manifest* models, const table_info& t,
           std::set<const table_info*>& seen, std::vector<const table_info*>& out) {
  if (!seen.insert(&t).second) return;
  for (const auto& fk : references_of(t, models)) {
    if (const table_info* parent = s.find_table(fk.ref_schema, fk.ref_table)) {
      visit(s, models, *parent, seen, out);
    }
  }
  out.push_back(&t);
}

// Referenced tables (by foreign keys, or declared ones) before the tables that reference them
// (cycles: in snapshot order).
std::vector<const table_info*> parents_first(const snapshot& s, const manifest* models) {
  std::set<const table_info*> seen;
  std::vector<const table_info*> out;
  for (const auto& t : s.tables()) visit(s, models, t, seen, out);
  return out;
}

using rows_of_tables = std::map<const table_info*, std::vector<inserted_row>>;

// Points row `index` at a row already in each referenced table (row `index` of it, round
// robin); required keys to a table without rows are left to synthesis, which inserts a parent.
void point_at_parents(const snapshot& s, const table_info& table, int index,
                      const std::vector<reference>& references, const rows_of_tables& done,
                      row_request& request) {
  for (const auto& fk : references) {
    const table_info* parent = s.find_table(fk.ref_schema, fk.ref_table);
    const auto rows = done.find(parent);
    if (rows == done.end() || rows->second.empty()) continue;
    const inserted_row& row = rows->second[index % rows->second.size()];
    bool nullable = false;
    for (const auto& column : fk.columns) {
      const column_info* c = table.find_column(column);
      nullable = nullable || c == nullptr || !c->not_null;
    }
    if (nullable && index == 0) continue;
    for (std::size_t i = 0; i < fk.columns.size() && i < fk.ref_columns.size(); ++i) {
      if (table.find_column(fk.columns[i]) == nullptr) continue;  // the column comes later
      if (row.values.count(fk.ref_columns[i]) == 0) continue;
      request.fixed.emplace(fk.columns[i], row.literal(fk.ref_columns[i]));
    }
  }
}

// An integer column named `id` or `..._id`: likely a reference to another row, even where no
// foreign key says so (yet); a value of all its digits would point at no row.
bool names_a_row(const column_info& column) {
  const std::string& n = column.name;
  const bool integer =
      column.type == "smallint" || column.type == "integer" || column.type == "bigint";
  return integer && (n == "id" || (n.size() > 3 && n.compare(n.size() - 3, 3, "_id") == 0));
}

// The columns of `table` the full-width row fills at their declared width: all of them, or only
// those no CHECK constraint names and no domain types (whose checks may refuse a long value).
std::set<std::string> wide_columns(const table_info& table, bool outside_checks) {
  std::set<std::string> out;
  for (const auto& column : table.columns) {
    if (names_a_row(column)) continue;
    bool checked = column.type_kind == 'd';
    for (const auto& check : table.checks)
      checked = checked || sql::names_word(check.expression, column.name);
    if (!outside_checks || !checked) out.insert(column.name);
  }
  return out;
}

// Row `index` of `table` in the shape fill_tables.h describes; the columns of `wide` at their
// declared width.
row_request shaped_row(row_writer& w, const table_info& table, int index,
                       const rows_of_tables& done, const manifest* models,
                       const std::set<std::string>& wide = {}) {
  const std::vector<reference> references = references_of(table, models);
  std::set<std::string> fk_columns;
  for (const auto& fk : references) fk_columns.insert(fk.columns.begin(), fk.columns.end());
  const std::set<std::string>& keys = w.key_columns(table);
  row_request request;
  request.wide = wide;
  for (const auto& column : table.columns) {
    if (column.generated != '\0' || column.identity != '\0' || column.default_expr) continue;
    if (fk_columns.count(column.name) > 0) continue;  // point_at_parents
    if (!column.not_null && index == 0) continue;
    if (keys.count(column.name) > 0) {
      if (!column.not_null) request.fill.insert(column.name);
      continue;  // synthesis varies key values per row
    }
    const synthesized_value value =
        w.value_for(table, column, shared_variant, wide.count(column.name) > 0);
    if (value.sql) request.fixed[column.name] = *value.sql;
  }
  point_at_parents(w.schema(), table, index, references, done, request);
  return request;
}

// Row `index` of `table` at full width: shaped, then short where a CHECK or a domain looks,
// then as the probes build it (for tables whose shaped rows collide); the first refusal if none.
insert_result insert_wide(row_writer& w, const table_info& table, int index,
                          const rows_of_tables& done, const manifest* models) {
  insert_result first;
  for (const bool outside_checks : {false, true}) {
    insert_result row = w.insert(
        table, shaped_row(w, table, index, done, models, wide_columns(table, outside_checks)));
    if (row.row) return row;
    if (first.reason.empty()) first = row;
  }
  row_request probe_shape;
  probe_shape.wide = wide_columns(table, false);
  insert_result row = w.insert(table, probe_shape);
  return row.row ? row : first;
}

// Row `index` of `table`: shaped, else as the probes build it. The last row (`full_width`) is
// tried at full width first; a table that takes only a short one there is named in
// `out.narrow` (one that takes neither is refusing more than the width).
insert_result insert_row_at(row_writer& w, const table_info& table, int index, bool full_width,
                            const rows_of_tables& done, const manifest* models,
                            filled_tables& out) {
  std::string refusal;
  if (full_width) {
    insert_result row = insert_wide(w, table, index, done, models);
    if (row.row) return row;
    refusal = row.reason;
  }
  insert_result row = w.insert(table, shaped_row(w, table, index, done, models));
  if (!row.row) row = w.insert(table);
  if (row.row && !refusal.empty()) {
    out.narrow.push_back(sql::qualified_name(table.schema, table.name) + ": " + refusal);
  }
  return row;
}

// "INSERT INTO "s"."t" (...) VALUES (...) RETURNING ...  -- ok, 1 row(s)" -> the INSERT alone.
std::string insert_text(const std::string& step) {
  const auto returning = step.find(" RETURNING tableoid::text");
  return returning == std::string::npos ? step : step.substr(0, returning);
}

// Files every successful INSERT the steps record under the table it wrote.
void collect_inserts(const snapshot& s, const std::vector<std::string>& steps, filled_tables& out) {
  for (const auto& step : steps) {
    if (step.find("  -- ok, ") == std::string::npos) continue;
    for (const auto& t : s.tables()) {
      const std::string prefix = "INSERT INTO " + qualified(t.schema, t.name) + " ";
      if (step.compare(0, prefix.size(), prefix) == 0) {
        out.inserts[sql::qualified_name(t.schema, t.name)].push_back(insert_text(step));
        break;
      }
    }
  }
}

}  // namespace
}  // namespace probes_detail

filled_tables fill_tables(pqxx::connection& conn, const snapshot& schema,
                          const fill_options& options) {
  filled_tables out;
  std::vector<std::string> steps;
  {
    probes_detail::probe_transaction tx(conn, &steps, options.statement_timeout_ms);
    probes_detail::row_writer w(tx, schema, options.models, nullptr);
    probes_detail::rows_of_tables done;
    for (const table_info* t : probes_detail::parents_first(schema, options.models)) {
      if (probes_detail::skipped(*t, options)) continue;
      for (int i = 0; i < options.rows_per_table; ++i) {
        const bool last = options.full_width && i > 0 && i == options.rows_per_table - 1;
        probes_detail::insert_result row =
            probes_detail::insert_row_at(w, *t, i, last, done, options.models, out);
        if (row.row) {
          done[t].push_back(*row.row);
          continue;
        }
        // Fewer rows than asked still exercise the migration; none at all is worth naming.
        if (i == 0)
          out.unfilled.push_back(sql::qualified_name(t->schema, t->name) + ": " + row.reason);
        break;
      }
    }
    tx.commit();
  }
  probes_detail::collect_inserts(schema, steps, out);
  return out;
}

}  // namespace pgparity
