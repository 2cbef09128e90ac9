// Every form the manifest accepts, and what it loads into.
#include <gtest/gtest.h>

#include "manifest/load_manifest.h"
#include "manifest/manifest_equal.h"

namespace pgparity {
namespace {

// The example of PRODUCT.md, verbatim but for the Role model that UserRole references.
const char* const product_example = R"yaml(version: 1
schema: public
enums:
  user_status: [pending, active, suspended]
models:
  User:
    table: users
    soft_delete: is_deleted
    columns:
      id:         {type: uuid, primary_key: true, default: gen_random_uuid()}
      email:      {type: varchar(255), nullable: false}
      status:     {type: user_status, nullable: false, default: "'pending'"}
      is_deleted: {type: boolean, nullable: false, default: "false"}
      created_at: {type: timestamptz, nullable: false, default: now()}
    indexes:
      - {name: ix_users_created_at, columns: [created_at], where: "NOT is_deleted"}
    unique:
      - {name: uq_users_email, columns: [email]}
    checks:
      - {name: ck_users_email_not_blank, expression: "email <> ''"}
  Role:
    table: roles
    columns:
      id: {type: uuid, primary_key: true}
  UserRole:
    table: user_roles
    columns:
      id:      {type: uuid, primary_key: true}
      user_id: {type: uuid, nullable: false, references: users.id, on_delete: cascade}
      role_id: {type: uuid, nullable: false, references: roles.id, on_delete: cascade}
    unique:
      - [user_id, role_id]
    foreign_keys:
      - {name: fk_user_roles_user_id, columns: [user_id], references: {table: users, columns: [id]}, on_delete: cascade}
)yaml";

TEST(ManifestForms, ProductExampleLoads) {
  const manifest m = parse_manifest(product_example, "models.yaml");
  EXPECT_EQ(m.version, 1);
  EXPECT_EQ(m.file, "models.yaml");
  EXPECT_EQ(m.schema, "public");
  ASSERT_EQ(m.enums.size(), 1u);
  EXPECT_EQ(m.enums[0].name, "user_status");
  EXPECT_EQ(m.enums[0].schema, "public");
  EXPECT_EQ(m.enums[0].labels, (std::vector<std::string>{"pending", "active", "suspended"}));
  EXPECT_EQ(m.enums[0].location.str(), "models.yaml:4:3");

  ASSERT_EQ(m.models.size(), 3u);
  const model_spec& user = m.models[0];
  EXPECT_EQ(user.name, "User");
  EXPECT_EQ(user.table, "users");
  EXPECT_EQ(user.schema, "public");
  EXPECT_EQ(user.soft_delete, "is_deleted");
  EXPECT_EQ(user.location.str(), "models.yaml:6:3");
  ASSERT_EQ(user.columns.size(), 5u);
  EXPECT_EQ(user.columns[0].name, "id");
  EXPECT_EQ(user.columns[0].location.str(), "models.yaml:10:7");
  EXPECT_TRUE(user.columns[0].primary_key);
  EXPECT_FALSE(user.columns[0].nullable);
  EXPECT_TRUE(user.columns[0].default_declared);
  EXPECT_EQ(user.columns[0].default_expr, "gen_random_uuid()");
  EXPECT_EQ(user.columns[1].type, "varchar(255)");
  EXPECT_FALSE(user.columns[1].nullable);
  EXPECT_FALSE(user.columns[1].default_declared);
  EXPECT_EQ(user.columns[1].default_expr, std::nullopt);
  EXPECT_EQ(user.columns[1].enum_name, std::nullopt);
  EXPECT_EQ(user.columns[2].enum_name, "user_status");
  EXPECT_EQ(user.columns[2].default_expr, "'pending'");
  EXPECT_EQ(user.columns[3].default_expr, "false");
  EXPECT_EQ(user.columns[4].default_expr, "now()");
  EXPECT_EQ(user.primary_key(), std::vector<std::string>{"id"});

  ASSERT_EQ(user.indexes.size(), 1u);
  EXPECT_EQ(user.indexes[0].name, "ix_users_created_at");
  EXPECT_EQ(user.indexes[0].keys, std::vector<std::string>{"created_at"});
  EXPECT_EQ(user.indexes[0].predicate, "NOT is_deleted");
  EXPECT_EQ(user.indexes[0].unique, std::nullopt);
  EXPECT_EQ(user.indexes[0].method, std::nullopt);
  EXPECT_EQ(user.indexes[0].location.str(), "models.yaml:16:9");
  ASSERT_EQ(user.uniques.size(), 1u);
  EXPECT_EQ(user.uniques[0].name, "uq_users_email");
  EXPECT_EQ(user.uniques[0].columns, std::vector<std::string>{"email"});
  EXPECT_FALSE(user.uniques[0].allows_soft_deleted_duplicates);
  EXPECT_EQ(user.uniques[0].location.str(), "models.yaml:18:9");
  ASSERT_EQ(user.checks.size(), 1u);
  EXPECT_EQ(user.checks[0].name, "ck_users_email_not_blank");
  EXPECT_EQ(user.checks[0].expression, "email <> ''");
  EXPECT_EQ(user.checks[0].location.str(), "models.yaml:20:9");

  const model_spec& user_role = m.models[2];
  EXPECT_EQ(user_role.name, "UserRole");
  ASSERT_EQ(user_role.foreign_keys.size(), 3u);
  const foreign_key_spec& short_form = user_role.foreign_keys[0];
  EXPECT_EQ(short_form.name, std::nullopt);
  EXPECT_EQ(short_form.columns, std::vector<std::string>{"user_id"});
  EXPECT_EQ(short_form.ref_schema, "public");
  EXPECT_EQ(short_form.ref_table, "users");
  EXPECT_EQ(short_form.ref_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(short_form.on_delete, "cascade");
  EXPECT_EQ(short_form.on_update, std::nullopt);
  EXPECT_EQ(short_form.location.str(), "models.yaml:29:46");
  EXPECT_EQ(user_role.foreign_keys[1].ref_table, "roles");
  const foreign_key_spec& long_form = user_role.foreign_keys[2];
  EXPECT_EQ(long_form.name, "fk_user_roles_user_id");
  EXPECT_EQ(long_form.ref_table, "users");
  EXPECT_EQ(long_form.ref_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(long_form.on_delete, "cascade");
  EXPECT_EQ(long_form.location.str(), "models.yaml:34:9");
  ASSERT_EQ(user_role.uniques.size(), 1u);
  EXPECT_EQ(user_role.uniques[0].name, std::nullopt);
  EXPECT_EQ(user_role.uniques[0].columns, (std::vector<std::string>{"user_id", "role_id"}));
}

TEST(ManifestForms, LookupMethods) {
  const manifest m = parse_manifest(product_example, "models.yaml");
  ASSERT_NE(m.find_model("UserRole"), nullptr);
  EXPECT_EQ(m.find_model("UserRole")->table, "user_roles");
  EXPECT_EQ(m.find_model("Nobody"), nullptr);
  ASSERT_NE(m.find_table("public", "roles"), nullptr);
  EXPECT_EQ(m.find_table("public", "roles")->name, "Role");
  EXPECT_EQ(m.find_table("other", "roles"), nullptr);
  ASSERT_NE(m.find_enum("user_status"), nullptr);
  EXPECT_NE(m.find_enum("public.user_status"), nullptr);
  EXPECT_EQ(m.find_enum("other.user_status"), nullptr);
  EXPECT_EQ(m.find_enum("mood"), nullptr);
  const model_spec* user = m.find_model("User");
  ASSERT_NE(user->find_column("email"), nullptr);
  EXPECT_EQ(user->find_column("email")->type, "varchar(255)");
  EXPECT_EQ(user->find_column("emial"), nullptr);
  EXPECT_EQ(m.resolve_table("elsewhere", "users"), user);
}

TEST(ManifestForms, MinimalManifestUsesDefaults) {
  const manifest m = parse_manifest("models:\n  Tag:\n    table: tags\n", "m.yaml");
  EXPECT_EQ(m.version, 1);
  EXPECT_EQ(m.schema, "public");
  ASSERT_EQ(m.models.size(), 1u);
  EXPECT_TRUE(m.models[0].columns.empty());
  EXPECT_EQ(m.models[0].soft_delete, std::nullopt);
}

TEST(ManifestForms, EmptySectionsAreAllowed) {
  const manifest m = parse_manifest("version: 1\nenums:\nmodels:\n", "m.yaml");
  EXPECT_TRUE(m.enums.empty());
  EXPECT_TRUE(m.models.empty());
}

TEST(ManifestForms, DefaultsKeepTheirTextAndNullMeansNoDefault) {
  const manifest m = parse_manifest(R"yaml(models:
  T:
    table: t
    columns:
      a: {type: int, default: 0}
      b: {type: boolean, default: false}
      c: {type: text, default: null}
      d: {type: text, default: ~}
      e: {type: text, default:}
      f: {type: text}
      g: {type: numeric, default: 0.10}
      h: {type: text, default: "null"}
      i: {type: text, default: "'it''s'::text"}
)yaml",
                                    "m.yaml");
  const auto& cols = m.models[0].columns;
  EXPECT_EQ(cols[0].default_expr, "0");
  EXPECT_EQ(cols[1].default_expr, "false");
  for (int i : {2, 3, 4}) {
    EXPECT_TRUE(cols[i].default_declared) << cols[i].name;
    EXPECT_EQ(cols[i].default_expr, std::nullopt) << cols[i].name;
  }
  EXPECT_FALSE(cols[5].default_declared);
  EXPECT_EQ(cols[6].default_expr, "0.10");
  EXPECT_EQ(cols[7].default_expr, "null");  // quoted: the word, which the server reads as NULL
  EXPECT_EQ(cols[8].default_expr, "'it''s'::text");
}

TEST(ManifestForms, NullableDefaultsToTrueAndPrimaryKeyIsNeverNull) {
  const manifest m = parse_manifest(R"yaml(models:
  T:
    table: t
    columns:
      a: {type: int, primary_key: true}
      b: {type: int, primary_key: true, nullable: false}
      c: {type: int}
      d: {type: int, nullable: false}
      e: {type: int, nullable: true}
)yaml",
                                    "m.yaml");
  const auto& cols = m.models[0].columns;
  EXPECT_FALSE(cols[0].nullable);
  EXPECT_FALSE(cols[1].nullable);
  EXPECT_TRUE(cols[2].nullable);
  EXPECT_FALSE(cols[3].nullable);
  EXPECT_TRUE(cols[4].nullable);
  EXPECT_EQ(m.models[0].primary_key(), (std::vector<std::string>{"a", "b"}));
}

TEST(ManifestForms, ColumnShorthandIsJustTheType) {
  const manifest m = parse_manifest(
      "enums:\n  mood: [ok]\nmodels:\n  T:\n    table: t\n    columns:\n      a: text\n"
      "      b: mood\n",
      "m.yaml");
  const auto& cols = m.models[0].columns;
  EXPECT_EQ(cols[0].type, "text");
  EXPECT_TRUE(cols[0].nullable);
  EXPECT_FALSE(cols[0].default_declared);
  EXPECT_EQ(cols[1].enum_name, "mood");
  EXPECT_EQ(cols[1].location.str(), "m.yaml:8:7");
}

TEST(ManifestForms, SampleUniqueAndIndexShortForms) {
  const manifest m = parse_manifest(R"yaml(models:
  T:
    table: t
    columns:
      email: {type: text, unique: true, index: true, sample: "'a@example.com'"}
      code: {type: int, unique: false, index: false, sample: 7}
      note: {type: text, sample: null}
)yaml",
                                    "m.yaml");
  const model_spec& t = m.models[0];
  EXPECT_EQ(t.columns[0].sample, "'a@example.com'");
  EXPECT_EQ(t.columns[1].sample, "7");
  EXPECT_EQ(t.columns[2].sample, "NULL");
  ASSERT_EQ(t.uniques.size(), 1u);
  EXPECT_EQ(t.uniques[0].columns, std::vector<std::string>{"email"});
  EXPECT_EQ(t.uniques[0].name, std::nullopt);
  EXPECT_EQ(t.uniques[0].location.str(), "m.yaml:5:27");
  ASSERT_EQ(t.indexes.size(), 1u);
  EXPECT_EQ(t.indexes[0].keys, std::vector<std::string>{"email"});
  EXPECT_EQ(t.indexes[0].unique, std::nullopt);
  EXPECT_EQ(t.indexes[0].location.str(), "m.yaml:5:41");
}

TEST(ManifestForms, IndexesLongAndShortWithExpressions) {
  const manifest m = parse_manifest(R"yaml(models:
  T:
    table: t
    columns:
      email: text
      tags: text[]
      created_at: timestamptz
    indexes:
      - {name: ix_email_lower, columns: ["lower(email)"], unique: true, method: BTREE}
      - {columns: [tags], method: gin, unique: false}
      - [created_at, email]
      - {columns: [created_at DESC, "coalesce(email, '')"], where: "email IS NOT NULL"}
)yaml",
                                    "m.yaml");
  const auto& ix = m.models[0].indexes;
  ASSERT_EQ(ix.size(), 4u);
  EXPECT_EQ(ix[0].name, "ix_email_lower");
  EXPECT_EQ(ix[0].keys, std::vector<std::string>{"lower(email)"});
  EXPECT_EQ(ix[0].unique, true);
  EXPECT_EQ(ix[0].method, "btree");
  EXPECT_EQ(ix[1].name, std::nullopt);
  EXPECT_EQ(ix[1].unique, false);
  EXPECT_EQ(ix[1].method, "gin");
  EXPECT_EQ(ix[2].keys, (std::vector<std::string>{"created_at", "email"}));
  EXPECT_EQ(ix[2].location.str(), "m.yaml:11:9");
  EXPECT_EQ(ix[3].keys, (std::vector<std::string>{"created_at DESC", "coalesce(email, '')"}));
  EXPECT_EQ(ix[3].predicate, "email IS NOT NULL");
}

TEST(ManifestForms, IndexKeysWithOptionsAndIncludeColumns) {
  const manifest m = parse_manifest(R"yaml(models:
  T:
    table: t
    columns:
      code: text
      title: text
      starts_at: timestamptz
    indexes:
      - {columns: [starts_at DESC NULLS LAST, code text_pattern_ops], include: [title]}
      - {columns: ['title COLLATE "C"'], include: []}
      - {columns: [title gin_trgm_ops], method: gin}
)yaml",
                                    "m.yaml");
  const auto& ix = m.models[0].indexes;
  ASSERT_EQ(ix.size(), 3u);
  EXPECT_EQ(ix[0].keys,
            (std::vector<std::string>{"starts_at DESC NULLS LAST", "code text_pattern_ops"}));
  EXPECT_EQ(ix[0].include, std::vector<std::string>{"title"});
  EXPECT_EQ(ix[1].keys, std::vector<std::string>{"title COLLATE \"C\""});
  EXPECT_EQ(ix[1].include, std::vector<std::string>{});  // declared empty: must include nothing
  EXPECT_EQ(ix[2].include, std::nullopt);                // not declared: not checked
}

TEST(ManifestForms, ConstraintAndColumnOptions) {
  const manifest m = parse_manifest(R"yaml(models:
  Room:
    table: rooms
    columns:
      id: {type: bigint, primary_key: true, identity: always}
  Booking:
    table: bookings
    primary_key: {deferrable: true}
    columns:
      id: {type: bigint, primary_key: true, identity: BY DEFAULT}
      room_id: bigint
      code: {type: text, collation: '"C"'}
      total: {type: int, generated: "id * 2"}
    unique:
      - {columns: [code], nulls_not_distinct: true, initially_deferred: true}
    indexes:
      - {columns: [code], unique: true, nulls_not_distinct: false}
    foreign_keys:
      - {columns: [room_id], references: {table: rooms}, deferrable: true}
)yaml",
                                    "m.yaml");
  const model_spec& room = m.models[0];
  const model_spec& booking = m.models[1];
  EXPECT_EQ(room.columns[0].identity, "always");
  EXPECT_FALSE(room.primary_key_deferral.declared());
  EXPECT_EQ(booking.primary_key_deferral.deferrable, true);
  EXPECT_EQ(booking.primary_key_deferral.initially_deferred, std::nullopt);
  EXPECT_EQ(booking.columns[0].identity, "by default");
  EXPECT_EQ(booking.columns[1].identity, std::nullopt);
  EXPECT_EQ(booking.columns[2].collation, "C");
  EXPECT_EQ(booking.columns[3].generated, "id * 2");
  EXPECT_EQ(booking.uniques[0].nulls_not_distinct, true);
  EXPECT_EQ(booking.uniques[0].deferral.deferrable, std::nullopt);  // implied, not written
  EXPECT_EQ(booking.uniques[0].deferral.initially_deferred, true);
  EXPECT_EQ(booking.indexes[0].nulls_not_distinct, false);
  EXPECT_EQ(booking.foreign_keys[0].deferral.deferrable, true);
  EXPECT_EQ(booking.foreign_keys[0].deferral.initially_deferred, std::nullopt);
}

TEST(ManifestForms, UniqueLongFormWithSoftDeletedDuplicates) {
  const manifest m = parse_manifest(R"yaml(models:
  T:
    table: t
    soft_delete: deleted
    columns:
      slug: text
      deleted: {type: boolean, nullable: false, default: "false"}
    unique:
      - {name: uq_t_slug, columns: [slug], allow_soft_deleted_duplicates: true}
)yaml",
                                    "m.yaml");
  const auto& u = m.models[0].uniques;
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].name, "uq_t_slug");
  EXPECT_TRUE(u[0].allows_soft_deleted_duplicates);
}

TEST(ManifestForms, ChecksLongAndShort) {
  const manifest m = parse_manifest(R"yaml(models:
  T:
    table: t
    columns:
      n: int
    checks:
      - {name: ck_n, expression: "n > 0"}
      - "n < 100"
)yaml",
                                    "m.yaml");
  const auto& c = m.models[0].checks;
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].name, "ck_n");
  EXPECT_EQ(c[1].name, std::nullopt);
  EXPECT_EQ(c[1].expression, "n < 100");
}

TEST(ManifestForms, ActionsAreNormalised) {
  const manifest m = parse_manifest(R"yaml(models:
  P:
    table: p
    columns:
      id: {type: int, primary_key: true}
  C:
    table: c
    columns:
      a: {type: int, references: p.id, on_delete: set_null, on_update: CASCADE}
      b: {type: int, references: p.id, on_delete: SET NULL, on_update: No-Action}
      c: {type: int, references: p.id, on_delete: "set   default", on_update: restrict}
)yaml",
                                    "m.yaml");
  const auto& fks = m.models[1].foreign_keys;
  ASSERT_EQ(fks.size(), 3u);
  EXPECT_EQ(fks[0].on_delete, "set null");
  EXPECT_EQ(fks[0].on_update, "cascade");
  EXPECT_EQ(fks[1].on_delete, "set null");
  EXPECT_EQ(fks[1].on_update, "no action");
  EXPECT_EQ(fks[2].on_delete, "set default");
  EXPECT_EQ(fks[2].on_update, "restrict");
}

TEST(ManifestForms, SchemasOnManifestModelsEnumsAndReferences) {
  const manifest m = parse_manifest(R"yaml(schema: app
enums:
  mood: [ok, meh]
  audit.level: [info, warn]
models:
  Account:
    table: accounts
    columns:
      id: {type: bigint, primary_key: true}
      mood: app.mood
  Event:
    table: events
    schema: audit
    columns:
      id: {type: bigint, primary_key: true}
      level: {type: "audit.level[]"}
      account_id: {type: bigint, references: accounts.id}
      parent_id: {type: bigint, references: events.id}
      other_id: {type: bigint, references: audit.events.id}
  Node:
    table: events
    columns:
      id: {type: bigint, primary_key: true}
)yaml",
                                    "m.yaml");
  ASSERT_EQ(m.enums.size(), 2u);
  EXPECT_EQ(m.enums[0].schema, "app");
  EXPECT_EQ(m.enums[1].schema, "audit");
  EXPECT_EQ(m.enums[1].name, "level");
  EXPECT_EQ(m.find_enum("audit.level"), &m.enums[1]);
  EXPECT_EQ(m.models[0].schema, "app");
  EXPECT_EQ(m.models[0].columns[1].enum_name, "app.mood");
  const model_spec& event = m.models[1];
  EXPECT_EQ(event.schema, "audit");
  EXPECT_EQ(event.columns[1].enum_name, "audit.level");
  // Unqualified: the referencing model's schema first, then the manifest's.
  EXPECT_EQ(event.foreign_keys[0].ref_schema, "app");
  EXPECT_EQ(event.foreign_keys[0].ref_table, "accounts");
  EXPECT_EQ(event.foreign_keys[1].ref_schema, "audit");
  EXPECT_EQ(event.foreign_keys[2].ref_schema, "audit");
  EXPECT_EQ(m.find_table("app", "events"), &m.models[2]);
}

TEST(ManifestForms, LongFormForeignKeys) {
  const manifest m = parse_manifest(R"yaml(models:
  Order:
    table: orders
    columns:
      tenant_id: {type: int, primary_key: true}
      id: {type: int, primary_key: true}
  Line:
    table: order_lines
    columns:
      tenant_id: int
      order_id: int
    foreign_keys:
      - name: fk_lines_order
        columns: [tenant_id, order_id]
        references: {table: orders, columns: [tenant_id, id], schema: public}
        on_delete: cascade
        on_update: restrict
      - {columns: [tenant_id, order_id], references: {table: orders}}
)yaml",
                                    "m.yaml");
  const auto& fks = m.models[1].foreign_keys;
  ASSERT_EQ(fks.size(), 2u);
  EXPECT_EQ(fks[0].name, "fk_lines_order");
  EXPECT_EQ(fks[0].columns, (std::vector<std::string>{"tenant_id", "order_id"}));
  EXPECT_EQ(fks[0].ref_columns, (std::vector<std::string>{"tenant_id", "id"}));
  EXPECT_EQ(fks[0].on_update, "restrict");
  EXPECT_EQ(fks[0].location.str(), "m.yaml:13:9");
  // Without `columns`, a foreign key references the target's primary key, as in SQL.
  EXPECT_EQ(fks[1].ref_columns, (std::vector<std::string>{"tenant_id", "id"}));
  EXPECT_EQ(fks[1].on_delete, std::nullopt);
}

TEST(ManifestForms, EnumArraysAndSelfReferences) {
  const manifest m = parse_manifest(R"yaml(enums:
  tag: [a, b]
models:
  Node:
    table: nodes
    columns:
      id: {type: int, primary_key: true}
      parent_id: {type: int, references: nodes.id, on_delete: set null}
      tags: "tag[]"
)yaml",
                                    "m.yaml");
  EXPECT_EQ(m.models[0].columns[2].enum_name, "tag");
  EXPECT_EQ(m.models[0].foreign_keys[0].ref_table, "nodes");
}

// An enum SQL must quote may be named bare (as the application names it) or quoted (as
// `pgparity snapshot` writes it); either way the column uses it, and its type is the SQL.
TEST(ManifestForms, EnumNamesThatNeedQuotes) {
  const manifest m = parse_manifest(R"yaml(enums:
  Order Status: [New, Paid]
  Mood: [ok]
models:
  Order:
    table: orders
    columns:
      a: {type: Order Status}
      b: {type: '"Order Status"'}
      c: {type: 'public.Order Status []'}
      d: {type: 'public."Order Status"[]'}
      e: {type: Mood}
)yaml",
                                    "m.yaml");
  const auto& c = m.models[0].columns;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Order Status", "\"Order Status\""},
      {"Order Status", "\"Order Status\""},
      {"public.Order Status", "public.\"Order Status\" []"},
      {"public.Order Status", "public.\"Order Status\"[]"},
      {"Mood", "\"Mood\""}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(c[i].enum_name, expected[i].first) << c[i].name;
    EXPECT_EQ(c[i].type, expected[i].second) << c[i].name;
  }
  EXPECT_EQ(manifest_difference(m, parse_manifest(to_yaml(m), "again.yaml")), "") << to_yaml(m);
}

TEST(ManifestForms, TypesAreNotJudgedHere) {
  // The server decides what a type means; the loader keeps any spelling.
  const manifest m = parse_manifest(
      "models:\n  T:\n    table: t\n    columns:\n      a: {type: \"double precision\"}\n"
      "      b: {type: my_domain}\n      c: {type: \"timestamp(3) with time zone\"}\n",
      "m.yaml");
  EXPECT_EQ(m.models[0].columns[0].type, "double precision");
  EXPECT_EQ(m.models[0].columns[1].type, "my_domain");
  EXPECT_EQ(m.models[0].columns[2].type, "timestamp(3) with time zone");
}

TEST(ManifestForms, BuiltinTypeNearAnEnumNameIsNotATypo) {
  const manifest m = parse_manifest(
      "enums:\n  ints: [a]\nmodels:\n  T:\n    table: t\n    columns:\n      a: int\n", "m.yaml");
  EXPECT_EQ(m.models[0].columns[0].enum_name, std::nullopt);
}

}  // namespace
}  // namespace pgparity

namespace pgparity {
namespace {

// PostgreSQL cuts identifiers to 63 bytes without an error: the manifest's names are read the
// same way (never half a UTF-8 character), and each cut is noted with its place.
TEST(ManifestForms, NamesOver63BytesAreCutAsPostgreSQLCutsThem) {
  const std::string table(70, 't');
  const std::string column = std::string(62, 'c') + "\xc3\xa9x";  // é straddles byte 63
  const manifest m =
      parse_manifest("models:\n  Long:\n    table: " + table + "\n    columns:\n      " + column +
                         ": int\n      short: int\n",
                     "m.yaml");
  EXPECT_EQ(m.models[0].table, std::string(63, 't'));
  EXPECT_EQ(m.models[0].columns[0].name, std::string(62, 'c'));
  EXPECT_EQ(m.models[0].columns[1].name, "short");
  ASSERT_EQ(m.notes.size(), 2u);
  EXPECT_EQ(m.notes[0], "m.yaml:2:3: table name `" + table +
                            "` is 70 bytes; PostgreSQL keeps only its first 63, so it is checked "
                            "(and fix SQL names it) as `" +
                            std::string(63, 't') + "`");
  EXPECT_EQ(m.notes[1], "m.yaml:5:7: column name `" + column +
                            "` is 65 bytes; PostgreSQL keeps only its first 63, so it is checked "
                            "(and fix SQL names it) as `" +
                            std::string(62, 'c') + "`");
}

}  // namespace
}  // namespace pgparity
