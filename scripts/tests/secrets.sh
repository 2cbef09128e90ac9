#!/usr/bin/env bash
# No output of any command shows a password: rejected `database:` values, libpq's parse errors,
# failed connections, `migrate --keep`'s psql line and DATABASE_URL, test and report runs on an
# external server that asks for a password (a real PostgreSQL with scram-sha-256).
# shellcheck source-path=SCRIPTDIR source=lib.sh
# The expected messages are regular expressions quoting values in backticks: single quotes on purpose.
# shellcheck disable=SC2016
source "$(dirname "$0")/lib.sh"

secret_a=S3cret secret_b=PW0rd
password="$secret_a@$secret_b"
all_output=""
# no_secret: neither half of the password, nor its encoded form, is in the last output.
no_secret() {
  all_output+=$out
  if grep -qE -- "$secret_a|$secret_b" <<<"$out"; then fail "the password is printed"; fi
}

proj=$scratch/proj
cp -R "$repo/suites/testdata/examples/tiny/." "$proj/"
config() { printf 'manifest: models.yaml\nmigrations:\n  dir: migrations\ndatabase: %s\n' "$1" \
  >"$proj/pgparity.yaml"; }

# Rejected values: echoed with the password masked, exit 2.
config "'postgress://u:$password@h/a'"
run "$PGPARITY" lint --config "$proj/pgparity.yaml"
expect_rc 2; no_secret; expect_match 'pgparity.yaml:4:[0-9]+: .*`postgress://u:\*\*\*@h/a`'
config "'host=h password=$password dbname=a'"
run "$PGPARITY" test --config "$proj/pgparity.yaml"
expect_rc 2; no_secret; expect_match 'password=\*\*\*'
# libpq's own parse error quotes the URL.
config "'postgresql://u:$secret_a$secret_b@[::1/a'"
run "$PGPARITY" test --config "$proj/pgparity.yaml"
expect_rc 2; no_secret; expect_match 'invalid database URL postgresql://u:\*\*\*@\[::1/a: .*"postgresql://u:\*\*\*@\[::1/a"'

srv=$scratch/srv
start_password_server "$srv" "$password"
encoded="$secret_a%40$secret_b"
config "env:DATABASE_URL"

# A wrong password with an unencoded `@`: masked whole, exit 3.
export DATABASE_URL="postgresql://admin:$secret_b@$secret_a@/postgres?host=$srv"
run "$PGPARITY" test --config "$proj/pgparity.yaml"
expect_rc 3; no_secret; expect_match 'cannot connect to postgresql://admin:\*\*\*@/postgres'

export DATABASE_URL="postgresql://admin:$encoded@/postgres?host=$srv"
run "$PGPARITY" test --config "$proj/pgparity.yaml"
expect_rc 0; no_secret
run "$PGPARITY" report --config "$proj/pgparity.yaml" --format json
expect_rc 0; no_secret
run "$PGPARITY" snapshot --config "$proj/pgparity.yaml" --out "$scratch/snap.yaml"
expect_rc 0; no_secret
# pgparity clean names the server in every line it prints about a database.
run "$PGPARITY" clean --database "$DATABASE_URL" --older-than 1d
expect_rc 0; no_secret; expect_match '^clean: removed '
run "$PGPARITY" clean --database "postgresql://admin:$secret_b@$secret_a@/postgres?host=$srv"
expect_rc 3; no_secret; expect_match 'cannot connect to postgresql://admin:\*\*\*@/postgres'

# migrate --keep: the printed lines connect (with the password from PGPASSWORD) and hold none.
"$PGPARITY" migrate --keep --config "$proj/pgparity.yaml" >"$scratch/keep.log" 2>&1 &
keep=$!
for _ in $(seq 1 600); do
  grep -q 'press Ctrl-C' "$scratch/keep.log" && break
  kill -0 "$keep" 2>/dev/null || break
  sleep 0.1
done
out=$(cat "$scratch/keep.log")
psql_line=$(sed -n 's/^  psql "\(.*\)"$/\1/p' "$scratch/keep.log")
url=$(sed -n 's/^or set DATABASE_URL=//p' "$scratch/keep.log")
if [ -z "$psql_line" ] || [ -z "$url" ]; then fail "no psql line or DATABASE_URL"; fi
expect_match 'password not shown'
PGPASSWORD=$password psql -XtAc 'SELECT 1' "$psql_line" | grep -qx 1 || fail "psql line does not connect"
PGPASSWORD=$password psql -XtAc 'SELECT 1' "$url" | grep -qx 1 || fail "DATABASE_URL does not connect"
kill -TERM "$keep"
wait "$keep" || { rc=$?; fail "migrate --keep exited $rc after SIGTERM"; }
out=$(cat "$scratch/keep.log")
no_secret

# Every throwaway database was dropped.
left=$(PGPASSWORD=$password psql -XtAc "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgparity\_%'" \
  "host=$srv user=admin dbname=postgres")
[ "$left" = 0 ] || fail "$left pgparity_* databases left on the server"
[ -n "$all_output" ] || fail "no output captured"
pass
