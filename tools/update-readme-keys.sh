#!/bin/sh
# tools/update-readme-keys.sh — replaces README's scenario key table (between
# <!-- keys:begin --> and <!-- keys:end -->) with `bin/simulate --list-keys`,
# the table generated from scenario/keys.h. tests/test_cli.c fails when the
# two differ. Usage: tools/update-readme-keys.sh [BINDIR]
set -eu
cd "$(dirname "$0")/.."
bin=${1:-bin}
keys=$(mktemp)
trap 'rm -f "$keys" README.md.tmp' EXIT
"$bin/simulate" --list-keys > "$keys"
awk -v keys="$keys" '
    /<!-- keys:end -->/ { skipping = 0 }
    !skipping { print }
    /<!-- keys:begin -->/ { while ((getline line < keys) > 0) print line; skipping = 1 }
' README.md > README.md.tmp
mv README.md.tmp README.md
