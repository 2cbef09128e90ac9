#!/usr/bin/env bash
# Started as root, the disposable server runs as its own unprivileged account (`pgparity`), not
# as the shared `postgres` account: a migration that shells out (COPY ... TO PROGRAM, allowed to
# the superuser) cannot read a folder that belongs to `postgres` with mode 0700, as another
# cluster's data folder does.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! getent passwd postgres >/dev/null; then
  echo "SKIP: needs root and a postgres account"
  exit 77
fi
chmod 711 "$scratch"
other=$scratch/other_cluster
mkdir -p "$other/base"
echo 15 >"$other/PG_VERSION"
chown -R postgres: "$other"
chmod 700 "$other"

proj=$scratch/proj
cp -R "$repo/suites/testdata/examples/tiny/." "$proj/"
echo "SELECT 1;" >"$proj/migrations/0002_escape.down.sql"
# escape SQL: runs it as the migration 0002 and expects it to be refused with `message`.
escape() {
  printf '%s\n' "$1" >"$proj/migrations/0002_escape.up.sql"
  run "$PGPARITY" migrate --fresh --config "$proj/pgparity.yaml"
  expect_rc 3
  expect_match "0002_escape\.up\.sql.*$2"
}
# The server's own file access, as the server's account.
escape "SELECT pg_ls_dir('$other');" "could not open directory .*: Permission denied"
# A program run by the server (as the server's account): `ls` fails, so COPY fails.
escape "COPY (SELECT 1) TO PROGRAM 'ls $other';" "program .* failed"
getent passwd pgparity >/dev/null || fail "no pgparity account"
pass
