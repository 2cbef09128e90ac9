#include "harness/commands.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "common/error.h"

namespace pgparity::harness {

int run_command(const command_line& cl, const char* argv0) {
  if (cl.command == "help") {
    std::cout << help_text(cl.help_topic);
    return 0;
  }
  if (cl.command == "version") {
    std::cout << "pgparity " << PGPARITY_VERSION << "\n";
    return 0;
  }
  if (cl.command == "migrate") return run_migrate(cl);
  if (cl.command == "test") return run_test(cl, argv0);
  if (cl.command == "snapshot") return run_snapshot(cl);
  if (cl.command == "report") return run_report(cl);
  if (cl.command == "lint") return run_lint(cl);
  if (cl.command == "init") return run_init(cl);
  if (cl.command == "clean") return run_clean(cl);
  throw input_error("unknown command `" + cl.command + "`");
}

void write_output(const std::optional<std::string>& path, const std::string& text) {
  if (!path) {
    std::cout << text << std::flush;
    return;
  }
  // Write beside the target and rename, so a failed run never leaves half a file.
  const std::string temporary = *path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      throw input_error("cannot write `" + *path +
                        "`: check that its directory exists and is "
                        "writable");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, *path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw input_error("cannot write `" + *path + "`: " + ec.message());
  }
}

}  // namespace pgparity::harness
