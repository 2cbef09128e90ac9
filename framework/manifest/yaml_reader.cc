#include "manifest/yaml_reader.h"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
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

namespace {

// The length of the UTF-8 sequence at `i`, or 0 when it is not valid UTF-8 (overlong forms and
// surrogates included).
std::size_t utf8_length(const std::string& text, std::size_t i) {
  const auto byte = [&](std::size_t k) {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u;
  };
  const unsigned b0 = byte(i);
  const auto continuation = [&](std::size_t k) { return (byte(k) & 0xC0u) == 0x80u; };
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return continuation(i + 1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned b1 = byte(i + 1);
    if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 > 0x9F)) return 0;
    return continuation(i + 1) && continuation(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned b1 = byte(i + 1);
    if ((b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 > 0x8F)) return 0;
    return continuation(i + 1) && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
  }
  return 0;
}

// Names and values reach PostgreSQL, which takes only valid UTF-8 (and no NUL): say where the
// bad byte is instead of a server error without a line later.
}  // namespace

namespace {

// A `---` line after content starts a second document, which yaml-cpp's Load() would silently
// ignore. Such a marker at column 0 is a document marker wherever it stands (YAML forbids it
// inside a quoted scalar), so a line scan is exact.
void refuse_second_document(const std::string& text, const std::string& file) {
  bool content = false;
  int line = 1;
  for (std::size_t start = 0; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string row = text.substr(start, end - start);
    start = end + 1;
    const bool marker = row.compare(0, 3, "---") == 0 &&
                        (row.size() == 3 || row[3] == ' ' || row[3] == '\t' || row[3] == '\r');
    if (marker && content) {
      fail({file, line, 1},
           "a second YAML document (`---`) starts here; pgparity reads one document per file: "
           "remove this line and merge what follows into the document above");
    }
    const auto first = row.find_first_not_of(" \t\r");
    if (marker || first == std::string::npos || row[first] == '#' || row[0] == '%') continue;
    content = true;
  }
}

}  // namespace

void check_yaml_text(const std::string& text, const std::string& file) {
  refuse_second_document(text, file);
  source_location at{file, 1, 1};
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_length(text, i);
    if (text[i] == '\0') {
      fail(at, "a NUL byte (\\0) in the file; remove it (is this a text file?)");
    }
    if (length == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[i]));
      fail(at, std::string("invalid UTF-8 (byte ") + hex +
                   "); names and values must be UTF-8: re-save the file as UTF-8 or fix the "
                   "character there");
    }
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
    i += length;
  }
}

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  check_yaml_text(text, file);
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    fail_not_valid_yaml(e, file);
  }
}

void fail_not_valid_yaml(const YAML::ParserException& e, const std::string& file) {
  if (const auto* deep = dynamic_cast<const YAML::DeepRecursion*>(&e)) {
    source_location at{file, e.mark.line + 1, e.mark.column + 1};
    fail(at, "lists and maps nested too deeply (yaml-cpp stops at " +
                 std::to_string(deep->depth()) +
                 " levels; a manifest needs a handful); look for unbalanced `[` or `{`");
  }
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
