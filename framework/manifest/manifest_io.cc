// Format: common/field_io.h's, in the order the field lists below give. Anything unexpected
// when reading makes the whole text unreadable, never a partial manifest.
#include "manifest/manifest_io.h"

#include "common/field_io.h"

namespace pgparity {
namespace {

// The field lists: one per struct, each used for writing (T const) and reading.
template <typename V, typename T>
void column_fields(V& v, T& c) {
  v(c.name), v(c.type), v(c.canonical_type), v(c.nullable), v(c.primary_key);
  v(c.default_declared), v(c.default_expr), v(c.canonical_default), v(c.sample), v(c.enum_name);
  v(c.identity), v(c.generated), v(c.canonical_generated), v(c.collation), v(c.location);
}
template <typename V, typename T>
void deferral_fields(V& v, T& d) {
  v(d.deferrable), v(d.initially_deferred);
}
template <typename V, typename T>
void foreign_key_fields(V& v, T& f) {
  v(f.name), v(f.columns), v(f.ref_schema), v(f.ref_table), v(f.ref_columns), v(f.on_delete);
  v(f.on_update), deferral_fields(v, f.deferral), v(f.location);
}
template <typename V, typename T>
void index_fields(V& v, T& i) {
  v(i.name), v(i.keys), v(i.canonical_keys), v(i.include), v(i.unique), v(i.predicate);
  v(i.canonical_predicate), v(i.method), v(i.nulls_not_distinct), v(i.location);
}
template <typename V, typename T>
void unique_fields(V& v, T& u) {
  v(u.name), v(u.columns), v(u.allows_soft_deleted_duplicates), v(u.nulls_not_distinct);
  deferral_fields(v, u.deferral), v(u.location);
}
template <typename V, typename T>
void exclusion_fields(V& v, T& e) {
  v(e.name), v(e.method);
  v.list(e.elements, [](V& w, auto& element) { w(element.key), w(element.op); });
  v(e.predicate), v(e.location);
}
template <typename V, typename T>
void check_fields(V& v, T& c) {
  v(c.name), v(c.expression), v(c.canonical_expression), v(c.location);
}
template <typename V, typename T>
void model_fields(V& v, T& m) {
  v(m.name), v(m.schema), v(m.table), v(m.soft_delete);
  v.list(m.columns, [](V& w, auto& c) { column_fields(w, c); });
  v.list(m.foreign_keys, [](V& w, auto& f) { foreign_key_fields(w, f); });
  v.list(m.indexes, [](V& w, auto& i) { index_fields(w, i); });
  v.list(m.uniques, [](V& w, auto& u) { unique_fields(w, u); });
  v.list(m.checks, [](V& w, auto& c) { check_fields(w, c); });
  v.list(m.exclusions, [](V& w, auto& e) { exclusion_fields(w, e); });
  deferral_fields(v, m.primary_key_deferral), v(m.location);
}
template <typename V, typename T>
void enum_fields(V& v, T& e) {
  v(e.name), v(e.schema), v(e.labels), v(e.location);
}
template <typename V, typename T>
void manifest_fields(V& v, T& m) {
  v(m.version), v(m.file), v(m.schema);
  v.list(m.enums, [](V& w, auto& e) { enum_fields(w, e); });
  v.list(m.models, [](V& w, auto& model) { model_fields(w, model); });
  v(m.notes);
}

// A field added to a struct changes its size: list it above (and in the round-trip test), then
// update the size here. Checked where the layout is known (64-bit libstdc++). source_location
// is written by common/field_io.h.
#if defined(__x86_64__) && defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG)
static_assert(sizeof(source_location) == 16, "source_location changed: update field_io.h");
static_assert(sizeof(column_spec) == 184, "column_spec changed: update column_fields()");
static_assert(sizeof(deferral_spec) == 4, "update deferral_fields()");
static_assert(sizeof(foreign_key_spec) == 256, "update foreign_key_fields()");
static_assert(sizeof(index_spec) == 272, "index_spec changed: update index_fields()");
static_assert(sizeof(unique_spec) == 88, "unique_spec changed: update unique_fields()");
static_assert(sizeof(exclusion_element) == 64, "update exclusion_fields()");
static_assert(sizeof(exclusion_spec) == 152, "update exclusion_fields()");
static_assert(sizeof(check_spec) == 128, "check_spec changed: update check_fields()");
static_assert(sizeof(model_spec) == 304, "model_spec changed: update model_fields()");
static_assert(sizeof(enum_spec) == 104, "enum_spec changed: update enum_fields()");
static_assert(sizeof(manifest) == 144, "manifest changed: update manifest_fields()");
#endif

}  // namespace

std::string serialize_manifest(const manifest& m) {
  field_writer w;
  manifest_fields(w, m);
  return w.out;
}

std::optional<manifest> deserialize_manifest(std::string_view text) {
  field_reader r(text);
  manifest m;
  manifest_fields(r, m);
  if (!r.ok()) return std::nullopt;
  return m;
}

}  // namespace pgparity
