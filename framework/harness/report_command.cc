#include <algorithm>
#include <ctime>

#include "harness/commands.h"
#include "harness/run_context.h"
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
  run_context ctx = load_inputs(cl.config);
  migrated_run run = prepare_database(ctx, cl.fresh);
  const findings all = collect_findings(ctx);

  report_meta meta;
  meta.manifest_file = ctx.declared.file;
  meta.server_version = ctx.db.server_version();
  meta.generated_at = utc_now();
  meta.models = ctx.declared.models.size();
  meta.tables = ctx.db.tables().size();
  write_output(cl.out, cl.format == "json" ? json_report(all, meta) : markdown_report(all, meta));
  const bool critical = std::any_of(all.begin(), all.end(),
                                    [](const finding& f) { return f.level == severity::critical; });
  return critical ? 1 : 0;
}

}  // namespace pgparity::harness
