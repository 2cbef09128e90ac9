// Format: common/field_io.h's, in the order the field lists below give. Anything unexpected
// when reading makes the whole text unreadable, never a partial snapshot.
#include "catalog/snapshot_io.h"

#include <string>
#include <vector>

#include "common/field_io.h"

namespace pgparity {
namespace {

// The field lists: one per struct, each used for writing (T const) and reading.
template <typename V, typename T>
void column_fields(V& v, T& c) {
  v(c.name), v(c.attnum), v(c.type), v(c.type_schema), v(c.type_name), v(c.type_kind);
  v(c.not_null), v(c.default_expr), v(c.identity), v(c.generated), v(c.generation_expr);
  v(c.collation);
}
template <typename V, typename T>
void foreign_key_fields(V& v, T& f) {
  v(f.name), v(f.columns), v(f.ref_schema), v(f.ref_table), v(f.ref_columns), v(f.on_delete);
  v(f.on_update), v(f.deferrable), v(f.initially_deferred);
}
template <typename V, typename T>
void index_fields(V& v, T& i) {
  v(i.name), v(i.keys), v(i.include), v(i.unique), v(i.primary), v(i.predicate), v(i.method);
  v(i.definition), v(i.constraint_name), v(i.nulls_not_distinct);
}
template <typename V, typename T>
void unique_fields(V& v, T& u) {
  v(u.name), v(u.columns), v(u.nulls_not_distinct), v(u.deferrable), v(u.initially_deferred);
}
template <typename V, typename T>
void check_fields(V& v, T& c) {
  v(c.name), v(c.expression), v(c.definition);
}
template <typename V, typename T>
void exclusion_fields(V& v, T& e) {
  v(e.name), v(e.method);
  v.list(e.elements, [](V& w, auto& key_and_operator) {
    w(key_and_operator.first), w(key_and_operator.second);
  });
  v(e.predicate), v(e.definition);
}
template <typename V, typename T>
void table_fields(V& v, T& t) {
  v(t.schema), v(t.name), v(t.primary_key_name), v(t.primary_key);
  v(t.primary_key_deferrable), v(t.primary_key_initially_deferred);
  v.list(t.columns, [](V& w, auto& c) { column_fields(w, c); });
  v.list(t.foreign_keys, [](V& w, auto& f) { foreign_key_fields(w, f); });
  v.list(t.indexes, [](V& w, auto& i) { index_fields(w, i); });
  v.list(t.uniques, [](V& w, auto& u) { unique_fields(w, u); });
  v.list(t.checks, [](V& w, auto& c) { check_fields(w, c); });
  v.list(t.exclusions, [](V& w, auto& e) { exclusion_fields(w, e); });
}
template <typename V, typename T>
void enum_fields(V& v, T& e) {
  v(e.schema), v(e.name), v(e.labels);
}
template <typename V, typename T>
void object_fields(V& v, T& o) {
  v(o.kind), v(o.schema), v(o.name);
}

// A field added to a struct changes its size: list it above (and in the round-trip test), then
// update the size here. Checked where the layout is known (64-bit libstdc++).
#if defined(__x86_64__) && defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG)
static_assert(sizeof(column_info) == 264, "column_info changed: update column_fields()");
static_assert(sizeof(foreign_key_info) == 216, "foreign_key_info changed: update its fields");
static_assert(sizeof(index_info) == 240, "index_info changed: update index_fields()");
static_assert(sizeof(unique_constraint_info) == 64, "update unique_fields()");
static_assert(sizeof(check_constraint_info) == 96, "update check_fields()");
static_assert(sizeof(table_info) == 280, "table_info changed: update table_fields()");
static_assert(sizeof(exclusion_info) == 160, "update exclusion_fields()");
static_assert(sizeof(enum_info) == 88, "enum_info changed: update enum_fields()");
static_assert(sizeof(object_info) == 96, "object_info changed: update object_fields()");
#endif

}  // namespace

std::string serialize_snapshot(const snapshot& s) {
  field_writer w;
  w(s.server_version());
  w.list(s.tables(), [](field_writer& v, const table_info& t) { table_fields(v, t); });
  w.list(s.enums(), [](field_writer& v, const enum_info& e) { enum_fields(v, e); });
  w.list(s.other_objects(), [](field_writer& v, const object_info& o) { object_fields(v, o); });
  return w.out;
}

std::optional<snapshot> deserialize_snapshot(std::string_view text) {
  field_reader r(text);
  std::string server_version;
  std::vector<table_info> tables;
  std::vector<enum_info> enums;
  std::vector<object_info> objects;
  r(server_version);
  r.list(tables, [](field_reader& v, table_info& t) { table_fields(v, t); });
  r.list(enums, [](field_reader& v, enum_info& e) { enum_fields(v, e); });
  r.list(objects, [](field_reader& v, object_info& o) { object_fields(v, o); });
  if (!r.ok()) return std::nullopt;
  return snapshot(std::move(server_version), std::move(tables), std::move(enums),
                  std::move(objects));
}

}  // namespace pgparity
