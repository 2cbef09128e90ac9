#!/usr/bin/env bash
# Installs (or removes) the git pre-commit hook that runs the pre-commit check on what is about
# to be committed. Installed as `pgparity-install-hook` (docs/install.md); in a checkout,
# scripts/install-git-hook.sh. See docs/pre-commit.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: pgparity-install-hook [--full] [--config FILE] [--worktree] [--force] [--repo DIR]
       pgparity-install-hook --uninstall [--repo DIR]

Installs a git pre-commit hook that runs pgparity-pre-commit-check and refuses the commit
when it fails. The hook checks the staged files (what the commit will contain), copied to
a temporary directory, so a migration that was never `git add`ed cannot make it pass.
The hook runs the pgparity found now ($PGPARITY, the one installed beside this script, or
`pgparity` on PATH), by its absolute path; it never builds pgparity and writes nothing into
the repository but what pgparity.yaml asks for (junit_xml).

  --full         run the database suites too (pre-commit-check.sh --full); default: the
                 fast static checks only
  --config FILE  the project config, relative to the repository root (default: found by
                 pre-commit-check.sh: ./pgparity.yaml, or the only one git tracks)
  --worktree     check the working tree instead of the staged files
  --force        replace a pre-commit hook that pgparity did not install (it is kept as
                 pre-commit.pgparity-backup and restored by --uninstall)
  --uninstall    remove the hook installed by this script (restoring any backup)
  --repo DIR     the git repository (default: the one containing the current directory)

Respects core.hooksPath. Re-running replaces pgparity's own hook without --force.
Skip the hook for one commit with `git commit --no-verify`.
EOF
}

# die MESSAGE [CODE]: exit 2 (usage) unless CODE says otherwise.
die() {
  echo "install-git-hook: error: $1" >&2
  exit "${2:-2}"
}

marker="# pgparity-pre-commit-hook: installed by scripts/install-git-hook.sh"
full=0 force=0 uninstall=0 worktree=0 repo=. config=
while [ $# -gt 0 ]; do
  case $1 in
    --full) full=1 ;;
    --force) force=1 ;;
    --uninstall) uninstall=1 ;;
    --worktree) worktree=1 ;;
    --repo | --config)
      [ $# -ge 2 ] || die "$1 needs a value"
      if [ "$1" = --repo ]; then repo=$2; else config=$2; fi
      shift
      ;;
    --repo=*) repo=${1#--repo=} ;;
    --config=*) config=${1#--config=} ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option \`$1'; run with --help for the options" ;;
  esac
  shift
done

top=$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null) ||
  die "$repo is not inside a git work tree; pass --repo DIR"

# core.hooksPath, when set, replaces .git/hooks; a relative one is relative to the top level.
hooks_dir=$(git -C "$top" config --get core.hooksPath || true)
if [ -z "$hooks_dir" ]; then
  hooks_dir=$(cd "$top" && git rev-parse --git-path hooks)
fi
case $hooks_dir in
  /*) ;;
  "~"/*) hooks_dir=$HOME/${hooks_dir#"~"/} ;;
  *) hooks_dir=$top/$hooks_dir ;;
esac
hook=$hooks_dir/pre-commit
backup=$hook.pgparity-backup

ours() { [ -f "$hook" ] && grep -qxF "$marker" "$hook"; }

if [ "$uninstall" = 1 ]; then
  if [ ! -e "$hook" ]; then
    echo "install-git-hook: no pre-commit hook in $hooks_dir; nothing to remove"
    exit 0
  fi
  ours || die "$hook was not installed by pgparity; leaving it alone (remove it by hand)" 1
  rm -f "$hook"
  if [ -f "$backup" ]; then
    mv "$backup" "$hook"
    echo "install-git-hook: removed the pgparity hook; restored the previous hook from $backup"
  else
    echo "install-git-hook: removed $hook"
  fi
  exit 0
fi

self_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# Installed, the check is beside us; in a checkout (scripts/), it is bin/pre-commit-check.sh.
if [ -x "$self_dir/pgparity-pre-commit-check" ]; then
  check=$self_dir/pgparity-pre-commit-check
else
  check=$(cd "$self_dir/.." && pwd)/bin/pre-commit-check.sh
fi
[ -x "$check" ] || die "$check is missing or not executable" 3

# The pgparity binary the hook runs, as an absolute path: $PGPARITY, the one installed beside
# us, or pgparity on PATH. A checkout's bin/pgparity builds itself: it is asked for the binary it
# runs (building it now, visibly, if it must), so that the hook itself never builds.
find_pgparity() {
  local cmd=
  if [ -n "${PGPARITY:-}" ]; then
    cmd=$(command -v "$PGPARITY") || die "PGPARITY=$PGPARITY is not a command; fix or unset it" 3
  elif [ -x "$self_dir/pgparity" ] && [ "$(basename "$check")" = pgparity-pre-commit-check ]; then
    cmd=$self_dir/pgparity
  elif cmd=$(command -v pgparity); then
    :
  elif [ -x "$self_dir/../bin/pgparity" ]; then
    cmd=$self_dir/../bin/pgparity
  else
    die "pgparity not found: install it (docs/install.md), put it on PATH or set PGPARITY=/path/to/pgparity" 3
  fi
  cmd=$(readlink -f "$cmd")
  if [ "$(head -c 2 "$cmd")" = "#!" ] && grep -q '^# pgparity-checkout-wrapper' "$cmd"; then
    cmd=$(PGPARITY_DEV_PRINT_EXE=1 "$cmd") || die "$cmd could not build pgparity" 3
  fi
  [ -x "$cmd" ] || die "$cmd is not executable" 3
  echo "$cmd"
}

if [ -n "$config" ] && [ ! -f "$top/$config" ]; then
  die "$top/$config does not exist; --config is relative to the repository root"
fi


if [ -e "$hook" ] && ! ours; then
  [ "$force" = 1 ] ||
    die "$hook exists and was not installed by pgparity; pass --force to replace it (it is kept as $backup)" 1
  [ ! -e "$backup" ] || die "$backup already exists; move it away first" 1
fi
pgparity=$(find_pgparity)
if [ -e "$hook" ] && ! ours; then
  mv "$hook" "$backup"
  echo "install-git-hook: kept the previous hook as $backup"
fi

mkdir -p "$hooks_dir"
tmp=$(mktemp "$hooks_dir/.pre-commit.XXXXXX")
{
  cat <<EOF
#!/usr/bin/env bash
$marker
# Runs the pgparity pre-commit check; a failure refuses the commit. Skip once with
# \`git commit --no-verify\`; remove with pgparity-install-hook --uninstall.
set -euo pipefail
check=\${PGPARITY_PRE_COMMIT_CHECK:-$(printf '%q' "$check")}
pgparity=$(printf '%q' "$pgparity")  # recorded at install time; never built by this hook
full=$full      # 1: also the database suites (--full)
worktree=$worktree  # 1: check the working tree, not the staged files
config=$(printf '%q' "$config")
EOF
  cat <<'EOF'

# Installed elsewhere since (a package upgrade moved it)? Then the ones on PATH.
if [ ! -x "$check" ]; then
  check=$(command -v pgparity-pre-commit-check) ||
    { echo "pre-commit: pgparity-pre-commit-check not found; reinstall the hook (pgparity-install-hook)" >&2; exit 3; }
fi
if [ ! -x "$pgparity" ]; then
  pgparity=$(command -v pgparity) ||
    { echo "pre-commit: pgparity not found; install it or reinstall the hook (pgparity-install-hook)" >&2; exit 3; }
fi
export PGPARITY=$pgparity

args=()
[ "$full" = 1 ] && args+=(--full)
top=$(git rev-parse --show-toplevel)
if [ -z "$config" ] && [ ! -f "$top/pgparity.yaml" ]; then
  # The one pgparity.yaml git knows about, if there is exactly one.
  found=$(git ls-files -- '*/pgparity.yaml')
  [ -z "$found" ] || [ "$(printf '%s\n' "$found" | wc -l)" != 1 ] || config=$found
fi

if [ "$worktree" = 1 ]; then
  cd "$top"
  [ -z "$config" ] || args+=(--config "$top/$config")
  exec "$check" "${args[@]}"
fi

# Check exactly what will be committed: the index, copied out. (Only in the pgparity
# repository itself, Part B runs the unit tests of the working tree's build directory.)
snapshot=$(mktemp -d "${TMPDIR:-/tmp}/pgparity-pre-commit.XXXXXX")
trap 'rm -rf "$snapshot"' EXIT
git checkout-index --all --prefix="$snapshot/"
export PGPARITY_HOOK_REPO=$top
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
cd "$snapshot"
[ -z "$config" ] || args+=(--config "$snapshot/$config")
# Messages name files as they are in the repository, not in the temporary copy.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then export CLICOLOR_FORCE=1; fi
rc=0
"$check" "${args[@]}" 2>&1 | while IFS= read -r line; do
  printf '%s\n' "${line//"$snapshot"/"$top"}"
done || rc=$?
[ "$rc" = 0 ] || echo "pre-commit: pgparity checks failed; commit refused (git commit --no-verify skips them)" >&2
exit "$rc"
EOF
} >"$tmp"
chmod +x "$tmp"
mv "$tmp" "$hook"
mode=fast
[ "$full" = 1 ] && mode="full (--full: database suites included)"
echo "install-git-hook: installed $hook ($mode)"
echo "install-git-hook: it runs $pgparity"
