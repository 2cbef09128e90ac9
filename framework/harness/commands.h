// The subcommands of `pgparity`. Each returns the process exit status (docs/exit-codes.md)
// and throws pgparity::error for anything that stops it.
#pragma once

#include "harness/command_line.h"

namespace pgparity::harness {

// Dispatches to the command `cl` names.
int run_command(const command_line& cl, const char* argv0);

int run_migrate(const command_line& cl);
int run_test(const command_line& cl, const char* argv0);
int run_snapshot(const command_line& cl);
int run_report(const command_line& cl);
int run_lint(const command_line& cl);
int run_init(const command_line& cl);
int run_clean(const command_line& cl);

// Writes `text` to `path` (replacing it atomically) or to standard output when absent.
void write_output(const std::optional<std::string>& path, const std::string& text);

}  // namespace pgparity::harness
