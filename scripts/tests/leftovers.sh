#!/usr/bin/env bash
# Nothing is left behind by killed runs: staging folders of the cache whose owner was killed
# (kill -9) are removed by the next run (live owners' are kept); throwaway databases on an
# existing server left by a kill -9 are dropped by the next run from this machine (others'
# and foreign ones are kept); a SIGTERM in the first milliseconds is an orderly exit 143.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

proj=$scratch/proj
cp -R "$repo/suites/testdata/examples/tiny/." "$proj/"
export PGPARITY_CACHE_DIR=$scratch/cache
start_of() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat"; }

# 1. Staging folders: a dead owner's are removed, a live owner's kept.
sleep 300 &
dead=$!
dead_start=$(start_of "$dead")
mkdir -p "$PGPARITY_CACHE_DIR/templates/k1.tmp.$dead.$dead_start.0123456789abcdef/data" \
  "$PGPARITY_CACHE_DIR/initdb-15.0.tmp.$dead.$dead_start.0123456789abcdef/data.tmp.x"
live_dir="$PGPARITY_CACHE_DIR/templates/k2.tmp.$$.$(start_of $$).0123456789abcdef"
mkdir -p "$live_dir"
kill -9 "$dead"
wait "$dead" 2>/dev/null || true
run "$PGPARITY" migrate --config "$proj/pgparity.yaml"
expect_rc 0
[ -d "$live_dir" ] || fail "a live run's staging folder was removed"
rmdir "$live_dir"
left=$(find "$PGPARITY_CACHE_DIR" -maxdepth 2 -name '*.tmp.*')
[ -z "$left" ] || fail "staging folders left: $left"

# ... and real kills at moments spread over a run that fills the cache.
for delay in 0.3 0.8 1.5 2.5 4; do
  rm -rf "$PGPARITY_CACHE_DIR"
  "$PGPARITY" migrate --fresh --config "$proj/pgparity.yaml" >/dev/null 2>&1 &
  victim=$!
  sleep "$delay"
  kill -9 "$victim" 2>/dev/null || true
  wait "$victim" 2>/dev/null || true
  run "$PGPARITY" migrate --config "$proj/pgparity.yaml"
  expect_rc 0
  left=$(find "$PGPARITY_CACHE_DIR" -maxdepth 2 -name '*.tmp.*')
  [ -z "$left" ] || fail "after kill -9 at ${delay}s, staging folders left: $left"
done

# 2. An existing server: the database of a run killed with SIGKILL is dropped by the next run.
srv=$scratch/srv
password=leftover-test-pw
admin_server "$srv" "$password"
printf 'manifest: models.yaml\nmigrations:\n  dir: migrations\ndatabase: env:DATABASE_URL\n' \
  >"$proj/pgparity.yaml"
export DATABASE_URL="postgresql://admin@/postgres?host=$srv"
# Not ours: no comment; and one whose owner (this shell) is alive.
sql "CREATE DATABASE pgparity_00000000000000aa"
sql "CREATE DATABASE pgparity_00000000000000bb"
identity=$(owner_identity)
sql "COMMENT ON DATABASE pgparity_00000000000000bb IS 'pgparity run $identity pid=$$ start=$(start_of $$)'"

"$PGPARITY" test --config "$proj/pgparity.yaml" >"$scratch/victim.log" 2>&1 &
victim=$!
for _ in $(seq 1 300); do
  [ "$(sql "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgparity\_%'")" -gt 2 ] && break
  sleep 0.05
done
kill -9 "$victim"
wait "$victim" 2>/dev/null || true
sleep 0.5  # its sessions end as the server notices the closed sockets
killed=$(sql "SELECT string_agg(datname, ' ') FROM pg_database WHERE datname LIKE 'pgparity\_%' AND datname NOT IN ('pgparity_00000000000000aa', 'pgparity_00000000000000bb')")
[ -n "$killed" ] || fail "the killed run left no database (killed too late?): $(cat "$scratch/victim.log")"
comment=$(sql "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '${killed%% *}'")
[[ $comment == "pgparity run $identity pid=$victim "* ]] || fail "owner comment: $comment"

run "$PGPARITY" test --config "$proj/pgparity.yaml"
expect_rc 0
left=$(sql "SELECT string_agg(datname, ' ' ORDER BY datname) FROM pg_database WHERE datname LIKE 'pgparity\_%'")
[ "$left" = "pgparity_00000000000000aa pgparity_00000000000000bb" ] ||
  fail "expected only the foreign and the live run's databases, found: $left"

# 3. SIGTERM before any server exists (here: while the models are being imported) finds
# pgparity's handler, installed first thing in main: an orderly exit 143, not death by signal.
unset DATABASE_URL
mkdir -p "$scratch/slow"
printf 'import time\ntime.sleep(20)\n' >"$scratch/slow/app.py"
printf 'models:\n  sqlalchemy: app:Base\n  python: /usr/bin/python3\nmigrations:\n  dir: %s\n' \
  "$proj/migrations" >"$scratch/slow/pgparity.yaml"
/usr/bin/python3 - "$PGPARITY" "$scratch/slow/pgparity.yaml" <<'PY' || fail "early SIGTERM"
import signal, subprocess, sys, time
p = subprocess.Popen([sys.argv[1], "lint", "--config", sys.argv[2]],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.time() + 10
while time.time() < deadline:  # SIGTERM's bit in the caught-signals mask
    status = open(f"/proc/{p.pid}/status").read()
    caught = int(next(l for l in status.splitlines() if l.startswith("SigCgt")).split()[1], 16)
    if caught & (1 << (signal.SIGTERM - 1)):
        break
    time.sleep(0.005)
p.send_signal(signal.SIGTERM)
code = p.wait(timeout=10)
if code != 143:
    sys.exit(f"exit status {code}, expected 143 (a handled SIGTERM), not -15 (killed by it)")
PY
pass
