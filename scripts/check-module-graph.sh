#!/usr/bin/env bash
# The framework's modules depend downward only. Each module may include its own headers and
# those of the modules before it in this order, and nothing else of the framework:
#   common < manifest < cluster < migrate < catalog < checks < probes < engine < report < harness
# Unit tests (*_test.cc) and test support follow the same rule. Prints every include that
# points upward (or sideways into an unknown module) as file:line and exits 1; 0 when clean.
# Usage: check-module-graph.sh [REPO] (default: this script's repository).
set -euo pipefail
repo=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
order=(common manifest cluster migrate catalog checks probes engine report harness)

rank() {
  local i
  for i in "${!order[@]}"; do
    if [[ ${order[$i]} == "$1" ]]; then
      echo "$i"
      return
    fi
  done
  echo -1
}

status=0
for module_dir in "$repo"/framework/*/; do
  module=$(basename "$module_dir")
  mine=$(rank "$module")
  if ((mine < 0)); then
    echo "framework/$module: not in the module order of $0; add it there" >&2
    status=1
    continue
  fi
  while IFS=: read -r file line text; do
    target=$(sed -E 's/^[[:space:]]*#include "([a-z_]+)\/.*/\1/' <<<"$text")
    theirs=$(rank "$target")
    if ((theirs < 0 || theirs > mine)); then
      echo "${file#"$repo"/}:$line: $module includes $target (${text//[[:space:]]*#/#}): modules depend downward only" >&2
      status=1
    fi
  done < <(grep -nE '^[[:space:]]*#include "[a-z_]+/' "$module_dir"*.h "$module_dir"*.cc 2>/dev/null || true)
done
if ((status == 0)); then
  echo "module graph: every include points downward (${order[*]})"
fi
exit "$status"
