// The one table of check kinds: every suite pgparity generates, its stable id, the names people
// read, what it is instantiated for, and the function that runs it. Report and harness read
// names from here; nothing else spells them. Adding a kind: a row here, its enumerator in
// checks/finding.h, and the function it names (docs/architecture.md).
#pragma once

#include <vector>

#include "checks/finding.h"
#include "manifest/model_spec.h"

namespace pgparity::engine {

// What one test of a kind is about.
enum class scope {
  per_model,      // one test per model that declares something of the kind
  per_schema,     // one test per schema the models use
  per_project,    // one test for the whole project ("all")
  per_migration,  // one test per migration (its version)
};

// How a kind observes the database: the catalog snapshot, real rows, or migrations applied.
enum class group { structural, probe, lifecycle };

class session;
struct target;
struct outcome;

struct kind_info {
  check_kind kind;
  const char* id;            // "table_exists": stable, for JSON and tools
  const char* display_name;  // "table exists": for people
  const char* suite_title;   // "Tables/Exists": the GoogleTest suite, before ".Check/<name>"
  engine::scope scope;
  engine::group group;
  // For per_model kinds: whether `model` gets a test (it declares something of the kind).
  bool (*applies)(const model_spec& model, const manifest& m);
  // Runs one test of the kind.
  outcome (*run)(const target& t, session& s);
};

// Every kind, in report order.
const std::vector<kind_info>& kinds();
const kind_info& info(check_kind kind);
// The kinds of one group, in report order.
std::vector<check_kind> kinds_in(group g);

}  // namespace pgparity::engine
