#include <algorithm>
#include <ctime>

#include "engine/audit.h"
#include "harness/commands.h"
#include "harness/shared_cluster.h"
#include "report/report.h"

namespace pgparity::harness {
namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

int run_report(const command_line& cl) {
  engine::audit_context ctx = engine::load_inputs(cl.config, cl.fresh);
  const migrated_run run = attach_or_bring_up(ctx.config, cl.fresh).run;
  engine::prepare(ctx, run, cl.fresh);
  // Every kind: structural checks, probes and the migration lifecycle.
  const findings all = engine::session(ctx).run_everything();

  report_meta meta;
  meta.manifest_file = ctx.declared.file;
  meta.server_version = ctx.db.server_version();
  meta.pgparity_version = PGPARITY_VERSION;
  meta.generated_at = utc_now();
  meta.models = ctx.declared.models.size();
  meta.tables = ctx.db.tables().size();
  write_output(cl.out, cl.format == "json" ? json_report(all, meta) : markdown_report(all, meta));
  const bool critical = std::any_of(all.begin(), all.end(),
                                    [](const finding& f) { return f.level == severity::critical; });
  return critical ? 1 : 0;
}

}  // namespace pgparity::harness
