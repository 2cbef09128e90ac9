// Unit tests of the harness's pure parts: command-line parsing. The database side is covered by the
// e2e tests in suites/.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "harness/command_line.h"

namespace pgparity::harness {
namespace {

TEST(CommandLine, ParsesCommandsAndFlags) {
  const auto cl = parse_command_line({"migrate", "--config", "x.yaml", "--keep", "--fresh"});
  EXPECT_EQ(cl.command, "migrate");
  EXPECT_EQ(cl.config, "x.yaml");
  EXPECT_TRUE(cl.keep);
  EXPECT_TRUE(cl.fresh);
  const auto report = parse_command_line({"report", "--format=json", "--out", "r.json"});
  EXPECT_EQ(report.format, "json");
  EXPECT_EQ(report.out.value_or(""), "r.json");
  EXPECT_EQ(parse_command_line({"snapshot"}).config, "pgparity.yaml");
}

TEST(CommandLine, PassesGoogleTestFlagsThroughForTest) {
  const auto cl = parse_command_line(
      {"test", "--gtest_filter=Columns/*", "--config=p.yaml", "--gtest_brief=1"});
  EXPECT_EQ(cl.config, "p.yaml");
  EXPECT_EQ(cl.gtest_args,
            (std::vector<std::string>{"--gtest_filter=Columns/*", "--gtest_brief=1"}));
}

TEST(CommandLine, HelpAndVersion) {
  EXPECT_EQ(parse_command_line({"--help"}).command, "help");
  EXPECT_EQ(parse_command_line({"-h"}).command, "help");
  EXPECT_EQ(parse_command_line({"--version"}).command, "version");
  const auto help = parse_command_line({"help", "migrate"});
  EXPECT_EQ(help.help_topic, "migrate");
  EXPECT_EQ(parse_command_line({"test", "--help"}).help_topic, "test");
  EXPECT_NE(help_text("migrate").find("--keep"), std::string::npos);
}

std::string usage_error(const std::vector<std::string>& args) {
  try {
    parse_command_line(args);
  } catch (const input_error& e) {
    EXPECT_EQ(e.code(), exit_code::bad_input);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(CommandLine, UnknownCommandsAndFlagsSuggestTheClosest) {
  EXPECT_NE(usage_error({"tset"}).find("did you mean `test`?"), std::string::npos);
  EXPECT_NE(usage_error({"migrate", "--kep"}).find("did you mean `--keep`?"), std::string::npos);
  EXPECT_NE(usage_error({"report", "--format", "jsn"}).find("did you mean `json`?"),
            std::string::npos);
  EXPECT_NE(usage_error({"test", "--gtest_fliter=x"}).find("did you mean `--gtest_filter`?"),
            std::string::npos);
  EXPECT_NE(usage_error({"help", "snapshto"}).find("did you mean `snapshot`?"), std::string::npos);
  EXPECT_NE(usage_error({"snapshot", "--out"}).find("needs a value"), std::string::npos);
  EXPECT_NE(usage_error({}).find("no command"), std::string::npos);
  EXPECT_NE(usage_error({"migrate", "--keep=1"}).find("takes no value"), std::string::npos);
  EXPECT_NE(usage_error({"test", "extra"}).find("unexpected argument"), std::string::npos);
}

}  // namespace
}  // namespace pgparity::harness
