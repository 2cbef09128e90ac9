// Hand-built manifests and snapshots for the checks' unit tests: a small RBAC schema (users,
// roles, user_roles, user_status) declared in a manifest and present, identically, in a
// snapshot. Each test breaks exactly one thing in one of the two.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "checks/checks.h"
#include "manifest/model_spec.h"

namespace pgparity {
namespace test_support {

constexpr const char* manifest_file = "db/models.yaml";
source_location at(int line, int column = 7);

column_spec column(const std::string& name, const std::string& type, bool nullable = true,
                   int line = 0);
column_info db_column(const std::string& name, const std::string& type, bool not_null = false,
                      std::optional<std::string> default_expr = std::nullopt);

// The declared side: User, Role, UserRole and the user_status enum.
manifest rbac_manifest();
// The database side, matching rbac_manifest() exactly.
std::vector<table_info> rbac_tables();
std::vector<enum_info> rbac_enums();
snapshot make_snapshot(std::vector<table_info> tables, std::vector<enum_info> enums = rbac_enums());

// Mutable access by name; aborts the test (throws) when absent.
model_spec& model(manifest& m, const std::string& name);
table_info& table(std::vector<table_info>& tables, const std::string& name);

// The attributes a finding says differ, in order.
std::vector<attribute> attributes(const finding& f);

// Every finding of every family for every model, and the schema-wide ones.
findings all_findings(const manifest& m, const snapshot& db,
                      const reverse_drift_options& options = {});

}  // namespace test_support
}  // namespace pgparity
