// The parameters of the generated check suites: which families exist, which models each family
// is instantiated for, and the stable test-name suffix of each parameter.
//
// The registry is filled from the manifest before InitGoogleTest: GoogleTest evaluates the
// ValuesIn() generators of INSTANTIATE_TEST_SUITE_P lazily inside InitGoogleTest, so the
// instantiations in suites/ see the filled registry.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "manifest/model_spec.h"

namespace pgparity::harness {

// One generated suite each; the order is the order of the report.
enum class suite_family {
  tables_exist,        // Tables/Exists.Check/<Model>
  columns_match,       // Columns/Match.Check/<Model>
  enums_match,         // Enums/Match.Check/<Model>
  foreign_keys_match,  // ForeignKeys/Match.Check/<Model>
  indexes_match,       // Indexes/Match.Check/<Model>
  uniques_match,       // Uniques/Match.Check/<Model>
  checks_match,        // Checks/Match.Check/<Model>
  undeclared_objects,  // Undeclared/Objects.Check/<Model>
  undeclared_tables,   // Undeclared/Tables.Check/<schema>
};

const std::vector<suite_family>& all_suite_families();

// "Tables/Exists", "Columns/Match", ... (the test suite name without ".Check/<param>").
const char* suite_name(suite_family family);

// One test: a family applied to one model (or, for undeclared_tables, to one schema).
struct suite_param {
  suite_family family = suite_family::tables_exist;
  std::size_t model_index = 0;  // into manifest::models; unused for undeclared_tables
  std::string schema;           // the model's schema, or the schema under test
  std::string name;             // test-name suffix: a valid, unique GoogleTest name

  // "Tables/Exists.Check/User": the name --gtest_filter and JUnit XML use.
  std::string test_name() const;
};

// GoogleTest prints parameters in its output; print the test-name suffix, not bytes.
void PrintTo(const suite_param& param, std::ostream* os);

// `raw` as a GoogleTest parameter name: letters, digits and '_' only, never empty. Names that
// already are valid are kept as they are; any other character becomes '_' (deterministic).
std::string sanitize_test_name(const std::string& raw);

// True when `model` has a column whose type is an enum the manifest declares.
bool uses_enum(const model_spec& model, const manifest& m);

// The models (or schemas) of `m` that `family` is instantiated for. Names are sanitised and
// made unique within the family by a "_2", "_3" ... suffix in manifest order.
std::vector<suite_param> params_for(suite_family family, const manifest& m);

// The schemas the manifest's models use, in order of first use (the default schema when there
// are no models).
std::vector<std::string> manifest_schemas(const manifest& m);

// The global registry the suites instantiate from.
void register_manifest(const manifest& m);
const std::vector<suite_param>& registered(suite_family family);

}  // namespace pgparity::harness
