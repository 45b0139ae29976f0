/*
** report/report.c — summary table, CSV and failures, from what the store
** reads back (store/read.h).
*/
#include "report/report.h"
#include "core/error.h"
#include "core/memory.h"
#include "core/stats.h"
#include "core/units.h"
#include "store/read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A point's runs reduced to the means of the table, and its checks counted. */
static int collect_point(adi_store *st, int64_t point_id, adi_point_summary *row)
{
    adi_stored_runs runs;
    int rc = adi_store_read_runs(st, point_id, &runs);
    size_t n = runs.n;
    double *throughput = rc == ADI_OK && n ? malloc(n * sizeof *throughput) : NULL;
    if (rc == ADI_OK && n && !throughput)
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    if (rc == ADI_OK && n) {
        adi_point_summary sum = {0};
        for (size_t i = 0; i < n; i++) {
            const adi_run_result *r = &runs.run[i];
            throughput[i] = r->throughput;
            sum.throughput += r->throughput;
            sum.makespan += r->makespan;
            sum.lat_mean += r->lat_mean;
            sum.lat_p95 += r->lat_p95;
            sum.lat_max += r->lat_max;
            sum.latc_mean += r->latc_mean;
            sum.latc_p95 += r->latc_p95;
            sum.latc_max += r->latc_max;
            sum.utilization += r->utilization;
            sum.idle_time += r->idle_time;
            sum.blocked_time += r->blocked_time;
            sum.dropped += (double)r->dropped;
        }
        double k = (double)n;
        row->stored = 1;
        row->runs = n;
        row->throughput = sum.throughput / k;
        row->throughput_half = adi_ci_t(throughput, n, 0.95).half;
        row->makespan = sum.makespan / k;
        row->lat_mean = sum.lat_mean / k;
        row->lat_p95 = sum.lat_p95 / k;
        row->lat_max = sum.lat_max / k;
        row->latc_mean = sum.latc_mean / k;
        row->latc_p95 = sum.latc_p95 / k;
        row->latc_max = sum.latc_max / k;
        row->utilization = sum.utilization / k;
        row->idle_time = sum.idle_time / k;
        row->blocked_time = sum.blocked_time / k;
        row->dropped = sum.dropped / k;
    }
    free(throughput);
    adi_stored_runs_free(&runs);
    if (rc != ADI_OK || n == 0)
        return rc;
    return adi_store_count_checks(st, point_id, &row->checks, &row->failed);
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
    char q[32], t[32], label[128];
    fprintf(f, "%-*s %5zu %7s %5.2f", adi_scenario_policy_width(sc),
            adi_scenario_policy_label(sc, p, label, sizeof label), p->n_devices,
            capacity_text(p->capacity, q, sizeof q), p->heterogeneity);
    if (adi_scenario_varies(sc, ADI_PARAM_MEAN_TIME))
        fprintf(f, " %9s", adi_format_time(p->mean_time, t, sizeof t));
    if (adi_scenario_varies(sc, ADI_PARAM_TASKS))
        fprintf(f, " %10llu", (unsigned long long)p->tasks);
    if (adi_scenario_varies(sc, ADI_PARAM_RATE))
        fprintf(f, " %9.4g", p->rate);
    adi_report_net_params(f, sc, p);
}

/* The network's swept parameters: heading (also the label) and width. */
static const struct {
    adi_param param;
    const char *heading;
    int width;
} net_cols[] = {{ADI_PARAM_PREFETCH, "k", 3}, {ADI_PARAM_COORDINATOR, "B_c", 11},
                {ADI_PARAM_INPUT_SIZE, "S_in", 9}, {ADI_PARAM_LINK_SCALE, "links", 7}};

static const char *net_value(const adi_point *p, adi_param k, char *t, size_t size)
{
    switch (k) {
    case ADI_PARAM_PREFETCH: snprintf(t, size, "%llu", (unsigned long long)p->net.prefetch); break;
    case ADI_PARAM_COORDINATOR: adi_format_bandwidth(p->net.coord_bw, t, size); break;
    case ADI_PARAM_INPUT_SIZE: adi_format_bytes(p->net.s_in, t, size); break;
    default: snprintf(t, size, "%.4gx", p->net.link_scale); break;
    }
    return t;
}

void adi_report_net_values(FILE *f, const adi_scenario *sc, const adi_point *p, int labelled)
{
    char t[32];
    for (size_t i = 0; i < sizeof net_cols / sizeof net_cols[0]; i++) {
        if (!adi_scenario_varies(sc, net_cols[i].param))
            continue;
        net_value(p, net_cols[i].param, t, sizeof t);
        if (labelled)
            fprintf(f, ", %s %s", net_cols[i].heading, t);
        else
            fprintf(f, " %*s", net_cols[i].width, t);
    }
}

void adi_report_net_params(FILE *f, const adi_scenario *sc, const adi_point *p)
{
    adi_report_net_values(f, sc, p, 0);
}

void adi_report_net_headings(FILE *f, const adi_scenario *sc)
{
    for (size_t i = 0; i < sizeof net_cols / sizeof net_cols[0]; i++)
        if (adi_scenario_varies(sc, net_cols[i].param))
            fprintf(f, " %*s", net_cols[i].width, net_cols[i].heading);
}

void adi_report_table(const adi_scenario *sc, const adi_point_summary *rows, FILE *f)
{
    int drops = 0; /* a column for lost tasks when any point can lose some */
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++)
        drops |= adi_scenario_point(sc, i)->overflow == ADI_OVERFLOW_DROP;
    fprintf(f, "%-*s %5s %7s %5s", adi_scenario_policy_width(sc), "policy", "n", "Q", "h");
    if (adi_scenario_varies(sc, ADI_PARAM_MEAN_TIME))
        fprintf(f, " %9s", "T");
    if (adi_scenario_varies(sc, ADI_PARAM_TASKS))
        fprintf(f, " %10s", "m");
    if (adi_scenario_varies(sc, ADI_PARAM_RATE))
        fprintf(f, " %9s", "rate/s");
    adi_report_net_headings(f, sc);
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

/* A scenario with a network gets its parameters as five more columns, after
** the others (whose positions stay those of every CSV adisim writes). */
static void csv_network(const adi_point *p, FILE *f)
{
    fprintf(f, ",%llu,", (unsigned long long)p->net.prefetch);
    if (isinf(p->net.coord_bw))
        fputs("inf", f);
    else
        fprintf(f, "%.10g", p->net.coord_bw);
    fprintf(f, ",%.10g,%.10g,%.10g", p->net.s_in, p->net.s_out, p->net.link_scale);
}

void adi_report_csv(const adi_scenario *sc, const adi_point_summary *rows, FILE *f)
{
    int net = adi_scenario_npoints(sc) > 0 && adi_scenario_point(sc, 0)->network;
    fputs("point,policy,workload,n_devices,queue_capacity,heterogeneity,mean_time,tasks,"
          "rate,replications,throughput,throughput_ci95,makespan,lat_mean,lat_p95,lat_max,"
          "latc_mean,latc_p95,latc_max,utilization,idle_time,blocked_time,dropped,checks,"
          "failed,status", f);
    fputs(net ? ",prefetch,coordinator_bytes_per_s,input_bytes,output_bytes,link_scale\n" : "\n",
          f);
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
            fprintf(f, ",,,,,,,,,,,,,,,%s", p->infeasible ? "infeasible" : "missing");
            if (net)
                csv_network(p, f);
            fputc('\n', f);
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
        fprintf(f, "%zu,%zu,%s", r->checks, r->failed, r->failed ? "failed" : "ok");
        if (net)
            csv_network(p, f);
        fputc('\n', f);
    }
}

/* ---- failures ------------------------------------------------------------------ */

int adi_report_failures(adi_store *st, const adi_scenario *sc, FILE *f, size_t max_lines)
{
    size_t lines = 0, more = 0;
    int rc = ADI_OK;
    for (size_t i = 0; i < adi_scenario_npoints(sc) && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        int64_t id;
        adi_stored_checks failed;
        if (p->infeasible || (rc = adi_store_find_point(st, adi_scenario_name(sc), p, &id)) != ADI_OK ||
            !id || (rc = adi_store_read_failed_checks(st, id, &failed)) != ADI_OK)
            continue;
        for (size_t k = 0; k < failed.n; k++) {
            const adi_stored_check *c = &failed.c[k];
            if (lines == max_lines) {
                more++;
                continue;
            }
            lines++;
            fprintf(f, "check failed: point %zu (%s), ", p->index, p->key);
            if (c->is_ci)
                fprintf(f, "%s: predicted %.10g, mean observed %.10g, %.6g%% interval "
                           "[%.10g, %.10g]\n", c->bound, c->predicted, c->observed,
                        100 * c->confidence, c->ci_lo, c->ci_hi);
            else
                fprintf(f, "replication %llu, %s: predicted %.10g, observed %.10g\n",
                        (unsigned long long)c->replication, c->bound, c->predicted,
                        c->observed);
        }
        adi_stored_checks_free(&failed);
    }
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
    adi_stored_scenario row;
    adi_scenario *sc = NULL;
    int rc = adi_store_read_scenario(st, name, &row);
    if (rc == ADI_OK && !row.id)
        rc = adi_fail(ADI_EINPUT, "%s: no scenario called '%s'", adi_store_path(st), name);
    else if (rc == ADI_OK)
        rc = adi_store_parse_scenario(st, row.id, row.path ? row.path : row.name, row.ini_text,
                                      &sc);
    if (rc == ADI_OK)
        rc = adi_report_scenario(st, sc, table, NULL, failures, totals);
    adi_scenario_free(sc);
    adi_stored_scenario_free(&row);
    return rc;
}
