#!/bin/sh
# tools/install-deps.sh — makes sure the Debian packages adisim builds and
# tests with are installed. As root it installs what is missing with apt-get;
# otherwise it prints the exact apt-get line and fails. Run by `make` before
# the first build (build/config.mk depends on it), so a fresh Debian 12
# machine needs nothing but `make`.
set -eu

PACKAGES="pkg-config libgsl-dev libopenblas-dev libsqlite3-dev libinih-dev nettle-dev libcmocka-dev gnuplot-nox openmpi-bin libopenmpi-dev"

if ! command -v dpkg-query >/dev/null 2>&1; then
    # Not Debian: trust pkg-config and say what to look for (OpenBLAS is
    # optional: without it GSL's own CBLAS does the conv kernel's GEMM).
    for m in gsl sqlite3 inih nettle cmocka; do
        pkg-config --exists "$m" 2>/dev/null ||
            { echo "install-deps: pkg-config cannot find '$m'; install GSL, SQLite 3, inih, nettle and cmocka development files" >&2; exit 1; }
    done
    exit 0
fi

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages; run:" >&2
    echo "    sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends $missing >&2; }
