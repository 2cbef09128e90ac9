#include "checks/checks_test_support.h"

#include <stdexcept>

namespace pgparity {
namespace test_support {

source_location at(int line, int column) { return {manifest_file, line, column}; }

column_spec column(const std::string& name, const std::string& type, bool nullable, int line) {
  column_spec c;
  c.name = name;
  c.type = type;
  c.nullable = nullable;
  c.location = at(line);
  return c;
}

column_info db_column(const std::string& name, const std::string& type, bool not_null,
                      std::optional<std::string> default_expr) {
  column_info c;
  c.name = name;
  c.type = type;
  c.type_schema = "pg_catalog";
  c.type_name = type;
  c.not_null = not_null;
  c.default_expr = std::move(default_expr);
  return c;
}

namespace {

model_spec user_model() {
  model_spec m;
  m.name = "User";
  m.schema = "public";
  m.table = "users";
  m.soft_delete = "is_deleted";
  m.location = at(5, 3);
  column_spec id = column("id", "uuid", false, 8);
  id.primary_key = true;
  id.default_declared = true;
  id.default_expr = "gen_random_uuid()";
  id.canonical_default = "gen_random_uuid()";
  column_spec email = column("email", "varchar(255)", false, 9);
  email.canonical_type = "character varying(255)";
  column_spec status = column("status", "user_status", false, 10);
  status.canonical_type = "user_status";
  status.enum_name = "user_status";
  status.default_declared = true;
  status.default_expr = "'pending'";
  status.canonical_default = "'pending'::user_status";
  column_spec is_deleted = column("is_deleted", "boolean", false, 11);
  is_deleted.default_declared = true;
  is_deleted.default_expr = "false";
  column_spec created_at = column("created_at", "timestamptz", false, 12);
  created_at.canonical_type = "timestamp with time zone";
  created_at.default_declared = true;
  created_at.default_expr = "now()";
  m.columns = {id, email, status, is_deleted, created_at};

  index_spec by_created;
  by_created.name = "ix_users_created_at";
  by_created.keys = {"created_at"};
  by_created.predicate = "NOT is_deleted";
  by_created.canonical_predicate = "(NOT is_deleted)";
  by_created.location = at(14);
  m.indexes = {by_created};

  unique_spec email_unique;
  email_unique.name = "uq_users_email";
  email_unique.columns = {"email"};
  email_unique.location = at(16);
  m.uniques = {email_unique};

  check_spec not_blank;
  not_blank.name = "ck_users_email_not_blank";
  not_blank.expression = "email <> ''";
  not_blank.canonical_expression = "((email)::text <> ''::text)";
  not_blank.location = at(18);
  m.checks = {not_blank};
  return m;
}

model_spec role_model() {
  model_spec m;
  m.name = "Role";
  m.schema = "public";
  m.table = "roles";
  m.location = at(19, 3);
  column_spec id = column("id", "uuid", false, 21);
  id.primary_key = true;
  m.columns = {id, column("name", "text", false, 22)};
  return m;
}

model_spec user_role_model() {
  model_spec m;
  m.name = "UserRole";
  m.schema = "public";
  m.table = "user_roles";
  m.location = at(23, 3);
  column_spec id = column("id", "uuid", false, 25);
  id.primary_key = true;
  m.columns = {id, column("user_id", "uuid", false, 26), column("role_id", "uuid", false, 27)};

  unique_spec pair;
  pair.columns = {"user_id", "role_id"};
  pair.location = at(29);
  m.uniques = {pair};

  foreign_key_spec to_user;
  to_user.name = "fk_user_roles_user_id";
  to_user.columns = {"user_id"};
  to_user.ref_schema = "public";
  to_user.ref_table = "users";
  to_user.ref_columns = {"id"};
  to_user.on_delete = "cascade";
  to_user.location = at(31);
  foreign_key_spec to_role;  // short form: `references: roles.id`, no name
  to_role.columns = {"role_id"};
  to_role.ref_schema = "public";
  to_role.ref_table = "roles";
  to_role.ref_columns = {"id"};
  to_role.on_delete = "cascade";
  to_role.location = at(27, 16);
  m.foreign_keys = {to_user, to_role};
  return m;
}

index_info pkey(const std::string& table, const std::vector<std::string>& columns) {
  index_info i;
  i.name = table + "_pkey";
  i.keys = columns;
  i.unique = true;
  i.primary = true;
  i.method = "btree";
  i.constraint_name = i.name;
  return i;
}

}  // namespace

manifest rbac_manifest() {
  manifest m;
  m.file = manifest_file;
  enum_spec status;
  status.name = "user_status";
  status.schema = "public";
  status.labels = {"pending", "active", "suspended"};
  status.location = at(3, 3);
  m.enums = {status};
  m.models = {user_model(), role_model(), user_role_model()};
  return m;
}

std::vector<table_info> rbac_tables() {
  table_info users;
  users.schema = "public";
  users.name = "users";
  column_info status = db_column("status", "user_status", true, "'pending'::user_status");
  status.type_schema = "public";
  status.type_kind = 'e';
  users.columns = {db_column("id", "uuid", true, "gen_random_uuid()"),
                   db_column("email", "character varying(255)", true), status,
                   db_column("is_deleted", "boolean", true, "false"),
                   db_column("created_at", "timestamp with time zone", true, "now()")};
  users.primary_key_name = "users_pkey";
  users.primary_key = {"id"};
  index_info by_created;
  by_created.name = "ix_users_created_at";
  by_created.keys = {"created_at"};
  by_created.predicate = "(NOT is_deleted)";
  by_created.method = "btree";
  index_info email_unique;
  email_unique.name = "uq_users_email";
  email_unique.keys = {"email"};
  email_unique.unique = true;
  email_unique.method = "btree";
  email_unique.constraint_name = "uq_users_email";
  users.indexes = {pkey("users", {"id"}), by_created, email_unique};
  users.uniques = {{"uq_users_email", {"email"}}};
  users.checks = {{"ck_users_email_not_blank", "((email)::text <> ''::text)",
                   "CHECK (((email)::text <> ''::text))"}};

  table_info roles;
  roles.schema = "public";
  roles.name = "roles";
  roles.columns = {db_column("id", "uuid", true), db_column("name", "text", true)};
  roles.primary_key_name = "roles_pkey";
  roles.primary_key = {"id"};
  roles.indexes = {pkey("roles", {"id"})};

  table_info user_roles;
  user_roles.schema = "public";
  user_roles.name = "user_roles";
  user_roles.columns = {db_column("id", "uuid", true), db_column("user_id", "uuid", true),
                        db_column("role_id", "uuid", true)};
  user_roles.primary_key_name = "user_roles_pkey";
  user_roles.primary_key = {"id"};
  foreign_key_info to_user;
  to_user.name = "fk_user_roles_user_id";
  to_user.columns = {"user_id"};
  to_user.ref_schema = "public";
  to_user.ref_table = "users";
  to_user.ref_columns = {"id"};
  to_user.on_delete = "cascade";
  to_user.on_update = "no action";
  foreign_key_info to_role = to_user;
  to_role.name = "user_roles_role_id_fkey";
  to_role.columns = {"role_id"};
  to_role.ref_table = "roles";
  user_roles.foreign_keys = {to_user, to_role};
  index_info pair;
  pair.name = "user_roles_user_id_role_id_key";
  pair.keys = {"user_id", "role_id"};
  pair.unique = true;
  pair.method = "btree";
  pair.constraint_name = pair.name;
  user_roles.indexes = {pkey("user_roles", {"id"}), pair};
  user_roles.uniques = {{pair.name, {"user_id", "role_id"}}};
  return {users, roles, user_roles};
}

std::vector<enum_info> rbac_enums() {
  return {{"public", "user_status", {"pending", "active", "suspended"}}};
}

snapshot make_snapshot(std::vector<table_info> tables, std::vector<enum_info> enums) {
  return snapshot("15.4", std::move(tables), std::move(enums), {});
}

model_spec& model(manifest& m, const std::string& name) {
  for (auto& candidate : m.models) {
    if (candidate.name == name) return candidate;
  }
  throw std::logic_error("test manifest has no model " + name);
}

table_info& table(std::vector<table_info>& tables, const std::string& name) {
  for (auto& candidate : tables) {
    if (candidate.name == name) return candidate;
  }
  throw std::logic_error("test snapshot has no table " + name);
}

findings all_findings(const manifest& m, const snapshot& db, const reverse_drift_options& options) {
  findings out;
  const auto append = [&](findings more) { out.insert(out.end(), more.begin(), more.end()); };
  for (const auto& model_entry : m.models) {
    append(check_table_exists(model_entry, m, db));
    append(check_columns(model_entry, db));
    append(check_enums(model_entry, m, db));
    append(check_foreign_keys(model_entry, db));
    append(check_indexes(model_entry, db));
    append(check_uniques(model_entry, db));
    append(check_checks(model_entry, db));
    append(check_undeclared(model_entry, db, options));
  }
  append(check_undeclared_tables(m, db, options));
  return out;
}

std::vector<attribute> attributes(const finding& f) {
  std::vector<attribute> out;
  for (const auto& d : f.differs) out.push_back(d.what);
  return out;
}

}  // namespace test_support
}  // namespace pgparity
