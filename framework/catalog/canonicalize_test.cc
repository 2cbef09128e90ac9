// canonicalize(): manifest spellings come back exactly as read_snapshot() prints the
// equivalent real objects, decided by the server.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>

#include "catalog/catalog.h"
#include "catalog/catalog_query.h"
#include "catalog/test_database.h"

namespace pgparity {
namespace {

column_spec column(const std::string& name, const std::string& type) {
  column_spec c;
  c.name = name;
  c.type = type;
  return c;
}

column_spec column(const std::string& name, const std::string& type, const std::string& dflt) {
  column_spec c = column(name, type);
  c.default_declared = true;
  c.default_expr = dflt;
  return c;
}

index_spec index(const std::string& name, std::vector<std::string> keys,
                 std::optional<std::string> predicate = {},
                 std::optional<std::string> method = {}) {
  index_spec i;
  i.name = name;
  i.keys = std::move(keys);
  i.predicate = std::move(predicate);
  i.method = std::move(method);
  return i;
}

check_spec check(const std::string& name, const std::string& expression) {
  check_spec c;
  c.name = name;
  c.expression = expression;
  return c;
}

const char* const kSchema = R"(
CREATE TYPE user_status AS ENUM ('pending', 'active');
CREATE SCHEMA audit;
CREATE TYPE audit.event_kind AS ENUM ('login', 'logout');
CREATE TABLE users (
  a integer, b integer, c integer,
  name character varying(255),
  created_at timestamp with time zone DEFAULT now(),
  updated_at timestamp with time zone DEFAULT now(),
  flag boolean DEFAULT false,
  amount numeric(10,2) DEFAULT 0,
  status user_status DEFAULT 'pending',
  status2 user_status DEFAULT 'pending',
  email text, is_deleted boolean,
  tags text[],
  CONSTRAINT ck_email CHECK (email <> ''),
  CONSTRAINT ck_amount CHECK (amount >= 0 AND amount < 1000)
);
CREATE INDEX ix_created ON users (created_at) WHERE NOT is_deleted;
CREATE INDEX ix_deleted ON users (created_at) WHERE is_deleted = false;
CREATE INDEX ix_lower ON users (lower(email), a);
CREATE INDEX ix_tags ON users USING gin (tags);
CREATE TABLE audit.events (kind audit.event_kind DEFAULT 'login', status user_status);
)";

model_spec users_model() {
  model_spec m;
  m.name = "User";
  m.schema = "public";
  m.table = "users";
  m.columns = {column("a", "int"),
               column("b", "int4"),
               column("c", "integer"),
               column("name", "varchar(255)"),
               column("created_at", "timestamptz", "now()"),
               column("updated_at", "timestamptz", "CURRENT_TIMESTAMP"),
               column("flag", "bool", "FALSE"),
               column("amount", "decimal(10, 2)", "0"),
               column("status", "user_status", "'pending'"),
               column("status2", "user_status", "'pending'::user_status"),
               column("email", "text"),
               column("is_deleted", "boolean"),
               column("tags", "text[]")};
  m.checks = {check("ck_email", "email <> ''"),
              check("ck_amount", "(amount >= 0) and amount < 1000")};
  m.indexes = {index("ix_created", {"created_at"}, "NOT is_deleted"),
               index("ix_deleted", {"created_at"}, "NOT is_deleted"),
               index("ix_lower", {"lower(email)", "a"}), index("ix_tags", {"tags"}, {}, "gin")};
  return m;
}

manifest users_manifest() {
  manifest m;
  enum_spec status;
  status.name = "user_status";
  status.schema = "public";
  status.labels = {"pending", "active"};
  enum_spec kind;
  kind.name = "event_kind";
  kind.schema = "audit";
  kind.labels = {"login", "logout"};
  m.enums = {status, kind};
  m.models.push_back(users_model());
  model_spec events;
  events.name = "Event";
  events.schema = "audit";
  events.table = "events";
  events.columns = {column("kind", "event_kind", "'login'"), column("status", "user_status")};
  m.models.push_back(events);
  return m;
}

const index_info& real_index(const table_info& t, const std::string& name) {
  for (const auto& i : t.indexes) {
    if (i.name == name) return i;
  }
  throw std::runtime_error("no index " + name);
}

class canonicalize_test : public test::database_test {};

TEST_F(canonicalize_test, SpellingsComeBackAsTheServerPrintsTheRealTable) {
  run(kSchema);
  const snapshot s = read_snapshot(conn());
  const canonical_manifest c = canonicalize(conn(), users_manifest());
  EXPECT_TRUE(c.canonical_errors.empty());
  const table_info& users = *s.find_table("public", "users");
  const model_spec& model = c.m.models[0];

  for (const auto& col : model.columns) {
    EXPECT_EQ(col.canonical_type, users.find_column(col.name)->type) << col.name;
  }
  EXPECT_EQ(model.columns[0].canonical_type, "integer");
  EXPECT_EQ(model.columns[3].canonical_type, "character varying(255)");
  EXPECT_EQ(model.columns[4].canonical_type, "timestamp with time zone");
  EXPECT_EQ(model.columns[8].canonical_type, "user_status");
  for (const char* name : {"created_at", "flag", "amount", "status", "status2"}) {
    const column_spec* col = nullptr;
    for (const auto& x : model.columns) {
      if (x.name == name) col = &x;
    }
    EXPECT_EQ(col->canonical_default, users.find_column(name)->default_expr) << name;
  }
  EXPECT_EQ(model.columns[8].canonical_default,
            std::optional<std::string>("'pending'::user_status"));
  // CURRENT_TIMESTAMP is now(), the transaction's start: the real column's spelling is taken.
  EXPECT_EQ(model.columns[5].canonical_default, users.find_column("updated_at")->default_expr);
  EXPECT_FALSE(model.columns[10].canonical_default);  // no default declared

  ASSERT_EQ(users.checks.size(), 2u);
  for (const auto& ck : model.checks) {
    const auto real = std::find_if(users.checks.begin(), users.checks.end(),
                                   [&](const auto& x) { return x.name == *ck.name; });
    ASSERT_NE(real, users.checks.end());
    EXPECT_EQ(ck.canonical_expression, std::optional<std::string>(real->expression)) << *ck.name;
  }

  EXPECT_EQ(model.indexes[0].canonical_keys, real_index(users, "ix_created").keys);
  EXPECT_EQ(model.indexes[0].canonical_predicate, real_index(users, "ix_created").predicate);
  // `is_deleted = false` and `NOT is_deleted` print differently: they are not the same.
  EXPECT_NE(model.indexes[1].canonical_predicate, real_index(users, "ix_deleted").predicate);
  EXPECT_EQ(model.indexes[2].canonical_keys, real_index(users, "ix_lower").keys);
  EXPECT_EQ(model.indexes[2].canonical_keys, (std::vector<std::string>{"lower(email)", "a"}));
  EXPECT_EQ(model.indexes[3].canonical_keys, real_index(users, "ix_tags").keys);
  EXPECT_FALSE(model.indexes[2].canonical_predicate);
}

// The same default spelled another way (`server_default=text("0")` in the model, `"0"` in the
// Alembic revision) takes the real column's spelling; a different default keeps its own.
TEST_F(canonicalize_test, DefaultsTheServerJudgesTheSameTakeTheRealSpelling) {
  run(R"(
CREATE TABLE balances (
  a bigint DEFAULT '0', b bigint DEFAULT 0, c character varying(20) DEFAULT 'x',
  d timestamptz DEFAULT CURRENT_TIMESTAMP, e timestamptz DEFAULT now(),
  f boolean DEFAULT 'false', g numeric(10,2) DEFAULT '0.00', h bigint DEFAULT 1,
  i timestamptz DEFAULT clock_timestamp(), j varchar(20) DEFAULT 'x', k bigint DEFAULT '0'
);
)");
  const snapshot s = read_snapshot(conn());
  manifest m;
  model_spec model;
  model.name = "Balance";
  model.schema = "public";
  model.table = "balances";
  model.columns = {column("a", "bigint", "0"),
                   column("b", "int8", "'0'"),
                   column("c", "varchar(20)", "'x'::text"),
                   column("d", "timestamptz", "now()"),
                   column("e", "timestamptz", "CURRENT_TIMESTAMP"),
                   column("f", "boolean", "false"),
                   column("g", "numeric(10,2)", "0"),
                   column("h", "bigint", "0"),
                   column("i", "timestamptz", "now()"),
                   column("j", "varchar(20)", "'y'"),
                   column("k", "bigint", "'1'")};
  m.models.push_back(model);
  const canonical_manifest c = canonicalize(conn(), m);
  EXPECT_TRUE(c.canonical_errors.empty());
  const table_info& real = *s.find_table("public", "balances");
  for (const auto& col : c.m.models[0].columns) {
    const auto& actual = real.find_column(col.name)->default_expr;
    if (col.name == "h" || col.name == "i" || col.name == "j" || col.name == "k") {
      EXPECT_NE(col.canonical_default, actual) << col.name;  // really different defaults
    } else {
      EXPECT_EQ(col.canonical_default, actual) << col.name;
    }
  }
  EXPECT_EQ(real.find_column("a")->default_expr, std::optional<std::string>("'0'::bigint"));
  EXPECT_EQ(c.m.models[0].columns[7].canonical_default, std::optional<std::string>("0"));
  // Nothing of the judging survives.
  pqxx::work tx(conn());
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_class WHERE relname = 'pgparity_same_default'")[0]
                .as<int>(),
            0);
}

TEST_F(canonicalize_test, IndexKeyOptionsComeBackAsTheRealIndexPrintsThem) {
  run(R"(
CREATE EXTENSION pg_trgm;
CREATE TABLE events (id int, title text, code text, starts_at timestamptz, n int);
CREATE INDEX ix_a ON events (starts_at DESC NULLS LAST, id);
CREATE INDEX ix_b ON events (code text_pattern_ops, title COLLATE "C");
CREATE INDEX ix_c ON events USING gin (title gin_trgm_ops);
CREATE INDEX ix_d ON events USING gist (code gist_trgm_ops (siglen = 64));
CREATE INDEX ix_e ON events (lower(title) DESC, (n + 1) NULLS FIRST);
CREATE INDEX ix_f ON events (starts_at);
)");
  model_spec events;
  events.name = "Event";
  events.schema = "public";
  events.table = "events";
  events.columns = {column("id", "int"), column("title", "text"), column("code", "text"),
                    column("starts_at", "timestamptz"), column("n", "int")};
  events.indexes = {index("ix_a", {"starts_at desc nulls last", "id ASC"}),
                    index("ix_b", {"code text_pattern_ops", "title collate \"C\""}),
                    index("ix_c", {"title gin_trgm_ops"}, {}, "gin"),
                    index("ix_d", {"code gist_trgm_ops(siglen=64)"}, {}, "gist"),
                    index("ix_e", {"lower(title) DESC", "(n+1) NULLS FIRST"}),
                    index("ix_f", {"starts_at ASC NULLS LAST"})};
  manifest m;
  m.models.push_back(events);
  const canonical_manifest c = canonicalize(conn(), m);
  EXPECT_TRUE(c.canonical_errors.empty());
  const snapshot s = read_snapshot(conn());
  const table_info& real = *s.find_table("public", "events");
  for (const auto& spec : c.m.models[0].indexes) {
    EXPECT_EQ(spec.canonical_keys, real_index(real, *spec.name).keys) << *spec.name;
  }
  EXPECT_EQ(c.m.models[0].indexes[0].canonical_keys,
            (std::vector<std::string>{"starts_at DESC NULLS LAST", "id"}));
}

TEST_F(canonicalize_test, EnumsInOtherSchemasPrintQualifiedLikeTheRealOnes) {
  run(kSchema);
  const snapshot s = read_snapshot(conn());
  const canonical_manifest c = canonicalize(conn(), users_manifest());
  const table_info& events = *s.find_table("audit", "events");
  const model_spec& model = c.m.models[1];
  EXPECT_EQ(events.find_column("kind")->type, "audit.event_kind");
  EXPECT_EQ(model.columns[0].canonical_type, "audit.event_kind");
  EXPECT_EQ(model.columns[0].canonical_default, events.find_column("kind")->default_expr);
  EXPECT_EQ(model.columns[1].canonical_type, "user_status");
}

TEST_F(canonicalize_test, WorksWithoutTheRealObjectsAndLeavesNoTrace) {
  // Nothing migrated: the manifest's own enums are enough.
  const canonical_manifest c = canonicalize(conn(), users_manifest());
  EXPECT_TRUE(c.canonical_errors.empty());
  EXPECT_EQ(c.m.models[0].columns[9].canonical_default,
            std::optional<std::string>("'pending'::user_status"));
  EXPECT_EQ(c.m.models[1].columns[0].canonical_type, "audit.event_kind");
  const snapshot s = read_snapshot(conn());
  EXPECT_TRUE(s.tables().empty()) << s.tables()[0].schema;
  EXPECT_TRUE(s.enums().empty());
  EXPECT_TRUE(s.other_objects().empty());
}

TEST_F(canonicalize_test, RejectedSpellingsAreReportedNotThrown) {
  manifest m = users_manifest();
  model_spec& model = m.models[0];
  model.columns[1].type = "varchr(10)";
  model.columns[4].default_expr = "nonsense(";
  model.checks[1].expression = "no_such_column > 0";
  model.indexes[1].keys = {"lower(missing)"};
  enum_spec twice;
  twice.name = "twice";
  twice.labels = {"a", "a"};
  m.enums.push_back(twice);
  canonical_manifest c;
  ASSERT_NO_THROW(c = canonicalize(conn(), m));
  std::map<std::string, std::string> errors;
  for (const auto& e : c.canonical_errors) errors[e.key()] = e.message;
  EXPECT_EQ(errors.size(), 5u);
  EXPECT_NE(errors["enum twice"].find("duplicate key"), std::string::npos) << errors["enum twice"];
  EXPECT_EQ(errors["User.column b"], "type \"varchr\" does not exist");
  EXPECT_NE(errors["User.default created_at"].find("syntax error"), std::string::npos);
  EXPECT_EQ(errors["User.check ck_amount"], "column \"no_such_column\" does not exist");
  EXPECT_EQ(errors["User.index ix_deleted"], "column \"missing\" does not exist");
  // Everything else still has its canonical form.
  const model_spec& out = c.m.models[0];
  EXPECT_EQ(out.columns[1].canonical_type, "");
  EXPECT_EQ(out.columns[4].canonical_type, "timestamp with time zone");
  EXPECT_FALSE(out.columns[4].canonical_default);
  EXPECT_EQ(out.columns[0].canonical_type, "integer");
  EXPECT_EQ(out.checks[0].canonical_expression, std::optional<std::string>("email <> ''::text"));
  EXPECT_FALSE(out.checks[1].canonical_expression);
  EXPECT_TRUE(out.indexes[1].canonical_keys.empty());
  EXPECT_EQ(out.indexes[2].canonical_keys.size(), 2u);
  EXPECT_EQ(c.m.models[1].columns[0].canonical_type, "audit.event_kind");
}

// PostgreSQL's limit is 1600 columns: a model with exactly that many has its canonical forms
// (the scratch table has no room for an extra key column), and with one bad spelling too.
TEST_F(canonicalize_test, SixteenHundredColumns) {
  manifest m;
  model_spec wide;
  wide.name = "Wide";
  wide.table = "wide";
  for (int i = 0; i < 1600; ++i) wide.columns.push_back(column(fmt::format("c{}", i), "int4"));
  m.models.push_back(wide);
  canonical_manifest c = canonicalize(conn(), m);
  EXPECT_TRUE(c.canonical_errors.empty()) << c.canonical_errors[0].message;
  EXPECT_EQ(c.m.models[0].columns[1599].canonical_type, "integer");
  m.models[0].columns[7].type = "varchr";
  c = canonicalize(conn(), m);
  ASSERT_EQ(c.canonical_errors.size(), 1u);
  EXPECT_EQ(c.canonical_errors[0].message, "type \"varchr\" does not exist");
  EXPECT_EQ(c.m.models[0].columns[1599].canonical_type, "integer");
}

// Batches are rolled back to a savepoint one after the other (so the lock table never needs
// more than one batch): every model, including those after a rejected spelling in an earlier
// batch, comes back exactly as from a single batch.
TEST_F(canonicalize_test, BatchesGiveTheSameFormsAndErrorsAsOneBatch) {
  manifest m = users_manifest();
  for (int i = 0; i < 6; ++i) {
    model_spec copy = m.models[0];
    copy.name = fmt::format("Copy{}", i);
    copy.table = fmt::format("copy_{}", i);
    if (i == 2) copy.columns[1].type = "varchr(10)";
    if (i == 4) copy.indexes[1].keys = {"lower(missing)"};
    m.models.push_back(copy);
  }
  const auto one = catalog_detail::canonicalize_in_batches(conn(), m, 100000);
  const auto many = catalog_detail::canonicalize_in_batches(conn(), m, 1);
  ASSERT_EQ(one.canonical_errors.size(), 2u);
  ASSERT_EQ(many.canonical_errors.size(), one.canonical_errors.size());
  for (std::size_t i = 0; i < one.canonical_errors.size(); ++i) {
    EXPECT_EQ(many.canonical_errors[i].key(), one.canonical_errors[i].key());
    EXPECT_EQ(many.canonical_errors[i].message, one.canonical_errors[i].message);
  }
  for (std::size_t i = 0; i < m.models.size(); ++i) {
    const model_spec& a = one.m.models[i];
    const model_spec& b = many.m.models[i];
    for (std::size_t j = 0; j < a.columns.size(); ++j) {
      EXPECT_EQ(b.columns[j].canonical_type, a.columns[j].canonical_type) << a.name;
      EXPECT_EQ(b.columns[j].canonical_default, a.columns[j].canonical_default) << a.name;
    }
    for (std::size_t j = 0; j < a.indexes.size(); ++j) {
      EXPECT_EQ(b.indexes[j].canonical_keys, a.indexes[j].canonical_keys) << a.name;
      EXPECT_EQ(b.indexes[j].canonical_predicate, a.indexes[j].canonical_predicate) << a.name;
    }
    for (std::size_t j = 0; j < a.checks.size(); ++j) {
      EXPECT_EQ(b.checks[j].canonical_expression, a.checks[j].canonical_expression) << a.name;
    }
  }
  EXPECT_EQ(many.m.models.back().columns[9].canonical_default,
            std::optional<std::string>("'pending'::user_status"));
}

// Issue 3's benchmark shape: 1000 models, ~12 columns, a check and two indexes each.
TEST_F(canonicalize_test, AThousandModels) {
  manifest m;
  enum_spec status;
  status.name = "status";
  status.labels = {"new", "done"};
  m.enums = {status};
  for (int i = 0; i < 1000; ++i) {
    model_spec model;
    model.name = fmt::format("Model{}", i);
    model.table = fmt::format("table_{}", i);
    model.columns = {column("id", "bigint"),
                     column("name", "varchar(255)"),
                     column("created_at", "timestamptz", "now()"),
                     column("state", "status", "'new'"),
                     column("amount", "numeric(10,2)", "0"),
                     column("is_deleted", "bool", "false"),
                     column("parent_id", "int8"),
                     column("note", "text"),
                     column("count", "int", "0"),
                     column("ratio", "float8"),
                     column("code", "char(3)"),
                     column("payload", "jsonb")};
    model.checks = {check({}, "amount >= 0")};
    model.indexes = {index({}, {"created_at"}, "NOT is_deleted"), index({}, {"lower(name)", "id"})};
    m.models.push_back(model);
  }
  const auto start = std::chrono::steady_clock::now();
  const canonical_manifest c = canonicalize(conn(), m);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("canonicalize: 1000 models in %.3f s\n", seconds);
  RecordProperty("canonicalize_1000_models_ms", static_cast<int>(seconds * 1000));
  EXPECT_TRUE(c.canonical_errors.empty());
  EXPECT_EQ(c.m.models[999].columns[3].canonical_default,
            std::optional<std::string>("'new'::status"));
  EXPECT_EQ(c.m.models[999].indexes[1].canonical_keys,
            (std::vector<std::string>{"lower(name::text)", "id"}));
  EXPECT_LT(seconds, 30.0);
}

}  // namespace
}  // namespace pgparity
