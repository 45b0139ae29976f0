#!/bin/sh
# tools/install-bench-deps.sh — the peers `make bench-peers` compares adisim
# with: SimGrid (libsimgrid-dev, and g++ for its C++ API) and SimPy
# (python3-simpy; Debian 12 ships SimPy 2.3, run with /usr/bin/python3);
# valgrind, whose callgrind counts bench_floor's instructions per task and
# bench_db's; and strace, whose counts of system calls bench_db reports.
# As root it installs what is missing; otherwise it prints the command.
set -eu
missing=""
for p in libsimgrid-dev python3-simpy g++ valgrind strace; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "install-bench-deps: run: sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends $missing >&2; }
