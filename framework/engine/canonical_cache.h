// The server's canonical forms of a manifest, cached on disk beside the migrated template they
// were computed on: an unchanged project skips the server round trips. Lives in the engine
// because only here are both the catalog's canonicalize() and the migrated run known.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "catalog/catalog.h"
#include "migrate/migrations.h"

namespace pgparity {

// Where canonicalize() may keep its result between runs (see canonical_cache.cc).
struct canonical_cache_options {
  std::string dir;  // a directory of cache entries; "" disables the cache
  // Names the database's schema exactly: the same key must mean the same types, functions and
  // tables (a migrated template's migration hash and server version). "" disables the cache.
  std::string database_key;
  bool refresh = false;  // recompute and overwrite the entry (--fresh)
  // The template_fingerprint() of the data directory the server was copied from ("" unknown):
  // recorded with the snapshot so that a later run can use it without starting a server.
  std::string template_fingerprint;
};
// canonicalize(), with its result read from / written to `cache.dir` under a key of
// `cache.database_key`, the server version and every manifest field canonicalize() reads. A
// missing, unreadable or corrupt entry is recomputed; a cache that cannot be written is ignored.
// `m` is taken by value: pass an rvalue and its canonical_* fields are filled in place.
canonical_manifest canonicalize_cached(pqxx::connection& conn, manifest m,
                                       const canonical_cache_options& cache);

// read_snapshot(), from `cache.dir` when an entry for `cache.database_key` exists, was read from
// this very catalog (cluster identifier and next transaction id, checked with one cheap
// statement) and is intact (its hash); otherwise read from the server and stored.
snapshot read_snapshot_cached(pqxx::connection& conn, const canonical_cache_options& cache);

// Without a server: the stored canonical forms of `m`, when there are any for `cache`. On a hit
// `m` is moved into the result (its canonical_* fields filled in place); on a miss it is left
// as it was.
std::optional<canonical_manifest> cached_canonical_forms(manifest& m,
                                                         const canonical_cache_options& cache);
// Without a server: the stored snapshot, when it was read from a server copied from a template
// whose fingerprint is `cache.template_fingerprint` (the template as it is on disk now: the
// same pg_control means the same cluster, never started since it was saved) and is intact.
std::optional<snapshot> cached_snapshot(const canonical_cache_options& cache);

// The cache options for a migrated run: default_cache_dir()/canonical keyed by the migration
// files' hash and the server version, for a disposable cluster migrated from a directory; no
// caching in command mode or on an existing server, whose schema those do not pin down.
canonical_cache_options canonical_cache_for(const migrated_run& run, bool fresh);
// The same entries, for the template a disposable run would start from (no server).
canonical_cache_options canonical_cache_for(const cached_template& t);

}  // namespace pgparity
