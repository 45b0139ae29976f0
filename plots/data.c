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
** chosen slice, the only ones figures 2 and 6 show.
**
** The database is opened read-only and closed before adi_plot_load returns,
** so drawing (seconds of gnuplot) never holds it.
*/
#include "plots/plot_int.h"

#include "core/error.h"
#include "check/checks.h"
#include "store/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LEVEL 0.95 /* of every interval drawn */

static int db_fail(sqlite3 *db, const char *path)
{
    return adi_fail(ADI_EIO, "%s: cannot read the results: %s", path, sqlite3_errmsg(db));
}

static char *dup_column(sqlite3_stmt *s, int c)
{
    const char *t = (const char *)sqlite3_column_text(s, c);
    return strdup(t ? t : "");
}

/* Room for element n of an array of *cap elements of size elem: returns the
** array (moved and *cap doubled when full), or p itself with *rc set to
** ADI_ENOMEM; p stays valid either way. */
static void *grow(void *p, size_t *cap, size_t n, size_t elem, int *rc)
{
    if (n < *cap || *rc != ADI_OK)
        return p;
    size_t want = *cap ? 2 * *cap : 16;
    void *grown = realloc(p, want * elem);
    if (!grown) {
        *rc = adi_fail(ADI_ENOMEM, "out of memory");
        return p;
    }
    *cap = want;
    return grown;
}

/* ---- the scenario row ------------------------------------------------------- */

/* "a, b, c": every scenario name in the database (malloc'ed), *count of them. */
static int list_names(sqlite3 *db, const char *path, char **names, size_t *count)
{
    sqlite3_stmt *s;
    *names = NULL;
    *count = 0;
    if (sqlite3_prepare_v2(db, "SELECT DISTINCT name FROM scenario ORDER BY name", -1, &s,
                           NULL) != SQLITE_OK)
        return db_fail(db, path);
    size_t len = 0, cap = 0;
    int rc = ADI_OK, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        size_t need = len + strlen(name) + 3;
        while (rc == ADI_OK && need >= cap)
            *names = grow(*names, &cap, cap, 1, &rc);
        if (rc != ADI_OK)
            break;
        len += (size_t)sprintf(*names + len, "%s%s", len ? ", " : "", name);
        (*count)++;
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = db_fail(db, path);
    sqlite3_finalize(s);
    if (rc != ADI_OK) {
        free(*names);
        *names = NULL;
    }
    return rc;
}

static int find_scenario(sqlite3 *db, adi_plot_data *d, const char *wanted)
{
    char *names;
    size_t count;
    int rc = list_names(db, d->db_path, &names, &count);
    if (rc != ADI_OK)
        return rc;
    if (count == 0)
        rc = adi_fail(ADI_EINPUT, "%s: holds no scenarios yet (bin/simulate stores them)",
                      d->db_path);
    else if (!wanted && count > 1)
        rc = adi_fail(ADI_EINPUT, "%s: holds %zu scenarios (%s); choose one with --scenario",
                      d->db_path, count, names);
    if (rc != ADI_OK) {
        free(names);
        return rc;
    }
    sqlite3_stmt *s;
    const char *sql = "SELECT id, name, path, ini_text, created_at FROM scenario"
                      " WHERE name = coalesce(?, name) ORDER BY id DESC LIMIT 1";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        free(names);
        return db_fail(db, d->db_path);
    }
    if (wanted)
        sqlite3_bind_text(s, 1, wanted, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        d->scenario_id = sqlite3_column_int64(s, 0);
        d->name = dup_column(s, 1);
        d->path = dup_column(s, 2);
        d->ini_text = dup_column(s, 3);
        d->created_at = dup_column(s, 4);
        if (!d->name || !d->path || !d->ini_text || !d->created_at)
            rc = adi_fail(ADI_ENOMEM, "out of memory");
    } else if (step == SQLITE_DONE) {
        rc = adi_fail(ADI_EINPUT, "%s: no scenario named '%s'; it holds: %s", d->db_path,
                      wanted, names);
    } else {
        rc = db_fail(db, d->db_path);
    }
    sqlite3_finalize(s);
    free(names);
    return rc;
}

/* ---- per point ---------------------------------------------------------------- */

static int find_point(sqlite3 *db, sqlite3_stmt *s, const adi_plot_data *d, plot_point *pp)
{
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, d->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, pp->p->key, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    pp->id = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    return step == SQLITE_ROW || step == SQLITE_DONE ? ADI_OK : db_fail(db, d->db_path);
}

/* The point's runs, reduced to intervals (pp->runs = 0 when none). */
static int load_metrics(sqlite3 *db, sqlite3_stmt *s, const char *path, plot_point *pp)
{
    double *col[PM_COUNT] = {0};
    size_t n = 0, cap = 0;
    int rc = ADI_OK, step;
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, pp->id);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        size_t c0 = cap;
        for (int c = 0; c < PM_COUNT; c++) {
            cap = c0;
            col[c] = grow(col[c], &cap, n, sizeof(double), &rc);
        }
        if (rc != ADI_OK)
            break;
        for (int c = 0; c < PM_COUNT; c++)
            col[c][n] = sqlite3_column_type(s, c) == SQLITE_NULL ? NAN
                                                                 : sqlite3_column_double(s, c);
        n++;
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = db_fail(db, path);
    pp->runs = rc == ADI_OK ? n : 0;
    for (int c = 0; c < PM_COUNT && pp->runs; c++)
        pp->m[c] = adi_ci_t(col[c], n, LEVEL);
    for (int c = 0; c < PM_COUNT; c++)
        free(col[c]);
    return rc;
}

/* Devices: one interval per device over the replications. Rows come
** ordered by device, then replication. */
static int load_devices(sqlite3 *db, const char *path, plot_point *pp)
{
    sqlite3_stmt *s;
    const char *sql = "SELECT d.device, d.mean_time, d.tasks_done, d.busy_time, d.idle_time"
                      " FROM run_device d JOIN run r ON r.id = d.run_id WHERE r.point_id = ?"
                      " ORDER BY d.device, r.replication";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_fail(db, path);
    sqlite3_bind_int64(s, 1, pp->id);
    double *tasks = NULL, *util = NULL;
    size_t n = 0, cap = 0, cap2 = 0, devcap = 0;
    int rc = ADI_OK, step;
    sqlite3_int64 current = -1;
    double current_time = 0;
    for (;;) {
        step = sqlite3_step(s);
        sqlite3_int64 dev = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
        if (n && dev != current) { /* close the previous device */
            pp->dev = grow(pp->dev, &devcap, pp->ndev, sizeof *pp->dev, &rc);
            if (rc != ADI_OK)
                break;
            plot_device *pd = &pp->dev[pp->ndev++];
            pd->device = (size_t)current;
            pd->mean_time = current_time;
            pd->tasks = adi_ci_t(tasks, n, LEVEL);
            pd->util = adi_ci_t(util, n, LEVEL);
            n = 0;
        }
        if (step != SQLITE_ROW)
            break;
        tasks = grow(tasks, &cap, n, sizeof(double), &rc);
        util = grow(util, &cap2, n, sizeof(double), &rc);
        if (rc != ADI_OK)
            break;
        current = dev;
        current_time = sqlite3_column_double(s, 1);
        double busy = sqlite3_column_double(s, 3), idle = sqlite3_column_double(s, 4);
        tasks[n] = sqlite3_column_double(s, 2);
        util[n] = busy + idle > 0 ? busy / (busy + idle) : 0;
        n++;
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = db_fail(db, path);
    sqlite3_finalize(s);
    free(tasks);
    free(util);
    return rc;
}

static int load_hist(sqlite3 *db, const char *path, plot_point *pp)
{
    sqlite3_stmt *s;
    const char *sql = "SELECT bucket, lo, hi, count FROM latency_hist"
                      " WHERE point_id = ? AND kind = 'enqueue' ORDER BY bucket";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_fail(db, path);
    sqlite3_bind_int64(s, 1, pp->id);
    size_t cap = 0;
    int rc = ADI_OK, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        uint64_t count = (uint64_t)sqlite3_column_int64(s, 3);
        pp->hist_total += count;
        if (sqlite3_column_int64(s, 0) < 0) {
            pp->hist_zero += count;
            continue;
        }
        pp->hist = grow(pp->hist, &cap, pp->nbuckets, sizeof *pp->hist, &rc);
        if (rc != ADI_OK)
            break;
        pp->hist[pp->nbuckets++] = (plot_bucket){sqlite3_column_double(s, 1),
                                                 sqlite3_column_double(s, 2), count};
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = db_fail(db, path);
    sqlite3_finalize(s);
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
static int load_queue(sqlite3 *db, sqlite3_stmt *s, const char *path, plot_point *pp)
{
    static const char *const names[PQ_COUNT] = {"queue_block", "queue_in_system",
                                                "queue_response", "queue_utilization"};
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, pp->id);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *bound = (const char *)sqlite3_column_text(s, 0);
        for (int q = 0; q < PQ_COUNT; q++)
            if (strcmp(bound, names[q]) == 0) {
                double mean = sqlite3_column_double(s, 2);
                pp->queue[q] = (plot_queue){sqlite3_column_double(s, 1),
                                            {.mean = mean, .lo = sqlite3_column_double(s, 3),
                                             .hi = sqlite3_column_double(s, 4)}};
                pp->queue_mask |= 1u << q;
            }
    }
    return step == SQLITE_DONE ? ADI_OK : db_fail(db, path);
}

static int load_points(sqlite3 *db, adi_plot_data *d)
{
    sqlite3_stmt *find = NULL, *runs = NULL, *queue = NULL;
    int rc = ADI_OK;
    if (sqlite3_prepare_v2(db, "SELECT id FROM point WHERE scenario_name = ? AND key = ?", -1,
                           &find, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT throughput, makespan, idle_time, lat_max, lat_p95,"
                               " blocked_time FROM run WHERE point_id = ? ORDER BY replication",
                           -1, &runs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT bound, predicted, observed, ci_lo, ci_hi FROM bound_check"
                               " WHERE kind = 'ci' AND bound LIKE 'queue_%' AND run_id ="
                               " (SELECT min(id) FROM run WHERE point_id = ?)",
                           -1, &queue, NULL) != SQLITE_OK)
        rc = db_fail(db, d->db_path);
    for (size_t i = 0; i < d->npoints && rc == ADI_OK; i++) {
        plot_point *pp = &d->pt[i];
        pp->p = adi_scenario_point(d->sc, i);
        if (pp->p->infeasible)
            continue;
        if ((rc = model_point(pp)) == ADI_OK && (rc = find_point(db, find, d, pp)) == ADI_OK &&
            pp->id && (rc = load_metrics(db, runs, d->db_path, pp)) == ADI_OK)
            rc = load_queue(db, queue, d->db_path, pp);
        d->stored += pp->runs > 0;
    }
    sqlite3_finalize(find);
    sqlite3_finalize(runs);
    sqlite3_finalize(queue);
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
    sqlite3 *db = adi_store_db(st);
    if ((rc = find_scenario(db, d, scenario)) != ADI_OK)
        goto fail;
    if ((rc = adi_store_parse_scenario(db, db_path, d->scenario_id, d->path[0] ? d->path : d->name,
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
    if ((rc = load_points(db, d)) != ADI_OK)
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
            (rc = load_devices(db, db_path, pp)) == ADI_OK)
            rc = load_hist(db, db_path, pp);
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
