#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/, docs/fuzzing.md) with clang++ in build-fuzz and runs
# them side by side for SECONDS each (default 60), seeded from fuzz/corpus/<name>. New inputs go
# to build-fuzz/corpus/<name> (kept between runs), crashes to build-fuzz/artifacts/<name>/,
# libFuzzer's output to build-fuzz/logs/<name>.log. Exit 1 when a fuzzer found something.
#   scripts/fuzz.sh [SECONDS] [manifest|config|migrations ...]
#   nice -n 19 scripts/fuzz.sh 1800        # the 30-minute runs recorded in docs/fuzzing.md
# A crash is reproduced with: build-fuzz/fuzz/fuzz_<name> build-fuzz/artifacts/<name>/crash-...
set -euo pipefail
seconds=${1:-60}
shift || true
fuzzers=("$@")
[ ${#fuzzers[@]} -gt 0 ] || fuzzers=(manifest config migrations)
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PGPARITY_FUZZ_BUILD:-$root/build-fuzz}

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DPGPARITY_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
targets=()
for name in "${fuzzers[@]}"; do targets+=("fuzz_$name"); done
cmake --build "$build" -j2 --target "${targets[@]}" -- --no-print-directory

mkdir -p "$build/logs"
touch "$build/logs/.started"  # artifacts newer than this are this run's findings
pids=()
for name in "${fuzzers[@]}"; do
  mkdir -p "$build/corpus/$name" "$build/artifacts/$name"
  # Leaks are findings too; -timeout and -rss_limit_mb make a hang or a runaway allocation one.
  "$build/fuzz/fuzz_$name" "$build/corpus/$name" "$root/fuzz/corpus/$name" \
    -dict="$root/fuzz/$name.dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$name/" \
    >"$build/logs/$name.log" 2>&1 &
  pids+=($!)
done

status=0
for i in "${!fuzzers[@]}"; do
  name=${fuzzers[$i]}
  if wait "${pids[$i]}"; then result=ok; else result="FOUND SOMETHING (exit $?)"; status=1; fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/logs/$name.log" | grep -o '[0-9]*$' || true)
  cov=$(grep -E '^#[0-9]+' "$build/logs/$name.log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [^ ]+' || true)
  echo "fuzz_$name: $result; ${runs:-?} executions; ${cov:-no coverage line}; log $build/logs/$name.log"
done
find "$build/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
  -o -name 'oom-*' \) -newer "$build/logs/.started" -print
exit $status
