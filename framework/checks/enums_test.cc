// Enums match: labels and their order, with the SQL that gets the database there.
#include <gtest/gtest.h>

#include "checks/checks.h"
#include "checks/checks_test_support.h"

namespace pgparity {
namespace {

using namespace test_support;

findings enum_findings(const manifest& m, const std::vector<enum_info>& enums) {
  return check_enums(m.models[0], m, make_snapshot(rbac_tables(), enums));
}

findings with_labels(const std::vector<std::string>& labels) {
  return enum_findings(rbac_manifest(), {{"public", "user_status", labels}});
}

TEST(Enums, PassWhenLabelsAndOrderMatch) {
  const manifest m = rbac_manifest();
  for (const auto& model_entry : m.models) {
    EXPECT_TRUE(check_enums(model_entry, m, make_snapshot(rbac_tables())).empty());
  }
}

TEST(Enums, LabelsInTheWrongCaseAreRenamedInPlace) {
  const findings found = with_labels({"PENDING", "ACTIVE", "SUSPENDED"});
  ASSERT_EQ(found.size(), 1u);
  const finding& f = found[0];
  EXPECT_EQ(f.kind, check_kind::enums_match);
  EXPECT_EQ(f.model, "User");
  EXPECT_EQ(f.table, "users");
  EXPECT_EQ(f.object, object_kind::enum_type);
  EXPECT_EQ(f.name, "user_status");
  EXPECT_EQ(attributes(f), (std::vector<attribute>{attribute::label_case}));
  EXPECT_EQ(f.expected, "'pending', 'active', 'suspended'");
  EXPECT_EQ(f.actual, "'PENDING', 'ACTIVE', 'SUSPENDED'");
  EXPECT_EQ(f.location.str(), "db/models.yaml:3:3");
  EXPECT_EQ(f.fix_sql,
            "ALTER TYPE user_status RENAME VALUE 'PENDING' TO 'pending';\n"
            "ALTER TYPE user_status RENAME VALUE 'ACTIVE' TO 'active';\n"
            "ALTER TYPE user_status RENAME VALUE 'SUSPENDED' TO 'suspended';");
}

TEST(Enums, MissingLabelsAreAddedInPosition) {
  findings found = with_labels({"pending", "suspended"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].differs, (std::vector<difference>{{attribute::missing_labels, {"active"}}}));
  EXPECT_EQ(found[0].fix_sql, "ALTER TYPE user_status ADD VALUE 'active' AFTER 'pending';");

  found = with_labels({"active"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].differs,
            (std::vector<difference>{{attribute::missing_labels, {"pending", "suspended"}}}));
  EXPECT_EQ(found[0].fix_sql,
            "ALTER TYPE user_status ADD VALUE 'pending' BEFORE 'active';\n"
            "ALTER TYPE user_status ADD VALUE 'suspended' AFTER 'active';");
}

TEST(Enums, ReorderedOrExtraLabelsNeedTheTypeRebuilt) {
  findings found = with_labels({"active", "pending", "suspended"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(attributes(found[0]), (std::vector<attribute>{attribute::label_order}));
  EXPECT_EQ(found[0].fix_sql,
            "-- enum labels cannot be dropped or reordered in place: recreate the type (update "
            "rows holding a removed label first, and repeat the ALTER COLUMN for other tables "
            "using it)\n"
            "ALTER TYPE user_status RENAME TO user_status_old;\n"
            "CREATE TYPE user_status AS ENUM ('pending', 'active', 'suspended');\n"
            "ALTER TABLE users ALTER COLUMN status TYPE user_status USING "
            "status::text::user_status;\n"
            "DROP TYPE user_status_old;");

  found = with_labels({"pending", "active", "suspended", "banned"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].differs,
            (std::vector<difference>{{attribute::unexpected_labels, {"banned"}}}));
  EXPECT_NE(found[0].fix_sql.find("CREATE TYPE user_status AS ENUM"), std::string::npos);
}

TEST(Enums, MissingEnumSuggestsTheDatabaseSpelling) {
  const findings found = enum_findings(rbac_manifest(), {{"public", "userstatus", {"PENDING"}}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].object, object_kind::enum_type);
  EXPECT_EQ(found[0].name, "user_status");
  EXPECT_TRUE(found[0].missing());
  EXPECT_EQ(found[0].actual, "");
  EXPECT_EQ(found[0].suggestion, "userstatus");
  EXPECT_EQ(found[0].fix_sql,
            "CREATE TYPE user_status AS ENUM ('pending', 'active', 'suspended');");
}

// The enum a column uses is the one its loader named (enum_name; the YAML parser, the ORM
// export and the snapshot set it, manifest_forms_test and model_export_test say so). The type
// alone is not looked up among the enums: that cost a scan of every enum per column.
TEST(Enums, TheColumnsEnumIsTheOneItsLoaderNamed) {
  manifest m = rbac_manifest();
  EXPECT_EQ(enum_findings(m, {{"public", "user_status", {"pending", "active"}}}).size(), 1u);
  model(m, "User").columns[2].enum_name.reset();  // type: user_status, not named by a loader
  EXPECT_EQ(enum_findings(m, {{"public", "user_status", {"pending", "active"}}}).size(), 0u);
}

}  // namespace
}  // namespace pgparity
