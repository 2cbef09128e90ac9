#!/usr/bin/env bash
# The framework's own tests: bootstrap (install, configure, build), then every ctest test.
# Extra arguments go to ctest (e.g. -L unit, -R cluster).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/scripts/bootstrap.sh"
cd "${PGPARITY_BUILD_DIR:-$repo/build}"
exec ctest --output-on-failure -j 2 "$@"
