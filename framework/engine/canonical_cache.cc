// The canonical forms of a manifest, cached on disk. canonicalize() builds a scratch copy of
// every model in the server (about a second at 1000 models), yet its result depends only on what
// the manifest spells and on the database it asks. When the caller can name that database
// exactly (a migrated template: migration files' hash and server version), the result is stored
// under a key of that name, the server version and every manifest field canonicalize() reads,
// and later runs read it back instead of asking the server.
//
// File format: a header line, then length-prefixed strings ("<bytes>:<text>", "-" for an absent
// optional) in manifest order. Anything unexpected in a file makes it a miss, never an error.
#include "engine/canonical_cache.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "catalog/catalog.h"
#include "catalog/snapshot_io.h"
#include "cluster/server.h"
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
constexpr const char* k_snapshot_format = "pgparity-snapshot 2";
// Entries kept in the cache directory; older ones are removed when a new one is written.
constexpr std::size_t k_max_entries = 32;

// Length-prefixed fields: unambiguous whatever the strings contain.
class writer {
 public:
  void put(const std::string& s) {
    out_ += std::to_string(s.size());
    out_ += ':';
    out_ += s;
  }
  void put(const std::optional<std::string>& s) {
    if (s) return put(*s);
    out_ += '-';
  }
  void put(bool b) { out_ += b ? 'T' : 'F'; }
  void put(std::size_t n) { put(std::to_string(n)); }
  void put(const std::vector<std::string>& list) {
    put(list.size());
    for (const auto& s : list) put(s);
  }
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

class reader {
 public:
  explicit reader(const std::string& text, std::size_t at) : text_(text), at_(at) {}

  bool ok() const { return ok_; }
  bool at_end() const { return at_ == text_.size(); }

  std::string get() {
    const auto colon = text_.find(':', at_);
    std::size_t size = 0;
    if (colon == std::string::npos || colon == at_ || colon - at_ > 12 ||
        !parse_size(text_.substr(at_, colon - at_), size) || size > text_.size() - colon - 1) {
      ok_ = false;
      at_ = text_.size();
      return {};
    }
    at_ = colon + 1 + size;
    return text_.substr(colon + 1, size);
  }
  std::optional<std::string> get_optional() {
    if (at_ < text_.size() && text_[at_] == '-') {
      ++at_;
      return std::nullopt;
    }
    return get();
  }
  std::size_t get_size() {
    std::size_t n = 0;
    if (!parse_size(get(), n)) ok_ = false;
    return n;
  }
  std::vector<std::string> get_list() {
    std::vector<std::string> list(std::min<std::size_t>(get_size(), text_.size()));
    for (auto& s : list) s = get();
    return list;
  }

 private:
  static bool parse_size(const std::string& digits, std::size_t& n) {
    if (digits.empty() || digits.size() > 12) return false;
    n = 0;
    for (const char ch : digits) {
      if (ch < '0' || ch > '9') return false;
      n = n * 10 + static_cast<std::size_t>(ch - '0');
    }
    return true;
  }

  const std::string& text_;
  std::size_t at_;
  bool ok_ = true;
};

// Every manifest field canonicalize() reads, and nothing else: two manifests that agree on these
// get the same canonical forms from the same database.
std::string request_of(const manifest& m) {
  writer w;
  w.put(m.schema);
  w.put(m.enums.size());
  for (const auto& e : m.enums) {
    w.put(e.schema);
    w.put(e.name);
    w.put(e.labels);
  }
  w.put(m.models.size());
  for (const auto& model : m.models) {
    w.put(model.name);
    w.put(model.schema);
    w.put(model.table);
    w.put(model.columns.size());
    for (const auto& c : model.columns) {
      w.put(c.name);
      w.put(c.type);
      w.put(c.default_declared);
      w.put(c.default_expr);
      w.put(c.generated);
    }
    w.put(model.checks.size());
    for (const auto& c : model.checks) {
      w.put(c.name);
      w.put(c.expression);
    }
    w.put(model.indexes.size());
    for (const auto& i : model.indexes) {
      w.put(i.name);
      w.put(i.keys);
      w.put(i.method);
      w.put(i.predicate);
    }
  }
  return w.text();
}

// The canonical_* fields canonicalize() fills, and its errors.
std::string result_of(const canonical_manifest& c) {
  writer w;
  for (const auto& model : c.m.models) {
    for (const auto& col : model.columns) {
      w.put(col.canonical_type);
      w.put(col.canonical_default);
      w.put(col.canonical_generated);
    }
    for (const auto& check : model.checks) w.put(check.canonical_expression);
    for (const auto& index : model.indexes) {
      w.put(index.canonical_keys);
      w.put(index.canonical_predicate);
    }
  }
  w.put(c.canonical_errors.size());
  for (const auto& e : c.canonical_errors) {
    for (const std::string* field : {&e.model, &e.object, &e.name, &e.message}) w.put(*field);
  }
  return w.text();
}

// Fills `out` (a copy of the manifest the result was computed for) from a stored result.
bool apply_result(const std::string& text, std::size_t at, canonical_manifest& out) {
  reader r(text, at);
  for (auto& model : out.m.models) {
    for (auto& col : model.columns) {
      col.canonical_type = r.get();
      col.canonical_default = r.get_optional();
      col.canonical_generated = r.get_optional();
    }
    for (auto& check : model.checks) check.canonical_expression = r.get_optional();
    for (auto& index : model.indexes) {
      index.canonical_keys = r.get_list();
      index.canonical_predicate = r.get_optional();
    }
  }
  const std::size_t errors = r.get_size();
  for (std::size_t i = 0; i < errors && r.ok(); ++i) {
    canonical_error e;
    for (std::string* field : {&e.model, &e.object, &e.name, &e.message}) *field = r.get();
    out.canonical_errors.push_back(std::move(e));
  }
  return r.ok() && r.at_end();
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

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Keeps the newest entries of one kind (extension); a failure here only leaves more files behind.
void prune(const fs::path& dir, const std::string& extension) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != extension) continue;
    entries.emplace_back(fs::last_write_time(it->path(), ec), it->path());
  }
  if (entries.size() <= k_max_entries) return;
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = k_max_entries; i < entries.size(); ++i) fs::remove(entries[i].second, ec);
}

// Written to a private temporary name and renamed: a reader sees a whole file or none, and two
// runs writing the same entry at once both succeed. A cache that cannot be written is no error.
void store(const fs::path& dir, const fs::path& file, const std::string& text) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return;
  {
    // Named after this process, so a later run removes it if we are killed while writing.
    const staging_entry temporary(file.string());
    {
      std::ofstream out(temporary.path(), std::ios::binary | std::ios::trunc);
      out << text;
      if (!out.flush()) return;
    }
    fs::rename(temporary.path(), file, ec);
  }
  prune(dir, file.extension().string());
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

canonical_manifest canonicalize_cached(pqxx::connection& conn, const manifest& m,
                                       const canonical_cache_options& cache) {
  if (cache.dir.empty() || cache.database_key.empty() || has_canonical_forms(m)) {
    return canonicalize(conn, m);
  }
  const std::string request = request_of(m);
  const std::string key = sha256_hex(fmt::format("{}\n{}\n{}\n{}", k_format, cache.database_key,
                                                 conn.server_version(), request))
                              .substr(0, 32);
  const fs::path dir(cache.dir);
  const fs::path file = dir / (key + ".canonical");
  const std::string header = std::string(k_format) + " " + key + "\n";

  if (!cache.refresh) {
    const std::string text = read_file(file);
    if (text.compare(0, header.size(), header) == 0) {
      canonical_manifest out{m, {}};
      if (apply_result(text, header.size(), out)) return out;
    }
  }
  canonical_manifest out = canonicalize(conn, m);
  store(dir, file, header + result_of(out));
  return out;
}

snapshot read_snapshot_cached(pqxx::connection& conn, const canonical_cache_options& cache) {
  if (cache.dir.empty() || cache.database_key.empty()) return read_snapshot(conn);
  const std::string key = sha256_hex(fmt::format("{}\n{}\n{}", k_snapshot_format,
                                                 cache.database_key, conn.server_version()))
                              .substr(0, 32);
  const fs::path file = fs::path(cache.dir) / (key + ".snapshot");
  // The header names the entry, the catalog it was read from and the body's hash: an entry
  // for another catalog, or damaged in any byte, is read again from the server and rewritten.
  const std::string header =
      fmt::format("{} {} {}\n", k_snapshot_format, key, catalog_fingerprint(conn));
  if (!cache.refresh) {
    const std::string text = read_file(file);
    const auto newline = text.find('\n', header.size());
    if (text.compare(0, header.size(), header) == 0 && newline != std::string::npos) {
      const std::string body = text.substr(newline + 1);
      if (text.compare(header.size(), newline - header.size(), sha256_hex(body)) == 0) {
        if (auto stored = deserialize_snapshot(body)) return std::move(*stored);
      }
    }
  }
  snapshot s = read_snapshot(conn);
  const std::string body = serialize_snapshot(s);
  store(fs::path(cache.dir), file, header + sha256_hex(body) + "\n" + body);
  return s;
}

canonical_cache_options canonical_cache_for(const migrated_run& run, bool fresh) {
  canonical_cache_options options;
  // Command mode runs commands we cannot hash; an existing server's template databases may hold
  // anything. Only a disposable cluster migrated from known files is identified by its key.
  if (!run.migrations || !run.srv || !run.srv->is_disposable()) return options;
  options.dir = (fs::path(default_cache_dir()) / "canonical").string();
  options.database_key =
      fmt::format("migrations {} server {}", run.migrations->content_hash, run.srv->version());
  options.refresh = fresh;
  return options;
}

}  // namespace pgparity
