// What the models declare: the immutable result of loading a manifest.
// Every declared object carries the manifest location it was written at.
//
// Spelling: `type`, `default_expr`, index `predicate` and check `expression` hold what the user
// wrote. The `canonical_*` fields hold PostgreSQL's own printed form of the same thing; they are
// empty after loading and filled by catalog::canonicalize() (the server is the judge of
// equivalence), and checks compare canonical forms when they are present.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/optional_text.h"
#include "common/source_location.h"

namespace pgparity {

// ON DELETE / ON UPDATE actions, normalised to lower case with one space:
// "cascade", "set null", "set default", "restrict", "no action".
using referential_action = std::string;

struct column_spec {
  std::string name;
  std::string type;            // as written: "varchar(255)", "int", "user_status"
  std::string canonical_type;  // as format_type() prints it, e.g. "character varying(255)"
  bool nullable = true;        // default true; always false for primary-key columns
  bool primary_key = false;
  // Default: not declared => not compared; declared null => "must have no default".
  bool default_declared = false;
  optional_text default_expr;
  optional_text canonical_default;  // pg_get_expr() form
  optional_text sample;             // probe value override, SQL literal text
  optional_text enum_name;          // set when `type` names a manifest enum
  // Each compared only when given.
  optional_text identity;             // "always" or "by default" (GENERATED ... AS IDENTITY)
  optional_text generated;            // GENERATED ALWAYS AS (<expression>) STORED
  optional_text canonical_generated;  // pg_get_expr() form
  optional_text collation;            // "C"; "default" means no collation of its own
  source_location location;
};

// DEFERRABLE / INITIALLY DEFERRED of a constraint; each compared only when given.
struct deferral_spec {
  std::optional<bool> deferrable;
  std::optional<bool> initially_deferred;
  bool declared() const { return deferrable || initially_deferred; }
};

struct foreign_key_spec {
  std::optional<std::string> name;  // compared only when given
  std::vector<std::string> columns;
  std::string ref_schema;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::optional<referential_action> on_delete;  // compared only when given
  std::optional<referential_action> on_update;
  deferral_spec deferral;
  source_location location;
};

struct index_spec {
  std::optional<std::string> name;
  // Column names or expressions, in order, each with its options as CREATE INDEX writes them
  // ("created_at DESC NULLS LAST", "code text_pattern_ops", "title COLLATE \"C\"").
  std::vector<std::string> keys;
  std::vector<std::string> canonical_keys;
  std::optional<std::vector<std::string>> include;  // INCLUDE columns; compared when given
  std::optional<bool> unique;                       // compared only when given
  std::optional<std::string> predicate;             // `where:`; compared when given
  std::optional<std::string> canonical_predicate;
  std::optional<std::string> method;       // btree, gin, ...; compared when given
  std::optional<bool> nulls_not_distinct;  // PostgreSQL 15 NULLS NOT DISTINCT; when given
  source_location location;
};

struct unique_spec {
  std::optional<std::string> name;
  std::vector<std::string> columns;
  // For soft-delete models: a duplicate of a soft-deleted row is allowed (partial unique index).
  bool allows_soft_deleted_duplicates = false;
  std::optional<bool> nulls_not_distinct;  // PostgreSQL 15 NULLS NOT DISTINCT; when given
  deferral_spec deferral;
  source_location location;
};

// EXCLUDE USING <method> (<key> WITH <operator>, ...) [WHERE (<predicate>)].
struct exclusion_element {
  std::string key;  // a column name, or an expression as PostgreSQL prints it
  std::string op;   // "=", "&&", ...
};

struct exclusion_spec {
  std::optional<std::string> name;  // compared when given
  std::string method = "gist";
  std::vector<exclusion_element> elements;
  std::optional<std::string> predicate;  // `where:`; compared when given
  source_location location;
};

struct check_spec {
  std::optional<std::string> name;
  std::string expression;
  std::optional<std::string> canonical_expression;  // pg_get_constraintdef() inner form
  source_location location;
};

struct model_spec {
  std::string name;  // the model's name: test names derive from it
  std::string schema;
  std::string table;
  std::optional<std::string> soft_delete;  // the soft-delete flag column
  std::vector<column_spec> columns;
  std::vector<foreign_key_spec> foreign_keys;  // short form (column `references:`) included
  std::vector<index_spec> indexes;             // column `index: true` included
  std::vector<unique_spec> uniques;            // column `unique: true` included
  std::vector<check_spec> checks;
  std::vector<exclusion_spec> exclusions;
  deferral_spec primary_key_deferral;  // model key `primary_key: {deferrable: ...}`
  source_location location;

  const column_spec* find_column(const std::string& column) const;
  std::vector<std::string> primary_key() const;  // columns with primary_key, in order
};

struct enum_spec {
  std::string name;
  std::string schema;
  std::vector<std::string> labels;  // in order
  source_location location;
};

struct manifest {
  int version = 1;
  std::string file;  // path as given
  std::string schema = "public";
  std::vector<enum_spec> enums;
  std::vector<model_spec> models;
  // Said once when loaded ("file:line:col: ..."), e.g. names PostgreSQL cuts to 63 bytes.
  std::vector<std::string> notes;

  const model_spec* find_model(const std::string& model_name) const;
  const model_spec* find_table(const std::string& schema_name, const std::string& table) const;
  // `enum_name` is "name" or "schema.name"; a bare name matches an enum in any schema.
  const enum_spec* find_enum(const std::string& enum_name) const;
  // The model a foreign key names when it writes `table` without a schema, from a model in
  // `from_schema`: a model on that table in `from_schema`, else in the manifest's `schema`.
  const model_spec* resolve_table(const std::string& from_schema, const std::string& table) const;
};

}  // namespace pgparity
