#include "checks/finding.h"

namespace pgparity {

const char* family_name(check_family family) {
  switch (family) {
    case check_family::table_exists:
      return "table exists";
    case check_family::columns_match:
      return "columns match";
    case check_family::enums_match:
      return "enums match";
    case check_family::foreign_keys_match:
      return "foreign keys match";
    case check_family::indexes_match:
      return "indexes match";
    case check_family::uniques_match:
      return "unique constraints match";
    case check_family::checks_match:
      return "checks match";
    case check_family::nothing_undeclared:
      return "nothing undeclared";
  }
  return "unknown";
}

}  // namespace pgparity
