// Every manifest error, with its exact one-line message: this is what users see first.
#include <gtest/gtest.h>

#include "common/error.h"
#include "manifest/load_manifest.h"

namespace pgparity {
namespace {

// The message parse_manifest fails with, or a note that it did not fail.
std::string error_of(const std::string& yaml) {
  try {
    parse_manifest(yaml, "m.yaml");
  } catch (const input_error& e) {
    EXPECT_EQ(e.code(), exit_code::bad_input);
    return e.what();
  }
  return "(no error)";
}

// A one-model manifest whose column lines follow `columns:` (at line 5, indented 6).
std::string with_columns(const std::string& columns) {
  return "version: 1\nmodels:\n  User:\n    table: users\n    columns:\n" + columns;
}

TEST(ManifestErrors, NotYaml) {
  EXPECT_EQ(error_of("models:\n  User: [a\n  b: c\n"),
            "m.yaml:3:4: not valid YAML: end of sequence flow not found; check the indentation "
            "and quoting there");
  EXPECT_EQ(error_of("models:\n  User:\n    table: users\n   columns: x\n"),
            "m.yaml:4:4: not valid YAML: end of map not found; check the indentation and quoting "
            "there");
}

TEST(ManifestErrors, EmptyOrNotAMap) {
  EXPECT_EQ(error_of(""),
            "m.yaml:1:1: the manifest is empty; start it with `version: 1` and a `models:` map "
            "(see docs/manifest.md)");
  EXPECT_EQ(error_of("# nothing\n"),
            "m.yaml:1:1: the manifest is empty; start it with `version: 1` and a `models:` map "
            "(see docs/manifest.md)");
  EXPECT_EQ(error_of("- User\n"),
            "m.yaml:1:1: expected a map with `version`, `enums` and `models` at the top of the "
            "manifest, got a list; see docs/manifest.md");
}

TEST(ManifestErrors, Version) {
  EXPECT_EQ(error_of("version: 2\nmodels: {}\n"),
            "m.yaml:1:10: unsupported manifest version `2`; this pgparity reads `version: 1`");
  EXPECT_EQ(error_of("version: [1]\n"),
            "m.yaml:1:10: unsupported manifest version a list; this pgparity reads `version: 1`");
}

TEST(ManifestErrors, UnknownKeysAtEveryLevel) {
  EXPECT_EQ(error_of("version: 1\nmodles: {}\n"),
            "m.yaml:2:1: unknown key `modles` in the manifest; did you mean `models`?");
  EXPECT_EQ(error_of("models:\n  User:\n    table: users\n    colums: {}\n"),
            "m.yaml:4:5: unknown key `colums` in model `User`; did you mean `columns`?");
  EXPECT_EQ(error_of(with_columns("      email: {type: text, nulable: false}\n")),
            "m.yaml:6:27: unknown key `nulable` in column `email` of model `User`; did you mean "
            "`nullable`?");
  EXPECT_EQ(error_of(with_columns("      email: {type: text, colour: red}\n")),
            "m.yaml:6:27: unknown key `colour` in column `email` of model `User`; expected "
            "`type`, `nullable`, `primary_key`, `default`, `references`, `on_delete`, "
            "`on_update`, `unique`, `index`, `sample`, `identity`, `generated` or `collation`");
  EXPECT_EQ(error_of(with_columns("      email: text\n    indexes:\n      - {colums: [email]}\n")),
            "m.yaml:8:10: unknown key `colums` in index 1 of model `User`; did you mean "
            "`columns`?");
  EXPECT_EQ(
      error_of(with_columns("      email: text\n    unique:\n"
                            "      - {name: uq, columns: [email], allow_soft_deleted_duplicate: "
                            "true}\n")),
      "m.yaml:8:38: unknown key `allow_soft_deleted_duplicate` in unique constraint `uq` of model "
      "`User`; did you mean `allow_soft_deleted_duplicates`?");
  EXPECT_EQ(error_of(with_columns("      n: int\n    checks:\n      - {name: ck, expresion: "
                                  "\"n > 0\"}\n")),
            "m.yaml:8:20: unknown key `expresion` in check `ck` of model `User`; did you mean "
            "`expression`?");
  EXPECT_EQ(error_of(with_columns("      id: {type: int, primary_key: true}\n    foreign_keys:\n"
                                  "      - {columns: [id], references: {tabel: users}}\n")),
            "m.yaml:8:38: unknown key `tabel` in `references` of foreign key 1 of model `User`; "
            "did you mean `table`?");
}

TEST(ManifestErrors, IndexKeyOptionsAndIncludeNameDeclaredColumns) {
  EXPECT_EQ(error_of(with_columns("      email: text\n    indexes:\n"
                                  "      - {columns: [emial DESC]}\n")),
            "m.yaml:8:20: index 1 of model `User` names column `emial`, which model `User` does "
            "not declare; did you mean `email`?");
  EXPECT_EQ(error_of(with_columns("      email: text\n    indexes:\n"
                                  "      - {columns: [email], include: [emails]}\n")),
            "m.yaml:8:38: index 1 of model `User` names column `emails`, which model `User` does "
            "not declare; did you mean `email`?");
  // A key is SQL: a column whose name needs quotes, written bare, would be read as another.
  EXPECT_EQ(error_of(with_columns("      user id: bigint\n    indexes:\n      - [user id]\n")),
            "m.yaml:8:10: index 1 of model `User` names column `user id` without the quotes SQL "
            "needs; write it as CREATE INDEX does: '\"user id\"'");
  EXPECT_EQ(error_of(with_columns("      Weird: bigint\n    indexes:\n"
                                  "      - {columns: [Weird DESC]}\n")),
            "m.yaml:8:20: index 1 of model `User` names column `Weird` without the quotes SQL "
            "needs; write it as CREATE INDEX does: '\"Weird\" DESC'");
  EXPECT_EQ(
      error_of(with_columns("      user id: bigint\n    indexes:\n      - ['\"user id\"']\n")),
      "(no error)");
}

TEST(ManifestErrors, ConstraintAndColumnOptions) {
  EXPECT_EQ(error_of(with_columns("      id: {type: bigint, identity: sometimes}\n")),
            "m.yaml:6:36: unknown identity `sometimes` in column `id` of model `User`; expected "
            "`always` or `by_default`");
  EXPECT_EQ(error_of(with_columns("      id: {type: bigint, identity: always, nullable: true}\n")),
            "m.yaml:6:54: column `id` of model `User` is an identity column and cannot be "
            "nullable; remove `nullable: true`");
  EXPECT_EQ(error_of(with_columns("      id: {type: bigint, default: '0', identity: always}\n")),
            "m.yaml:6:40: column `id` of model `User` has both `default` and `identity`; "
            "PostgreSQL allows one of them per column: remove one");
  EXPECT_EQ(
      error_of(with_columns("      n: int\n      m: {type: int, generated: n, default: '1'}\n")),
      "m.yaml:7:22: column `m` of model `User` has both `default` and `generated`; "
      "PostgreSQL allows one of them per column: remove one");
  EXPECT_EQ(error_of(with_columns("      a: text\n    unique:\n      - {columns: [a], deferrable: "
                                  "false, initially_deferred: true}\n")),
            "m.yaml:8:43: unique constraint 1 of model `User` is `initially_deferred` but not "
            "`deferrable`; a constraint that starts deferred must be deferrable: remove "
            "`deferrable: false`");
  EXPECT_EQ(error_of(with_columns("      a: text\n    indexes:\n      - {columns: [a], "
                                  "nulls_not_distinct: true}\n")),
            "m.yaml:8:24: index 1 of model `User` has `nulls_not_distinct` but is not unique; add "
            "`unique: true`");
  EXPECT_EQ(error_of(with_columns("      a: text\n    primary_key: {deferrable: true}\n")),
            "m.yaml:7:5: model `User` has `primary_key` options but no primary-key column; add "
            "`primary_key: true` to its key columns");
  EXPECT_EQ(error_of(with_columns("      a: text\n    primary_key: {deferable: true}\n")),
            "m.yaml:7:19: unknown key `deferable` in `primary_key` of model `User`; did you mean "
            "`deferrable`?");
}

TEST(ManifestErrors, ExclusionConstraints) {
  EXPECT_EQ(error_of(with_columns("      a: text\n    exclusions:\n      - {using: gist}\n")),
            "m.yaml:8:9: exclusion constraint 1 of model `User` needs a non-empty list "
            "`elements`; write e.g. `elements: [room_id WITH =, during WITH &&]`");
  EXPECT_EQ(
      error_of(with_columns("      a: text\n    exclusions:\n      - {elements: [b WITH =]}\n")),
      "m.yaml:8:21: exclusion constraint 1 of model `User` names column `b`, which model "
      "`User` does not declare; did you mean `a`?");
  EXPECT_EQ(
      error_of(with_columns("      a: text\n    exclusions:\n      - {elements: [{column: a}]}\n")),
      "m.yaml:8:21: an element of exclusion constraint 1 of model `User` has no "
      "`operator`; add `operator: \"=\"` (or `&&`, ...)");
}

TEST(ManifestErrors, DuplicateKeys) {
  EXPECT_EQ(error_of("models:\n  User:\n    table: users\n    table: people\n"),
            "m.yaml:4:5: duplicate key `table` in model `User` (first declared at line 3); remove "
            "one of them");
}

TEST(ManifestErrors, WrongKindsOfValue) {
  EXPECT_EQ(error_of(with_columns("      email: {type: text, nullable: maybe}\n")),
            "m.yaml:6:37: expected true or false for `nullable` in column `email` of model "
            "`User`, got `maybe`; write `true` or `false`");
  EXPECT_EQ(error_of(with_columns("      email: {type: text, unique: 1}\n")),
            "m.yaml:6:35: expected true or false for `unique` in column `email` of model `User`, "
            "got `1`; write `true` or `false`");
  EXPECT_EQ(error_of("models:\n  User:\n    table: users\n    columns: [id, email]\n"),
            "m.yaml:4:14: expected a map of column name to column for model `User`, got a list; "
            "write one `name: ...` entry per column");
  EXPECT_EQ(error_of("models: [User]\n"),
            "m.yaml:1:9: expected a map of model name to model for `models`, got a list; write "
            "one `name: ...` entry per model");
  EXPECT_EQ(error_of("models:\n  User: users\n"),
            "m.yaml:2:9: expected a map for model `User`, got `users`; write `key: value` pairs");
  EXPECT_EQ(error_of("models:\n  User:\n    table: [users]\n"),
            "m.yaml:3:12: expected a value for `table` in model `User`, got a list; write a "
            "single value");
  EXPECT_EQ(error_of(with_columns("      email: {type: {name: text}}\n")),
            "m.yaml:6:21: expected a value for `type` in column `email` of model `User`, got a "
            "map; write a single value");
  EXPECT_EQ(error_of(with_columns("      email: [text]\n")),
            "m.yaml:6:14: expected a map for column `email` of model `User`, got a list; write "
            "`key: value` pairs");
  EXPECT_EQ(error_of(with_columns("      email: {type: text, default: [a]}\n")),
            "m.yaml:6:36: expected a value for `default` in column `email` of model `User`, got "
            "a list; write a single value");
  EXPECT_EQ(error_of(with_columns("      email: text\n    indexes: {columns: [email]}\n")),
            "m.yaml:7:14: expected a list for `indexes` in model `User`, got a map; write one "
            "`- ...` entry per line");
  EXPECT_EQ(error_of(with_columns("      email: text\n    indexes:\n      - {columns: email}\n")),
            "m.yaml:8:19: expected a list for `columns` in index 1 of model `User`, got `email`; "
            "write a list like `[email]`");
  EXPECT_EQ(error_of(with_columns("      email: text\n    indexes:\n      - email\n")),
            "m.yaml:8:9: expected `{name: ..., columns: [...]}` or a list of columns for index 1 "
            "of model `User`, got `email`; see docs/manifest.md#indexes");
  EXPECT_EQ(error_of(with_columns("      email: text\n    unique:\n      - email\n")),
            "m.yaml:8:9: expected `[a, b]` or `{name: ..., columns: [a, b]}` for unique "
            "constraint 1 of model `User`, got `email`; see docs/manifest.md#unique");
  EXPECT_EQ(error_of(with_columns("      email: text\n    checks:\n      - [a]\n")),
            "m.yaml:8:9: expected `{name: ..., expression: \"...\"}` for check 1 of model `User`, "
            "got a list; see docs/manifest.md#checks");
  EXPECT_EQ(error_of(with_columns("      id: int\n    foreign_keys:\n      - [id]\n")),
            "m.yaml:8:9: expected `{columns: [...], references: {table: ..., columns: [...]}}` "
            "for foreign key 1 of model `User`, got a list; see "
            "docs/manifest.md#foreign-keys");
  EXPECT_EQ(error_of(with_columns("      id: int\n    foreign_keys:\n"
                                  "      - {columns: [id], references: users.id}\n")),
            "m.yaml:8:37: expected `{table: ..., columns: [...]}` for `references` in foreign key "
            "1 of model `User`, got `users.id`; write e.g. `references: {table: users, columns: "
            "[id]}`");
}

TEST(ManifestErrors, MissingRequiredKeys) {
  EXPECT_EQ(error_of("models:\n  User:\n    columns: {}\n"),
            "m.yaml:2:3: model `User` has no `table`; add `table: <table name>`");
  EXPECT_EQ(error_of("models:\n  User:\n"),
            "m.yaml:2:3: model `User` has no `table`; add `table: <table name>`");
  EXPECT_EQ(error_of(with_columns("      email: {nullable: false}\n")),
            "m.yaml:6:7: column `email` of model `User` has no `type`; add `type: <PostgreSQL "
            "type>`");
  EXPECT_EQ(error_of(with_columns("      email:\n")),
            "m.yaml:6:7: column `email` of model `User` has no `type`; add `type: <PostgreSQL "
            "type>`");
  EXPECT_EQ(error_of(with_columns("      n: int\n    checks:\n      - {name: ck}\n")),
            "m.yaml:8:9: check `ck` of model `User` has no `expression`; add `expression: \"<SQL "
            "condition>\"`");
  EXPECT_EQ(error_of(with_columns("      n: int\n    indexes:\n      - {name: ix}\n")),
            "m.yaml:8:9: index `ix` of model `User` has no `columns`; add `columns: [a, b]`");
  EXPECT_EQ(error_of(with_columns("      n: int\n    indexes:\n      - {columns: []}\n")),
            "m.yaml:8:9: `columns` in index 1 of model `User` is empty; list at least one column");
  EXPECT_EQ(error_of(with_columns("      n: int\n    unique:\n      - {name: uq}\n")),
            "m.yaml:8:9: unique constraint `uq` of model `User` has no `columns`; add `columns: "
            "[a, b]`");
  EXPECT_EQ(error_of(with_columns("      n: int\n    foreign_keys:\n      - {columns: [n]}\n")),
            "m.yaml:8:9: foreign key 1 of model `User` has no `references`; add `references: "
            "{table: t, columns: [id]}`");
  EXPECT_EQ(error_of(with_columns("      n: int\n    foreign_keys:\n"
                                  "      - {references: {table: users}}\n")),
            "m.yaml:8:9: foreign key 1 of model `User` has no `columns`; add `columns: [a]`");
  EXPECT_EQ(error_of(with_columns("      n: int\n    foreign_keys:\n"
                                  "      - {columns: [n], references: {columns: [n]}}\n")),
            "m.yaml:8:36: `references` of foreign key 1 of model `User` has no `table`; add "
            "`table: <referenced table>`");
}

TEST(ManifestErrors, DuplicateModelsTablesAndColumns) {
  EXPECT_EQ(error_of("models:\n  User:\n    table: users\n  User:\n    table: people\n"),
            "m.yaml:4:3: duplicate model `User` in `models` (first declared at line 2); rename "
            "or remove one of them");
  EXPECT_EQ(error_of("models:\n  User:\n    table: users\n  Person:\n    table: users\n"),
            "m.yaml:5:12: model `Person` maps to table `public.users` like model `User` (first "
            "declared at line 2); each table belongs to one model");
  EXPECT_EQ(error_of("models:\n  User:\n    table: users\n  Person:\n    table: users\n"
                     "    schema: crm\n"),
            "(no error)");
  EXPECT_EQ(error_of(with_columns("      email: text\n      id: int\n      email: varchar\n")),
            "m.yaml:8:7: duplicate column `email` in model `User` (first declared at line 6); "
            "rename or remove one of them");
}

TEST(ManifestErrors, UnknownReferencedTableOrColumn) {
  const std::string models =
      "models:\n  User:\n    table: users\n    columns:\n      id: {type: int, primary_key: "
      "true}\n  Post:\n    table: posts\n    columns:\n";
  EXPECT_EQ(error_of(models + "      user_id: {type: int, references: userz.id}\n"),
            "m.yaml:9:40: column `user_id` of model `Post` references table `userz`, which no "
            "model declares; did you mean `users`?");
  EXPECT_EQ(error_of(models + "      user_id: {type: int, references: accounts.id}\n"),
            "m.yaml:9:40: column `user_id` of model `Post` references table `accounts`, which no "
            "model declares; add a model with `table: accounts` or fix the name");
  EXPECT_EQ(error_of(models + "      user_id: {type: int, references: users.idd}\n"),
            "m.yaml:9:40: column `user_id` of model `Post` references column `users.idd`, which "
            "model `User` does not declare; did you mean `id`?");
  EXPECT_EQ(error_of(models + "      user_id: {type: int, references: users.uuid_value}\n"),
            "m.yaml:9:40: column `user_id` of model `Post` references column "
            "`users.uuid_value`, which model `User` does not declare; declare it in model `User` "
            "or fix the name");
  EXPECT_EQ(error_of(models + "      user_id: {type: int, references: crm.users.id}\n"),
            "m.yaml:9:40: column `user_id` of model `Post` references table `crm.users`, which no "
            "model declares; add a model with `table: users` or fix the name");
  EXPECT_EQ(error_of(models + "      user_id: {type: int, references: users}\n"),
            "m.yaml:9:40: expected `table.column` or `schema.table.column` for `references` in "
            "column `user_id` of model `Post`, got `users`; write e.g. `references: users.id`");
  EXPECT_EQ(error_of(models + "      user_id: int\n    foreign_keys:\n      - {columns: "
                              "[user_id], references: {table: users, columns: [id, idx]}}\n"),
            "m.yaml:11:71: foreign key 1 of model `Post` references column `users.idx`, which "
            "model `User` does not declare; did you mean `id`?");
  EXPECT_EQ(error_of(models + "      user_id: int\n    foreign_keys:\n      - {columns: "
                              "[user_id], references: {table: users, columns: [id, id]}}\n"),
            "m.yaml:11:9: foreign key 1 of model `Post` has 1 column(s) but references 2; list "
            "one referenced column per column");
  EXPECT_EQ(error_of("models:\n  Tag:\n    table: tags\n    columns:\n      name: text\n"
                     "  Post:\n    table: posts\n    columns:\n      tag: text\n"
                     "    foreign_keys:\n      - {columns: [tag], references: {table: tags}}\n"),
            "m.yaml:11:46: foreign key 1 of model `Post` references table `tags` without "
            "`columns`, and model `Tag` declares no primary key; list the referenced columns");
}

TEST(ManifestErrors, TypeCloseToAnEnum) {
  const std::string head =
      "enums:\n  user_status: [pending, active]\nmodels:\n  User:\n"
      "    table: users\n    columns:\n";
  EXPECT_EQ(error_of(head + "      status: {type: user_stauts}\n"),
            "m.yaml:7:22: column `status` of model `User` has type `user_stauts`, which is not a "
            "declared enum; did you mean `user_status`?");
  EXPECT_EQ(error_of(head + "      status: \"user_statu[]\"\n"),
            "m.yaml:7:15: column `status` of model `User` has type `user_statu[]`, which is not a "
            "declared enum; did you mean `user_status`?");
  EXPECT_EQ(error_of(head + "      status: {type: account_kind}\n"), "(no error)");
}

TEST(ManifestErrors, ColumnsNamedByConstraintsMustBeDeclared) {
  EXPECT_EQ(error_of(with_columns("      created_at: timestamptz\n    indexes:\n"
                                  "      - {name: ix_users_created, columns: [create_at]}\n")),
            "m.yaml:8:44: index `ix_users_created` of model `User` names column `create_at`, which "
            "model `User` does not declare; did you mean `created_at`?");
  EXPECT_EQ(error_of(with_columns("      email: text\n    indexes:\n"
                                  "      - {columns: [\"lower(emial)\", email]}\n")),
            "(no error)");  // expressions are judged by the server
  EXPECT_EQ(error_of(with_columns("      user_id: int\n      role_id: int\n    unique:\n"
                                  "      - [user_id, roleid]\n")),
            "m.yaml:9:19: unique constraint 1 of model `User` names column `roleid`, which model "
            "`User` does not declare; did you mean `role_id`?");
  EXPECT_EQ(error_of(with_columns("      user_id: int\n    foreign_keys:\n      - {columns: "
                                  "[owner_id], references: {table: users}}\n")),
            "m.yaml:8:20: foreign key 1 of model `User` names column `owner_id`, which model "
            "`User` does not declare; declare it under `columns:` or fix the name");
  EXPECT_EQ(error_of(with_columns("      is_deleted: boolean\n    soft_delete: deleted\n")),
            "m.yaml:7:18: `soft_delete` of model `User` names column `deleted`, which model "
            "`User` does not declare; declare it under `columns:` or fix the name");
  EXPECT_EQ(error_of(with_columns("      slug: text\n    unique:\n      - {columns: [slug], "
                                  "allow_soft_deleted_duplicates: true}\n")),
            "m.yaml:8:27: unique constraint 1 of model `User` allows soft-deleted duplicates, but "
            "the model has no `soft_delete` column; add `soft_delete: <flag column>` to model "
            "`User`");
}

TEST(ManifestErrors, Enums) {
  EXPECT_EQ(error_of("enums:\n  user_status: [pending, active, pending]\n"),
            "m.yaml:2:34: duplicate label `pending` in enum `user_status` (first declared at line "
            "2); each label appears once");
  EXPECT_EQ(error_of("enums:\n  user_status: []\n"),
            "m.yaml:2:3: enum `user_status` has no labels; list them in order, e.g. "
            "`user_status: [pending, active]`");
  EXPECT_EQ(error_of("enums:\n  user_status:\n"),
            "m.yaml:2:3: enum `user_status` has no labels; list them in order, e.g. "
            "`user_status: [pending, active]`");
  EXPECT_EQ(error_of("enums:\n  user_status: pending\n"),
            "m.yaml:2:16: expected a list of labels for enum `user_status`, got `pending`; write "
            "`user_status: [label, ...]` with the labels in order");
  EXPECT_EQ(error_of("enums:\n  mood: [a]\n  mood: [b]\n"),
            "m.yaml:3:3: duplicate enum `mood` in `enums` (first declared at line 2); rename or "
            "remove one of them");
  EXPECT_EQ(error_of("enums:\n  a.b.c: [x]\n"),
            "m.yaml:2:3: expected `name` or `schema.name` for an enum, got `a.b.c`; write e.g. "
            "`user_status: [pending, active]`");
}

TEST(ManifestErrors, ReferentialActions) {
  const std::string head =
      "models:\n  P:\n    table: p\n    columns:\n      id: {type: int, "
      "primary_key: true}\n      parent: ";
  EXPECT_EQ(error_of(head + "{type: int, references: p.id, on_delete: cascde}\n"),
            "m.yaml:6:56: unknown action `cascde` for `on_delete` in column `parent` of model "
            "`P`; did you mean `cascade`?");
  EXPECT_EQ(error_of(head + "{type: int, references: p.id, on_update: setnull}\n"),
            "m.yaml:6:56: unknown action `setnull` for `on_update` in column `parent` of model "
            "`P`; did you mean `set null`?");
  EXPECT_EQ(error_of(head + "{type: int, references: p.id, on_delete: explode}\n"),
            "m.yaml:6:56: unknown action `explode` for `on_delete` in column `parent` of model "
            "`P`; expected `cascade`, `set null`, `set default`, `restrict` or `no action`");
  EXPECT_EQ(error_of(head + "{type: int, on_delete: cascade}\n"),
            "m.yaml:6:27: `on_delete` in column `parent` of model `P` needs `references`; add "
            "`references: table.column`");
}

TEST(ManifestErrors, PrimaryKeyCannotBeNullable) {
  EXPECT_EQ(error_of(with_columns("      id: {type: int, primary_key: true, nullable: true}\n")),
            "m.yaml:6:52: column `id` of model `User` is a primary key and cannot be nullable; "
            "remove `nullable: true`");
}

// A `;` would end pgparity's own statement: `COMMIT` there ends the transaction that keeps the
// scratch tables and probe rows rolled back.
TEST(ManifestErrors, StatementsInsideFragments) {
  EXPECT_EQ(error_of(with_columns("      id: {type: 'int; COMMIT', primary_key: true}\n")),
            "m.yaml:6:7: `type` of column `id` of model `User` holds `;` (`int; COMMIT`); it is "
            "one SQL type or expression, not statements: remove the `;` and what follows it (a "
            "string literal can spell it chr(59))");
  EXPECT_EQ(error_of(with_columns("      n: {type: int, default: '1; ROLLBACK'}\n")),
            "m.yaml:6:7: `default` of column `n` of model `User` holds `;` (`1; ROLLBACK`); it "
            "is one SQL type or expression, not statements: remove the `;` and what follows it "
            "(a string literal can spell it chr(59))");
  EXPECT_EQ(error_of(with_columns("      n: {type: int, sample: ';'}\n")),
            "m.yaml:6:7: `sample` of column `n` of model `User` holds `;` (`;`); it is one SQL "
            "type or expression, not statements: remove the `;` and what follows it (a string "
            "literal can spell it chr(59))");
  EXPECT_EQ(error_of(with_columns("      n: int\n    checks: ['n > 0); COMMIT; SELECT (1']\n")),
            "m.yaml:7:14: a check's `expression` of model `User` holds `;` (`n > 0); COMMIT; "
            "SELECT (1`); it is one SQL type or expression, not statements: remove the `;` and "
            "what follows it (a string literal can spell it chr(59))");
  // The whole-document path (a flow-style `models:`) says the same.
  EXPECT_EQ(error_of("models: {User: {table: users, columns: {id: 'int;'}}}\n"),
            "m.yaml:1:41: `type` of column `id` of model `User` holds `;` (`int;`); it is one SQL "
            "type or expression, not statements: remove the `;` and what follows it (a string "
            "literal can spell it chr(59))");
}

// yaml-cpp would read the first document and ignore the rest without a word.
TEST(ManifestErrors, SecondDocument) {
  const std::string message =
      ": a second YAML document (`---`) starts here; pgparity reads one document per file: "
      "remove this line and merge what follows into the document above";
  EXPECT_EQ(error_of(with_columns("      id: int\n---\nmodels:\n  Other: {table: o}\n")),
            "m.yaml:7:1" + message);
  EXPECT_EQ(error_of("---\n# one\nmodels: {User: {table: users}}\n--- # two\nx: 1\n"),
            "m.yaml:4:1" + message);
  EXPECT_EQ(error_of("models: {User: {table: users, columns: {id: int}}}\n---\n"),
            "m.yaml:2:1" + message);
  // A leading `---` and a `---` inside a value are one document.
  EXPECT_EQ(error_of("---\nmodels:\n  User:\n    table: users\n    columns: {id: int}\n"
                     "    checks: ['id <> 0 --- fine']\n"),
            "(no error)");
}

TEST(ManifestErrors, LoadManifestNamesAMissingFile) {
  try {
    load_manifest("/nonexistent/models.yaml");
    FAIL() << "no error";
  } catch (const input_error& e) {
    EXPECT_STREQ(e.what(),
                 "/nonexistent/models.yaml: cannot read the manifest (no such file); check the "
                 "path and its permissions");
  }
}

}  // namespace
}  // namespace pgparity
