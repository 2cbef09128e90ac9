// to_yaml writes the documented format, and parsing it back gives an equal manifest.
#include <gtest/gtest.h>

#include "manifest/load_manifest.h"
#include "manifest/manifest_equal.h"

namespace pgparity {
namespace {

const char* const rich = R"yaml(version: 1
schema: app
enums:
  user_status: [pending, active, "with space", "null"]
  audit.level: [info, warn]
models:
  User:
    table: users
    soft_delete: is_deleted
    columns:
      id: {type: uuid, primary_key: true, default: gen_random_uuid()}
      email: {type: "varchar(255)", nullable: false, unique: true, sample: "'a@b.c'"}
      status: {type: user_status, nullable: false, default: "'pending'::user_status"}
      is_deleted: {type: boolean, nullable: false, default: false}
      nick: {type: text, default: null}
      word: {type: text, default: "NULL"}
      score: {type: numeric, default: 0.10, index: true}
      tags: {type: "text[]", default: "'{}'::text[]"}
    indexes:
      - {name: ix_users_email_lower, columns: ["lower(email)", "coalesce(nick, '')"], unique: true, where: "NOT is_deleted", method: btree}
      - [status, score]
    unique:
      - {name: uq_users_email, columns: [email], allow_soft_deleted_duplicates: true}
    checks:
      - {name: ck_users_email, expression: "email <> '' AND email ~ '@'"}
      - "score >= 0"
  Event:
    table: events
    schema: audit
    columns:
      id: {type: bigint, primary_key: true}
      level: audit.level
      user_id: {type: uuid, references: app.users.id, on_delete: set null, on_update: cascade}
      parent_id: {type: bigint, references: events.id}
    foreign_keys:
      - {name: fk_events_user, columns: [user_id], references: {table: users, columns: [id]}, on_delete: restrict, deferrable: true, initially_deferred: false}
  Booking:
    table: bookings
    primary_key: {deferrable: true, initially_deferred: true}
    columns:
      id: {type: bigint, primary_key: true, identity: by_default}
      code: {type: text, collation: C}
      total: {type: bigint, generated: "id * 2"}
      serial: {type: bigint, identity: always}
    unique:
      - {columns: [code], nulls_not_distinct: true, deferrable: false}
    indexes:
      - {columns: [total], unique: true, nulls_not_distinct: true}
  Shadow:
    table: events
    columns:
      id: {type: bigint, primary_key: true}
      event_id: {type: bigint, references: audit.events.id}
)yaml";

TEST(ToYaml, RoundTripsToAnEqualManifest) {
  const manifest original = parse_manifest(rich, "rich.yaml");
  const std::string written = to_yaml(original);
  const manifest again = parse_manifest(written, "written.yaml");
  EXPECT_EQ(manifest_difference(original, again), "") << written;
  // And writing is stable.
  EXPECT_EQ(to_yaml(again), written);
}

TEST(ToYaml, DifferenceIsDetected) {
  // The comparison the round trip relies on must be able to fail.
  const manifest a = parse_manifest(rich, "rich.yaml");
  manifest b = a;
  b.models[0].columns[4].default_declared = false;
  EXPECT_EQ(manifest_difference(a, b), "models[0].columns[4].default_declared");
  b = a;
  b.models[1].foreign_keys[0].ref_schema = "public";
  EXPECT_EQ(manifest_difference(a, b), "models[1].foreign_keys[0].ref_schema");
  b = a;
  b.enums[1].labels.pop_back();
  EXPECT_EQ(manifest_difference(a, b), "enums[1].labels");
}

TEST(ToYaml, WritesTheDocumentedFormat) {
  const manifest m = parse_manifest(R"yaml(enums:
  mood: [ok, meh]
models:
  User:
    table: users
    columns:
      id: {type: uuid, primary_key: true}
      mood: {type: mood, nullable: false, default: "'ok'"}
      note: {type: text, default: ~}
  Post:
    table: posts
    columns:
      id: {type: int, primary_key: true}
      user_id: {type: uuid, nullable: false, references: users.id, on_delete: CASCADE}
    unique:
      - [user_id, id]
)yaml",
                                    "m.yaml");
  EXPECT_EQ(to_yaml(m), R"yaml(version: 1
schema: public
enums:
  mood: [ok, meh]
models:
  User:
    table: users
    columns:
      id: {type: uuid, primary_key: true}
      mood: {type: mood, nullable: false, default: "'ok'"}
      note: {type: text, default: ~}
  Post:
    table: posts
    columns:
      id: {type: int, primary_key: true}
      user_id: {type: uuid, nullable: false}
    unique:
      - {columns: [user_id, id]}
    foreign_keys:
      - {columns: [user_id], references: {table: users, columns: [id]}, on_delete: cascade}
)yaml");
}

TEST(ToYaml, EmptyManifest) {
  manifest m;
  const std::string written = to_yaml(m);
  EXPECT_EQ(manifest_difference(m, parse_manifest(written, "e.yaml")), "") << written;
}

// Model `name` on public.`table` with one primary-key column `id` of `type`, built by hand as
// `pgparity snapshot` builds specs: names everywhere, no locations.
model_spec model_with_id(const std::string& name, const std::string& table,
                         const std::string& type) {
  model_spec model;
  model.name = name;
  model.schema = "public";
  model.table = table;
  column_spec id;
  id.name = "id";
  id.type = type;
  id.primary_key = true;
  id.nullable = false;
  model.columns.push_back(id);
  return model;
}

TEST(ToYaml, HandBuiltSpecsRoundTrip) {
  manifest m;
  model_spec parent = model_with_id("Parent", "parents", "integer");
  parent.columns[0].default_declared = true;
  parent.columns[0].default_expr = "nextval('parents_id_seq'::regclass)";
  model_spec child = parent;
  child.name = "Child";
  child.table = "children";
  column_spec parent_id;
  parent_id.name = "parent_id";
  parent_id.type = "integer";
  parent_id.default_declared = true;  // declared as having no default
  child.columns.push_back(parent_id);
  foreign_key_spec fk;
  fk.name = "children_parent_id_fkey";
  fk.columns = {"parent_id"};
  fk.ref_schema = "public";
  fk.ref_table = "parents";
  fk.ref_columns = {"id"};
  fk.on_delete = "no action";
  fk.on_update = "no action";
  child.foreign_keys.push_back(fk);
  index_spec ix;
  ix.name = "children_parent_id_idx";
  ix.keys = {"parent_id"};
  ix.unique = false;
  ix.method = "btree";
  child.indexes.push_back(ix);
  m.models = {parent, child};
  const std::string written = to_yaml(m);
  EXPECT_EQ(manifest_difference(m, parse_manifest(written, "s.yaml")), "") << written;
}

// Found by fuzz_manifest (fuzz/corpus/manifest/table-name-cr.yaml): a table name that needs
// quoting must come back from the written manifest as itself.
TEST(ToYaml, OddTableNamesRoundTrip) {
  for (const std::string& table :
       {std::string("rooms  where:!#pricecents > 5\""), std::string("a #b"), std::string("x\r")}) {
    manifest m;
    m.models.push_back(model_with_id("Room", table, "bigint"));
    const std::string written = to_yaml(m);
    EXPECT_EQ(manifest_difference(m, parse_manifest(written, "t.yaml")), "") << written;
  }
  const std::string input = "version: 1\n\nmodels:\n  Room:\n    table: rooms  where:!#p > 5\"\r";
  const manifest read = parse_manifest(input, "cr.yaml");
  EXPECT_EQ(manifest_difference(read, parse_manifest(to_yaml(read), "again.yaml")), "")
      << "[" << read.models.at(0).table << "]\n"
      << to_yaml(read);
}

// `index: true` on a column SQL must quote makes the key `"user id"`, which reads back as
// itself (it was `user id`, read back as column `user` with operator class `id`: fuzzer finding).
TEST(ToYaml, ColumnIndexOnANameThatNeedsQuotesRoundTrips) {
  const manifest read = parse_manifest(
      "version: 1\nmodels:\n  Role:\n    table: roles\n    columns:\n"
      "      id: {type: bigint, primary_key: true}\n      user id: {type: bigint, index: true}\n"
      "      Weird: {type: bigint, index: true}\n",
      "space.yaml");
  ASSERT_EQ(read.models.at(0).indexes.size(), 2u);
  EXPECT_EQ(read.models.at(0).indexes.at(0).keys, std::vector<std::string>{"\"user id\""});
  EXPECT_EQ(read.models.at(0).indexes.at(1).keys, std::vector<std::string>{"\"Weird\""});
  EXPECT_EQ(manifest_difference(read, parse_manifest(to_yaml(read), "again.yaml")), "")
      << to_yaml(read);
}

}  // namespace
}  // namespace pgparity
