// The SQL that makes the database match a declaration: the `fix` of every finding.
#pragma once

#include <optional>
#include <string>

#include "catalog/snapshot.h"
#include "checks/finding.h"
#include "manifest/model_spec.h"

namespace pgparity {
namespace checks_detail {

// A finding about `object` of `model`, CRITICAL, located at the declaration.
finding new_finding(check_kind kind, object_kind object, const model_spec& model, std::string name,
                    const source_location& location);
// Only the name differs (a declared name, a database object of another name).
bool only_name_differs(const std::vector<difference>& differences);
// `f` as "name differs" for a constraint of the model's table, fixed by renaming it.
void rename_constraint(finding& f, const model_spec& model, const std::string& declared,
                       const std::string& found);
// A one-attribute difference list.
std::vector<difference> differs(attribute what, std::vector<std::string> values = {});

// "ALTER TABLE <table> " for the model's table.
std::string alter_table(const model_spec& model);

// Declared name, or the conventional one (fk_/ix_/uq_/ck_<table>_...).
std::string foreign_key_name(const model_spec& model, const foreign_key_spec& spec);
std::string index_name(const model_spec& model, const index_spec& spec);
std::string unique_name(const model_spec& model, const unique_spec& spec);
std::string check_name(const model_spec& model, const check_spec& spec);

// "FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE" (actions only when declared).
std::string foreign_key_definition(const model_spec& model, const foreign_key_spec& spec);
// "(a) REFERENCES p (id) ON DELETE CASCADE": how findings show a foreign key.
std::string describe_foreign_key(const model_spec& model, const foreign_key_spec& spec);
std::string describe_foreign_key(const foreign_key_info& info);
// "ON DELETE CASCADE" style text of a normalised action ("set null" -> "SET NULL").
std::string action_sql(const std::string& action);

// CREATE [UNIQUE] INDEX name ON table [USING method] (keys) [WHERE predicate];
std::string create_index_sql(const model_spec& model, const index_spec& spec);
// "(a, b) WHERE ..." style description of an index, declared or found.
std::string describe_index(const index_spec& spec);
std::string describe_index(const index_info& info);

// ALTER TABLE .. ADD CONSTRAINT .. UNIQUE (..); or, when soft-deleted duplicates are allowed,
// CREATE UNIQUE INDEX .. WHERE NOT <soft_delete>;
// Named as declared, else `name_in_database` when given, else by convention.
std::string add_unique_sql(const model_spec& model, const unique_spec& spec,
                           const std::optional<std::string>& name_in_database = std::nullopt);
// "UNIQUE NULLS NOT DISTINCT (a, b) DEFERRABLE" as declared, and as found.
std::string unique_definition(const unique_spec& spec);
std::string describe_unique(const unique_constraint_info& info);
// " DEFERRABLE", " DEFERRABLE INITIALLY DEFERRED" or "" for a constraint found.
std::string deferral_sql(bool deferrable, bool initially_deferred);
std::string deferral_sql(const deferral_spec& declared);

// Declared name, or ex_<table>_<keys>.
std::string exclusion_name(const model_spec& model, const exclusion_spec& spec);
// "EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (...)" as declared.
std::string exclusion_definition(const exclusion_spec& spec);

// "CHECK (expression)" with the expression as declared.
std::string check_definition(const check_spec& spec);

// The full CREATE TABLE script of a model, with its keys, constraints and indexes.
std::string create_table_sql(const model_spec& model);

// DROP CONSTRAINT / DROP INDEX for an object of the model's table.
std::string drop_constraint_sql(const model_spec& model, const std::string& name);
std::string drop_index_sql(const model_spec& model, const std::string& name);

}  // namespace checks_detail
}  // namespace pgparity
