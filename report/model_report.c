/*
** report/model_report.c — printing the analytic model (see model_report.h).
*/
#include "report/model_report.h"
#include "core/error.h"
#include "core/units.h"

#include <string.h>

/* One labelled line: the label padded to a common column. */
static void line(FILE *f, const char *label, const char *value, const char *note)
{
    fprintf(f, "%-44s %s%s%s\n", label, value, note ? "   " : "", note ? note : "");
}

int adi_report_pool(FILE *f, const double *times, size_t n, uint64_t m)
{
    adi_bounds b;
    int rc = adi_model_bounds(times, n, m, &b);
    if (rc != ADI_OK)
        return rc;
    char t[32], u[32], label[96], value[96];
    fprintf(f, "pool: %zu device%s, T_i =", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n && i < 16; i++)
        fprintf(f, "%s %s", i ? "," : "", adi_format_time(times[i], t, sizeof t));
    fprintf(f, "%s\n", n > 16 ? ", ..." : "");
    snprintf(value, sizeof value, "%llu", (unsigned long long)m);
    line(f, "tasks m", value, NULL);
    snprintf(value, sizeof value, "%.6g tasks/s", b.R);
    line(f, "throughput bound R = sum 1/T_i", value, NULL);
    line(f, "makespan lower bound m/R", adi_format_time(b.lower, t, sizeof t), NULL);
    line(f, "greedy upper bound m/R + max T_i", adi_format_time(b.greedy_upper, t, sizeof t),
         "(deterministic pull)");
    line(f, "optimal makespan C* for identical tasks", adi_format_time(b.optimal, t, sizeof t),
         "(smallest C with sum floor(C/T_i) >= m)");
    line(f, "paper's ceil(m/n) max T_i", adi_format_time(b.paper, t, sizeof t),
         b.paper == b.sync_rounds ? "(= the synchronous-rounds makespan)"
                                  : "(an upper bound on synchronous rounds here)");
    if (b.paper != b.sync_rounds)
        line(f, "synchronous-rounds makespan", adi_format_time(b.sync_rounds, t, sizeof t),
             "(the last, partial round runs on devices 0, 1, ...)");
    snprintf(label, sizeof label, "serial on the fastest device (%s)",
             adi_format_time(b.min_time, u, sizeof u));
    line(f, label, adi_format_time(b.serial_fastest, t, sizeof t), NULL);
    snprintf(label, sizeof label, "serial on the slowest device (%s)",
             adi_format_time(b.max_time, u, sizeof u));
    line(f, label, adi_format_time(b.serial_slowest, t, sizeof t), NULL);
    snprintf(value, sizeof value, "%.4gx at best (C*), %.4gx guaranteed for pull",
             b.serial_fastest / b.optimal, b.serial_fastest / b.greedy_upper);
    line(f, "speed-up over the fastest serial", value, NULL);
    snprintf(value, sizeof value, "%.4gx at best (C*), %.4gx guaranteed for pull",
             b.serial_slowest / b.optimal, b.serial_slowest / b.greedy_upper);
    line(f, "speed-up over the slowest serial", value, NULL);
    line(f, "task-weighted mean service time n/R", adi_format_time(b.harmonic_mean, t, sizeof t),
         "(harmonic mean: the mean task time under pull)");
    line(f, "paper's E[L] = mean T_i", adi_format_time(b.arithmetic_mean, t, sizeof t),
         "(arithmetic mean: overstates it when devices differ)");
    return ADI_OK;
}

static int same_pool(const adi_point *a, const adi_point *b)
{
    if (a->n_devices != b->n_devices || a->tasks != b->tasks || a->rate != b->rate ||
        a->workload != b->workload || a->heterogeneity != b->heterogeneity ||
        a->mean_time != b->mean_time || !a->infeasible != !b->infeasible)
        return 0;
    for (size_t i = 0; i < a->n_devices; i++)
        if (a->times[i] != b->times[i])
            return 0;
    return 1;
}

int adi_report_scenario_model(FILE *f, const adi_scenario *sc)
{
    fprintf(f, "%5s %5s %9s %10s  %11s %10s %10s %10s %10s %10s %10s %10s %10s%s\n", "n", "h",
            "T", "m", "R/s", "m/R", "greedy", "C*", "paper", "serial min", "serial max",
            "n/R", "mean T", adi_scenario_point(sc, 0)->workload == ADI_WORKLOAD_POISSON
                                ? "   lambda/R" : "");
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_pool(p, adi_scenario_point(sc, j));
        if (seen)
            continue;
        char t[10][32];
        fprintf(f, "%5zu %5.2f %9s %10llu  ", p->n_devices, p->heterogeneity,
                adi_format_time(p->mean_time, t[0], sizeof t[0]), (unsigned long long)p->tasks);
        if (p->infeasible) {
            fprintf(f, "infeasible: %s\n", p->infeasible);
            continue;
        }
        adi_bounds b;
        int rc = adi_model_bounds(p->times, p->n_devices, p->tasks, &b);
        if (rc != ADI_OK)
            return rc;
        fprintf(f, "%11.6g %10s %10s %10s %10s %10s %10s %10s %10s", b.R,
                adi_format_time(b.lower, t[1], 32), adi_format_time(b.greedy_upper, t[2], 32),
                adi_format_time(b.optimal, t[3], 32), adi_format_time(b.paper, t[4], 32),
                adi_format_time(b.serial_fastest, t[5], 32),
                adi_format_time(b.serial_slowest, t[6], 32),
                adi_format_time(b.harmonic_mean, t[7], 32),
                adi_format_time(b.arithmetic_mean, t[8], 32));
        if (p->workload == ADI_WORKLOAD_POISSON)
            fprintf(f, " %10.4g", p->rate / b.R);
        fputc('\n', f);
    }
    return ADI_OK;
}
