// libFuzzer harness of the project config loader (docs/fuzzing.md). Each input is a
// pgparity.yaml, written to a private folder that also holds what the fixtures' configs name
// (migrations/, db/migrations/, models.yaml, alembic.ini), so valid configs get past the path
// checks. load_project_config() only reads and stats: no network, no database, no process.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.h"
#include "fuzz_support.h"
#include "manifest/project_config.h"

namespace {

const pgparity::fuzz::scratch_folder& project() {
  static const pgparity::fuzz::scratch_folder folder;
  static const bool ready = [] {
    std::filesystem::create_directories(folder.path() / "migrations");
    std::filesystem::create_directories(folder.path() / "db" / "migrations");
    pgparity::fuzz::write_file(folder.path() / "models.yaml", "models: {}\n");
    pgparity::fuzz::write_file(folder.path() / "alembic.ini", "[alembic]\n");
    return true;
  }();
  static_cast<void>(ready);
  return folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string path = (project().path() / "pgparity.yaml").string();
  pgparity::fuzz::write_file(path, text);
  for (const bool manifest_must_exist : {true, false}) {
    try {
      const pgparity::project_config config =
          pgparity::load_project_config(path, manifest_must_exist);
      PGPARITY_FUZZ_ASSERT(!(config.manifest && config.models));
      PGPARITY_FUZZ_ASSERT(config.probe_timeout_seconds > 0);
      PGPARITY_FUZZ_ASSERT(config.migrations.max_seconds > 0);
    } catch (const pgparity::input_error&) {
      // The documented outcome of a bad config (exit 2).
    }
  }
  return 0;
}
