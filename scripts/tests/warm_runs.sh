#!/usr/bin/env bash
# Warm structural runs start no server (docs/migrations.md, "Warm structural runs without a
# server"): once the template's snapshot and canonical forms are cached with the template's
# fingerprint, structural tests run without one; a probe brings it up when it needs it; a
# remembered lifecycle test needs none; --fresh, and a rebuilt template, go through the server.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

chmod 711 "$scratch"
proj=$scratch/proj
cp -R "$repo/suites/testdata/examples/tiny/." "$proj/"
export PGPARITY_CACHE_DIR=$scratch/cache
mkdir -p "$PGPARITY_CACHE_DIR"
chmod 755 "$PGPARITY_CACHE_DIR"
structural='--gtest_filter=-Probes/*:Migrations/*'
offline='^pgparity: [0-9]+ model\(s\), [0-9]+ table\(s\); database not started '
ready='^pgparity: [0-9]+ model\(s\), [0-9]+ table\(s\); database ready in [0-9]+ ms'
# A structural run that passes and says how its database came (the summary line it must print).
structural_run() {
  run "$PGPARITY" test --config "$proj/pgparity.yaml" "$structural"
  expect_rc 0
  expect_match "$1"
}

# 1. The first run builds the template (every test, lifecycle passes remembered); the second
#    copies it and records the template's fingerprint with the snapshot.
run "$PGPARITY" test --config "$proj/pgparity.yaml"
expect_rc 0
expect_match "$ready [(]migrations applied[)]"
structural_run "$ready [(]template cache[)]"

# 2. Now no server: the same tests pass, nothing is started.
structural_run "$offline"
expect_no_match 'database ready'
expect_match '^\[  PASSED  \] [0-9]+ tests'

# 3. A probe needs the server: it is brought up then, once, and the probes pass.
run "$PGPARITY" test --config "$proj/pgparity.yaml" '--gtest_filter=Tables/*:Probes/*'
expect_rc 0
expect_match "$offline"
expect_match '^pgparity: database ready in [0-9]+ ms [(]template cache[)] for the tests that need it$'
[ "$(grep -c 'database ready' <<<"$out")" = 1 ] || fail "the server was started more than once"
expect_match '^\[       OK \] Probes/'

# 4. Lifecycle tests remembered as passed need no server either.
run "$PGPARITY" test --config "$proj/pgparity.yaml" '--gtest_filter=Migrations/*'
expect_rc 0
expect_match "$offline"
expect_no_match 'database ready'
expect_match '^\[ CACHED   \] passed on an earlier run'

# 5. --fresh goes through the server and rebuilds the template: the snapshot recorded for the
#    old template is not used without a server for the new one.
run "$PGPARITY" test --fresh --config "$proj/pgparity.yaml" "$structural"
expect_rc 0
expect_match "$ready [(]migrations applied[)]"
structural_run "$ready [(]template cache[)]"
structural_run "$offline"

# 6. A drifted schema fails the same way without a server.
cat >>"$proj/migrations/0002_drift.up.sql" <<'SQL'
ALTER TABLE posts ADD COLUMN drift integer;
SQL
structural_run "$ready [(]migrations applied[)]"
structural_run "$ready [(]template cache[)]"
structural_run "$offline"
expect_match 'WARNING  . Undeclared/'

# 7. A server that cannot start when a test needs it: those tests fail with the reason, the
#    structural ones pass, and the run exits 3 (as when the server fails before the tests).
for template in "$PGPARITY_CACHE_DIR"/templates/*/; do mv "$template/PG_VERSION" "$template/moved"; done
run "$PGPARITY" test --config "$proj/pgparity.yaml" '--gtest_filter=Tables/*:Probes/*'
expect_rc 3
expect_match "$offline"
expect_match '^error: this test could not run \(not a schema finding\): template data directory .* \(no PG_VERSION\)$'
expect_match '^\[  FAILED  \] Probes/'
expect_no_match '^\[  FAILED  \] Tables/'
expect_match '^pgparity: error: template data directory .* \(no PG_VERSION\)'
pass
