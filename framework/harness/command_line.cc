#include "harness/command_line.h"

#include <algorithm>
#include <optional>

#include "common/did_you_mean.h"
#include "common/error.h"

namespace pgparity::harness {
namespace {

struct command_spec {
  const char* name;
  std::vector<std::string> flags;  // accepted flags; those in `valued` take a value
  const char* help;
};

const std::vector<std::string> valued = {"--config", "--out", "--format", "--database",
                                         "--older-than"};

const std::vector<command_spec>& commands() {
  static const std::vector<command_spec> specs = {
      {"migrate",
       {"--config", "--keep", "--fresh"},
       "usage: pgparity migrate [--config FILE] [--keep] [--fresh]\n"
       "\n"
       "Brings up the database, applies every migration and prints how long each took and\n"
       "whether the migrated schema came from the template cache.\n"
       "\n"
       "  --config FILE  project config (default ./pgparity.yaml)\n"
       "  --keep         keep the database running, print a psql command line that connects,\n"
       "                 and wait for Ctrl-C or SIGTERM (then clean up)\n"
       "  --fresh        ignore the template cache: apply every migration again\n"},
      {"test",
       {"--config", "--fresh"},
       "usage: pgparity test [--config FILE] [--fresh] [--gtest_* flags...]\n"
       "\n"
       "Runs every consistency check as GoogleTest tests, one per model and check family:\n"
       "  Tables/Exists.Check/<Model>        Columns/Match.Check/<Model>\n"
       "  Enums/Match.Check/<Model>          ForeignKeys/Match.Check/<Model>\n"
       "  Indexes/Match.Check/<Model>        Uniques/Match.Check/<Model>\n"
       "  Checks/Match.Check/<Model>         Exclusions/Match.Check/<Model>\n"
       "  Undeclared/Objects.Check/<Model>   Undeclared/Tables.Check/<schema>\n"
       "Exit status 0 when every test passes, 1 when a check failed.\n"
       "\n"
       "  --config FILE          project config (default ./pgparity.yaml)\n"
       "  --fresh                ignore the template cache: apply every migration again\n"
       "  --gtest_list_tests     list the tests (never touches a database)\n"
       "  --gtest_filter=PATTERN run only matching tests, e.g. 'Columns/*' or '*/User'\n"
       "  --gtest_output=xml:F   write JUnit XML (default: the config's `junit_xml`)\n"
       "  other --gtest_* flags are passed to GoogleTest (see `--gtest_help`)\n"},
      {"snapshot",
       {"--config", "--out", "--fresh"},
       "usage: pgparity snapshot [--config FILE] [--out FILE] [--fresh]\n"
       "\n"
       "Migrates, then writes a models manifest declaring exactly the migrated schema.\n"
       "\n"
       "  --config FILE  project config (default ./pgparity.yaml)\n"
       "  --out FILE     where to write the manifest (default: standard output)\n"
       "  --fresh        ignore the template cache: apply every migration again\n"},
      {"lint",
       {"--config"},
       "usage: pgparity lint [--config FILE]\n"
       "\n"
       "Static checks with no database: the config, the manifest and the migration files\n"
       "(layout, order, duplicate versions, pairing of up and down files). Exit status 0 when\n"
       "they are sound, 2 with a one-line error naming the file and line when not.\n"
       "\n"
       "  --config FILE  project config (default ./pgparity.yaml)\n"},
      {"init",
       {"--config"},
       "usage: pgparity init [--config FILE]\n"
       "\n"
       "Looks at the repository in the current directory and writes a commented pgparity.yaml\n"
       "for it: the migrations (alembic.ini, or a migrations directory and its layout), the\n"
       "declared side (SQLAlchemy, Flask-SQLAlchemy or SQLModel models found in the Python\n"
       "sources, else a manifest for `pgparity snapshot` to write) and an interpreter that can\n"
       "import them. Then prints the next two commands. Never overwrites a config: exit 2 when\n"
       "FILE exists, or when no migrations are found.\n"
       "\n"
       "  --config FILE  where to write (default ./pgparity.yaml); the project is its directory\n"},
      {"clean",
       {"--database", "--older-than"},
       "usage: pgparity clean [--database URL] [--older-than AGE]\n"
       "\n"
       "Removes what killed runs left behind and prints each thing it removed: run directories\n"
       "(and their servers and shared memory) and cache staging entries whose run is gone. With\n"
       "--database, also the pgparity_* databases on that server whose run on this machine is\n"
       "gone; it lists the others and why they stay. A database pgparity did not make (no\n"
       "owner comment or name) or that a session uses is never dropped.\n"
       "\n"
       "  --database URL    an existing server: postgresql://user@host:port/dbname\n"
       "  --older-than AGE  also drop pgparity's databases (any machine) and staging entries\n"
       "                    older than AGE: 90s, 30m, 12h, 7d\n"},
      {"report",
       {"--config", "--format", "--out", "--fresh"},
       "usage: pgparity report [--config FILE] [--format markdown|json] [--out FILE] [--fresh]\n"
       "\n"
       "Runs every check and writes the audit report: findings with CRITICAL / WARNING level,\n"
       "expected versus actual, manifest location and the SQL that would fix the database.\n"
       "Exit status 1 when there is a CRITICAL finding, else 0.\n"
       "\n"
       "  --config FILE     project config (default ./pgparity.yaml)\n"
       "  --format FORMAT   markdown (default) or json\n"
       "  --out FILE        where to write the report (default: standard output)\n"
       "  --fresh           ignore the template cache: apply every migration again\n"},
  };
  return specs;
}

const command_spec* find_command(const std::string& name) {
  for (const auto& spec : commands()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

[[noreturn]] void unknown_command(const std::string& word) {
  throw input_error("unknown command `" + word + "`" + did_you_mean_suffix(word, command_names()) +
                    " (run `pgparity --help` for the list)");
}

// A --gtest_* flag we pass on; misspelt ones are refused here, since GoogleTest would answer
// them by printing its help and running nothing.
void check_gtest_flag(const std::string& arg) {
  const std::string name =
      arg.substr(8, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 8);
  const auto& names = gtest_flag_names();
  if (std::find(names.begin(), names.end(), name) != names.end() || name == "help") return;
  std::vector<std::string> candidates;
  for (const auto& n : names) candidates.push_back("--gtest_" + n);
  const std::string flag = "--gtest_" + name;
  throw input_error("unknown GoogleTest flag `" + flag + "`" +
                    did_you_mean_suffix(flag, candidates));
}

}  // namespace

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = {"migrate", "test", "snapshot", "report",
                                                 "lint",    "init", "clean",    "help"};
  return names;
}

const std::vector<std::string>& gtest_flag_names() {
  static const std::vector<std::string> names = {
      "also_run_disabled_tests",
      "break_on_failure",
      "brief",
      "catch_exceptions",
      "color",
      "death_test_style",
      "death_test_use_fork",
      "fail_fast",
      "filter",
      "flagfile",
      "list_tests",
      "output",
      "print_time",
      "print_utf8",
      "random_seed",
      "recreate_environments_when_repeating",
      "repeat",
      "shuffle",
      "stack_trace_depth",
      "stream_result_to",
      "throw_on_failure",
  };
  return names;
}

std::string help_text(const std::string& topic) {
  if (topic.empty()) {
    return "usage: pgparity <command> [flags]\n"
           "\n"
           "Proves that the data models a manifest declares and the schema the migrations build\n"
           "in PostgreSQL are the same thing.\n"
           "\n"
           "commands:\n"
           "  migrate    bring up a database, apply the migrations, print their timing\n"
           "  test       run every consistency check as GoogleTest tests\n"
           "  snapshot   write a models manifest from the migrated schema\n"
           "  report     write the audit report (markdown or json)\n"
           "  lint       check config, manifest and migration files (no database)\n"
           "  init       write a commented pgparity.yaml for the repository here\n"
           "  clean      remove what killed runs left (servers, staging, databases)\n"
           "  help CMD   show the flags of a command\n"
           "\n"
           "flags: --help, -h, --version\n"
           "Every command reads ./pgparity.yaml unless --config FILE is given.\n"
           "Exit status: 0 all passed, 1 a check failed, 2 bad usage, config or manifest,\n"
           "3 the environment failed (PostgreSQL would not start, a migration failed).\n";
  }
  const command_spec* spec = find_command(topic);
  if (spec == nullptr) {
    if (topic == "help") return help_text("");
    unknown_command(topic);
  }
  return spec->help;
}

namespace {

// `--help`, `--version` and `help [CMD]`: the commands that are not a command_spec.
std::optional<command_line> parse_help_or_version(const std::vector<std::string>& args) {
  command_line cl;
  const std::string& first = args[0];
  if (first == "--help" || first == "-h") {
    cl.command = "help";
  } else if (first == "--version") {
    cl.command = "version";
  } else if (first == "help") {
    if (args.size() > 2) throw input_error("`pgparity help` takes at most one command name");
    cl.command = "help";
    if (args.size() == 2) {
      cl.help_topic = args[1];
      help_text(cl.help_topic);  // validates the topic
    }
  } else {
    return std::nullopt;
  }
  return cl;
}

const command_spec& command_named(const std::string& first) {
  const command_spec* spec = find_command(first);
  if (spec == nullptr) {
    if (!first.empty() && first[0] == '-') {
      throw input_error("unknown flag `" + first + "`" +
                        did_you_mean_suffix(first, {"--help", "--version"}) +
                        "; flags come after the command, e.g. `pgparity test --config F`");
    }
    unknown_command(first);
  }
  return *spec;
}

void require_known_flag(const command_spec& spec, const std::string& arg, const std::string& flag) {
  if (std::find(spec.flags.begin(), spec.flags.end(), flag) != spec.flags.end()) return;
  const std::string command = spec.name;
  if (arg.empty() || arg[0] != '-') {
    throw input_error("unexpected argument `" + arg + "` for `pgparity " + command +
                      "`; run `pgparity help " + command + "`");
  }
  throw input_error("unknown flag `" + flag + "` for `pgparity " + command + "`" +
                    did_you_mean_suffix(flag, spec.flags) + "; run `pgparity help " + command +
                    "`");
}

// The value of args[i]'s flag: after `=`, or the next argument (consumed). "" for a flag
// that takes none.
std::string flag_value(const std::vector<std::string>& args, std::size_t& i,
                       const std::string& flag) {
  const std::string& arg = args[i];
  const auto eq = arg.find('=');
  const bool takes_value = std::find(valued.begin(), valued.end(), flag) != valued.end();
  if (!takes_value) {
    if (eq != std::string::npos) throw input_error("flag `" + flag + "` takes no value");
    return {};
  }
  std::string value;
  if (eq != std::string::npos) {
    value = arg.substr(eq + 1);
  } else if (i + 1 < args.size()) {
    value = args[++i];
  } else {
    throw input_error("flag `" + flag + "` needs a value, e.g. `" + flag + " FILE`");
  }
  if (value.empty()) throw input_error("flag `" + flag + "` needs a non-empty value");
  return value;
}

// "90s", "30m", "12h", "7d" or plain seconds.
long long parse_age(const std::string& value) {
  std::size_t used = 0;
  long long number = -1;
  try {
    number = std::stoll(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = value.substr(used);
  const std::vector<std::pair<std::string, long long>> units = {
      {"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
  for (const auto& [name, seconds] : units) {
    if (used > 0 && number >= 0 && unit == name && number < (1LL << 40)) return number * seconds;
  }
  throw input_error("invalid --older-than `" + value +
                    "`; write a number and a unit: 90s, 30m, 12h or 7d");
}

void apply_flag(command_line& cl, const std::string& flag, const std::string& value) {
  if (flag == "--database") cl.database = value;
  if (flag == "--older-than") cl.older_than = parse_age(value);
  if (flag == "--config") cl.config = value;
  if (flag == "--out") cl.out = value;
  if (flag == "--keep") cl.keep = true;
  if (flag == "--fresh") cl.fresh = true;
  if (flag == "--format") {
    if (value != "markdown" && value != "json") {
      throw input_error("unknown report format `" + value + "`" +
                        did_you_mean_suffix(value, {"markdown", "json"}) +
                        "; use --format markdown or --format json");
    }
    cl.format = value;
  }
}

}  // namespace

command_line parse_command_line(const std::vector<std::string>& args) {
  if (args.empty()) {
    throw input_error("no command given; run `pgparity --help` for the list of commands");
  }
  if (auto global = parse_help_or_version(args)) return *global;
  const command_spec& spec = command_named(args[0]);
  command_line cl;
  cl.command = spec.name;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      command_line help;
      help.command = "help";
      help.help_topic = cl.command;
      return help;
    }
    if (cl.command == "test" && arg.rfind("--gtest_", 0) == 0) {
      check_gtest_flag(arg);
      cl.gtest_args.push_back(arg);
      continue;
    }
    const std::string flag = arg.substr(0, arg.find('='));
    require_known_flag(spec, arg, flag);
    apply_flag(cl, flag, flag_value(args, i, flag));
  }
  return cl;
}

}  // namespace pgparity::harness
