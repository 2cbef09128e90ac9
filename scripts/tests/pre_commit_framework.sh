#!/usr/bin/env bash
# The pre-commit framework (Debian's `pre-commit`) running this repository's
# .pre-commit-hooks.yaml with `pre-commit try-repo`, offline (HOME and PRE_COMMIT_HOME in the
# scratch directory), against a scratch application repository, with pgparity installed
# (`cmake --install` of this build into a scratch prefix) on PATH: pgparity-lint passes on a good
# project and fails on a bad config; pgparity-test runs the database suites.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v pre-commit >/dev/null || { echo "SKIP: pre-commit is not installed (apt-get install pre-commit)"; exit 77; }

prefix=$scratch/prefix
run cmake --install "$PGPARITY_BUILD_DIR" --prefix "$prefix" --component runtime
expect_rc 0
unset PGPARITY PGPARITY_BUILD_DIR
export PATH=$prefix/bin:/usr/bin:/bin
export HOME=$scratch/home PRE_COMMIT_HOME=$scratch/pre-commit-cache
mkdir -p "$HOME"

# The hook repository: this repository's .pre-commit-hooks.yaml, committed (try-repo clones it;
# a copy keeps the test independent of this checkout's uncommitted state).
hooks=$scratch/hooks
mkdir -p "$hooks"
cp "$repo/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init -q
git -C "$hooks" add .pre-commit-hooks.yaml
git -C "$hooks" commit -q -m hooks

app=$(project app examples/todo_chat)
git -C "$app" add -A
git -C "$app" commit -q -m app

run bash -c 'cd "$1" && pre-commit try-repo "$2" pgparity-lint --all-files' _ "$app" "$hooks"
expect_rc 0
expect_match "^pgparity lint \(config, models, migration files\)\.+Passed$"

run bash -c 'cd "$1" && pre-commit try-repo "$2" pgparity-test --all-files --verbose' _ "$app" "$hooks"
expect_rc 0
expect_match "^pgparity test \(database suites\)\.+Passed$"
expect_match "^Part C: Database suites  PASS \([1-9][0-9]* tests\)$"

# A misspelt key in the staged config: the lint hook fails with pgparity's message.
sed -i 's/^manifest:/manifets:/' "$app/pgparity.yaml"
git -C "$app" add pgparity.yaml
run bash -c 'cd "$1" && pre-commit try-repo "$2" pgparity-lint --all-files' _ "$app" "$hooks"
[ "$rc" != 0 ] || fail "pgparity-lint passed a config with an unknown key"
expect_match "^pgparity lint \(config, models, migration files\)\.+Failed$"
expect_match "unknown key \`manifets\`"
left=$(git -C "$app" status --porcelain --ignored)
[ "$left" = "M  pgparity.yaml" ] || fail "pre-commit or pgparity left files in the repository: $left"
pass
