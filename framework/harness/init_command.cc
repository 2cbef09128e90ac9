// `pgparity init`: looks at the repository it is run in and writes a commented pgparity.yaml
// for it: the migrations (alembic.ini, or a directory whose layout migrate detects), the
// declared side (SQLAlchemy models found in the Python sources, an existing manifest, or the
// manifest `pgparity snapshot` will write), and the interpreter that can import them. It never
// overwrites a config.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>

#include "common/error.h"
#include "harness/commands.h"
#include "manifest/load_manifest.h"
#include "manifest/project_config.h"
#include "migrate/migrations.h"

namespace pgparity::harness {
namespace {

namespace fs = std::filesystem;

struct found_migrations {
  std::string alembic_ini;  // relative to the project; or
  std::string dir;          // relative to the project
  std::string summary;      // "goose layout, 3 migration(s)"
  std::string layout;       // to write as `layout:` ("" = leave it to detection)
  std::string detected;     // the layout's name
};

struct found_models {
  std::string target;                // "app.extensions:db", "sqlmodel:SQLModel"
  std::vector<std::string> imports;  // modules with model classes, besides the target's
  std::string source;                // where the target is defined, for the comment
  std::vector<std::string> others;   // further candidates, named in a comment
  bool flask = false;                // a Flask-SQLAlchemy handle
};

const std::vector<std::string> skipped_dirs = {
    ".git",  ".hg",  ".venv",         "venv", "env",         "node_modules",  "__pycache__",
    "build", "dist", "site-packages", ".tox", ".mypy_cache", ".pytest_cache", "target"};

bool skipped(const fs::path& dir) {
  const std::string name = dir.filename().string();
  return std::find(skipped_dirs.begin(), skipped_dirs.end(), name) != skipped_dirs.end();
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string relative_to(const fs::path& path, const fs::path& root) {
  return path.lexically_relative(root).generic_string();
}

// The project's files below `root` with the given extension, sorted, at most `depth` levels
// deep, never inside version control, virtual environments or build output.
std::vector<fs::path> files_below(const fs::path& root, const std::string& extension, int depth) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && (skipped(it->path()) || it.depth() >= depth)) {
      it.disable_recursion_pending();
    } else if (it->is_regular_file(ec) && it->path().extension() == extension) {
      out.push_back(it->path());
    }
    if (out.size() > 5000) break;  // a huge tree: what was seen is enough for a first config
  }
  std::sort(out.begin(), out.end());
  return out;
}

// --- Migrations -------------------------------------------------------------------------------

// Where migration tools keep their files, most common first; then any directory named like one.
const std::vector<std::string> migration_dirs = {
    "migrations",          "db/migrations",       "db/migrate",
    "database/migrations", "sql/migrations",      "migrations/sql",
    "db/migration",        "prisma/migrations",   "src/main/resources/db/migration",
    "schema/migrations",   "internal/migrations", "persistence/sql/migrations"};

std::optional<found_migrations> try_dir(const fs::path& root, const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec) || fs::exists(dir / "env.py")) return std::nullopt;
  try {
    migration_set set = read_migrations(dir.string());
    if (set.steps.empty()) return std::nullopt;
    // sqlx's up-only <timestamp>_<name>.sql files read as plain ones; sqlx names say which.
    std::string layout;
    const std::regex sqlx_name(R"(\d{14}_.+\.sql)");
    if (set.layout == migration_layout::plain &&
        std::all_of(set.steps.begin(), set.steps.end(), [&](const migration_step& step) {
          return std::regex_match(fs::path(step.up_file).filename().string(), sqlx_name);
        })) {
      set.layout = migration_layout::sqlx;
      layout = "sqlx";
    }
    return found_migrations{"", relative_to(dir, root),
                            std::string(layout_name(set.layout)) + " layout, " +
                                std::to_string(set.steps.size()) + " migration(s)",
                            layout, layout_name(set.layout)};
  } catch (const error&) {
    return std::nullopt;  // not a migrations directory pgparity can read: keep looking
  }
}

std::optional<found_migrations> find_migrations(const fs::path& root) {
  if (fs::is_regular_file(root / "alembic.ini"))
    return found_migrations{"alembic.ini", "", "Alembic", "", "alembic"};
  for (const auto& file : files_below(root, ".ini", 2)) {
    if (file.filename() == "alembic.ini") {
      return found_migrations{relative_to(file, root), "", "Alembic", "", "alembic"};
    }
  }
  for (const auto& name : migration_dirs) {
    if (auto found = try_dir(root, root / name)) return found;
  }
  for (const auto& sql : files_below(root, ".sql", 5)) {
    for (fs::path dir = sql.parent_path();
         dir != root && dir.string().size() > root.string().size(); dir = dir.parent_path()) {
      const std::string name = dir.filename().string();
      if (name.find("migrat") == std::string::npos) continue;
      if (auto found = try_dir(root, dir)) return found;
    }
  }
  return std::nullopt;
}

// --- Models -----------------------------------------------------------------------------------

// "app/models.py" -> "app.models"; "app/__init__.py" -> "app".
std::string module_of(const fs::path& file, const fs::path& root) {
  fs::path rel = file.lexically_relative(root);
  rel.replace_extension();
  std::string module;
  for (const auto& part : rel) {
    if (part == "__init__") break;
    module += (module.empty() ? "" : ".") + part.string();
  }
  return module;
}

struct model_source {
  std::string module;
  std::string text;
};

// The object that holds the models: a Flask-SQLAlchemy handle, a declarative base, or SQLModel.
// Each kind also says what its model classes look like, to find the modules to import.
std::optional<found_models> find_models(const fs::path& root) {
  std::vector<model_source> sources;
  for (const auto& file : files_below(root, ".py", 6)) {
    if (fs::file_size(file) < 2'000'000)
      sources.push_back({module_of(file, root), read_text(file)});
  }
  const std::regex flask(R"(^(\w+)\s*=\s*(?:flask_sqlalchemy\.)?SQLAlchemy\()");
  const std::regex declarative(
      R"(^(?:(\w+)\s*=\s*(?:\w+\.)*declarative_base\(|class\s+(\w+)\s*\(\s*(?:\w+\.)*DeclarativeBase(?:NoMeta)?\s*\)))");
  const std::regex sqlmodel(R"(^class\s+\w+\s*\([^)]*SQLModel[^)]*table\s*=\s*True)");
  std::vector<found_models> candidates;
  std::vector<std::string> model_class_patterns;
  for (const auto& s : sources) {
    std::istringstream lines(s.text);
    std::smatch m;
    for (std::string line; std::getline(lines, line);) {
      if (std::regex_search(line, m, flask)) {
        candidates.push_back({s.module + ":" + m[1].str(), {}, s.module, {}, true});
        model_class_patterns.push_back(R"(^class\s+\w+\s*\(\s*)" + m[1].str() + R"(\.Model\b)");
      } else if (std::regex_search(line, m, declarative)) {
        const std::string base = m[1].matched ? m[1].str() : m[2].str();
        candidates.push_back({s.module + ":" + base, {}, s.module, {}});
        model_class_patterns.push_back(R"(^class\s+\w+\s*\([^)]*\b)" + base + R"(\b)");
      }
    }
  }
  bool uses_sqlmodel = false;
  for (const auto& s : sources) {
    std::istringstream lines(s.text);
    for (std::string line; !uses_sqlmodel && std::getline(lines, line);) {
      uses_sqlmodel = std::regex_search(line, sqlmodel);
    }
  }
  if (candidates.empty() && uses_sqlmodel) {
    candidates.push_back({"sqlmodel:SQLModel", {}, "SQLModel's metadata", {}});
    model_class_patterns.push_back(R"(^class\s+\w+\s*\([^)]*SQLModel[^)]*table\s*=\s*True)");
  }
  if (candidates.empty()) return std::nullopt;

  found_models chosen = candidates.front();
  for (std::size_t i = 1; i < candidates.size(); ++i) chosen.others.push_back(candidates[i].target);
  const std::regex model_class(model_class_patterns.front());
  for (const auto& s : sources) {
    if (s.module == chosen.source) continue;
    std::istringstream lines(s.text);
    for (std::string line; std::getline(lines, line);) {
      if (std::regex_search(line, model_class)) {
        chosen.imports.push_back(s.module);
        break;
      }
    }
  }
  return chosen;
}

// --- The interpreter --------------------------------------------------------------------------

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The first interpreter that imports `module`: the project's virtual environment, python3 on
// PATH, Debian's. nullopt when none does.
std::optional<std::string> find_python(const fs::path& root, const std::string& module) {
  for (const std::string candidate :
       {".venv/bin/python", "venv/bin/python", "env/bin/python", "python3", "/usr/bin/python3"}) {
    const bool relative_path =
        candidate[0] == '.' || candidate.rfind("env/", 0) == 0 || candidate.rfind("venv/", 0) == 0;
    const std::string run = relative_path ? (root / candidate).string() : candidate;
    if (relative_path && access(run.c_str(), X_OK) != 0) continue;
    const std::string probe = "cd " + shell_quoted(root.string()) + " && " + shell_quoted(run) +
                              " -c " + shell_quoted("import " + module) + " >/dev/null 2>&1";
    if (std::system(probe.c_str()) == 0) return candidate;
  }
  return std::nullopt;
}

// --- The declared side without an ORM ---------------------------------------------------------

// A manifest already in the repository, or where `pgparity snapshot` should write one.
std::pair<std::string, bool> manifest_path(const fs::path& root) {
  for (const std::string candidate : {"models.yaml", "db/models.yaml", "pgparity/models.yaml"}) {
    if (!fs::is_regular_file(root / candidate)) continue;
    try {
      load_manifest((root / candidate).string());
      return {candidate, true};
    } catch (const error&) {
      // Some other models.yaml: not ours to point at.
    }
  }
  return {fs::is_directory(root / "db") ? "db/models.yaml" : "models.yaml", false};
}

// --- Writing ----------------------------------------------------------------------------------

struct init_plan {
  std::string text;
  std::vector<std::string> next;  // the two commands to run next
  std::string summary;
};

std::string python_line(const std::optional<std::string>& python, const std::string& needs,
                        const std::string& indent) {
  if (python) {
    return indent + "python: " + *python + "   # an interpreter that imports " + needs + "\n";
  }
  return indent + "python: python3   # FIXME: no interpreter found that imports " + needs +
         "; name your project's (e.g. .venv/bin/python)\n";
}

void plan_models(init_plan& plan, const fs::path& root, const found_models& models) {
  std::ostringstream out;
  out << "# The declared side: your SQLAlchemy models, read on every run by pgparity's exporter\n"
      << "# (docs/sqlalchemy.md). Found in " << models.source << ".\n";
  for (const auto& other : models.others) out << "# Also found: " << other << "\n";
  out << "models:\n  sqlalchemy: " << models.target << "\n";
  if (!models.imports.empty()) {
    out << "  import: [";
    for (std::size_t i = 0; i < models.imports.size(); ++i) {
      out << (i ? ", " : "") << models.imports[i];
    }
    out << "]   # modules that define model classes\n";
  }
  // The interpreter must import what the target is made with, not only SQLAlchemy.
  std::string needs = "sqlalchemy";
  if (models.target.rfind("sqlmodel:", 0) == 0) needs = "sqlmodel";
  if (models.flask) needs = "flask_sqlalchemy";
  out << python_line(find_python(root, needs), needs, "  ");
  plan.text += out.str();
  plan.next = {"pgparity lint", "pgparity test"};
  plan.summary += ", models from " + models.target;
}

void plan_manifest(init_plan& plan, const fs::path& root) {
  const auto [path, exists] = manifest_path(root);
  if (exists) {
    plan.text +=
        "# The declared side: a models manifest (docs/manifest.md).\nmanifest: " + path + "\n";
    plan.next = {"pgparity lint", "pgparity test"};
    plan.summary += ", manifest " + path;
    return;
  }
  plan.text +=
      "# The declared side. No SQLAlchemy models were found, so a models manifest: write it once\n"
      "# from what the migrations build with `pgparity snapshot --out " +
      path +
      "`, then review it\n"
      "# (it copies today's drift too). With SQLAlchemy models, replace this with\n"
      "# `models: {sqlalchemy: module:attribute}` (docs/sqlalchemy.md).\n"
      "manifest: " +
      path + "\n";
  plan.next = {"pgparity snapshot --out " + path, "pgparity test"};
  plan.summary += ", manifest " + path + " (to write with pgparity snapshot)";
}

void plan_migrations(init_plan& plan, const fs::path& root, const found_migrations& found) {
  std::ostringstream out;
  out << "\n# The migrations (docs/migrations.md): " << found.summary << ".\nmigrations:\n";
  if (!found.alembic_ini.empty()) {
    out << "  alembic: " << found.alembic_ini << "   # stepped revision by revision\n";
    const std::string dir = fs::path(found.alembic_ini).parent_path().generic_string();
    if (!dir.empty()) out << "  cwd: " << dir << "   # where alembic runs\n";
    out << python_line(find_python(root, "alembic"), "alembic", "  ");
  } else {
    out << "  dir: " << found.dir << "\n";
    if (found.layout.empty()) {
      out << "  # layout: " << found.detected
          << "   # detected from the files; name it to be sure\n";
    } else {
      out << "  layout: " << found.layout << "   # plain-looking files with " << found.layout
          << " names\n";
    }
  }
  out << "  max_seconds: 60   # budget for applying every migration from empty\n";
  plan.text += out.str();
  plan.summary = "migrations " + (found.alembic_ini.empty() ? found.dir : found.alembic_ini) +
                 " (" + found.summary + ")" + plan.summary;
}

constexpr const char* k_tail =
    "\n# A disposable PostgreSQL is started for each run (nothing of yours is touched); or a\n"
    "# throwaway database on a server: database: env:DATABASE_URL\n"
    "database: disposable\n"
    "# Tables no model declares are reported as warnings; `error` makes them fail.\n"
    "undeclared: warning\n"
    "# ignore_tables: [audit_log]      # tables the undeclared check never reports\n"
    "# junit_xml: build/pgparity.xml   # JUnit XML of test runs, for CI\n";

// Creates `path` only if it does not exist (O_EXCL): a config is never overwritten.
void write_new_file(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    throw input_error(errno == EEXIST ? path +
                                            " already exists; pgparity init never overwrites "
                                            "a config (edit it, or remove it first)"
                                      : "cannot write " + path +
                                            ": check that its directory "
                                            "is writable");
  }
  const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!ok) throw environment_error("cannot write " + path + ": the disk may be full");
}

}  // namespace

int run_init(const command_line& cl) {
  const std::string path = cl.config;
  if (fs::exists(path)) {
    throw input_error(path +
                      " already exists; pgparity init never overwrites a config (edit it, or "
                      "remove it first)");
  }
  const fs::path root = fs::absolute(path).lexically_normal().parent_path();
  const auto migrations = find_migrations(root);
  if (!migrations) {
    throw input_error(
        "no migrations found in " + root.string() +
        " (looked for alembic.ini and a migrations directory pgparity can read, e.g. "
        "migrations/ or db/migrations/); write pgparity.yaml by hand (docs/config.md)");
  }
  init_plan plan;
  plan.text = "# pgparity.yaml, written by `pgparity init`: see docs/config.md for every key.\n";
  if (const auto models = find_models(root)) {
    plan_models(plan, root, *models);
  } else {
    plan_manifest(plan, root);
  }
  plan_migrations(plan, root, *migrations);
  plan.text += k_tail;

  write_new_file(path, plan.text);
  // The file must load as written; if it does not, that is pgparity's bug, said before use.
  load_project_config(path, /*manifest_must_exist=*/false);
  const std::string flag = path == "pgparity.yaml" ? "" : " --config " + path;
  std::cout << "wrote " << path << ": " << plan.summary << "\nnext:\n";
  for (const auto& command : plan.next) std::cout << "  " << command << flag << "\n";
  return 0;
}

}  // namespace pgparity::harness
