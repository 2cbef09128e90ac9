#include "manifest/manifest_equal.h"

namespace pgparity {
namespace {

// Collects the first differing field; later comparisons are skipped once one is found.
class differ {
 public:
  template <typename T>
  void field(const std::string& path, const T& a, const T& b) {
    if (found_.empty() && !(a == b)) found_ = path;
  }

  template <typename T, typename Each>
  void list(const std::string& path, const std::vector<T>& a, const std::vector<T>& b, Each each) {
    if (!found_.empty()) return;
    if (a.size() != b.size()) {
      found_ = path + ".size";
      return;
    }
    for (std::size_t i = 0; i < a.size() && found_.empty(); ++i) {
      each(path + "[" + std::to_string(i) + "]", a[i], b[i]);
    }
  }

  const std::string& found() const { return found_; }

 private:
  std::string found_;
};

void compare(differ& d, const std::string& p, const column_spec& a, const column_spec& b) {
  d.field(p + ".name", a.name, b.name);
  d.field(p + ".type", a.type, b.type);
  d.field(p + ".canonical_type", a.canonical_type, b.canonical_type);
  d.field(p + ".nullable", a.nullable, b.nullable);
  d.field(p + ".primary_key", a.primary_key, b.primary_key);
  d.field(p + ".default_declared", a.default_declared, b.default_declared);
  d.field(p + ".default_expr", a.default_expr, b.default_expr);
  d.field(p + ".canonical_default", a.canonical_default, b.canonical_default);
  d.field(p + ".sample", a.sample, b.sample);
  d.field(p + ".enum_name", a.enum_name, b.enum_name);
  d.field(p + ".identity", a.identity, b.identity);
  d.field(p + ".generated", a.generated, b.generated);
  d.field(p + ".canonical_generated", a.canonical_generated, b.canonical_generated);
  d.field(p + ".collation", a.collation, b.collation);
}

void compare(differ& d, const std::string& p, const deferral_spec& a, const deferral_spec& b) {
  d.field(p + ".deferrable", a.deferrable, b.deferrable);
  d.field(p + ".initially_deferred", a.initially_deferred, b.initially_deferred);
}

void compare(differ& d, const std::string& p, const foreign_key_spec& a,
             const foreign_key_spec& b) {
  d.field(p + ".name", a.name, b.name);
  d.field(p + ".columns", a.columns, b.columns);
  d.field(p + ".ref_schema", a.ref_schema, b.ref_schema);
  d.field(p + ".ref_table", a.ref_table, b.ref_table);
  d.field(p + ".ref_columns", a.ref_columns, b.ref_columns);
  d.field(p + ".on_delete", a.on_delete, b.on_delete);
  d.field(p + ".on_update", a.on_update, b.on_update);
  compare(d, p, a.deferral, b.deferral);
}

void compare(differ& d, const std::string& p, const index_spec& a, const index_spec& b) {
  d.field(p + ".name", a.name, b.name);
  d.field(p + ".keys", a.keys, b.keys);
  d.field(p + ".canonical_keys", a.canonical_keys, b.canonical_keys);
  d.field(p + ".unique", a.unique, b.unique);
  d.field(p + ".predicate", a.predicate, b.predicate);
  d.field(p + ".canonical_predicate", a.canonical_predicate, b.canonical_predicate);
  d.field(p + ".method", a.method, b.method);
  d.field(p + ".include", a.include, b.include);
  d.field(p + ".nulls_not_distinct", a.nulls_not_distinct, b.nulls_not_distinct);
}

void compare(differ& d, const std::string& p, const unique_spec& a, const unique_spec& b) {
  d.field(p + ".name", a.name, b.name);
  d.field(p + ".columns", a.columns, b.columns);
  d.field(p + ".allows_soft_deleted_duplicates", a.allows_soft_deleted_duplicates,
          b.allows_soft_deleted_duplicates);
  d.field(p + ".nulls_not_distinct", a.nulls_not_distinct, b.nulls_not_distinct);
  compare(d, p, a.deferral, b.deferral);
}

void compare(differ& d, const std::string& p, const check_spec& a, const check_spec& b) {
  d.field(p + ".name", a.name, b.name);
  d.field(p + ".expression", a.expression, b.expression);
  d.field(p + ".canonical_expression", a.canonical_expression, b.canonical_expression);
}

void compare(differ& d, const std::string& p, const exclusion_spec& a, const exclusion_spec& b) {
  d.field(p + ".name", a.name, b.name);
  d.field(p + ".method", a.method, b.method);
  d.field(p + ".elements.size", a.elements.size(), b.elements.size());
  for (std::size_t i = 0; i < a.elements.size() && i < b.elements.size(); ++i) {
    d.field(p + ".elements.key", a.elements[i].key, b.elements[i].key);
    d.field(p + ".elements.op", a.elements[i].op, b.elements[i].op);
  }
  d.field(p + ".predicate", a.predicate, b.predicate);
}

void compare(differ& d, const std::string& p, const model_spec& a, const model_spec& b) {
  d.field(p + ".name", a.name, b.name);
  d.field(p + ".schema", a.schema, b.schema);
  d.field(p + ".table", a.table, b.table);
  d.field(p + ".soft_delete", a.soft_delete, b.soft_delete);
  compare(d, p + ".primary_key", a.primary_key_deferral, b.primary_key_deferral);
  const auto each = [&d](const std::string& path, const auto& x, const auto& y) {
    compare(d, path, x, y);
  };
  d.list(p + ".columns", a.columns, b.columns, each);
  d.list(p + ".foreign_keys", a.foreign_keys, b.foreign_keys, each);
  d.list(p + ".indexes", a.indexes, b.indexes, each);
  d.list(p + ".uniques", a.uniques, b.uniques, each);
  d.list(p + ".checks", a.checks, b.checks, each);
  d.list(p + ".exclusions", a.exclusions, b.exclusions, each);
}

void compare(differ& d, const std::string& p, const enum_spec& a, const enum_spec& b) {
  d.field(p + ".name", a.name, b.name);
  d.field(p + ".schema", a.schema, b.schema);
  d.field(p + ".labels", a.labels, b.labels);
}

}  // namespace

std::string manifest_difference(const manifest& a, const manifest& b) {
  differ d;
  d.field("version", a.version, b.version);
  d.field("schema", a.schema, b.schema);
  const auto each = [&d](const std::string& path, const auto& x, const auto& y) {
    compare(d, path, x, y);
  };
  d.list("enums", a.enums, b.enums, each);
  d.list("models", a.models, b.models, each);
  return d.found();
}

}  // namespace pgparity
