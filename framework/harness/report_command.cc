#include <algorithm>

#include "harness/commands.h"
#include "harness/run_context.h"
#include "report/report.h"

namespace pgparity::harness {

int run_report(const command_line& cl) {
  run_context ctx = load_inputs(cl.config);
  migrated_run run = prepare_database(ctx, cl.fresh);
  const findings all = collect_findings(ctx);
  write_output(cl.out, cl.format == "json" ? json_report(all) : markdown_report(all));
  const bool critical = std::any_of(all.begin(), all.end(),
                                    [](const finding& f) { return f.level == severity::critical; });
  return critical ? 1 : 0;
}

}  // namespace pgparity::harness
