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

}  // namespace
}  // namespace pgparity
