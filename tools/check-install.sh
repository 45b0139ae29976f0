#!/bin/sh
# tools/check-install.sh BUILD — `make install` into a staging folder puts
# every program under its prefixed name with its manual page, the installed
# programs run, and `make uninstall` takes everything away again. Run by
# `make check`.
set -eu
cd "$(dirname "$0")/.."
build=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make -s --no-print-directory install DESTDIR="$stage" PREFIX=/usr BUILD="$build" >/dev/null
for p in simulate model capacity calibrate plot execute; do
    [ -x "$stage/usr/bin/adisim-$p" ] || { echo "check-install: adisim-$p not installed" >&2; exit 1; }
    [ -s "$stage/usr/share/man/man1/adisim-$p.1" ] || { echo "check-install: no adisim-$p(1)" >&2; exit 1; }
    "$stage/usr/bin/adisim-$p" --version >/dev/null
done
[ -s "$stage/usr/share/man/man5/adisim-scenario.5" ] || { echo "check-install: no adisim-scenario(5)" >&2; exit 1; }
make -s --no-print-directory uninstall DESTDIR="$stage" PREFIX=/usr BUILD="$build" >/dev/null
left=$(find "$stage" -type f | head -5)
[ -z "$left" ] || { echo "check-install: uninstall left $left" >&2; exit 1; }
echo "install and uninstall: ok"
