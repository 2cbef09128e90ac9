#!/usr/bin/env bash
# docs/ci.md cannot rot: every YAML block parses, and the GitLab job's script and the GitHub
# job's pgparity step run as written (two shards, JUnit XML per shard) in a project that keeps
# pgparity at tools/pgparity, as the doc assumes.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

python3 -c 'import yaml' 2>/dev/null || { echo "SKIP: python3 yaml module not installed"; exit 77; }
doc=$repo/docs/ci.md

# Prints the commands of one CI system's job, one per line (GitLab: script; GitHub: the run
# of the step named "pgparity ...", with its job's env as `export` lines first).
commands() {
  python3 - "$doc" "$1" <<'PY'
import re, sys, yaml
text = open(sys.argv[1]).read()
blocks = [yaml.safe_load(b) for b in re.findall(r"^```yaml\n(.*?)^```$", text, re.S | re.M)]
gitlab = [b for b in blocks if isinstance(b, dict) and "stages" in b]
github = [b for b in blocks if isinstance(b, dict) and "jobs" in b]
assert len(gitlab) == 1 and len(github) == 1, "expected one GitLab and one GitHub example"
if sys.argv[2] == "gitlab":
    job = gitlab[0]["pgparity"]
    assert job["stage"] == "integration"
    assert job["artifacts"]["reports"]["junit"] == "reports/pgparity-*.xml"
    print("\n".join(job["script"]))
else:
    job = github[0]["jobs"]["pgparity"]
    for name, value in job["env"].items():
        value = str(value).replace("${{ matrix.shard }}", "$SHARD")
        value = value.replace("${{ github.workspace }}", "$PWD")
        print(f'export {name}="{value}"')
    steps = [s for s in job["steps"] if s.get("name", "").startswith("pgparity")]
    assert len(steps) == 1, "expected one step named pgparity..."
    print(steps[0]["run"])
PY
}

app=$(project app examples/todo_chat)
mkdir -p "$app/tools/pgparity/bin"
ln -s "$repo/bin/pre-commit-check.sh" "$app/tools/pgparity/bin/pre-commit-check.sh"
ln -s "$PGPARITY" "$app/tools/pgparity/bin/pgparity"
unset PGPARITY

# shard_tests FILE: the test names a JUnit file records as run.
shard_tests() { sed -n 's/.*<testcase name="\([^"]*\)".*classname="\([^"]*\)".*/\2.\1/p' "$1" | sort; }

commands gitlab >"$scratch/gitlab.sh"
for node in 1 2; do
  # shellcheck disable=SC2016 # expanded by the inner shell
  run env CI_NODE_TOTAL=2 CI_NODE_INDEX=$node CI_PROJECT_DIR="$app" \
    bash -c 'cd "$CI_PROJECT_DIR" && set -euo pipefail && source "$1"' _ "$scratch/gitlab.sh"
  expect_rc 0
  expect_line "SUCCESS: all checks passed"
  [ -s "$app/reports/pgparity-$node.xml" ] || fail "GitLab shard $node wrote no JUnit XML"
  shard_tests "$app/reports/pgparity-$node.xml" >"$scratch/gitlab$node"
  [ -s "$scratch/gitlab$node" ] || fail "GitLab shard $node ran no test"
done
[ -z "$(comm -12 "$scratch/gitlab1" "$scratch/gitlab2")" ] || fail "a test ran in both GitLab shards"

commands github >"$scratch/github.sh"
for shard in 0 1; do
  # shellcheck disable=SC2016 # expanded by the inner shell
  run env SHARD=$shard bash -c 'cd "$1" && set -euo pipefail && source "$2"' _ "$app" "$scratch/github.sh"
  expect_rc 0
  expect_line "SUCCESS: all checks passed"
  shard_tests "$app/reports/pgparity-$shard.xml" >"$scratch/github$shard"
done
# Both systems split the same suite the same way.
diff "$scratch/gitlab1" "$scratch/github0" >/dev/null || fail "GitLab shard 1 differs from GitHub shard 0"
diff "$scratch/gitlab2" "$scratch/github1" >/dev/null || fail "GitLab shard 2 differs from GitHub shard 1"
pass
