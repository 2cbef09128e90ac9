// Enums match: every enum type the model's columns use exists with the same labels, in order.
#include <algorithm>
#include <utility>

#include "checks/checks.h"
#include "checks/compare.h"
#include "checks/fix_sql.h"
#include "checks/match.h"
#include "checks/sql_text.h"
#include "common/did_you_mean.h"

namespace pgparity {

using namespace checks_detail;

namespace {

std::string label_list(const std::vector<std::string>& labels) {
  std::vector<std::string> quoted;
  for (const auto& label : labels) quoted.push_back(quote_literal(label));
  return join(quoted, ", ");
}

bool contains(const std::vector<std::string>& labels, const std::string& label) {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

// The label of `labels` equal to `label` ignoring case, or nullptr.
const std::string* find_ignoring_case(const std::vector<std::string>& labels,
                                      const std::string& label) {
  for (const auto& candidate : labels) {
    if (iequals(candidate, label)) return &candidate;
  }
  return nullptr;
}

// Labels present on both sides (ignoring case), lower-cased, in the order of `labels`.
std::vector<std::string> shared_order(const std::vector<std::string>& labels,
                                      const std::vector<std::string>& other) {
  std::vector<std::string> out;
  for (const auto& label : labels) {
    if (find_ignoring_case(other, label)) out.push_back(to_lower(label));
  }
  return out;
}

struct label_comparison {
  std::vector<std::pair<std::string, std::string>> renames;  // actual -> expected (case only)
  std::vector<std::string> missing;                          // declared, absent in any case
  std::vector<std::string> unexpected;                       // in the database only
  bool reordered = false;
};

label_comparison compare_labels(const std::vector<std::string>& expected,
                                const std::vector<std::string>& actual) {
  label_comparison c;
  for (const auto& label : expected) {
    if (contains(actual, label)) continue;
    if (const std::string* other = find_ignoring_case(actual, label)) {
      c.renames.emplace_back(*other, label);
    } else {
      c.missing.push_back(label);
    }
  }
  for (const auto& label : actual) {
    if (!contains(expected, label) && !find_ignoring_case(expected, label)) {
      c.unexpected.push_back(label);
    }
  }
  c.reordered = shared_order(expected, actual) != shared_order(actual, expected);
  return c;
}

std::vector<difference> differences(const label_comparison& c) {
  std::vector<difference> out;
  if (!c.renames.empty()) out.push_back({attribute::label_case});
  if (!c.missing.empty()) out.push_back({attribute::missing_labels, c.missing});
  if (!c.unexpected.empty()) out.push_back({attribute::unexpected_labels, c.unexpected});
  if (c.reordered) out.push_back({attribute::label_order});
  return out;
}

// Renames and additions, when they are enough (no label to drop, no order to change).
std::string fix_in_place(const std::string& type, const std::vector<std::string>& expected,
                         const std::vector<std::string>& actual, const label_comparison& c) {
  std::vector<std::string> statements;
  for (const auto& rename : c.renames) {
    statements.push_back("ALTER TYPE " + type + " RENAME VALUE " + quote_literal(rename.first) +
                         " TO " + quote_literal(rename.second) + ";");
  }
  const auto is_missing = [&](const std::string& label) { return contains(c.missing, label); };
  const auto first_present = std::find_if_not(expected.begin(), expected.end(), is_missing);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (!is_missing(expected[i])) continue;
    std::string statement = "ALTER TYPE " + type + " ADD VALUE " + quote_literal(expected[i]);
    if (i > 0) {
      statement += " AFTER " + quote_literal(expected[i - 1]);
    } else if (first_present != expected.end() && !actual.empty()) {
      statement += " BEFORE " + quote_literal(*first_present);
    }
    statements.push_back(statement + ";");
  }
  return join(statements, "\n");
}

// PostgreSQL cannot drop or reorder enum labels: the type has to be rebuilt.
std::string fix_by_recreating(const model_spec& model, const enum_spec& spec,
                              const std::string& schema) {
  const std::string type = qualified_name(schema, spec.name);
  const std::string old_type = qualified_name(schema, spec.name + "_old");
  std::vector<std::string> statements = {
      "-- enum labels cannot be dropped or reordered in place: recreate the type (update rows "
      "holding a removed label first, and repeat the ALTER COLUMN for other tables using it)",
      "ALTER TYPE " + type + " RENAME TO " + quote_ident(spec.name + "_old") + ";",
      "CREATE TYPE " + type + " AS ENUM (" + label_list(spec.labels) + ");"};
  for (const auto& column : model.columns) {
    if (column.enum_name != spec.name) continue;
    statements.push_back(alter_table(model) + "ALTER COLUMN " + quote_ident(column.name) +
                         " TYPE " + type + " USING " + quote_ident(column.name) +
                         "::text::" + type + ";");
  }
  statements.push_back("DROP TYPE " + old_type + ";");
  return join(statements, "\n");
}

void explain_missing_enum(const model_spec& model, const std::string& schema, const enum_spec& spec,
                          const snapshot& db, finding& f) {
  std::vector<std::string> names;
  for (const auto& info : db.enums()) {
    if (info.schema == schema) names.push_back(info.name);
  }
  if (const auto match = closest_match(spec.name, names)) {
    f.suggestion = *match;
    return;
  }
  // The column may use an enum of quite another name.
  if (const table_info* table = model_table(model, db)) {
    for (const auto& column : model.columns) {
      if (column.enum_name != spec.name) continue;
      const column_info* info = table->find_column(column.name);
      if (info && info->type_kind == 'e') {
        f.why = {cause_kind::column_uses_other_enum, column.name, info->type_name};
        return;
      }
    }
  }
}

}  // namespace

findings check_enums(const model_spec& model, const manifest& m, const snapshot& db) {
  if (!model_table(model, db)) return {};
  findings out;
  for (const enum_spec* spec : model_enums(model, m)) {
    const std::string schema = enum_schema(*spec, model);
    const std::string type = qualified_name(schema, spec->name);
    finding f =
        new_finding(check_kind::enums_match, object_kind::enum_type, model, type, spec->location);
    f.expected = label_list(spec->labels);
    const enum_info* info = db.find_enum(schema, spec->name);
    if (!info) {
      f.differs = differs(attribute::existence);
      explain_missing_enum(model, schema, *spec, db, f);
      f.fix_sql = "CREATE TYPE " + type + " AS ENUM (" + f.expected + ");";
      out.push_back(std::move(f));
      continue;
    }
    if (info->labels == spec->labels) continue;
    const label_comparison c = compare_labels(spec->labels, info->labels);
    f.differs = differences(c);
    if (f.differs.empty()) f.differs = differs(attribute::label_order);
    f.actual = label_list(info->labels);
    f.fix_sql = c.unexpected.empty() && !c.reordered
                    ? fix_in_place(type, spec->labels, info->labels, c)
                    : fix_by_recreating(model, *spec, schema);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pgparity
