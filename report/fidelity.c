/*
** report/fidelity.c — measured against predicted (see fidelity.h), from
** what the store reads back (store/read.h).
*/
#include "report/fidelity.h"
#include "core/error.h"
#include "core/stats.h"
#include "core/units.h"
#include "check/checks.h"
#include "exec/rescale.h"
#include "store/read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct series {
    size_t n;
    double makespan[3]; /* mean, lo, hi */
    double throughput, p95;
} series;

/* Means (and the makespan's 95 % interval) of a point's runs. */
static int load_series(adi_store *st, int64_t point_id, series *out)
{
    adi_stored_runs runs;
    int rc = adi_store_read_runs(st, point_id, &runs);
    size_t n = runs.n;
    double *m = rc == ADI_OK && n ? malloc(n * sizeof *m) : NULL, t = 0, p = 0;
    if (rc == ADI_OK && n && !m)
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t i = 0; rc == ADI_OK && i < n; i++) {
        m[i] = runs.run[i].makespan;
        t += runs.run[i].throughput;
        p += runs.run[i].lat_p95;
    }
    if (rc == ADI_OK && n) {
        adi_ci ci = adi_ci_t(m, n, 0.95);
        *out = (series){n, {ci.mean, ci.lo, ci.hi}, t / (double)n, p / (double)n};
    } else {
        out->n = 0;
    }
    free(m);
    adi_stored_runs_free(&runs);
    return rc;
}

static double error_pct(double predicted, double measured)
{
    return 100 * (predicted - measured) / measured;
}

/* Each device's mean task time in a point's runs over its T_i, into
** scale[n_devices] (1 for a device that ran nothing, or the policy does not
** use). A serial run's device 0 is the point's serial device. */
static int run_time_scale(adi_store *st, int64_t point_id, const adi_point *p, double *scale)
{
    for (size_t i = 0; i < p->n_devices; i++)
        scale[i] = 1;
    adi_stored_devices totals;
    int rc = adi_store_read_device_totals(st, point_id, &totals);
    for (size_t k = 0; rc == ADI_OK && k < totals.n; k++) {
        long long d = (long long)totals.d[k].device;
        double busy = totals.d[k].r.busy, tasks = (double)totals.d[k].r.tasks;
        if (p->policy->devices == ADI_DEVICES_ONE)
            d = d == 0 ? (long long)p->serial_device : -1;
        if (d >= 0 && (size_t)d < p->n_devices && tasks > 0 && busy > 0)
            scale[d] = busy / tasks / p->times[d];
    }
    adi_stored_devices_free(&totals);
    return rc;
}

/* The point's mean makespan over its replications, simulated with device
** i's times scaled by scale[i]. */
static int rescaled_makespan(const adi_point *p, const double *scale, double *mean)
{
    double sum = 0;
    for (uint64_t r = 0; r < p->replications; r++) {
        adi_run_result run;
        int rc = adi_sweep_run_rescaled(p, scale, r, &run);
        if (rc != ADI_OK)
            return rc;
        sum += run.makespan;
        adi_run_result_free(&run);
    }
    *mean = sum / (double)p->replications;
    return ADI_OK;
}

/* "+7.4% +4.5%": each used device's run/profile time, in percent; with
** more than four devices their range. */
static void format_scales(const adi_point *p, const double *scale, char *buf, size_t size)
{
    size_t first = adi_point_first_device(p);
    size_t used = p->policy->devices == ADI_DEVICES_ONE ? 1 : p->n_devices;
    if (used > 4) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < used; i++) {
            lo = fmin(lo, scale[i]);
            hi = fmax(hi, scale[i]);
        }
        snprintf(buf, size, "%+.1f%% .. %+.1f%%", 100 * (lo - 1), 100 * (hi - 1));
        return;
    }
    size_t at = 0;
    buf[0] = 0;
    for (size_t i = first; i < first + used && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%+.1f%%", i > first ? " " : "",
                               100 * (scale[i] - 1));
}

/* The second table (fidelity.h): where each point's makespan error comes from. */
static int report_origins(adi_store *st, const adi_scenario *sc, const char *host, FILE *f,
                          adi_fidelity_totals *totals)
{
    if (f)
        fprintf(f, "\nwhere the errors come from: each device's mean task time in these runs "
                   "against its profile, and the\nmakespan simulated again with those times "
                   "(error near 0: the policy is modelled right, the\nprofiles were off)\n"
                   "%-*s %3s %6s  %-26s %10s %13s %7s\n", adi_scenario_policy_width(sc),
                "policy", "n", "Q",
                "task time, run / profile", "measured", "re-predicted", "error");
    int rc = ADI_OK;
    for (size_t i = 0; i < adi_scenario_npoints(sc) && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        int64_t measured_id;
        series m;
        if ((rc = adi_store_find_measured(st, adi_scenario_name(sc), p, host, &measured_id)) !=
            ADI_OK)
            break;
        if (!measured_id)
            continue;
        if ((rc = load_series(st, measured_id, &m)) != ADI_OK)
            break;
        if (!m.n)
            continue;
        if (p->params.batch > 1) { /* busy / tasks is a batched task's time, not T_i */
            char label[128], q[32];
            snprintf(q, sizeof q, "%llu", (unsigned long long)p->capacity);
            if (f)
                fprintf(f, "%-*s %3zu %6s  %s\n", adi_scenario_policy_width(sc),
                        adi_scenario_policy_label(sc, p, label, sizeof label), p->n_devices,
                        p->capacity == ADI_CAPACITY_INF ? "inf" : q,
                        "batches: not re-predicted (the runs do not record each batch's size)");
            continue;
        }
        double *scale = malloc(p->n_devices * sizeof *scale), again;
        if (!scale)
            return adi_fail(ADI_ENOMEM, "out of memory");
        if ((rc = run_time_scale(st, measured_id, p, scale)) == ADI_OK &&
            (rc = rescaled_makespan(p, scale, &again)) == ADI_OK) {
            double err = error_pct(again, m.makespan[0]);
            totals->worst_rescaled = fmax(totals->worst_rescaled, fabs(err));
            char ratios[64], a[32], b[32], q[32], label[128];
            format_scales(p, scale, ratios, sizeof ratios);
            snprintf(q, sizeof q, "%llu", (unsigned long long)p->capacity);
            if (f)
                fprintf(f, "%-*s %3zu %6s  %-26s %10s %13s %+6.1f%%\n",
                        adi_scenario_policy_width(sc),
                        adi_scenario_policy_label(sc, p, label, sizeof label), p->n_devices,
                        p->capacity == ADI_CAPACITY_INF ? "inf" : q, ratios,
                        adi_format_time(m.makespan[0], a, sizeof a),
                        adi_format_time(again, b, sizeof b), err);
        }
        free(scale);
    }
    return rc;
}

int adi_report_fidelity(adi_store *st, const adi_scenario *sc, const char *host, FILE *f,
                        adi_fidelity_totals *totals)
{
    memset(totals, 0, sizeof *totals);
    if (f)
        fprintf(f, "%-*s %3s %6s  %-27s %10s %7s  %10s %10s %7s  %10s %10s %7s\n",
            adi_scenario_policy_width(sc), "policy", "n", "Q", "makespan measured (95% CI)", "predicted", "error", "tasks/s", "predicted",
            "error", "p95 lat", "predicted", "error");
    int rc = ADI_OK;
    for (size_t i = 0; i < adi_scenario_npoints(sc) && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        int64_t measured_id, twin_id;
        if ((rc = adi_store_find_measured(st, adi_scenario_name(sc), p, host, &measured_id)) != ADI_OK ||
            (rc = adi_store_find_point(st, adi_scenario_name(sc), p, &twin_id)) != ADI_OK)
            break;
        if (!measured_id || !twin_id)
            continue;
        series m, s;
        if ((rc = load_series(st, measured_id, &m)) != ADI_OK ||
            (rc = load_series(st, twin_id, &s)) != ADI_OK)
            break;
        if (!m.n || !s.n)
            continue;
        char a[32], b[32], c[32], d[32], e[32], q[32], ci[64], label[128];
        double em = error_pct(s.makespan[0], m.makespan[0]);
        double et = error_pct(s.throughput, m.throughput), ep = error_pct(s.p95, m.p95);
        if (m.n >= 2)
            snprintf(ci, sizeof ci, "%s [%s, %s]", adi_format_time(m.makespan[0], a, sizeof a),
                     adi_format_time(m.makespan[1], b, sizeof b),
                     adi_format_time(m.makespan[2], c, sizeof c));
        else
            snprintf(ci, sizeof ci, "%s", adi_format_time(m.makespan[0], a, sizeof a));
        snprintf(q, sizeof q, "%llu", (unsigned long long)p->capacity);
        if (f)
            fprintf(f, "%-*s %3zu %6s  %-27s %10s %+6.1f%%  %10.4g %10.4g %+6.1f%%  %10s %10s %+6.1f%%\n",
                adi_scenario_policy_width(sc), adi_scenario_policy_label(sc, p, label, sizeof label),
                p->n_devices,
                p->capacity == ADI_CAPACITY_INF ? "inf" : q, ci,
                adi_format_time(s.makespan[0], d, sizeof d), em, m.throughput, s.throughput, et,
                adi_format_time(m.p95, e, sizeof e), adi_format_time(s.p95, b, sizeof b), ep);
        totals->points++;
        totals->within += fabs(em) <= ADI_FIDELITY_TARGET && fabs(et) <= ADI_FIDELITY_TARGET;
        totals->worst_makespan = fmax(totals->worst_makespan, fabs(em));
        totals->worst_throughput = fmax(totals->worst_throughput, fabs(et));
        totals->worst_p95 = fmax(totals->worst_p95, fabs(ep));
    }
    if (rc == ADI_OK && totals->points)
        rc = report_origins(st, sc, host, f, totals);
    return rc;
}
