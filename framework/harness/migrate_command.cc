#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>

#include "harness/commands.h"
#include "manifest/project_config.h"
#include "migrate/migrations.h"

namespace pgparity::harness {
namespace {

// Blocks until SIGINT or SIGTERM; the caller's destructors then stop the server. The signals
// are blocked first so that sigwait() receives them instead of any handler.
void wait_for_stop_signal() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  int received = 0;
  sigwait(&stop, &received);
  fmt::print("\nreceived {}; stopping and cleaning up\n",
             received == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stdout);
}

}  // namespace

int run_migrate(const command_line& cl) {
  // The manifest is not read here: a new project migrates before it has one (docs/config.md).
  const project_config config = load_project_config(cl.config, /*manifest_must_exist=*/false);
  const auto started = std::chrono::steady_clock::now();
  migrated_run run = bring_up(config, cl.fresh);
  const std::chrono::duration<double, std::milli> total =
      std::chrono::steady_clock::now() - started;

  if (run.migrations) {
    fmt::print("migrations: {} ({} layout, {} migration(s))\n", run.migrations->dir,
               layout_name(run.migrations->layout), run.migrations->steps.size());
  } else if (config.migrations.up) {
    fmt::print("migrations: command `{}`\n", *config.migrations.up);
  }
  if (run.from_cache) {
    fmt::print("template cache: used (migrated schema cloned, no migration applied)\n");
  } else {
    fmt::print("template cache: not used (migrations applied{})\n", cl.fresh ? ", --fresh" : "");
  }
  fmt::print("{:<24} {:<40} {:>10}\n", "version", "name", "ms");
  if (run.from_cache && run.migrations) {
    for (const auto& step : run.migrations->steps) {
      fmt::print("{:<24} {:<40} {:>10}\n", step.version, step.name, "cached");
    }
  }
  for (const auto& step : run.timings) {
    fmt::print("{:<24} {:<40} {:>10.1f}\n", step.version, step.name,
               std::chrono::duration<double, std::milli>(step.elapsed).count());
  }
  fmt::print("server: PostgreSQL {}{}\n", run.srv->version(),
             run.srv->is_disposable() ? " (disposable)" : " (existing server, throwaway database)");
  fmt::print("total: {:.1f} ms\n", total.count());

  if (cl.keep) {
    // Never the password: it is the one the user gave in `database:` (or PGPASSWORD, ~/.pgpass).
    const connection_info db = run.srv->connection(run.template_db);
    const connection_info shown = db.without_password();
    fmt::print("\nthe migrated database is running; connect with:\n  psql \"{}\"\n",
               shown.conninfo());
    fmt::print("or set DATABASE_URL={}\n", shown.url());
    if (!db.password.empty()) {
      fmt::print(
          "(password not shown: use the one in your `database:` setting, through "
          "PGPASSWORD or ~/.pgpass)\n");
    }
    fmt::print("press Ctrl-C (or send SIGTERM) to stop it and clean up\n");
    std::fflush(stdout);
    wait_for_stop_signal();
  }
  return 0;
}

}  // namespace pgparity::harness
