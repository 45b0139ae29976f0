/*
** report/network_report.c — printing the network-aware model (see
** network_report.h). Everything is computed first (adi_netmodel_compute),
** so a bad star prints nothing.
*/
#include "report/network_report.h"
#include "core/error.h"
#include "core/units.h"

#include <math.h>

static void rate_line(FILE *f, const char *label, double R, const char *note)
{
    fprintf(f, "%-36s %.6g tasks/s%s%s\n", label, R, note ? "   " : "", note ? note : "");
}

int adi_report_network(FILE *f, const adi_star *s, uint64_t m, uint64_t k)
{
    adi_netmodel nm;
    int rc = adi_netmodel_compute(s, m, k, &nm);
    if (rc != ADI_OK)
        return rc;
    char a[32], b[32], c[32], d[32], label[96], note[96];
    fprintf(f, "network: %zu device%s, coordinator %s, %.17g B in, %.17g B out per task, "
            "prefetch k = %llu, m = %llu tasks\n", s->n, s->n == 1 ? "" : "s",
            adi_format_bandwidth(s->coord_bw, a, sizeof a), s->s_in, s->s_out,
            (unsigned long long)k, (unsigned long long)m);
    fprintf(f, "%6s %10s %11s %10s %7s  %-11s %12s %12s %9s %12s\n", "device", "T", "bandwidth",
            "latency", "segment", "bound by", "s/task at k", "at k = 0", "hides at", "share/s");
    for (size_t i = 0; i < s->n; i++) {
        const adi_netdev *dv = &s->dev[i];
        const adi_netmodel_device *md = &nm.dev[i];
        char seg[24], hide[32];
        if (dv->segment >= 0)
            snprintf(seg, sizeof seg, "%ld", dv->segment);
        else
            snprintf(seg, sizeof seg, "-");
        if (md->k_hide == UINT64_MAX)
            snprintf(hide, sizeof hide, "never");
        else
            snprintf(hide, sizeof hide, "k = %llu", (unsigned long long)md->k_hide);
        fprintf(f, "%6zu %10s %11s %10s %7s  %-11s %12s %12s %9s %12.6g\n", i,
                adi_format_time(dv->time, a, sizeof a),
                adi_format_bandwidth(dv->bw, b, sizeof b),
                adi_format_time(dv->latency, c, sizeof c), seg, adi_netlimit_name(md->limit),
                adi_format_time(md->cycle, d, sizeof d),
                adi_format_time(md->cycle0, label, sizeof label), hide, md->share);
    }
    snprintf(label, sizeof label, "pool throughput R_net at k = %llu", (unsigned long long)k);
    rate_line(f, label, nm.R, "(min over devices, segments and the coordinator)");
    rate_line(f, "without prefetch (k = 0)", nm.R0, NULL);
    if (nm.k_hide == UINT64_MAX)
        snprintf(label, sizeof label, "with every transfer hidden");
    else
        snprintf(label, sizeof label, "with k = %llu (hides every device's)",
                 (unsigned long long)nm.k_hide);
    rate_line(f, label, nm.R_hidden, NULL);
    if (isfinite(nm.coordinator))
        rate_line(f, "coordinator's link alone", nm.coordinator, "(B_c / max(S_in, S_out))");
    snprintf(note, sizeof note, "(max(m / R_net, one task's trip))");
    fprintf(f, "%-36s %s   %s\n", "makespan lower bound", adi_format_time(nm.lower, a, sizeof a),
            note);
    fprintf(f, "%-36s %s   (deterministic pull; the last task sent by %s)\n",
            "greedy upper bound", adi_format_time(nm.greedy_upper, a, sizeof a),
            adi_format_time(nm.last_dispatch, b, sizeof b));
    adi_netmodel_free(&nm);
    return ADI_OK;
}
