// Reading `models:` model by model (model_entries.h): where the entries are found, which
// documents are read whole instead, and that both readings report the same file:line:column.
#include "manifest/model_entries.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "manifest/load_manifest.h"

namespace pgparity::manifest_detail {
namespace {

const char* const kThree =
    "version: 1\n"       // line 0
    "models:\n"          // 1
    "  A:\n"             // 2
    "    table: a\n"     // 3
    "  # a comment\n"    // 4
    "  B:\n"             // 5
    "    table: b\n"     // 6
    "  C: {table: c}\n"  // 7
    "enums:\n"           // 8
    "  s: [x, y]\n";     // 9

std::string error_of(const std::string& yaml) {
  try {
    parse_manifest(yaml, "m.yaml");
  } catch (const input_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ModelEntries, EachModelIsItsOwnLinesUpToTheNextKey) {
  const std::string text = kThree;
  const auto entries = find_model_entries(text, "m.yaml");
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->models.size(), 3u);
  const auto lines = [&](const line_range& r) { return text.substr(r.begin, r.end - r.begin); };
  EXPECT_EQ(lines(entries->models[0]), "  A:\n    table: a\n  # a comment\n");
  EXPECT_EQ(entries->models[0].line, 2);
  EXPECT_EQ(lines(entries->models[1]), "  B:\n    table: b\n");
  EXPECT_EQ(entries->models[1].line, 5);
  EXPECT_EQ(lines(entries->models[2]), "  C: {table: c}\n");
  EXPECT_EQ(lines(entries->all),
            "  A:\n    table: a\n  # a comment\n  B:\n    table: b\n  C: {table: c}\n");
}

TEST(ModelEntries, OtherShapesAreReadWhole) {
  for (const char* text : {
           "models: {A: {table: a}}\n",                             // flow map
           "models:\n  A: &x {table: a}\n  B: *x\n",                // anchors
           "models:\n  A: {table: a}\n---\nmodels: {}\n",           // a second document
           "models:\n  A: {table: a}\nmodels:\n  B: {table: b}\n",  // `models` twice
           "%YAML 1.2\n---\nmodels:\n  A: {table: a}\n",            // a directive
           "models:\n  ? A\n  : {table: a}\n",                      // an explicit key
           "models: []\n",
           "[1]\n",
           "",
       }) {
    EXPECT_FALSE(find_model_entries(text, "m.yaml")) << text;
  }
}

TEST(ModelEntries, ModelByModelReportsTheSamePlacesAsTheWholeDocument) {
  // Later models, the enums after the models, a duplicate across models: lines are the file's.
  const std::string block = std::string(kThree) + "  t: [q]\n";
  EXPECT_EQ(error_of(std::string(kThree) + "  s: [z]\n"),
            "m.yaml:11:3: duplicate enum `s` in `enums` (first declared at line 10); rename or "
            "remove one of them");
  EXPECT_EQ(error_of("models:\n  A:\n    table: a\n  B:\n    table: b\n    colums: {}\n"),
            "m.yaml:6:5: unknown key `colums` in model `B`; did you mean `columns`?");
  EXPECT_EQ(error_of("models:\n  A:\n    table: a\n  B:\n    table: b\n  A:\n    table: c\n"),
            "m.yaml:6:3: duplicate model `A` in `models` (first declared at line 2); rename or "
            "remove one of them");
  // The same mistake in flow style (read whole) is reported at the same place.
  EXPECT_EQ(error_of("models: {A: {table: a},\n  B: {table: b,\n    colums: {}}}\n"),
            "m.yaml:3:5: unknown key `colums` in model `B`; did you mean `columns`?");
  EXPECT_EQ(error_of(block), "(no error)");
}

TEST(ModelEntries, ModelsMayUseEnumsDeclaredAfterThem) {
  const manifest m = parse_manifest(
      "models:\n  A:\n    table: a\n    columns:\n      st: {type: s}\nenums:\n  s: [x]\n",
      "m.yaml");
  ASSERT_EQ(m.models.size(), 1u);
  EXPECT_EQ(m.models[0].columns[0].location.line, 5);
  EXPECT_EQ(m.enums.size(), 1u);
}

}  // namespace
}  // namespace pgparity::manifest_detail
