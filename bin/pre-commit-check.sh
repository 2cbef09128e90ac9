#!/usr/bin/env bash
# pre-commit-check.sh: the checks to run before a commit lands (see docs/pre-commit.md).
#   Part A  static: config, manifest and migration files (no database)
#   Part B  the framework's own unit tests (only inside the pgparity repository itself)
#   Part C  with --full: the database suites (pgparity test), JUnit XML for CI
set -euo pipefail

usage() {
  cat <<'EOF'
usage: pre-commit-check.sh [--full] [--config FILE] [--no-unit] [--help]

Runs pgparity's checks before a commit (or in CI) and prints a PASS / FAIL / SKIP
summary per part:

  Part A  Static checks    pgparity.yaml, the manifest and the migration files are
                           valid (ordered, paired, no duplicate versions); no database
  Part B  Unit tests       the framework's own unit tests (ctest -L unit); only when run
                           inside the pgparity repository itself, otherwise skipped
  Part C  Database suites  only with --full: every generated test against a disposable
                           PostgreSQL (pgparity test)

Options:
  --full           also run Part C, the database suites
  --config FILE    the project config; default: the first pgparity.yaml found walking up
                   from the current directory to the top of the git work tree (or the only
                   pgparity.yaml tracked by git)
  --no-unit        skip Part B
  --help, -h       this text

Environment:
  PGPARITY         the pgparity command to use (default: installed as
                   pgparity-pre-commit-check, the pgparity beside it; else `pgparity` on
                   PATH; else the checkout's bin/pgparity)
  PGPARITY_JUNIT   where Part C writes JUnit XML (default: `junit_xml` in pgparity.yaml)
  PGPARITY_BUILD_DIR  in the pgparity repository only: the build directory of Part B
                   (default: <repo>/build)
  NO_COLOR         set to disable colour (colour is only used on a terminal, or with
                   CLICOLOR_FORCE=1)

Exit status (the first failing part's):
  0  every part passed or was skipped
  1  a check failed (a generated test failed, a unit test failed)
  2  bad usage, an invalid config, manifest or migration file set
  3  the environment failed: pgparity not found, PostgreSQL would not start, a
     migration failed to apply
EOF
}

die_usage() {
  echo "pre-commit-check: error: $*" >&2
  exit 2
}

full=0
config=
run_unit=1
while [ $# -gt 0 ]; do
  case $1 in
    --full) full=1 ;;
    --no-unit) run_unit=0 ;;
    --config)
      [ $# -ge 2 ] || die_usage "--config needs a file: --config path/to/pgparity.yaml"
      config=$2
      shift
      ;;
    --config=*) config=${1#--config=} ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die_usage "unknown option \`$1'; run with --help for the options" ;;
  esac
  shift
done

# Colour only for a human at a terminal (https://no-color.org).
# CLICOLOR_FORCE=1 asks for colour through a pipe (the git hook uses it).
if [ -z "${NO_COLOR:-}" ] &&
  { [ "${CLICOLOR_FORCE:-0}" != 0 ] || { [ -t 1 ] && [ "${TERM:-}" != dumb ]; }; }; then
  red=$'\e[31m' green=$'\e[32m' yellow=$'\e[33m' bold=$'\e[1m' reset=$'\e[0m'
  gtest_color=yes
else
  red='' green='' yellow='' bold='' reset=''
  gtest_color=no
fi

heading() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$reset"; }

self=$(readlink -f "${BASH_SOURCE[0]}")
script_dir=$(dirname "$self")

# The pgparity command, as an array: $PGPARITY; installed (as pgparity-pre-commit-check), the
# pgparity installed beside us; else pgparity on PATH; else the checkout's bin/pgparity.
if [ -n "${PGPARITY:-}" ]; then
  command -v "$PGPARITY" >/dev/null 2>&1 ||
    { echo "pre-commit-check: error: PGPARITY=$PGPARITY is not a command; fix or unset it" >&2; exit 3; }
  pgparity=("$PGPARITY")
elif [ "$(basename "$self")" = pgparity-pre-commit-check ] && [ -x "$script_dir/pgparity" ]; then
  pgparity=("$script_dir/pgparity")
elif command -v pgparity >/dev/null 2>&1; then
  pgparity=(pgparity)
elif [ -x "$script_dir/pgparity" ]; then
  pgparity=("$script_dir/pgparity")
else
  echo "pre-commit-check: error: pgparity not found; put it on PATH or set PGPARITY=/path/to/pgparity" >&2
  exit 3
fi

git_top=$(git rev-parse --show-toplevel 2>/dev/null || true)

# The pgparity repository itself has its framework and suites beside a project(pgparity).
is_pgparity_repo() {
  [ -d "$1/framework" ] && [ -d "$1/suites" ] && [ -f "$1/CMakeLists.txt" ] &&
    grep -Eq '^[[:space:]]*project[[:space:]]*\([[:space:]]*pgparity([[:space:]]|\))' "$1/CMakeLists.txt"
}

# pgparity.yaml: walk up from $PWD to the git top level; failing that, the only one git tracks.
find_config() {
  local dir=$PWD
  while :; do
    if [ -f "$dir/pgparity.yaml" ]; then
      echo "$dir/pgparity.yaml"
      return 0
    fi
    if [ "$dir" = "${git_top:-/}" ] || [ "$dir" = / ]; then break; fi
    dir=$(dirname "$dir")
  done
  if [ -n "$git_top" ]; then
    local tracked
    tracked=$(git -C "$git_top" ls-files -- pgparity.yaml '*/pgparity.yaml' 2>/dev/null || true)
    if [ -n "$tracked" ] && [ "$(printf '%s\n' "$tracked" | wc -l)" -eq 1 ]; then
      echo "$git_top/$tracked"
      return 0
    fi
  fi
  return 1
}

if [ -n "$config" ]; then
  [ -f "$config" ] || die_usage "$config: no such config file; pass --config path/to/pgparity.yaml"
  # The project is the repository the config belongs to, wherever we were started.
  git_top=$(git -C "$(dirname "$config")" rev-parse --show-toplevel 2>/dev/null || true)
else
  config=$(find_config) || config=
fi

# The project root: the git top level, else the current directory.
root=${git_top:-$PWD}
# The git hook checks a temporary copy of the index; PGPARITY_HOOK_REPO names the repository
# it came from. Only the pgparity repository's own Parts B and C use it: its build directory.
build_dir=${PGPARITY_BUILD_DIR:-${PGPARITY_HOOK_REPO:-$root}/build}
in_pgparity_repo=0
is_pgparity_repo "$root" && in_pgparity_repo=1

configs=()
if [ -n "$config" ]; then
  configs=("$config")
elif [ "$in_pgparity_repo" = 1 ]; then
  # Inside pgparity itself with no project of its own: the bundled fixture projects.
  for f in "$root"/fixtures/examples/*/pgparity.yaml "$root"/fixtures/broken/*/pgparity.yaml; do
    [ -f "$f" ] && configs+=("$f")
  done
else
  die_usage "no pgparity.yaml between $PWD and ${git_top:-/}; create one (docs/quickstart.md) or pass --config FILE"
fi

# Results per part: status word, detail, exit code.
declare -A status detail code
record() { status[$1]=$2 detail[$1]=${3:-} code[$1]=${4:-0}; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# --- Part A -----------------------------------------------------------------------------------
# `pgparity lint` validates config, manifest and migration files without a database. Older
# pgparity has no lint; then listing the tests does the same for config and manifest.
lint_one() {
  local cfg=$1 rc=0
  "${pgparity[@]}" lint --config "$cfg" >"$log" 2>&1 || rc=$?
  # shellcheck disable=SC2016 # the backquotes are pgparity's, not an expansion
  if [ "$rc" = 2 ] && grep -q 'unknown command `lint`' "$log"; then
    rc=0
    echo "(this pgparity has no lint: checking config and manifest with --gtest_list_tests)"
    "${pgparity[@]}" test --config "$cfg" --gtest_list_tests >"$log" 2>&1 || rc=$?
    [ "$rc" = 0 ] || cat "$log"
  else
    cat "$log"
  fi
  return $rc
}

heading "Part A: Static checks (config, manifest, migration files)"
a_rc=0
for cfg in "${configs[@]}"; do
  echo "pgparity lint --config $cfg"
  rc=0
  lint_one "$cfg" || rc=$?
  [ "$rc" = 0 ] || [ "$a_rc" != 0 ] || a_rc=$rc
done
if [ "$a_rc" = 0 ]; then
  record A PASS "" 0
else
  record A FAIL "exit $a_rc" "$a_rc"
fi

# --- Part B -----------------------------------------------------------------------------------
if [ "$run_unit" = 0 ]; then
  record B SKIP "--no-unit"
elif [ "$in_pgparity_repo" = 0 ]; then
  record B SKIP "not the pgparity repo"
else
  heading "Part B: Unit tests (ctest -L unit)"
  b_rc=0
  if [ -f "$build_dir/CMakeCache.txt" ]; then
    cmake --build "$build_dir" -j "$(nproc)" >"$log" 2>&1 || { cat "$log"; b_rc=3; }
  elif [ ! -f "$build_dir/CTestTestfile.cmake" ]; then
    PGPARITY_BUILD_DIR=$build_dir "$root/scripts/bootstrap.sh" || b_rc=3
  fi
  if [ "$b_rc" = 0 ]; then
    (cd "$build_dir" && ctest -L unit --output-on-failure -j "$(nproc)") 2>&1 | tee "$log" ||
      b_rc=1
    total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    if [ "$b_rc" = 0 ] && [ -z "$total" ]; then
      b_rc=1 # ctest found no test labelled unit: that is not a pass
      echo "pre-commit-check: no unit tests found in $build_dir"
    fi
  fi
  if [ "$b_rc" = 0 ]; then
    record B PASS "$total tests"
  elif [ "$b_rc" = 3 ]; then
    record B FAIL "build failed" 3
  else
    record B FAIL "${total:+$total tests, }see above" 1
  fi
fi

# --- Part C -----------------------------------------------------------------------------------
if [ "$full" = 0 ]; then
  record C SKIP "use --full"
elif [ "${status[A]}" = FAIL ]; then
  record C SKIP "Part A failed"
else
  heading "Part C: Database suites (pgparity test)"
  c_rc=0 passed=0 failed=0
  if [ ${#configs[@]} -gt 1 ]; then
    # The pgparity repo: its database suites are the fixture-driven end-to-end tests.
    (cd "$build_dir" && ctest -L e2e --output-on-failure -j "$(nproc)") 2>&1 | tee "$log" ||
      c_rc=1
    # ctest's "95% tests passed, 4 tests failed out of 86".
    failed=$(sed -n 's/.* \([0-9]*\) tests failed out of.*/\1/p' "$log" | tail -n 1)
    total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    passed=$((${total:-0} - ${failed:-0}))
  else
    cfg=${configs[0]}
    args=(test --config "$cfg" "--gtest_color=$gtest_color")
    if [ -n "${PGPARITY_JUNIT:-}" ]; then
      mkdir -p "$(dirname "$PGPARITY_JUNIT")"
      args+=("--gtest_output=xml:$PGPARITY_JUNIT")
    fi
    echo "pgparity ${args[*]}"
    "${pgparity[@]}" "${args[@]}" 2>&1 | tee "$log" || c_rc=${PIPESTATUS[0]}
    passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    if [ -n "${PGPARITY_JUNIT:-}" ]; then
      echo "JUnit XML: $PGPARITY_JUNIT"
    fi
  fi
  if [ "$c_rc" = 0 ]; then
    record C PASS "${passed:-0} tests"
  elif [ "${failed:-0}" != 0 ]; then
    record C FAIL "$failed failed, ${passed:-0} passed" "$c_rc"
  else
    record C FAIL "exit $c_rc" "$c_rc"
  fi
fi

# --- Summary ----------------------------------------------------------------------------------
heading Summary
exit_code=0
failed_parts=()
for part in A B C; do
  case $part in
    A) label="Part A: Static checks" ;;
    B) label="Part B: Unit tests" ;;
    C) label="Part C: Database suites" ;;
  esac
  case ${status[$part]} in
    PASS) colour=$green ;;
    FAIL) colour=$red ;;
    *) colour=$yellow ;;
  esac
  printf '%-24s %s%s%s%s\n' "$label" "$colour" "${status[$part]}" "$reset" \
    "${detail[$part]:+ (${detail[$part]})}"
  if [ "${status[$part]}" = FAIL ]; then
    failed_parts+=("Part $part")
    [ "$exit_code" != 0 ] || exit_code=${code[$part]}
  fi
done
echo
if [ "$exit_code" = 0 ]; then
  echo "${green}SUCCESS: all checks passed${reset}"
else
  list=$(printf '%s, ' "${failed_parts[@]}")
  echo "${red}FAILED: ${list%, } (exit $exit_code)${reset}"
fi
exit "$exit_code"
