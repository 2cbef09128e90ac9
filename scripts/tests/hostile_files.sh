#!/usr/bin/env bash
# Files that are not regular files never hang a run or fill memory: a migration that is a FIFO
# or a symlink to /dev/zero, and a manifest that is a FIFO, /dev/zero or a folder, are refused
# with one line naming the file, exit 2, before anything is read. (ctest's TIMEOUT catches a
# hang; each command also runs under `timeout`.)
# shellcheck source-path=SCRIPTDIR source=lib.sh
# The expected messages are regular expressions quoting names in backticks: single quotes on purpose.
# shellcheck disable=SC2016
source "$(dirname "$0")/lib.sh"

proj=$scratch/proj
fresh() {
  rm -rf "$proj"
  cp -R "$repo/suites/testdata/examples/tiny/." "$proj/"
}
pg() { run timeout 20 "$PGPARITY" "$@" --config "$proj/pgparity.yaml"; }
one_error_line() {
  [ "$(grep -c '^pgparity: error: ' <<<"$out")" = 1 ] || fail "expected one error line"
  expect_match "$1"
}

fresh
mkfifo "$proj/migrations/0002_pipe.up.sql"
for command in lint test; do
  pg "$command"
  expect_rc 2
  one_error_line '0002_pipe\.up\.sql: the migration file is a FIFO \(named pipe\), not a regular file'
done

fresh
ln -s /dev/zero "$proj/migrations/0002_zero.up.sql"
pg test
expect_rc 2
one_error_line '0002_zero\.up\.sql: the migration file is a character device, not a regular file'

# Over the size limit (64 MiB): refused before it is read.
fresh
truncate -s 65M "$proj/migrations/0002_huge.up.sql"
pg lint
expect_rc 2
one_error_line '0002_huge\.up\.sql: the migration file is 65 MiB, over pgparity.s limit of 64 MiB'

manifest_is() {
  fresh
  rm "$proj/models.yaml"
  "$@"
  pg lint
  expect_rc 2
}
manifest_is mkfifo "$proj/models.yaml"
one_error_line 'pgparity\.yaml:[0-9]+:[0-9]+: manifest file `models\.yaml` is a FIFO \(named pipe\), not a regular file .*point `manifest:` at a regular file'
manifest_is ln -s /dev/zero "$proj/models.yaml"
one_error_line 'pgparity\.yaml:[0-9]+:[0-9]+: manifest file `models\.yaml` is a character device, not a regular file'
manifest_is mkdir "$proj/models.yaml"
one_error_line 'pgparity\.yaml:[0-9]+:[0-9]+: manifest file `models\.yaml` is a folder, not a file'

# A migrations folder that cannot be walked: one line naming it, not a raw std::filesystem text.
fresh
ln -s loop_b "$proj/loop_a"
ln -s loop_a "$proj/loop_b"
sed -i 's|dir: migrations|dir: loop_a|' "$proj/pgparity.yaml"
pg lint
expect_rc 2
one_error_line 'pgparity\.yaml:[0-9]+:[0-9]+: migrations directory `loop_a` cannot be reached \(Too many levels of symbolic links\)'
fresh
sed -i "s|dir: migrations|dir: $(printf 'x%.0s' $(seq 1 300))|" "$proj/pgparity.yaml"
pg lint
expect_rc 2
one_error_line 'migrations directory `x+` cannot be reached \(File name too long\)'

# The config itself.
fresh
run timeout 20 "$PGPARITY" lint --config /dev/zero
expect_rc 2
one_error_line '^pgparity: error: /dev/zero: the config file is a character device, not a regular file'
pass
