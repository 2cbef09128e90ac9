// The words of a finding: every code of checks/finding.h is named here and nowhere else.
#include <algorithm>

#include "common/sql_names.h"
#include "engine/kinds.h"
#include "report/report.h"

namespace pgparity {
namespace {

struct attribute_row {
  attribute what;
  const char* id;    // JSON
  const char* word;  // "<word> differs"
};

const std::vector<attribute_row>& attribute_table() {
  using a = attribute;
  static const std::vector<attribute_row> rows = {
      {a::existence, "existence", "existence"},
      {a::declaration, "declaration", "declaration"},
      {a::spelling, "spelling", "spelling"},
      {a::name, "name", "name"},
      {a::type, "type", "type"},
      {a::nullability, "nullability", "nullability"},
      {a::default_value, "default", "default"},
      {a::no_default, "no_default", "default"},
      {a::columns, "columns", "columns"},
      {a::column_order, "column_order", "column order"},
      {a::key_options, "key_options", "key order, operator class or collation"},
      {a::include, "include", "INCLUDE columns"},
      {a::nulls_not_distinct, "nulls_not_distinct", "NULLS NOT DISTINCT"},
      {a::deferrable, "deferrable", "DEFERRABLE"},
      {a::initially_deferred, "initially_deferred", "INITIALLY DEFERRED"},
      {a::identity, "identity", "identity"},
      {a::generated, "generated", "generation expression"},
      {a::collation, "collation", "collation"},
      {a::elements, "elements", "exclusion elements"},
      {a::referenced_table, "referenced_table", "referenced table"},
      {a::referenced_columns, "referenced_columns", "referenced columns"},
      {a::on_delete, "on_delete", "ON DELETE"},
      {a::on_update, "on_update", "ON UPDATE"},
      {a::unique, "unique", "unique"},
      {a::predicate, "predicate", "predicate"},
      {a::predicate_missing, "predicate_missing", "predicate"},
      {a::method, "method", "method"},
      {a::expression, "expression", "expression"},
      {a::label_case, "label_case", "labels differ in case"},
      {a::missing_labels, "missing_labels", "missing label"},
      {a::unexpected_labels, "unexpected_labels", "unexpected label"},
      {a::label_order, "label_order", "labels are in a different order"},
      {a::behaviour, "behaviour", "behaviour"},
      {a::applies, "applies", "applying"},
      {a::duration, "duration", "duration"},
      {a::down_missing, "down_missing", "down migration"},
      {a::applies_again, "applies_again", "schema after up, down, up"},
      {a::restores, "restores", "schema after down"},
      {a::rollback_leftovers, "rollback_leftovers", "objects left after down"},
      {a::rows_refused, "rows_refused", "applying over existing rows"},
      {a::rows_lost, "rows_lost", "rows kept"},
      {a::values_changed, "values_changed", "values kept"},
  };
  return rows;
}

const attribute_row& row_of(attribute what) {
  const auto& rows = attribute_table();
  return *std::find_if(rows.begin(), rows.end(),
                       [&](const attribute_row& r) { return r.what == what; });
}

std::string label_list(const std::vector<std::string>& labels) {
  std::vector<std::string> quoted;
  for (const auto& label : labels) quoted.push_back(sql::quote_literal(label));
  return sql::join(quoted, ", ");
}

bool is_label_attribute(attribute a) {
  return a == attribute::label_case || a == attribute::missing_labels ||
         a == attribute::unexpected_labels || a == attribute::label_order;
}

std::string label_problem(const finding& f) {
  std::vector<std::string> parts;
  for (const auto& d : f.differs) {
    std::string part = row_of(d.what).word;
    if (!d.values.empty()) part += (d.values.size() == 1 ? " " : "s ") + label_list(d.values);
    parts.push_back(part);
  }
  return parts.empty() ? "labels differ" : sql::join(parts, "; ");
}

// "ON DELETE differs", "referenced table and ON DELETE differ", "columns are in a different
// order", "predicate is missing".
std::string differs_problem(const finding& f) {
  if (f.differs.size() == 1) {
    const attribute what = f.differs[0].what;
    if (what == attribute::column_order) return "columns are in a different order";
    if (what == attribute::predicate_missing) return "predicate is missing";
    if (what == attribute::no_default) return "has a default but must have none";
    if (what == attribute::columns && f.object == object_kind::primary_key) {
      return "columns differ";
    }
    return std::string(row_of(what).word) + " differs";
  }
  std::vector<std::string> words;
  for (const auto& d : f.differs) words.emplace_back(row_of(d.what).word);
  std::vector<std::string> head(words.begin(), words.end() - 1);
  return sql::join(head, ", ") + " and " + words.back() + " differ";
}

// The usual fix for a migration that fails over existing rows, by the server's SQLSTATE, and
// for a down that loses them.
std::string with_data_hint(const finding& f) {
  for (const auto& d : f.differs) {
    const bool down = !d.values.empty() && d.values[0] == "down";
    if (d.what == attribute::rows_refused && d.values.size() >= 2) {
      const std::string& state = d.values[1];
      if (state == "23502") {
        return "give the column a DEFAULT, or backfill it (UPDATE ... SET) before SET NOT NULL";
      }
      if (state == "23505") {
        return "deduplicate the existing rows (or their values) before creating the unique index "
               "or constraint";
      }
      if (state == "23514" || state == "23P01") {
        return "fix the existing rows that violate it first, or add it NOT VALID and VALIDATE "
               "it once they are fixed";
      }
      if (state == "23503") return "delete or repair the rows without a parent first";
      if (state.compare(0, 2, "22") == 0 || state == "42804") {
        return "convert the existing values explicitly (ALTER COLUMN ... TYPE ... USING ...), or "
               "clean them up first; if every real value converts (always valid JSON, a "
               "version number), give the column a `sample:` in the manifest that does";
      }
    }
    if (d.what == attribute::values_changed || d.what == attribute::rows_lost) {
      if (down) {
        return "make the down undo the up without losing data (e.g. RENAME back what the up "
               "renamed, instead of dropping it)";
      }
      return "if the change is intended, name the table or column in the migration (pgparity "
             "only allows changes to what a migration names)";
    }
  }
  return std::string();
}

}  // namespace

const char* severity_name(severity level) {
  return level == severity::critical ? "CRITICAL" : "WARNING";
}

const char* suite_title(const finding& f) { return engine::info(f.kind).suite_title; }

const char* kind_id(check_kind kind) { return engine::info(kind).id; }

const char* attribute_id(attribute what) { return row_of(what).id; }

const char* object_kind_id(object_kind object) {
  switch (object) {
    case object_kind::table:
      return "table";
    case object_kind::column:
      return "column";
    case object_kind::primary_key:
      return "primary_key";
    case object_kind::enum_type:
      return "enum";
    case object_kind::foreign_key:
      return "foreign_key";
    case object_kind::index:
      return "index";
    case object_kind::unique:
      return "unique";
    case object_kind::check:
      return "check";
    case object_kind::exclusion:
      return "exclusion";
    case object_kind::declaration:
      return "declaration";
    case object_kind::migration:
      return "migration";
  }
  return "?";
}

std::string table_text(const finding& f) {
  return f.table.empty() ? std::string() : sql::qualified_name(f.schema, f.table);
}

std::string object_text(const finding& f) {
  switch (f.object) {
    case object_kind::table:
      return "table " + table_text(f);
    case object_kind::primary_key:
      return "primary key";
    case object_kind::enum_type:
      return "enum " + f.name;
    case object_kind::foreign_key:
      return "foreign key " + f.name;
    case object_kind::declaration:
      return f.name.empty() ? "a declaration" : f.name;
    case object_kind::migration:
      return f.name == "all" ? "migrations" : "migration " + f.name;
    default:
      return std::string(object_kind_id(f.object)) + " " + f.name;
  }
}

std::string problem_text(const finding& f) {
  if (f.missing()) return "is missing";
  if (f.has(attribute::declaration)) {
    return f.kind == check_kind::undeclared_tables ? "is not declared by any model"
                                                   : "is not declared in the model";
  }
  if (f.has(attribute::spelling)) {
    return "cannot be checked: PostgreSQL rejects its spelling: " + f.actual;
  }
  if (!f.differs.empty() && is_label_attribute(f.differs[0].what)) return label_problem(f);
  return differs_problem(f);
}

std::string hint_text(const finding& f) {
  if (!f.suggestion.empty()) return "did you mean `" + f.suggestion + "`?";
  switch (f.why.kind) {
    case cause_kind::referenced_table_missing:
      return "the referenced table " + f.why.object + " does not exist either";
    case cause_kind::index_not_unique:
      return "index " + f.why.object + " covers these columns but is not unique";
    case cause_kind::index_partial:
      return "unique index " + f.why.object + " is partial (WHERE " + f.why.value +
             "), so it does not enforce uniqueness over all rows";
    case cause_kind::column_uses_other_enum:
      return "column " + f.why.object + " uses enum `" + f.why.value + "`";
    case cause_kind::table_in_other_schema:
      return "a table " + f.why.object + " exists in schema " + f.why.value +
             "; is the model's schema right?";
    case cause_kind::none:
      break;
  }
  if (f.has(attribute::spelling)) return "write it as PostgreSQL accepts it (as in CREATE TABLE)";
  if (const std::string with_data = with_data_hint(f); !with_data.empty()) return with_data;
  if (f.has(attribute::declaration)) {
    if (f.kind == check_kind::undeclared_tables) {
      return "declare a model for it, or list it in ignore_tables of pgparity.yaml";
    }
    return "or declare it in model " + f.model + ": " + f.declare_yaml;
  }
  return std::string();
}

bool hint_is_alternative(const finding& f) {
  return f.suggestion.empty() && f.why.kind == cause_kind::none &&
         f.kind == check_kind::undeclared_objects;
}

}  // namespace pgparity
