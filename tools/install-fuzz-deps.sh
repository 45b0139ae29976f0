#!/bin/sh
# tools/install-fuzz-deps.sh — clang with libFuzzer and its sanitizer
# runtimes, for `make fuzz` (tests/fuzz). As root it installs what is
# missing with apt-get; otherwise it prints the apt-get line and fails.
set -eu
PACKAGES="clang libclang-rt-14-dev"
if command -v clang >/dev/null 2>&1 &&
   ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-fuzz-deps: install clang with libFuzzer (compiler-rt)" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-fuzz-deps: missing packages; run:" >&2
    echo "    sudo apt-get install -y --no-install-recommends $PACKAGES" >&2
    exit 1
fi
echo "install-fuzz-deps: installing $PACKAGES" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $PACKAGES >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends $PACKAGES >&2; }
