// How the engine routes check results to targets, on hand-built snapshots (no database): which
// schema's target reports an undeclared table, where rejected manifest spellings are reported,
// what run_audit() collects when a table is missing, and the kind table's names.
#include "engine/audit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "engine/kinds.h"
#include "engine/targets.h"

namespace pgparity::engine {
namespace {

column_spec declared_column(const std::string& name, const std::string& type, int line) {
  column_spec c;
  c.name = name;
  c.type = type;
  c.canonical_type = type;
  c.nullable = false;
  c.location = {"models.yaml", line, 7};
  return c;
}

model_spec declared_model(const std::string& name, const std::string& schema,
                          const std::string& table, int line) {
  model_spec m;
  m.name = name;
  m.schema = schema;
  m.table = table;
  m.location = {"models.yaml", line, 3};
  m.columns.push_back(declared_column("id", "bigint", line + 3));
  m.columns.back().primary_key = true;
  return m;
}

table_info db_table(const std::string& schema, const std::string& name) {
  table_info t;
  t.schema = schema;
  t.name = name;
  column_info id;
  id.name = "id";
  id.attnum = 1;
  id.type = "bigint";
  id.type_schema = "pg_catalog";
  id.type_name = "int8";
  id.not_null = true;
  t.columns.push_back(id);
  t.primary_key = {"id"};
  t.primary_key_name = name + "_pkey";
  return t;
}

// Account (public.accounts) and Event (audit.events) exist; Ghost (public.ghosts) does not;
// public.scratch and audit.scratch are undeclared.
// Account (public.accounts) and Event (audit.events) exist; Ghost (public.ghosts) does not;
// public.scratch and audit.scratch are undeclared.
audit_context sample_context() {
  audit_context ctx;
  ctx.declared.file = "models.yaml";
  ctx.declared.models = {declared_model("Account", "public", "accounts", 3),
                         declared_model("Event", "audit", "events", 10),
                         declared_model("Ghost", "public", "ghosts", 20)};
  ctx.db = snapshot("15.0",
                    {db_table("audit", "events"), db_table("audit", "scratch"),
                     db_table("public", "accounts"), db_table("public", "scratch")},
                    {}, {});
  return ctx;
}

target target_named(check_kind kind, const audit_context& ctx, const std::string& name) {
  for (const auto& t : model_targets(kind, ctx.declared)) {
    if (t.name == name) return t;
  }
  ADD_FAILURE() << "no target " << name;
  return {};
}

findings run(const target& t, const audit_context& ctx, const audit_options& options = {}) {
  return structural_findings(t, ctx.declared, ctx.db, options);
}

TEST(Audit, EachSchemaTargetReportsOnlyItsOwnUndeclaredTables) {
  const audit_context ctx = sample_context();
  const findings in_public = run(target_named(check_kind::undeclared_tables, ctx, "public"), ctx);
  const findings in_audit = run(target_named(check_kind::undeclared_tables, ctx, "audit"), ctx);
  ASSERT_EQ(in_public.size(), 1u);
  ASSERT_EQ(in_audit.size(), 1u);
  EXPECT_EQ(in_public[0].table, "scratch");
  EXPECT_EQ(in_public[0].schema, "public");
  EXPECT_EQ(in_audit[0].schema, "audit");
}

TEST(Audit, MissingTableIsDetected) {
  const audit_context ctx = sample_context();
  EXPECT_TRUE(table_missing(ctx, ctx.declared.models[2]));
  EXPECT_FALSE(table_missing(ctx, ctx.declared.models[0]));
  EXPECT_FALSE(table_missing(ctx, ctx.declared.models[1]));
}

TEST(Audit, RejectedSpellingFailsColumnsAtTheColumnWithTheServersMessage) {
  audit_context ctx = sample_context();
  ctx.declared.models[0].columns.push_back(declared_column("title", "txet", 7));
  ctx.declared.models[0].columns.back().canonical_type.clear();
  audit_options options;
  options.canonical_errors.push_back(
      {"Account", "column", "title", "type \"txet\" does not exist"});
  const findings f = run(target_named(check_kind::columns_match, ctx, "Account"), ctx, options);
  // One finding for the column: the server's message, not a "type differs" with fix SQL that
  // repeats the misspelling.
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, object_kind::column);
  EXPECT_EQ(f[0].name, "title");
  ASSERT_EQ(f[0].differs.size(), 1u);
  EXPECT_EQ(f[0].differs[0].what, attribute::spelling);
  EXPECT_EQ(f[0].actual, "type \"txet\" does not exist");
  EXPECT_EQ(f[0].location.line, 7);
  EXPECT_EQ(f[0].level, severity::critical);
}

TEST(Audit, ReportCollectsOnlyTableExistsForAMissingTable) {
  const audit_context ctx = sample_context();
  audit_options options;
  options.drift.as_error = false;
  const findings all = run_audit(ctx.declared, ctx.db, options);
  const auto ghost =
      std::count_if(all.begin(), all.end(), [](const finding& f) { return f.model == "Ghost"; });
  EXPECT_EQ(ghost, 1);
  const auto it =
      std::find_if(all.begin(), all.end(), [](const finding& f) { return f.model == "Ghost"; });
  ASSERT_NE(it, all.end());
  EXPECT_EQ(it->kind, check_kind::table_exists);
  // Plus the two undeclared tables, as warnings.
  EXPECT_EQ(std::count_if(all.begin(), all.end(),
                          [](const finding& f) { return f.level == severity::warning; }),
            2);
}

TEST(Kinds, NamesAreThoseOfTheProductPage) {
  const std::vector<std::pair<check_kind, std::string>> expected = {
      {check_kind::table_exists, "table exists"},
      {check_kind::columns_match, "columns match"},
      {check_kind::enums_match, "enums match"},
      {check_kind::foreign_keys_match, "foreign keys match"},
      {check_kind::indexes_match, "indexes match"},
      {check_kind::uniques_match, "unique constraints match"},
      {check_kind::checks_match, "checks match"},
      {check_kind::exclusions_match, "exclusion constraints match"},
      {check_kind::undeclared_objects, "nothing undeclared"},
      {check_kind::undeclared_tables, "nothing undeclared"},
  };
  for (const auto& [kind, name] : expected) EXPECT_EQ(info(kind).display_name, name);
}

TEST(Kinds, EveryKindHasOneRowWithAUniqueIdAndSuite) {
  std::set<std::string> ids;
  std::set<std::string> suites;
  for (const auto& k : kinds()) {
    EXPECT_EQ(&info(k.kind), &k);
    EXPECT_TRUE(ids.insert(k.id).second) << k.id;
    EXPECT_TRUE(suites.insert(k.suite_title).second) << k.suite_title;
    EXPECT_NE(k.run, nullptr);
  }
  EXPECT_EQ(kinds().size(), static_cast<std::size_t>(check_kind::migrations_with_data) + 1);
  EXPECT_EQ(kinds_in(group::probe),
            (std::vector<check_kind>{check_kind::cascade_probe, check_kind::duplicate_probe}));
}

}  // namespace
}  // namespace pgparity::engine
