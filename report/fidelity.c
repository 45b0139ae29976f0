/*
** report/fidelity.c — measured against predicted (see fidelity.h).
*/
#include "report/fidelity.h"
#include "core/error.h"
#include "core/stats.h"
#include "core/units.h"

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
    sqlite3 *db = adi_store_db(st);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT makespan, throughput, lat_p95 FROM run WHERE point_id = ?"
                               " ORDER BY replication", -1, &q, NULL) != SQLITE_OK)
        return adi_fail(ADI_EIO, "%s: %s", adi_store_path(st), sqlite3_errmsg(db));
    sqlite3_bind_int64(q, 1, point_id);
    size_t cap = 16, n = 0;
    double *m = malloc(cap * sizeof *m), t = 0, p = 0;
    int rc = m ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    while (rc == ADI_OK && sqlite3_step(q) == SQLITE_ROW) {
        if (n == cap) {
            double *grown = realloc(m, 2 * cap * sizeof *m);
            if (!grown) {
                rc = adi_fail(ADI_ENOMEM, "out of memory");
                break;
            }
            m = grown;
            cap *= 2;
        }
        m[n++] = sqlite3_column_double(q, 0);
        t += sqlite3_column_double(q, 1);
        p += sqlite3_column_double(q, 2);
    }
    sqlite3_finalize(q);
    if (rc == ADI_OK && n) {
        adi_ci ci = adi_ci_t(m, n, 0.95);
        *out = (series){n, {ci.mean, ci.lo, ci.hi}, t / (double)n, p / (double)n};
    } else {
        out->n = 0;
    }
    free(m);
    return rc;
}

static double error_pct(double predicted, double measured)
{
    return 100 * (predicted - measured) / measured;
}

int adi_report_fidelity(adi_store *st, const adi_scenario *sc, const char *host, FILE *f,
                        adi_fidelity_totals *totals)
{
    memset(totals, 0, sizeof *totals);
    if (f)
        fprintf(f, "%-7s %3s %6s  %-27s %10s %7s  %10s %10s %7s  %10s %10s %7s\n", "policy", "n",
            "Q", "makespan measured (95% CI)", "predicted", "error", "tasks/s", "predicted",
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
        char a[32], b[32], c[32], d[32], e[32], q[32], ci[64];
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
            fprintf(f, "%-7s %3zu %6s  %-27s %10s %+6.1f%%  %10.4g %10.4g %+6.1f%%  %10s %10s %+6.1f%%\n",
                adi_policy_name(p->policy), p->n_devices,
                p->capacity == ADI_CAPACITY_INF ? "inf" : q, ci,
                adi_format_time(s.makespan[0], d, sizeof d), em, m.throughput, s.throughput, et,
                adi_format_time(m.p95, e, sizeof e), adi_format_time(s.p95, b, sizeof b), ep);
        totals->points++;
        totals->within += fabs(em) <= ADI_FIDELITY_TARGET && fabs(et) <= ADI_FIDELITY_TARGET;
        totals->worst_makespan = fmax(totals->worst_makespan, fabs(em));
        totals->worst_throughput = fmax(totals->worst_throughput, fabs(et));
        totals->worst_p95 = fmax(totals->worst_p95, fabs(ep));
    }
    return rc;
}
