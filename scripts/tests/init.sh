#!/usr/bin/env bash
# `pgparity init` on copies of fixture projects with their pgparity.yaml removed: the config it
# writes loads, and `pgparity test` then passes, with the declared side from the ORM (Flask-
# SQLAlchemy, SQLModel), from an existing manifest (goose, sqlx), or from `pgparity snapshot`;
# an existing config is never overwritten, and a project without migrations is refused.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# init_project NAME FIXTURE [rm FILE...]: a copy without its config, init run in it.
init_project() {
  local dir
  dir=$(project "$1" "$2")
  rm -f "$dir/pgparity.yaml"
  shift 2
  for f in "$@"; do rm -f "$dir/$f"; done
  run bash -c 'cd "$1" && "$2" init' _ "$dir" "$PGPARITY"
  expect_rc 0
  echo "$dir"
}
pgparity_in() { run bash -c 'cd "$1" && shift && "$0" "$@"' "$PGPARITY" "$@"; }
# ok_in DIR ARGS...: pgparity ARGS in DIR exits 0.
ok_in() {
  pgparity_in "$@"
  expect_rc 0
}

# Flask-SQLAlchemy: the handle, the model module, an interpreter that imports them.
dir=$(init_project flask orm/flask_saas)
ok_in "$dir" lint
grep -qx '  sqlalchemy: app.extensions:db' "$dir/pgparity.yaml" || fail "no models: target in $(cat "$dir/pgparity.yaml")"
grep -q '^  import: \[app.models\]' "$dir/pgparity.yaml" || fail "no import: in $(cat "$dir/pgparity.yaml")"
ok_in "$dir" test
expect_match "^\[  PASSED  \] [1-9][0-9]* tests\.$"

# SQLModel.
dir=$(init_project sqlmodel orm/sqlmodel_todo_chat)
grep -qx '  sqlalchemy: sqlmodel:SQLModel' "$dir/pgparity.yaml" || fail "SQLModel not found: $(cat "$dir/pgparity.yaml")"
ok_in "$dir" test

# No ORM, a manifest already there (goose layout; sqlx named from its file names).
dir=$(init_project goose layouts/goose)
grep -qx 'manifest: models.yaml' "$dir/pgparity.yaml" || fail "the existing manifest is not used"
ok_in "$dir" test
dir=$(init_project sqlx layouts/sqlx)
grep -q '^  layout: sqlx' "$dir/pgparity.yaml" || fail "sqlx not named: $(cat "$dir/pgparity.yaml")"
ok_in "$dir" lint
expect_match "^migrations ok .*3 sqlx migrations"

# No ORM and no manifest: init names one, prints snapshot then test; both work.
dir=$(project todo examples/todo_chat)
rm "$dir/pgparity.yaml" "$dir/models.yaml"
run bash -c 'cd "$1" && "$2" init' _ "$dir" "$PGPARITY"
expect_rc 0
expect_line "  pgparity snapshot --out models.yaml" "  pgparity test"
ok_in "$dir" migrate
ok_in "$dir" snapshot --out models.yaml
ok_in "$dir" test

# Alembic: alembic.ini found, an interpreter with Alembic named; lint reads the revisions.
dir=$(init_project alembic layouts/alembic)
grep -q '^  alembic: alembic.ini ' "$dir/pgparity.yaml" || fail "alembic.ini not found: $(cat "$dir/pgparity.yaml")"
ok_in "$dir" lint

# Never overwrites; nothing to detect is refused.
before=$(cat "$dir/pgparity.yaml")
pgparity_in "$dir" init
expect_rc 2
expect_line "pgparity: error: pgparity.yaml already exists; pgparity init never overwrites a config (edit it, or remove it first)"
[ "$(cat "$dir/pgparity.yaml")" = "$before" ] || fail "init changed an existing config"
mkdir -p "$scratch/empty"
pgparity_in "$scratch/empty" init
expect_rc 2
expect_match "^pgparity: error: no migrations found in $scratch/empty "
[ ! -e "$scratch/empty/pgparity.yaml" ] || fail "init wrote a config with no migrations"
pass
