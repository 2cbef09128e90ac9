// read_snapshot() against a real schema holding every kind of object the checks look at.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/catalog.h"
#include "catalog/catalog_query.h"
#include "catalog/snapshot_io.h"
#include "catalog/test_database.h"

namespace pgparity {
namespace {

using strings = std::vector<std::string>;

const char* const kSchema = R"(
CREATE EXTENSION citext;
CREATE TYPE user_status AS ENUM ('pending', 'active', 'suspended');
CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(255) NOT NULL,
  handle citext,
  contact email_address,
  status user_status NOT NULL DEFAULT 'pending',
  tags text[] NOT NULL DEFAULT '{}',
  statuses user_status[],
  is_deleted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  email_lower text GENERATED ALWAYS AS (lower(email)) STORED,
  balance numeric(10,2) DEFAULT 0,
  CONSTRAINT uq_users_email UNIQUE (email),
  CONSTRAINT ck_users_email_not_blank CHECK (email <> '')
);
CREATE INDEX ix_users_created_at ON users (created_at) WHERE NOT is_deleted;
CREATE INDEX ix_users_lower_email ON users (lower(email), created_at);
CREATE INDEX ix_users_tags ON users USING gin (tags);
CREATE INDEX ix_users_balance ON users (balance DESC) INCLUDE (email);
CREATE UNIQUE INDEX ux_users_handle ON users (handle) WHERE NOT is_deleted;
CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL CHECK (length(name) > 0));
CREATE TABLE memberships (
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id bigint NOT NULL,
  role text NOT NULL DEFAULT 'member',
  CONSTRAINT pk_memberships PRIMARY KEY (user_id, tenant_id),
  CONSTRAINT fk_memberships_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE TABLE grants (
  id serial PRIMARY KEY,
  tenant_id integer,
  user_id bigint,
  CONSTRAINT fk_grants_membership FOREIGN KEY (tenant_id, user_id)
    REFERENCES memberships (tenant_id, user_id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
);
CREATE SCHEMA audit;
CREATE TABLE audit.events (id bigserial PRIMARY KEY, at timestamptz DEFAULT CURRENT_TIMESTAMP,
                           status user_status);
CREATE TABLE measurements (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE VIEW active_users AS SELECT id FROM users WHERE NOT is_deleted;
CREATE SEQUENCE invoice_numbers;
CREATE FUNCTION touch(integer, text) RETURNS integer LANGUAGE sql AS 'SELECT $1';
)";

class read_snapshot_test : public test::database_test {};

const index_info* find_index(const table_info& t, const std::string& name) {
  for (const auto& i : t.indexes) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

bool has_object(const snapshot& s, const std::string& kind, const std::string& schema,
                const std::string& name) {
  return std::any_of(s.other_objects().begin(), s.other_objects().end(), [&](const auto& o) {
    return o.kind == kind && o.schema == schema && o.name == name;
  });
}

TEST_F(read_snapshot_test, ReadsEveryKindOfObjectBack) {
  run(kSchema);
  const snapshot s = read_snapshot(conn());
  EXPECT_FALSE(s.server_version().empty());

  std::vector<std::string> tables;
  for (const auto& t : s.tables()) tables.push_back(t.schema + "." + t.name);
  EXPECT_EQ(tables, (strings{"audit.events", "public.grants", "public.measurements",
                             "public.memberships", "public.tenants", "public.users"}));

  const enum_info* status = s.find_enum("public", "user_status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->labels, (strings{"pending", "active", "suspended"}));
  EXPECT_EQ(s.enums().size(), 1u);

  const table_info* users = s.find_table("public", "users");
  ASSERT_NE(users, nullptr);
  strings columns;
  for (const auto& c : users->columns) columns.push_back(c.name);
  EXPECT_EQ(columns, (strings{"id", "email", "handle", "contact", "status", "tags", "statuses",
                              "is_deleted", "created_at", "email_lower", "balance"}));
  const column_info* id = users->find_column("id");
  EXPECT_EQ(id->type, "bigint");
  EXPECT_EQ(id->identity, 'a');
  EXPECT_TRUE(id->not_null);
  EXPECT_FALSE(id->default_expr);
  EXPECT_EQ(users->find_column("email")->type, "character varying(255)");
  EXPECT_EQ(users->find_column("handle")->type, "citext");
  EXPECT_FALSE(users->find_column("handle")->not_null);
  const column_info* contact = users->find_column("contact");
  EXPECT_EQ(contact->type, "email_address");
  EXPECT_EQ(contact->type_kind, 'd');
  const column_info* st = users->find_column("status");
  EXPECT_EQ(st->type, "user_status");
  EXPECT_EQ(st->type_kind, 'e');
  EXPECT_EQ(st->type_schema, "public");
  EXPECT_EQ(st->type_name, "user_status");
  EXPECT_EQ(st->default_expr, std::optional<std::string>("'pending'::user_status"));
  EXPECT_EQ(users->find_column("tags")->type, "text[]");
  EXPECT_EQ(users->find_column("tags")->default_expr, std::optional<std::string>("'{}'::text[]"));
  EXPECT_EQ(users->find_column("statuses")->type, "user_status[]");
  EXPECT_EQ(users->find_column("statuses")->type_kind, 'e');  // the element type
  EXPECT_EQ(users->find_column("created_at")->type, "timestamp with time zone");
  EXPECT_EQ(users->find_column("created_at")->default_expr, std::optional<std::string>("now()"));
  const column_info* lower = users->find_column("email_lower");
  EXPECT_EQ(lower->generated, 's');
  EXPECT_FALSE(lower->default_expr);
  EXPECT_EQ(lower->generation_expr, std::optional<std::string>("lower(email::text)"));
  EXPECT_EQ(users->find_column("balance")->type, "numeric(10,2)");

  EXPECT_EQ(users->primary_key, strings{"id"});
  EXPECT_EQ(users->primary_key_name, std::optional<std::string>("users_pkey"));
  ASSERT_EQ(users->uniques.size(), 1u);
  EXPECT_EQ(users->uniques[0].name, "uq_users_email");
  EXPECT_EQ(users->uniques[0].columns, strings{"email"});
  ASSERT_EQ(users->checks.size(), 1u);
  EXPECT_EQ(users->checks[0].name, "ck_users_email_not_blank");
  EXPECT_EQ(users->checks[0].expression, "email::text <> ''::text");
  EXPECT_EQ(users->checks[0].definition, "CHECK (email::text <> ''::text)");

  const index_info* created = find_index(*users, "ix_users_created_at");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->keys, strings{"created_at"});
  EXPECT_EQ(created->predicate, std::optional<std::string>("NOT is_deleted"));
  EXPECT_EQ(created->method, "btree");
  EXPECT_FALSE(created->unique);
  EXPECT_FALSE(created->constraint_name);
  const index_info* expr = find_index(*users, "ix_users_lower_email");
  ASSERT_NE(expr, nullptr);
  EXPECT_EQ(expr->keys, (strings{"lower(email::text)", "created_at"}));
  EXPECT_EQ(find_index(*users, "ix_users_tags")->method, "gin");
  // What keys do not show is kept in the definition; a plain index needs none.
  const index_info* balance = find_index(*users, "ix_users_balance");
  ASSERT_NE(balance, nullptr);
  EXPECT_EQ(balance->keys, strings{"balance DESC"});
  EXPECT_EQ(balance->include, strings{"email"});
  EXPECT_EQ(balance->definition,
            "CREATE INDEX ix_users_balance ON users USING btree (balance DESC) INCLUDE "
            "(email)");
  EXPECT_EQ(created->definition, "");
  const index_info* handle = find_index(*users, "ux_users_handle");
  ASSERT_NE(handle, nullptr);
  EXPECT_TRUE(handle->unique);
  EXPECT_FALSE(handle->constraint_name);
  const index_info* pkey = find_index(*users, "users_pkey");
  ASSERT_NE(pkey, nullptr);
  EXPECT_TRUE(pkey->primary);
  EXPECT_EQ(pkey->constraint_name, std::optional<std::string>("users_pkey"));
  EXPECT_EQ(find_index(*users, "uq_users_email")->constraint_name,
            std::optional<std::string>("uq_users_email"));

  const table_info* tenants = s.find_table("public", "tenants");
  ASSERT_NE(tenants, nullptr);
  EXPECT_EQ(tenants->find_column("id")->default_expr,
            std::optional<std::string>("nextval('tenants_id_seq'::regclass)"));
  ASSERT_EQ(tenants->checks.size(), 1u);
  EXPECT_EQ(tenants->checks[0].name, "tenants_name_check");
  EXPECT_EQ(tenants->checks[0].expression, "length(name) > 0");

  const table_info* memberships = s.find_table("public", "memberships");
  ASSERT_NE(memberships, nullptr);
  EXPECT_EQ(memberships->primary_key, (strings{"user_id", "tenant_id"}));  // key order
  EXPECT_EQ(memberships->primary_key_name, std::optional<std::string>("pk_memberships"));
  ASSERT_EQ(memberships->foreign_keys.size(), 2u);
  const foreign_key_info& to_user = memberships->foreign_keys[0];
  EXPECT_EQ(to_user.name, "fk_memberships_user");
  EXPECT_EQ(to_user.columns, strings{"user_id"});
  EXPECT_EQ(to_user.ref_schema, "public");
  EXPECT_EQ(to_user.ref_table, "users");
  EXPECT_EQ(to_user.ref_columns, strings{"id"});
  EXPECT_EQ(to_user.on_delete, "restrict");
  EXPECT_EQ(to_user.on_update, "cascade");
  const foreign_key_info& to_tenant = memberships->foreign_keys[1];
  EXPECT_EQ(to_tenant.name, "memberships_tenant_id_fkey");
  EXPECT_EQ(to_tenant.on_delete, "cascade");
  EXPECT_EQ(to_tenant.on_update, "no action");
  EXPECT_FALSE(to_tenant.deferrable);

  const table_info* grants = s.find_table("public", "grants");
  ASSERT_NE(grants, nullptr);
  ASSERT_EQ(grants->foreign_keys.size(), 1u);
  const foreign_key_info& composite = grants->foreign_keys[0];
  EXPECT_EQ(composite.columns, (strings{"tenant_id", "user_id"}));
  EXPECT_EQ(composite.ref_table, "memberships");
  EXPECT_EQ(composite.ref_columns, (strings{"tenant_id", "user_id"}));
  EXPECT_EQ(composite.on_delete, "set null");
  EXPECT_TRUE(composite.deferrable);
  EXPECT_TRUE(composite.initially_deferred);

  const table_info* events = s.find_table("audit", "events");
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(events->find_column("at")->default_expr,
            std::optional<std::string>("CURRENT_TIMESTAMP"));
  EXPECT_EQ(events->find_column("id")->default_expr,
            std::optional<std::string>("nextval('audit.events_id_seq'::regclass)"));

  EXPECT_TRUE(has_object(s, "view", "public", "active_users"));
  EXPECT_TRUE(has_object(s, "sequence", "public", "invoice_numbers"));
  EXPECT_FALSE(has_object(s, "sequence", "public", "tenants_id_seq"));  // owned by a column
  EXPECT_TRUE(has_object(s, "function", "public", "touch(integer, text)"));
  EXPECT_TRUE(has_object(s, "domain", "public", "email_address"));
  EXPECT_TRUE(has_object(s, "schema", "audit", "audit"));
  EXPECT_TRUE(has_object(s, "extension", "public", "citext"));
  // What CREATE EXTENSION made belongs to the extension, not to the schema.
  for (const auto& o : s.other_objects()) {
    if (o.kind != "extension") {
      EXPECT_EQ(o.name.find("citext"), std::string::npos) << o.kind << " " << o.name;
    }
  }
}

TEST_F(read_snapshot_test, IndexKeysCarryEveryOptionPostgresHas) {
  run(R"(
CREATE EXTENSION pg_trgm;
CREATE TABLE events (id int, title text, code text, starts_at timestamptz, n int,
                     c_title text COLLATE "C");
CREATE INDEX ix_desc ON events (starts_at DESC, id);
CREATE INDEX ix_nulls ON events (starts_at DESC NULLS LAST, n NULLS FIRST, id ASC NULLS LAST);
CREATE INDEX ix_ops ON events (code text_pattern_ops);
CREATE INDEX ix_collate ON events (title COLLATE "C", c_title COLLATE "C");
CREATE INDEX ix_trgm ON events USING gin (title gin_trgm_ops);
CREATE INDEX ix_siglen ON events USING gist (code gist_trgm_ops (siglen = 64));
CREATE INDEX ix_expr ON events (lower(title) DESC, (n + 1) NULLS FIRST);
CREATE INDEX ix_cover ON events (id) INCLUDE (title, n);
)");
  const snapshot s = read_snapshot(conn());
  const table_info& events = *s.find_table("public", "events");
  const auto keys = [&](const char* name) { return find_index(events, name)->keys; };
  EXPECT_EQ(keys("ix_desc"), (strings{"starts_at DESC", "id"}));
  // NULLS FIRST is DESC's default and ASC NULLS LAST is plain ascending: the server says so.
  EXPECT_EQ(keys("ix_nulls"), (strings{"starts_at DESC NULLS LAST", "n NULLS FIRST", "id"}));
  EXPECT_EQ(keys("ix_ops"), strings{"code text_pattern_ops"});
  // A collation is printed only when it is not the column's own.
  EXPECT_EQ(keys("ix_collate"), (strings{"title COLLATE \"C\"", "c_title"}));
  EXPECT_EQ(keys("ix_trgm"), strings{"title gin_trgm_ops"});
  EXPECT_EQ(keys("ix_siglen"), strings{"code gist_trgm_ops (siglen='64')"});
  EXPECT_EQ(keys("ix_expr"), (strings{"lower(title) DESC", "(n + 1) NULLS FIRST"}));
  EXPECT_EQ(find_index(events, "ix_cover")->keys, strings{"id"});
  EXPECT_EQ(find_index(events, "ix_cover")->include, (strings{"title", "n"}));
  EXPECT_TRUE(find_index(events, "ix_desc")->include.empty());
}

TEST_F(read_snapshot_test, SearchPathOfTheConnectionDoesNotChangeThePrintedForm) {
  run(kSchema);
  const snapshot before = read_snapshot(conn());
  run("ALTER DATABASE " + conn().quote_name(dbname()) + " SET search_path = audit");
  pqxx::connection other(conninfo());
  const snapshot after = read_snapshot(other);
  EXPECT_TRUE(before == after) << before.diff(after);
}

// Two databases built by the same SQL have equal snapshots (OIDs, attnums and the server's
// run-specific details do not count); a real change shows up as one readable diff line.
TEST_F(read_snapshot_test, SameSchemaInAnotherDatabaseIsEqual) {
  run(kSchema);
  const snapshot here = read_snapshot(conn());
  const std::string other_db = test::shared_server().create_database();
  {
    pqxx::connection other(test::shared_server().connection(other_db).conninfo());
    {
      pqxx::work tx(other);
      // A dropped column leaves a gap in attnum, which must not matter.
      tx.exec("CREATE TABLE filler (x int); ALTER TABLE filler DROP COLUMN x; DROP TABLE filler;");
      tx.exec(kSchema);
      tx.commit();
    }
    const snapshot there = read_snapshot(other);
    EXPECT_TRUE(here == there) << here.diff(there);
    EXPECT_EQ(here.diff(there), "");
    {
      pqxx::work tx(other);
      tx.exec(
          "ALTER TABLE memberships DROP CONSTRAINT memberships_tenant_id_fkey;"
          " ALTER TABLE memberships ADD CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY"
          " (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;"
          " ALTER TABLE users ALTER COLUMN balance SET DEFAULT 1;"
          " ALTER TYPE user_status ADD VALUE 'deleted'");
      tx.commit();
    }
    const snapshot changed = read_snapshot(other);
    EXPECT_FALSE(here == changed);
    EXPECT_EQ(here.diff(changed),
              "~ foreign key memberships.memberships_tenant_id_fkey: on delete cascade -> "
              "restrict\n"
              "~ column users.balance: default 0 -> 1\n"
              "~ enum public.user_status: labels (pending,active,suspended) -> "
              "(pending,active,suspended,deleted)\n");
  }
  test::shared_server().drop_database(other_db);
}

TEST_F(read_snapshot_test, StatementCountDoesNotGrowWithTables) {
  const auto statements_for = [&](int tables) {
    std::string sql;
    for (int i = 0; i < tables; ++i) {
      sql += fmt::format(
          "CREATE TABLE IF NOT EXISTS t{0} (id serial PRIMARY KEY, name text UNIQUE, "
          "parent int REFERENCES t{0} (id), CHECK (name <> ''));"
          "CREATE INDEX IF NOT EXISTS ix_t{0} ON t{0} (lower(name)) WHERE parent IS NULL;",
          i);
    }
    run(sql);
    catalog_detail::statement_counter counter;
    const snapshot s = catalog_detail::read_snapshot_counted(conn(), counter);
    EXPECT_EQ(s.tables().size(), static_cast<std::size_t>(tables));
    return counter.statements;
  };
  const int few = statements_for(2);
  const int many = statements_for(60);
  EXPECT_EQ(few, many);
  EXPECT_LE(many, 8);
}

// The snapshot cache stores this text: what comes back is the same snapshot, printed the same,
// and a damaged text is refused whole.
TEST_F(read_snapshot_test, SerialisedSnapshotReadsBackEqualAndDamageIsRefused) {
  run(kSchema);
  // Every constraint and column option the snapshot reads, so a field left out of
  // snapshot_io.cc's lists shows as a difference here.
  run("CREATE TABLE io_options (id bigint GENERATED ALWAYS AS IDENTITY,"
      " code text COLLATE \"C\", twice bigint GENERATED ALWAYS AS (id * 2) STORED,"
      " during tstzrange,"
      " CONSTRAINT io_options_pkey PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED,"
      " CONSTRAINT io_options_code_key UNIQUE NULLS NOT DISTINCT (code) DEFERRABLE,"
      " CONSTRAINT io_options_no_overlap EXCLUDE USING gist (during WITH &&) WHERE (id > 0));"
      "CREATE UNIQUE INDEX io_options_twice ON io_options (twice) NULLS NOT DISTINCT");
  const snapshot s = read_snapshot(conn());
  const std::string text = serialize_snapshot(s);
  const auto back = deserialize_snapshot(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, s) << s.diff(*back);
  EXPECT_EQ(back->server_version(), s.server_version());
  EXPECT_EQ(serialize_snapshot(*back), text);
  for (const std::size_t n : {std::size_t{0}, text.size() / 3, text.size() / 2, text.size() - 1}) {
    EXPECT_FALSE(deserialize_snapshot(text.substr(0, n))) << n;
  }
  EXPECT_FALSE(deserialize_snapshot(text + "1:x"));
  EXPECT_FALSE(deserialize_snapshot("x" + text.substr(1)));
}

TEST_F(read_snapshot_test, EmptyDatabaseHasNoTables) {
  const snapshot s = read_snapshot(conn());
  EXPECT_TRUE(s.tables().empty());
  EXPECT_TRUE(s.enums().empty());
  EXPECT_TRUE(s.other_objects().empty());
}

}  // namespace
}  // namespace pgparity
