// Golden tests of the failure text and the audit report.
#include "report/report.h"

#include <gtest/gtest.h>

namespace pgparity {
namespace {

finding missing_column() {
  finding f = make_finding(check_kind::columns_match, object_kind::column, "public", "user_roles",
                           "role_id");
  f.model = "UserRole";
  f.differs = {attribute::existence};
  f.expected = "uuid NOT NULL";
  f.suggestion = "role_ids";
  f.fix_sql = "ALTER TABLE user_roles ADD COLUMN role_id uuid NOT NULL;";
  f.location = {"db/models.yaml", 27, 7};
  return f;
}

finding missing_unique(const std::string& model, const std::string& table,
                       const std::string& columns, int line) {
  finding f = make_finding(check_kind::uniques_match, object_kind::unique, "public", table,
                           "(" + columns + ")");
  f.model = model;
  f.differs = {attribute::existence};
  f.expected = "UNIQUE (" + columns + ")";
  f.fix_sql = "ALTER TABLE " + table + " ADD CONSTRAINT uq_" + table + " UNIQUE (" + columns + ");";
  f.location = {"db/models.yaml", line, 7};
  return f;
}

finding undeclared_index(const std::string& column) {
  finding f = make_finding(check_kind::undeclared_objects, object_kind::index, "public",
                           "refresh_tokens", "ix_refresh_tokens_" + column);
  f.level = severity::warning;
  f.model = "RefreshToken";
  f.differs = {attribute::declaration};
  f.actual = "(" + column + ")";
  f.declare_yaml = "indexes: - {name: ix_refresh_tokens_" + column + ", columns: [" + column + "]}";
  f.fix_sql = "DROP INDEX ix_refresh_tokens_" + column + ";";
  f.location = {"db/models.yaml", 52, 3};
  return f;
}

findings seed_000() {
  return {missing_unique("UserRole", "user_roles", "user_id, role_id", 29),
          undeclared_index("token_hash"),
          missing_unique("RolePermission", "role_permissions", "role_id, permission_id", 50),
          undeclared_index("user_id")};
}

TEST(FormatFailure, MissingColumn) {
  EXPECT_EQ(format_failure(missing_column()),
            "Columns/Match  UserRole (table user_roles): column role_id is missing\n"
            "  expected: uuid NOT NULL\n"
            "  actual:   (none)\n"
            "  declared at db/models.yaml:27:7\n"
            "  did you mean `role_ids`?\n"
            "  fix: ALTER TABLE user_roles ADD COLUMN role_id uuid NOT NULL;\n");
}

TEST(FormatFailure, MultiLineFixAndReverseDriftWarning) {
  finding f = make_finding(check_kind::foreign_keys_match, object_kind::foreign_key, "public",
                           "user_roles", "(role_id)");
  f.model = "UserRole";
  f.differs = {attribute::on_delete};
  f.expected = "(role_id) REFERENCES roles (id) ON DELETE CASCADE";
  f.actual = "(role_id) REFERENCES roles (id) ON DELETE NO ACTION ON UPDATE NO ACTION";
  f.fix_sql =
      "ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_id_fkey;\n"
      "ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_id_fkey FOREIGN KEY (role_id) "
      "REFERENCES roles (id) ON DELETE CASCADE;";
  f.location = {"db/models.yaml", 27, 16};
  EXPECT_EQ(format_failure(f),
            "ForeignKeys/Match  UserRole (table user_roles): foreign key (role_id) ON DELETE "
            "differs\n"
            "  expected: (role_id) REFERENCES roles (id) ON DELETE CASCADE\n"
            "  actual:   (role_id) REFERENCES roles (id) ON DELETE NO ACTION ON UPDATE NO ACTION\n"
            "  declared at db/models.yaml:27:16\n"
            "  fix: ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_id_fkey;\n"
            "       ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_id_fkey FOREIGN KEY "
            "(role_id) REFERENCES roles (id) ON DELETE CASCADE;\n");

  EXPECT_EQ(format_failure(undeclared_index("user_id")),
            "Undeclared/Objects  RefreshToken (table refresh_tokens): index "
            "ix_refresh_tokens_user_id is not declared in the model [WARNING]\n"
            "  expected: (none)\n"
            "  actual:   (user_id)\n"
            "  model declared at db/models.yaml:52:3\n"
            "  fix: DROP INDEX ix_refresh_tokens_user_id;\n"
            "  or declare it in model RefreshToken: indexes: - {name: ix_refresh_tokens_user_id, "
            "columns: [user_id]}\n");
}

TEST(FormatFailure, TableNoModelDeclares) {
  finding f =
      make_finding(check_kind::undeclared_tables, object_kind::table, "public", "audit_log", "");
  f.level = severity::critical;
  f.differs = {attribute::declaration};
  f.actual = "table audit_log (id, message)";
  f.fix_sql = "DROP TABLE audit_log;";
  f.location.file = "db/models.yaml";
  EXPECT_EQ(format_failure(f),
            "Undeclared/Tables  table audit_log: table audit_log is not declared by any model\n"
            "  expected: (none)\n"
            "  actual:   table audit_log (id, message)\n"
            "  manifest db/models.yaml\n"
            "  declare a model for it, or list it in ignore_tables of pgparity.yaml\n"
            "  fix: DROP TABLE audit_log;\n");
}

TEST(FormatFindings, SeparatesFailuresWithABlankLine) {
  EXPECT_EQ(format_findings({}), "");
  const std::string one = format_failure(missing_column());
  EXPECT_EQ(format_findings({missing_column(), missing_column()}), one + "\n" + one);
}

TEST(MarkdownReport, Seed000AuditReport) {
  report_meta meta;
  meta.manifest_file = "db/models.yaml";
  meta.models = 12;
  meta.server_version = "15.4";
  meta.tables = 22;
  meta.generated_at = "2026-01-23T10:00:00Z";
  EXPECT_EQ(markdown_report(seed_000(), meta),
            R"(# pgparity audit report

Manifest `db/models.yaml` (12 models) · PostgreSQL 15.4 (22 tables) · generated 2026-01-23T10:00:00Z

## Summary

| Level | Count |
|---|---|
| CRITICAL | 2 |
| WARNING | 2 |

| Check | CRITICAL | WARNING |
|---|---|---|
| unique constraints match | 2 | 0 |
| nothing undeclared | 0 | 2 |

## CRITICAL

### 1. UserRole: `unique (user_id, role_id)` is missing

- Table: `user_roles`
- Check: unique constraints match (Uniques/Match)
- Declared at: `db/models.yaml:29:7`
- Expected: `UNIQUE (user_id, role_id)`
- Actual: (none)

Fix:

```sql
ALTER TABLE user_roles ADD CONSTRAINT uq_user_roles UNIQUE (user_id, role_id);
```

### 2. RolePermission: `unique (role_id, permission_id)` is missing

- Table: `role_permissions`
- Check: unique constraints match (Uniques/Match)
- Declared at: `db/models.yaml:50:7`
- Expected: `UNIQUE (role_id, permission_id)`
- Actual: (none)

Fix:

```sql
ALTER TABLE role_permissions ADD CONSTRAINT uq_role_permissions UNIQUE (role_id, permission_id);
```

## WARNING

### 3. RefreshToken: `index ix_refresh_tokens_token_hash` is not declared in the model

- Table: `refresh_tokens`
- Check: nothing undeclared (Undeclared/Objects)
- Manifest: `db/models.yaml:52:3`
- Expected: (none)
- Actual: `(token_hash)`
- Hint: or declare it in model RefreshToken: indexes: - {name: ix_refresh_tokens_token_hash, columns: [token_hash]}

Fix:

```sql
DROP INDEX ix_refresh_tokens_token_hash;
```

### 4. RefreshToken: `index ix_refresh_tokens_user_id` is not declared in the model

- Table: `refresh_tokens`
- Check: nothing undeclared (Undeclared/Objects)
- Manifest: `db/models.yaml:52:3`
- Expected: (none)
- Actual: `(user_id)`
- Hint: or declare it in model RefreshToken: indexes: - {name: ix_refresh_tokens_user_id, columns: [user_id]}

Fix:

```sql
DROP INDEX ix_refresh_tokens_user_id;
```
)");
}

TEST(MarkdownReport, NothingFound) {
  EXPECT_EQ(markdown_report({}),
            "# pgparity audit report\n\n"
            "## Summary\n\n"
            "| Level | Count |\n|---|---|\n| CRITICAL | 0 |\n| WARNING | 0 |\n\n"
            "No issues: the database matches the manifest.\n");
}

TEST(JsonReport, StableShape) {
  report_meta meta;
  meta.manifest_file = "db/models.yaml";
  meta.server_version = "15.4";
  meta.models = 3;
  meta.tables = 3;
  EXPECT_EQ(json_report({missing_column()}, meta), R"({
  "format": "pgparity-report",
  "version": 1,
  "meta": {
    "title": "pgparity audit report",
    "manifest": "db/models.yaml",
    "server_version": "15.4",
    "generated_at": "",
    "models": 3,
    "tables": 3,
    "pgparity_version": ""
  },
  "summary": {
    "critical": 1,
    "warning": 0,
    "total": 1
  },
  "findings": [
    {
      "level": "CRITICAL",
      "family": "columns_match",
      "family_name": "columns match",
      "suite": "Columns/Match",
      "model": "UserRole",
      "table": "user_roles",
      "object": "column role_id",
      "problem": "is missing",
      "expected": "uuid NOT NULL",
      "actual": "",
      "hint": "did you mean `role_ids`?",
      "fix_sql": "ALTER TABLE user_roles ADD COLUMN role_id uuid NOT NULL;",
      "test": "",
      "kind": "columns_match",
      "object_kind": "column",
      "schema": "public",
      "table_name": "user_roles",
      "name": "role_id",
      "differs": [{"attribute": "existence", "values": []}],
      "suggestion": "role_ids",
      "cause": {"kind": "", "object": "", "value": ""},
      "declare_yaml": "",
      "statements": [],
      "location": {"file": "db/models.yaml", "line": 27, "column": 7}
    }
  ]
}
)");
}

TEST(JsonReport, EmptyAndSeveral) {
  const std::string empty = json_report({});
  EXPECT_NE(empty.find("\"findings\": []\n}"), std::string::npos);
  EXPECT_NE(empty.find("\"total\": 0"), std::string::npos);
  const std::string several = json_report(seed_000());
  EXPECT_NE(several.find("\"critical\": 2,\n    \"warning\": 2,\n    \"total\": 4"),
            std::string::npos);
  EXPECT_NE(several.find("    },\n    {\n"), std::string::npos);
  EXPECT_NE(several.find("\"level\": \"WARNING\""), std::string::npos);
  EXPECT_NE(several.find("\"suite\": \"Undeclared/Objects\""), std::string::npos);
}

TEST(JsonString, EscapesWhatJsonRequires) {
  EXPECT_EQ(json_string("plain"), "\"plain\"");
  EXPECT_EQ(json_string("say \"hi\" \\ bye"), "\"say \\\"hi\\\" \\\\ bye\"");
  EXPECT_EQ(json_string("a\nb\tc\rd"), "\"a\\nb\\tc\\rd\"");
  EXPECT_EQ(json_string(std::string("nul\0x", 5)), "\"nul\\u0000x\"");
  EXPECT_EQ(json_string("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
  EXPECT_EQ(json_string("'pending'::user_status"), "\"'pending'::user_status\"");
  EXPECT_EQ(json_string("caf\xc3\xa9 \xe2\x9c\x85"), "\"caf\xc3\xa9 \xe2\x9c\x85\"");  // UTF-8 kept
  EXPECT_EQ(json_string("bad \xff\xc3"), "\"bad \\ufffd\\ufffd\"");
  EXPECT_EQ(json_string("\xc0\xaf"), "\"\\ufffd\\ufffd\"");             // overlong
  EXPECT_EQ(json_string("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
}

TEST(Names, SeverityAndSuites) {
  EXPECT_STREQ(severity_name(severity::critical), "CRITICAL");
  EXPECT_STREQ(severity_name(severity::warning), "WARNING");
  finding f;
  f.kind = check_kind::table_exists;
  EXPECT_STREQ(suite_title(f), "Tables/Exists");
  f.kind = check_kind::undeclared_tables;
  EXPECT_STREQ(suite_title(f), "Undeclared/Tables");
  f.kind = check_kind::undeclared_objects;
  EXPECT_STREQ(suite_title(f), "Undeclared/Objects");
  EXPECT_STREQ(kind_id(check_kind::foreign_keys_match), "foreign_keys_match");
  EXPECT_STREQ(attribute_id(attribute::on_delete), "on_delete");
  EXPECT_STREQ(object_kind_id(object_kind::foreign_key), "foreign_key");
}

}  // namespace
}  // namespace pgparity
