// libFuzzer harness of the manifest loader (docs/fuzzing.md). Each input is a manifest's text,
// read both ways pgparity reads one: parse_manifest() (model by model when the layout allows,
// else whole) and the whole-document parser alone. An input_error is the documented outcome of a
// bad manifest; any other exception escapes and libFuzzer reports it. What both ways accept
// must be the same manifest, and to_yaml() of it must read back as itself (`pgparity snapshot`).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "common/error.h"
#include "fuzz_support.h"
#include "manifest/load_manifest.h"
#include "manifest/long_names.h"
#include "manifest/manifest_equal.h"
#include "manifest/manifest_parser.h"
#include "manifest/yaml_reader.h"

namespace {

constexpr const char* file_name = "fuzz/models.yaml";

std::optional<pgparity::manifest> read_in_full(const std::string& text) {
  try {
    pgparity::manifest_detail::check_yaml_text(text, file_name);
    const YAML::Node root = pgparity::manifest_detail::parse_yaml(text, file_name);
    pgparity::manifest parsed = pgparity::manifest_detail::manifest_parser(file_name).parse(root);
    // As parse_manifest does after either way of reading: names cut as PostgreSQL cuts them.
    pgparity::manifest_detail::clip_long_names(parsed);
    return parsed;
  } catch (const pgparity::input_error&) {
    return std::nullopt;
  }
}

std::optional<pgparity::manifest> read_as_pgparity_does(const std::string& text) {
  try {
    return pgparity::parse_manifest(text, file_name);
  } catch (const pgparity::input_error&) {
    return std::nullopt;
  }
}

void report_difference(const char* what, const std::string& difference) {
  std::fprintf(stderr, "%s differ at %s\n", what, difference.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto loaded = read_as_pgparity_does(text);
  const auto whole = read_in_full(text);
  if (loaded && whole) {
    const std::string difference = pgparity::manifest_difference(*loaded, *whole);
    if (!difference.empty()) report_difference("model-by-model and whole-document", difference);
  }
  if (loaded) {
    const std::string written = pgparity::to_yaml(*loaded);
    const auto again = read_as_pgparity_does(written);
    if (!again) {
      std::fprintf(stderr, "to_yaml() wrote a manifest that does not load:\n%s\n", written.c_str());
      std::abort();
    }
    const std::string difference = pgparity::manifest_difference(*loaded, *again);
    if (!difference.empty()) report_difference("manifest and its to_yaml() reread", difference);
  }
  return 0;
}
