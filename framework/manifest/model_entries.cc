#include "manifest/model_entries.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

#include "manifest/yaml_reader.h"

namespace pgparity {
namespace manifest_detail {
namespace {

// Follows the event stream with a stack of open collections and records where the top-level
// `models:` map's keys are; anything it does not expect makes the layout unusable.
class entry_finder final : public YAML::EventHandler {
 public:
  bool usable = true;
  std::vector<YAML::Mark> model_keys;
  std::optional<YAML::Mark> after_models;  // the top-level key following `models:`

  void OnDocumentStart(const YAML::Mark&) override {
    if (++documents_ > 1) usable = false;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { node(mark, anchor, ""); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { usable = false; }
  void OnAnchor(const YAML::Mark&, const std::string&) override { usable = false; }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    node(mark, anchor, value, true);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    node(mark, anchor, "");
    stack_.push_back({false, false});
  }
  void OnSequenceEnd() override { stack_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    const bool root = stack_.empty();
    const bool models = node(mark, anchor, "");
    if ((root || models) && style != YAML::EmitterStyle::Block) usable = false;
    if (models) models_open_ = true;
    stack_.push_back({true, true});
  }
  void OnMapEnd() override { stack_.pop_back(); }

 private:
  struct frame {
    bool map;
    bool expect_key;
  };

  // One node event; returns true when it is the value of the top-level `models` key.
  bool node(const YAML::Mark& mark, YAML::anchor_t anchor, const std::string& value,
            bool scalar = false) {
    if (anchor != YAML::NullAnchor) usable = false;
    if (stack_.empty()) {
      if (scalar) usable = false;  // a root that is not a map: read whole for its message
      return false;
    }
    frame& top = stack_.back();
    const bool key = top.map && top.expect_key;
    if (top.map) top.expect_key = !top.expect_key;
    if (stack_.size() == 1 && key) {
      if (models_open_ && !after_models) after_models = mark;
      if (value == "models") {
        if (seen_models_) usable = false;
        seen_models_ = true;
        models_value_next_ = true;
      }
      return false;
    }
    if (stack_.size() == 1 && models_value_next_) {
      models_value_next_ = false;
      return true;  // only a block map is read model by model (OnMapStart)
    }
    if (stack_.size() == 2 && key && models_open_ && !after_models) {
      if (!scalar) usable = false;
      model_keys.push_back(mark);
    }
    return false;
  }

  std::vector<frame> stack_;
  int documents_ = 0;
  bool seen_models_ = false;
  bool models_value_next_ = false;
  bool models_open_ = false;
};

// Offsets of every line's first byte; fails (nullopt) on a lone carriage return, which yaml-cpp
// counts as a line break too.
std::optional<std::vector<std::size_t>> line_starts(const std::string& text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return std::nullopt;
  }
  return starts;
}

// The byte where the line of `mark` starts, if only spaces precede the mark on its line.
std::optional<std::size_t> line_start_of(const YAML::Mark& mark, const std::string& text,
                                         const std::vector<std::size_t>& starts) {
  if (mark.line < 0 || static_cast<std::size_t>(mark.line) >= starts.size()) return std::nullopt;
  const std::size_t begin = starts[mark.line];
  for (std::size_t i = begin; i < begin + mark.column; ++i) {
    if (i >= text.size() || text[i] != ' ') return std::nullopt;
  }
  return begin;
}

}  // namespace

std::optional<model_entries> find_model_entries(const std::string& text, const std::string& file) {
  // Directives (%TAG, %YAML) apply to the whole document, not to one model's lines.
  if (!text.empty() && (text[0] == '%' || text.find("\n%") != std::string::npos)) return {};
  const auto starts = line_starts(text);
  if (!starts) return std::nullopt;
  entry_finder finder;
  std::istringstream in(text);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(finder);
    if (finder.usable) finder.usable = !parser.HandleNextDocument(finder);
  } catch (const YAML::ParserException& e) {
    fail_not_valid_yaml(e, file);
  }
  if (!finder.usable || finder.model_keys.empty()) return std::nullopt;

  model_entries out;
  std::vector<std::size_t> begins;
  for (const auto& mark : finder.model_keys) {
    const auto begin = line_start_of(mark, text, *starts);
    if (!begin || (!begins.empty() && *begin <= begins.back())) return std::nullopt;
    begins.push_back(*begin);
    out.models.push_back({*begin, 0, mark.line});
  }
  std::size_t end = text.size();
  if (finder.after_models) {
    const auto next = line_start_of(*finder.after_models, text, *starts);
    if (!next || *next <= begins.back()) return std::nullopt;
    end = *next;
  }
  for (std::size_t i = 0; i < out.models.size(); ++i) {
    out.models[i].end = i + 1 < out.models.size() ? begins[i + 1] : end;
  }
  out.all = {begins.front(), end, out.models.front().line};
  return out;
}

}  // namespace manifest_detail
}  // namespace pgparity
