// The canonical forms of a manifest, cached on disk. canonicalize() builds a scratch copy of
// every model in the server (about a second at 1000 models), yet its result depends only on what
// the manifest spells and on the database it asks. When the caller can name that database
// exactly (a migrated template: migration files' hash and server version), the result is stored
// under a key of that name, the server version and every manifest field canonicalize() reads,
// and later runs read it back instead of asking the server.
//
// File format: a header line, then the fields in field_io.h's format, in manifest order.
// Anything unexpected in a file makes it a miss, never an error.
#include "engine/canonical_cache.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "catalog/catalog.h"
#include "catalog/snapshot_io.h"
#include "cluster/server.h"
#include "common/cache_file.h"
#include "common/field_io.h"
#include "common/sha256.h"
#include "migrate/migrations.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

// Bump whenever canonicalize() changes what it sends or how it reads the result back: a cache
// written by an older pgparity must not be read by a newer one.
constexpr const char* k_format = "pgparity-canonical 5";
// Bump whenever read_snapshot() reads something new or differently (snapshot_io.cc's field
// lists change with it).
constexpr const char* k_snapshot_format = "pgparity-snapshot 3";
// Entries kept in the cache directory; older ones are removed when a new one is written.
constexpr std::size_t k_max_entries = 32;

// The fields canonicalize() reads from a manifest, in manifest order (field_io.h's format):
// two manifests that agree on these get the same canonical forms from the same database.
template <typename V>
void request_fields(V& v, const manifest& m) {
  v(m.schema);
  v.list(m.enums, [](V& w, const enum_spec& e) { w(e.schema), w(e.name), w(e.labels); });
  v.list(m.models, [](V& w, const model_spec& model) {
    w(model.name), w(model.schema), w(model.table);
    w.list(model.columns, [](V& x, const column_spec& c) {
      x(c.name), x(c.type), x(c.default_declared), x(c.default_expr), x(c.generated);
    });
    w.list(model.checks, [](V& x, const check_spec& c) { x(c.name), x(c.expression); });
    w.list(model.indexes,
           [](V& x, const index_spec& i) { x(i.name), x(i.keys), x(i.method), x(i.predicate); });
  });
}

// `start`, then request_fields(m). Built in one string (~8 MB at 10,000 models), which is
// hashed as it is.
std::string request_of(const manifest& m, std::string start) {
  field_writer w;
  w.out = std::move(start);
  request_fields(w, m);
  return std::move(w.out);
}

// The canonical_* fields canonicalize() fills, and its errors; one list for both directions
// (`M` is the manifest, const when writing). Models, columns, checks and indexes are not
// counted: the entry belongs to the manifest its key was computed from.
template <typename V, typename M, typename E>
void result_fields(V& v, M& m, E& errors) {
  for (auto& model : m.models) {
    for (auto& col : model.columns) {
      v(col.canonical_type), v(col.canonical_default), v(col.canonical_generated);
    }
    for (auto& check : model.checks) v(check.canonical_expression);
    for (auto& index : model.indexes) {
      v(index.canonical_keys), v(index.canonical_predicate);
    }
  }
  v.list(errors, [](V& w, auto& e) { w(e.model), w(e.object), w(e.name), w(e.message); });
}

std::string result_of(const canonical_manifest& c) {
  field_writer w;
  result_fields(w, c.m, c.canonical_errors);
  return std::move(w.out);
}

// Fills `out` (the manifest the result was computed for) from a stored result.
bool apply_result(std::string_view text, canonical_manifest& out) {
  field_reader r(text);
  result_fields(r, out.m, out.canonical_errors);
  return r.ok();
}

// A manifest that already carries canonical forms is not what load_manifest() returns; its
// result would depend on them, so it is never cached.
bool has_canonical_forms(const manifest& m) {
  for (const auto& model : m.models) {
    for (const auto& c : model.columns) {
      if (!c.canonical_type.empty() || c.canonical_default || c.canonical_generated) return true;
    }
    for (const auto& c : model.checks) {
      if (c.canonical_expression) return true;
    }
    for (const auto& i : model.indexes) {
      if (!i.canonical_keys.empty() || i.canonical_predicate) return true;
    }
  }
  return false;
}

// Undoes a partly applied entry: every field has_canonical_forms() looks at, emptied.
void clear_canonical_forms(manifest& m) {
  for (auto& model : m.models) {
    for (auto& c : model.columns) {
      c.canonical_type.clear();
      c.canonical_default.reset();
      c.canonical_generated.reset();
    }
    for (auto& c : model.checks) c.canonical_expression.reset();
    for (auto& i : model.indexes) {
      i.canonical_keys.clear();
      i.canonical_predicate.reset();
    }
  }
}

// What identifies the database's catalog as it is now, in one cheap statement: the cluster's
// system identifier (kept by every copy of a template) and the next transaction id (any DDL, in
// any database of the cluster, takes one). A fresh copy of a template always gives the value
// the template had; a cluster that has changed since gives another, and is read again.
std::string catalog_fingerprint(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn);
  const auto row = tx.exec1(
      "SELECT (SELECT system_identifier FROM pg_catalog.pg_control_system())::text || ' ' || "
      "pg_catalog.txid_snapshot_xmax(pg_catalog.txid_current_snapshot())::text || ' ' || "
      "pg_catalog.current_database()");
  return row[0].c_str();
}

}  // namespace

namespace {

bool cache_off(const canonical_cache_options& cache) {
  return cache.dir.empty() || cache.database_key.empty();
}

std::string canonical_file(const std::string& key) { return key + ".canonical"; }
std::string canonical_header(const std::string& key) {
  return std::string(k_format) + " " + key + "\n";
}
// The canonical-forms entry of `m` for `cache`'s database ("" when it is not cached).
std::string canonical_key(const manifest& m, const canonical_cache_options& cache) {
  if (cache_off(cache) || has_canonical_forms(m)) return "";
  return sha256_hex(request_of(m, fmt::format("{}\n{}\n", k_format, cache.database_key)))
      .substr(0, 32);
}

std::string snapshot_key(const canonical_cache_options& cache) {
  return sha256_hex(fmt::format("{}\n{}", k_snapshot_format, cache.database_key)).substr(0, 32);
}

// A snapshot entry: a header naming it, the catalog it was read from (server fingerprint), the
// template the server was cloned from (template_fingerprint(), "-" when unknown), then the
// body's hash and the body (sealed_cache_text).
struct snapshot_entry {
  std::string server;
  std::string template_fingerprint;
  std::optional<snapshot> body;
};

snapshot_entry read_snapshot_entry(const canonical_cache_options& cache, const std::string& key) {
  snapshot_entry out;
  const std::string text = read_cache_file((fs::path(cache.dir) / (key + ".snapshot")).string());
  const std::string header = fmt::format("{} {}\n", k_snapshot_format, key);
  if (text.compare(0, header.size(), header) != 0) return out;
  const auto server_end = text.find('\n', header.size());
  const auto template_end =
      server_end == std::string::npos ? server_end : text.find('\n', server_end + 1);
  if (template_end == std::string::npos) return out;
  out.server = text.substr(header.size(), server_end - header.size());
  out.template_fingerprint = text.substr(server_end + 1, template_end - server_end - 1);
  if (const auto body = sealed_cache_body(std::string_view(text).substr(template_end + 1), "")) {
    out.body = deserialize_snapshot(*body);
  }
  return out;
}

void store_snapshot_entry(const canonical_cache_options& cache, const std::string& key,
                          const std::string& server, const snapshot& s) {
  const std::string header = fmt::format(
      "{} {}\n{}\n{}\n", k_snapshot_format, key, server,
      cache.template_fingerprint.empty() ? std::string("-") : cache.template_fingerprint);
  store_cache_file(cache.dir, key + ".snapshot", sealed_cache_text(header, serialize_snapshot(s)),
                   k_max_entries);
}

// The entry `key` (canonical_key(m, cache), computed once by the caller) applied to `m`.
std::optional<canonical_manifest> stored_canonical_forms(manifest& m,
                                                         const canonical_cache_options& cache,
                                                         const std::string& key) {
  const std::string text = read_cache_file((fs::path(cache.dir) / canonical_file(key)).string());
  const std::string header = canonical_header(key);
  if (text.compare(0, header.size(), header) != 0) return std::nullopt;
  // Filled in place (no second manifest); a damaged entry gives `m` back as it was loaded.
  canonical_manifest out{std::move(m), {}};
  if (apply_result(std::string_view(text).substr(header.size()), out)) return out;
  m = std::move(out.m);
  clear_canonical_forms(m);
  return std::nullopt;
}

}  // namespace

canonical_manifest canonicalize_cached(pqxx::connection& conn, manifest m,
                                       const canonical_cache_options& cache) {
  const std::string key = canonical_key(m, cache);
  if (key.empty()) return canonicalize(conn, std::move(m));
  if (!cache.refresh) {
    if (auto stored = stored_canonical_forms(m, cache, key)) return std::move(*stored);
  }
  canonical_manifest out = canonicalize(conn, std::move(m));
  store_cache_file(cache.dir, canonical_file(key), canonical_header(key) + result_of(out),
                   k_max_entries);
  return out;
}

std::optional<canonical_manifest> cached_canonical_forms(manifest& m,
                                                         const canonical_cache_options& cache) {
  const std::string key = canonical_key(m, cache);
  if (key.empty() || cache.refresh) return std::nullopt;
  return stored_canonical_forms(m, cache, key);
}

snapshot read_snapshot_cached(pqxx::connection& conn, const canonical_cache_options& cache) {
  if (cache_off(cache)) return read_snapshot(conn);
  const std::string key = snapshot_key(cache);
  // Used when it was read from this very catalog and is intact; otherwise read again from the
  // server and rewritten. An entry that lacks this run's template fingerprint gets it.
  const std::string server = catalog_fingerprint(conn);
  if (!cache.refresh) {
    snapshot_entry entry = read_snapshot_entry(cache, key);
    if (entry.body && entry.server == server) {
      if (!cache.template_fingerprint.empty() &&
          entry.template_fingerprint != cache.template_fingerprint) {
        store_snapshot_entry(cache, key, server, *entry.body);
      }
      return std::move(*entry.body);
    }
  }
  snapshot s = read_snapshot(conn);
  store_snapshot_entry(cache, key, server, s);
  return s;
}

std::optional<snapshot> cached_snapshot(const canonical_cache_options& cache) {
  if (cache_off(cache) || cache.refresh || cache.template_fingerprint.empty()) return std::nullopt;
  snapshot_entry entry = read_snapshot_entry(cache, snapshot_key(cache));
  if (entry.template_fingerprint != cache.template_fingerprint) return std::nullopt;
  return std::move(entry.body);
}

canonical_cache_options canonical_cache_for(const migrated_run& run, bool fresh) {
  canonical_cache_options options;
  // Command mode runs commands we cannot hash; an existing server's template databases may hold
  // anything. Only a disposable cluster migrated from known files is identified by its key.
  if (!run.migrations || !run.srv || !run.srv->is_disposable()) return options;
  options.dir = (fs::path(default_cache_dir()) / "canonical").string();
  // The template's key names the migration files and the server binaries' version; a shared
  // cluster (`pgparity up`) does not carry it, and is named by the same inputs.
  options.database_key =
      run.template_key.empty()
          ? fmt::format("migrations {} server {} {}", run.migrations->content_hash,
                        run.srv->version(), run.srv->version_num())
          : "template " + run.template_key;
  options.template_fingerprint = run.template_fingerprint;
  options.refresh = fresh;
  return options;
}

canonical_cache_options canonical_cache_for(const cached_template& t) {
  canonical_cache_options options;
  options.dir = (fs::path(default_cache_dir()) / "canonical").string();
  options.database_key = "template " + t.key;
  options.template_fingerprint = t.fingerprint;
  return options;
}

}  // namespace pgparity
