#!/usr/bin/env bash
# Installs what pgparity needs from Debian (only what is missing), then configures and builds.
# Idempotent: a second run installs nothing and rebuilds only what changed.
#   scripts/bootstrap.sh            install + configure + build into ./build
#   scripts/bootstrap.sh --deps     install only
# Environment: PGPARITY_BUILD_DIR (default <repo>/build), PGPARITY_QUIET=1 for less output.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${PGPARITY_BUILD_DIR:-$repo/build}
packages=(build-essential cmake pkg-config libpqxx-dev libyaml-cpp-dev libfmt-dev googletest
          libgtest-dev postgresql-15 postgresql-contrib postgresql-15-pgtap
          libtap-parser-sourcehandler-pgtap-perl python3 git
          # the package tests: cpack's DEB generator (dpkg-shlibdeps, objdump) and the
          # pre-commit framework's try-repo
          dpkg-dev binutils file pre-commit
          # SQLAlchemy for the `models:` exporter, Alembic for `migrations: {alembic:}`, and their
          # fixtures (Debian's /usr/bin/python3)
          python3-alembic alembic python3-sqlalchemy python3-flask-sqlalchemy python3-sqlmodel python3-psycopg2)

say() { [ "${PGPARITY_QUIET:-0}" = 1 ] || echo "bootstrap: $*" >&2; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bootstrap: missing Debian packages: ${missing[*]}" >&2
    echo "bootstrap: install them as root: apt-get install -y ${missing[*]}" >&2
    exit 3
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The postgresql package would create and start a system cluster; pgparity never uses it.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/pgparity.conf
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# As root, the disposable server runs as this unprivileged account of its own (never the shared
# `postgres` one; docs/troubleshooting.md). pgparity creates it too when missing.
if [ "$(id -u)" = 0 ] && ! getent passwd pgparity >/dev/null; then
  say "creating the system account pgparity"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin --comment "pgparity disposable PostgreSQL servers" pgparity
fi

[ "${1:-}" = --deps ] && exit 0

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  say "configuring $build_dir"
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPGPARITY_WERROR=ON >/dev/null
fi
say "building"
cmake --build "$build_dir" -j "$(nproc)" -- --no-print-directory >/dev/null ||
  cmake --build "$build_dir" -j 1
