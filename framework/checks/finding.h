// The result of comparing one declared object with the database: a value, never an exception.
#pragma once

#include <string>
#include <vector>

#include "common/source_location.h"

namespace pgparity {

enum class severity { critical, warning };

// The check families of PRODUCT.md; names are used in test names and reports.
enum class check_family {
  table_exists,
  columns_match,
  enums_match,
  foreign_keys_match,
  indexes_match,
  uniques_match,
  checks_match,
  nothing_undeclared,
};

const char* family_name(check_family family);  // "table exists", ...

struct finding {
  check_family family;
  severity level = severity::critical;
  std::string model;         // model name ("" for reverse drift with no model)
  std::string table;         // schema-qualified when not public
  std::string object;        // "column email", "foreign key fk_x", "index ix_y", "enum user_status"
  std::string problem;       // one line: "is missing", "type differs", ...
  std::string expected;      // as declared (canonical form where known)
  std::string actual;        // as found in the database ("" when missing)
  std::string hint;          // "did you mean `emial`?" or ""
  std::string fix_sql;       // SQL that would make the database match the manifest
  source_location location;  // the manifest entry
};

using findings = std::vector<finding>;

}  // namespace pgparity
