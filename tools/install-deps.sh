#!/bin/sh
# tools/install-deps.sh — the Debian packages adisim builds and tests with.
#
#   tools/install-deps.sh          as root: installs what is missing (apt-get);
#                                  otherwise prints the exact command and fails
#   tools/install-deps.sh --check  installs nothing: exit 0 when all are there,
#                                  else names the missing ones and the one
#                                  command that installs them, and exits 1
#
# `make` runs --check before the first build (build/config.mk depends on this
# file); `make deps`, `make demo` and `make check` run the installing form, so
# README's two commands set up a fresh Debian 12 machine.
set -eu

# iproute2 (ip, tc): tests/test_cli_link.c shapes a veth pair between two network
# namespaces (Debian has it in standard installs, not in minimal images)
PACKAGES="pkg-config libgsl-dev libopenblas-dev libsqlite3-dev libinih-dev nettle-dev libcmocka-dev gnuplot-nox openmpi-bin libopenmpi-dev help2man iproute2"
check=0
[ "${1:-}" = --check ] && check=1

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

if [ "$check" = 1 ]; then
    echo "adisim needs packages that are not installed:$missing" >&2
    if [ "$(id -u)" -eq 0 ]; then
        echo "install them with:  make deps" >&2
    else
        echo "install them with:  sudo make deps   (or: sudo apt-get install -y --no-install-recommends$missing)" >&2
    fi
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages; run:" >&2
    echo "    sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends $missing >&2; }
