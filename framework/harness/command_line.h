// Parsing pgparity's command line: subcommands, their flags, and the GoogleTest flags that
// `pgparity test` passes through. Bad usage is an input_error (exit 2) with "did you mean".
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgparity::harness {

struct command_line {
  // "migrate", "test", "snapshot", "report", "lint", "init", "clean", "help" or "version".
  std::string command;
  std::string help_topic;  // for "help": "" (overview) or a command name
  std::string config = "pgparity.yaml";
  bool fresh = false;
  bool keep = false;
  std::optional<std::string> out;
  std::string format = "markdown";
  std::vector<std::string> gtest_args;  // `test` only: --gtest_* flags, in order
  std::optional<std::string> database;  // `clean` only: an existing server's URL
  std::optional<long long> older_than;  // `clean` only: --older-than, in seconds
};

// `args` excludes the program name. Throws input_error for an unknown command or flag, a
// missing flag value, or a bad --format.
command_line parse_command_line(const std::vector<std::string>& args);

// The names `pgparity` accepts as commands (for "did you mean").
const std::vector<std::string>& command_names();

// Help text: the overview for "", else the command's own page. Throws input_error for an
// unknown topic.
std::string help_text(const std::string& topic);

// The GoogleTest flags `pgparity test` accepts (names without "--gtest_").
const std::vector<std::string>& gtest_flag_names();

}  // namespace pgparity::harness
