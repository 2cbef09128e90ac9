// Duplicate probes against real schemas: unique constraints, unique indexes, none at all, the
// wrong name, a narrower constraint, primary keys, soft-deleted duplicates and rows synthesis
// cannot build.
#include "probes/probes_test_support.h"

namespace pgparity::probes_test {
namespace {

class DuplicateProbe : public probe_test {
 protected:
  // user_roles as in seed 000, with `extra` appended to the table definition.
  void create_user_roles(const std::string& extra) {
    run("CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL);"
        "CREATE TABLE roles (id serial PRIMARY KEY, name varchar(50) NOT NULL UNIQUE);"
        "CREATE TABLE user_roles (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
        "  user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,"
        "  role_id integer NOT NULL REFERENCES roles ON DELETE CASCADE,"
        "  granted_at timestamptz NOT NULL DEFAULT now()" +
        extra + ");");
  }
  model_spec user_roles(std::optional<std::string> name = std::nullopt) {
    model_spec m = model("UserRole", "user_roles",
                         {key_column("id", "uuid"), column("user_id", "uuid", false),
                          column("role_id", "integer", false)});
    m.uniques.push_back(unique({"user_id", "role_id"}, std::move(name)));
    m.uniques.back().location = {"models.yaml", 30, 9};
    return m;
  }
  std::vector<probe_result> probe(const model_spec& m) {
    return probe_duplicates(conn(), m, schema());
  }
};

TEST_F(DuplicateProbe, PassesWithAUniqueConstraintAndChecksThePrimaryKeyToo) {
  create_user_roles(", CONSTRAINT uq_user_roles UNIQUE (user_id, role_id)");
  const auto results = probe(user_roles());
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(summary(results[0]),
            "passed: a second row with the same (id) as the first was refused with SQLSTATE 23505 "
            "by \"user_roles_pkey\"")
      << all_steps(results[0]);
  EXPECT_EQ(results[0].subject, "user_roles primary key (id)");
  EXPECT_EQ(summary(results[1]),
            "passed: a second row with the same (user_id, role_id) as the first was refused with "
            "SQLSTATE 23505 by \"uq_user_roles\"")
      << all_steps(results[1]);
  EXPECT_EQ(results[1].subject, "user_roles unique (user_id, role_id)");
  EXPECT_EQ(results[1].location.str(), "models.yaml:30:9");
}

TEST_F(DuplicateProbe, PassesWithAUniqueIndexInEitherColumnOrder) {
  create_user_roles("");
  run("CREATE UNIQUE INDEX ix_user_roles_pair ON user_roles (role_id, user_id);");
  const auto results = probe(user_roles("ix_user_roles_pair"));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(summary(results[1]),
            "passed: a second row with the same (user_id, role_id) as the first was refused with "
            "SQLSTATE 23505 by constraint \"ix_user_roles_pair\"");
}

TEST_F(DuplicateProbe, FailsWithoutAnyUniqueConstraintSayingTheSecondInsertWasAccepted) {
  create_user_roles("");
  const auto results = probe(user_roles());
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, probe_outcome::passed);
  EXPECT_EQ(summary(results[1]),
            "failed: a second row with the same (user_id, role_id) as the first was accepted: "
            "expected the INSERT to be refused with SQLSTATE 23505 by a unique constraint or index "
            "on (user_id, role_id)");
}

TEST_F(DuplicateProbe, FailsWhenTheConstraintHasAnotherName) {
  create_user_roles(", CONSTRAINT uq_something_else UNIQUE (user_id, role_id)");
  EXPECT_EQ(summary(probe(user_roles("uq_user_roles_user_id_role_id"))[1]),
            "failed: a second row with the same (user_id, role_id) as the first was refused by "
            "\"uq_something_else\" (duplicate key value violates unique constraint "
            "\"uq_something_else\"): expected constraint \"uq_user_roles_user_id_role_id\"");
}

TEST_F(DuplicateProbe, FailsWhenANarrowerConstraintRefusesTheRow) {
  create_user_roles(", CONSTRAINT uq_user_only UNIQUE (user_id)");
  EXPECT_EQ(summary(probe(user_roles())[1]),
            "failed: a second row with the same (user_id, role_id) as the first was refused by "
            "\"uq_user_only\", which covers only part of (user_id, role_id): expected a unique "
            "constraint or index on (user_id, role_id)");
}

TEST_F(DuplicateProbe, VariesOtherUniqueColumnsAndIdentityPrimaryKeys) {
  run("CREATE TYPE plan AS ENUM ('free', 'pro');"
      "CREATE TABLE accounts (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
      "  slug varchar(3) NOT NULL UNIQUE, email text NOT NULL, plan plan NOT NULL,"
      "  CONSTRAINT uq_accounts_email_plan UNIQUE (email, plan));");
  model_spec m = model("Account", "accounts", {key_column("id", "integer")});
  m.uniques = {unique({"email", "plan"}, "uq_accounts_email_plan"), unique({"slug"})};
  const auto results = probe(m);
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) {
    EXPECT_EQ(r.outcome, probe_outcome::passed) << summary(r) << "\n" << all_steps(r);
  }
}

TEST_F(DuplicateProbe, SoftDeletedDuplicatesAreAcceptedWhenThePartialIndexSaysSo) {
  run("CREATE TABLE products (id serial PRIMARY KEY, sku text NOT NULL,"
      "  is_deleted boolean NOT NULL DEFAULT false);"
      "CREATE UNIQUE INDEX uq_products_sku ON products (sku) WHERE NOT is_deleted;");
  model_spec m = model("Product", "products", {key_column("id", "serial")});
  m.soft_delete = "is_deleted";
  m.uniques = {unique({"sku"}, "uq_products_sku")};
  m.uniques[0].allows_soft_deleted_duplicates = true;
  auto results = probe(m);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].outcome, probe_outcome::passed) << summary(results[1]);
  EXPECT_EQ(summary(results[2]),
            "passed: a second row with the same (sku) as a soft-deleted row was accepted, as "
            "allows_soft_deleted_duplicates declares")
      << all_steps(results[2]);
  EXPECT_EQ(results[2].subject,
            "products unique (sku) uq_products_sku allows a duplicate of a soft-deleted row");

  run("DROP INDEX uq_products_sku; CREATE UNIQUE INDEX uq_products_sku ON products (sku);");
  results = probe(m);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].outcome, probe_outcome::passed) << summary(results[1]);
  EXPECT_EQ(summary(results[2]),
            "failed: a second row with the same (sku) as a soft-deleted row (is_deleted = true) "
            "was refused: duplicate key value violates unique constraint \"uq_products_sku\": "
            "expected it to be accepted, as allows_soft_deleted_duplicates declares (a unique "
            "index WHERE the row is not deleted)");
}

TEST_F(DuplicateProbe, SoftDeleteWithATimestampFlag) {
  run("CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL, deleted_at timestamptz);"
      "CREATE UNIQUE INDEX uq_tags_name ON tags (name) WHERE deleted_at IS NULL;");
  model_spec m = model("Tag", "tags", {key_column("id", "serial")});
  m.soft_delete = "deleted_at";
  m.uniques = {unique({"name"})};
  m.uniques[0].allows_soft_deleted_duplicates = true;
  for (const auto& r : probe(m)) {
    EXPECT_EQ(r.outcome, probe_outcome::passed) << summary(r) << "\n" << all_steps(r);
  }
}

TEST_F(DuplicateProbe, UnsatisfiableCheckIsSkippedNeverPassedAndASampleMakesItPass) {
  run("CREATE TABLE coupons (id serial PRIMARY KEY, code text NOT NULL UNIQUE,"
      "  batch text NOT NULL CONSTRAINT ck_batch CHECK (length(batch) = 7 AND batch ~ '^X'))");
  model_spec m = model("Coupon", "coupons", {key_column("id", "serial"), column("batch", "text")});
  m.uniques = {unique({"code"})};
  auto results = probe(m);
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    EXPECT_EQ(summary(r),
              "skipped: the INSERT into coupons was refused: new row for relation \"coupons\" "
              "violates check constraint \"ck_batch\" (SQLSTATE 23514); a manifest `sample:` "
              "value for the column can supply a valid one");
  }
  m.columns[1].sample = "'XABCDEF'";
  results = probe(m);
  for (const auto& r : results) EXPECT_EQ(r.outcome, probe_outcome::passed) << summary(r);
}

TEST_F(DuplicateProbe, MissingColumnsAreSkipped) {
  create_user_roles("");
  model_spec m = user_roles();
  m.uniques[0].columns = {"user_id", "scope"};
  EXPECT_EQ(summary(probe(m)[1]),
            "skipped: column user_roles.scope does not exist, so uniqueness of (user_id, scope) "
            "cannot be probed");
}

}  // namespace
}  // namespace pgparity::probes_test
