#!/bin/sh
# tools/man-program.sh BIN VERSION — the manual page (roff) of one of adisim's
# programs, made by help2man from its own --help and --version, so the page
# says what the program says. Installed as adisim-NAME(1) (make install).
set -eu
bin=$1 version=$2
prog=$(basename "$bin")
case $prog in
simulate)  what="run a scenario's sweep, check every run against the analytic model, store it" ;;
model)     what="the analytic model of a pool: throughput and makespan bounds, exact queueing results" ;;
capacity)  what="the largest arrival rate each pool sustains within a latency bound" ;;
calibrate) what="time real kernels on this machine and write a device profile" ;;
plot)      what="draw a scenario's figures from the results database with gnuplot" ;;
execute)   what="run a calibrated scenario for real on this machine and report the prediction error" ;;
*)         echo "man-program.sh: no description for '$prog': add one" >&2; exit 1 ;;
esac
see=$(mktemp)
trap 'rm -f "$see"' EXIT
{
    echo "[SEE ALSO]"
    for p in simulate model capacity calibrate plot execute; do
        [ "$p" = "$prog" ] || printf '.BR adisim-%s (1),\n' "$p"
    done
    echo ".BR adisim-scenario (5)"
    echo ".PP"
    echo "README.md and docs/ in the adisim sources."
} > "$see"
upper=$(echo "adisim-$prog" | tr a-z A-Z)
help2man --no-info --no-discard-stderr --section=1 --name="$what" \
    --version-string="$version" --include="$see" "$bin" |
    sed -e "s/^\.TH [^ ]*/.TH $upper/" -e "s/^$prog \\\\- /adisim-$prog \\\\- /"
