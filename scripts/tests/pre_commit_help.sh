#!/usr/bin/env bash
# pre-commit-check.sh --help and usage errors: exact lines and exit codes.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

run "$check" --help
expect_rc 0
expect_line "usage: pre-commit-check.sh [--full] [--config FILE] [--no-unit] [--help]" \
  "  --full           also run Part C, the database suites" \
  "  2  bad usage, an invalid config, manifest or migration file set"

run "$check" -h
expect_rc 0
expect_line "usage: pre-commit-check.sh [--full] [--config FILE] [--no-unit] [--help]"

run "$check" --fulll
expect_rc 2
expect_line "pre-commit-check: error: unknown option \`--fulll'; run with --help for the options"

run "$check" --config
expect_rc 2
expect_line "pre-commit-check: error: --config needs a file: --config path/to/pgparity.yaml"

run "$check" --config "$scratch/nope.yaml"
expect_rc 2
expect_line "pre-commit-check: error: $scratch/nope.yaml: no such config file; pass --config path/to/pgparity.yaml"

# Outside any project: no pgparity.yaml to find.
mkdir -p "$scratch/empty" && git -C "$scratch/empty" init -q
run bash -c 'cd "$1" && "$2"' _ "$scratch/empty" "$check"
expect_rc 2
expect_line "pre-commit-check: error: no pgparity.yaml between $scratch/empty and $scratch/empty; create one (docs/quickstart.md) or pass --config FILE"

# A PGPARITY that is not a command is an environment failure.
run env PGPARITY="$scratch/no-such-pgparity" "$check" --config "$repo/fixtures/examples/todo_chat/pgparity.yaml"
expect_rc 3
expect_line "pre-commit-check: error: PGPARITY=$scratch/no-such-pgparity is not a command; fix or unset it"
pass
