// The result of comparing one declared object with the database: a value, never an exception,
// and data only: every field is a code or a value (SQL as the server prints it, a name, a file
// position). The words a user reads are made from it in framework/report alone.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/source_location.h"

namespace pgparity {

enum class severity { critical, warning };

// Every kind of check pgparity runs, one GoogleTest suite each. The engine's kind table
// (engine/kinds.h) gives each its id, names, scope and the function that runs it; this enum is
// only the key, in report order.
enum class check_kind {
  table_exists,
  columns_match,
  enums_match,
  foreign_keys_match,
  indexes_match,
  uniques_match,
  checks_match,
  exclusions_match,
  undeclared_objects,
  undeclared_tables,
  cascade_probe,
  duplicate_probe,
  migrations_apply,
  migrations_round_trip,
  migrations_step,
  migrations_with_data,
};

// What a finding is about.
enum class object_kind {
  table,
  column,
  primary_key,
  enum_type,
  foreign_key,
  index,
  unique,
  check,
  exclusion,
  declaration,  // a manifest entry the server could not read (rejected spelling)
  migration,    // lifecycle findings: a migration file or the whole set
};

// What differs. `existence` with no actual is "missing"; `declaration` is reverse drift.
enum class attribute {
  existence,
  declaration,
  spelling,  // the server rejects the declared spelling; `actual` holds its message
  name,
  type,
  nullability,
  default_value,
  no_default,  // declared `default: null`, the column has one
  columns,
  column_order,
  key_options,         // an index key's DESC, NULLS, operator class or collation
  include,             // an index's INCLUDE columns
  nulls_not_distinct,  // a unique index or constraint's NULLS [NOT] DISTINCT
  deferrable,          // a constraint's DEFERRABLE
  initially_deferred,  // a constraint's INITIALLY DEFERRED
  identity,            // a column's GENERATED ... AS IDENTITY
  generated,           // a column's GENERATED ALWAYS AS (...) STORED expression
  collation,           // a column's collation
  elements,            // an exclusion constraint's columns or expressions with their operators
  referenced_table,
  referenced_columns,
  on_delete,
  on_update,
  unique,
  predicate,
  predicate_missing,
  method,
  expression,
  label_case,
  missing_labels,     // values: the labels
  unexpected_labels,  // values: the labels
  label_order,
  behaviour,           // a probe saw the database do something else than declared
  applies,             // a phase failed (values: the phase); `actual` is the error
  duration,            // applying took longer than the budget
  down_missing,        // values: the down files to add
  applies_again,       // up, down, up gave another schema than the first up; `actual`: the diff
  restores,            // a down did not restore the schema before its up; `actual`: the diff
  rollback_leftovers,  // down to empty left objects behind; `actual` is the diff
  // Migrations/WithData (values: the phase, "up" or "down", then what follows):
  rows_refused,    // {phase, SQLSTATE}: the migration failed over the rows; `actual`: the error
  rows_lost,       // {phase, rows before, rows after}: rows of a table it keeps disappeared
  values_changed,  // {phase, column, a value before}: a column's values changed
};

struct difference {
  // Implicit on purpose: most differences are a bare attribute.
  difference(attribute w = attribute::existence,  // NOLINT(google-explicit-constructor)
             std::vector<std::string> v = {})
      : what(w), values(std::move(v)) {}
  attribute what;
  std::vector<std::string> values;  // e.g. the missing labels
  bool operator==(const difference& other) const {
    return what == other.what && values == other.values;
  }
};

// Why a near miss did not count, or where to look: a code and the objects it names.
enum class cause_kind {
  none,
  referenced_table_missing,  // object: the referenced table
  index_not_unique,          // object: the index
  index_partial,             // object: the index, value: its predicate
  column_uses_other_enum,    // object: the column, value: the enum it uses
  table_in_other_schema,     // object: the table, value: the schema it exists in
};

struct cause {
  cause_kind kind = cause_kind::none;
  std::string object;
  std::string value;
};

struct finding {
  check_kind kind = check_kind::table_exists;
  severity level = severity::critical;
  object_kind object = object_kind::table;
  std::string model;   // "" for schema-wide reverse drift
  std::string schema;  // the table's schema
  std::string table;   // the table's name, unqualified ("" for project-wide findings)
  // The object's name as SQL writes it (quoted when needed), or for an unnamed declaration the
  // key it is known by: "(user_id, role_id)", "(lower(email))". "" for the table itself.
  std::string name;
  std::vector<difference> differs;
  std::string expected;      // as declared (canonical form where known); "" when not applicable
  std::string actual;        // as found in the database ("" when missing)
  std::string suggestion;    // an existing name the user probably meant (did you mean)
  cause why;                 // a near miss explained
  std::string declare_yaml;  // reverse drift: the manifest entry that would declare the object
  std::string fix_sql;       // SQL that would make the database match the declaration
  std::vector<std::string> statements;  // probes and migrations: what pgparity ran
  source_location location;             // the declaration (manifest or model file)
  // The generated test that reports it ("Columns/Match.Check/User"); set by the engine.
  std::string test;

  bool missing() const { return differs.size() == 1 && differs[0].what == attribute::existence; }
  bool has(attribute a) const;
};

using findings = std::vector<finding>;

// A finding of `kind` about one object of a table.
finding make_finding(check_kind kind, object_kind object, std::string schema, std::string table,
                     std::string name);

}  // namespace pgparity
