// Foreign keys, indexes, unique sets and check constraints.
#include <gtest/gtest.h>

#include "checks/checks.h"
#include "checks/checks_test_support.h"

namespace pgparity {
namespace {

using namespace test_support;

snapshot with(const std::vector<table_info>& tables) { return make_snapshot(tables); }

// --- foreign keys ---

TEST(ForeignKeys, PassOnAMatchingPair) {
  const manifest m = rbac_manifest();
  for (const auto& model_entry : m.models) {
    EXPECT_TRUE(check_foreign_keys(model_entry, with(rbac_tables())).empty());
  }
}

TEST(ForeignKeys, MissingNamedForeignKey) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  auto& fks = table(tables, "user_roles").foreign_keys;
  fks.erase(fks.begin());
  const findings found = check_foreign_keys(m.models[2], with(tables));
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.kind, check_kind::foreign_keys_match);
  EXPECT_EQ(f.object, object_kind::foreign_key);
  EXPECT_EQ(f.name, "fk_user_roles_user_id");
  EXPECT_TRUE(f.missing());
  EXPECT_EQ(f.expected, "(user_id) REFERENCES users (id) ON DELETE CASCADE");
  EXPECT_EQ(f.actual, "");
  EXPECT_EQ(f.location.str(), "db/models.yaml:31:7");
  EXPECT_EQ(f.fix_sql,
            "ALTER TABLE user_roles ADD CONSTRAINT fk_user_roles_user_id FOREIGN KEY (user_id) "
            "REFERENCES users (id) ON DELETE CASCADE;");
}

TEST(ForeignKeys, MissingUnnamedForeignKeyGetsTheConventionalName) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "user_roles").foreign_keys.pop_back();
  table(tables, "roles").name = "role";
  const findings found = check_foreign_keys(m.models[2], with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::foreign_key);
  EXPECT_EQ(found[0].name, "(role_id)");
  EXPECT_EQ(found[0].why.kind, cause_kind::referenced_table_missing);
  EXPECT_EQ(found[0].why.object, "roles");
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE user_roles ADD CONSTRAINT fk_user_roles_role_id FOREIGN KEY (role_id) "
            "REFERENCES roles (id) ON DELETE CASCADE;");
}

TEST(ForeignKeys, WrongOnDeleteIsADifferenceNotAMissingKey) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "user_roles").foreign_keys[1].on_delete = "no action";
  const findings found = check_foreign_keys(m.models[2], with(tables));
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.object, object_kind::foreign_key);
  EXPECT_EQ(f.name, "(role_id)");
  EXPECT_EQ(attributes(f), (std::vector<attribute>{attribute::on_delete}));
  EXPECT_EQ(f.expected, "(role_id) REFERENCES roles (id) ON DELETE CASCADE");
  EXPECT_EQ(f.actual, "(role_id) REFERENCES roles (id) ON DELETE NO ACTION ON UPDATE NO ACTION");
  EXPECT_EQ(f.fix_sql,
            "ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_id_fkey;\n"
            "ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_id_fkey FOREIGN KEY (role_id) "
            "REFERENCES roles (id) ON DELETE CASCADE;");
}

TEST(ForeignKeys, SeveralDifferencesAreNamedTogether) {
  manifest m = rbac_manifest();
  model(m, "UserRole").foreign_keys[0].on_update = "set null";
  auto tables = rbac_tables();
  table(tables, "user_roles").foreign_keys[0].on_delete = "restrict";
  const findings found = check_foreign_keys(model(m, "UserRole"), with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]),
            (std::vector<attribute>{attribute::on_delete, attribute::on_update}));
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE user_roles DROP CONSTRAINT fk_user_roles_user_id;\n"
            "ALTER TABLE user_roles ADD CONSTRAINT fk_user_roles_user_id FOREIGN KEY (user_id) "
            "REFERENCES users (id) ON DELETE CASCADE ON UPDATE SET NULL;");
}

TEST(ForeignKeys, UndeclaredActionIsNotCompared) {
  manifest m = rbac_manifest();
  model(m, "UserRole").foreign_keys[1].on_delete.reset();
  auto tables = rbac_tables();
  table(tables, "user_roles").foreign_keys[1].on_delete = "set null";
  EXPECT_TRUE(check_foreign_keys(model(m, "UserRole"), with(tables)).empty());
}

TEST(ForeignKeys, DeclaredNameIsCompared) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "user_roles").foreign_keys[0].name = "user_roles_user_id_fkey";
  const findings found = check_foreign_keys(m.models[2], with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::name}));
  EXPECT_EQ(found[0].expected, "fk_user_roles_user_id");
  EXPECT_EQ(found[0].actual, "user_roles_user_id_fkey");
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE user_roles RENAME CONSTRAINT user_roles_user_id_fkey TO "
            "fk_user_roles_user_id;");
}

TEST(ForeignKeys, WrongReferencedTable) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "user_roles").foreign_keys[1].ref_table = "users";
  const findings found = check_foreign_keys(m.models[2], with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::referenced_table}));
}

// --- indexes ---

index_spec index(const std::string& name, std::vector<std::string> keys) {
  index_spec spec;
  spec.name = name;
  spec.keys = std::move(keys);
  spec.location = at(15);
  return spec;
}

index_info db_index(const std::string& name, std::vector<std::string> keys) {
  index_info info;
  info.name = name;
  info.keys = std::move(keys);
  info.method = "btree";
  return info;
}

TEST(Indexes, PassOnAMatchingPair) {
  const manifest m = rbac_manifest();
  for (const auto& model_entry : m.models) {
    EXPECT_TRUE(check_indexes(model_entry, with(rbac_tables())).empty());
  }
}

TEST(Indexes, MissingIndexWithItsPredicate) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "users").indexes[1].name = "ix_users_created";
  table(tables, "users").indexes[1].keys = {"created_at", "id"};
  const findings found = check_indexes(m.models[0], with(tables));
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.kind, check_kind::indexes_match);
  EXPECT_EQ(f.object, object_kind::index);
  EXPECT_EQ(f.name, "ix_users_created_at");
  EXPECT_TRUE(f.missing());
  EXPECT_EQ(f.expected, "(created_at) WHERE NOT is_deleted");
  EXPECT_EQ(f.suggestion, "ix_users_created");
  EXPECT_EQ(f.location.str(), "db/models.yaml:14:7");
  EXPECT_EQ(f.fix_sql,
            "CREATE INDEX ix_users_created_at ON users (created_at) WHERE NOT is_deleted;");
}

TEST(Indexes, WrongColumnOrder) {
  manifest m = rbac_manifest();
  model(m, "UserRole").indexes = {index("ix_user_roles_role_user", {"role_id", "user_id"})};
  auto tables = rbac_tables();
  table(tables, "user_roles")
      .indexes.push_back(db_index("ix_user_roles_role_user", {"user_id", "role_id"}));
  const findings found = check_indexes(model(m, "UserRole"), with(tables));
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(attributes(f), (std::vector<attribute>{attribute::column_order}));
  EXPECT_EQ(f.expected, "(role_id, user_id)");
  EXPECT_EQ(f.actual, "(user_id, role_id)");
  EXPECT_EQ(f.fix_sql,
            "DROP INDEX ix_user_roles_role_user;\n"
            "CREATE INDEX ix_user_roles_role_user ON user_roles (role_id, user_id);");
}

TEST(Indexes, UnnamedIndexInTheWrongOrderIsFoundByItsColumns) {
  manifest m = rbac_manifest();
  index_spec unnamed = index("", {"role_id", "user_id"});
  unnamed.name.reset();
  model(m, "UserRole").indexes = {unnamed};
  auto tables = rbac_tables();
  table(tables, "user_roles").indexes.push_back(db_index("ix_pair", {"user_id", "role_id"}));
  const findings found = check_indexes(model(m, "UserRole"), with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::index);
  EXPECT_EQ(found[0].name, "(role_id, user_id)");
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::column_order}));
  EXPECT_EQ(found[0].fix_sql,
            "DROP INDEX ix_pair;\nCREATE INDEX ix_pair ON user_roles (role_id, user_id);");
}

TEST(Indexes, MissingPredicate) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "users").indexes[1].predicate.reset();
  const findings found = check_indexes(m.models[0], with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::predicate_missing}));
  EXPECT_EQ(found[0].expected, "(created_at) WHERE NOT is_deleted");
  EXPECT_EQ(found[0].actual, "(created_at)");
  EXPECT_EQ(found[0].fix_sql,
            "DROP INDEX ix_users_created_at;\n"
            "CREATE INDEX ix_users_created_at ON users (created_at) WHERE NOT is_deleted;");
}

TEST(Indexes, DifferentPredicateUniqueAndMethod) {
  manifest m = rbac_manifest();
  index_spec& spec = model(m, "User").indexes[0];
  spec.unique = true;
  spec.method = "BTREE";
  EXPECT_EQ(check_indexes(model(m, "User"), with(rbac_tables())).size(), 1u);
  spec.unique = false;
  EXPECT_TRUE(check_indexes(model(m, "User"), with(rbac_tables())).empty());

  auto tables = rbac_tables();
  table(tables, "users").indexes[1].predicate = "is_deleted";
  table(tables, "users").indexes[1].method = "hash";
  const findings found = check_indexes(model(m, "User"), with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]),
            (std::vector<attribute>{attribute::predicate, attribute::method}));
  EXPECT_EQ(found[0].expected, "USING btree (created_at) WHERE NOT is_deleted");
  EXPECT_EQ(found[0].actual, "USING hash (created_at) WHERE is_deleted");
  EXPECT_EQ(found[0].fix_sql,
            "DROP INDEX ix_users_created_at;\n"
            "CREATE INDEX ix_users_created_at ON users USING btree (created_at) WHERE NOT "
            "is_deleted;");
}

TEST(Indexes, SameIndexUnderAnotherNameIsRenamed) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "users").indexes[1].name = "users_created_at_idx";
  const findings found = check_indexes(m.models[0], with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::name}));
  EXPECT_EQ(found[0].fix_sql, "ALTER INDEX users_created_at_idx RENAME TO ix_users_created_at;");
}

TEST(Indexes, ExpressionKeys) {
  manifest m = rbac_manifest();
  index_spec lower_email = index("", {"lower(email)"});
  lower_email.name.reset();
  lower_email.unique = true;
  model(m, "User").indexes = {lower_email};
  const findings found = check_indexes(model(m, "User"), with(rbac_tables()));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::index);
  EXPECT_EQ(found[0].name, "(lower(email))");
  EXPECT_EQ(found[0].fix_sql,
            "CREATE UNIQUE INDEX ix_users_lower_email ON users ((lower(email)));");
  auto tables = rbac_tables();
  index_info found_index = db_index("ix_users_lower_email", {"lower((email)::text)"});
  found_index.unique = true;
  table(tables, "users").indexes.push_back(found_index);
  model(m, "User").indexes[0].canonical_keys = {"lower((email)::text)"};
  EXPECT_TRUE(check_indexes(model(m, "User"), with(tables)).empty());
}

TEST(Indexes, KeyOptionsAreComparedPerKey) {
  manifest m = rbac_manifest();
  index_spec recent = index("ix_users_recent", {"created_at DESC NULLS LAST", "email"});
  recent.canonical_keys = {"created_at DESC NULLS LAST", "email"};
  model(m, "User").indexes = {recent};
  auto tables = rbac_tables();
  table(tables, "users").indexes.push_back(db_index("ix_users_recent", {"created_at", "email"}));
  const findings found = check_indexes(model(m, "User"), with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::key_options}));
  EXPECT_EQ(found[0].expected, "(created_at DESC NULLS LAST, email)");
  EXPECT_EQ(found[0].actual, "(created_at, email)");
  EXPECT_EQ(found[0].fix_sql,
            "DROP INDEX ix_users_recent;\n"
            "CREATE INDEX ix_users_recent ON users (created_at DESC NULLS LAST, email);");
  table(tables, "users").indexes.back().keys = {"created_at DESC NULLS LAST", "email"};
  EXPECT_TRUE(check_indexes(model(m, "User"), with(tables)).empty());
}

TEST(Indexes, AnUnnamedIndexThatLostItsOptionsIsFoundNotMissing) {
  manifest m = rbac_manifest();
  index_spec prefix = index("", {"email text_pattern_ops"});
  prefix.name.reset();
  model(m, "User").indexes = {prefix};
  auto tables = rbac_tables();
  table(tables, "users").indexes.push_back(db_index("ix_email", {"email"}));
  const findings found = check_indexes(model(m, "User"), with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::key_options}));
  EXPECT_EQ(found[0].fix_sql,
            "DROP INDEX ix_email;\nCREATE INDEX ix_email ON users (email text_pattern_ops);");
}

TEST(Indexes, IncludeColumnsAreComparedWhenDeclared) {
  manifest m = rbac_manifest();
  index_spec covering = index("ix_users_email_cover", {"email"});
  model(m, "User").indexes = {covering};
  auto tables = rbac_tables();
  index_info found_index = db_index("ix_users_email_cover", {"email"});
  found_index.include = {"status"};
  table(tables, "users").indexes.push_back(found_index);
  EXPECT_TRUE(check_indexes(model(m, "User"), with(tables)).empty());  // not declared: not checked
  model(m, "User").indexes[0].include = std::vector<std::string>{"status", "created_at"};
  const findings found = check_indexes(model(m, "User"), with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::include}));
  EXPECT_EQ(found[0].expected, "(email) INCLUDE (status, created_at)");
  EXPECT_EQ(found[0].actual, "(email) INCLUDE (status)");
  EXPECT_EQ(found[0].fix_sql,
            "DROP INDEX ix_users_email_cover;\n"
            "CREATE INDEX ix_users_email_cover ON users (email) INCLUDE (status, created_at);");
  model(m, "User").indexes[0].include = std::vector<std::string>{};
  EXPECT_EQ(check_indexes(model(m, "User"), with(tables)).size(), 1u);
}

// --- unique sets ---

TEST(Uniques, PassOnAMatchingPair) {
  const manifest m = rbac_manifest();
  for (const auto& model_entry : m.models) {
    EXPECT_TRUE(check_uniques(model_entry, with(rbac_tables())).empty());
  }
}

TEST(Uniques, MissingUniquePair) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "user_roles").uniques.clear();
  table(tables, "user_roles").indexes.pop_back();
  const findings found = check_uniques(m.models[2], with(tables));
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.kind, check_kind::uniques_match);
  EXPECT_EQ(f.object, object_kind::unique);
  EXPECT_EQ(f.name, "(user_id, role_id)");
  EXPECT_TRUE(f.missing());
  EXPECT_EQ(f.expected, "UNIQUE (user_id, role_id)");
  EXPECT_EQ(f.actual, "");
  EXPECT_EQ(f.location.str(), "db/models.yaml:29:7");
  EXPECT_EQ(f.fix_sql,
            "ALTER TABLE user_roles ADD CONSTRAINT uq_user_roles_user_id_role_id UNIQUE (user_id, "
            "role_id);");
}

TEST(Uniques, AUniqueIndexInAnyColumnOrderEnforcesTheSet) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table_info& user_roles = table(tables, "user_roles");
  user_roles.uniques.clear();
  user_roles.indexes.back().constraint_name.reset();
  user_roles.indexes.back().keys = {"role_id", "user_id"};
  EXPECT_TRUE(check_uniques(m.models[2], with(tables)).empty());

  user_roles.indexes.back().unique = false;
  const findings found = check_uniques(m.models[2], with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].why.kind, cause_kind::index_not_unique);
  EXPECT_EQ(found[0].why.object, "user_roles_user_id_role_id_key");
}

TEST(Uniques, APartialUniqueIndexCountsOnlyWhenSoftDeletedDuplicatesAreAllowed) {
  manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table_info& users = table(tables, "users");
  users.uniques.clear();
  users.indexes[2].constraint_name.reset();
  users.indexes[2].predicate = "(NOT is_deleted)";
  findings found = check_uniques(model(m, "User"), with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::unique);
  EXPECT_EQ(found[0].name, "uq_users_email");
  EXPECT_EQ(found[0].why.kind, cause_kind::index_partial);
  EXPECT_EQ(found[0].why.object, "uq_users_email");
  EXPECT_EQ(found[0].why.value, "NOT is_deleted");
  EXPECT_EQ(found[0].fix_sql, "ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);");

  model(m, "User").uniques[0].allows_soft_deleted_duplicates = true;
  EXPECT_TRUE(check_uniques(model(m, "User"), with(tables)).empty());
  users.indexes.pop_back();
  found = check_uniques(model(m, "User"), with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].fix_sql,
            "CREATE UNIQUE INDEX uq_users_email ON users (email) WHERE NOT is_deleted;");
}

TEST(Uniques, DeclaredNameIsCompared) {
  manifest m = rbac_manifest();
  model(m, "UserRole").uniques[0].name = "uq_user_roles_user_id";
  const findings found = check_uniques(model(m, "UserRole"), with(rbac_tables()));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::unique);
  EXPECT_EQ(found[0].name, "uq_user_roles_user_id");
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::name}));
  EXPECT_EQ(found[0].expected, "uq_user_roles_user_id");
  EXPECT_EQ(found[0].actual, "user_roles_user_id_role_id_key");
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE user_roles RENAME CONSTRAINT user_roles_user_id_role_id_key TO "
            "uq_user_roles_user_id;");
}

// --- check constraints ---

TEST(CheckConstraints, PassOnAMatchingPair) {
  const manifest m = rbac_manifest();
  for (const auto& model_entry : m.models) {
    EXPECT_TRUE(check_checks(model_entry, with(rbac_tables())).empty());
  }
}

TEST(CheckConstraints, DifferentExpression) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "users").checks[0].expression = "(length((email)::text) > 3)";
  const findings found = check_checks(m.models[0], with(tables));
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.kind, check_kind::checks_match);
  EXPECT_EQ(f.object, object_kind::check);
  EXPECT_EQ(f.name, "ck_users_email_not_blank");
  EXPECT_EQ(attributes(f), (std::vector<attribute>{attribute::expression}));
  EXPECT_EQ(f.expected, "CHECK ((email)::text <> ''::text)");
  EXPECT_EQ(f.actual, "CHECK (length((email)::text) > 3)");
  EXPECT_EQ(f.location.str(), "db/models.yaml:18:7");
  EXPECT_EQ(f.fix_sql,
            "ALTER TABLE users DROP CONSTRAINT ck_users_email_not_blank;\n"
            "ALTER TABLE users ADD CONSTRAINT ck_users_email_not_blank CHECK ((email)::text <> "
            "''::text);");
}

TEST(CheckConstraints, MissingUnnamedCheckGetsTheConventionalName) {
  manifest m = rbac_manifest();
  check_spec positive;
  positive.expression = "length(name) > 0";
  positive.location = at(23);
  model(m, "Role").checks = {positive};
  const findings found = check_checks(model(m, "Role"), with(rbac_tables()));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::check);
  EXPECT_EQ(found[0].name, "(length(name) > 0)");
  EXPECT_TRUE(found[0].missing());
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE roles ADD CONSTRAINT ck_roles_1 CHECK (length(name) > 0);");

  auto tables = rbac_tables();  // written spelling, compared loosely with the server's print
  table(tables, "roles").checks = {{"roles_name_check", "((length(name) > 0))", ""}};
  EXPECT_TRUE(check_checks(model(m, "Role"), with(tables)).empty());
}

TEST(CheckConstraints, SameExpressionUnderAnotherName) {
  const manifest m = rbac_manifest();
  auto tables = rbac_tables();
  table(tables, "users").checks[0].name = "users_email_check";
  const findings found = check_checks(m.models[0], with(tables));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::name}));
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TABLE users RENAME CONSTRAINT users_email_check TO ck_users_email_not_blank;");
}

}  // namespace
}  // namespace pgparity
