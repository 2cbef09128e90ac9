// The fix SQL of index findings is valid SQL that makes the check pass: it is applied to a real
// database, which is read again and checked again.
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog/test_database.h"
#include "checks/checks.h"

namespace pgparity {
namespace {

class fix_sql_apply_test : public test::database_test {
 protected:
  // The model canonicalised against the database, as the engine does before checking.
  model_spec canonical(const model_spec& model) {
    manifest m;
    m.models.push_back(model);
    const canonical_manifest c = canonicalize(conn(), m);
    for (const auto& e : c.canonical_errors)
      ADD_FAILURE() << e.object << " " << e.name << ": " << e.message;
    return c.m.models[0];
  }

  findings check(const model_spec& model) { return check_indexes(model, read_snapshot(conn())); }
};

column_spec column(const std::string& name, const std::string& type) {
  column_spec c;
  c.name = name;
  c.type = type;
  return c;
}

index_spec index(const std::string& name, std::vector<std::string> keys,
                 std::optional<std::string> method = {}) {
  index_spec i;
  i.name = name;
  i.keys = std::move(keys);
  i.method = std::move(method);
  return i;
}

model_spec events_model() {
  model_spec m;
  m.name = "Event";
  m.schema = "public";
  m.table = "events";
  m.columns = {column("id", "bigint"), column("title", "text"), column("code", "text"),
               column("starts_at", "timestamptz"), column("Venue", "bigint")};
  m.indexes = {index("ix_starts_at", {"starts_at DESC"}),
               index("ix_recent", {"Venue", "starts_at DESC NULLS LAST"}),
               index("ix_code", {"code text_pattern_ops"}),
               index("ix_title_c", {"title COLLATE \"C\""}),
               index("ix_title_trgm", {"title gin_trgm_ops"}, "gin"),
               index("ix_code_trgm", {"code gist_trgm_ops (siglen = 64)"}, "gist"),
               index("ix_lower", {"lower(title) DESC", "(id + 1) NULLS FIRST"})};
  m.indexes[1].include = std::vector<std::string>{"title"};
  return m;
}

void apply_fixes(pqxx::connection& conn, const findings& found) {
  pqxx::work tx(conn);
  for (const auto& f : found) tx.exec(f.fix_sql);
  tx.commit();
}

TEST_F(fix_sql_apply_test, MissingIndexesWithKeyOptionsAreCreatedByTheirFix) {
  run(R"(CREATE EXTENSION pg_trgm;
CREATE TABLE events (id bigint, title text, code text, starts_at timestamptz, "Venue" bigint);)");
  const model_spec model = canonical(events_model());
  const findings found = check(model);
  ASSERT_EQ(found.size(), model.indexes.size());
  apply_fixes(conn(), found);
  EXPECT_TRUE(check(model).empty());
}

TEST_F(fix_sql_apply_test, IndexesThatLostTheirOptionsAreRebuiltByTheirFix) {
  run(R"(CREATE EXTENSION pg_trgm;
CREATE TABLE events (id bigint, title text, code text, starts_at timestamptz, "Venue" bigint);
CREATE INDEX ix_starts_at ON events (starts_at);
CREATE INDEX ix_recent ON events ("Venue", starts_at);
CREATE INDEX ix_code ON events (code);
CREATE INDEX ix_title_c ON events (title);
CREATE INDEX ix_title_trgm ON events USING gin (title gin_trgm_ops);
CREATE INDEX ix_code_trgm ON events USING gist (code gist_trgm_ops);
CREATE INDEX ix_lower ON events (lower(title), (id + 1));)");
  const model_spec model = canonical(events_model());
  const findings found = check(model);
  ASSERT_EQ(found.size(), model.indexes.size() - 1);  // ix_title_trgm is as declared
  EXPECT_EQ(found[0].differs[0].what, attribute::key_options);
  EXPECT_EQ(found[0].fix_sql,
            "DROP INDEX ix_starts_at;\nCREATE INDEX ix_starts_at ON events (starts_at DESC);");
  apply_fixes(conn(), found);
  EXPECT_TRUE(check(model).empty());
}

// Constraint and column options: NULLS NOT DISTINCT, DEFERRABLE, identity, generated, collation.
class option_fix_test : public fix_sql_apply_test {
 protected:
  findings check_all(const model_spec& model) {
    const snapshot db = read_snapshot(conn());
    findings out;
    for (auto check : {check_columns, check_uniques, check_foreign_keys, check_indexes}) {
      for (auto& f : check(model, db)) out.push_back(std::move(f));
    }
    return out;
  }
};

deferral_spec deferred(bool initially) {
  deferral_spec d;
  d.deferrable = true;
  d.initially_deferred = initially;
  return d;
}

unique_spec unique(const std::string& name, std::vector<std::string> columns) {
  unique_spec u;
  u.name = name;
  u.columns = std::move(columns);
  return u;
}

model_spec rooms_model() {
  model_spec m;
  m.name = "Room";
  m.schema = "public";
  m.table = "rooms";
  m.columns = {column("id", "bigint"), column("code", "text"), column("building", "text"),
               column("floor", "integer"), column("label", "text")};
  m.columns[0].primary_key = true;
  m.columns[0].nullable = false;
  m.columns[0].identity = "always";
  m.columns[1].nullable = false;
  m.columns[1].collation = "C";
  m.uniques = {unique("uq_rooms_building_floor", {"building", "floor"})};
  m.uniques[0].nulls_not_distinct = true;
  m.indexes = {index("ix_rooms_label", {"label"})};
  m.indexes[0].unique = true;
  m.indexes[0].nulls_not_distinct = true;
  return m;
}

model_spec bookings_model() {
  model_spec m;
  m.name = "Booking";
  m.schema = "public";
  m.table = "bookings";
  m.columns = {column("id", "bigint"), column("room_id", "bigint"), column("reference", "text"),
               column("nights", "integer"), column("total", "integer")};
  m.columns[0].primary_key = true;
  m.columns[0].nullable = false;
  m.columns[0].identity = "by default";
  for (std::size_t i = 1; i < 4; ++i) m.columns[i].nullable = false;
  m.columns[4].generated = "nights*2";
  m.primary_key_deferral.deferrable = true;
  m.uniques = {unique("uq_bookings_reference", {"reference"})};
  m.uniques[0].deferral = deferred(true);
  foreign_key_spec fk;
  fk.name = "fk_bookings_room";
  fk.columns = {"room_id"};
  fk.ref_schema = "public";
  fk.ref_table = "rooms";
  fk.ref_columns = {"id"};
  fk.deferral = deferred(true);
  m.foreign_keys = {fk};
  return m;
}

TEST_F(option_fix_test, ConstraintAndColumnOptionsAreSetByTheirFix) {
  run(R"(CREATE TABLE rooms (id bigserial PRIMARY KEY, code text NOT NULL, building text,
  floor integer, label text, CONSTRAINT uq_rooms_building_floor UNIQUE (building, floor));
CREATE UNIQUE INDEX ix_rooms_label ON rooms (label);
CREATE TABLE bookings (id bigint GENERATED ALWAYS AS IDENTITY, room_id bigint NOT NULL,
  reference text NOT NULL, nights integer NOT NULL,
  total integer GENERATED ALWAYS AS (nights + 2) STORED,
  CONSTRAINT bookings_pkey PRIMARY KEY (id),
  CONSTRAINT uq_bookings_reference UNIQUE (reference),
  CONSTRAINT fk_bookings_room FOREIGN KEY (room_id) REFERENCES rooms (id));)");
  const model_spec rooms = canonical(rooms_model());
  const model_spec bookings = canonical(bookings_model());
  const findings room_findings = check_all(rooms);
  const findings booking_findings = check_all(bookings);
  std::vector<attribute> seen;
  for (const auto* found : {&room_findings, &booking_findings}) {
    for (const auto& f : *found) seen.push_back(f.differs.at(0).what);
  }
  EXPECT_EQ(seen, (std::vector<attribute>{
                      attribute::identity, attribute::collation, attribute::nulls_not_distinct,
                      attribute::nulls_not_distinct, attribute::identity, attribute::generated,
                      attribute::deferrable, attribute::deferrable, attribute::deferrable}));
  apply_fixes(conn(), room_findings);
  apply_fixes(conn(), booking_findings);
  EXPECT_TRUE(check_all(rooms).empty());
  EXPECT_TRUE(check_all(bookings).empty());
}

TEST_F(option_fix_test, OptionsTheDatabaseHasButTheManifestDeniesAreDroppedByTheirFix) {
  run(R"(CREATE TABLE rooms (id bigint PRIMARY KEY, code text COLLATE "C" NOT NULL,
  CONSTRAINT uq_rooms_code UNIQUE NULLS NOT DISTINCT (code) DEFERRABLE INITIALLY DEFERRED);)");
  model_spec m;
  m.name = "Room";
  m.schema = "public";
  m.table = "rooms";
  m.columns = {column("id", "bigint"), column("code", "text")};
  m.columns[0].primary_key = true;
  m.columns[1].nullable = false;
  m.columns[1].collation = "default";
  m.uniques = {unique("uq_rooms_code", {"code"})};
  m.uniques[0].nulls_not_distinct = false;
  m.uniques[0].deferral.deferrable = false;
  const model_spec model = canonical(m);
  const findings found = check_all(model);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].fix_sql,
            "ALTER TABLE rooms DROP CONSTRAINT uq_rooms_code;\nALTER TABLE rooms ADD CONSTRAINT "
            "uq_rooms_code UNIQUE (code) NOT DEFERRABLE;");
  apply_fixes(conn(), found);
  EXPECT_TRUE(check_all(model).empty());
}

TEST_F(option_fix_test, ExclusionConstraintsAreAddedAndRebuiltByTheirFix) {
  run(R"(CREATE EXTENSION btree_gist;
CREATE TABLE slots (id bigint PRIMARY KEY, room_id bigint, during tstzrange, note text,
  CONSTRAINT ex_slots_room EXCLUDE USING gist (room_id WITH =, during WITH &&));)");
  model_spec m;
  m.name = "Slot";
  m.schema = "public";
  m.table = "slots";
  m.columns = {column("id", "bigint"), column("room_id", "bigint"), column("during", "tstzrange"),
               column("note", "text")};
  m.columns[0].primary_key = true;
  exclusion_spec room;  // exists, but without its predicate
  room.name = "ex_slots_room";
  room.elements = {{"room_id", "="}, {"during", "&&"}};
  room.predicate = "room_id > 0";
  exclusion_spec note;  // missing, unnamed, on an expression
  note.elements = {{"lower(note)", "="}};
  m.exclusions = {room, note};
  const model_spec model = canonical(m);
  const findings found = check_exclusions(model, read_snapshot(conn()));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].differs.at(0).what, attribute::predicate_missing);
  EXPECT_TRUE(found[1].missing());
  EXPECT_EQ(found[1].fix_sql,
            "ALTER TABLE slots ADD CONSTRAINT ex_slots_lower_note EXCLUDE USING gist "
            "((lower(note)) WITH =);");
  apply_fixes(conn(), found);
  EXPECT_TRUE(check_exclusions(model, read_snapshot(conn())).empty());
  EXPECT_TRUE(check_undeclared(model, read_snapshot(conn()), {}).empty());
}

}  // namespace
}  // namespace pgparity
