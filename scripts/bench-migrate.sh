#!/usr/bin/env bash
# Times `pgparity migrate` on a small fixture (issue 2's targets: cold < 2 s, warm < 0.5 s).
#   scripts/bench-migrate.sh [CONFIG] [RUNS]
# Prints a markdown table: first run with an empty cache (initdb included), cold template
# (--fresh: migrations applied), warm (template cache cloned); median of RUNS runs each.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
config=${1:-$repo/fixtures/examples/todo_chat/pgparity.yaml}
runs=${2:-5}
exe=${PGPARITY_BUILD_DIR:-$repo/build}/pgparity
[ -x "$exe" ] || "$repo/scripts/bootstrap.sh"

cache=$(mktemp -d /var/tmp/pgparity-bench.XXXXXX)
chmod 755 "$cache"
trap 'rm -rf "$cache"' EXIT
export PGPARITY_CACHE_DIR=$cache

# seconds for one run of "$@"
time_one() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
}
median() { sort -g | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.3f", m}'; }

empty=()
for ((i = 0; i < runs; i++)); do
  rm -rf "${cache:?}"/*
  empty+=("$(time_one "$exe" migrate --config "$config")")
done
fresh=()
for ((i = 0; i < runs; i++)); do fresh+=("$(time_one "$exe" migrate --fresh --config "$config")"); done
warm=()
for ((i = 0; i < runs; i++)); do warm+=("$(time_one "$exe" migrate --config "$config")"); done

echo "| run (median of $runs) | wall seconds |"
echo "|---|---|"
echo "| first run, empty cache (initdb + migrations) | $(printf '%s\n' "${empty[@]}" | median) |"
echo "| cold template (--fresh: migrations applied) | $(printf '%s\n' "${fresh[@]}" | median) |"
echo "| warm (template cache clone) | $(printf '%s\n' "${warm[@]}" | median) |"
