// Errors that stop a run. A schema mismatch is never one of these: it is a finding.
#pragma once

#include <stdexcept>
#include <string>

namespace pgparity {

// The documented exit codes of every pgparity command (docs/exit-codes.md).
enum class exit_code : int {
  ok = 0,
  check_failed = 1,  // a consistency check or probe failed
  bad_input = 2,     // bad usage, config, manifest or migration files
  environment = 3,   // PostgreSQL would not start, a migration failed, a server is unreachable
};

// Base of everything that cannot continue. what() is a complete one-line message that
// names the file and line where it can, and says what to do.
class error : public std::runtime_error {
 public:
  error(exit_code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  exit_code code() const noexcept { return code_; }

 private:
  exit_code code_;
};

// Bad usage, config, manifest or migration layout: exit 2.
class input_error : public error {
 public:
  explicit input_error(const std::string& message) : error(exit_code::bad_input, message) {}
};

// The machine or server failed us (no binaries, server would not start, migration failed):
// exit 3.
class environment_error : public error {
 public:
  explicit environment_error(const std::string& message) : error(exit_code::environment, message) {}
};

}  // namespace pgparity
