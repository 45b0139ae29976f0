/*
** plots/data.c — reading one scenario's runs back from the results database
** for the figures (plot.h, plot_int.h).
**
** The scenario's stored text is parsed again (adi_scenario_parse), which
** gives its points in sweep order with their parameters and device pools —
** what the analytic bounds need — and the point keys under which runs are
** stored, exactly as `simulate` and its summary table find them. Every
** point's runs are reduced to means with 95 % Student-t intervals; the
** per-device rows and latency histograms are read only for the points of the
** chosen slice, the only ones figures 2, 6 and 10 show.
**
** The database is opened read-only and closed before adi_plot_load returns,
** so drawing (seconds of gnuplot) never holds it. Every row comes through
** the store's reads (store/read.h).
*/
#include "plots/plot_int.h"

#include "core/error.h"
#include "check/checks.h"
#include "model/netbatch.h"
#include "model/network.h"
#include "store/read.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LEVEL 0.95 /* of every interval drawn */

/* ---- the scenario row ------------------------------------------------------- */

/* "a, b, c": the names (malloc'ed), or NULL when out of memory. */
static char *join_names(const adi_store_names *names)
{
    size_t len = 1;
    for (size_t i = 0; i < names->n; i++)
        len += strlen(names->name[i]) + 2;
    char *joined = malloc(len), *at = joined;
    for (size_t i = 0; joined && i < names->n; i++)
        at += sprintf(at, "%s%s", i ? ", " : "", names->name[i]);
    if (joined)
        *at = '\0';
    return joined;
}

static int find_scenario(adi_store *st, adi_plot_data *d, const char *wanted)
{
    adi_store_names names;
    int rc = adi_store_read_names(st, &names);
    if (rc != ADI_OK)
        return rc;
    char *list = join_names(&names);
    adi_stored_scenario row = {0};
    if (!list)
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    else if (names.n == 0)
        rc = adi_fail(ADI_EINPUT, "%s: holds no scenarios yet (bin/simulate stores them)",
                      d->db_path);
    else if (!wanted && names.n > 1)
        rc = adi_fail(ADI_EINPUT, "%s: holds %zu scenarios (%s); choose one with --scenario",
                      d->db_path, names.n, list);
    else if ((rc = adi_store_read_scenario(st, wanted, &row)) == ADI_OK && !row.id)
        rc = adi_fail(ADI_EINPUT, "%s: no scenario named '%s'; it holds: %s", d->db_path,
                      wanted, list);
    if (rc == ADI_OK) {
        d->scenario_id = row.id;
        d->name = row.name;
        d->path = row.path ? row.path : strdup("");
        d->ini_text = row.ini_text;
        d->created_at = row.created_at;
        if (!d->path)
            rc = adi_fail(ADI_ENOMEM, "out of memory");
    } else {
        adi_stored_scenario_free(&row);
    }
    free(list);
    adi_store_names_free(&names);
    return rc;
}

/* ---- per point ---------------------------------------------------------------- */

/* Where each PM_ metric is in a run's result. */
static const size_t metric_field[PM_COUNT] = {
    [PM_THROUGHPUT] = offsetof(adi_run_result, throughput),
    [PM_MAKESPAN] = offsetof(adi_run_result, makespan),
    [PM_IDLE] = offsetof(adi_run_result, idle_time),
    [PM_LAT_MAX] = offsetof(adi_run_result, lat_max),
    [PM_LAT_P95] = offsetof(adi_run_result, lat_p95),
    [PM_BLOCKED] = offsetof(adi_run_result, blocked_time),
    [PM_LAT_P99] = offsetof(adi_run_result, lat_p99),
};

/* The point's runs, reduced to intervals (pp->runs = 0 when none). */
static int load_metrics(adi_store *st, plot_point *pp)
{
    adi_stored_runs runs;
    int rc = adi_store_read_runs(st, pp->id, &runs);
    size_t n = runs.n;
    double *col = rc == ADI_OK && n ? malloc(n * sizeof *col) : NULL;
    if (rc == ADI_OK && n && !col)
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    pp->runs = rc == ADI_OK ? n : 0;
    for (int c = 0; c < PM_COUNT && pp->runs; c++) {
        for (size_t i = 0; i < n; i++)
            col[i] = *(const double *)((const char *)&runs.run[i] + metric_field[c]);
        pp->m[c] = adi_ci_t(col, n, LEVEL);
    }
    free(col);
    adi_stored_runs_free(&runs);
    return rc;
}

/* Devices: one interval per device over the replications. Rows come
** ordered by device, then replication. */
static int load_devices(adi_store *st, plot_point *pp)
{
    adi_stored_devices rows;
    int rc = adi_store_read_devices(st, pp->id, &rows);
    size_t n = rc == ADI_OK ? rows.n : 0; /* rows; devices are at most as many */
    enum { TASKS, UTIL, BUSY, TRANSFER, WAIT, NCOL };
    double *col = n ? malloc(NCOL * n * sizeof *col) : NULL;
    pp->dev = n ? malloc(n * sizeof *pp->dev) : NULL;
    if (n && (!col || !pp->dev))
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t k = 0, first = 0; rc == ADI_OK && k < n; k++) {
        const adi_device_result *r = &rows.d[k].r;
        double *v = col + k - first; /* column c of this device's rows: v[c * n] */
        v[TASKS * n] = (double)r->tasks;
        v[UTIL * n] = r->busy + r->idle > 0 ? r->busy / (r->busy + r->idle) : 0;
        v[BUSY * n] = r->busy;
        v[TRANSFER * n] = r->transfer;
        v[WAIT * n] = r->wait;
        if (k + 1 < n && rows.d[k + 1].device == rows.d[k].device)
            continue;
        /* the last row of this device */
        plot_device *pd = &pp->dev[pp->ndev++];
        size_t reps = k + 1 - first;
        pd->device = rows.d[k].device;
        pd->mean_time = r->mean_time;
        pd->tasks = adi_ci_t(col + TASKS * n, reps, LEVEL);
        pd->util = adi_ci_t(col + UTIL * n, reps, LEVEL);
        pd->busy = adi_ci_t(col + BUSY * n, reps, LEVEL);
        pd->transfer = adi_ci_t(col + TRANSFER * n, reps, LEVEL);
        pd->wait = adi_ci_t(col + WAIT * n, reps, LEVEL);
        first = k + 1;
    }
    free(col);
    adi_stored_devices_free(&rows);
    return rc;
}

static int load_hist(adi_store *st, plot_point *pp)
{
    adi_stored_hist h;
    int rc = adi_store_read_hist(st, pp->id, "enqueue", &h);
    if (rc == ADI_OK && h.n && !(pp->hist = malloc(h.n * sizeof *pp->hist)))
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t k = 0; rc == ADI_OK && k < h.n; k++) {
        const adi_stored_bucket *b = &h.b[k];
        pp->hist_total += b->count;
        if (b->bucket < 0) {
            pp->hist_zero += b->count;
            continue;
        }
        pp->hist[pp->nbuckets++] = (plot_bucket){b->lo, b->hi, b->count};
    }
    adi_stored_hist_free(&h);
    return rc;
}

/* R_net of the star of the devices the point's policy uses, for the
** policy's window as check/checks.c's network_bounds takes it (pull's
** prefetch k; 0 for one task at a time; every input at once, static's, is
** an unbounded k), and at k = 0; with pull's batches R_b,net at both
** (model/netbatch.h). */
static int net_model(plot_point *pp, size_t n)
{
    const adi_point *p = pp->p;
    adi_netdev *dev = malloc(n * sizeof *dev);
    if (!dev)
        return adi_fail(ADI_ENOMEM, "out of memory");
    adi_star star = adi_point_star(p, dev, n);
    adi_net_window w = p->policy->net.window;
    uint64_t k = w == ADI_NET_WINDOW_PREFETCH ? p->net.prefetch
               : w == ADI_NET_WINDOW_ALL ? UINT64_C(1) << 62 : 0;
    int rc = adi_netmodel_throughput(&star, k, &pp->net_R, NULL, NULL);
    if (rc == ADI_OK)
        rc = adi_netmodel_throughput(&star, 0, &pp->net_R0, NULL, NULL);
    double trip;
    if (rc == ADI_OK && p->params.batch > 1) /* pull's batches: R_b,net, as the checks take it */
        rc = adi_netbatch_throughput(&star, k, p->params.batch_scale, p->params.batch,
                                     &pp->net_R, &trip);
    if (rc == ADI_OK && p->params.batch > 1)
        rc = adi_netbatch_throughput(&star, 0, p->params.batch_scale, p->params.batch,
                                     &pp->net_R0, &trip);
    free(dev);
    return rc;
}

/* The pool's model: bounds over the devices the policy uses, and R over all. */
static int model_point(plot_point *pp)
{
    const adi_point *p = pp->p;
    const double *times;
    const adi_sampler *dev;
    size_t n = adi_point_used_devices(p, &times, &dev);
    int rc = adi_model_bounds(times, n, p->tasks, &pp->used);
    if (rc == ADI_OK && p->network)
        rc = net_model(pp, n);
    if (rc != ADI_OK)
        return rc;
    pp->pool_R = 0;
    for (size_t i = 0; i < p->n_devices; i++)
        pp->pool_R += 1 / p->times[i];
    pp->has_model = 1;
    return ADI_OK;
}

/* ---- the chosen point ------------------------------------------------------- */

/* 1 when a is a better default reference than b (see plot.h). */
static int better_default(const adi_point *a, const adi_point *b)
{
    int pa = a->policy == adi_policy_default(), pb = b->policy == adi_policy_default();
    if (pa != pb)
        return pa > pb;
    if (a->n_devices != b->n_devices)
        return a->n_devices > b->n_devices;
    if (a->capacity != b->capacity) /* ADI_CAPACITY_INF is the largest */
        return a->capacity > b->capacity;
    if (a->heterogeneity != b->heterogeneity)
        return a->heterogeneity > b->heterogeneity;
    if ((a->net.link_scale == 1) != (b->net.link_scale == 1))
        return a->net.link_scale == 1;
    return a->index < b->index;
}

static int choose_point(adi_plot_data *d, size_t wanted)
{
    if (wanted != ADI_PLOT_POINT_DEFAULT) {
        if (wanted >= d->npoints)
            return adi_fail(ADI_EINPUT, "point %zu: scenario '%s' has points 0 to %zu", wanted,
                            d->name, d->npoints - 1);
        const plot_point *pp = &d->pt[wanted];
        if (!pp->runs)
            return adi_fail(ADI_EINPUT, "point %zu (%s): no stored runs%s%s", wanted, pp->p->key,
                            pp->p->infeasible ? ": " : "",
                            pp->p->infeasible ? pp->p->infeasible : "");
        d->chosen = wanted;
        return ADI_OK;
    }
    int found = 0;
    for (size_t i = 0; i < d->npoints; i++)
        if (d->pt[i].runs && (!found || better_default(d->pt[i].p, d->pt[d->chosen].p))) {
            d->chosen = i;
            found = 1;
        }
    return ADI_OK;
}

/* ---- entry points --------------------------------------------------------------- */

/* The point's checks against exact queueing results (figure 7): every run
** of a point carries the same interval check, so the first one is read. */
static int load_queue(adi_store *st, plot_point *pp)
{
    static const char *const names[PQ_COUNT] = {"queue_block", "queue_in_system",
                                                "queue_response", "queue_utilization"};
    adi_stored_checks checks;
    int rc = adi_store_read_first_checks(st, pp->id, &checks);
    for (size_t k = 0; rc == ADI_OK && k < checks.n; k++) {
        const adi_stored_check *c = &checks.c[k];
        for (int q = 0; q < PQ_COUNT; q++)
            if (c->is_ci && strcmp(c->bound, names[q]) == 0) {
                pp->queue[q] = (plot_queue){c->predicted,
                                            {.mean = c->observed, .lo = c->ci_lo, .hi = c->ci_hi}};
                pp->queue_mask |= 1u << q;
            }
    }
    adi_stored_checks_free(&checks);
    return rc;
}

static int load_points(adi_store *st, adi_plot_data *d)
{
    int rc = ADI_OK;
    for (size_t i = 0; i < d->npoints && rc == ADI_OK; i++) {
        plot_point *pp = &d->pt[i];
        pp->p = adi_scenario_point(d->sc, i);
        if (pp->p->infeasible)
            continue;
        if ((rc = model_point(pp)) == ADI_OK &&
            (rc = adi_store_find_point(st, d->name, pp->p, &pp->id)) == ADI_OK && pp->id &&
            (rc = load_metrics(st, pp)) == ADI_OK)
            rc = load_queue(st, pp);
        d->stored += pp->runs > 0;
    }
    return rc;
}

int adi_plot_load(const char *db_path, const char *scenario, size_t point, adi_plot_data **out)
{
    *out = NULL;
    if (access(db_path, F_OK) != 0)
        return adi_fail(ADI_EINPUT, "%s: no such database (bin/simulate writes one)", db_path);
    adi_store *st = NULL;
    adi_plot_data *d = calloc(1, sizeof *d);
    int rc = d && (d->db_path = strdup(db_path)) ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    if (rc != ADI_OK || (rc = adi_store_open(db_path, 0, &st)) != ADI_OK)
        goto fail;
    if ((rc = find_scenario(st, d, scenario)) != ADI_OK)
        goto fail;
    if ((rc = adi_store_parse_scenario(st, d->scenario_id, d->path[0] ? d->path : d->name,
                                       d->ini_text, &d->sc)) != ADI_OK) {
        rc = adi_fail_prefix(rc, "%s: the stored text of scenario '%s' no longer parses",
                             db_path, d->name);
        goto fail;
    }
    d->npoints = adi_scenario_npoints(d->sc);
    if (!(d->pt = calloc(d->npoints ? d->npoints : 1, sizeof *d->pt))) {
        rc = adi_fail(ADI_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = load_points(st, d)) != ADI_OK)
        goto fail;
    if (!d->stored) {
        rc = adi_fail(ADI_EINPUT, "%s: scenario '%s' has no stored runs (%zu points, none run;"
                      " run bin/simulate on it)", db_path, d->name, d->npoints);
        goto fail;
    }
    if ((rc = choose_point(d, point)) != ADI_OK)
        goto fail;
    /* Devices and histograms of the chosen slice: every policy at the
    ** chosen point's other parameters. */
    const adi_point *ref = d->pt[d->chosen].p;
    for (size_t i = 0; i < d->npoints && rc == ADI_OK; i++) {
        plot_point *pp = &d->pt[i];
        if (pp->runs && plot_same(pp->p, ref, PARAM_ALL & ~PARAM_BIT(ADI_PARAM_POLICY)) &&
            (rc = load_devices(st, pp)) == ADI_OK)
            rc = load_hist(st, pp);
    }
    if (rc != ADI_OK)
        goto fail;
    adi_store_close(st);
    *out = d;
    return ADI_OK;
fail:
    adi_store_close(st);
    adi_plot_data_free(d);
    return rc;
}

void adi_plot_data_free(adi_plot_data *d)
{
    if (!d)
        return;
    for (size_t i = 0; d->pt && i < d->npoints; i++) {
        free(d->pt[i].dev);
        free(d->pt[i].hist);
    }
    free(d->pt);
    adi_scenario_free(d->sc);
    free(d->db_path);
    free(d->name);
    free(d->path);
    free(d->ini_text);
    free(d->created_at);
    free(d);
}

const char *adi_plot_scenario_name(const adi_plot_data *d) { return d->name; }
const char *adi_plot_created_at(const adi_plot_data *d) { return d->created_at; }
size_t adi_plot_chosen_point(const adi_plot_data *d) { return d->chosen; }

int plot_same(const adi_point *a, const adi_point *b, unsigned mask)
{
    const int differs[ADI_PARAM_COUNT] = {
        [ADI_PARAM_POLICY] = a->policy != b->policy,
        [ADI_PARAM_DEVICES] = a->n_devices != b->n_devices,
        [ADI_PARAM_CAPACITY] = a->capacity != b->capacity,
        [ADI_PARAM_HETEROGENEITY] = a->heterogeneity != b->heterogeneity,
        [ADI_PARAM_MEAN_TIME] = a->mean_time != b->mean_time,
        [ADI_PARAM_TASKS] = a->tasks != b->tasks,
        [ADI_PARAM_RATE] = a->rate != b->rate,
        [ADI_PARAM_PREFETCH] = a->net.prefetch != b->net.prefetch,
        [ADI_PARAM_COORDINATOR] = a->net.coord_bw != b->net.coord_bw,
        [ADI_PARAM_INPUT_SIZE] = a->net.s_in != b->net.s_in,
        [ADI_PARAM_LINK_SCALE] = a->net.link_scale != b->net.link_scale,
        [ADI_PARAM_IDLE_CHOICE] = a->params.idle_choice != b->params.idle_choice,
        [ADI_PARAM_PULL_BATCH] = a->params.batch != b->params.batch,
        [ADI_PARAM_MAX_DELAY] = a->params.max_delay != b->params.max_delay,
        [ADI_PARAM_ESTIMATES] = a->params.estimates != b->params.estimates,
        [ADI_PARAM_CHOICES] = a->params.choices != b->params.choices,
        [ADI_PARAM_VICTIM] = a->params.victim != b->params.victim,
        [ADI_PARAM_STEAL_START] = a->params.steal_start != b->params.steal_start,
    };
    for (int k = 0; k < ADI_PARAM_COUNT; k++)
        if ((mask & PARAM_BIT(k)) && differs[k])
            return 0;
    return 1;
}

double plot_hist_quantile(const plot_point *pp, double q)
{
    if (!pp->hist_total)
        return NAN;
    double target = q * (double)pp->hist_total, cum = (double)pp->hist_zero;
    if (target <= cum)
        return 0;
    for (size_t b = 0; b < pp->nbuckets; b++) {
        const plot_bucket *k = &pp->hist[b];
        if (cum + (double)k->count >= target)
            return k->lo + (k->hi - k->lo) * (target - cum) / (double)k->count;
        cum += (double)k->count;
    }
    return pp->nbuckets ? pp->hist[pp->nbuckets - 1].hi : 0;
}
