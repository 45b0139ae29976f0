#!/bin/sh
# tools/check-layers.sh — the library's layers, checked (make test runs it).
#
# The directories of LIB_DIRS in the Makefile are layers, lowest first, and
# cli/ sits on top of them all (HACKING.md). Two rules, over every
# `#include "dir/file.h"` of every .c and .h file in them:
#
#   1. A file includes headers of its own layer and of lower layers only.
#   2. No include cycle between modules, inside a layer or across layers. A
#      module is a file's directory and name without its extension and
#      without an `_int` suffix: sim/sim.c, sim/sim.h and sim/sim_int.h are
#      one module, sim/pool.c another.
#
# Cycles another branch is removing are listed in KNOWN below (as the edge
# that closes each); one that disappeared is reported so the list shrinks.
# Only includes are seen: two files that call each other through one
# header (as plots/draw.c and plots/html.c did through plot.h) are not a
# cycle here.
# Costs: one awk pass over the sources and a tsort, well under a second.
set -eu
cd "$(dirname "$0")/.."

# "from to": an include edge that closes a known cycle, ignored by rule 2
# (none left: check/steady and check/checks share scenario/point.h now).
KNOWN=''

layers=$(sed -n 's/^LIB_DIRS *:= *//p' Makefile)
[ -n "$layers" ] || { echo "check-layers: no LIB_DIRS in the Makefile" >&2; exit 2; }
layers="$layers cli"
files=$(for d in $layers; do find "$d" -name '*.[ch]'; done | sort)

edges=$(awk -v layers="$layers" '
    function layer_of(path,   top) { top = path; sub(/\/.*/, "", top); return top in rank ? rank[top] : -1 }
    function module_of(path) { sub(/\.[ch]$/, "", path); sub(/_int$/, "", path); return path }
    BEGIN { n = split(layers, l, " "); for (i = 1; i <= n; i++) rank[l[i]] = i; bad = 0 }
    /^[ \t]*#[ \t]*include[ \t]*"/ {
        inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
        to = layer_of(inc)
        if (to < 0) next                      # a header outside the layers
        if (to > layer_of(FILENAME)) {
            printf "check-layers: %s:%d includes %s, a higher layer\n", FILENAME, FNR, inc > "/dev/stderr"
            bad = 1
        }
        if (module_of(FILENAME) != module_of(inc)) print module_of(FILENAME), module_of(inc)
    }
    END { exit bad }' $files) && status=0 || status=1

printf '%s\n' "$KNOWN" | while read -r from to; do
    [ -n "$from" ] || continue
    printf '%s\n' "$edges" | grep -qx "$from $to" ||
        echo "check-layers: note: the known cycle edge $from -> $to is gone; drop it from KNOWN"
done
loops=$(printf '%s\n' "$edges" | sort -u | grep -vxF "$KNOWN" | tsort 2>&1 >/dev/null || true)
if [ -n "$loops" ]; then
    echo "check-layers: include cycles between modules (tsort lists each loop):" >&2
    printf '%s\n' "$loops" | sed 's/^tsort: //' >&2
    status=1
fi
[ $status = 0 ] && echo "check-layers: $(printf '%s\n' $layers | wc -l) layers, $(printf '%s\n' $files | wc -l) files: no upward include, no cycle"
exit $status
