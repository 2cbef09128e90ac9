// The manifest parser's internals: one pass over the YAML that builds the specs and checks
// everything a single model can check, then a pass over foreign keys once every model is known.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "manifest/model_spec.h"
#include "manifest/yaml_reader.h"

namespace pgparity {
namespace manifest_detail {

// "cascade", "set null", ... from any accepted spelling (set_null, SET NULL); fails otherwise.
referential_action read_action(const YAML::Node& node, const std::string& file,
                               const std::string& label);

// `deferrable` and `initially_deferred` of a constraint (INITIALLY DEFERRED implies DEFERRABLE,
// as in PostgreSQL; `deferrable: false` with `initially_deferred: true` fails).
deferral_spec read_deferral(const checked_map& m);

// True for a bare SQL identifier (a column name rather than an expression).
bool is_identifier(const std::string& text);

class manifest_parser {
 public:
  // Calls its argument with the key and value of every model, in document order.
  using model_visitor = std::function<void(const YAML::Node&, const YAML::Node&)>;
  using model_feed = std::function<void(const model_visitor&)>;

  explicit manifest_parser(std::string file) : file_(std::move(file)) {}
  manifest parse(const YAML::Node& root);
  // `root` without its models (null `models:`), which come from `models` one at a time.
  manifest parse(const YAML::Node& root, const model_feed& models);

 private:
  // A foreign key's target as written; resolved once every model is known.
  struct pending_reference {
    std::size_t model = 0;
    std::size_t foreign_key = 0;
    std::optional<std::string> schema;
    std::string table;
    std::optional<std::vector<std::string>> columns;  // nullopt: the target's primary key
    std::vector<source_location> column_locations;
    source_location table_location;
    std::string what;  // "column `user_id` of model `UserRole`"
  };

  void parse_enums(const YAML::Node& node);
  void parse_model(const YAML::Node& key, const YAML::Node& value);
  void parse_column(model_spec& model, const YAML::Node& key, const YAML::Node& value);
  void parse_index(model_spec& model, const YAML::Node& item, std::size_t number);
  void parse_unique(model_spec& model, const YAML::Node& item, std::size_t number);
  void parse_check(model_spec& model, const YAML::Node& item, std::size_t number);
  void parse_exclusion(model_spec& model, const YAML::Node& item, std::size_t number);
  exclusion_element parse_exclusion_element(const model_spec& model, const YAML::Node& item,
                                            const std::string& what);
  void parse_foreign_key(model_spec& model, const YAML::Node& item, std::size_t number);
  void parse_column_options(column_spec& column, const checked_map& c, const std::string& what);
  void check_enum_type(column_spec& column, const std::string& what, const source_location& at);
  // Fails unless `column` is declared on `model`; `what` names the object that uses it.
  void require_column(const model_spec& model, const std::string& column, const std::string& what,
                      const source_location& at) const;
  // Fails when an index key is a column whose name SQL must quote, written bare.
  void require_sql_spelling(const model_spec& model, const std::string& key,
                            const std::string& what, const source_location& at) const;
  void resolve_references();

  // Calls `each(key, value)` for every entry of a name -> spec map, failing on duplicates
  // with "duplicate <kind> `name`".
  template <typename Each>
  void for_each_named(const YAML::Node& node, const std::string& kind, const std::string& owner,
                      Each each);

  // Fails unless `key` is a plain name not in `seen`; then records it there.
  void check_name(const YAML::Node& key, const std::string& kind, const std::string& owner,
                  std::map<std::string, source_location>& seen) const;

  std::string file_;
  manifest result_;
  std::vector<pending_reference> pending_;
  std::map<std::pair<std::string, std::string>, std::size_t> tables_;  // -> model index
  // A lookup per column, not a scan of every enum (10,000 models x 1,000 enums). How a column's
  // `type` may name a declared enum -> {the enum as enum_name holds it, the type as SQL writes it}:
  // `Order Status`, `"Order Status"`, `public.Order Status` and `public."Order Status"` all name
  // enum `Order Status`, written `"Order Status"`.
  std::map<std::string, std::pair<std::string, std::string>> enum_names_;

  // The model declaring `schema`.`table`, or null.
  const model_spec* find_table(const std::string& schema, const std::string& table) const;
};

template <typename Each>
void manifest_parser::for_each_named(const YAML::Node& node, const std::string& kind,
                                     const std::string& owner, Each each) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    fail(location_of(node, file_), "expected a map of " + kind + " name to " + kind + " for " +
                                       owner + ", got " + describe(node) +
                                       "; write one `name: ...` entry per " + kind);
  }
  std::map<std::string, source_location> seen;
  for (const auto& pair : node) {
    check_name(pair.first, kind, owner, seen);
    each(pair.first, pair.second);
  }
}

}  // namespace manifest_detail
}  // namespace pgparity
