// Migrations/WithData: each migration applied over rows, as it meets production. For migration
// N: a copy of the database with the steps before N (no rows) gets a few synthesised rows in
// every table (probes/fill_tables.h), then N is applied in its own transaction as the real run
// applies it. It fails when N fails over the rows, when rows of a table N keeps disappear, or
// when values change in a column N does not name. With a down: down N must bring back the rows
// before N with their values in the columns before N, and up N must apply again.
//
// What counts as "N does not touch it" is read from N's text (its SQL, or the Alembic revision
// file): a column whose name, or whose type's name, N mentions may change value; a table N runs
// DELETE FROM or TRUNCATE on may lose rows. The down is held to the rows before N, except what
// the up removed or converted itself (a dropped column whose values no new column carries, a
// changed type, rows or values the up changed): a down cannot restore what the up destroyed.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "common/sql_names.h"
#include "engine/lifecycle_detail.h"
#include "engine/session_state.h"
#include "probes/fill_tables.h"

namespace pgparity::engine {
namespace {

using engine_detail::migration_finding;
using engine_detail::phase_failed;
using engine_detail::server_of;
using engine_detail::set_of;
using engine_detail::without_context;

using value = std::optional<std::string>;
using value_counts = std::map<value, int>;

// Every row of one table, each value in its type's text form.
struct table_rows {
  std::vector<std::string> columns;
  std::vector<std::vector<value>> rows;

  value_counts counts(const std::string& column) const {
    value_counts out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] != column) continue;
      for (const auto& row : rows) ++out[row[i]];
    }
    return out;
  }
};
using rows_by_table = std::map<std::string, table_rows>;  // sql::qualified_name -> rows

std::string key_of(const table_info& t) { return sql::qualified_name(t.schema, t.name); }

bool ignored(const table_info& t, const project_config& config) {
  for (const auto& name : config.ignore_tables) {
    if (t.name == name) return true;
  }
  return false;
}

rows_by_table read_rows(const connection_info& db, const snapshot& schema,
                        const project_config& config) {
  rows_by_table out;
  pqxx::connection conn(db.conninfo());
  pqxx::nontransaction tx(conn);
  for (const auto& t : schema.tables()) {
    if (ignored(t, config)) continue;
    const pqxx::result result =
        tx.exec("SELECT * FROM " + sql::quote_ident(t.schema) + "." + sql::quote_ident(t.name));
    table_rows rows;
    for (pqxx::row::size_type i = 0; i < result.columns(); ++i) {
      rows.columns.emplace_back(result.column_name(i));
    }
    for (const auto& r : result) {
      std::vector<value> values;
      for (const auto& field : r) {
        values.push_back(field.is_null() ? value() : value(field.c_str()));
      }
      rows.rows.push_back(std::move(values));
    }
    out[key_of(t)] = std::move(rows);
  }
  return out;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `word` occurs in `text` (lower case) as an identifier of its own, in any case.
bool mentions(const std::string& text, const std::string& word) {
  return sql::names_word(text, lower(word));
}

// `text` removes rows from `table` on purpose: DELETE FROM, TRUNCATE or DROP TABLE on it (a
// table dropped and created again starts empty, as the migration says).
bool deletes_from(const std::string& text, const std::string& table) {
  std::string escaped;
  for (char c : lower(table)) {
    if (!is_word_char(c)) escaped += '\\';
    escaped += c;
  }
  const std::regex pattern(
      "(delete\\s+from|truncate(\\s+table)?|drop\\s+table(\\s+if\\s+exists)?)\\s+(only\\s+)?"
      "([\\w\"]+\\.)?\"?" +
      escaped + "\"?([^\\w]|$)");
  return std::regex_search(text, pattern);
}

// A migration's text in lower case: the SQL, or the Alembic revision file.
std::string text_of(const migration_step& step, bool up) {
  std::string text = up ? step.up_sql : step.down_sql;
  const std::string& file = up ? step.up_file : step.down_file;
  if (text.empty() && !file.empty()) {
    std::ifstream in(file);
    std::ostringstream all;
    all << in.rdbuf();
    text = all.str();
  }
  return lower(text);
}

// The up (or down) text of every part of the unit starting at `first` (a popx migration split
// into statements is one unit: migration_step::unit).
std::string unit_text(const migration_set& migrations, std::size_t first, bool up = true) {
  std::string text;
  for (std::size_t i = first; i < unit_end(migrations, first); ++i) {
    text += text_of(migrations.steps[i], up) + "\n";
  }
  return text;
}

// Whether the unit's up inserts rows itself (seed data), not only changes the schema.
bool inserts_rows(const migration_set& migrations, std::size_t first) {
  static const std::regex insert(R"(\binsert\s+into\b|\bbulk_insert\s*\()");
  return std::regex_search(unit_text(migrations, first), insert);
}

// Whether a column that exists both before and after a migration has another type after it:
// where a value that no longer fits is a narrowing.
bool changes_a_column_type(const snapshot& before, const snapshot& after) {
  for (const auto& table : before.tables()) {
    const table_info* then = after.find_table(table.schema, table.name);
    if (then == nullptr) continue;
    for (const auto& column : table.columns) {
      const column_info* same = then->find_column(column.name);
      if (same != nullptr && same->type != column.type) return true;
    }
  }
  return false;
}

// Whether the text writes rows itself: a backfill or clean-up (UPDATE ... SET, DELETE, INSERT).
bool writes_rows(const std::string& text) {
  static const std::regex write(
      R"(\bupdate\s+[\w".]+\s+set\b|\bdelete\s+from\b|\binsert\s+into\b|\bbulk_insert\s*\()");
  return std::regex_search(text, write);
}

// The bare names of the tables `text` writes rows of (UPDATE, INSERT INTO, DELETE FROM, MERGE
// INTO, COPY, TRUNCATE).
std::set<std::string> written_tables(const std::string& text) {
  static const std::regex write(
      R"re(\b(update|insert\s+into|delete\s+from|merge\s+into|copy|truncate(\s+table)?)\s+(only\s+)?(["\w]+\.)?"?(\w+))re");
  std::set<std::string> out;
  for (std::sregex_iterator at(text.begin(), text.end(), write), end; at != end; ++at) {
    out.insert((*at)[5].str());
  }
  return out;
}

// The bare names of the tables `text` inserts rows into.
std::set<std::string> inserted_tables(const std::string& text) {
  static const std::regex insert(R"re(\binsert\s+into\s+(["\w]+\.)?"?(\w+))re");
  std::set<std::string> out;
  for (std::sregex_iterator at(text.begin(), text.end(), insert), end; at != end; ++at) {
    out.insert((*at)[2].str());
  }
  return out;
}

// Code whose writes the text does not show: a DO block, a procedure, a function it calls.
bool runs_code(const std::string& text) {
  static const std::regex code(R"(\bdo\s*(\$|')|\bcall\s+\w|\bselect\s+[\w.]+\s*\()");
  return std::regex_search(text, code);
}

// The user triggers of the database: "table|trigger".
std::set<std::string> triggers_of(const connection_info& db) {
  pqxx::connection conn(db.conninfo());
  pqxx::nontransaction tx(conn);
  std::set<std::string> out;
  for (const auto& row : tx.exec("SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c"
                                 " ON c.oid = t.tgrelid WHERE NOT t.tgisinternal")) {
    out.insert(std::string(row[0].c_str()) + "|" + row[1].c_str());
  }
  return out;
}

bool acts_on_rows(const std::string& action) {
  return action == "cascade" || action == "set null" || action == "set default";
}

// What a migration's writes change beyond the rows it names: the rows and keys foreign keys
// cascade to, and, when a written table has a trigger (or the migration runs code), anything.
struct indirect_writes {
  std::set<std::string> tables;   // bare names: may lose rows or change keys by cascade
  std::set<std::string> columns;  // "table|column" (qualified table): set by a cascade
  // "table|trigger" of the triggers its writes may fire: while there is one, no row of any
  // table can be held against the migration.
  std::vector<std::string> triggers;
};

indirect_writes indirect_of(const std::string& text, const snapshot& schema,
                            const std::set<std::string>& triggers) {
  indirect_writes out;
  std::set<std::string> reached = written_tables(text);
  for (bool grew = true; grew;) {  // children of written tables, and theirs
    grew = false;
    for (const auto& table : schema.tables()) {
      for (const auto& fk : table.foreign_keys) {
        if (reached.count(fk.ref_table) == 0) continue;
        if (!acts_on_rows(fk.on_delete) && !acts_on_rows(fk.on_update)) continue;
        for (const auto& c : fk.columns) out.columns.insert(key_of(table) + "|" + c);
        out.tables.insert(table.name);
        grew = reached.insert(table.name).second || grew;
      }
    }
  }
  const bool code = runs_code(text);
  for (const auto& trigger : triggers) {
    const auto bar = trigger.find('|');
    const std::string table = trigger.substr(0, bar);
    if (code || reached.count(table) > 0) out.triggers.push_back(trigger);
  }
  return out;
}

// The first value `before` holds more often than `after`: one that the migration lost.
std::optional<value> first_missing(const value_counts& before, const value_counts& after) {
  for (const auto& [v, n] : before) {
    const auto found = after.find(v);
    if (found == after.end() || found->second < n) return v;
  }
  return std::nullopt;
}

std::string shown(const value& v) { return v ? sql::quote_literal(*v) : "NULL"; }

finding table_finding(const target& t, const migration_step& step, attribute what,
                      const table_info& table, std::vector<std::string> values, bool up) {
  finding f = migration_finding(t, step.version, what, up ? step.up_file : step.down_file);
  f.differs = {difference{what, std::move(values)}};
  f.schema = table.schema;
  f.table = table.name;
  f.expected = step.name;
  return f;
}

// What may differ between the rows before and after, beyond what the comparison allows anyway
// (dropped tables and columns, changed types, generated columns).
struct allowances {
  const std::string* text = nullptr;  // up: the migration's text (columns it names)
  std::set<std::string> tables;       // may lose rows
  std::set<std::string> columns;      // "table|column": may change values
  bool allowed_table(const std::string& table) const {
    return tables.count(table) > 0 || (text != nullptr && deletes_from(*text, table));
  }
  void add(const indirect_writes& w) {
    tables.insert(w.tables.begin(), w.tables.end());
    columns.insert(w.columns.begin(), w.columns.end());
  }
};

bool column_allowed(const allowances& a, const std::string& table, const column_info& column) {
  if (a.columns.count(table + "|" + column.name) > 0) return true;
  if (a.text == nullptr) return false;
  // An enum or domain changed by name (ALTER TYPE ... RENAME VALUE) changes its columns' values.
  const bool own_type = column.type_kind == 'e' || column.type_kind == 'd';
  return mentions(*a.text, column.name) || (own_type && mentions(*a.text, column.type_name));
}

// The findings of one table: rows lost, else the first column whose values changed.
void compare_table(const target& t, const migration_step& step, bool up, const table_info& was,
                   const table_info& is, const table_rows& before, const table_rows& after,
                   const allowances& a, findings& out) {
  const std::string table = key_of(was);
  if (after.rows.size() < before.rows.size()) {
    if (a.allowed_table(was.name)) return;
    out.push_back(table_finding(
        t, step, attribute::rows_lost, was,
        {up ? "up" : "down", std::to_string(before.rows.size()), std::to_string(after.rows.size())},
        up));
    return;
  }
  for (const auto& column : was.columns) {
    const column_info* now = is.find_column(column.name);
    if (now == nullptr || now->type != column.type || column.generated != '\0') continue;
    if (column_allowed(a, table, column)) continue;
    if (const auto lost = first_missing(before.counts(column.name), after.counts(column.name))) {
      out.push_back(table_finding(t, step, attribute::values_changed, was,
                                  {up ? "up" : "down", column.name, shown(*lost)}, up));
    }
  }
}

findings compare_rows(const target& t, const migration_step& step, bool up, const snapshot& was,
                      const rows_by_table& before, const snapshot& is, const rows_by_table& after,
                      const allowances& a) {
  findings out;
  for (const auto& table : was.tables()) {
    const auto b = before.find(key_of(table));
    const table_info* now = is.find_table(table.schema, table.name);
    if (b == before.end() || b->second.rows.empty() || now == nullptr) continue;
    const auto found = after.find(key_of(table));
    if (found == after.end()) continue;
    compare_table(t, step, up, table, *now, b->second, found->second, a, out);
  }
  return out;
}

// A new column of `after` holds exactly the values `column` held: the up renamed or copied it.
bool carried(const table_info& after_table, const table_info& before_table,
             const table_rows& after_rows, const value_counts& values) {
  if (values.empty() || (values.size() == 1 && !values.begin()->first)) return false;
  for (const auto& c : after_table.columns) {
    if (before_table.find_column(c.name) == nullptr && after_rows.counts(c.name) == values) {
      return true;
    }
  }
  return false;
}

// What the down need not restore: what the up removed or converted itself.
allowances down_allowances(const snapshot& was, const rows_by_table& before, const snapshot& is,
                           const rows_by_table& after) {
  allowances a;
  for (const auto& table : was.tables()) {
    const std::string key = key_of(table);
    const table_info* now = is.find_table(table.schema, table.name);
    const auto b = before.find(key);
    const auto n = after.find(key);
    if (now == nullptr || b == before.end() || n == after.end() ||
        n->second.rows.size() < b->second.rows.size()) {
      a.tables.insert(table.name);
      continue;
    }
    for (const auto& column : table.columns) {
      const value_counts values = b->second.counts(column.name);
      const column_info* c = now->find_column(column.name);
      const bool destroyed =
          c == nullptr
              ? !carried(*now, table, n->second, values)
              : c->type != column.type || first_missing(values, n->second.counts(column.name));
      if (destroyed) a.columns.insert(key + "|" + column.name);
    }
  }
  return a;
}

// The SQLSTATE in a migration error ("... (SQLSTATE 23502); ..."), or for Alembic the psycopg2
// error class it names; "" when there is none.
std::string sqlstate_in(const std::string& message) {
  const auto at = message.rfind("(SQLSTATE ");
  if (at != std::string::npos) return message.substr(at + 10, 5);
  static const std::vector<std::pair<const char*, const char*>> psycopg2 = {
      {"NotNullViolation", "23502"},
      {"UniqueViolation", "23505"},
      {"CheckViolation", "23514"},
      {"ForeignKeyViolation", "23503"},
      {"InvalidTextRepresentation", "22P02"},
      {"StringDataRightTruncation", "22001"},
      {"NumericValueOutOfRange", "22003"}};
  for (const auto& [name, state] : psycopg2) {
    if (message.find(name) != std::string::npos) return state;
  }
  return std::string();
}

// The rows of the tables a failing migration's message names, for "which rows made it fail".
std::vector<std::string> rows_named_in(const std::string& message, const filled_tables& filled) {
  std::vector<std::string> out;
  for (const auto& [table, inserts] : filled.inserts) {
    const auto dot = table.rfind('.');
    const std::string bare = dot == std::string::npos ? table : table.substr(dot + 1);
    if (message.find("\"" + bare + "\"") == std::string::npos && !mentions(lower(message), bare)) {
      continue;
    }
    out.push_back(fmt::format("{} existing row(s) in {}, synthesised by:", inserts.size(), table));
    for (const auto& insert : inserts) out.push_back("  " + insert + ";");
  }
  return out;
}

finding refused(const target& t, const migration_step& step, bool up, const std::exception& e,
                const filled_tables& filled) {
  finding f = migration_finding(t, step.version, attribute::rows_refused,
                                up ? step.up_file : step.down_file);
  f.differs = {difference{attribute::rows_refused, {up ? "up" : "down", sqlstate_in(e.what())}}};
  f.actual = e.what();
  f.expected = step.name;
  f.statements = rows_named_in(e.what(), filled);
  return f;
}

// A database with steps [0, index) and no rows, copied for this target: the clean one the
// previous target moved on, else a new one.
scratch_database& clean_before(session& s, const migration_set& migrations, std::size_t index) {
  std::optional<step_progress>& state = s.internals().clean_steps;
  engine_detail::move_to(state, s, migrations, index);
  return *state->db;
}

fill_options fill_options_of(const session& s) {
  fill_options options;
  options.models = &s.ctx().declared;
  options.skip_tables = s.ctx().config.ignore_tables;
  options.statement_timeout_ms =
      std::max(1L, std::lround(s.ctx().config.probe_timeout_seconds * 1000));
  return options;
}

// Fills `db` (as it is now, `schema`) with the synthesised rows; without `full_width`, the
// last row is short like the others.
filled_tables fill(const scratch_database& db, const snapshot& schema, const session& s,
                   bool full_width = true) {
  fill_options options = fill_options_of(s);
  options.full_width = full_width;
  pqxx::connection conn(db.info().conninfo());
  return fill_tables(conn, schema, options);
}

// Whether the unit at `index` fails without rows too, in the first `phases` of up, down, up
// again: then the failure is Migrations/Step's finding, not one of the rows.
bool fails_without_rows(session& s, const migration_set& migrations, std::size_t index,
                        int phases) {
  scratch_database empty(server_of(s), clean_before(s, migrations, index).name());
  try {
    for (int phase = 0; phase < phases; ++phase) {
      apply_unit(migrations, index, phase % 2 == 0,
                 empty.migration_info(s.ctx().config.migrations));
    }
  } catch (const std::exception&) {
    return true;
  }
  return false;
}

// The schema the unit at `index` leaves when applied over the same rows with the last one short
// like the others (`was`: the schema before it); nullopt when it fails there too. Tells a
// failure over the full-width row alone (values at the top of their declared width) from one
// over any rows.
std::optional<snapshot> passes_without_full_width(session& s, const migration_set& migrations,
                                                  std::size_t index, const snapshot& was) {
  scratch_database db(server_of(s), clean_before(s, migrations, index).name());
  fill(db, was, s, false);
  try {
    apply_unit(migrations, index, true, db.migration_info(s.ctx().config.migrations));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return db.read();
}

// The table a server message is about: the relation it names (`... of relation "users" ...`),
// or the table of the unique index it could not create; "" when neither is known.
std::string table_in(const std::string& message, const snapshot& schema) {
  static const std::regex relation(R"re(relation "([^"]+)")re");
  static const std::regex index(R"re(unique index "([^"]+)")re");
  std::smatch m;
  if (std::regex_search(message, m, relation)) return m[1].str();
  if (!std::regex_search(message, m, index)) return std::string();
  for (const auto& t : schema.tables()) {
    if (t.primary_key_name == m[1].str()) return t.name;
    for (const auto& i : t.indexes) {
      if (i.name == m[1].str()) return t.name;
    }
  }
  return std::string();
}

// The first step of the latest unit before `index` that writes rows of `table`: a backfill or
// clean-up the migration at `index` may rely on.
std::optional<std::size_t> preparing_unit(const migration_set& migrations, std::size_t index,
                                          const std::string& table) {
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < index && !table.empty(); i = unit_end(migrations, i)) {
    const std::string text = unit_text(migrations, i);
    if (writes_rows(text) && written_tables(text).count(lower(table)) > 0) found = i;
  }
  return found;
}

// Whether the unit at `index`, which failed over rows synthesised just before it with
// `message`, applies over rows synthesised before the latest earlier migration that writes rows
// of the table the message names and carried through every migration since: a backfill or
// clean-up (`DELETE ... WHERE x IS NULL` before `SET NOT NULL`) establishes what it relies on,
// which rows synthesised just before it cannot know. That migration's version and name, if so.
std::optional<std::string> passes_after_preparation(session& s, const migration_set& migrations,
                                                    std::size_t index, const std::string& message,
                                                    const snapshot& was) {
  const std::string table = table_in(message, was);
  const auto first = preparing_unit(migrations, index, table);
  if (!first) return std::nullopt;
  std::optional<step_progress>& state = s.internals().clean_previous;
  engine_detail::move_to(state, s, migrations, *first);
  scratch_database db(server_of(s), state->db->name());
  const snapshot then = db.read();
  // Rows carried through need a table to be in; one made since would pass with none.
  bool exists = false;
  for (const auto& t : then.tables()) exists = exists || t.name == table;
  if (!exists) return std::nullopt;
  fill(db, then, s);
  try {
    for (std::size_t i = *first; i <= index; i = unit_end(migrations, i)) {
      apply_unit(migrations, i, true, db.migration_info(s.ctx().config.migrations));
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const migration_step& step = migrations.steps[*first];
  return step.version + " " + step.name;
}

// The findings of `found` that `w` may explain become skipped parts with its reason.
void excuse(const indirect_writes& w, findings& found, outcome& o) {
  if (w.triggers.empty()) return;
  std::set<std::string> named;
  for (const auto& f : found) {
    if (!named.insert(f.schema + "." + f.table).second) continue;  // one line per table
    // The table's own trigger when it has one, else the first the writes may fire.
    std::string trigger = w.triggers.front();
    for (const auto& t : w.triggers) {
      if (t.compare(0, f.table.size() + 1, f.table + "|") == 0) trigger = t;
    }
    const auto bar = trigger.find('|');
    o.skipped_parts.push_back("the rows of " + sql::qualified_name(f.schema, f.table) +
                              " were not held against the migration: it writes rows while "
                              "trigger " +
                              trigger.substr(bar + 1) + " on " + trigger.substr(0, bar) +
                              " exists, and a trigger may change any table's rows; pgparity "
                              "cannot tell its changes from a loss");
  }
  found.clear();
}

// Down N over the rows, the rows before N back, then up N again.
void check_down(const target& t, session& s, const migration_step& step, const scratch_database& db,
                const snapshot& was, const rows_by_table& before, const snapshot& is,
                const rows_by_table& after, const filled_tables& filled, outcome& o) {
  const migration_set& migrations = *set_of(s);
  const std::string without =
      "fails on empty tables too (Migrations/Step.Check/" + t.name + " reports it)";
  try {
    apply_unit(migrations, t.index, false, db.migration_info(s.ctx().config.migrations));
  } catch (const std::exception& e) {
    if (fails_without_rows(s, migrations, t.index, 2)) {
      o.note = "the down of " + step.version + " " + without + "; its rows were not compared";
    } else {
      o.found.push_back(refused(t, step, false, e, filled));
    }
    return;
  }
  const snapshot back = db.read();
  // A down that does not bring the schema back is Migrations/Step's finding; comparing rows (or
  // applying the up again) over the wrong schema would only repeat it.
  const auto schema_of = [&](const snapshot& x) {
    return columns_by_name(without_bookkeeping(x, migrations.layout));
  };
  if (schema_of(was) != schema_of(back)) {
    o.note = "the down did not restore the schema before " + step.version +
             " (Migrations/Step.Check/" + t.name + " says how); its rows were not compared";
    return;
  }
  const rows_by_table rows_back = read_rows(db.info(), back, s.ctx().config);
  allowances a = down_allowances(was, before, is, after);
  // A down that empties a table its up seeds removes the seed rows, and with them rows that a
  // table being seeded does not hold in production.
  const std::string down_text = unit_text(migrations, t.index, false);
  for (const auto& table : inserted_tables(unit_text(migrations, t.index))) {
    if (deletes_from(down_text, table)) a.tables.insert(table);
  }
  const indirect_writes w = indirect_of(down_text, is, triggers_of(db.info()));
  a.add(w);
  findings lost = compare_rows(t, step, false, was, before, back, rows_back, a);
  excuse(w, lost, o);
  o.found.insert(o.found.end(), lost.begin(), lost.end());
  if (!lost.empty()) return;
  try {
    apply_unit(migrations, t.index, true, db.migration_info(s.ctx().config.migrations));
  } catch (const std::exception& e) {
    if (fails_without_rows(s, migrations, t.index, 3)) {
      o.note = "up again after the down " + without;
    } else {
      o.found.push_back(refused(t, step, true, e, filled));
    }
  }
}

// N failed over the rows with `e`: a finding, or a skip where the rows are not to blame.
void up_failed(const target& t, session& s, const migration_step& step, const std::exception& e,
               const snapshot& was, const filled_tables& filled, outcome& o) {
  const migration_set& migrations = *set_of(s);
  const std::string state = sqlstate_in(e.what());
  if (state == "23505" && inserts_rows(migrations, t.index)) {
    // A migration that seeds reference rows with fixed keys (`INSERT INTO plans (id, ...)
    // VALUES (1, ...)`) meets the synthesised rows' keys; production tables at that point
    // usually hold no such rows, so this is no finding of the migration's.
    o.skipped =
        "the migration inserts rows whose keys the synthesised rows already use (it seeds "
        "reference data): " +
        std::string(e.what());
  } else if (const auto then = state.compare(0, 2, "22") == 0
                                   ? passes_without_full_width(s, migrations, t.index, was)
                                   : std::nullopt) {
    // Only the full-width row's values made it fail (a data exception: too long, out of range;
    // a key it duplicates is the row's shape, not its width, and stays a finding). With a
    // column's type changed that is a narrowing, the row's reason to exist; without, it is
    // arithmetic or concatenation (a generated column, a backfill) over values at the top of
    // their type, which real rows seldom hold.
    if (changes_a_column_type(was, *then)) {
      o.found.push_back(refused(t, step, true, e, filled));
    } else {
      o.skipped =
          "the migration fails only over the full-width row (values at the top of their "
          "declared width, there to catch narrowings) and applies over the same rows without "
          "it, and it changes no column's type, so no narrowing is to blame: " +
          std::string(e.what());
    }
  } else if (state == "23503") {
    // A foreign key no model declares: the rows could not know which values it requires.
    o.skipped =
        "the migration adds a foreign key that the synthesised rows do not honour "
        "(declare it in the model so the rows point at real parents): " +
        std::string(e.what());
  } else if (const auto earlier = passes_after_preparation(s, migrations, t.index, e.what(), was)) {
    o.skipped = "the migration fails over rows synthesised just before it (" +
                std::string(e.what()) + "), but applies over rows synthesised before migration " +
                *earlier +
                ", which writes rows of the table (a backfill or clean-up this one relies on), "
                "and carried through the migrations since: synthesised rows cannot know what "
                "it establishes";
  } else {
    o.found.push_back(refused(t, step, true, e, filled));
  }
}

// Up N over the rows: rows and values kept, unless N (or what it sets off) changes them.
void check_up(const target& t, session& s, const scratch_database& db, const snapshot& was,
              const rows_by_table& before, const std::set<std::string>& triggers_before,
              const filled_tables& filled, outcome& o) {
  const migration_set& migrations = *set_of(s);
  const migration_step& step = migrations.steps.at(t.index);
  const project_config& config = s.ctx().config;
  const snapshot is = db.read();
  const rows_by_table after = read_rows(db.info(), is, config);
  const std::string up_text = unit_text(migrations, t.index);
  std::set<std::string> triggers = triggers_of(db.info());
  triggers.insert(triggers_before.begin(), triggers_before.end());
  const indirect_writes w = indirect_of(up_text, was, triggers);
  allowances up;
  up.text = &up_text;
  up.add(w);
  o.found = compare_rows(t, step, true, was, before, is, after, up);
  excuse(w, o.found, o);
  if (!o.found.empty()) return;
  if (!step.down_file.empty() && !downs_skip_reason(migrations, config.migrations)) {
    check_down(t, s, step, db, was, before, is, after, filled, o);
  }
}

}  // namespace

outcome run_with_data(const target& t, session& s) {
  outcome o;
  if (without_context(s, o)) return o;
  const migration_set& migrations = *set_of(s);
  const migration_step& step = migrations.steps.at(t.index);
  try {
    scratch_database db(server_of(s), clean_before(s, migrations, t.index).name());
    const snapshot was = db.read();
    const filled_tables filled = fill(db, was, s);
    for (const auto& reason : filled.unfilled) o.skipped_parts.push_back("no rows in " + reason);
    for (const auto& reason : filled.narrow) {
      o.skipped_parts.push_back("no full-width row in " + reason);
    }
    const rows_by_table before = read_rows(db.info(), was, s.ctx().config);
    const std::set<std::string> triggers = triggers_of(db.info());
    try {
      apply_unit(migrations, t.index, true, db.migration_info(s.ctx().config.migrations));
    } catch (const std::exception& e) {
      up_failed(t, s, step, e, was, filled, o);
      return o;
    }
    check_up(t, s, db, was, before, triggers, filled, o);
  } catch (const std::exception& e) {
    o.found.push_back(phase_failed(t, step.version, "preparing the rows before it", e, ""));
  }
  return o;
}

}  // namespace pgparity::engine
