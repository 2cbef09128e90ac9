#include "manifest/load_manifest.h"

#include "common/error.h"
#include "common/input_file.h"
#include "manifest/manifest_parser.h"
#include "manifest/yaml_reader.h"

namespace pgparity {

manifest load_manifest(const std::string& path) {
  return parse_manifest(read_input_file(path, "manifest", max_yaml_file_bytes), path);
}

manifest parse_manifest(const std::string& yaml_text, const std::string& file_name) {
  const YAML::Node root = manifest_detail::parse_yaml(yaml_text, file_name);
  return manifest_detail::manifest_parser(file_name).parse(root);
}

}  // namespace pgparity
