# Shared helpers for the bash tests of the scripts (sourced, not run).
# Environment from ctest: PGPARITY_SOURCE_DIR, PGPARITY_BUILD_DIR, PGPARITY (the binary).
# shellcheck shell=bash
set -euo pipefail

repo=${PGPARITY_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export PGPARITY_BUILD_DIR=${PGPARITY_BUILD_DIR:-$repo/build}
# The build's own binary, never a rebuild in the middle of a ctest run.
if [ -z "${PGPARITY:-}" ] && [ -x "$PGPARITY_BUILD_DIR/pgparity" ]; then
  export PGPARITY=$PGPARITY_BUILD_DIR/pgparity
fi
# shellcheck disable=SC2034 # used by the tests that source this file
check=$repo/bin/pre-commit-check.sh
# shellcheck disable=SC2034
install_hook=$repo/scripts/install-git-hook.sh
unset NO_COLOR PGPARITY_JUNIT GTEST_OUTPUT GTEST_TOTAL_SHARDS GTEST_SHARD_INDEX

scratch=$(mktemp -d "${TMPDIR:-/tmp}/pgparity-scripts-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# A git config of our own: no global hooksPath or identity of whoever runs the tests. (HOME
# stays: pgparity keeps its template cache under it.)
export GIT_CONFIG_GLOBAL=$scratch/gitconfig GIT_CONFIG_NOSYSTEM=1
git config --global user.name "pgparity test"
git config --global user.email "test@pgparity.invalid"
git config --global init.defaultBranch main

out="" rc=0
# run CMD...: runs it, capturing standard output and error in $out and the exit code in $rc.
run() {
  rc=0
  out=$("$@" 2>&1) || rc=$?
}

fail() {
  echo "FAIL: $*" >&2
  echo "----- output of the last command (exit $rc) -----" >&2
  printf '%s\n' "$out" >&2
  exit 1
}

expect_rc() { [ "$rc" = "$1" ] || fail "expected exit $1, got $rc"; }
# expect_line LINE...: each LINE is exactly one line of the output.
expect_line() {
  local line
  for line in "$@"; do
    grep -qxF -- "$line" <<<"$out" || fail "expected the line: $line"
  done
}
expect_no_line() { ! grep -qxF -- "$1" <<<"$out" || fail "did not expect the line: $1"; }
# expect_match REGEX: some line matches the extended regular expression.
expect_match() { grep -qE -- "$1" <<<"$out" || fail "expected a line matching: $1"; }
expect_no_match() { ! grep -qE -- "$1" <<<"$out" || fail "did not expect a line matching: $1"; }

# project NAME FIXTURE: a scratch git repository holding a copy of a fixture project.
project() {
  local dir=$scratch/$1
  mkdir -p "$dir"
  cp -R "$repo/fixtures/$2/." "$dir/"
  rm -rf "$dir/fix" "$dir/expected.yaml"
  git -C "$dir" init -q
  echo "$dir"
}

pass() { echo "PASS: $(basename "$0")"; }

# as_unprivileged CMD...: runs CMD as `nobody` (PostgreSQL refuses to run as root).
as_unprivileged() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }

# admin_server DIR PASSWORD: start_password_server, then PGPASSWORD exported, `admin` its
# superuser conninfo and `sql STATEMENT` to run the test's own statements there.
admin_server() {
  start_password_server "$1" "$2"
  export PGPASSWORD=$2
  admin="host=$1 user=admin dbname=postgres"
}
sql() { psql -XtAq -v ON_ERROR_STOP=1 -c "$1" "$admin"; }

# The host identity pgparity writes into an owner comment (cluster/abandoned_databases.cc).
owner_identity() {
  echo "host=$(hostname) boot=$(cat /proc/sys/kernel/random/boot_id) ns=$(readlink /proc/self/ns/pid | tr ' ' _)"
}

# start_password_server DIR PASSWORD: a real PostgreSQL of our own (not pgparity's) in DIR, on a
# socket in DIR only, that asks superuser `admin` for PASSWORD (scram-sha-256). Stopped on exit.
start_password_server() {
  local dir=$1 password=$2 bindir
  bindir=${PGPARITY_PG_BIN:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)}
  mkdir -p "$dir"
  chmod 711 "$scratch"
  chown nobody "$dir"
  printf '%s\n' "$password" >"$dir/pw"
  chown nobody "$dir/pw"
  as_unprivileged "$bindir/initdb" -D "$dir/data" -U admin --auth=scram-sha-256 \
    --pwfile="$dir/pw" >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
  rm -f "$dir/pw"
  as_unprivileged "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-k $dir -c listen_addresses= -c fsync=off" start >/dev/null
  # shellcheck disable=SC2064 # expanded now: the locals are gone at exit
  trap "setpriv --reuid=nobody --regid=nogroup --clear-groups -- '$bindir/pg_ctl' -D '$dir/data' \
    -m immediate stop >/dev/null 2>&1 || true; rm -rf '$scratch'" EXIT
}
