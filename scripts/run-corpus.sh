#!/usr/bin/env bash
# Runs pgparity on the real projects' migrations in ../shared/corpus (beside the checkout, or
# $PGPARITY_CORPUS): per project `pgparity migrate`, `pgparity snapshot` (the database's own
# description, so every structural or probe failure after it is a false alarm), then `pgparity
# test` with that manifest. Prints one summary line per project and keeps the JUnit XML and logs
# under $PGPARITY_CORPUS_OUT (default: a temporary folder, printed). Skips (exit 0) when the
# corpus is absent, as in a user's clone. docs/corpus.md records the results.
# Exit status: 1 when a project has a failure outside Migrations/*, else 0.
#   PGPARITY_CORPUS_PROJECTS  space-separated names to run (default: all five)
#   PGPARITY_TEST_ARGS        extra arguments for `pgparity test`, e.g.
#                             --gtest_filter='Migrations/WithData*' (word-split)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${PGPARITY_CORPUS:-$repo/../shared/corpus}
pgparity=${PGPARITY:-$repo/bin/pgparity}
if [[ ! -d $corpus ]]; then
  echo "run-corpus: no corpus at $corpus; nothing to run"
  exit 0
fi
out=${PGPARITY_CORPUS_OUT:-$(mktemp -d)}
echo "run-corpus: results in $out"

# name | migrations folder (relative to the corpus) | extra config lines
projects=(
  "crates.io|crates.io/migrations|"
  "authelia|authelia/internal/storage/migrations/postgres|"
  "permify|permify/internal/storage/postgres/migrations|  layout: goose"
  "documenso|documenso/packages/prisma/migrations|"
  "kratos|kratos/persistence/sql/migrations/sql|"
)

status=0
for entry in "${projects[@]}"; do
  IFS='|' read -r name dir extra <<<"$entry"
  if [[ -n ${PGPARITY_CORPUS_PROJECTS:-} && " $PGPARITY_CORPUS_PROJECTS " != *" $name "* ]]; then
    continue
  fi
  work=$out/$name
  mkdir -p "$work"
  {
    echo "manifest: models.yaml"
    echo "migrations:"
    echo "  dir: $corpus/$dir"
    echo "  max_seconds: 600"
    [[ -n $extra ]] && echo "$extra"
  } >"$work/pgparity.yaml"
  if ! "$pgparity" snapshot --config "$work/pgparity.yaml" --out "$work/models.yaml" \
    >"$work/snapshot.log" 2>&1; then
    echo "$name: snapshot failed (exit $?): $(tail -1 "$work/snapshot.log")"
    status=1
    continue
  fi
  # shellcheck disable=SC2086 # PGPARITY_TEST_ARGS is a list of words on purpose
  "$pgparity" test --config "$work/pgparity.yaml" --gtest_output="xml:$work/junit.xml" \
    ${PGPARITY_TEST_ARGS:-} >"$work/test.log" 2>&1 || true
  total=$(grep -c '<testcase ' "$work/junit.xml" || true)
  fails=$(grep -oE '^\[  FAILED  \] [A-Za-z][^ ,]*' "$work/test.log" | sort -u | awk '{print $4}' || true)
  # Each skipped test is named twice (as it ends, and in the summary): count the names once.
  skips=$(grep -oE '^\[  SKIPPED \] [A-Za-z][^ ,]*' "$work/test.log" | sort -u | grep -c . || true)
  outside=$(grep -v '^Migrations/' <<<"$fails" | grep -c . || true)
  lifecycle=$(grep -c '^Migrations/' <<<"$fails" || true)
  echo "$name: $total tests; failed outside Migrations/*: $outside; Migrations/* failed: $lifecycle; skipped: $skips"
  grep -v '^Migrations/' <<<"$fails" | grep . | sed 's/^/    false alarm? /' || true
  ((outside == 0)) || status=1
done
exit "$status"
