#!/usr/bin/env bash
# `migrations: {role: owner}`: the migrations run as a role that owns the database and is no
# superuser. Ordinary migrations (and every lifecycle test) pass under it, twice (the second
# run from the template cache); a migration that runs a program on the server (COPY ... FROM
# PROGRAM) or reads the server's files (pg_read_file) is refused under it, while the same
# migration applies as the default superuser. The option is refused on an existing server.
# shellcheck source-path=SCRIPTDIR source=lib.sh
# The expected messages quote values in backticks: single quotes on purpose.
# shellcheck disable=SC2016
source "$(dirname "$0")/lib.sh"

proj=$scratch/proj
cp -R "$repo/suites/testdata/examples/tiny/." "$proj/"
export PGPARITY_CACHE_DIR=$scratch/cache
chmod 755 "$scratch"
printf 'manifest: models.yaml\nmigrations:\n  dir: migrations\n  role: owner\n' >"$proj/pgparity.yaml"

for pass in cold warm; do
  run "$PGPARITY" test --config "$proj/pgparity.yaml"
  [ "$rc" = 0 ] || fail "the $pass run under role: owner failed"
done
expect_match '^\[  PASSED  \] '

# A migration that shells out, then one that reads a server file.
escape() {
  printf '%s\n' "$1" >"$proj/migrations/0002_escape.up.sql"
  echo "SELECT 1;" >"$proj/migrations/0002_escape.down.sql"
  run "$PGPARITY" migrate --config "$proj/pgparity.yaml"
  expect_rc 3
  expect_match "^pgparity: error: .*0002_escape\.up\.sql:[0-9]+: migration 0002 failed: $2(; hint: .*)? \(SQLSTATE 42501\); nothing after it was applied$"
  sed -i '/role: owner/d' "$proj/pgparity.yaml"
  run "$PGPARITY" migrate --config "$proj/pgparity.yaml"
  expect_rc 0  # the same migration as the superuser: the role made the difference
  printf '  role: owner\n' >>"$proj/pgparity.yaml"
}
escape "CREATE TABLE escaped (line text); COPY escaped FROM PROGRAM 'id';" \
  'must be superuser or have privileges of the pg_execute_server_program role to COPY to or from an external program'
escape "SELECT pg_read_file('PG_VERSION');" 'permission denied for function pg_read_file'

# `pgparity up` then tests attached to its server: the migration tests there run as the owner
# too (they were refused: "works on a disposable server only"). The migration fails unless it
# runs as pgparity_owner.
rm -f "$proj/migrations/0002_escape."*
printf '%s\n' "DO \$\$BEGIN IF current_user <> 'pgparity_owner' THEN RAISE 'run as %', current_user; END IF; END\$\$;" \
  >"$proj/migrations/0002_as_owner.up.sql"
echo "SELECT 1;" >"$proj/migrations/0002_as_owner.down.sql"
state=$scratch/up.state
run "$PGPARITY" up --config "$proj/pgparity.yaml" --state "$state"
expect_rc 0
run "$PGPARITY" test --config "$proj/pgparity.yaml" --attach "$state"
attached_rc=$rc
attached_out=$out
run "$PGPARITY" down --state "$state"
expect_rc 0
rc=$attached_rc
out=$attached_out
expect_rc 0
expect_match '^\[  PASSED  \] '
expect_match '^\[       OK \] Migrations/Step\.Check/0002'
rm -f "$proj/migrations/0002_as_owner."*

# Config errors (exit 2).
printf 'manifest: models.yaml\nmigrations:\n  dir: migrations\n  role: admin\n' >"$proj/pgparity.yaml"
run "$PGPARITY" lint --config "$proj/pgparity.yaml"
expect_rc 2
expect_line "pgparity: error: $proj/pgparity.yaml:4:9: unknown value \`admin\` for \`role\`; expected one of: superuser owner"
printf 'manifest: models.yaml\nmigrations:\n  dir: migrations\n  role: owner\ndatabase: postgresql://u@h/db\n' \
  >"$proj/pgparity.yaml"
run "$PGPARITY" lint --config "$proj/pgparity.yaml"
expect_rc 2
expect_line "pgparity: error: $proj/pgparity.yaml:4:9: \`role: owner\` needs \`database: disposable\`: on an existing server the migrations run as the URL's role; give that URL a role that is no superuser instead"
pass
