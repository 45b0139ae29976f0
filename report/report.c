/*
** report/report.c — summary table, CSV and failures, read back from SQLite.
*/
#include "report/report.h"
#include "core/error.h"
#include "core/stats.h"
#include "core/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    C_THROUGHPUT, C_MAKESPAN, C_LAT_MEAN, C_LAT_P95, C_LAT_MAX, C_LATC_MEAN, C_LATC_P95,
    C_LATC_MAX, C_UTIL, C_IDLE, C_BLOCKED, C_DROPPED, C_COUNT
};

static int collect_point(adi_store *st, int64_t point_id, adi_point_summary *row)
{
    sqlite3 *db = adi_store_db(st);
    sqlite3_stmt *s;
    const char *sql = "SELECT throughput, makespan, lat_mean, lat_p95, lat_max, latc_mean,"
                      " latc_p95, latc_max, utilization, idle_time, blocked_time, dropped"
                      " FROM run WHERE point_id = ? ORDER BY replication";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return adi_fail(ADI_EIO, "%s: %s", adi_store_path(st), sqlite3_errmsg(db));
    sqlite3_bind_int64(s, 1, point_id);
    size_t n = 0, cap = 16;
    double *col[C_COUNT] = {0};
    int rc = ADI_OK;
    for (int c = 0; c < C_COUNT; c++)
        if (!(col[c] = malloc(cap * sizeof(double))))
            rc = adi_fail(ADI_ENOMEM, "out of memory");
    int step;
    while (rc == ADI_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            for (int c = 0; c < C_COUNT && rc == ADI_OK; c++) {
                double *grown = realloc(col[c], cap * sizeof(double));
                if (!grown)
                    rc = adi_fail(ADI_ENOMEM, "out of memory");
                else
                    col[c] = grown;
            }
            if (rc != ADI_OK)
                break;
        }
        for (int c = 0; c < C_COUNT; c++)
            col[c][n] = sqlite3_column_type(s, c) == SQLITE_NULL ? NAN
                                                                 : sqlite3_column_double(s, c);
        n++;
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = adi_fail(ADI_EIO, "%s: %s", adi_store_path(st), sqlite3_errmsg(db));
    sqlite3_finalize(s);
    if (rc == ADI_OK && n > 0) {
        double mean[C_COUNT];
        for (int c = 0; c < C_COUNT; c++) {
            double sum = 0;
            for (size_t i = 0; i < n; i++)
                sum += col[c][i];
            mean[c] = sum / (double)n;
        }
        adi_ci ci = adi_ci_t(col[C_THROUGHPUT], n, 0.95);
        row->stored = 1;
        row->runs = n;
        row->throughput = mean[C_THROUGHPUT];
        row->throughput_half = ci.half;
        row->makespan = mean[C_MAKESPAN];
        row->lat_mean = mean[C_LAT_MEAN];
        row->lat_p95 = mean[C_LAT_P95];
        row->lat_max = mean[C_LAT_MAX];
        row->latc_mean = mean[C_LATC_MEAN];
        row->latc_p95 = mean[C_LATC_P95];
        row->latc_max = mean[C_LATC_MAX];
        row->utilization = mean[C_UTIL];
        row->idle_time = mean[C_IDLE];
        row->blocked_time = mean[C_BLOCKED];
        row->dropped = mean[C_DROPPED];
    }
    for (int c = 0; c < C_COUNT; c++)
        free(col[c]);
    if (rc != ADI_OK || n == 0)
        return rc;

    sql = "SELECT count(*), coalesce(sum(holds = 0), 0) FROM bound_check"
          " JOIN run ON run.id = bound_check.run_id WHERE run.point_id = ?";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return adi_fail(ADI_EIO, "%s: %s", adi_store_path(st), sqlite3_errmsg(db));
    sqlite3_bind_int64(s, 1, point_id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        row->checks = (size_t)sqlite3_column_int64(s, 0);
        row->failed = (size_t)sqlite3_column_int64(s, 1);
    } else {
        rc = adi_fail(ADI_EIO, "%s: %s", adi_store_path(st), sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    return rc;
}

int adi_report_collect(adi_store *st, const adi_scenario *sc, adi_point_summary *out,
                       adi_report_totals *totals)
{
    memset(totals, 0, sizeof *totals);
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        adi_point_summary *row = &out[i];
        memset(row, 0, sizeof *row);
        row->point = adi_scenario_point(sc, i);
        if (row->point->infeasible) {
            totals->infeasible++;
            continue;
        }
        int64_t id;
        int rc = adi_store_find_point(st, adi_scenario_name(sc), row->point, &id);
        if (rc == ADI_OK && id)
            rc = collect_point(st, id, row);
        if (rc != ADI_OK)
            return rc;
        if (row->stored) {
            totals->points++;
            totals->runs += row->runs;
            totals->checks += row->checks;
            totals->failed += row->failed;
        }
    }
    return ADI_OK;
}

/* ---- the table --------------------------------------------------------------- */

static const char *capacity_text(uint64_t q, char *buf, size_t size)
{
    if (q == ADI_CAPACITY_INF)
        return "inf";
    snprintf(buf, size, "%llu", (unsigned long long)q);
    return buf;
}

static void print_params(const adi_scenario *sc, const adi_point *p, FILE *f)
{
    char q[32], t[32];
    fprintf(f, "%-7s %5zu %7s %5.2f", adi_policy_name(p->policy), p->n_devices,
            capacity_text(p->capacity, q, sizeof q), p->heterogeneity);
    if (adi_scenario_varies(sc, ADI_PARAM_MEAN_TIME))
        fprintf(f, " %9s", adi_format_time(p->mean_time, t, sizeof t));
    if (adi_scenario_varies(sc, ADI_PARAM_TASKS))
        fprintf(f, " %10llu", (unsigned long long)p->tasks);
    if (adi_scenario_varies(sc, ADI_PARAM_RATE))
        fprintf(f, " %9.4g", p->rate);
}

void adi_report_table(const adi_scenario *sc, const adi_point_summary *rows, FILE *f)
{
    int drops = 0; /* a column for lost tasks when any point can lose some */
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++)
        drops |= adi_scenario_point(sc, i)->overflow == ADI_OVERFLOW_DROP;
    fprintf(f, "%-7s %5s %7s %5s", "policy", "n", "Q", "h");
    if (adi_scenario_varies(sc, ADI_PARAM_MEAN_TIME))
        fprintf(f, " %9s", "T");
    if (adi_scenario_varies(sc, ADI_PARAM_TASKS))
        fprintf(f, " %10s", "m");
    if (adi_scenario_varies(sc, ADI_PARAM_RATE))
        fprintf(f, " %9s", "rate/s");
    fprintf(f, "  %-22s %10s %10s %10s %10s %6s %10s %10s", "throughput/s (95% CI)",
            "makespan", "lat mean", "lat p95", "lat max", "util", "idle", "blocked");
    if (drops)
        fprintf(f, " %8s", "dropped");
    fprintf(f, "  checks\n");
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const adi_point_summary *r = &rows[i];
        print_params(sc, r->point, f);
        if (!r->stored) {
            fprintf(f, "  skipped: %s\n",
                    r->point->infeasible ? r->point->infeasible : "no stored runs");
            continue;
        }
        char tp[48], a[32], b[32], c[32], d[32], e[32], g[32];
        if (isnan(r->throughput_half))
            snprintf(tp, sizeof tp, "%.5g", r->throughput);
        else
            snprintf(tp, sizeof tp, "%.5g ± %.2g", r->throughput, r->throughput_half);
        fprintf(f, "  %-23s %10s %10s %10s %10s %5.1f%% %10s %10s  ", tp,
                adi_format_time(r->makespan, a, sizeof a),
                adi_format_time(r->lat_mean, b, sizeof b),
                adi_format_time(r->lat_p95, c, sizeof c),
                adi_format_time(r->lat_max, d, sizeof d), 100 * r->utilization,
                adi_format_time(r->idle_time, e, sizeof e),
                adi_format_time(r->blocked_time, g, sizeof g));
        if (drops)
            fprintf(f, "%7.2f%%  ", 100 * r->dropped / (double)r->point->tasks);
        if (r->failed)
            fprintf(f, "FAIL %zu/%zu", r->failed, r->checks);
        else
            fprintf(f, "ok %zu/%zu", r->checks, r->checks);
        fputs(adi_scenario_estimated(sc) ? "  est.\n" : "\n", f);
    }
    if (adi_scenario_estimated(sc))
        fprintf(f, "est.: the times of %s are estimates, not measurements (see each profile's "
                   "origin)\n", adi_scenario_estimated(sc));
}

/* ---- CSV --------------------------------------------------------------------- */

void adi_report_csv(const adi_scenario *sc, const adi_point_summary *rows, FILE *f)
{
    fputs("point,policy,workload,n_devices,queue_capacity,heterogeneity,mean_time,tasks,"
          "rate,replications,throughput,throughput_ci95,makespan,lat_mean,lat_p95,lat_max,"
          "latc_mean,latc_p95,latc_max,utilization,idle_time,blocked_time,dropped,checks,"
          "failed,status\n", f);
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const adi_point_summary *r = &rows[i];
        const adi_point *p = r->point;
        char q[32];
        fprintf(f, "%zu,%s,%s,%zu,%s,%.10g,%.10g,%llu,", p->index, adi_policy_name(p->policy),
                adi_workload_name(p->workload), p->n_devices,
                capacity_text(p->capacity, q, sizeof q), p->heterogeneity, p->mean_time,
                (unsigned long long)p->tasks);
        if (p->workload->open)
            fprintf(f, "%.10g", p->rate);
        fprintf(f, ",%llu,", (unsigned long long)p->replications);
        if (!r->stored) {
            fprintf(f, ",,,,,,,,,,,,,,,%s\n", p->infeasible ? "infeasible" : "missing");
            continue;
        }
        const double v[] = {r->throughput, r->throughput_half, r->makespan, r->lat_mean,
                            r->lat_p95, r->lat_max, r->latc_mean, r->latc_p95, r->latc_max,
                            r->utilization, r->idle_time, r->blocked_time, r->dropped};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
            if (!isnan(v[k]))
                fprintf(f, "%.10g", v[k]);
            fputc(',', f);
        }
        fprintf(f, "%zu,%zu,%s\n", r->checks, r->failed, r->failed ? "failed" : "ok");
    }
}

/* ---- failures ------------------------------------------------------------------ */

int adi_report_failures(adi_store *st, const adi_scenario *sc, FILE *f, size_t max_lines)
{
    sqlite3 *db = adi_store_db(st);
    sqlite3_stmt *s;
    /* Interval checks carry the same verdict on every run of a point: one line. */
    const char *sql =
        "SELECT min(r.replication), c.bound, c.kind, c.predicted, c.observed, c.ci_lo,"
        " c.ci_hi, c.confidence, count(*) FROM bound_check c JOIN run r ON r.id = c.run_id"
        " WHERE r.point_id = ? AND c.holds = 0"
        " GROUP BY c.bound, CASE WHEN c.kind = 'ci' THEN -1 ELSE r.replication END"
        " ORDER BY min(r.replication), c.bound";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return adi_fail(ADI_EIO, "%s: %s", adi_store_path(st), sqlite3_errmsg(db));
    size_t lines = 0, more = 0;
    int rc = ADI_OK;
    for (size_t i = 0; i < adi_scenario_npoints(sc) && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        int64_t id;
        if (p->infeasible || (rc = adi_store_find_point(st, adi_scenario_name(sc), p, &id)) != ADI_OK ||
            !id)
            continue;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        while (sqlite3_step(s) == SQLITE_ROW) {
            if (lines == max_lines) {
                more++;
                continue;
            }
            lines++;
            const char *bound = (const char *)sqlite3_column_text(s, 1);
            int ci = strcmp((const char *)sqlite3_column_text(s, 2), "ci") == 0;
            fprintf(f, "check failed: point %zu (%s), ", p->index, p->key);
            if (ci)
                fprintf(f, "%s: predicted %.10g, mean observed %.10g, %.6g%% interval "
                           "[%.10g, %.10g]\n", bound, sqlite3_column_double(s, 3),
                        sqlite3_column_double(s, 4), 100 * sqlite3_column_double(s, 7),
                        sqlite3_column_double(s, 5), sqlite3_column_double(s, 6));
            else
                fprintf(f, "replication %lld, %s: predicted %.10g, observed %.10g\n",
                        (long long)sqlite3_column_int64(s, 0), bound,
                        sqlite3_column_double(s, 3), sqlite3_column_double(s, 4));
        }
    }
    sqlite3_finalize(s);
    if (more)
        fprintf(f, "... and %zu more failed checks (table bound_check)\n", more);
    return rc;
}

int adi_report_scenario(adi_store *st, const adi_scenario *sc, FILE *table, FILE *csv,
                        FILE *failures, adi_report_totals *totals)
{
    adi_point_summary *rows = calloc(adi_scenario_npoints(sc), sizeof *rows);
    if (!rows)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = adi_report_collect(st, sc, rows, totals);
    if (rc == ADI_OK && table)
        adi_report_table(sc, rows, table);
    if (rc == ADI_OK && csv)
        adi_report_csv(sc, rows, csv);
    if (rc == ADI_OK && failures && totals->failed)
        rc = adi_report_failures(st, sc, failures, 20);
    free(rows);
    return rc;
}

int adi_report_stored(adi_store *st, const char *name, FILE *table, FILE *failures,
                      adi_report_totals *totals)
{
    sqlite3 *db = adi_store_db(st);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(path, name), ini_text, id FROM scenario WHERE name = ?"
                               " ORDER BY id DESC LIMIT 1", -1, &q, NULL) != SQLITE_OK)
        return adi_fail(ADI_EIO, "%s: %s", adi_store_path(st), sqlite3_errmsg(db));
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    int rc;
    adi_scenario *sc = NULL;
    if (sqlite3_step(q) != SQLITE_ROW)
        rc = adi_fail(ADI_EINPUT, "%s: no scenario called '%s'", adi_store_path(st), name);
    else
        rc = adi_store_parse_scenario(db, adi_store_path(st), sqlite3_column_int64(q, 2),
                                      (const char *)sqlite3_column_text(q, 0),
                                      (const char *)sqlite3_column_text(q, 1), &sc);
    sqlite3_finalize(q);
    if (rc == ADI_OK)
        rc = adi_report_scenario(st, sc, table, NULL, failures, totals);
    adi_scenario_free(sc);
    return rc;
}
