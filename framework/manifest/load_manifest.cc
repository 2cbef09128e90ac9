#include "manifest/load_manifest.h"

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "manifest/manifest_parser.h"
#include "manifest/yaml_reader.h"

namespace pgparity {

manifest load_manifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw input_error(path + ": cannot read the manifest (no such file or not readable); " +
                      "check the `manifest:` path in pgparity.yaml");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_manifest(text.str(), path);
}

manifest parse_manifest(const std::string& yaml_text, const std::string& file_name) {
  const YAML::Node root = manifest_detail::parse_yaml(yaml_text, file_name);
  return manifest_detail::manifest_parser(file_name).parse(root);
}

}  // namespace pgparity
