#!/bin/sh
# tools/install-cross-deps.sh — makes sure the cross toolchains and emulators
# that calibrate's other targets need are installed (Debian 12):
#
#   gcc-aarch64-linux-gnu, libc6-dev-arm64-cross   make CROSS=aarch64-linux-gnu-
#   qemu-user (qemu-aarch64)                       runs that build (tests/test_cross.c)
#   gcc-arm-none-eabi, libnewlib-arm-none-eabi     make -C measure/mcu
#   qemu-system-arm                                runs the firmware (tests/test_mcu.c)
#
# As root it installs what is missing with apt-get (about 150 MB to fetch).
# Otherwise, or with --check (which never installs: what `make test` runs), it
# prints the command and exits 3, and the tests that need them skip, saying
# so. `make check` and `make deps-cross` install. Exit 0: all there; 3:
# missing and not installed; other: the installation failed.
set -eu
check=0
[ "${1:-}" = --check ] && check=1

PACKAGES="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm"
TOOLS="aarch64-linux-gnu-gcc qemu-aarch64 arm-none-eabi-gcc arm-none-eabi-size qemu-system-arm"

have_tools() {
    for t in $TOOLS; do command -v "$t" >/dev/null 2>&1 || return 1; done
    # newlib-nano (the firmware links its memcpy and memset)
    [ -n "$(arm-none-eabi-gcc -print-file-name=libc_nano.a | grep /)" ] &&
        [ -f "$(arm-none-eabi-gcc -print-file-name=libc_nano.a)" ]
}

have_tools && exit 0

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-cross-deps: missing one of: $TOOLS (and newlib-nano for arm-none-eabi); install them to run the cross tests" >&2
    exit 3
fi
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ "$check" = 1 ] || [ "$(id -u)" -ne 0 ]; then
    echo "install-cross-deps: the aarch64 and Cortex-M4 tests need packages; install them with" >&2
    echo "    sudo make deps-cross   (or: sudo apt-get install -y --no-install-recommends$missing)" >&2
    exit 3
fi
echo "install-cross-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends $missing >&2; }
have_tools || { echo "install-cross-deps: installed$missing, but a tool is still missing" >&2; exit 1; }
