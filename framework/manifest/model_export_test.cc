// The reader of the SQLAlchemy exporter's JSON and the overlay. (The exporter itself is tested
// through pgparity on real SQLAlchemy projects: fixtures/orm, suites/e2e_driver.cc.)
#include "manifest/model_export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

// What the exporter prints for a small Flask-SQLAlchemy app (trimmed to what is read).
const char* const export_json = R"json({
 "exporter": 1,
 "sqlalchemy": "1.4.46",
 "files": ["/p/app/__init__.py", "/p/app/models.py"],
 "enums": [{"name": "userstatus", "schema": null, "labels": ["PENDING", "ACTIVE"],
            "file": "app/models.py", "line": 12}],
 "models": [
  {"name": "User", "schema": null, "table": "users", "file": "app/models.py", "line": 20,
   "columns": [
    {"name": "id", "type": "UUID", "nullable": false, "primary_key": true,
     "file": "app/models.py", "line": 22, "default": "gen_random_uuid()"},
    {"name": "status", "type": "userstatus", "nullable": false, "primary_key": false,
     "file": "app/models.py", "line": 23, "default": "'PENDING'", "enum": "userstatus"},
    {"name": "bio", "type": "TEXT", "nullable": true, "primary_key": false,
     "file": "app/models.py", "line": 24}],
   "foreign_keys": [], "indexes": [], "uniques": [], "checks": []},
  {"name": "UserRole", "schema": "auth", "table": "user_roles", "file": "app/models.py",
   "line": 30,
   "columns": [
    {"name": "user_id", "type": "UUID", "nullable": false, "primary_key": false,
     "file": "app/models.py", "line": 32}],
   "foreign_keys": [{"name": null, "columns": ["user_id"], "ref_schema": null,
     "ref_table": "users", "ref_columns": ["id"], "on_delete": "cascade", "on_update": null,
     "file": "app/models.py", "line": 32}],
   "indexes": [{"name": "ix_user_roles_user_id", "keys": ["user_id"], "unique": false,
     "where": "user_id IS NOT NULL", "method": "btree", "file": "app/models.py", "line": 32}],
   "uniques": [{"name": "uq_user_roles_user_id", "columns": ["user_id"],
     "file": "app/models.py", "line": 30}],
   "checks": [{"name": null, "expression": "user_id IS NOT NULL", "file": "app/models.py",
     "line": 30}]}
 ]
})json";

TEST(ModelExport, ReadsModelsWithPythonLocations) {
  const model_export e = read_model_export(export_json, "the SQLAlchemy models");
  EXPECT_EQ(e.files, (std::vector<std::string>{"/p/app/__init__.py", "/p/app/models.py"}));
  ASSERT_EQ(e.declared.models.size(), 2u);
  const model_spec& user = e.declared.models[0];
  EXPECT_EQ(user.name, "User");
  EXPECT_EQ(user.schema, "public");
  EXPECT_EQ(user.location.str(), "app/models.py:20");
  ASSERT_EQ(user.columns.size(), 3u);
  EXPECT_TRUE(user.columns[0].primary_key);
  EXPECT_FALSE(user.columns[0].nullable);
  EXPECT_TRUE(user.columns[0].default_declared);
  EXPECT_EQ(user.columns[0].default_expr, "gen_random_uuid()");
  EXPECT_EQ(user.columns[1].enum_name, "userstatus");
  EXPECT_EQ(user.columns[1].location.str(), "app/models.py:23");
  // No server_default: the default is not compared.
  EXPECT_FALSE(user.columns[2].default_declared);
  EXPECT_TRUE(user.columns[2].nullable);
  ASSERT_EQ(e.declared.enums.size(), 1u);
  EXPECT_EQ(e.declared.enums[0].labels, (std::vector<std::string>{"PENDING", "ACTIVE"}));
  EXPECT_EQ(e.declared.enums[0].schema, "public");
}

TEST(ModelExport, ReadsConstraints) {
  const model_export e = read_model_export(export_json, "x");
  const model_spec& role = e.declared.models[1];
  EXPECT_EQ(role.schema, "auth");
  ASSERT_EQ(role.foreign_keys.size(), 1u);
  EXPECT_EQ(role.foreign_keys[0].name, std::nullopt);  // unnamed: the name is not checked
  EXPECT_EQ(role.foreign_keys[0].ref_schema, "public");
  EXPECT_EQ(role.foreign_keys[0].ref_table, "users");
  EXPECT_EQ(role.foreign_keys[0].on_delete, "cascade");
  EXPECT_EQ(role.foreign_keys[0].on_update, std::nullopt);
  ASSERT_EQ(role.indexes.size(), 1u);
  EXPECT_EQ(role.indexes[0].name, "ix_user_roles_user_id");
  EXPECT_EQ(role.indexes[0].unique, false);
  EXPECT_EQ(role.indexes[0].predicate, "user_id IS NOT NULL");
  EXPECT_EQ(role.indexes[0].method, "btree");
  ASSERT_EQ(role.uniques.size(), 1u);
  EXPECT_EQ(role.uniques[0].name, "uq_user_roles_user_id");
  ASSERT_EQ(role.checks.size(), 1u);
  EXPECT_EQ(role.checks[0].name, std::nullopt);
  EXPECT_EQ(role.checks[0].expression, "user_id IS NOT NULL");
}

std::string error_of(const std::string& json) {
  try {
    read_model_export(json, "ORIGIN");
  } catch (const input_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ModelExport, Errors) {
  EXPECT_EQ(error_of("{\"exporter\": 1, \"models\": ["),
            "ORIGIN: the SQLAlchemy exporter printed no readable JSON (end of sequence flow not "
            "found); its output was cut short: run `pgparity lint` to see the exporter's error");
  EXPECT_EQ(error_of(R"json({"exporter": 2})json"),
            "ORIGIN: the SQLAlchemy exporter's output is malformed (not an export of exporter "
            "version 1); pgparity and its exporter do not match: reinstall pgparity");
  const std::string twice = R"json({"exporter": 1, "models": [
    {"name": "User", "table": "users", "file": "a.py", "line": 3},
    {"name": "User", "table": "members", "file": "b.py", "line": 7}]})json";
  EXPECT_EQ(error_of(twice),
            "b.py:7: two models are named `User` (the other at a.py:3); test names come from "
            "class names, so rename one of the classes");
}

class Overlay : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("pgparity-overlay-" + std::to_string(getpid()))).string();
  }
  void TearDown() override { fs::remove(path_); }
  std::string error_of(const std::string& yaml) {
    std::ofstream(path_) << yaml;
    manifest m = read_model_export(export_json, "x").declared;
    try {
      apply_overlay(m, path_);
    } catch (const input_error& e) {
      std::string message = e.what();
      return message.replace(0, path_.size(), "OVERLAY");
    }
    return "(no error)";
  }
  std::string path_;
};

TEST_F(Overlay, AddsSoftDeleteAndSamples) {
  std::ofstream(path_) << "models:\n  User:\n    soft_delete: bio\n"
                          "    columns:\n      bio: {sample: \"'hi'\"}\n";
  manifest m = read_model_export(export_json, "x").declared;
  apply_overlay(m, path_);
  EXPECT_EQ(m.models[0].soft_delete, "bio");
  EXPECT_EQ(m.models[0].columns[2].sample, "'hi'");
}

TEST_F(Overlay, Errors) {
  EXPECT_EQ(error_of("models:\n  Usr: {soft_delete: bio}\n"),
            "OVERLAY:2:3: no model `Usr` in the SQLAlchemy models; did you mean `User`?");
  EXPECT_EQ(error_of("models:\n  User: {columns: {bi: {sample: x}}}\n"),
            "OVERLAY:2:20: no column `bi` in the SQLAlchemy models; did you mean `bio`?");
  EXPECT_EQ(error_of("models:\n  User: {soft_delet: bio}\n"),
            "OVERLAY:2:10: unknown key `soft_delet` in model `User` in the overlay; did you "
            "mean `soft_delete`?");
}

}  // namespace
}  // namespace pgparity
