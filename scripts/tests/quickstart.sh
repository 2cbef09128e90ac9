#!/usr/bin/env bash
# Runs docs/quickstart.md as a new user would: every sh block between the quickstart markers,
# in order, in a project that has only migrations. The docs cannot rot without this failing.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

doc=$repo/docs/quickstart.md
steps=$scratch/steps.sh
awk '/<!-- quickstart:begin/ { on = 1 } /<!-- quickstart:end/ { on = 0 }
     on && /^```sh$/ { block = 1; next } block && /^```$/ { block = 0; next } block' \
  "$doc" >"$steps"
grep -q '^pgparity snapshot' "$steps" || fail "no quickstart commands found in $doc"

# The user's project: migrations only, in a git repository.
app=$scratch/app
mkdir -p "$app/db"
cp -R "$repo/fixtures/examples/todo_chat/migrations" "$app/db/migrations"
git -C "$app" init -q

# Step 0: pgparity installed (this build, `cmake --install` into a scratch prefix) and on PATH;
# nothing of the source tree is.
run cmake --install "$PGPARITY_BUILD_DIR" --prefix "$scratch/prefix" --component runtime
expect_rc 0
unset PGPARITY PGPARITY_BUILD_DIR

# shellcheck disable=SC2016 # $1 and $2 are the inner shell's
run env PATH="$scratch/prefix/bin:/usr/bin:/bin" bash -c 'cd "$1" && set -euxo pipefail && source "$2"' \
  _ "$app" "$steps"
expect_rc 0
expect_line "wrote pgparity.yaml: migrations db/migrations (golang-migrate layout, 2 migration(s)), manifest db/models.yaml (to write with pgparity snapshot)" \
  "  pgparity snapshot --out db/models.yaml" "  pgparity test"
expect_match "^template cache: (used|not used)"
expect_match "^0002 +add_conversations_and_messages "
expect_match "^\[  PASSED  \] [1-9][0-9]* tests\.$"
expect_match "^Part C: Database suites  PASS \([1-9][0-9]* tests\)$"
expect_line "SUCCESS: all checks passed"
[ -s "$app/db/models.yaml" ] || fail "the snapshot wrote no manifest"
git -C "$app" rev-parse -q --verify HEAD >/dev/null || fail "the quickstart's commit did not land"
left=$(git -C "$app" status --porcelain --ignored)
[ -z "$left" ] || fail "files left in the repository: $left"
[ ! -e "$app/build" ] || fail "something built into the application's repository"
pass
