#!/usr/bin/env bash
# Part B runs `ctest -L unit` only inside the pgparity repository: here a stand-in repository
# (framework/, suites/, project(pgparity)) with a hand-written ctest file, so no build is needed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

fake=$scratch/fake-pgparity
mkdir -p "$fake/framework" "$fake/suites" "$fake/build"
printf 'cmake_minimum_required(VERSION 3.20)\nproject(pgparity VERSION 0.1.0 LANGUAGES CXX)\n' \
  >"$fake/CMakeLists.txt"
cp -R "$repo/fixtures/examples/todo_chat/." "$fake/"
git -C "$fake" init -q
cat >"$fake/build/CTestTestfile.cmake" <<'CT'
add_test(unit_one "true")
set_tests_properties(unit_one PROPERTIES LABELS "unit")
add_test(unit_two "true")
set_tests_properties(unit_two PROPERTIES LABELS "unit")
add_test(not_unit "false")
set_tests_properties(not_unit PROPERTIES LABELS "e2e")
CT

run bash -c 'cd "$1" && PGPARITY_BUILD_DIR="$1/build" "$2"' _ "$fake" "$check"
expect_rc 0
expect_line "Part A: Static checks    PASS" "Part B: Unit tests       PASS (2 tests)" \
  "SUCCESS: all checks passed"

run bash -c 'cd "$1" && PGPARITY_BUILD_DIR="$1/build" "$2" --no-unit' _ "$fake" "$check"
expect_rc 0
expect_line "Part B: Unit tests       SKIP (--no-unit)"

# A failing unit test fails Part B with exit 1.
echo 'add_test(unit_three "false")
set_tests_properties(unit_three PROPERTIES LABELS "unit")' >>"$fake/build/CTestTestfile.cmake"
run bash -c 'cd "$1" && PGPARITY_BUILD_DIR="$1/build" "$2"' _ "$fake" "$check"
expect_rc 1
expect_line "Part A: Static checks    PASS" "Part B: Unit tests       FAIL (3 tests, see above)" \
  "FAILED: Part B (exit 1)"

# Not project(pgparity): Part B is skipped.
sed -i 's/project(pgparity/project(other/' "$fake/CMakeLists.txt"
run bash -c 'cd "$1" && PGPARITY_BUILD_DIR="$1/build" "$2"' _ "$fake" "$check"
expect_rc 0
expect_line "Part B: Unit tests       SKIP (not the pgparity repo)"
pass
