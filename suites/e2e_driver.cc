// The end-to-end driver ctest runs: one invocation per fixture project, or one CLI expectation.
//
//   pgparity_e2e fixture <pgparity> <fixture dir>
//     Good project (no expected.yaml): `pgparity test` exits 0 with no failed test and no skipped
//     one (but those listed under `skipped:` in an optional skipped.yaml, exactly); then
//     `pgparity snapshot` writes a manifest, and `pgparity test` with that manifest does the same.
//     Broken project: `pgparity test` exits with expected.yaml's `exit_code`, the tests that fail
//     are exactly `failed` and those skipped exactly `skipped` (both keys required), read from
//     the JUnit XML; then fix/ is applied (fix/migrations/* into the migrations directory,
//     fix/project/* over the project at the same paths (an Alembic revision), fix/models.yaml
//     over the manifest, any other file or directory over the same path in the project, e.g.
//     fix/app/models.py) and `pgparity test` exits 0 with no failed and no skipped
//     test (but those listed under expected.yaml's optional `fixed_skipped:`, exactly). ORM
//     projects (`models:`) skip the snapshot step: they have no manifest. Everything runs on a copy
//     of the fixture in a temporary directory. A broken variant whose expected.yaml says `base:
//     <sibling>` holds only its differences from that project (copied first), and `remove: [paths]`
//     deletes files of the base (e.g. a revision never written).
//
//   pgparity_e2e keep <pgparity> <config>
//     `pgparity migrate --keep`: the printed psql line connects to the migrated database; on
//     SIGTERM it exits 0 and its socket directory is gone.
//
//   pgparity_e2e expect <exit code> [--output REGEX]... [--env NAME=VALUE]... [--creates FILE]...
//                       -- <command...>
//     Runs the command and checks its exit status, that its output matches every REGEX and
//     that it created every FILE (removed first).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pqxx/pqxx>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "manifest/project_config.h"

namespace fs = std::filesystem;

namespace {

struct outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `argv` with extra environment, capturing its output in `log`.
outcome run(const std::vector<std::string>& argv, const fs::path& log,
            const std::vector<std::string>& env = {}) {
  std::cout << "$";
  for (const auto& a : argv) std::cout << " " << a;
  std::cout << std::endl;
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  outcome result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.output = read_file(log);
  return result;
}

std::string xml_unescape(std::string s) {
  const std::vector<std::pair<std::string, std::string>> entities = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
      s.replace(pos, from.size(), to);
    }
  }
  return s;
}

std::string attribute(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const auto start = tag.find(key);
  if (start == std::string::npos) return "";
  const auto value = start + key.size();
  return xml_unescape(tag.substr(value, tag.find('"', value) - value));
}

struct junit_result {
  std::set<std::string> all, failed, skipped;
};

// GoogleTest 1.12's JUnit XML: <testcase name="Check/User" classname="Tables/Exists" ...>, with a
// <failure> child when it failed, and result="skipped" / <skipped> when it was skipped.
junit_result parse_junit(const fs::path& path) {
  const std::string xml = read_file(path);
  junit_result r;
  for (auto pos = xml.find("<testcase "); pos != std::string::npos;
       pos = xml.find("<testcase ", pos + 1)) {
    const auto tag_end = xml.find('>', pos);
    const std::string tag = xml.substr(pos, tag_end - pos + 1);
    std::string body;
    if (tag.size() < 2 || tag[tag.size() - 2] != '/') {
      const auto close = xml.find("</testcase>", tag_end);
      body = xml.substr(tag_end, close - tag_end);
    }
    const std::string name = attribute(tag, "classname") + "." + attribute(tag, "name");
    r.all.insert(name);
    if (body.find("<failure") != std::string::npos) r.failed.insert(name);
    if (attribute(tag, "result") == "skipped" || body.find("<skipped") != std::string::npos) {
      r.skipped.insert(name);
    }
  }
  return r;
}

class checker {
 public:
  explicit checker(std::string title) : title_(std::move(title)) {}
  void fail(const std::string& message) {
    std::cout << "FAIL " << title_ << ": " << message << "\n";
    failed_ = true;
  }
  bool failed() const { return failed_; }

  // Compares two sets of test names, printing a diff.
  void same_tests(const std::string& what, const std::set<std::string>& expected,
                  const std::set<std::string>& actual) {
    std::vector<std::string> missing, unexpected;
    std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                        std::back_inserter(missing));
    std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                        std::back_inserter(unexpected));
    if (missing.empty() && unexpected.empty()) return;
    std::ostringstream msg;
    msg << "the " << what << " tests differ from the fixture's expected.yaml (or skipped.yaml)";
    for (const auto& t : missing) msg << "\n  - expected " << what << ", was not: " << t;
    for (const auto& t : unexpected) msg << "\n  + " << what << ", not expected: " << t;
    fail(msg.str());
  }

  bool exit_code(const std::string& step, const outcome& o, int expected) {
    if (o.exit_code == expected) return true;
    fail(step + ": exit code " + std::to_string(o.exit_code) + ", expected " +
         std::to_string(expected) + "\n----- output -----\n" + o.output + "------------------");
    return false;
  }

 private:
  std::string title_;
  bool failed_ = false;
};

std::set<std::string> string_set(const YAML::Node& node) {
  std::set<std::string> out;
  if (node) {
    for (const auto& item : node) out.insert(item.as<std::string>());
  }
  return out;
}

struct project {
  fs::path config;
  pgparity::project_config settings;
};

// A broken variant may hold only what differs from a good project: expected.yaml's `base:` names
// that project (a sibling directory), which is copied first; the variant's files are copied over
// it, and the paths under `remove:` (relative to the project) are deleted.
project copy_fixture(const fs::path& fixture, const fs::path& into) {
  YAML::Node expected;
  if (fs::exists(fixture / "expected.yaml"))
    expected = YAML::LoadFile((fixture / "expected.yaml").string());
  if (expected["base"]) {
    fs::copy(fixture.parent_path() / expected["base"].as<std::string>(), into,
             fs::copy_options::recursive);
    fs::copy(fixture, into, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  } else {
    fs::copy(fixture, into, fs::copy_options::recursive);
  }
  for (const auto& path : string_set(expected["remove"])) {
    if (fs::remove_all(into / path) == 0)
      throw std::runtime_error("remove: no " + path + " in the project");
  }
  project p;
  p.config = into / "pgparity.yaml";
  p.settings = pgparity::load_project_config(p.config.string());
  return p;
}

// `pgparity test` on a project; fills `tests` from its JUnit XML.
outcome run_tests(const std::string& exe, const project& p, const fs::path& work,
                  const std::string& step, junit_result& tests) {
  const fs::path xml = work / (step + ".xml");
  outcome o =
      run({exe, "test", "--config", p.config.string(), "--gtest_output=xml:" + xml.string()},
          work / (step + ".log"));
  tests = fs::exists(xml) ? parse_junit(xml) : junit_result{};
  return o;
}

// `pgparity test` passes: exit 0, no failed test, and exactly `skipped` skipped (a test that
// silently stops running is not a pass).
void check_passes(checker& c, const std::string& exe, const project& p, const fs::path& work,
                  const std::string& step, const std::set<std::string>& skipped) {
  junit_result tests;
  const outcome o = run_tests(exe, p, work, step, tests);
  if (!c.exit_code(step, o, 0)) return;
  if (tests.all.empty()) c.fail(step + ": the JUnit XML lists no test");
  c.same_tests("failed (" + step + ")", {}, tests.failed);
  c.same_tests("skipped (" + step + ")", skipped, tests.skipped);
}

void good_fixture(checker& c, const std::string& exe, const project& p, const fs::path& fixture,
                  const fs::path& work) {
  std::set<std::string> skipped;
  if (fs::exists(fixture / "skipped.yaml")) {
    skipped = string_set(YAML::LoadFile((fixture / "skipped.yaml").string())["skipped"]);
  }
  check_passes(c, exe, p, work, "test", skipped);
  if (c.failed()) return;
  // An ORM project (`models:`) has no manifest for snapshot to overwrite: its declared side is
  // the application's code, and snapshot is the bootstrap of projects without an ORM.
  if (p.settings.models) return;
  const fs::path generated = work / "snapshot-models.yaml";
  const outcome snap =
      run({exe, "snapshot", "--config", p.config.string(), "--out", generated.string()},
          work / "snapshot.log");
  if (!c.exit_code("snapshot", snap, 0)) return;
  if (!p.settings.manifest) return c.fail("the config names no manifest");
  fs::copy_file(generated, *p.settings.manifest, fs::copy_options::overwrite_existing);
  check_passes(c, exe, p, work, "test-with-snapshot-manifest", skipped);
}

// The tests the CRITICAL findings of a JSON report name: each finding's "test" line after its
// "level" line (one key per line, in a fixed order: docs/report-format.md).
std::set<std::string> critical_tests(const std::string& json) {
  std::set<std::string> out;
  const std::string level = "\n      \"level\": \"CRITICAL\",";
  const std::string test = "\n      \"test\": \"";
  for (auto at = json.find(level); at != std::string::npos; at = json.find(level, at + 1)) {
    const auto start = json.find(test, at);
    if (start == std::string::npos) break;
    const auto from = start + test.size();
    out.insert(json.substr(from, json.find('"', from) - from));
  }
  return out;
}

// `pgparity report` covers every kind: its CRITICAL findings name exactly the failing tests.
void check_report_matches_tests(checker& c, const std::string& exe, const project& p,
                                const fs::path& work, const std::set<std::string>& failed,
                                int exit_code) {
  const fs::path json = work / "report.json";
  const outcome o = run(
      {exe, "report", "--format", "json", "--config", p.config.string(), "--out", json.string()},
      work / "report.log");
  if (!c.exit_code("report", o, exit_code)) return;
  c.same_tests("failed (by the report's findings)", failed, critical_tests(read_file(json)));
}

void broken_fixture(checker& c, const std::string& exe, const project& p, const fs::path& fixture,
                    const fs::path& work) {
  const YAML::Node expected = YAML::LoadFile((fixture / "expected.yaml").string());
  const int exit_code = expected["exit_code"] ? expected["exit_code"].as<int>() : 1;
  // Both lists, so that no outcome goes unasserted (`[]` for none).
  for (const char* key : {"failed", "skipped"}) {
    if (!expected[key]) return c.fail(std::string("expected.yaml has no `") + key + ":` list");
  }
  junit_result tests;
  const outcome o = run_tests(exe, p, work, "test-broken", tests);
  c.exit_code("test-broken", o, exit_code);
  c.same_tests("failed", string_set(expected["failed"]), tests.failed);
  c.same_tests("skipped", string_set(expected["skipped"]), tests.skipped);
  if (c.failed()) std::cout << "----- pgparity output -----\n" << o.output << "\n";
  check_report_matches_tests(c, exe, p, work, tests.failed, o.exit_code);

  const fs::path fix = fixture / "fix";
  if (!fs::is_directory(fix)) return c.fail("no fix/ directory: the fixed version is not tested");
  if (fs::is_directory(fix / "migrations")) {
    if (!p.settings.migrations.dir) return c.fail("fix/migrations given, but no migrations dir");
    for (const auto& entry : fs::directory_iterator(fix / "migrations")) {
      fs::copy(entry.path(), fs::path(*p.settings.migrations.dir) / entry.path().filename(),
               fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    }
  }
  // fix/project/* mirrors the project: files at any path (an Alembic revision in its versions
  // folder) are copied over it.
  if (fs::is_directory(fix / "project")) {
    fs::copy(fix / "project", p.config.parent_path(),
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  if (fs::exists(fix / "models.yaml")) {
    if (!p.settings.manifest) return c.fail("fix/models.yaml given, but no manifest in config");
    fs::copy_file(fix / "models.yaml", *p.settings.manifest, fs::copy_options::overwrite_existing);
  }
  // Anything else in fix/ (e.g. fix/app/models.py of an ORM project whose fix is in the model)
  // replaces the file at the same path in the project.
  for (const auto& entry : fs::directory_iterator(fix)) {
    const std::string name = entry.path().filename().string();
    if (name == "migrations" || name == "models.yaml" || name == "project") continue;
    fs::copy(entry.path(), p.config.parent_path() / name,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  // A fix that is right for the check the fixture is about but that a lifecycle test skips with
  // a reason lists that test under `fixed_skipped:` (exactly, as `skipped:`).
  std::set<std::string> fixed_skipped;
  if (expected["fixed_skipped"]) fixed_skipped = string_set(expected["fixed_skipped"]);
  check_passes(c, exe, p, work, "test-fixed", fixed_skipped);
}

int fixture_main(const std::string& exe, const fs::path& fixture) {
  checker c(fixture.parent_path().filename().string() + "/" + fixture.filename().string());
  std::string pattern = (fs::temp_directory_path() / "pgparity-e2e.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::cout << "cannot create a temporary directory\n";
    return 1;
  }
  const fs::path work = pattern;
  try {
    const project p = copy_fixture(fixture, work / "project");
    if (fs::exists(fixture / "expected.yaml")) {
      broken_fixture(c, exe, p, fixture, work);
    } else {
      good_fixture(c, exe, p, fixture, work);
    }
  } catch (const std::exception& e) {
    c.fail(std::string("driver error: ") + e.what());
  }
  if (c.failed()) {
    std::cout << "(files kept in " << work.string() << ")\n";
    return 1;
  }
  fs::remove_all(work);
  std::cout << "PASS\n";
  return 0;
}

int keep_main(const std::string& exe, const std::string& config) {
  checker c("migrate --keep");
  const fs::path log = fs::temp_directory_path() / ("pgparity-keep-" + std::to_string(getpid()));
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execl(exe.c_str(), exe.c_str(), "migrate", "--keep", "--config", config.c_str(), nullptr);
    _exit(127);
  }
  // Wait for the psql line: psql "<conninfo>".
  std::string conninfo;
  for (int i = 0; i < 600 && conninfo.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::string out = read_file(log);
    std::smatch m;
    if (std::regex_search(out, m, std::regex("psql \"([^\"]+)\""))) conninfo = m[1];
    if (waitpid(pid, nullptr, WNOHANG) == pid) break;
  }
  std::string socket_dir;
  if (conninfo.empty()) {
    c.fail("no psql line within 60 s; output:\n" + read_file(log));
  } else {
    std::cout << "psql \"" << conninfo << "\"\n";
    try {
      pqxx::connection conn(conninfo);
      pqxx::work tx(conn);
      std::cout << "tables: "
                << tx.exec1(
                         "SELECT count(*) FROM pg_tables WHERE schemaname = "
                         "'public'")[0]
                       .as<int>()
                << "\n";
      socket_dir = tx.exec1("SHOW unix_socket_directories")[0].c_str();
    } catch (const std::exception& e) {
      c.fail(std::string("cannot connect with the printed line: ") + e.what());
    }
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string output = read_file(log);
  fs::remove(log);
  std::cout << output;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) c.fail("did not exit 0 after SIGTERM");
  if (!socket_dir.empty() && fs::exists(socket_dir)) {
    c.fail("socket directory " + socket_dir + " still exists after SIGTERM");
  }
  if (!c.failed()) std::cout << "PASS\n";
  return c.failed() ? 1 : 0;
}

int expect_main(const std::vector<std::string>& args) {
  const int expected = std::stoi(args.at(0));
  std::vector<std::string> patterns, env, command;
  std::size_t i = 1;
  std::vector<fs::path> creates;
  for (; i < args.size() && args[i] != "--"; ++i) {
    if (args[i] == "--output") patterns.push_back(args.at(++i));
    if (args[i] == "--env") env.push_back(args.at(++i));
    if (args[i] == "--creates") creates.emplace_back(args.at(++i));
  }
  for (const auto& file : creates) fs::remove(file);
  command.assign(args.begin() + static_cast<std::ptrdiff_t>(std::min(i + 1, args.size())),
                 args.end());
  const fs::path log = fs::temp_directory_path() / ("pgparity-e2e-" + std::to_string(getpid()));
  const outcome o = run(command, log, env);
  fs::remove(log);
  std::cout << o.output;
  checker c("expect");
  c.exit_code("command", o, expected);
  for (const auto& p : patterns) {
    if (!std::regex_search(o.output, std::regex(p))) c.fail("output does not match /" + p + "/");
  }
  for (const auto& file : creates) {
    if (!fs::exists(file)) c.fail("the command did not create " + file.string());
  }
  if (!c.failed()) std::cout << "PASS\n";
  return c.failed() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "fixture") return fixture_main(args[1], args[2]);
  if (args.size() == 3 && args[0] == "keep") return keep_main(args[1], args[2]);
  if (args.size() >= 3 && args[0] == "expect") return expect_main({args.begin() + 1, args.end()});
  std::cerr << "usage: pgparity_e2e fixture <pgparity> <fixture dir>\n"
               "       pgparity_e2e keep <pgparity> <config>\n"
               "       pgparity_e2e expect <exit code> [--output REGEX]... [--env N=V]... "
               "[--creates F]... -- CMD...\n";
  return 2;
}
