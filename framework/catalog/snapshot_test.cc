// The snapshot value: ordering, look-ups, structural equality and the readable diff.
#include "catalog/snapshot.h"

#include <gtest/gtest.h>

#include "catalog/catalog_query.h"

namespace pgparity {
namespace {

table_info users_table() {
  table_info t;
  t.schema = "public";
  t.name = "users";
  column_info id;
  id.name = "id";
  id.attnum = 1;
  id.type = "uuid";
  id.not_null = true;
  column_info email;
  email.name = "email";
  email.attnum = 2;
  email.type = "character varying(255)";
  t.columns = {id, email};
  t.primary_key = {"id"};
  t.primary_key_name = "users_pkey";
  index_info ix;
  ix.name = "ix_x";
  ix.keys = {"a", "b"};
  ix.method = "btree";
  t.indexes = {ix};
  t.checks = {{"ck_email", "email::text <> ''::text", "CHECK (email::text <> ''::text)"}};
  return t;
}

snapshot make(std::vector<table_info> tables, std::vector<enum_info> enums = {}) {
  return snapshot("15.0", std::move(tables), std::move(enums), {});
}

TEST(snapshot, SortsTablesAndFindsThem) {
  table_info b = users_table();
  b.name = "b";
  table_info a = users_table();
  a.name = "a";
  table_info other = users_table();
  other.schema = "audit";
  const snapshot s = make({b, a, other}, {{"public", "z", {}}, {"public", "m", {"x"}}});
  ASSERT_EQ(s.tables().size(), 3u);
  EXPECT_EQ(s.tables()[0].schema, "audit");
  EXPECT_EQ(s.tables()[1].name, "a");
  EXPECT_EQ(s.tables()[2].name, "b");
  EXPECT_EQ(s.find_table("public", "b")->name, "b");
  EXPECT_EQ(s.find_table("audit", "users")->schema, "audit");
  EXPECT_EQ(s.find_table("public", "users"), nullptr);
  EXPECT_EQ(s.enums()[0].name, "m");
  EXPECT_EQ(s.find_enum("public", "m")->labels, std::vector<std::string>{"x"});
  EXPECT_EQ(s.find_enum("audit", "m"), nullptr);
  EXPECT_EQ(s.find_table("public", "a")->find_column("email")->attnum, 2);
  EXPECT_EQ(s.find_table("public", "a")->find_column("nope"), nullptr);
}

TEST(snapshot, EqualIgnoresRunSpecificDetails) {
  table_info t = users_table();
  table_info renumbered = users_table();
  renumbered.columns[1].attnum = 7;  // a dropped column in between
  EXPECT_TRUE(make({t}) == make({renumbered}));
  EXPECT_EQ(make({t}).diff(make({renumbered})), "");
  EXPECT_TRUE(snapshot("15.1", {t}, {}, {}) == snapshot("15.9", {t}, {}, {}));
}

TEST(snapshot, DiffNamesEveryDifference) {
  const snapshot before = make({users_table()}, {{"public", "user_status", {"a", "b"}}});
  table_info changed = users_table();
  changed.columns.pop_back();  // - email
  column_info name;
  name.name = "name";
  name.type = "text";
  changed.columns.push_back(name);
  changed.columns[0].type = "bigint";
  changed.indexes[0].keys = {"b", "a"};
  changed.checks.clear();
  table_info extra = users_table();
  extra.name = "foo";
  const snapshot after = make({changed, extra}, {{"public", "user_status", {"b", "a"}}});
  EXPECT_FALSE(before == after);
  EXPECT_TRUE(before != after);
  const std::string diff = before.diff(after);
  EXPECT_NE(diff.find("+ table public.foo\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("- column users.email\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("+ column users.name\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("~ column users.id: type uuid -> bigint\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("~ index ix_x: keys (a,b) -> (b,a)\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("- check users.ck_email\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("~ enum public.user_status: labels (a,b) -> (b,a)\n"), std::string::npos)
      << diff;
  EXPECT_NE(after.diff(before).find("- table public.foo\n"), std::string::npos);
}

TEST(snapshot, EveryComparedFieldCounts) {
  const table_info base = users_table();
  std::vector<table_info> variants(8, base);
  variants[0].columns[1].not_null = true;
  variants[1].columns[1].default_expr = "''::character varying";
  variants[2].columns[0].identity = 'a';
  variants[3].indexes[0].predicate = "NOT is_deleted";
  variants[4].indexes[0].unique = true;
  variants[5].indexes[0].method = "hash";
  variants[6].primary_key = {"email"};
  variants[7].uniques.push_back({"uq", {"email"}});
  for (const auto& v : variants) {
    EXPECT_FALSE(make({base}) == make({v}));
    EXPECT_NE(make({base}).diff(make({v})), "");
  }
  foreign_key_info fk;
  fk.name = "fk";
  fk.on_delete = "cascade";
  table_info with_fk = base;
  with_fk.foreign_keys.push_back(fk);
  table_info other_action = with_fk;
  other_action.foreign_keys[0].on_delete = "restrict";
  EXPECT_EQ(make({with_fk}).diff(make({other_action})),
            "~ foreign key users.fk: on delete cascade -> restrict\n");
  EXPECT_FALSE(snapshot("15", {}, {}, {{"view", "public", "v"}}) == snapshot("15", {}, {}, {}));
  EXPECT_EQ(snapshot("15", {}, {}, {}).diff(snapshot("15", {}, {}, {{"view", "public", "v"}})),
            "+ view public.v\n");
}

TEST(snapshot, CheckExpressionStripsOnlyTheCheckWrapper) {
  EXPECT_EQ(catalog_detail::check_expression("CHECK (a > 0)"), "a > 0");
  EXPECT_EQ(catalog_detail::check_expression("CHECK ((a > 0) AND (b > 0))"), "(a > 0) AND (b > 0)");
  EXPECT_EQ(catalog_detail::check_expression("CHECK (a <> ')'::text) NOT VALID"), "a <> ')'::text");
  EXPECT_EQ(catalog_detail::check_expression("CHECK (\"we(ird\" <> 'it''s') NO INHERIT"),
            "\"we(ird\" <> 'it''s'");
  EXPECT_EQ(catalog_detail::check_expression("UNIQUE (a)"), "UNIQUE (a)");
}

}  // namespace
}  // namespace pgparity
