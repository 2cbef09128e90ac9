#!/usr/bin/env bash
# Performance figures on generated schemas (scripts/generate-schema.py; issues 3 and 11):
#   scripts/bench-checks.sh [N...]          (default: 100 1000 10000)
# For each N (models of ~12 columns, an enum, a foreign key, a unique pair, two indexes, a check):
#   template  first `pgparity migrate` with an empty cache: migrations applied, template saved
#             (100 models per migration up to 1000 models, 1000 per migration above; PER_MIGRATION
#             overrides, 0 = one migration), with its peak RSS
#   cold      the first structural `pgparity test` (writes the snapshot and canonical-forms caches)
#   (a)       catalog_bench on the database `pgparity migrate --keep` keeps running: connect,
#             read_snapshot, canonicalize, every check_* function; medians of $RUNS runs
#   (b)       `pgparity test` wall time, warm template cache, structural families only
#             (--gtest_filter=-Probes/*:Migrations/*: the pgTAP-equivalent part), median of $RUNS
#             runs after one uncounted run, with the phases of its summary line; and the whole
#             `pgparity test` (probes and migration round trips too) once
#   (c)       pg_prove on the equivalent pgTAP plan, against the same database as (a), once
#   (d)       peak RSS of `pgparity test` (/usr/bin/time -v), largest over the (b) runs
#   probes    `pgparity test --gtest_filter=Probes/*` once (PROBES=0 skips)
# (a) and (c) run only up to DB_MAX models (default 1000): catalog_bench and pg_prove at 10,000
# models would take most of the benchmark's time and are not what issue 11 compares.
# and prints a markdown table, the 1-minute load average before each measurement included.
# Environment: RUNS (default 5), PGPARITY_BUILD_DIR (default <repo>/build), PG_PROVE=0 skips (c),
# WHOLE=0 skips the whole-`pgparity test` run, KEEP_WORK=1 keeps the projects and logs.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-5}
build=${PGPARITY_BUILD_DIR:-$repo/build}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
db_max=${DB_MAX:-1000}
per_migration() {
  if [ -n "${PER_MIGRATION:-}" ]; then echo "$PER_MIGRATION"; elif [ "$1" -le 1000 ]; then echo 100; else echo 1000; fi
}

[ -x "$build/pgparity" ] || PGPARITY_BUILD_DIR=$build "$repo/scripts/bootstrap.sh"
cmake --build "$build" --target pgparity catalog_bench -j "$(nproc)" >/dev/null
exe=$build/pgparity
bench=$build/bench/catalog_bench
if [ "${PG_PROVE:-1}" != 0 ] && ! command -v pg_prove >/dev/null; then
  echo "bench-checks: pg_prove not found; apt-get install postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl, or PG_PROVE=0" >&2
  exit 3
fi

# A private cache (the server user must traverse it), so the first run really builds the template.
work=$(mktemp -d /var/tmp/pgparity-bench-checks.XXXXXX)
chmod 755 "$work"
keeper=""
cleanup() {
  if [ -n "$keeper" ]; then kill -TERM "$keeper" 2>/dev/null || true; wait "$keeper" 2>/dev/null || true; fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "bench-checks: work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
export PGPARITY_CACHE_DIR=$work/cache
mkdir -p "$PGPARITY_CACHE_DIR"
chmod 755 "$PGPARITY_CACHE_DIR"

now() { date +%s.%N; }
elapsed_ms() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }
maximum() { sort -g | tail -1; }
log() { echo "bench-checks: $*" >&2; }

# libpq keyword value from a conninfo string such as host='/tmp/x' port=5432 dbname=pgparity_x
conninfo_value() {
  sed -E "s/.*(^| )$1=('([^']*)'|([^ ]*)).*/\3\4/" <<<"$2"
}

labels=()
declare -A cell
put() {  # put LABEL N VALUE: one cell of the final table, rows in first-put order
  [[ " ${labels[*]-} " == *" $1 "* ]] || labels+=("$1")
  cell["$1|$2"]=$3
}
# pgparity test once: wall ms and peak RSS KB on stdout; exits on failure
run_test() {
  local log=$1 start
  shift
  start=$(now)
  if ! /usr/bin/time -v -o "$log.time" "$exe" test "$@" >"$log" 2>&1; then
    log "pgparity test $* failed; see $log"
    KEEP_WORK=1
    exit 1
  fi
  echo "$(elapsed_ms "$start") $(awk -F': ' '/Maximum resident set size/ {print $2}' "$log.time")"
}
ratio() { awk -v p="$1" -v t="$2" 'BEGIN { if (p == "-" || t <= 0) print "-"; else printf "%.0fx", p / t }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

for n in "${sizes[@]}"; do
  project=$work/n$n
  log "N=$n: generating $project"
  python3 "$repo/scripts/generate-schema.py" "$n" "$project" --pgtap "$project/pgtap.sql" \
    --models-per-migration "$(per_migration "$n")" >/dev/null
  config=$project/pgparity.yaml

  # Template: the first run applies the migrations and saves the migrated cluster.
  load_m=$(load)
  start=$(now)
  /usr/bin/time -v -o "$project/migrate.time" "$exe" migrate --config "$config" >"$project/migrate.log"
  put "migrations (models per migration)" "$n" "$(ls "$project/migrations" | grep -c '\.up\.sql$') ($(per_migration "$n"))"
  put "template build: first \`pgparity migrate\`, empty cache" "$n" "$(elapsed_ms "$start")"
  put "peak RSS of that \`pgparity migrate\`, MB" "$n" "$(mb "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$project/migrate.time")")"
  put "load before the template build" "$n" "$load_m"

  # (b) and (d): structural `pgparity test`, warm template. The uncounted first run writes the
  # canonical-forms cache when the harness uses it.
  structural=(--config "$config" --gtest_filter='-Probes/*:Migrations/*')
  load_cold=$(load)
  read -r cold cold_kb < <(run_test "$project/test.first.log" "${structural[@]}")
  put "cold structural \`pgparity test\` (first after the template: snapshot and canonical forms from the server)" "$n" "$cold"
  put "peak RSS of the cold run, MB" "$n" "$(mb "$cold_kb")"
  put "the cold run's summary line" "$n" "$(grep -m1 -E '^pgparity: [0-9]+ model' "$project/test.first.log" | sed 's/^pgparity: //')"
  put "load before the cold run" "$n" "$load_cold"
  load_b=$(load)
  walls=() rss=()
  for ((r = 0; r < runs; r++)); do
    read -r wall kb < <(run_test "$project/test.$r.log" "${structural[@]}")
    walls+=("$wall") rss+=("$kb")
  done
  summary=$(grep -m1 -E '^pgparity: [0-9]+ model' "$project/test.$((runs - 1)).log" || true)
  log "N=$n: structural pgparity test runs: ${walls[*]} ms; $summary"
  if [ "${WHOLE:-1}" != 0 ]; then
    load_w=$(load)
    read -r whole whole_kb < <(run_test "$project/test.whole.log" --config "$config")
    rss+=("$whole_kb")
  fi

  if [ "${PROBES:-1}" != 0 ]; then
    load_p=$(load)
    read -r probes probes_kb < <(run_test "$project/test.probes.log" --config "$config" --gtest_filter='Probes/*')
    put "\`pgparity test --gtest_filter=Probes/*\`, whole process, one run" "$n" "$probes"
    put "peak RSS of the probes run, MB" "$n" "$(mb "$probes_kb")"
    put "load before the probes run" "$n" "$load_p"
  fi

  test_ms=$(printf '%s\n' "${walls[@]}" | median)
  put "(b) \`pgparity test\`, structural families, whole process" "$n" "$test_ms"
  put "(b) its summary line (last run)" "$n" "${summary#pgparity: }"
  put "load before (b)" "$n" "$load_b"
  put "(d) peak RSS of \`pgparity test\`, MB" "$n" "$(mb "$(printf '%s\n' "${rss[@]}" | maximum)")"
  if [ "${WHOLE:-1}" != 0 ]; then
    put "(b) whole \`pgparity test\` (probes, migration round trips too), one run" "$n" "$whole"
    put "load before whole run" "$n" "$load_w"
  fi
  [ "$n" -le "$db_max" ] || continue

  # (a) and (c) on one kept database.
  "$exe" migrate --keep --config "$config" >"$project/keep.log" 2>&1 &
  keeper=$!
  for ((i = 0; i < 600; i++)); do
    grep -q '^  psql ' "$project/keep.log" && break
    kill -0 "$keeper" 2>/dev/null || { log "pgparity migrate --keep failed: $(cat "$project/keep.log")"; exit 3; }
    sleep 0.1
  done
  conninfo=$(sed -nE 's/^  psql "(.*)"$/\1/p' "$project/keep.log")
  load_a=$(load)
  if ! "$bench" --config "$config" --conninfo "$conninfo" --runs "$runs" >"$project/bench.log"; then
    log "N=$n: catalog_bench failed or found findings; see $project/bench.log"
    KEEP_WORK=1
    exit 1
  fi
  medians=$(grep '^median ' "$project/bench.log")
  value() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$medians" | awk '{printf "%.0f", $1}'; }

  prove_ms="-" load_c="-"
  if [ "${PG_PROVE:-1}" != 0 ]; then
    host=$(conninfo_value host "$conninfo")
    port=$(conninfo_value port "$conninfo")
    user=$(conninfo_value user "$conninfo")
    dbname=$(conninfo_value dbname "$conninfo")
    psql -X -q -h "$host" -p "$port" -U "$user" -d "$dbname" -c 'CREATE EXTENSION IF NOT EXISTS pgtap'
    load_c=$(load)
    start=$(now)
    if ! pg_prove -h "$host" -p "$port" -U "$user" -d "$dbname" "$project/pgtap.sql" >"$project/pg_prove.log" 2>&1; then
      log "N=$n: pg_prove failed; see $project/pg_prove.log"
      KEEP_WORK=1
      exit 1
    fi
    prove_ms=$(elapsed_ms "$start")
    log "N=$n: pg_prove $prove_ms ms: $(tail -1 "$project/pg_prove.log")"
  fi
  kill -TERM "$keeper"
  wait "$keeper" || true
  keeper=""

  all_cached=$(value all_cached_ms)
  all_uncached=$(value all_uncached_ms)
  put "(a) connect" "$n" "$(value connect_ms)"
  put "(a) read_snapshot (of which waiting for the server)" "$n" "$(value snapshot_ms) ($(value snapshot_exec_ms))"
  put "(a) every check_* function over every model" "$n" "$(value checks_ms)"
  put "(a) **snapshot + checks** (no canonicalisation)" "$n" "**$(value snapshot_checks_ms)**"
  put "(a) canonicalize, asked of the server (first run, or cache off)" "$n" "$(value canonicalize_ms)"
  put "(a) canonicalize, canonical-forms cache hit (later runs)" "$n" "$(value cached_ms)"
  put "(a) **connect + snapshot + canonical cache hit + checks**" "$n" "**$all_cached**"
  put "(a) connect + snapshot + canonicalize (server) + checks" "$n" "$all_uncached"
  put "load before (a)" "$n" "$load_a"
  put "(c) pgTAP assertions in the plan" "$n" "$(grep -m1 -oE 'plan\([0-9]+\)' "$project/pgtap.sql" | tr -dc 0-9)"
  put "(c) pg_prove, one run" "$n" "$prove_ms"
  put "load before (c)" "$n" "$load_c"
  put "**pg_prove / (a) with cache hit**" "$n" "**$(ratio "$prove_ms" "$all_cached")**"
  put "pg_prove / (a) with server canonicalisation" "$n" "$(ratio "$prove_ms" "$all_uncached")"
  put "**pg_prove / (b) structural \`pgparity test\` process**" "$n" "**$(ratio "$prove_ms" "$test_ms")**"
done

echo
echo "Times in ms, medians of $runs runs unless marked one run; load = 1-minute load average before"
echo "the measurement; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');"
echo "PostgreSQL $(pg_config --version 2>/dev/null | awk '{print $2}'), pgparity built in $build."
echo
header="| measurement |" rule="|---|"
for n in "${sizes[@]}"; do header+=" $n models |" rule+="---:|"; done
echo "$header"
echo "$rule"
for label in "${labels[@]}"; do
  line="| $label |"
  for n in "${sizes[@]}"; do line+=" ${cell["$label|$n"]:-} |"; done
  echo "$line"
done
