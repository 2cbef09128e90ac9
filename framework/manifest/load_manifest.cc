#include "manifest/load_manifest.h"

#include "common/error.h"
#include "common/input_file.h"
#include "manifest/long_names.h"
#include "manifest/manifest_parser.h"
#include "manifest/model_entries.h"
#include "manifest/yaml_reader.h"

namespace pgparity {

manifest load_manifest(const std::string& path) {
  return parse_manifest(read_input_file(path, "manifest", max_yaml_file_bytes), path);
}

namespace {

struct unreadable_alone {};  // a model's lines do not parse as one entry on their own

// Each model's lines are loaded, parsed and dropped before the next: the node tree held at
// any time is one model's, plus the rest of the document with the models blanked out.
manifest parse_model_by_model(const std::string& text, const std::string& file,
                              const manifest_detail::model_entries& entries) {
  std::string rest = text;
  for (std::size_t i = entries.all.begin; i < entries.all.end; ++i) {
    if (rest[i] != '\n') rest[i] = ' ';
  }
  const YAML::Node root = manifest_detail::parse_yaml(rest, file);
  rest = std::string();
  const auto feed = [&](const manifest_detail::manifest_parser::model_visitor& visit) {
    for (const auto& lines : entries.models) {
      YAML::Node entry;
      try {
        entry = YAML::Load(text.substr(lines.begin, lines.end - lines.begin));
      } catch (const YAML::ParserException&) {
        throw unreadable_alone{};
      }
      if (!entry.IsMap() || entry.size() != 1) throw unreadable_alone{};
      const manifest_detail::scoped_line_offset offset(lines.line);
      for (const auto& pair : entry) visit(pair.first, pair.second);
    }
  };
  manifest m = manifest_detail::manifest_parser(file).parse(root, feed);
  manifest_detail::clip_long_names(m);
  return m;
}

}  // namespace

manifest parse_manifest(const std::string& yaml_text, const std::string& file_name) {
  // Here, not only in parse_yaml(): reading model by model blanks the models out of the text.
  manifest_detail::check_yaml_text(yaml_text, file_name);
  if (const auto entries = manifest_detail::find_model_entries(yaml_text, file_name)) {
    try {
      return parse_model_by_model(yaml_text, file_name, *entries);
    } catch (const unreadable_alone&) {
      // An unusual layout: read the document whole, as below.
    }
  }
  const YAML::Node root = manifest_detail::parse_yaml(yaml_text, file_name);
  manifest m = manifest_detail::manifest_parser(file_name).parse(root);
  manifest_detail::clip_long_names(m);
  return m;
}

}  // namespace pgparity
