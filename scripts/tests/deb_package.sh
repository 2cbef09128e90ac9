#!/usr/bin/env bash
# The Debian packages as a user gets them: cpack builds them from this build, dpkg-deb unpacks
# them into a scratch root (no source tree, no build directory on PATH), and the unpacked
# commands run a user's journey in a scratch application repository: --version, `pgparity test`
# on a SQL project and on SQLAlchemy models, the git hook installed from the package refusing a
# bad commit and accepting a good one, and nothing left behind in the repository. The control
# fields are checked too: every shared library the binary needs is in `Depends`.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

for tool in cpack dpkg-deb dpkg-shlibdeps objdump; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing (cmake, dpkg-dev, binutils)"; exit 77; }
done
version=$("$PGPARITY" --version | sed -n 's/^pgparity //p')
[ -n "$version" ] || fail "no version from $PGPARITY --version"
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)

# 1. Build the packages (cpack installs this build into its own staging directory).
pkg=$scratch/pkg
started=$SECONDS
run cpack -G DEB -B "$pkg" --config "$PGPARITY_BUILD_DIR/CPackConfig.cmake"
expect_rc 0
echo "cpack: $((SECONDS - started)) s"
deb=$pkg/pgparity_${version}_$arch.deb
dev=$pkg/pgparity-dev_${version}_$arch.deb
[ -f "$deb" ] || fail "no $deb"
[ -f "$dev" ] || fail "no $dev"
ls -l "$deb" "$dev"

# 2. The control fields.
field() { dpkg-deb -f "$1" "$2"; }
depends=$(field "$deb" Depends)
echo "Depends: $depends"
# has_dep PACKAGE: Depends names it (alone, versioned, or as an alternative).
has_dep() { tr ',|' '\n' <<<"$depends" | awk '{ print $1 }' | grep -qxF -- "$1"; }
for p in libpqxx-6.4 libyaml-cpp0.7 libfmt9 libpq5 libstdc++6 libc6; do
  has_dep "$p" || fail "Depends lacks $p: $depends"
done
grep -qE '(^|, )postgresql-15 \| postgresql(,|$)' <<<"$depends" ||
  fail "Depends lacks \`postgresql-15 | postgresql\`: $depends"
grep -qE '(^|, )python3(,|$)' <<<"$(field "$deb" Recommends)" || fail "python3 is not recommended"
grep -qF "pgparity (= $version)" <<<"$(field "$dev" Depends)" || fail "pgparity-dev does not depend on pgparity (= $version)"

# 3. Unpacked: the files, and every library the binary needs is in a package Depends names.
root=$scratch/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/pgparity usr/bin/pgparity-pre-commit-check usr/bin/pgparity-install-hook \
         usr/share/doc/pgparity/quickstart.md usr/share/doc/pgparity/CHANGELOG.md \
         usr/share/pgparity/exporters/sqlalchemy_export.py; do
  [ -e "$root/$f" ] || fail "the pgparity package lacks /$f"
done
[ -z "$(find "$root" -name '*.a' -o -name '*.h' | head -1)" ] || fail "the runtime package holds libraries or headers"
dpkg-deb -x "$dev" "$root"
[ -f "$root/usr/lib/cmake/pgparity/pgparityConfig.cmake" ] || fail "pgparity-dev lacks the CMake package"
[ -f "$root/usr/include/pgparity/harness/database_test.h" ] || fail "pgparity-dev lacks the headers"
for lib in $(objdump -p "$root/usr/bin/pgparity" | awk '$1 == "NEEDED" { print $2 }'); do
  owner=$(dpkg -S "*/$multiarch/$lib" 2>/dev/null | grep -v '^diversion' | head -1 | cut -d: -f1) ||
    true
  [ -n "$owner" ] || fail "no Debian package owns $lib"
  has_dep "$owner" || fail "the binary needs $lib (package $owner), which Depends does not name: $depends"
done

# 4. The unpacked commands, with nothing of the source tree: PATH holds only the package's.
unset PGPARITY PGPARITY_BUILD_DIR
export PATH=$root/usr/bin:/usr/bin:/bin
run pgparity --version
expect_rc 0
expect_line "pgparity $version"

app=$(project app examples/todo_chat)
run bash -c 'cd "$1" && pgparity test' _ "$app"
expect_rc 0
expect_match "^\[  PASSED  \] [1-9][0-9]* tests\.$"
# The SQLAlchemy exporter ships inside the binary: an ORM project works from the package too.
orm=$(project orm orm/flask_saas)
run bash -c 'cd "$1" && pgparity test' _ "$orm"
expect_rc 0
expect_match "^\[  PASSED  \] [1-9][0-9]* tests\.$"

# ... and so does the Alembic driver: lint reads the revisions through Alembic's own API.
alembic=$(project alembic layouts/alembic)
run bash -c 'cd "$1" && pgparity lint' _ "$alembic"
expect_rc 0
expect_match "^migrations ok .*\(4 alembic migrations, "

# 5. The hook from the package: records the unpacked pgparity, refuses a bad commit, lets a good
# one through, and leaves nothing in the repository.
run bash -c 'cd "$1" && pgparity-install-hook --full' _ "$app"
expect_rc 0
expect_line "install-git-hook: it runs $root/usr/bin/pgparity"
grep -qF "check=\${PGPARITY_PRE_COMMIT_CHECK:-$root/usr/bin/pgparity-pre-commit-check}" "$app/.git/hooks/pre-commit" ||
  fail "the hook does not run the package's pgparity-pre-commit-check"
! grep -q PGPARITY_BUILD_DIR "$app/.git/hooks/pre-commit" || fail "the hook still sets PGPARITY_BUILD_DIR"
git -C "$app" add -A
started=$SECONDS
run git -C "$app" commit -q -m "todo + chat"
expect_rc 0
expect_line "SUCCESS: all checks passed"
echo "good commit with the --full hook: $((SECONDS - started)) s"
left=$(git -C "$app" status --porcelain --ignored)
[ -z "$left" ] || fail "pgparity left files in the repository: $left"
printf 'ALTER TABLE tasks DROP COLUMN description;\n' >"$app/migrations/0003_drop.up.sql"
printf 'ALTER TABLE tasks ADD COLUMN description varchar(1000);\n' >"$app/migrations/0003_drop.down.sql"
git -C "$app" add migrations
run git -C "$app" commit -q -m "drop tasks.description"
[ "$rc" != 0 ] || fail "the hook let a commit that drops a declared column through"
expect_match "^\[  FAILED  \] Columns/Match\.Check/Task"
left=$(git -C "$app" status --porcelain --ignored | grep -v '^A  migrations/0003_drop\.' || true)
[ -z "$left" ] || fail "pgparity left files in the repository: $left"
[ ! -e "$app/build" ] || fail "something built into the application's repository"
pass
