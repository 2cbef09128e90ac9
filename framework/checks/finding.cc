#include "checks/finding.h"

#include <algorithm>
#include <utility>

namespace pgparity {

bool finding::has(attribute a) const {
  return std::any_of(differs.begin(), differs.end(),
                     [&](const difference& d) { return d.what == a; });
}

finding make_finding(check_kind kind, object_kind object, std::string schema, std::string table,
                     std::string name) {
  finding f;
  f.kind = kind;
  f.object = object;
  f.schema = std::move(schema);
  f.table = std::move(table);
  f.name = std::move(name);
  return f;
}

}  // namespace pgparity
