// Values for columns: a SQL expression of a column's type that a probe can insert, varied by a
// sequence number so that rows which must differ (unique sets, keys) do.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/snapshot.h"
#include "probes/probe_transaction.h"

namespace pgparity {
namespace probes_detail {

// A value of a built-in type named as format_type() prints it ("character varying(20)",
// "numeric(8,2)", "timestamp with time zone", "integer[]"), without asking the server.
// `vary_all` also varies types with few values (boolean, enums); otherwise they take their
// first value so check constraints see a predictable row. `wide` gives values at the type's
// declared width instead (see wide_value). nullopt for types it does not know.
std::optional<std::string> builtin_value(const std::string& type, long variant, bool vary_all,
                                         bool wide = false);

struct synthesized_value {
  std::optional<std::string> sql;  // an expression already cast to the column's type
  std::string reason;              // why there is none, when sql is empty
};

// Adds what only the server knows: enum labels, the base type of domains, the category of
// extension types (citext is a string). Answers are cached per type name; an instance serves one
// connection only, since format_type() output depends on the session's search_path.
class value_synthesizer {
 public:
  explicit value_synthesizer(const snapshot& schema) : schema_(schema) {}

  synthesized_value for_column(probe_transaction& tx, const column_info& column, long variant,
                               bool vary_all, bool wide = false);
  synthesized_value for_type(probe_transaction& tx, const std::string& type, long variant,
                             bool vary_all, bool wide = false);

 private:
  struct type_facts {
    bool known = false;
    char kind = 'b';                  // pg_type.typtype
    char category = 'U';              // pg_type.typcategory
    std::string base;                 // domains: format_type(typbasetype, typtypmod)
    std::vector<std::string> labels;  // enums
  };
  const type_facts& facts(probe_transaction& tx, const std::string& type);
  std::optional<std::string> uncast_value(probe_transaction& tx, const std::string& type,
                                          long variant, bool vary_all, bool wide, int depth);

  const snapshot& schema_;
  std::map<std::string, type_facts> cache_;
};

}  // namespace probes_detail
}  // namespace pgparity
