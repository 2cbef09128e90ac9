// canonicalize(): the server decides what a manifest spelling means. Every model is built as a
// scratch table (columns with their types and defaults, checks, indexes) in a scratch schema
// inside a transaction that is rolled back, and read back with the same catalog queries as
// read_snapshot(), so both sides are printed by the same server code.
//
// Printing: format_type() and pg_get_expr() qualify a name with its schema unless the schema
// is on the search_path at the time of printing. Objects are CREATED with the scratch schema
// first on the search_path (so `user_status` resolves to the manifest's enum), but READ with
// search_path = public exactly like read_snapshot(); the scratch schema's name is then
// replaced by the schema it stands for ("" for public). So `'pending'::user_status` in the
// scratch schema prints exactly as the real enum in public does.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "catalog/catalog.h"
#include "catalog/catalog_query.h"
#include "common/index_key.h"
#include "common/progress.h"

namespace pgparity {
namespace {

// The server's message without the "ERROR:  " prefix and the LINE/caret context.
std::string server_message(const pqxx::sql_error& e) {
  std::string message = e.what();
  const auto end = message.find('\n');
  if (end != std::string::npos) message.resize(end);
  const std::string prefix = "ERROR:  ";
  if (message.compare(0, prefix.size(), prefix) == 0) message.erase(0, prefix.size());
  return message;
}

// Runs `sql` inside its own savepoint; on failure rolls just that back and returns the error.
std::optional<std::string> try_exec(pqxx::transaction_base& tx,
                                    catalog_detail::statement_counter& counter,
                                    const std::string& sql) {
  // A separate round trip: the server parses a whole multi-statement string before running
  // any of it, so after a syntax error a savepoint in the same string would never exist.
  counter.exec(tx, "SAVEPOINT pgparity_try");
  try {
    counter.exec(tx, sql + ";\nRELEASE SAVEPOINT pgparity_try");
    return std::nullopt;
  } catch (const pqxx::sql_error& e) {
    counter.exec(tx, "ROLLBACK TO SAVEPOINT pgparity_try; RELEASE SAVEPOINT pgparity_try");
    return server_message(e);
  }
}

void rollback(pqxx::nontransaction& tx) {
  try {
    tx.exec("ROLLBACK");
  } catch (const pqxx::broken_connection&) {
    // The server has dropped the session, and with it the transaction.
  }
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class canonicalizer {
 public:
  canonicalizer(pqxx::connection& conn, pqxx::nontransaction& tx, canonical_manifest& out,
                std::size_t batch_relations)
      : tx_(tx),
        out_(out),
        prefix_(fmt::format("pgparity_scratch_{}_", conn.backendpid())),
        batch_relations_(batch_relations) {}

  void run() {
    manifest& m = out_.m;
    for (const auto& e : m.enums) scratch_for(schema_of(e.schema));
    for (const auto& model : m.models) scratch_for(schema_of(model.schema));
    scratch_for(schema_of(m.schema));

    std::string setup;
    for (const auto& [real, scratch] : scratch_) {
      setup += fmt::format("CREATE SCHEMA {};\n", scratch);
    }
    counter_.exec(tx_, setup);
    create_enums();
    read_qualifiers();
    // Every relation created holds a lock until the end of its (sub)transaction, and the lock
    // table is sized for a few thousand (max_locks_per_transaction 64 by default). Rolling a
    // batch back to its savepoint releases its locks, so the need stays bounded by the batch.
    progress shown("canonicalising model");
    for (std::size_t begin = 0; begin < m.models.size();) {
      const std::size_t end = batch_end(begin);
      shown.at(begin + 1, m.models.size(), m.models[begin].name);
      counter_.exec(tx_, "SAVEPOINT pgparity_batch");
      create_models(begin, end);
      read_back(begin, end);
      counter_.exec(tx_, "ROLLBACK TO SAVEPOINT pgparity_batch; RELEASE SAVEPOINT pgparity_batch");
      begin = end;
    }
    // After the batches: compares with the migrated tables, not the scratch ones.
    judge_defaults();
  }

  int statements() const { return counter_.statements; }

 private:
  std::string schema_of(const std::string& schema) const {
    return schema.empty() ? out_.m.schema : schema;
  }

  // Scratch schema names are lower-case identifiers, so they print without quotes.
  const std::string& scratch_for(const std::string& real) {
    auto found = scratch_.find(real);
    if (found == scratch_.end()) {
      found = scratch_.emplace(real, prefix_ + std::to_string(scratch_.size())).first;
    }
    return found->second;
  }

  // Names resolve in the model's scratch schema first, then in the real schema it stands for.
  std::string search_path_for(const std::string& real) {
    std::vector<std::string> path;
    for (const std::string& s : {scratch_for(real), real, scratch_for(schema_of(out_.m.schema)),
                                 schema_of(out_.m.schema), std::string("public")}) {
      if (std::find(path.begin(), path.end(), s) == path.end()) path.push_back(s);
    }
    std::string sql;
    for (const auto& s : path) sql += (sql.empty() ? "" : ", ") + tx_.quote_name(s);
    return "SET LOCAL search_path = " + sql;
  }

  std::string enum_sql(const enum_spec& e) {
    std::string labels;
    for (const auto& label : e.labels) labels += (labels.empty() ? "" : ", ") + tx_.quote(label);
    return fmt::format("CREATE TYPE {}.{} AS ENUM ({})", scratch_for(schema_of(e.schema)),
                       tx_.quote_name(e.name), labels);
  }

  void create_enums() {
    std::string batch;
    for (const auto& e : out_.m.enums) batch += enum_sql(e) + ";\n";
    if (batch.empty() || !try_exec(tx_, counter_, batch)) return;
    for (const auto& e : out_.m.enums) {
      if (auto error = try_exec(tx_, counter_, enum_sql(e))) {
        out_.canonical_errors.push_back({"", "enum", e.name, *error});
      }
    }
  }

  std::string table_name(const model_spec& model) {
    return scratch_for(schema_of(model.schema)) + "." + tx_.quote_name(model.table);
  }

  std::string column_sql(const column_spec& c, bool with_default) {
    std::string sql = tx_.quote_name(c.name) + " " + c.type;
    if (with_default && c.default_declared && c.default_expr) sql += " DEFAULT " + *c.default_expr;
    if (with_default && c.generated) sql += " GENERATED ALWAYS AS (" + *c.generated + ") STORED";
    return sql;
  }

  static std::string check_name(std::size_t j) { return "pgparity_ck_" + std::to_string(j); }

  std::string check_sql(const check_spec& c, std::size_t j) {
    return fmt::format("CONSTRAINT {} CHECK ({})", check_name(j), c.expression);
  }

  static std::string index_name(std::size_t model, std::size_t j) {
    return fmt::format("pgparity_ix_{}_{}", model, j);
  }

  // A key without options is parenthesised, so that any expression is accepted (PostgreSQL
  // stores `(email)` as the plain column `email`); a key with options is already written as
  // column, call or parenthesised expression, which is what allows options after it.
  // A bare name is a declared column, written as the manifest spells it: quoted, so that
  // `Venue` stays `Venue` as in the fix SQL.
  std::string key_sql(const std::string& key) {
    const auto parts = split_index_key(key);
    const std::string& head = parts.expression;
    const bool bare = !head.empty() &&
                      (std::isalpha(static_cast<unsigned char>(head[0])) != 0 || head[0] == '_') &&
                      std::all_of(head.begin(), head.end(), [](unsigned char c) {
                        return std::isalnum(c) != 0 || c == '_' || c == '$';
                      });
    if (bare) return tx_.quote_name(head) + (parts.options.empty() ? "" : " " + parts.options);
    return parts.options.empty() ? "(" + key + ")" : key;
  }

  std::string index_sql(const model_spec& model, std::size_t i, std::size_t j) {
    const index_spec& index = model.indexes[j];
    std::string keys;
    for (const auto& k : index.keys) keys += (keys.empty() ? "" : ", ") + key_sql(k);
    std::string sql = fmt::format("CREATE INDEX {} ON {}", index_name(i, j), table_name(model));
    if (index.method) sql += " USING " + *index.method;
    sql += " (" + keys + ")";
    if (index.predicate) sql += " WHERE (" + *index.predicate + ")";
    return sql;
  }

  // Partitioned tables have no storage and no TOAST table, which makes them several times
  // cheaper to create than plain ones, and they print columns, checks and indexes the same.
  // The extra partition key column is never mapped back (mapping goes by declared names).
  std::string create_table_sql(const model_spec& model, const std::string& items) {
    // PostgreSQL's 1600 columns leave no room for the key column: a plain table then.
    constexpr std::size_t max_columns = 1600;
    if (model.columns.size() >= max_columns) {
      return fmt::format("CREATE TABLE {} (\n  {})", table_name(model), items);
    }
    return fmt::format(
        "CREATE TABLE {} (\n  {}{}pgparity_partition_key integer) PARTITION BY "
        "LIST (pgparity_partition_key)",
        table_name(model), items, items.empty() ? "" : ",\n  ");
  }

  std::string model_sql(const model_spec& model, std::size_t i) {
    std::string items;
    for (const auto& c : model.columns)
      items += (items.empty() ? "" : ",\n  ") + column_sql(c, true);
    for (std::size_t j = 0; j < model.checks.size(); ++j) {
      items += (items.empty() ? "" : ",\n  ") + check_sql(model.checks[j], j);
    }
    std::string sql = search_path_for(schema_of(model.schema)) + ";\n";
    sql += create_table_sql(model, items) + ";\n";
    for (std::size_t j = 0; j < model.indexes.size(); ++j) sql += index_sql(model, i, j) + ";\n";
    return sql;
  }

  // Optimistic: everything in one round trip. On an error, model by model; for a model that
  // fails, object by object, so one bad spelling costs only its own canonical form.
  void create_models(std::size_t begin, std::size_t end) {
    const auto& models = out_.m.models;
    std::string all;
    for (std::size_t i = begin; i < end; ++i) all += model_sql(models[i], i);
    if (all.empty() || !try_exec(tx_, counter_, all)) return;
    for (std::size_t i = begin; i < end; ++i) {
      if (try_exec(tx_, counter_, model_sql(models[i], i))) create_piecewise(models[i], i);
    }
  }

  void error(const model_spec& model, const std::string& object, const std::string& name,
             const std::string& message) {
    out_.canonical_errors.push_back({model.name, object, name, message});
  }

  void create_piecewise(const model_spec& model, std::size_t i) {
    const std::string path = search_path_for(schema_of(model.schema)) + ";\n";
    if (auto e = try_exec(tx_, counter_, path + create_table_sql(model, ""))) {
      return error(model, "table", model.table, *e);
    }
    const std::string alter = "ALTER TABLE " + table_name(model);
    for (const auto& c : model.columns) {
      if (!try_exec(tx_, counter_, path + alter + " ADD COLUMN " + column_sql(c, true))) continue;
      // Tell a bad default from a bad type: the type alone may still be fine.
      const auto type_error =
          try_exec(tx_, counter_, path + alter + " ADD COLUMN " + column_sql(c, false));
      if (type_error) {
        error(model, "column", c.name, *type_error);
      } else if (c.generated) {
        const auto generated_error = try_exec(
            tx_, counter_,
            path + alter + " ADD COLUMN " + tx_.quote_name(c.name + "_pgparity_generated") + " " +
                c.type + " GENERATED ALWAYS AS (" + *c.generated + ") STORED");
        error(model, "generated", c.name, generated_error.value_or("expression rejected"));
      } else {
        const auto default_error =
            try_exec(tx_, counter_,
                     path + alter + " ALTER COLUMN " + tx_.quote_name(c.name) + " SET DEFAULT " +
                         c.default_expr.value_or("NULL"));
        error(model, "default", c.name, default_error.value_or("default rejected"));
      }
    }
    for (std::size_t j = 0; j < model.checks.size(); ++j) {
      const auto& check = model.checks[j];
      if (auto e = try_exec(tx_, counter_, path + alter + " ADD " + check_sql(check, j))) {
        error(model, "check", check.name.value_or(check.expression), *e);
      }
    }
    for (std::size_t j = 0; j < model.indexes.size(); ++j) {
      const auto& index = model.indexes[j];
      if (auto e = try_exec(tx_, counter_, path + index_sql(model, i, j))) {
        std::string keys;
        for (const auto& k : index.keys) keys += (keys.empty() ? "" : ", ") + k;
        error(model, "index", index.name.value_or(keys), *e);
      }
    }
  }

  // Relations a model's scratch objects create, each holding a lock: the table, its indexes
  // and a sequence per serial column (counted generously: any type naming `serial`).
  static std::size_t relations_of(const model_spec& model) {
    std::size_t n = 1 + model.indexes.size();
    for (const auto& c : model.columns) n += c.type.find("serial") != std::string::npos ? 1 : 0;
    return n;
  }

  std::size_t batch_end(std::size_t begin) const {
    const auto& models = out_.m.models;
    std::size_t relations = 0;
    std::size_t end = begin;
    while (end < models.size() &&
           (end == begin || relations + relations_of(models[end]) <= batch_relations_)) {
      relations += relations_of(models[end++]);
    }
    return end;
  }

  // How the real schemas would print their objects under search_path = public.
  void read_qualifiers() {
    std::string reals;
    for (const auto& [real, scratch] : scratch_) {
      scratch_names_.push_back(scratch);
      reals += (reals.empty() ? "" : ", ") + tx_.quote(real);
    }
    const auto qualifiers =
        counter_.exec(tx_,
                      "SET LOCAL search_path = public; SET LOCAL jit = off; SELECT s, CASE WHEN s "
                      "= 'public' THEN '' ELSE "
                      "pg_catalog.quote_ident(s) || '.' END FROM unnest(ARRAY[" +
                          reals + "]::text[]) AS s");
    for (const auto& row : qualifiers) qualifier_of_[row[0].c_str()] = row[1].c_str();
  }

  void read_back(std::size_t begin, std::size_t end) {
    auto& qualifier_of = qualifier_of_;
    // Read as read_snapshot() reads: the batch's CREATEs left a scratch search_path behind.
    counter_.exec(tx_, "SET LOCAL search_path = public");
    const auto tables = catalog_detail::read_tables(
        tx_, catalog_detail::only_schemas(tx_, scratch_names_), counter_);
    std::map<std::pair<std::string, std::string>, const table_info*> by_name;
    for (const auto& t : tables) by_name[{t.schema, t.name}] = &t;

    auto& models = out_.m.models;
    for (std::size_t i = begin; i < end; ++i) {
      model_spec& model = models[i];
      const auto found = by_name.find({scratch_for(schema_of(model.schema)), model.table});
      if (found == by_name.end()) continue;
      const table_info& t = *found->second;
      const auto print = [&](std::string text) {
        for (const auto& [r, s] : scratch_) text = replace_all(text, s + ".", qualifier_of[r]);
        return text;
      };
      for (auto& c : model.columns) {
        const column_info* info = t.find_column(c.name);
        if (info == nullptr) continue;
        c.canonical_type = print(info->type);
        if (c.default_declared && c.default_expr && info->default_expr) {
          c.canonical_default = print(*info->default_expr);
        }
        if (c.generated && info->generation_expr) {
          c.canonical_generated = print(*info->generation_expr);
        }
      }
      for (std::size_t j = 0; j < model.checks.size(); ++j) {
        for (const auto& check : t.checks) {
          if (check.name == check_name(j))
            model.checks[j].canonical_expression = print(check.expression);
        }
      }
      for (std::size_t j = 0; j < model.indexes.size(); ++j) {
        for (const auto& index : t.indexes) {
          if (index.name != index_name(i, j)) continue;
          auto& spec = model.indexes[j];
          spec.canonical_keys.clear();
          for (const auto& k : index.keys) spec.canonical_keys.push_back(print(k));
          if (index.predicate) spec.canonical_predicate = print(*index.predicate);
        }
      }
    }
  }

  // A declared default the server prints differently from the real column's may still be the
  // same default: `0` and `'0'::bigint` on a bigint column, `now()` and `CURRENT_TIMESTAMP`.
  // The server judges: two immutable expressions are the same when they evaluate to the same
  // value of the column's type (an immutable expression has no other effect); of the others
  // only the spellings PostgreSQL documents as the transaction's start time are the same. When
  // the server says they are, the canonical form is the real column's spelling.
  void judge_defaults() {
    std::vector<column_spec*> columns;
    std::string rows;
    for (auto& model : out_.m.models) {
      for (auto& c : model.columns) {
        if (!c.canonical_default) continue;
        rows += fmt::format("{}({}, {}, {}, {})", rows.empty() ? "" : ", ", columns.size(),
                            tx_.quote(schema_of(model.schema)), tx_.quote(model.table),
                            tx_.quote(c.name));
        columns.push_back(&c);
      }
    }
    if (columns.empty()) return;
    // Printed under search_path = public, as read_back() and read_snapshot() print.
    const auto real = counter_.exec(
        tx_, "SELECT v.i, pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM (VALUES " + rows +
                 ") AS v(i, s, t, c) JOIN pg_catalog.pg_namespace n ON n.nspname = v.s "
                 "JOIN pg_catalog.pg_class r ON r.relnamespace = n.oid AND r.relname = v.t "
                 "JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attname = v.c "
                 "JOIN pg_catalog.pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum");
    for (const auto& row : real) {
      column_spec& c = *columns.at(row[0].as<std::size_t>());
      const std::string actual = row[1].c_str();
      if (*c.canonical_default != actual && same_default(c, actual)) c.canonical_default = actual;
    }
  }

  bool same_default(const column_spec& c, const std::string& actual) {
    static const std::set<std::string> transaction_start = {"now()", "CURRENT_TIMESTAMP",
                                                            "transaction_timestamp()"};
    if (transaction_start.count(*c.canonical_default) != 0 &&
        transaction_start.count(actual) != 0) {
      return true;
    }
    // An index accepts only immutable expressions: that is the server's test of it. Everything
    // runs in a savepoint rolled back at the end, the temporary table with it.
    const std::string same =
        fmt::format("({})::{} IS NOT DISTINCT FROM ({})::{}", *c.canonical_default,
                    c.canonical_type, actual, c.canonical_type);
    counter_.exec(tx_, "SAVEPOINT pgparity_same");
    bool equal = false;
    try {
      counter_.exec(tx_,
                    "CREATE TEMPORARY TABLE pgparity_same_default (x integer); CREATE INDEX ON "
                    "pgparity_same_default ((" +
                        same + "))");
      const auto r = counter_.exec(tx_, "SELECT " + same);
      equal = !r.empty() && !r[0][0].is_null() && r[0][0].as<bool>();
    } catch (const pqxx::sql_error&) {
      equal = false;  // not immutable, not comparable, or failing when evaluated
    }
    counter_.exec(tx_, "ROLLBACK TO SAVEPOINT pgparity_same; RELEASE SAVEPOINT pgparity_same");
    return equal;
  }

  pqxx::nontransaction& tx_;
  canonical_manifest& out_;
  std::string prefix_;
  std::map<std::string, std::string> scratch_;  // real schema -> scratch schema
  std::vector<std::string> scratch_names_;
  std::map<std::string, std::string> qualifier_of_;  // real schema -> its printed qualifier
  std::size_t batch_relations_;
  catalog_detail::statement_counter counter_;
};

}  // namespace

canonical_manifest canonicalize(pqxx::connection& conn, manifest m) {
  return catalog_detail::canonicalize_in_batches(conn, std::move(m),
                                                 catalog_detail::canonical_batch_relations);
}

namespace catalog_detail {

canonical_manifest canonicalize_in_batches(pqxx::connection& conn, manifest m,
                                           std::size_t batch_relations) {
  canonical_manifest out{std::move(m), {}};
  // libpqxx gives up on a pqxx::work after its first error, but a rejected spelling is
  // expected here; so the transaction and its savepoints are driven by hand.
  pqxx::nontransaction tx(conn);
  tx.exec("BEGIN");
  try {
    canonicalizer(conn, tx, out, batch_relations).run();
  } catch (...) {
    rollback(tx);
    throw;
  }
  rollback(tx);  // nothing of the scratch work may survive
  return out;
}

}  // namespace catalog_detail

}  // namespace pgparity
