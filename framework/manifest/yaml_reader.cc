#include "manifest/yaml_reader.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "common/did_you_mean.h"
#include "common/error.h"

namespace pgparity {
namespace manifest_detail {

namespace {
thread_local int line_offset = 0;
}  // namespace

scoped_line_offset::scoped_line_offset(int first_line) : previous_(line_offset) {
  line_offset = first_line;
}

scoped_line_offset::~scoped_line_offset() { line_offset = previous_; }

source_location location_of(const YAML::Node& node, const std::string& file) {
  source_location at{file, 0, 0};
  if (!node.IsDefined()) return at;
  const YAML::Mark mark = node.Mark();
  if (mark.line >= 0) {
    at.line = line_offset + mark.line + 1;
    at.column = mark.column + 1;
  }
  return at;
}

void fail(const source_location& at, const std::string& message) {
  throw input_error(at.str() + ": " + message);
}

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    fail_not_valid_yaml(e, file);
  }
}

void fail_not_valid_yaml(const YAML::ParserException& e, const std::string& file) {
  source_location at{file, 0, 0};
  if (e.mark.line >= 0) {
    at.line = e.mark.line + 1;
    at.column = e.mark.column + 1;
  }
  fail(at, "not valid YAML: " + e.msg + "; check the indentation and quoting there");
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "null";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "`" + node.Scalar() + "`";
}

std::string first_declared(const source_location& first) {
  return " (first declared at line " + std::to_string(first.line) + ")";
}

std::string one_of(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += "`" + words[i] + "`";
  }
  return out;
}

checked_map::checked_map(const YAML::Node& node, std::string file, std::string what,
                         const std::vector<std::string>& allowed)
    : file_(std::move(file)), what_(std::move(what)) {
  if (node.IsNull()) return;  // `columns:` with nothing under it is an empty map
  if (!node.IsMap()) {
    fail(location_of(node, file_),
         "expected a map for " + what_ + ", got " + describe(node) + "; write `key: value` pairs");
  }
  for (const auto& pair : node) {
    const YAML::Node& key = pair.first;
    if (!key.IsScalar()) {
      fail(location_of(key, file_), "expected a plain key in " + what_ + ", got " + describe(key) +
                                        "; keys are names like `type`");
    }
    const std::string name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string hint = did_you_mean_suffix(name, allowed);
      if (hint.empty()) hint = "; expected " + one_of(allowed);
      fail(location_of(key, file_), "unknown key `" + name + "` in " + what_ + hint);
    }
    const auto seen = entries_.find(name);
    if (seen != entries_.end()) {
      fail(location_of(key, file_), "duplicate key `" + name + "` in " + what_ +
                                        first_declared(location_of(seen->second.key, file_)) +
                                        "; remove one of them");
    }
    entries_.emplace(name, entry{key, pair.second});
  }
}

YAML::Node checked_map::value(const std::string& key) const {
  const auto it = entries_.find(key);
  return it == entries_.end() ? YAML::Node(YAML::NodeType::Undefined) : it->second.value;
}

source_location checked_map::key_location(const std::string& key) const {
  const auto it = entries_.find(key);
  return it == entries_.end() ? source_location{file_, 0, 0} : location_of(it->second.key, file_);
}

source_location checked_map::value_location(const std::string& key) const {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return source_location{file_, 0, 0};
  // A null value (`key:` with nothing after it) may have no mark of its own.
  const source_location at = location_of(it->second.value, file_);
  return at.line > 0 ? at : location_of(it->second.key, file_);
}

std::optional<std::string> checked_map::text(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return read_text(value(key), file_, "`" + key + "` in " + what_);
}

std::optional<bool> checked_map::boolean(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return read_bool(value(key), file_, "`" + key + "` in " + what_);
}

std::optional<std::vector<std::string>> checked_map::text_list(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return read_text_list(value(key), file_, "`" + key + "` in " + what_);
}

std::string checked_map::required_text(const std::string& key, const std::string& hint,
                                       const source_location& owner) const {
  if (!has(key)) fail(owner, what_ + " has no `" + key + "`; " + hint);
  return *text(key);
}

std::string read_text(const YAML::Node& node, const std::string& file, const std::string& label) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    fail(location_of(node, file),
         "expected a value for " + label + ", got " + describe(node) + "; write a single value");
  }
  return node.Scalar();
}

bool read_bool(const YAML::Node& node, const std::string& file, const std::string& label) {
  if (node.IsScalar()) {
    std::string word = node.Scalar();
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (word == "true") return true;
    if (word == "false") return false;
  }
  fail(location_of(node, file), "expected true or false for " + label + ", got " + describe(node) +
                                    "; write `true` or `false`");
}

std::vector<std::string> read_text_list(const YAML::Node& node, const std::string& file,
                                        const std::string& label) {
  if (!node.IsSequence()) {
    const std::string example = node.IsScalar() ? "[" + node.Scalar() + "]" : std::string("[a, b]");
    fail(location_of(node, file), "expected a list for " + label + ", got " + describe(node) +
                                      "; write a list like `" + example + "`");
  }
  std::vector<std::string> out;
  for (const auto& item : node) out.push_back(read_text(item, file, "an entry of " + label));
  return out;
}

}  // namespace manifest_detail
}  // namespace pgparity
