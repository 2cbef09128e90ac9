// Reading a big manifest one model at a time: yaml-cpp's node tree of a whole manifest costs
// about 40 times the file's size (400 MB for 10,000 models), so the `models:` map is located
// with yaml-cpp's event parser (no tree) and each model's lines are loaded on their own. Marks
// of a model's nodes are then relative to its first line; scoped_line_offset (yaml_reader.h)
// shifts them back, so every message keeps its file:line:column.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pgparity {
namespace manifest_detail {

// Byte ranges of whole lines: [begin, end), starting at 0-based line `line`.
struct line_range {
  std::size_t begin = 0;
  std::size_t end = 0;
  int line = 0;
};

struct model_entries {
  std::vector<line_range> models;  // one per entry of `models:`, in document order
  line_range all;                  // every model's lines
};

// The entries of a block-style top-level `models:` map whose keys each start a line, or
// nullopt when the document has another shape (flow style, anchors, directives, a second
// `models:` key ...), which is then read whole. A syntax error fails exactly as parse_yaml().
std::optional<model_entries> find_model_entries(const std::string& text, const std::string& file);

}  // namespace manifest_detail
}  // namespace pgparity
