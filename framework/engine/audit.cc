#include "engine/audit.h"

#include <algorithm>
#include <optional>

#include "common/sql_names.h"
#include "engine/kinds.h"
#include "engine/lifecycle_cache.h"
#include "engine/session_state.h"

namespace pgparity::engine {
namespace {

object_kind rejected_object_kind(const std::string& object) {
  if (object == "column") return object_kind::column;
  if (object == "check") return object_kind::check;
  if (object == "index") return object_kind::index;
  if (object == "table") return object_kind::table;
  return object_kind::declaration;
}

// A manifest spelling the server rejected: the columns test of the model fails with the
// server's own message, since nothing it names can be compared.
findings rejected_spellings(const model_spec& model, const audit_options& options) {
  findings out;
  for (const auto& e : options.canonical_errors) {
    if (e.model != model.name) continue;
    const object_kind object = rejected_object_kind(e.object);
    // A rejected default is the declaration "default <column>", apart from the column's type.
    std::string name = object == object_kind::column        ? sql::quote_ident(e.name)
                       : object == object_kind::declaration ? e.object + " " + e.name
                       : object == object_kind::table       ? std::string()
                                                            : e.name;
    finding f =
        make_finding(check_kind::columns_match, object, model.schema, model.table, std::move(name));
    f.model = model.name;
    f.differs = {attribute::spelling};
    f.actual = e.message;
    f.location = model.location;
    // Point at the column when the object is one.
    if (object == object_kind::column) {
      if (const column_spec* c = model.find_column(e.name)) f.location = c->location;
    }
    out.push_back(std::move(f));
  }
  return out;
}

findings columns_with_rejections(const model_spec& model, const snapshot& db,
                                 const audit_options& options) {
  findings out = rejected_spellings(model, options);
  // A rejected spelling was compared as written; its "differs" finding (and fix SQL with the
  // misspelling in it) would only mislead.
  for (auto& f : check_columns(model, db)) {
    const bool rejected = std::any_of(out.begin(), out.end(), [&](const finding& e) {
      return e.object == f.object && e.name == f.name;
    });
    if (!rejected) out.push_back(std::move(f));
  }
  return out;
}

// Schema-wide findings go to their schema's target; a schema no target covers goes to the
// first one: never lost.
findings undeclared_tables_of(const target& t, const manifest& m, const snapshot& db,
                              const audit_options& options) {
  const auto schemas = manifest_schemas(m);
  findings mine;
  for (auto& f : check_undeclared_tables(m, db, options.drift)) {
    const bool covered = std::find(schemas.begin(), schemas.end(), f.schema) != schemas.end();
    if (f.schema == t.schema || (!covered && t.schema == schemas.front())) {
      mine.push_back(std::move(f));
    }
  }
  return mine;
}

}  // namespace

findings structural_findings(const target& t, const manifest& m, const snapshot& db,
                             const audit_options& options) {
  if (t.kind == check_kind::undeclared_tables) return undeclared_tables_of(t, m, db, options);
  const model_spec& model = m.models.at(t.index);
  switch (t.kind) {
    case check_kind::table_exists:
      return check_table_exists(model, m, db);  // fix SQL creates missing enums too
    case check_kind::columns_match:
      return columns_with_rejections(model, db, options);
    case check_kind::enums_match:
      return check_enums(model, m, db);
    case check_kind::foreign_keys_match:
      return check_foreign_keys(model, db);
    case check_kind::indexes_match:
      return check_indexes(model, db);
    case check_kind::uniques_match:
      return check_uniques(model, db);
    case check_kind::checks_match:
      return check_checks(model, db);
    case check_kind::exclusions_match:
      return check_exclusions(model, db);
    case check_kind::undeclared_objects:
      return check_undeclared(model, db, options.drift);
    default:
      return {};
  }
}

findings run_audit(const manifest& m, const snapshot& db, const audit_options& options) {
  findings all;
  for (check_kind kind : kinds_in(group::structural)) {
    for (const auto& t : model_targets(kind, m)) {
      const bool per_model = info(kind).scope == scope::per_model;
      if (per_model && kind != check_kind::table_exists &&
          db.find_table(m.models[t.index].schema, m.models[t.index].table) == nullptr) {
        continue;
      }
      for (auto& f : structural_findings(t, m, db, options)) all.push_back(std::move(f));
    }
  }
  return all;
}

session::session(const audit_context& ctx) : ctx_(ctx), state_(std::make_unique<state>()) {}
session::~session() = default;

audit_options session::options() const {
  audit_options o;
  o.drift.ignore_tables = ctx_.config.ignore_tables;
  o.drift.as_error = ctx_.config.reverse_drift_is_error;
  o.canonical_errors = ctx_.canonical_errors;
  return o;
}

std::vector<target> session::targets(check_kind kind) const {
  if (info(kind).group == group::lifecycle) {
    return lifecycle_targets(kind, ctx_.config.migrations,
                             ctx_.migrations ? &*ctx_.migrations : nullptr);
  }
  return model_targets(kind, ctx_.declared);
}

outcome session::run(const target& t) {
  // A lifecycle target that passed with the same migrations, server and pgparity is not re-run.
  const std::string key =
      info(t.kind).group == group::lifecycle ? lifecycle_cache_key(t, ctx_) : std::string();
  std::optional<outcome> cached = cached_lifecycle_outcome(key);
  outcome o = cached ? std::move(*cached) : info(t.kind).run(t, *this);
  if (!cached) remember_lifecycle_outcome(key, o);
  for (auto& f : o.found) f.test = t.test_name();
  return o;
}

findings session::run_everything() {
  std::vector<target> all;
  for (const auto& k : kinds()) {
    for (auto& t : targets(k.kind)) all.push_back(std::move(t));
  }
  plan(all);
  findings out;
  for (const auto& t : all) {
    for (auto& f : run(t).found) out.push_back(std::move(f));
  }
  return out;
}

std::string missing_table_reason(const target& t, session& s) {
  if (info(t.kind).scope != scope::per_model || t.kind == check_kind::table_exists) return {};
  const model_spec& model = s.ctx().declared.models.at(t.index);
  if (!table_missing(s.ctx(), model)) return {};
  target exists{check_kind::table_exists, t.index, t.schema, t.name};
  for (const auto& e : s.targets(check_kind::table_exists)) {
    if (e.index == t.index) exists = e;
  }
  return "table " + sql::qualified_name(model.schema, model.table) + " is missing; see " +
         exists.test_name();
}

outcome run_structural(const target& t, session& s) {
  outcome o;
  o.skipped = missing_table_reason(t, s);
  if (o.skipped.empty()) {
    o.found = structural_findings(t, s.ctx().declared, s.ctx().db, s.options());
  }
  return o;
}

}  // namespace pgparity::engine

namespace pgparity::engine {

void session::plan(const std::vector<target>& selected) {
  state_->planned = selected;
  state_->has_plan = true;
}

}  // namespace pgparity::engine
