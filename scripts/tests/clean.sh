#!/usr/bin/env bash
# `pgparity clean` and the shared memory of killed runs.
# 1. (root, in private PID, IPC and /dev/shm namespaces, so every count is exact) A run killed
#    with SIGKILL together with its guardian, postmaster and backends leaves its run directory,
#    its System V segment and its POSIX PostgreSQL.* segments; `pgparity clean` removes exactly
#    those and the dead runs' cache staging entries, and prints each; a live cluster next to it
#    (the canary) keeps its directory and segments and still answers.
# 2. An existing server with a canary database: `pgparity clean --database URL` drops the
#    pgparity_* databases of dead runs from this machine (by comment, or by name when the run
#    was killed before its comment), keeps those of live runs, of other machines, in use or
#    without pgparity's mark, and with --older-than drops old ones of other machines too.
# shellcheck source-path=SCRIPTDIR source=lib.sh
# The expected messages quote values in backticks: single quotes on purpose.
# shellcheck disable=SC2016
source "$(dirname "$0")/lib.sh"

start_of() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat"; }
export PGPARITY_CACHE_DIR=$scratch/cache
proj=$scratch/proj
cp -R "$repo/suites/testdata/examples/tiny/." "$proj/"

# Usage errors (exit 2).
run "$PGPARITY" clean --older-than 3weeks
expect_rc 2
expect_line 'pgparity: error: invalid --older-than `3weeks`; write a number and a unit: 90s, 30m, 12h or 7d'
run "$PGPARITY" clean --database 'postgress://u:S3cret@h/a'
expect_rc 2
expect_match '^pgparity: error: invalid database URL postgress://u:\*\*\*@h/a: '

# --- 1. Local leftovers, in namespaces of our own -------------------------------------------
if [ "$(id -u)" = 0 ] && [ -z "${PGPARITY_CLEAN_INNER:-}" ] &&
  unshare --ipc --mount --pid --fork --mount-proc true 2>/dev/null; then
  PGPARITY_CLEAN_INNER=1 unshare --ipc --mount --pid --fork --mount-proc \
    bash "$0" || exit 1
elif [ -n "${PGPARITY_CLEAN_INNER:-}" ]; then
  mount -t tmpfs -o mode=1777 tmpfs /dev/shm
  # keep DIR LOG: a `migrate --keep` in the background, once its server is up; sets $keeper.
  keep() {
    "$PGPARITY" migrate --keep --config "$proj/pgparity.yaml" >"$1" 2>&1 &
    keeper=$!
    for _ in $(seq 1 600); do
      grep -q 'press Ctrl-C' "$1" && return 0
      sleep 0.1
    done
    out=$(cat "$1")
    fail "migrate --keep did not come up"
  }
  # The run directory of pgparity process $1, and its postmaster's segments.
  run_dir_of() { grep -l "^owner $1 " /dev/shm/pgparity.*/owner | xargs dirname; }
  segments_of() { grep -o '/dev/shm/PostgreSQL\.[0-9]*' "/proc/$1/maps" | sort -u; }
  # has_shmid ID: a System V segment with that id exists (`ipcs -i` exits 0 either way).
  has_shmid() { ipcs -m | awk -v id="$1" 'NR > 3 && $2 == id { found = 1 } END { exit !found }'; }

  keep "$scratch/canary.log"
  canary=$keeper
  canary_dir=$(run_dir_of "$canary")
  canary_pm=$(head -1 "$canary_dir/data/postmaster.pid")
  canary_segments=$(segments_of "$canary_pm")
  [ -n "$canary_segments" ] || fail "the canary maps no PostgreSQL.* segment"

  keep "$scratch/victim.log"
  victim=$keeper
  victim_dir=$(run_dir_of "$victim")
  victim_pm=$(head -1 "$victim_dir/data/postmaster.pid")
  victim_shmid=$(sed -n 7p "$victim_dir/data/postmaster.pid" | awk '{print $2}')
  guardian=$(awk '$1 == "guardian" { print $2 }' "$victim_dir/owner")
  # Stop everything before killing anything: the guardian wakes the moment the victim dies
  # and shuts the server down cleanly (which unlinks its segments) when it is scheduled
  # before its own SIGKILL arrives (seen in CI). The postmaster is stopped first so that it
  # forks no backend after the list is taken; stopped processes die without running a line.
  kill -STOP "$victim_pm" "$guardian" "$victim"
  backends=$(ps -o pid= --ppid "$victim_pm")
  # shellcheck disable=SC2086 # word splitting intended: a list of pids
  [ -z "$backends" ] || kill -STOP $backends
  victim_segments=$(segments_of "$victim_pm")
  # shellcheck disable=SC2086
  kill -9 "$victim" "$guardian" "$victim_pm" $backends
  wait "$victim" 2>/dev/null || true
  sleep 1
  for f in $victim_segments; do [ -e "$f" ] || fail "the kill left no $f (nothing to test)"; done
  has_shmid "$victim_shmid" || fail "the kill left no System V segment"

  # Cache staging entries: a dead owner's (folder, canonical-forms file) and a live one's.
  sleep 300 &
  dead=$!
  dead_start=$(start_of "$dead")
  kill -9 "$dead"
  wait "$dead" 2>/dev/null || true
  mkdir -p "$PGPARITY_CACHE_DIR/templates/k1.tmp.$dead.$dead_start.0123456789abcdef/data" \
    "$PGPARITY_CACHE_DIR/canonical"
  echo half >"$PGPARITY_CACHE_DIR/canonical/c1.canonical.tmp.$dead.$dead_start.0123456789abcdef"
  live="$PGPARITY_CACHE_DIR/canonical/c2.snapshot.tmp.$$.$(start_of $$).0123456789abcdef"
  echo writing >"$live"

  run "$PGPARITY" clean
  expect_rc 0
  expect_line "removed run directory $victim_dir (its run is gone)" \
    "removed staging entry $PGPARITY_CACHE_DIR/templates/k1.tmp.$dead.$dead_start.0123456789abcdef" \
    "removed staging entry $PGPARITY_CACHE_DIR/canonical/c1.canonical.tmp.$dead.$dead_start.0123456789abcdef" \
    "clean: removed 1 run directory and 2 staging entries"
  [ ! -e "$victim_dir" ] || fail "$victim_dir is still there"
  for f in $victim_segments; do [ ! -e "$f" ] || fail "$f is still there"; done
  ! has_shmid "$victim_shmid" || fail "System V segment $victim_shmid is still there"
  [ -e "$live" ] || fail "a live run's staging file was removed"
  # The canary is whole and answers.
  [ -d "$canary_dir" ] || fail "the canary's run directory was removed"
  for f in $canary_segments; do [ -e "$f" ] || fail "the canary's $f was removed"; done
  psql -XtAq -c 'SELECT 1' "host=$canary_dir dbname=postgres user=pgparity" >/dev/null ||
    fail "the canary no longer answers"
  # A second clean finds nothing; the canary then stops cleanly on SIGTERM (the end of --keep).
  run "$PGPARITY" clean
  expect_rc 0
  expect_line "clean: removed 0 run directories and 0 staging entries"
  kill -TERM "$canary"
  rc=0
  wait "$canary" || rc=$?
  expect_rc 0
  left=$(find /dev/shm -mindepth 1 -maxdepth 1)
  [ -z "$left" ] || fail "left in /dev/shm: $left"
  [ -z "$(ipcs -m | awk 'NR > 3 && NF')" ] || fail "System V segments left: $(ipcs -m)"
  exit 0
else
  echo "note: part 1 (local leftovers, shared memory) needs root and unshare; skipped"
fi

# --- 2. An existing server --------------------------------------------------------------------
srv=$scratch/srv
password=clean-test-pw
admin_server "$srv" "$password"
url="postgresql://admin@/postgres?host=$srv"
identity=$(owner_identity)
tag=$(printf '%s' "$identity" | sha256sum | cut -c1-8)
sleep 300 &
dead=$!
dead_start=$(start_of "$dead")
kill -9 "$dead"
wait "$dead" 2>/dev/null || true
two_days_ago=$(($(date +%s) - 172800))

sql "CREATE DATABASE canary"
psql -XtAq -c "CREATE TABLE precious (x int); INSERT INTO precious VALUES (42)" \
  "host=$srv user=admin dbname=canary"
sql "CREATE DATABASE pgparity_00000000000000aa"  # no mark: not ours
for db in bb cc dd ee; do sql "CREATE DATABASE pgparity_00000000000000$db"; done
sql "COMMENT ON DATABASE pgparity_00000000000000bb IS 'pgparity run $identity pid=$$ start=$(start_of $$)'"
sql "COMMENT ON DATABASE pgparity_00000000000000cc IS 'pgparity run $identity pid=$dead start=$dead_start'"
sql "COMMENT ON DATABASE pgparity_00000000000000dd IS 'pgparity run host=elsewhere boot=x ns=y pid=7 start=9 created=$two_days_ago'"
sql "COMMENT ON DATABASE pgparity_00000000000000ee IS 'pgparity run $identity pid=$dead start=$dead_start'"
# Killed between CREATE DATABASE and COMMENT: its name still names its (dead) run.
named=$(printf 'pgparity_%s_%x_%x_0123abcd' "$tag" "$dead" "$dead_start")
sql "CREATE DATABASE $named"
# A session holds pgparity_..ee open: never dropped under it.
psql -XtAq -c 'SELECT pg_sleep(60)' "host=$srv user=admin dbname=pgparity_00000000000000ee" &
holder=$!
for _ in $(seq 1 100); do
  [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = 'pgparity_00000000000000ee'")" = 1 ] && break
  sleep 0.05
done

run "$PGPARITY" clean --database "$url"
expect_rc 0
where="postgresql://admin@/postgres?host=$srv"
expect_line \
  "kept database pgparity_00000000000000aa on $where: not made by pgparity (no owner comment): never dropped" \
  "kept database pgparity_00000000000000bb on $where: its run (pid $$) is still running" \
  "dropped database pgparity_00000000000000cc on $where: its run (pid $dead on this machine) is gone" \
  "kept database pgparity_00000000000000ee on $where: in use (a session is connected)" \
  "dropped database $named on $where: its run (pid $dead on this machine) is gone"
# (Other runs' dead leftovers on this machine, if any, go too: the counts before `;` may vary.)
expect_match '^clean: removed [0-9]+ run director(y|ies) and [0-9]+ staging entr(y|ies); dropped 2 database\(s\), kept 4$'
expect_match "^kept database pgparity_00000000000000dd on .*: its run is on another machine, created 1728[0-9][0-9] s ago$"
# The session ends (a killed psql would leave its backend sleeping).
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'pgparity_00000000000000ee'" >/dev/null
wait "$holder" 2>/dev/null || true

# --older-than: another machine's old database goes too; a live run's young one stays.
run "$PGPARITY" clean --database "$url" --older-than 1d
expect_rc 0
expect_match "^dropped database pgparity_00000000000000dd on .*: created 1728[0-9][0-9] s ago$"
expect_line "dropped database pgparity_00000000000000ee on $where: its run (pid $dead on this machine) is gone" \
  "kept database pgparity_00000000000000bb on $where: its run (pid $$) is still running"

# A run killed with SIGKILL on that server: its database goes.
printf 'manifest: models.yaml\nmigrations:\n  dir: migrations\ndatabase: env:DATABASE_URL\n' \
  >"$proj/pgparity.yaml"
export DATABASE_URL=$url
count() { sql "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgparity\_%'"; }
"$PGPARITY" test --config "$proj/pgparity.yaml" >"$scratch/victim.log" 2>&1 &
victim=$!
for _ in $(seq 1 300); do
  [ "$(count)" -gt 2 ] && break
  sleep 0.05
done
kill -9 "$victim"
wait "$victim" 2>/dev/null || true
sleep 0.5
[ "$(count)" -gt 2 ] || fail "the killed run left no database: $(cat "$scratch/victim.log")"
run "$PGPARITY" clean --database "$url"
expect_rc 0
expect_match "^dropped database pgparity_${tag}_[0-9a-f]+_[0-9a-f]+_[0-9a-f]{8} on .*: its run \(pid $victim on this machine\) is gone$"
left=$(sql "SELECT string_agg(datname, ' ' ORDER BY datname) FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1')")
[ "$left" = "canary pgparity_00000000000000aa pgparity_00000000000000bb" ] ||
  fail "expected the canary and the kept databases only, found: $left"
[ "$(psql -XtAq -c 'SELECT x FROM precious' "host=$srv user=admin dbname=canary")" = 42 ] ||
  fail "the canary database was touched"
pass
