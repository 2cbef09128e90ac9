// The manifest files in the repository: every example parses, every bad input fails with the
// message its first line states, and the JSON Schema is well-formed JSON.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "manifest/load_manifest.h"
#include "manifest/manifest_equal.h"

namespace pgparity {
namespace {

namespace fs = std::filesystem;

const fs::path source_dir = PGPARITY_SOURCE_DIR;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool under(const fs::path& path, const std::string& folder) {
  return std::any_of(path.begin(), path.end(), [&](const fs::path& p) { return p == folder; });
}

// Every fixtures/**/models.yaml except the deliberately bad ones, found at test time.
std::vector<fs::path> example_manifests() {
  std::vector<fs::path> out;
  const fs::path fixtures = source_dir / "fixtures";
  if (!fs::is_directory(fixtures)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(fixtures)) {
    if (entry.path().filename() == "models.yaml" && !under(entry.path(), "bad_input")) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ManifestFiles, EveryExampleManifestParsesAndRoundTrips) {
  const auto manifests = example_manifests();
  if (manifests.empty()) GTEST_SKIP() << "no fixtures/**/models.yaml yet";
  for (const auto& path : manifests) {
    SCOPED_TRACE(path.string());
    try {
      const manifest m = load_manifest(path.string());
      EXPECT_FALSE(m.models.empty()) << "an example manifest without models";
      EXPECT_EQ(manifest_difference(m, parse_manifest(to_yaml(m), "again.yaml")), "");
    } catch (const input_error& e) {
      ADD_FAILURE() << e.what();
    }
  }
}

TEST(ManifestFiles, EveryBadInputFailsWithTheStatedMessage) {
  const fs::path dir = source_dir / "fixtures" / "bad_input" / "manifest";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 10u);
  const std::string marker = "# error: ";
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    const std::string text = read_file(path);
    ASSERT_EQ(text.rfind(marker, 0), 0u) << "first line must be `# error: <line>:<col>: ...`";
    const std::string expected =
        path.string() + ":" + text.substr(marker.size(), text.find('\n') - marker.size());
    try {
      load_manifest(path.string());
      ADD_FAILURE() << "loaded without error; expected " << expected;
    } catch (const input_error& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
  }
}

TEST(ManifestFiles, DocumentedExampleParses) {
  const std::string doc = read_file(source_dir / "docs" / "manifest.md");
  const auto heading = doc.find("## A complete example");
  ASSERT_NE(heading, std::string::npos);
  const auto start = doc.find("```yaml\n", heading);
  ASSERT_NE(start, std::string::npos);
  const auto body = start + 8;
  const std::string example = doc.substr(body, doc.find("```", body) - body);
  const manifest m = parse_manifest(example, "docs/manifest.md");
  EXPECT_EQ(m.models.size(), 3u);
  EXPECT_TRUE(m.models[0].uniques[0].allows_soft_deleted_duplicates);
}

// A small JSON checker: enough to catch a broken schema file (unbalanced, bad strings,
// trailing commas). Returns the offset of the first error, or npos.
class json_checker {
 public:
  explicit json_checker(const std::string& text) : s_(text) {}

  std::size_t check() {
    skip();
    if (!value()) return at_;
    skip();
    return at_ == s_.size() ? std::string::npos : at_;
  }

 private:
  void skip() {
    while (at_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[at_]))) ++at_;
  }
  bool literal(const std::string& word) {
    if (s_.compare(at_, word.size(), word) != 0) return false;
    at_ += word.size();
    return true;
  }
  bool string() {
    if (s_[at_] != '"') return false;
    for (++at_; at_ < s_.size(); ++at_) {
      if (s_[at_] == '\\') {
        ++at_;
      } else if (s_[at_] == '"') {
        ++at_;
        return true;
      } else if (static_cast<unsigned char>(s_[at_]) < 0x20) {
        return false;
      }
    }
    return false;
  }
  bool number() {
    const std::size_t start = at_;
    while (at_ < s_.size() && std::strchr("+-0123456789.eE", s_[at_]) != nullptr) ++at_;
    return at_ > start;
  }
  template <typename Item>
  bool sequence(char close, Item item) {
    ++at_;
    skip();
    if (at_ < s_.size() && s_[at_] == close) return ++at_, true;
    for (;;) {
      if (!item()) return false;
      skip();
      if (at_ >= s_.size()) return false;
      if (s_[at_] == close) return ++at_, true;
      if (s_[at_] != ',') return false;
      ++at_;
      skip();
    }
  }
  bool value() {
    if (at_ >= s_.size()) return false;
    switch (s_[at_]) {
      case '{':
        return sequence('}', [this] {
          if (!string()) return false;
          skip();
          if (at_ >= s_.size() || s_[at_] != ':') return false;
          ++at_;
          skip();
          return value();
        });
      case '[':
        return sequence(']', [this] { return value(); });
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  const std::string& s_;
  std::size_t at_ = 0;
};

TEST(ManifestFiles, JsonCheckerCanFail) {
  EXPECT_EQ(json_checker(R"({"a": [1, true, null, "x"], "b": {}})").check(), std::string::npos);
  EXPECT_EQ(json_checker(R"({"a": [1,]})").check(), 9u);
  EXPECT_EQ(json_checker(R"({"a": 1} x)").check(), 9u);
  EXPECT_NE(json_checker(R"({"a": "unterminated})").check(), std::string::npos);
}

TEST(ManifestFiles, SchemaIsValidJson) {
  const fs::path schema = source_dir / "docs" / "manifest.schema.json";
  ASSERT_TRUE(fs::exists(schema)) << schema;
  const std::string text = read_file(schema);
  const std::size_t error = json_checker(text).check();
  EXPECT_EQ(error, std::string::npos) << "invalid JSON near offset " << error << ": "
                                      << text.substr(error == std::string::npos ? 0 : error, 40);
  EXPECT_NE(text.find("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""),
            std::string::npos);
  // The schema names every key the loader accepts.
  for (const char* key :
       {"version", "enums", "models", "soft_delete", "primary_key", "nullable", "references",
        "on_delete", "on_update", "sample", "indexes", "where", "method", "unique",
        "allow_soft_deleted_duplicates", "checks", "expression", "foreign_keys"}) {
    EXPECT_NE(text.find("\"" + std::string(key) + "\""), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace pgparity
