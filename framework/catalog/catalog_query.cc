#include "catalog/catalog_query.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <unordered_map>

#include "common/index_key.h"

namespace pgparity {
namespace catalog_detail {
namespace {

// `alias`.oid is not owned by an extension (CREATE EXTENSION objects are not the schema's).
std::string not_extension_owned(const std::string& catalog, const std::string& oid_expr) {
  return fmt::format(
      "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = "
      "'pg_catalog.{}'::pg_catalog.regclass AND e.objid = {} AND e.deptype = 'e')",
      catalog, oid_expr);
}

std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : f.c_str(); }

std::optional<std::string> optional_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str());
}

char first_char(const pqxx::field& f) { return f.is_null() ? '\0' : f.c_str()[0]; }

bool boolean(const pqxx::field& f) { return !f.is_null() && f.c_str()[0] == 't'; }

// By-name field access that looks each name up once per result: pqxx::row["name"] searches the
// result's column names on every call, which was most of the client's cost of a snapshot.
class column_numbers {
 public:
  explicit column_numbers(const pqxx::result& rows) : rows_(rows) {}

  // Names are string literals, so their addresses identify them; a literal spelt twice is
  // merely looked up twice.
  pqxx::row::size_type operator()(const char* name) {
    for (const auto& [known, number] : known_) {
      if (known == name) return number;
    }
    const pqxx::row::size_type number = rows_.column_number(name);
    known_.emplace_back(name, number);
    return number;
  }

 private:
  const pqxx::result& rows_;
  std::vector<std::pair<const char*, pqxx::row::size_type>> known_;
};

// One row of a result, read by column name through `column_numbers`.
class named_row {
 public:
  named_row(const pqxx::result& rows, pqxx::result::size_type r, column_numbers& numbers)
      : row_(rows[r]), numbers_(numbers) {}
  pqxx::field operator[](const char* name) const { return row_[numbers_(name)]; }

 private:
  pqxx::row row_;
  column_numbers& numbers_;
};

// Row numbers of `rows` in order of the given integer columns (OIDs, positions). Sorting here
// rather than with ORDER BY spares the server from sorting wide rows of printed text.
std::vector<pqxx::result::size_type> ordered(const pqxx::result& rows,
                                             const std::vector<const char*>& columns) {
  const std::size_t width = columns.size();
  std::vector<long long> keys(rows.size() * width);
  for (std::size_t c = 0; c < width; ++c) {
    const pqxx::row::size_type number = rows.column_number(columns[c]);
    for (pqxx::result::size_type i = 0; i < rows.size(); ++i) {
      const pqxx::field f = rows[i][number];
      keys[i * width + c] = f.is_null() ? 0 : std::atoll(f.c_str());
    }
  }
  std::vector<pqxx::result::size_type> order(rows.size());
  for (pqxx::result::size_type i = 0; i < rows.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) {
    const auto ka = keys.begin() + static_cast<std::ptrdiff_t>(a * width);
    const auto kb = keys.begin() + static_cast<std::ptrdiff_t>(b * width);
    return std::lexicographical_compare(ka, ka + static_cast<std::ptrdiff_t>(width), kb,
                                        kb + static_cast<std::ptrdiff_t>(width));
  });
  return order;
}

std::string referential_action_name(char code) {
  switch (code) {
    case 'r':
      return "restrict";
    case 'c':
      return "cascade";
    case 'n':
      return "set null";
    case 'd':
      return "set default";
    default:
      return "no action";
  }
}

// Column rows, one per column (a table without columns still yields one row).
void read_columns(pqxx::transaction_base& tx, const schema_filter& filter,
                  statement_counter& counter, std::vector<table_info>& tables,
                  std::unordered_map<std::string, std::size_t>& by_oid) {
  const auto rows =
      counter.exec(tx, fmt::format(R"(
SELECT c.oid AS table_oid, n.nspname, c.relname, a.attname, a.attnum,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       bn.nspname AS type_schema, bt.typname AS type_name, bt.typtype AS type_kind,
       a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) AS default_expr,
       a.attidentity, a.attgenerated,
       CASE WHEN a.attcollation <> t.typcollation THEN
         CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname
              ELSE cn.nspname || '.' || co.collname END END AS collation
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a
  ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt
  ON bt.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE t.oid END
LEFT JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE c.relkind IN ('r', 'p') AND ({}) AND {})",
                                   filter.sql, not_extension_owned("pg_class", "c.oid")));
  column_numbers numbers(rows);
  for (const auto r : ordered(rows, {"table_oid", "attnum"})) {
    const named_row row(rows, r, numbers);
    const std::string oid = row["table_oid"].c_str();
    auto found = by_oid.find(oid);
    if (found == by_oid.end()) {
      found = by_oid.emplace(oid, tables.size()).first;
      table_info table;
      table.schema = row["nspname"].c_str();
      table.name = row["relname"].c_str();
      tables.push_back(std::move(table));
    }
    if (row["attname"].is_null()) continue;
    column_info column;
    column.name = row["attname"].c_str();
    column.attnum = row["attnum"].as<int>();
    column.type = row["type"].c_str();
    column.type_schema = text(row["type_schema"]);
    column.type_name = text(row["type_name"]);
    column.type_kind = first_char(row["type_kind"]);
    column.not_null = boolean(row["attnotnull"]);
    column.identity = first_char(row["attidentity"]);
    column.generated = first_char(row["attgenerated"]);
    column.collation = text(row["collation"]);
    // pg_attrdef holds both defaults and generation expressions; keep them apart.
    if (column.generated != '\0') {
      column.generation_expr = optional_text(row["default_expr"]);
    } else {
      column.default_expr = optional_text(row["default_expr"]);
    }
    tables[found->second].columns.push_back(std::move(column));
  }
}

// `EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (...)`, split into its parts.
exclusion_info exclusion_from(const std::string& name, const std::string& method,
                              const std::string& definition) {
  exclusion_info x;
  x.name = name;
  x.method = method;
  x.definition = definition;
  std::size_t end = 0;
  const auto using_at = definition.find(" USING ");
  for (const auto& item :
       parenthesised_items(definition, using_at == std::string::npos ? 0 : using_at, end)) {
    const auto with = item.rfind(" WITH ");
    if (with == std::string::npos) continue;
    x.elements.emplace_back(item.substr(0, with), item.substr(with + 6));
  }
  // The predicate is one parenthesised item (its own commas are nested in calls).
  const std::string where = " WHERE (";
  if (end != std::string::npos && definition.compare(end, where.size(), where) == 0) {
    std::size_t after = 0;
    const auto predicate = parenthesised_items(definition, end, after);
    if (predicate.size() == 1) x.predicate = predicate[0];
  }
  return x;
}

// Primary keys, uniques, foreign keys and checks: one row per key column.
void read_constraints(pqxx::transaction_base& tx, const schema_filter& filter,
                      statement_counter& counter, std::vector<table_info>& tables,
                      const std::unordered_map<std::string, std::size_t>& by_oid) {
  const auto rows =
      counter.exec(tx, fmt::format(R"(
SELECT co.conrelid AS table_oid, co.oid AS con_oid, co.conname, co.contype, k.ord,
       ka.attname AS col, fa.attname AS ref_col, fn.nspname AS ref_schema,
       fc.relname AS ref_table, co.confdeltype, co.confupdtype, co.condeferrable,
       co.condeferred,
       CASE WHEN co.contype IN ('c', 'x') THEN pg_catalog.pg_get_constraintdef(co.oid, true)
       END AS def, am.amname
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL unnest(co.conkey, co.confkey) WITH ORDINALITY AS k(attnum, refattnum, ord)
  ON co.contype IN ('p', 'u', 'f')
LEFT JOIN pg_catalog.pg_attribute ka ON ka.attrelid = co.conrelid AND ka.attnum = k.attnum
LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = co.confrelid AND fa.attnum = k.refattnum
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_catalog.pg_class xc ON xc.oid = co.conindid AND co.contype = 'x'
LEFT JOIN pg_catalog.pg_am am ON am.oid = xc.relam
WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND c.relkind IN ('r', 'p') AND ({}) AND {})",
                                   filter.sql, not_extension_owned("pg_class", "c.oid")));
  std::string last_con;
  column_numbers numbers(rows);
  for (const auto r : ordered(rows, {"table_oid", "con_oid", "ord"})) {
    const named_row row(rows, r, numbers);
    const auto table = by_oid.find(row["table_oid"].c_str());
    if (table == by_oid.end()) continue;
    table_info& t = tables[table->second];
    const std::string con = row["con_oid"].c_str();
    const bool first = con != last_con;
    last_con = con;
    const char type = first_char(row["contype"]);
    const std::string name = row["conname"].c_str();
    const std::string column = text(row["col"]);
    if (type == 'p') {
      if (first) {
        t.primary_key_name = name;
        t.primary_key_deferrable = boolean(row["condeferrable"]);
        t.primary_key_initially_deferred = boolean(row["condeferred"]);
      }
      t.primary_key.push_back(column);
    } else if (type == 'u') {
      if (first) {
        unique_constraint_info u;
        u.name = name;
        u.deferrable = boolean(row["condeferrable"]);
        u.initially_deferred = boolean(row["condeferred"]);
        t.uniques.push_back(std::move(u));
      }
      t.uniques.back().columns.push_back(column);
    } else if (type == 'f') {
      if (first) {
        foreign_key_info fk;
        fk.name = name;
        fk.ref_schema = text(row["ref_schema"]);
        fk.ref_table = text(row["ref_table"]);
        fk.on_delete = referential_action_name(first_char(row["confdeltype"]));
        fk.on_update = referential_action_name(first_char(row["confupdtype"]));
        fk.deferrable = boolean(row["condeferrable"]);
        fk.initially_deferred = boolean(row["condeferred"]);
        t.foreign_keys.push_back(std::move(fk));
      }
      t.foreign_keys.back().columns.push_back(column);
      t.foreign_keys.back().ref_columns.push_back(text(row["ref_col"]));
    } else if (type == 'x' && first) {
      t.exclusions.push_back(exclusion_from(name, text(row["amname"]), row["def"].c_str()));
    } else if (type == 'c' && first) {
      const std::string definition = row["def"].c_str();
      t.checks.push_back({name, check_expression(definition), definition});
    }
  }
}

// pg_get_indexdef(oid, k) prints a key without its options; the full definition has them. Its
// key items replace the bare keys, and its INCLUDE list gives the included columns.
void add_key_options(index_info& index) {
  if (index.definition.empty()) return;
  std::size_t end = 0;
  const auto on = index.definition.find(" USING ");
  auto keys = parenthesised_items(index.definition, on == std::string::npos ? 0 : on, end);
  if (keys.size() != index.keys.size()) return;  // unexpected shape: keep the bare keys
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (keys[k].compare(0, index.keys[k].size(), index.keys[k]) == 0) index.keys[k] = keys[k];
  }
  const std::string include = " INCLUDE (";
  if (index.definition.compare(end, include.size(), include) == 0) {
    index.include = parenthesised_items(index.definition, end, end);
  }
}

// A unique constraint's NULLS NOT DISTINCT is a property of the index that backs it.
void copy_constraint_options(table_info& t) {
  for (auto& u : t.uniques) {
    for (const auto& index : t.indexes) {
      if (index.constraint_name == u.name) u.nulls_not_distinct = index.nulls_not_distinct;
    }
  }
}

// Indexes: one row per key column or expression (INCLUDE columns are not keys).
void read_indexes(pqxx::transaction_base& tx, const schema_filter& filter,
                  statement_counter& counter, std::vector<table_info>& tables,
                  const std::unordered_map<std::string, std::size_t>& by_oid) {
  // NULLS NOT DISTINCT exists from PostgreSQL 15; before, every index treats nulls as distinct.
  const char* nulls_not_distinct =
      tx.conn().server_version() >= 150000 ? "i.indnullsnotdistinct" : "false";
  const auto rows = counter.exec(
      tx, fmt::format(R"(
SELECT i.indrelid AS table_oid, i.indexrelid AS index_oid, ic.relname AS name,
       k.k AS ord, pg_catalog.pg_get_indexdef(i.indexrelid, k.k, true) AS key, i.indisunique,
       i.indisprimary, am.amname, co.conname AS constraint_name, {} AS nulls_not_distinct,
       CASE WHEN k.k = 1 THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) END AS predicate,
       CASE WHEN k.k = 1 AND (i.indnatts > i.indnkeyatts OR ic.reloptions IS NOT NULL
         OR NOT (i.indoption::int2[] <@ '{{0}}'::int2[])
         OR NOT (i.indcollation::oid[] <@ '{{0,100}}'::oid[])
         OR i.indclass::oid[] && (SELECT pg_catalog.array_agg(o.oid) FROM pg_catalog.pg_opclass o
                                  WHERE NOT o.opcdefault)
         OR EXISTS (SELECT 1 FROM pg_catalog.pg_attribute ia
                    WHERE ia.attrelid = i.indexrelid AND ia.attoptions IS NOT NULL))
         THEN pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) END AS definition
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k(k)
LEFT JOIN pg_catalog.pg_constraint co
  ON co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')
WHERE c.relkind IN ('r', 'p') AND ({}) AND {})",
                      nulls_not_distinct, filter.sql, not_extension_owned("pg_class", "c.oid")));
  std::string last_index;
  column_numbers numbers(rows);
  for (const auto r : ordered(rows, {"table_oid", "index_oid", "ord"})) {
    const named_row row(rows, r, numbers);
    const auto table = by_oid.find(row["table_oid"].c_str());
    if (table == by_oid.end()) continue;
    table_info& t = tables[table->second];
    const std::string index = row["index_oid"].c_str();
    if (index != last_index) {
      index_info info;
      info.name = row["name"].c_str();
      info.unique = boolean(row["indisunique"]);
      info.primary = boolean(row["indisprimary"]);
      info.predicate = optional_text(row["predicate"]);
      info.method = row["amname"].c_str();
      info.definition = text(row["definition"]);
      info.constraint_name = optional_text(row["constraint_name"]);
      info.nulls_not_distinct = boolean(row["nulls_not_distinct"]);
      t.indexes.push_back(std::move(info));
      last_index = index;
    }
    t.indexes.back().keys.push_back(row["key"].c_str());
  }
  for (auto& t : tables) {
    for (auto& index : t.indexes) add_key_options(index);
    copy_constraint_options(t);
  }
}

}  // namespace

schema_filter user_schemas() {
  return {"n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"};
}

schema_filter only_schemas(pqxx::transaction_base& tx, const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + tx.quote(name);
  if (list.empty()) return {"false"};
  return {"n.nspname IN (" + list + ")"};
}

pqxx::result statement_counter::exec(pqxx::transaction_base& tx, const std::string& sql) {
  ++statements;
  const auto start = std::chrono::steady_clock::now();
  pqxx::result result = tx.exec(sql);
  exec_ms +=
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::vector<table_info> read_tables(pqxx::transaction_base& tx, const schema_filter& filter,
                                    statement_counter& counter) {
  std::vector<table_info> tables;
  std::unordered_map<std::string, std::size_t> by_oid;
  read_columns(tx, filter, counter, tables, by_oid);
  read_constraints(tx, filter, counter, tables, by_oid);
  read_indexes(tx, filter, counter, tables, by_oid);
  return tables;
}

std::vector<enum_info> read_enums(pqxx::transaction_base& tx, const schema_filter& filter,
                                  statement_counter& counter) {
  const auto rows =
      counter.exec(tx, fmt::format(R"(
SELECT t.oid, n.nspname, t.typname, e.enumlabel, e.enumsortorder
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
WHERE t.typtype = 'e' AND ({}) AND {}
ORDER BY t.oid, e.enumsortorder)",
                                   filter.sql, not_extension_owned("pg_type", "t.oid")));
  std::vector<enum_info> enums;
  std::string last;
  for (const auto& row : rows) {
    const std::string oid = row["oid"].c_str();
    if (oid != last) enums.push_back({row["nspname"].c_str(), row["typname"].c_str(), {}});
    last = oid;
    if (!row["enumlabel"].is_null()) enums.back().labels.push_back(row["enumlabel"].c_str());
  }
  return enums;
}

std::vector<object_info> read_other_objects(pqxx::transaction_base& tx, const schema_filter& filter,
                                            statement_counter& counter) {
  // Sequences owned by a column (serial, identity) belong to that column, not listed here.
  const auto rows =
      counter.exec(tx, fmt::format(R"(
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
       n.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE ({0}) AND {1}
UNION ALL
SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view'
         WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' ELSE 'type' END,
       n.nspname, c.relname
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('S', 'v', 'm', 'f', 'c') AND ({0}) AND {2}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND d.objid = c.oid AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, n.nspname, t.typname
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('b', 'd', 'r') AND NOT (t.typelem <> 0 AND t.typlen = -1)
  AND ({0}) AND {3}
UNION ALL
SELECT 'trigger', n.nspname, c.relname || '.' || tg.tgname
FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal AND ({0}) AND {2}
UNION ALL
SELECT 'schema', n.nspname, n.nspname
FROM pg_catalog.pg_namespace n
WHERE n.nspname <> 'public' AND ({0}) AND {4}
UNION ALL
SELECT 'extension', n.nspname, x.extname
FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
WHERE x.extname <> 'plpgsql')",
                                   filter.sql, not_extension_owned("pg_proc", "p.oid"),
                                   not_extension_owned("pg_class", "c.oid"),
                                   not_extension_owned("pg_type", "t.oid"),
                                   not_extension_owned("pg_namespace", "n.oid")));
  std::vector<object_info> objects;
  objects.reserve(rows.size());
  for (const auto& row : rows) {
    objects.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str()});
  }
  return objects;
}

std::string check_expression(const std::string& definition) {
  const std::string prefix = "CHECK (";
  if (definition.compare(0, prefix.size(), prefix) != 0) return definition;
  // Find the ")" matching the opening one, skipping string literals and quoted identifiers.
  int depth = 1;
  char quote = '\0';
  for (std::size_t i = prefix.size(); i < definition.size(); ++i) {
    const char ch = definition[i];
    if (quote != '\0') {
      if (ch == quote) quote = '\0';  // a doubled quote re-enters on the next character
      continue;
    }
    if (ch == '\'' || ch == '"') {
      quote = ch;
    } else if (ch == '(') {
      ++depth;
    } else if (ch == ')' && --depth == 0) {
      return definition.substr(prefix.size(), i - prefix.size());
    }
  }
  return definition;
}

snapshot read_snapshot_counted(pqxx::connection& conn, statement_counter& counter) {
  pqxx::work tx(conn);
  // One consistent, read-only view of the catalog; names print relative to `public` so that
  // read_snapshot() and canonicalize() print alike whatever the connection's search_path.
  // No JIT: the row estimates of catalog joins are wild, and compiling costs more than a
  // second while the queries themselves take milliseconds.
  const auto version = counter.exec(tx,
                                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
                                    " SET LOCAL search_path = public; SET LOCAL jit = off;"
                                    " SELECT pg_catalog.current_setting('server_version')");
  const auto filter = user_schemas();
  auto tables = read_tables(tx, filter, counter);
  auto enums = read_enums(tx, filter, counter);
  auto others = read_other_objects(tx, filter, counter);
  tx.commit();
  return snapshot(version[0][0].c_str(), std::move(tables), std::move(enums), std::move(others));
}

}  // namespace catalog_detail

snapshot read_snapshot(pqxx::connection& conn) {
  catalog_detail::statement_counter counter;
  return catalog_detail::read_snapshot_counted(conn, counter);
}

}  // namespace pgparity
