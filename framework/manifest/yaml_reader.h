// Reading YAML with positions: every helper that rejects a value throws a one-line input_error
// "<file>:<line>:<column>: <what>; <hint>" pointing at the offending node. Shared by the
// manifest and config loaders; not part of the public API.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/source_location.h"

namespace pgparity {
namespace manifest_detail {

// yaml-cpp marks are 0-based; ours are 1-based. A node without a mark (absent) gives line 0.
source_location location_of(const YAML::Node& node, const std::string& file);

// While one lives, marks are taken as relative to 0-based line `first_line` of the file: a
// model's lines loaded on their own (model_entries.h) report their place in the whole file.
class scoped_line_offset {
 public:
  explicit scoped_line_offset(int first_line);
  ~scoped_line_offset();
  scoped_line_offset(const scoped_line_offset&) = delete;
  scoped_line_offset& operator=(const scoped_line_offset&) = delete;

 private:
  int previous_;
};

// Throws input_error("<at>: <message>").
[[noreturn]] void fail(const source_location& at, const std::string& message);

// Refuses a NUL byte or invalid UTF-8 with its line and column (names and values reach
// PostgreSQL, which takes neither), and a second YAML document (`---`), which would be ignored.
void check_yaml_text(const std::string& text, const std::string& file);
// Parses YAML text (checked as above); a syntax error becomes "<file>:<l>:<c>: not valid YAML:
// <msg>; ...".
YAML::Node parse_yaml(const std::string& text, const std::string& file);
[[noreturn]] void fail_not_valid_yaml(const YAML::ParserException& e, const std::string& file);

// "a map", "a list", "null" or "`text`": how a value is described in "got ..." messages.
std::string describe(const YAML::Node& node);

// " (first declared at line N)" for duplicate messages.
std::string first_declared(const source_location& first);

// "`a`, `b` or `c`".
std::string one_of(const std::vector<std::string>& words);

// A YAML map whose keys were checked against the allowed ones: an unknown key fails with a
// "did you mean", a duplicate key fails naming the first. `what` names the map in messages,
// e.g. "column `email` of model `User`".
class checked_map {
 public:
  checked_map(const YAML::Node& node, std::string file, std::string what,
              const std::vector<std::string>& allowed);

  bool has(const std::string& key) const { return entries_.count(key) != 0; }
  // The value, or an undefined node when the key is absent.
  YAML::Node value(const std::string& key) const;
  source_location key_location(const std::string& key) const;
  source_location value_location(const std::string& key) const;
  const std::string& what() const { return what_; }
  const std::string& file() const { return file_; }

  // Typed readers: nullopt when the key is absent; fail when the value has the wrong kind.
  std::optional<std::string> text(const std::string& key) const;
  std::optional<bool> boolean(const std::string& key) const;
  std::optional<std::vector<std::string>> text_list(const std::string& key) const;
  // A required text value: fails with `hint` ("add `table: <table name>`") when absent.
  std::string required_text(const std::string& key, const std::string& hint,
                            const source_location& owner) const;

 private:
  struct entry {
    YAML::Node key;
    YAML::Node value;
  };
  std::string file_;
  std::string what_;
  std::map<std::string, entry> entries_;
};

// Typed readers for a bare node; `label` names it in messages ("`type` in column `x` ...").
std::string read_text(const YAML::Node& node, const std::string& file, const std::string& label);
bool read_bool(const YAML::Node& node, const std::string& file, const std::string& label);
std::vector<std::string> read_text_list(const YAML::Node& node, const std::string& file,
                                        const std::string& label);

}  // namespace manifest_detail
}  // namespace pgparity
