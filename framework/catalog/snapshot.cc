#include "catalog/snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace pgparity {
namespace {

std::string key(const std::string& schema, const std::string& name) { return schema + "." + name; }

template <typename T>
void sort_by_name(std::vector<T>& items) {
  std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.name < b.name; });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return "(" + out + ")";
}

std::string show(const std::optional<std::string>& text) { return text ? *text : "none"; }

std::string show(char code) { return code == '\0' ? "none" : std::string(1, code); }

std::string show(bool value) { return value ? "true" : "false"; }

// Everything that makes two objects the same object; attnum and OIDs are run-specific.
auto fields(const column_info& c) {
  return std::tie(c.name, c.type, c.type_schema, c.type_name, c.type_kind, c.not_null,
                  c.default_expr, c.identity, c.generated, c.generation_expr, c.collation);
}
auto fields(const foreign_key_info& f) {
  return std::tie(f.name, f.columns, f.ref_schema, f.ref_table, f.ref_columns, f.on_delete,
                  f.on_update, f.deferrable, f.initially_deferred);
}
auto fields(const index_info& i) {
  return std::tie(i.name, i.keys, i.unique, i.primary, i.predicate, i.method, i.definition,
                  i.constraint_name, i.nulls_not_distinct);
}
auto fields(const unique_constraint_info& u) {
  return std::tie(u.name, u.columns, u.nulls_not_distinct, u.deferrable, u.initially_deferred);
}
auto fields(const exclusion_info& x) { return std::tie(x.name, x.definition); }
auto fields(const check_constraint_info& c) { return std::tie(c.name, c.expression, c.definition); }
auto fields(const enum_info& e) { return std::tie(e.schema, e.name, e.labels); }
auto fields(const object_info& o) { return std::tie(o.kind, o.schema, o.name); }

template <typename T>
bool same_list(const std::vector<T>& a, const std::vector<T>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const T& x, const T& y) { return fields(x) == fields(y); });
}

bool same_table(const table_info& a, const table_info& b) {
  return a.schema == b.schema && a.name == b.name && same_list(a.columns, b.columns) &&
         a.primary_key_name == b.primary_key_name && a.primary_key == b.primary_key &&
         a.primary_key_deferrable == b.primary_key_deferrable &&
         a.primary_key_initially_deferred == b.primary_key_initially_deferred &&
         same_list(a.foreign_keys, b.foreign_keys) && same_list(a.indexes, b.indexes) &&
         same_list(a.uniques, b.uniques) && same_list(a.checks, b.checks) &&
         same_list(a.exclusions, b.exclusions);
}

// Appends "~ <what>: <field> <a> -> <b>" when the two values differ.
template <typename V>
void changed(std::vector<std::string>& out, const std::string& what, const char* field, const V& a,
             const V& b) {
  if (!(a == b)) out.push_back(fmt::format("~ {}: {} {} -> {}", what, field, show(a), show(b)));
}
void changed(std::vector<std::string>& out, const std::string& what, const char* field,
             const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a != b) out.push_back(fmt::format("~ {}: {} {} -> {}", what, field, join(a), join(b)));
}
void changed(std::vector<std::string>& out, const std::string& what, const char* field,
             const std::string& a, const std::string& b) {
  if (a != b) out.push_back(fmt::format("~ {}: {} {} -> {}", what, field, a, b));
}

void describe(std::vector<std::string>& out, const std::string& what, const column_info& a,
              const column_info& b) {
  changed(out, what, "type", a.type, b.type);
  changed(out, what, "type kind", a.type_kind, b.type_kind);
  changed(out, what, "not null", a.not_null, b.not_null);
  changed(out, what, "default", a.default_expr, b.default_expr);
  changed(out, what, "identity", a.identity, b.identity);
  changed(out, what, "generated", a.generated, b.generated);
  changed(out, what, "generation", a.generation_expr, b.generation_expr);
  changed(out, what, "collation", a.collation, b.collation);
}
void describe(std::vector<std::string>& out, const std::string& what, const foreign_key_info& a,
              const foreign_key_info& b) {
  changed(out, what, "columns", a.columns, b.columns);
  changed(out, what, "references", key(a.ref_schema, a.ref_table) + join(a.ref_columns),
          key(b.ref_schema, b.ref_table) + join(b.ref_columns));
  changed(out, what, "on delete", a.on_delete, b.on_delete);
  changed(out, what, "on update", a.on_update, b.on_update);
  changed(out, what, "deferrable", a.deferrable, b.deferrable);
  changed(out, what, "initially deferred", a.initially_deferred, b.initially_deferred);
}
void describe(std::vector<std::string>& out, const std::string& what, const index_info& a,
              const index_info& b) {
  changed(out, what, "keys", a.keys, b.keys);
  changed(out, what, "unique", a.unique, b.unique);
  changed(out, what, "primary", a.primary, b.primary);
  changed(out, what, "predicate", a.predicate, b.predicate);
  changed(out, what, "method", a.method, b.method);
  changed(out, what, "constraint", a.constraint_name, b.constraint_name);
  changed(out, what, "nulls not distinct", a.nulls_not_distinct, b.nulls_not_distinct);
  // Catches what keys do not show: INCLUDE columns, operator classes, DESC, the table.
  changed(out, what, "definition", a.definition, b.definition);
}
void describe(std::vector<std::string>& out, const std::string& what,
              const unique_constraint_info& a, const unique_constraint_info& b) {
  changed(out, what, "columns", a.columns, b.columns);
  changed(out, what, "nulls not distinct", a.nulls_not_distinct, b.nulls_not_distinct);
  changed(out, what, "deferrable", a.deferrable, b.deferrable);
  changed(out, what, "initially deferred", a.initially_deferred, b.initially_deferred);
}
void describe(std::vector<std::string>& out, const std::string& what,
              const check_constraint_info& a, const check_constraint_info& b) {
  changed(out, what, "definition", a.definition, b.definition);
}

void describe(std::vector<std::string>& out, const std::string& what, const exclusion_info& a,
              const exclusion_info& b) {
  changed(out, what, "definition", a.definition, b.definition);
}

// "+"/"-"/"~" lines for two lists of named objects (matched by name).
template <typename T>
void diff_named(std::vector<std::string>& out, const std::string& kind, const std::string& owner,
                const std::vector<T>& a, const std::vector<T>& b) {
  for (const auto& x : a) {
    const auto y = std::find_if(b.begin(), b.end(), [&](const T& t) { return t.name == x.name; });
    const std::string what = fmt::format("{} {}{}", kind, owner, x.name);
    if (y == b.end()) {
      out.push_back("- " + what);
    } else if (fields(x) != fields(*y)) {
      describe(out, what, x, *y);
    }
  }
  for (const auto& y : b) {
    if (std::none_of(a.begin(), a.end(), [&](const T& t) { return t.name == y.name; })) {
      out.push_back(fmt::format("+ {} {}{}", kind, owner, y.name));
    }
  }
}

void diff_table(std::vector<std::string>& out, const table_info& a, const table_info& b) {
  diff_named(out, "column", a.name + ".", a.columns, b.columns);
  // Same columns in a different order (a column dropped and re-added, say).
  std::vector<std::string> order_a, order_b;
  for (const auto& c : a.columns) order_a.push_back(c.name);
  for (const auto& c : b.columns) order_b.push_back(c.name);
  std::vector<std::string> sorted_a = order_a, sorted_b = order_b;
  std::sort(sorted_a.begin(), sorted_a.end());
  std::sort(sorted_b.begin(), sorted_b.end());
  if (sorted_a == sorted_b) changed(out, "table " + a.name, "column order", order_a, order_b);
  changed(out, "table " + a.name, "primary key", a.primary_key, b.primary_key);
  changed(out, "table " + a.name, "primary key name", a.primary_key_name, b.primary_key_name);
  changed(out, "table " + a.name, "primary key deferrable", a.primary_key_deferrable,
          b.primary_key_deferrable);
  changed(out, "table " + a.name, "primary key initially deferred",
          a.primary_key_initially_deferred, b.primary_key_initially_deferred);
  diff_named(out, "foreign key", a.name + ".", a.foreign_keys, b.foreign_keys);
  diff_named(out, "index", "", a.indexes, b.indexes);
  diff_named(out, "unique", a.name + ".", a.uniques, b.uniques);
  diff_named(out, "check", a.name + ".", a.checks, b.checks);
  diff_named(out, "exclusion", a.name + ".", a.exclusions, b.exclusions);
}

}  // namespace

snapshot::snapshot(std::string server_version, std::vector<table_info> tables,
                   std::vector<enum_info> enums, std::vector<object_info> other_objects)
    : server_version_(std::move(server_version)),
      tables_(std::move(tables)),
      enums_(std::move(enums)),
      other_objects_(std::move(other_objects)) {
  // Byte order, not the server's collation, so equal schemas compare equal anywhere.
  std::sort(tables_.begin(), tables_.end(), [](const table_info& a, const table_info& b) {
    return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
  });
  std::sort(enums_.begin(), enums_.end(), [](const enum_info& a, const enum_info& b) {
    return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
  });
  std::sort(other_objects_.begin(), other_objects_.end(),
            [](const object_info& a, const object_info& b) { return fields(a) < fields(b); });
  for (auto& table : tables_) {
    sort_by_name(table.foreign_keys);
    sort_by_name(table.indexes);
    sort_by_name(table.uniques);
    sort_by_name(table.checks);
    sort_by_name(table.exclusions);
  }
  for (std::size_t i = 0; i < tables_.size(); ++i) {
    table_index_.emplace(key(tables_[i].schema, tables_[i].name), i);
  }
  for (std::size_t i = 0; i < enums_.size(); ++i) {
    enum_index_.emplace(key(enums_[i].schema, enums_[i].name), i);
  }
}

const table_info* snapshot::find_table(const std::string& schema, const std::string& name) const {
  const auto found = table_index_.find(key(schema, name));
  return found == table_index_.end() ? nullptr : &tables_[found->second];
}

const enum_info* snapshot::find_enum(const std::string& schema, const std::string& name) const {
  const auto found = enum_index_.find(key(schema, name));
  return found == enum_index_.end() ? nullptr : &enums_[found->second];
}

const column_info* table_info::find_column(const std::string& column) const {
  for (const auto& c : columns) {
    if (c.name == column) return &c;
  }
  return nullptr;
}

bool snapshot::operator==(const snapshot& other) const {
  return std::equal(tables_.begin(), tables_.end(), other.tables_.begin(), other.tables_.end(),
                    same_table) &&
         same_list(enums_, other.enums_) && same_list(other_objects_, other.other_objects_);
}

std::string snapshot::diff(const snapshot& other) const {
  std::vector<std::string> out;
  for (const auto& table : tables_) {
    const table_info* theirs = other.find_table(table.schema, table.name);
    if (theirs == nullptr) {
      out.push_back("- table " + key(table.schema, table.name));
    } else if (!same_table(table, *theirs)) {
      diff_table(out, table, *theirs);
    }
  }
  for (const auto& table : other.tables_) {
    if (find_table(table.schema, table.name) == nullptr) {
      out.push_back("+ table " + key(table.schema, table.name));
    }
  }
  for (const auto& e : enums_) {
    const enum_info* theirs = other.find_enum(e.schema, e.name);
    const std::string what = "enum " + key(e.schema, e.name);
    if (theirs == nullptr) {
      out.push_back("- " + what);
    } else {
      changed(out, what, "labels", e.labels, theirs->labels);
    }
  }
  for (const auto& e : other.enums_) {
    if (find_enum(e.schema, e.name) == nullptr) out.push_back("+ enum " + key(e.schema, e.name));
  }
  const auto has = [](const std::vector<object_info>& list, const object_info& o) {
    return std::any_of(list.begin(), list.end(),
                       [&](const object_info& x) { return fields(x) == fields(o); });
  };
  for (const auto& o : other_objects_) {
    if (!has(other.other_objects_, o))
      out.push_back(fmt::format("- {} {}", o.kind, key(o.schema, o.name)));
  }
  for (const auto& o : other.other_objects_) {
    if (!has(other_objects_, o))
      out.push_back(fmt::format("+ {} {}", o.kind, key(o.schema, o.name)));
  }
  std::string text;
  for (const auto& line : out) text += line + "\n";
  return text;
}

}  // namespace pgparity
