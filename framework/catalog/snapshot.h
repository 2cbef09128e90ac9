// The migrated schema as PostgreSQL reports it: an immutable snapshot read in one bulk pass
// over pg_catalog, in the same vocabulary as the manifest (see manifest/model_spec.h).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace pgparity {

struct column_info {
  std::string name;
  int attnum = 0;
  std::string type;  // format_type(atttypid, atttypmod)
  // Schema and name of the type itself (for enums and domains); of the element type for arrays.
  std::string type_schema;
  std::string type_name;
  char type_kind = 'b';  // pg_type.typtype: b base, e enum, d domain, c composite, r range
  bool not_null = false;
  std::optional<std::string> default_expr;  // pg_get_expr(adbin, adrelid)
  char identity = '\0';                     // attidentity: 'a', 'd' or '\0'
  char generated = '\0';                    // attgenerated: 's' or '\0'
  // GENERATED ALWAYS AS (...) STORED: the expression (then default_expr is empty).
  std::optional<std::string> generation_expr;
  std::string collation;  // the column's own collation when not its type's ("" otherwise)
};

struct foreign_key_info {
  std::string name;
  std::vector<std::string> columns;
  std::string ref_schema;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::string on_delete;  // "cascade", "set null", "set default", "restrict", "no action"
  std::string on_update;
  bool deferrable = false;
  bool initially_deferred = false;
};

struct index_info {
  std::string name;
  // Column names or expression text (pg_get_indexdef(oid,k,true)), each followed by its options
  // as the definition prints them: "created_at DESC NULLS LAST", "code text_pattern_ops".
  std::vector<std::string> keys;
  std::vector<std::string> include;  // INCLUDE columns, as printed
  bool unique = false;
  bool primary = false;
  std::optional<std::string> predicate;  // pg_get_expr(indpred, indrelid)
  std::string method;                    // btree, hash, gin, gist, brin, spgist
  // pg_get_indexdef(oid) when the index has something the fields above do not show (INCLUDE
  // columns, DESC/NULLS ordering, a non-default operator class or collation, storage
  // parameters); empty otherwise, since printing every definition doubles the snapshot's cost.
  std::string definition;
  std::optional<std::string> constraint_name;  // set when the index backs a constraint
  bool nulls_not_distinct = false;             // PostgreSQL 15 and later
};

struct unique_constraint_info {
  std::string name;
  std::vector<std::string> columns;
  bool nulls_not_distinct = false;
  bool deferrable = false;
  bool initially_deferred = false;
};

struct exclusion_info {
  std::string name;
  std::string method;
  std::vector<std::pair<std::string, std::string>> elements;  // key as printed, operator
  std::optional<std::string> predicate;                       // without its parentheses
  std::string definition;                                     // pg_get_constraintdef() as printed
};

struct check_constraint_info {
  std::string name;
  std::string expression;  // pg_get_constraintdef() without the leading "CHECK "
  std::string definition;  // pg_get_constraintdef() as printed
};

struct table_info {
  std::string schema;
  std::string name;
  std::vector<column_info> columns;  // in attnum order, dropped columns excluded
  std::optional<std::string> primary_key_name;
  std::vector<std::string> primary_key;  // columns, in key order
  bool primary_key_deferrable = false;
  bool primary_key_initially_deferred = false;
  std::vector<foreign_key_info> foreign_keys;
  std::vector<index_info> indexes;
  std::vector<unique_constraint_info> uniques;
  std::vector<check_constraint_info> checks;
  std::vector<exclusion_info> exclusions;

  const column_info* find_column(const std::string& column) const;
};

struct enum_info {
  std::string schema;
  std::string name;
  std::vector<std::string> labels;  // in enumsortorder
};

// Other schema objects a round trip must account for (functions, sequences, views, ...).
struct object_info {
  std::string kind;  // "function", "sequence", "view", "type", ...
  std::string schema;
  std::string name;  // functions include their argument types
};

class snapshot {
 public:
  snapshot() = default;
  snapshot(std::string server_version, std::vector<table_info> tables, std::vector<enum_info> enums,
           std::vector<object_info> other_objects);

  const std::string& server_version() const { return server_version_; }
  const std::vector<table_info>& tables() const { return tables_; }
  const std::vector<enum_info>& enums() const { return enums_; }
  const std::vector<object_info>& other_objects() const { return other_objects_; }

  const table_info* find_table(const std::string& schema, const std::string& name) const;
  const enum_info* find_enum(const std::string& schema, const std::string& name) const;

  // Equal schemas: used by round-trip tests. Ignores OIDs and anything run-specific.
  bool operator==(const snapshot& other) const;
  bool operator!=(const snapshot& other) const { return !(*this == other); }
  // A readable multi-line description of how `other` differs from this one ("" when equal).
  std::string diff(const snapshot& other) const;

 private:
  std::string server_version_;
  std::vector<table_info> tables_;  // sorted by schema, name
  std::vector<enum_info> enums_;
  std::vector<object_info> other_objects_;
  std::unordered_map<std::string, std::size_t> table_index_;  // "schema.name" -> position
  std::unordered_map<std::string, std::size_t> enum_index_;
};

}  // namespace pgparity
