// How the harness routes check results to tests, on hand-built snapshots (no database): which
// schema's test reports an undeclared table, where rejected manifest spellings are reported,
// and what `pgparity report` collects when a table is missing.
#include "harness/run_context.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "harness/suite_params.h"

namespace pgparity::harness {
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
run_context sample_context() {
  run_context ctx;
  ctx.declared.file = "models.yaml";
  ctx.declared.models = {declared_model("Account", "public", "accounts", 3),
                         declared_model("Event", "audit", "events", 10),
                         declared_model("Ghost", "public", "ghosts", 20)};
  ctx.canonical = ctx.declared;
  ctx.db = snapshot("15.0",
                    {db_table("audit", "events"), db_table("audit", "scratch"),
                     db_table("public", "accounts"), db_table("public", "scratch")},
                    {}, {});
  return ctx;
}

suite_param param_named(suite_family family, const run_context& ctx, const std::string& name) {
  for (const auto& p : params_for(family, ctx.declared)) {
    if (p.name == name) return p;
  }
  ADD_FAILURE() << "no parameter " << name;
  return {};
}

TEST(RunContext, EachSchemaTestReportsOnlyItsOwnUndeclaredTables) {
  const run_context ctx = sample_context();
  const findings in_public =
      run_family(param_named(suite_family::undeclared_tables, ctx, "public"), ctx);
  const findings in_audit =
      run_family(param_named(suite_family::undeclared_tables, ctx, "audit"), ctx);
  ASSERT_EQ(in_public.size(), 1u);
  ASSERT_EQ(in_audit.size(), 1u);
  EXPECT_EQ(in_public[0].table, "scratch");
  EXPECT_NE(in_audit[0].table.find("audit"), std::string::npos);
}

TEST(RunContext, MissingTableIsDetected) {
  const run_context ctx = sample_context();
  EXPECT_TRUE(table_missing(ctx, ctx.canonical.models[2]));
  EXPECT_FALSE(table_missing(ctx, ctx.canonical.models[0]));
  EXPECT_FALSE(table_missing(ctx, ctx.canonical.models[1]));
}

TEST(RunContext, RejectedSpellingFailsColumnsAtTheColumnWithTheServersMessage) {
  run_context ctx = sample_context();
  ctx.canonical.models[0].columns.push_back(declared_column("title", "txet", 7));
  ctx.canonical.models[0].columns.back().canonical_type.clear();
  ctx.canonical_errors["Account"].emplace_back("column title", "type \"txet\" does not exist");
  const findings f = run_family(param_named(suite_family::columns_match, ctx, "Account"), ctx);
  // One finding for the column: the server's message, not a "type differs" with fix SQL that
  // repeats the misspelling.
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, "column title");
  EXPECT_NE(f[0].problem.find("type \"txet\" does not exist"), std::string::npos);
  EXPECT_EQ(f[0].location.line, 7);
  EXPECT_EQ(f[0].level, severity::critical);
}

TEST(RunContext, ReportCollectsOnlyTableExistsForAMissingTable) {
  const run_context ctx = sample_context();
  const findings all = collect_findings(ctx);
  const auto ghost =
      std::count_if(all.begin(), all.end(), [](const finding& f) { return f.model == "Ghost"; });
  EXPECT_EQ(ghost, 1);
  const auto it =
      std::find_if(all.begin(), all.end(), [](const finding& f) { return f.model == "Ghost"; });
  ASSERT_NE(it, all.end());
  EXPECT_EQ(it->family, check_family::table_exists);
  // Plus the two undeclared tables, as warnings.
  EXPECT_EQ(std::count_if(all.begin(), all.end(),
                          [](const finding& f) { return f.level == severity::warning; }),
            2);
}

}  // namespace
}  // namespace pgparity::harness
