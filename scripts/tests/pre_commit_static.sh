#!/usr/bin/env bash
# Part A (static, no database): pass on a good project, exit 2 on a broken config or manifest;
# found from a subdirectory; plain output when not a terminal or NO_COLOR is set.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

good=$(project good examples/todo_chat)

# From the project root, no --config: finds ./pgparity.yaml. No PostgreSQL is needed.
run bash -c 'cd "$1" && PGPARITY_PG_BIN=/nonexistent "$2"' _ "$good" "$check"
expect_rc 0
expect_line "Part A: Static checks    PASS" \
  "Part B: Unit tests       SKIP (not the pgparity repo)" \
  "Part C: Database suites  SKIP (use --full)" \
  "SUCCESS: all checks passed"
expect_no_line "FAILED"
# Not a terminal: no escape codes at all.
if grep -q $'\e' <<<"$out"; then fail "escape codes in non-tty output"; fi

# From a subdirectory: walks up to the config.
mkdir -p "$good/src/deep/er"
run bash -c 'cd "$1/src/deep/er" && "$2"' _ "$good" "$check"
expect_rc 0
expect_line "pgparity lint --config $good/pgparity.yaml" "SUCCESS: all checks passed"

# Config in a subdirectory of the repository (backend/), run from the top: the only one git tracks.
mono=$scratch/mono
mkdir -p "$mono/backend" && cp -R "$good/." "$mono/backend/" && rm -rf "$mono/backend/.git" "$mono/backend/src"
git -C "$mono" init -q && git -C "$mono" add backend
run bash -c 'cd "$1" && "$2"' _ "$mono" "$check"
expect_rc 0
expect_line "pgparity lint --config $mono/backend/pgparity.yaml" "SUCCESS: all checks passed"

# On a terminal, coloured; with NO_COLOR, not.
tty_run() { script -qec "$1" /dev/null; }
run tty_run "cd '$good' && '$check'"
expect_rc 0
grep -q $'\e\\[32mPASS' <<<"$out" || fail "expected a green PASS on a terminal"
run tty_run "cd '$good' && NO_COLOR=1 '$check'"
expect_rc 0
if grep -q $'\e' <<<"$out"; then fail "escape codes with NO_COLOR set"; fi
expect_match "^Part A: Static checks    PASS"

# CLICOLOR_FORCE=1 colours through a pipe (the git hook's case); NO_COLOR still wins.
run env CLICOLOR_FORCE=1 "$check" --config "$good/pgparity.yaml"
expect_rc 0
grep -q $'\e\\[32mSUCCESS: all checks passed' <<<"$out" || fail "expected colour with CLICOLOR_FORCE=1"
run env CLICOLOR_FORCE=1 NO_COLOR=1 "$check" --config "$good/pgparity.yaml"
expect_rc 0
if grep -q $'\e' <<<"$out"; then fail "escape codes with NO_COLOR and CLICOLOR_FORCE set"; fi

# A misspelt key in pgparity.yaml: Part A fails with pgparity's exit 2 and its one-line error.
bad=$(project bad examples/todo_chat)
sed -i 's/^manifest:/manifets:/' "$bad/pgparity.yaml"
run "$check" --full --config "$bad/pgparity.yaml"
expect_rc 2
expect_match "^pgparity: error: .*pgparity.yaml:[0-9]+:[0-9]+: unknown key \`manifets\`.*did you mean \`manifest\`"
expect_line "Part A: Static checks    FAIL (exit 2)" \
  "Part C: Database suites  SKIP (Part A failed)" \
  "FAILED: Part A (exit 2)"
expect_no_line "SUCCESS: all checks passed"

# A misspelt manifest key: also exit 2, naming models.yaml.
badm=$(project badm examples/todo_chat)
sed -i '0,/nullable: false/s//nulable: false/' "$badm/models.yaml"
run "$check" --config "$badm/pgparity.yaml"
expect_rc 2
expect_match "models.yaml:[0-9]+:[0-9]+: .*nulable.*did you mean \`nullable\`"
expect_line "Part A: Static checks    FAIL (exit 2)" "FAILED: Part A (exit 2)"

# Migration files: a down without its up is exit 2 from Part A, before any database.
unpaired=$(project unpaired examples/todo_chat)
rm "$unpaired/migrations/0002_add_conversations_and_messages.up.sql"
run env PGPARITY_PG_BIN=/nonexistent "$check" --full --config "$unpaired/pgparity.yaml"
expect_rc 2
expect_match "0002_add_conversations_and_messages\.down\.sql: .*without an up file"
expect_line "Part A: Static checks    FAIL (exit 2)" \
  "Part C: Database suites  SKIP (Part A failed)" "FAILED: Part A (exit 2)"
pass
