#!/usr/bin/env bash
# The git pre-commit hook in a scratch repository: a commit that breaks the schema against the
# manifest is refused (HEAD unchanged), a fixing one passes; only staged files count; a foreign
# hook is refused without --force, kept as a backup with it, and restored on --uninstall.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

app=$(project app examples/todo_chat)
hook=$app/.git/hooks/pre-commit
git_in() { git -C "$app" "$@"; }

run "$install_hook" --full --repo "$app"
expect_rc 0
expect_line "install-git-hook: installed $hook (full (--full: database suites included))"
[ -x "$hook" ] || fail "no executable hook at $hook"

# 1. The good project commits.
git_in add -A
run git -C "$app" commit -q -m "todo + chat schema"
expect_rc 0
expect_match "^Part C: Database suites  PASS \([1-9][0-9]* tests\)$"
expect_line "SUCCESS: all checks passed"
good_head=$(git_in rev-parse HEAD)

# 2. A migration that drops a declared column: refused, HEAD unchanged.
cat >"$app/migrations/0003_drop_task_description.up.sql" <<'SQL'
ALTER TABLE tasks DROP COLUMN description;
SQL
cat >"$app/migrations/0003_drop_task_description.down.sql" <<'SQL'
ALTER TABLE tasks ADD COLUMN description varchar(1000);
SQL
git_in add migrations
run git -C "$app" commit -q -m "drop tasks.description"
[ "$rc" != 0 ] || fail "the commit that breaks the schema was not refused"
expect_match "^\[  FAILED  \] Columns/Match\.Check/Task"
# File names in messages are the repository's, not those of the hook's temporary copy.
expect_match "^  declared at $app/models\.yaml:[0-9]+:[0-9]+$"
expect_no_match "pgparity-pre-commit\."
expect_line "FAILED: Part C (exit 1)" \
  "pre-commit: pgparity checks failed; commit refused (git commit --no-verify skips them)"
[ "$(git_in rev-parse HEAD)" = "$good_head" ] || fail "HEAD moved after a refused commit"

# 3. The fix only in the working tree (not staged): still refused, the hook checks the index.
cat >"$app/migrations/0004_restore_task_description.up.sql" <<'SQL'
ALTER TABLE tasks ADD COLUMN description varchar(1000);
SQL
cat >"$app/migrations/0004_restore_task_description.down.sql" <<'SQL'
ALTER TABLE tasks DROP COLUMN description;
SQL
run git -C "$app" commit -q -m "drop tasks.description"
[ "$rc" != 0 ] || fail "an unstaged fix let the broken commit through"
[ "$(git_in rev-parse HEAD)" = "$good_head" ] || fail "HEAD moved after a refused commit"

# 4. Staged, the fix passes.
git_in add migrations
run git -C "$app" commit -q -m "drop and restore tasks.description"
expect_rc 0
expect_line "SUCCESS: all checks passed"
[ "$(git_in rev-parse HEAD)" != "$good_head" ] || fail "the fixing commit did not land"

# 5. Re-installing our own hook needs no --force; the fast hook refuses a bad config.
run "$install_hook" --repo "$app"
expect_rc 0
expect_line "install-git-hook: installed $hook (fast)"
sed -i 's/^manifest:/manifets:/' "$app/pgparity.yaml"
git_in add pgparity.yaml
run git -C "$app" commit -q -m "typo"
[ "$rc" != 0 ] || fail "the fast hook let a bad config through"
expect_line "Part A: Static checks    FAIL (exit 2)" "Part C: Database suites  SKIP (use --full)"
git_in checkout -q HEAD -- pgparity.yaml

# 6. Uninstall removes it.
run "$install_hook" --uninstall --repo "$app"
expect_rc 0
expect_line "install-git-hook: removed $hook"
[ ! -e "$hook" ] || fail "hook still there after --uninstall"

# 7. A foreign hook: refused without --force, backed up with it, restored on --uninstall.
printf '#!/bin/sh\necho foreign hook\n' >"$hook" && chmod +x "$hook"
run "$install_hook" --repo "$app"
expect_rc 1
expect_line "install-git-hook: error: $hook exists and was not installed by pgparity; pass --force to replace it (it is kept as $hook.pgparity-backup)"
grep -qx 'echo foreign hook' "$hook" || fail "the foreign hook was changed"
run "$install_hook" --uninstall --repo "$app"
expect_rc 1
expect_line "install-git-hook: error: $hook was not installed by pgparity; leaving it alone (remove it by hand)"
[ -e "$hook" ] || fail "--uninstall removed a foreign hook"

run "$install_hook" --force --repo "$app"
expect_rc 0
expect_line "install-git-hook: kept the previous hook as $hook.pgparity-backup" \
  "install-git-hook: installed $hook (fast)"
grep -qx 'echo foreign hook' "$hook.pgparity-backup" || fail "no backup of the foreign hook"
run "$install_hook" --uninstall --repo "$app"
expect_rc 0
expect_line "install-git-hook: removed the pgparity hook; restored the previous hook from $hook.pgparity-backup"
grep -qx 'echo foreign hook' "$hook" || fail "the foreign hook was not restored"
[ ! -e "$hook.pgparity-backup" ] || fail "backup left behind"
rm "$hook"

# 8. core.hooksPath is respected (relative to the top level), from a subdirectory too.
git_in config core.hooksPath .githooks
run bash -c 'cd "$1/migrations" && "$2"' _ "$app" "$install_hook"
expect_rc 0
expect_line "install-git-hook: installed $app/.githooks/pre-commit (fast)"
[ ! -e "$hook" ] || fail "installed into .git/hooks despite core.hooksPath"
echo "-- a comment" >>"$app/migrations/0004_restore_task_description.up.sql"
git_in add migrations
run git -C "$app" commit -q -m "comment"
expect_rc 0
expect_line "Part A: Static checks    PASS" "SUCCESS: all checks passed"
pass
