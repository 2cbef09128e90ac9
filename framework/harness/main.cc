// pgparity's entry point: every error ends as one line "pgparity: error: ..." and the documented
// exit status (docs/exit-codes.md); never a stack trace.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cluster/server.h"
#include "common/error.h"
#include "common/secrets.h"
#include "harness/cluster_commands.h"
#include "harness/command_line.h"
#include "harness/commands.h"

namespace {

// Messages from libpq and the server may span lines; the contract is one line. A command's
// quoted output ("\n  | " lines, framework/migrate/command.cc) is the exception: it follows that
// line as it was printed, since a traceback or a tool's report folded into one line is unreadable.
std::string one_line(std::string message) {
  const auto quoted = message.find("\n  | ");
  const std::string output = quoted == std::string::npos ? "" : message.substr(quoted);
  message = message.substr(0, quoted);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  std::string out;
  for (char c : message) {
    if (c == '\n') {
      out += "; ";
    } else {
      out += c;
    }
  }
  return out + output;
}

int fail(const std::string& message, int code) {
  std::cout.flush();
  // The last line of defence for secrets: libpq and server messages may quote a connection
  // string, and a URL's password was remembered when it was read.
  std::cerr << "pgparity: error: " << one_line(pgparity::redact(message)) << std::endl;
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything: a SIGTERM in the first milliseconds must find our handler (exit 143 after
  // cleaning up), never the default action in the middle of creating something.
  pgparity::install_signal_handlers();
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    // `up`, `down` and `--attach FILE`: the cluster shared by a ctest run (docs/cmake.md).
    if (pgparity::harness::is_cluster_command(args)) {
      return pgparity::harness::run_cluster_command(args);
    }
    pgparity::harness::take_attach_flag(args);
    return pgparity::harness::run_command(pgparity::harness::parse_command_line(args), argv[0]);
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the user gave that cannot be walked (symlink loop, no permission, name too long).
    return fail(
        e.path1().string() + ": " + e.code().message() + "; check that path (and its permissions)",
        static_cast<int>(pgparity::exit_code::bad_input));
  } catch (const pgparity::error& e) {
    return fail(e.what(), static_cast<int>(e.code()));
  } catch (const std::exception& e) {
    return fail(e.what(), static_cast<int>(pgparity::exit_code::environment));
  } catch (...) {
    return fail("unexpected failure of unknown kind",
                static_cast<int>(pgparity::exit_code::environment));
  }
}
