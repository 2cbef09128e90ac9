#!/usr/bin/env bash
# check-module-graph.sh must reject an upward include: a scratch tree whose catalog includes
# engine (catalog < engine), beside an engine that includes catalog (allowed).
set -euo pipefail
check=$1
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/framework/catalog" "$tree/framework/engine"
printf '#include "engine/audit.h"\n' >"$tree/framework/catalog/snapshot.cc"
printf '#include "catalog/snapshot.h"\n' >"$tree/framework/engine/audit.cc"
if output=$(bash "$check" "$tree" 2>&1); then
  echo "FAIL: an upward include (catalog -> engine) passed the module graph check" >&2
  exit 1
fi
grep -q 'framework/catalog/snapshot.cc:1: catalog includes engine' <<<"$output" || {
  echo "FAIL: the message does not name the file, line and modules: $output" >&2
  exit 1
}
echo "module graph check rejects catalog -> engine: $output"
