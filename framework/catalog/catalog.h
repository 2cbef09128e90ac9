// Reading the database: one bulk pass over pg_catalog, and asking the server to print
// manifest spellings in its own canonical form.
#pragma once

#include <pqxx/pqxx>

#include "catalog/snapshot.h"
#include "manifest/model_spec.h"

namespace pgparity {

// Every user table, column, enum, key, index and constraint outside pg_catalog,
// information_schema, pg_toast and extension-owned objects, in a handful of queries.
snapshot read_snapshot(pqxx::connection& conn);

// Returns a copy of `m` with every canonical_* field filled in as the server prints it
// (types via format_type, defaults and predicates via pg_get_expr, checks via
// pg_get_constraintdef), worked out in scratch objects inside a transaction that is rolled
// back. A spelling the server rejects leaves the canonical field empty and is reported by the
// checks with the server's own message in `canonical_errors`.
//
// Keys of canonical_errors: "<Model>.column <c>" (the type), "<Model>.default <c>",
// "<Model>.check <name or expression>", "<Model>.index <name or keys>", "<Model>.table <t>"
// (the scratch table itself failed), and "enum <name>" for a manifest enum.
// Printed forms are relative to search_path = public, as read_snapshot() prints them: an
// object in public is unqualified (`user_status`), any other is qualified (`audit.kind`).
// Check expressions are pg_get_constraintdef(oid, true) without "CHECK (" and its ")";
// defaults, predicates and index keys are pg_get_expr / pg_get_indexdef in pretty mode.
struct canonical_manifest {
  manifest m;
  // model name + "." + object -> server's error message, e.g. "User.column email" -> "type
  // \"varchr\" does not exist".
  std::vector<std::pair<std::string, std::string>> canonical_errors;
};
canonical_manifest canonicalize(pqxx::connection& conn, const manifest& m);

// Where canonicalize() may keep its result between runs (see canonical_cache.cc).
struct canonical_cache_options {
  std::string dir;  // a directory of cache entries; "" disables the cache
  // Names the database's schema exactly: the same key must mean the same types, functions and
  // tables (a migrated template's migration hash and server version). "" disables the cache.
  std::string database_key;
  bool refresh = false;  // recompute and overwrite the entry (--fresh)
};
// canonicalize(), with its result read from / written to `cache.dir` under a key of
// `cache.database_key`, the server version and every manifest field canonicalize() reads. A
// missing, unreadable or corrupt entry is recomputed; a cache that cannot be written is ignored.
canonical_manifest canonicalize(pqxx::connection& conn, const manifest& m,
                                const canonical_cache_options& cache);

struct migrated_run;
// The cache options for a migrated run: default_cache_dir()/canonical keyed by the migration
// files' hash and the server version, for a disposable cluster migrated from a directory; no
// caching in command mode or on an existing server, whose schema those do not pin down.
canonical_cache_options canonical_cache_for(const migrated_run& run, bool fresh);

// A manifest that declares exactly what `s` holds (for `pgparity snapshot`); model names are
// the table names in CamelCase singular-free form (users -> Users).
manifest manifest_from_snapshot(const snapshot& s, const std::vector<std::string>& ignore_tables);

}  // namespace pgparity
