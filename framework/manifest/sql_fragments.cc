#include "manifest/sql_fragments.h"

#include <optional>

#include "common/error.h"

namespace pgparity::manifest_detail {
namespace {

void check_optional(const std::optional<std::string>& text, const source_location& at,
                    const std::string& what) {
  if (text) check_sql_fragment(*text, at, what);
}

void check_columns(const model_spec& model, const std::string& of) {
  for (const auto& c : model.columns) {
    const std::string in = " of column `" + c.name + "`" + of;
    check_sql_fragment(c.type, c.location, "`type`" + in);
    check_optional(c.default_expr, c.location, "`default`" + in);
    check_optional(c.sample, c.location, "`sample`" + in);
    check_optional(c.generated, c.location, "`generated`" + in);
    check_optional(c.collation, c.location, "`collation`" + in);
  }
}

void check_constraints(const model_spec& model, const std::string& of) {
  for (const auto& ix : model.indexes) {
    for (const auto& key : ix.keys) check_sql_fragment(key, ix.location, "an index key" + of);
    check_optional(ix.predicate, ix.location, "an index's `where`" + of);
    check_optional(ix.method, ix.location, "an index's `method`" + of);
  }
  for (const auto& ck : model.checks) {
    check_sql_fragment(ck.expression, ck.location, "a check's `expression`" + of);
  }
  for (const auto& x : model.exclusions) {
    check_sql_fragment(x.method, x.location, "an exclusion's `using`" + of);
    for (const auto& e : x.elements) {
      check_sql_fragment(e.key, x.location, "an exclusion element" + of);
      check_sql_fragment(e.op, x.location, "an exclusion operator" + of);
    }
    check_optional(x.predicate, x.location, "an exclusion's `where`" + of);
  }
}

}  // namespace

void check_sql_fragment(const std::string& text, const source_location& at,
                        const std::string& what) {
  if (text.find(';') == std::string::npos) return;
  throw input_error(at.str() + ": " + what + " holds `;` (`" + text +
                    "`); it is one SQL type or expression, not statements: remove the `;` and "
                    "what follows it (a string literal can spell it chr(59))");
}

void check_sql_fragments(const model_spec& model) {
  const std::string of = " of model `" + model.name + "`";
  check_columns(model, of);
  check_constraints(model, of);
}

}  // namespace pgparity::manifest_detail
