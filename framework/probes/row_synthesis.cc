#include "probes/row_synthesis.h"

#include <algorithm>

#include "common/index_key.h"
#include "probes/sql_text.h"

namespace pgparity {
namespace probes_detail {

namespace {

std::string table_key(const std::string& schema, const std::string& table) {
  return schema + "." + table;
}

std::string name_of(const table_info& table) { return display_name(table.schema, table.name); }

bool on_path(const std::vector<const table_info*>& path, const table_info& table) {
  return std::find(path.begin(), path.end(), &table) != path.end();
}

std::string cycle_text(const std::vector<const table_info*>& path, const table_info& table) {
  std::vector<std::string> names;
  bool in_cycle = false;
  for (const table_info* t : path) {
    if (t == &table) in_cycle = true;
    if (in_cycle) names.push_back(name_of(*t));
  }
  names.push_back(name_of(table));
  return join(names, " -> ");
}

// Where the server refusing a value means a `sample:` could help.
bool value_problem(const std::string& sqlstate) {
  return sqlstate == "23514" || sqlstate == "23502" || sqlstate.compare(0, 2, "22") == 0;
}

constexpr int max_attempts = 4;

}  // namespace

std::string inserted_row::literal(const std::string& column) const {
  const auto found = values.find(column);
  if (found == values.end() || !found->second) return "NULL";
  const column_info* info = table->find_column(column);
  return "CAST(" + quote_literal(*found->second) + " AS " + (info ? info->type : "text") + ")";
}

std::string inserted_row::match(const std::vector<std::string>& columns) const {
  std::vector<std::string> parts;
  for (const auto& column : columns) {
    const std::string value = literal(column);
    parts.push_back(quote_always(column) + (value == "NULL" ? " IS NULL" : " = " + value));
  }
  return parts.empty() ? "true" : join(parts, " AND ");
}

std::string inserted_row::match_stored(const std::vector<std::string>& columns) const {
  std::vector<std::string> parts;
  for (const auto& column : columns) {
    const std::string value = literal(column);
    parts.push_back(quote_always(column) +
                    (value == "NULL" ? " IS NULL" : "::text = " + value + "::text"));
  }
  return parts.empty() ? "true" : join(parts, " AND ");
}

std::string inserted_row::match_self() const {
  return "tableoid = " + quote_literal(tableoid) + "::oid AND ctid = " + quote_literal(ctid) +
         "::tid";
}

row_writer::row_writer(probe_transaction& tx, const snapshot& schema, sample_map samples,
                       long variant_base)
    : tx_(tx),
      schema_(schema),
      samples_(std::move(samples)),
      variant_base_(variant_base),
      own_values_(schema),
      values_(own_values_) {}

row_writer::row_writer(probe_transaction& tx, const snapshot& schema, const manifest* models,
                       const model_spec* model, long variant_base, value_synthesizer* values)
    : tx_(tx),
      schema_(schema),
      variant_base_(variant_base),
      own_values_(schema),
      values_(values ? *values : own_values_),
      models_(models),
      model_(model) {}

const std::map<std::string, std::string>& row_writer::samples_for(const table_info& table) {
  const std::string key = table_key(table.schema, table.name);
  auto found = samples_.find(key);
  if (found != samples_.end()) return found->second;
  std::map<std::string, std::string> samples;
  const model_spec* m = model_;
  if (m == nullptr || m->schema != table.schema || m->table != table.name) {
    m = models_ != nullptr ? models_->find_table(table.schema, table.name) : nullptr;
  }
  if (m != nullptr) {
    for (const auto& column : m->columns) {
      if (column.sample) samples[column.name] = *column.sample;
    }
  }
  return samples_.emplace(key, std::move(samples)).first->second;
}

long row_writer::next_variant(const table_info& table) {
  return variant_base_ + ++counters_[table_key(table.schema, table.name)];
}

const std::set<std::string>& row_writer::key_columns(const table_info& table) {
  const std::string key = table_key(table.schema, table.name);
  auto found = key_columns_.find(key);
  if (found != key_columns_.end()) return found->second;
  std::set<std::string> columns(table.primary_key.begin(), table.primary_key.end());
  for (const auto& u : table.uniques) columns.insert(u.columns.begin(), u.columns.end());
  for (const auto& index : table.indexes) {
    if (index.unique) columns.insert(index.keys.begin(), index.keys.end());
  }
  return key_columns_.emplace(key, std::move(columns)).first->second;
}

synthesized_value row_writer::value_for(const table_info& table, const column_info& column,
                                        long variant, bool wide) {
  const auto& table_samples = samples_for(table);
  const auto sample = table_samples.find(column.name);
  if (sample != table_samples.end()) {
    synthesized_value out;
    out.sql = "CAST((" + sample->second + ") AS " + column.type + ")";
    return out;
  }
  const bool vary_all = key_columns(table).count(column.name) > 0;
  return values_.for_column(tx_, column, variant, vary_all, wide);
}

insert_result row_writer::insert(const table_info& table, const row_request& request) {
  std::vector<const table_info*> path;
  return insert_in(table, request, path);
}

insert_result row_writer::insert_in(const table_info& table, const row_request& request,
                                    std::vector<const table_info*>& path) {
  if (on_path(path, table)) {
    insert_result out;
    out.reason = "cannot synthesise a row for " + name_of(table) +
                 ": its required (NOT NULL) foreign keys form a cycle " + cycle_text(path, table) +
                 ", so no table in it can be inserted first";
    return out;
  }
  std::map<std::string, std::string> fixed = request.fixed;
  path.push_back(&table);
  std::optional<insert_result> refused = insert_parents(table, request, fixed, path);
  path.pop_back();
  if (refused) return *refused;
  return insert_row(table, request, fixed);
}

namespace {

// A foreign key whose columns must all hold values needs a row to point at; one whose columns
// the caller already fixed points where the caller chose.
bool needs_parent(const table_info& table, const foreign_key_info& fk, const row_request& request,
                  const std::map<std::string, std::string>& fixed) {
  bool required = true;
  bool any_open = false;
  for (const auto& column : fk.columns) {
    const column_info* info = table.find_column(column);
    const bool is_fixed = fixed.count(column) > 0;
    any_open = any_open || !is_fixed;
    required = required && info != nullptr &&
               (is_fixed || request.fill.count(column) > 0 ||
                (info->not_null && !info->default_expr && info->identity == '\0'));
  }
  return required && any_open;
}

}  // namespace

std::optional<insert_result> row_writer::insert_parents(const table_info& table,
                                                        const row_request& request,
                                                        std::map<std::string, std::string>& fixed,
                                                        std::vector<const table_info*>& path) {
  for (const auto& fk : table.foreign_keys) {
    if (!needs_parent(table, fk, request, fixed)) continue;
    if (auto refused = insert_parent(table, fk, fixed, path)) return refused;
  }
  return std::nullopt;
}

std::optional<insert_result> row_writer::insert_parent(const table_info& table,
                                                       const foreign_key_info& fk,
                                                       std::map<std::string, std::string>& fixed,
                                                       std::vector<const table_info*>& path) {
  const table_info* parent = schema_.find_table(fk.ref_schema, fk.ref_table);
  if (parent == nullptr) {
    insert_result out;
    out.reason = "cannot synthesise a row for " + name_of(table) + ": foreign key " + fk.name +
                 " references " + display_name(fk.ref_schema, fk.ref_table) +
                 ", which is not in the schema";
    return out;
  }
  row_request parent_request;
  for (std::size_t i = 0; i < fk.columns.size() && i < fk.ref_columns.size(); ++i) {
    parent_request.fill.insert(fk.ref_columns[i]);
    const auto given = fixed.find(fk.columns[i]);
    if (given != fixed.end()) parent_request.fixed[fk.ref_columns[i]] = given->second;
  }
  insert_result parent_row = insert_in(*parent, parent_request, path);
  if (!parent_row.row) {
    if (parent_row.sqlstate.empty()) return parent_row;  // a cycle or unknown table: as is
    parent_row.reason = "the parent row in " + name_of(*parent) + " that " + name_of(table) + "." +
                        join(fk.columns, ", ") +
                        " needs could not be inserted: " + parent_row.reason;
    return parent_row;
  }
  for (std::size_t i = 0; i < fk.columns.size() && i < fk.ref_columns.size(); ++i) {
    if (!fixed.count(fk.columns[i]))
      fixed[fk.columns[i]] = parent_row.row->literal(fk.ref_columns[i]);
  }
  return std::nullopt;
}

namespace {

// A NULLS NOT DISTINCT unique key makes two rows with nulls in it collide: its columns get
// values even when nullable, as the other columns of a synthesised row do.
bool in_nulls_not_distinct_key(const table_info& table, const std::string& column) {
  for (const auto& index : table.indexes) {
    if (!index.unique || !index.nulls_not_distinct) continue;
    for (const auto& key : index.keys) {
      const std::string expression = split_index_key(key).expression;
      if (expression == column || expression == "\"" + column + "\"") return true;
    }
  }
  return false;
}

}  // namespace

row_writer::insert_statement row_writer::build_insert(
    const table_info& table, const row_request& request,
    const std::map<std::string, std::string>& fixed, long variant) {
  insert_statement out;
  std::vector<std::string> names;
  std::vector<std::string> values;
  bool overriding = false;
  for (const auto& column : table.columns) {
    // The server computes a generated column and refuses any value for it, even a fixed one.
    if (column.generated != '\0') continue;
    const auto given = fixed.find(column.name);
    if (given != fixed.end()) {
      names.push_back(quote_always(column.name));
      values.push_back(given->second);
      overriding = overriding || column.identity == 'a';
      continue;
    }
    if (column.identity != '\0') continue;
    const bool has_sample = samples_for(table).count(column.name) > 0;
    const bool needed =
        !column.default_expr && (column.not_null || request.fill.count(column.name) > 0 ||
                                 in_nulls_not_distinct_key(table, column.name));
    if (!needed && !has_sample) continue;
    synthesized_value value =
        value_for(table, column, variant, request.wide.count(column.name) > 0);
    if (!value.sql) {
      out.problem = "cannot synthesise a row for " + name_of(table) + ": " + value.reason +
                    "; give the column a `sample:` value in the manifest";
      return out;
    }
    out.varied = out.varied || !has_sample;
    names.push_back(quote_always(column.name));
    values.push_back(*value.sql);
  }
  out.sql = "INSERT INTO " + qualified(table.schema, table.name);
  if (names.empty()) {
    out.sql += " DEFAULT VALUES";
  } else {
    out.sql += " (" + join(names) + ")";
    // A fixed identity ALWAYS value is a copy of a stored one (the duplicate probe's second row).
    if (overriding) out.sql += " OVERRIDING SYSTEM VALUE";
    out.sql += " VALUES (" + join(values) + ")";
  }
  out.sql += " RETURNING tableoid::text, ctid::text, *";
  return out;
}

namespace {

// RETURNING tableoid, ctid, *: the row as stored, every value in its type's text form.
inserted_row returned_row(const table_info& table, const pqxx::result& rows) {
  inserted_row row;
  row.table = &table;
  const pqxx::row stored = rows[0];
  row.tableoid = stored[0].c_str();
  row.ctid = stored[1].c_str();
  for (pqxx::row::size_type i = 2; i < stored.size(); ++i) {
    row.values[rows.column_name(i)] =
        stored[i].is_null() ? std::nullopt : std::optional<std::string>(stored[i].c_str());
  }
  return row;
}

}  // namespace

insert_result row_writer::insert_row(const table_info& table, const row_request& request,
                                     const std::map<std::string, std::string>& fixed) {
  insert_result out;
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    if (attempt > 0) counters_[table_key(table.schema, table.name)] += 100 * attempt;
    const insert_statement statement = build_insert(table, request, fixed, next_variant(table));
    if (!statement.problem.empty()) {
      out.reason = statement.problem;
      return out;
    }
    const statement_outcome result = tx_.attempt(statement.sql);
    if (result.ok) {
      out = insert_result{};
      out.row = returned_row(table, result.rows);
      return out;
    }
    out.sqlstate = result.sqlstate;
    out.refusal = result;
    out.reason = "the INSERT into " + name_of(table) + " was refused: " + result.reason();
    if (value_problem(result.sqlstate)) {
      out.reason += "; a manifest `sample:` value for the column can supply a valid one";
    }
    // Rows already in the table (seed data) may hold the values we chose: try others.
    if (result.sqlstate != "23505" || !statement.varied || !request.vary_on_conflict) break;
  }
  return out;
}

}  // namespace probes_detail
}  // namespace pgparity
