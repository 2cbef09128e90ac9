#!/usr/bin/env bash
# --full: Part C runs the database suites. Passes on todo_chat; exit 1 on a broken fixture with
# the failing test named; JUnit XML where PGPARITY_JUNIT says.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

good=$(project good examples/todo_chat)
run env PGPARITY_JUNIT="$scratch/reports/good.xml" "$check" --full --config "$good/pgparity.yaml"
expect_rc 0
expect_line "Part A: Static checks    PASS" \
  "Part B: Unit tests       SKIP (not the pgparity repo)" \
  "JUnit XML: $scratch/reports/good.xml" \
  "SUCCESS: all checks passed"
expect_match "^Part C: Database suites  PASS \([1-9][0-9]* tests\)$"
expect_match "^\[       OK \] Tables/Exists\.Check/Message "
if grep -q $'\e' <<<"$out"; then fail "escape codes in non-tty output"; fi
grep -q '<testsuites' "$scratch/reports/good.xml" || fail "no JUnit XML at \$PGPARITY_JUNIT"
grep -q 'name="Check/Message"' "$scratch/reports/good.xml" || fail "JUnit XML lacks Check/Message"

# wrong_type: step_executions.cost_usd is double precision, the model says numeric(10,4).
broken=$(project broken broken/wrong_type)
run env PGPARITY_JUNIT="$scratch/reports/broken.xml" "$check" --full --config "$broken/pgparity.yaml"
expect_rc 1
expect_line "Part A: Static checks    PASS" "FAILED: Part C (exit 1)"
expect_match "^Part C: Database suites  FAIL \(1 failed, [1-9][0-9]* passed\)$"
expect_match "^\[  FAILED  \] Columns/Match\.Check/StepExecution"
expect_no_line "SUCCESS: all checks passed"
grep -q '<failure' "$scratch/reports/broken.xml" || fail "no <failure> in the JUnit XML"

# Without PGPARITY_JUNIT, the config's junit_xml (relative to the config file) is used.
echo "junit_xml: out/pgparity.xml" >>"$broken/pgparity.yaml"
run "$check" --full --config "$broken/pgparity.yaml"
expect_rc 1
[ -s "$broken/out/pgparity.xml" ] || fail "config's junit_xml was not written"
pass
