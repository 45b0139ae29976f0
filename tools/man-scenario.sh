#!/bin/sh
# tools/man-scenario.sh SIMULATE VERSION — adisim-scenario(5), the scenario
# file format, from the key table `simulate --list-keys` prints (generated
# from scenario/keys.h, like README's table): one entry per key.
set -eu
bin=$1 version=$2
cat <<EOT
.TH ADISIM-SCENARIO 5 "" "adisim $version" "File Formats"
.SH NAME
adisim-scenario \\- the scenario files adisim-simulate(1) and adisim-model(1) read
.SH DESCRIPTION
A scenario is an INI file with sections
.BR [scenario] ,
.BR [devices] ,
.BR [workload] ,
.BR [queue]
and
.BR [sweep] .
Times take a unit (s, ms, us, ns); a bare number is seconds. Rates are per
second (200, 200/s, 0.2/ms). Counts accept 1e6. Comments start with ; or #.
A list too long for one line continues on indented lines. A key that can be
swept goes in [sweep] instead of its own section, as a comma list; the run is
the Cartesian product of the lists. A bad file gets one message naming file,
line and key, exit status 2, and nothing is written.
.SH KEYS
EOT
# rows: | section | `key` | `sweep` | default | meaning |
"$bin" --list-keys | awk -F' [|] ' '
    NR > 2 {
        section = substr($1, 3); key = $2; sweep = $3; def = $4; help = $5
        sub(/ [|]$/, "", help)
        gsub(/`/, "", key); gsub(/`/, "", sweep)
        gsub(/\\/, "\\\\", help); gsub(/^[.'\'']/, "\\\\\\&&", help)
        printf ".TP\n.B [%s] %s\n", section, key
        extra = ""
        if (def != "") extra = "Default: " def "."
        if (sweep != "") extra = extra (extra != "" ? " " : "") "Swept as [sweep] " sweep "."
        print help (extra != "" ? " " extra : "")
    }'
cat <<'EOT'
.SH EXAMPLE
.nf
[scenario]
name = ablation
replications = 10

[devices]
mean_time = 50ms
distribution = lognormal
cv = 0.1

[workload]
tasks = 10000

[sweep]
policy = pull, sync, serial
devices = 2, 4, 8, 16
queue_capacity = inf, 1000, 100
heterogeneity = 0, 0.25, 0.5, 1.0
.fi
.SH SEE ALSO
.BR adisim-simulate (1),
.BR adisim-model (1),
.BR adisim-calibrate (1)
EOT
