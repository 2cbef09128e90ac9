#!/usr/bin/env bash
# GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX split `pgparity test` into disjoint shards that
# together run every test exactly once (as CI runs them across machines).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

config=$repo/fixtures/examples/todo_chat/pgparity.yaml
ran() { sed -n 's/^\[ RUN      \] \([^ ]*\).*/\1/p' <<<"$out" | sort; }

run "$PGPARITY" test --config "$config" --gtest_color=no
expect_rc 0
ran >"$scratch/all"
[ "$(wc -l <"$scratch/all")" -ge 4 ] || fail "too few tests to shard: $(cat "$scratch/all")"

for index in 0 1; do
  run env GTEST_TOTAL_SHARDS=2 GTEST_SHARD_INDEX=$index "$PGPARITY" test --config "$config" \
    --gtest_color=no
  expect_rc 0
  ran >"$scratch/shard$index"
  [ -s "$scratch/shard$index" ] || fail "shard $index ran no test"
done

common=$(comm -12 "$scratch/shard0" "$scratch/shard1")
[ -z "$common" ] || fail "tests in both shards: $common"
sort "$scratch/shard0" "$scratch/shard1" | diff - "$scratch/all" >/dev/null ||
  fail "the shards together are not the full list: $(sort "$scratch/shard0" "$scratch/shard1" | diff - "$scratch/all")"
pass
