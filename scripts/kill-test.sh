#!/usr/bin/env bash
# kill-test: SIGKILLs `pgparity test` / `pgparity migrate` runs at random moments, on a
# disposable server and on an existing one (a PostgreSQL of this script's own), then runs once
# cleanly in each mode and asserts that nothing is left: no postmaster, run directory, cache
# staging entry, shared memory segment (System V or POSIX PostgreSQL.*) or pgparity_* database.
# Not part of ctest (it takes minutes); run it by hand or in a nightly job:
#
#   scripts/kill-test.sh [--kills N] [--seed S]     (default 100 kills)
#
# Needs root (as CI containers are) and unshare(1): the runs happen in private PID, IPC and
# mount namespaces with their own /dev/shm, so every count below is exact even on a machine
# where other PostgreSQL clusters run. Some kills take pgparity alone (its guardian cleans up),
# some its whole process tree at once (guardian, initdb, postmaster, backends: the next run
# cleans up), a few are an early SIGTERM / SIGINT within 60 ms of the start.
# Exit 0 when nothing is left, 1 with what was left, 77 when it cannot run here.
# shellcheck source-path=SCRIPTDIR source=tests/lib.sh
set -euo pipefail
kills=100
seed=$RANDOM
while [ $# -gt 0 ]; do
  case $1 in
    --kills) kills=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --inner) inner=1; shift ;;
    *) echo "usage: scripts/kill-test.sh [--kills N] [--seed S]" >&2; exit 2 ;;
  esac
done

if [ -z "${inner:-}" ]; then
  if [ "$(id -u)" != 0 ] || ! unshare --ipc --mount --pid --fork --mount-proc true 2>/dev/null; then
    echo "kill-test: needs root and unshare (private PID, IPC and mount namespaces)" >&2
    exit 77
  fi
  source "$(dirname "$0")/tests/lib.sh"
  [ -x "${PGPARITY:-}" ] || { echo "kill-test: build pgparity first ($PGPARITY_BUILD_DIR)" >&2; exit 77; }
  # The existing server lives outside the namespaces: nothing of it is counted below.
  # A copy: a rebuild during the test must not swap the binary under the runs.
  cp "$PGPARITY" "$scratch/pgparity"
  export PGPARITY=$scratch/pgparity
  start_password_server "$scratch/srv" kill-test-pw
  export PGPASSWORD=kill-test-pw KILL_TEST_SRV=$scratch/srv KILL_TEST_SCRATCH=$scratch
  started=$(date +%s)
  echo "kill-test: $kills kills, seed $seed, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  rc=0
  unshare --ipc --mount --pid --fork --mount-proc \
    bash "$0" --inner --kills "$kills" --seed "$seed" || rc=$?
  left=$(psql -XtAq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgparity\_%'" \
    "host=$scratch/srv user=admin dbname=postgres")
  echo "kill-test: pgparity_* databases left on the existing server: $left"
  [ "$left" = 0 ] || rc=1
  # cutime + cstime of this shell: every waited-for descendant (pgparity, initdb, postgres).
  ticks=$(awk '{ sub(/.*\) /, ""); print $14 + $15 }' "/proc/$$/stat")
  echo "kill-test: $(($(date +%s) - started)) s wall, load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg); CPU time of the runs (user+sys):" \
    "$((ticks / $(getconf CLK_TCK))) s"
  [ "$rc" = 0 ] && echo "kill-test: PASS" || echo "kill-test: FAIL"
  exit "$rc"
fi

# --- Inside the namespaces -----------------------------------------------------------------
RANDOM=$seed
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
repo=$(cd "$(dirname "$0")/.." && pwd)
export PGPARITY_CACHE_DIR=$KILL_TEST_SCRATCH/cache PGPARITY_PROGRESS=0
mkdir -p "$PGPARITY_CACHE_DIR"
chmod 755 "$KILL_TEST_SCRATCH" "$PGPARITY_CACHE_DIR"
for mode in disposable external; do
  mkdir -p "$KILL_TEST_SCRATCH/$mode"
  cp -R "$repo/suites/testdata/examples/tiny/." "$KILL_TEST_SCRATCH/$mode/"
done
printf 'manifest: models.yaml\nmigrations:\n  dir: migrations\ndatabase: "postgresql://admin@/postgres?host=%s"\n' \
  "$KILL_TEST_SRV" >"$KILL_TEST_SCRATCH/external/pgparity.yaml"

# The pids of $1 and all its descendants.
tree_of() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q != "" && q != root && q > 1) q = parent[q]
                             if (q == root) print p } }'
}

declare -A tally=()
for ((i = 1; i <= kills; i++)); do
  mode=disposable
  ((RANDOM % 2)) && mode=external
  command="test"
  ((RANDOM % 2)) && command=migrate
  flags=()
  ((RANDOM % 3 == 0)) && flags=(--fresh)                # the template is saved again
  ((RANDOM % 5 == 0)) && rm -rf "${PGPARITY_CACHE_DIR:?}"/initdb-*  # initdb runs again
  how=alone
  ((RANDOM % 10 < 3)) && how=tree
  ((RANDOM % 10 == 0)) && how=early
  "$PGPARITY" "$command" "${flags[@]}" --config "$KILL_TEST_SCRATCH/$mode/pgparity.yaml" \
    >/dev/null 2>&1 &
  victim=$!
  if [ "$how" = early ]; then
    sleep "0.0$((RANDOM % 6))"
    kill -s "$( ((RANDOM % 2)) && echo TERM || echo INT)" "$victim" 2>/dev/null || true
  else
    # A moment within a typical run (0 to 4 s).
    sleep "$((RANDOM % 4)).$((RANDOM % 10))$((RANDOM % 10))"
    if [ "$how" = tree ]; then
      # shellcheck disable=SC2046 # word splitting intended: a list of pids
      kill -9 $(tree_of "$victim") "$victim" 2>/dev/null || true
    else
      kill -9 "$victim" 2>/dev/null || true
    fi
  fi
  wait "$victim" 2>/dev/null || true
  tally[$mode/$command/$how]=$((${tally[$mode/$command/$how]:-0} + 1))
done
for key in "${!tally[@]}"; do echo "  $key: ${tally[$key]}"; done | sort

# Guardians finish their cleanup (up to 60 s).
for _ in $(seq 1 600); do
  pgrep -x pgparity >/dev/null || break
  sleep 0.1
done
count_leftovers() {
  postmasters=$(pgrep -cx postgres || true)
  run_dirs=$(find /dev/shm -maxdepth 1 -name 'pgparity.*' | wc -l)
  staging=$(find "$PGPARITY_CACHE_DIR" -maxdepth 2 -name '*.tmp.*' | wc -l)
  posix=$(find /dev/shm -maxdepth 1 -name 'PostgreSQL.*' | wc -l)
  sysv=$(ipcs -m | awk 'NR > 3 && NF' | wc -l)
  databases=$(psql -XtAq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgparity\_%'" \
    "host=$KILL_TEST_SRV user=admin dbname=postgres")
  echo "postmasters=$postmasters run_dirs=$run_dirs staging=$staging posix_shm=$posix" \
    "sysv_shm=$sysv databases=$databases"
}
echo "kill-test: after the kills (before a clean run): $(count_leftovers)"
for mode in disposable external; do
  "$PGPARITY" test --config "$KILL_TEST_SCRATCH/$mode/pgparity.yaml" >"$KILL_TEST_SCRATCH/clean.log" 2>&1 ||
    { cat "$KILL_TEST_SCRATCH/clean.log"; echo "kill-test: the clean $mode run failed"; exit 1; }
done
result=$(count_leftovers)
echo "kill-test: after one clean run in each mode: $result"
for dir in /dev/shm/pgparity.*; do
  [ -d "$dir" ] || continue
  echo "left: $dir: $(find "$dir" -maxdepth 1 -printf '%f ') owner: $(tr '\n' ';' <"$dir/owner" 2>/dev/null)"
done
[ "$result" = "postmasters=0 run_dirs=0 staging=0 posix_shm=0 sysv_shm=0 databases=0" ]
