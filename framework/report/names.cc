#include "report/report.h"

namespace pgparity {

const char* severity_name(severity level) {
  return level == severity::critical ? "CRITICAL" : "WARNING";
}

const char* suite_title(const finding& f) {
  switch (f.family) {
    case check_family::table_exists:
      return "Tables/Exists";
    case check_family::columns_match:
      return "Columns/Match";
    case check_family::enums_match:
      return "Enums/Match";
    case check_family::foreign_keys_match:
      return "ForeignKeys/Match";
    case check_family::indexes_match:
      return "Indexes/Match";
    case check_family::uniques_match:
      return "Uniques/Match";
    case check_family::checks_match:
      return "Checks/Match";
    case check_family::nothing_undeclared:
      return f.model.empty() ? "Undeclared/Tables" : "Undeclared/Objects";
  }
  return "?";
}

const char* family_id(check_family family) {
  switch (family) {
    case check_family::table_exists:
      return "table_exists";
    case check_family::columns_match:
      return "columns_match";
    case check_family::enums_match:
      return "enums_match";
    case check_family::foreign_keys_match:
      return "foreign_keys_match";
    case check_family::indexes_match:
      return "indexes_match";
    case check_family::uniques_match:
      return "uniques_match";
    case check_family::checks_match:
      return "checks_match";
    case check_family::nothing_undeclared:
      return "nothing_undeclared";
  }
  return "unknown";
}

}  // namespace pgparity
