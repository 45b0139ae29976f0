/*
** plots/polfig.c — the policy figures (plot.h): which policy wins where.
**
**   11 [11_policies]  a batch: makespan / C* per policy variant against m
**                     and, when the sweep varies it, against heterogeneity
**                     h (at the chosen point's m); Poisson arrivals: p99
**                     latency per variant against the arrival rate and
**                     against h. A variant is a policy with its keys
**                     (weighted exact, weighted online, pull fastest, ...),
**                     named as the tables name it; C* is the optimum for
**                     identical tasks over the whole pool's mean times (over
**                     a network each device's least time per task with its
**                     transfers, adi_point_task_cycles), so 1 is the best a
**                     deterministic run can do and serial's ratio says what
**                     one device alone costs.
**   12 [12_batching]  throughput and p99 latency against pull_batch b, one
**                     line per arrival rate and max_delay, with the model's
**                     bound R_b = sum_i max_{k <= b} k / T_i(k).
**
** Both follow figures.c: a slice of the sweep fixed at the chosen point on
** every parameter they do not plot, series gathered first, then the
** program. Figure 11 needs two variants or more and m (a batch) or the rate
** (Poisson) swept; 12 needs two values of b. Cost: O(points x variants x
** x values) lookups, C* once per point drawn (O(n log n)).
*/
#include "plots/gp.h"
#include "plots/panel.h"
#include "plots/plot_int.h"

#include "core/error.h"
#include "core/units.h"
#include "model/batching.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BIT(p) PARAM_BIT(ADI_PARAM_##p)

/* The keys that make a variant in figure 11 (batches have their own). */
#define VARIANT                                                                          \
    (BIT(POLICY) | BIT(IDLE_CHOICE) | BIT(ESTIMATES) | BIT(CHOICES) | BIT(VICTIM) |      \
     BIT(STEAL_START))

static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                      "#D55E00", "#56B4E9", "#000000", "#F0E442"};
#define PALETTE_SIZE (sizeof palette / sizeof palette[0])

/* The first point of each variant in figure fig's slice, in sweep order,
** into rep (room for d->npoints); returns how many. */
static size_t variants(const adi_plot_data *d, int fig, const plot_point **rep)
{
    size_t n = 0;
    for (size_t i = 0; i < d->npoints; i++) {
        const plot_point *pp = &d->pt[i];
        if (!plot_in_slice(d, fig, pp))
            continue;
        size_t k = 0;
        while (k < n && !plot_same(rep[k]->p, pp->p, VARIANT))
            k++;
        if (k == n)
            rep[n++] = pp;
    }
    return n;
}

/* The x axis of figure 11's first panel: m for a batch, the rate for
** Poisson arrivals. */
static int first_axis(const adi_plot_data *d)
{
    return plot_chosen(d)->p->workload->open ? ADI_PARAM_RATE : ADI_PARAM_TASKS;
}

int plot_pol_applies(const adi_plot_data *d, int fig, const char **why)
{
    double *v = malloc(d->npoints * sizeof *v);
    const plot_point **rep = malloc(d->npoints * sizeof *rep);
    int ok = 0;
    *why = "out of memory";
    if (v && rep && fig == ADI_FIG_POLICIES) {
        int open = plot_chosen(d)->p->workload->open;
        if (plot_distinct(d, fig, first_axis(d), v) < 2)
            *why = open ? "the chosen point's slice has a single arrival rate"
                        : "the chosen point's slice has a single number of tasks m";
        else if (variants(d, fig, rep) < 2)
            *why = "the chosen point's slice has a single policy";
        else
            ok = 1;
    } else if (v && rep) {
        if (plot_distinct(d, fig, ADI_PARAM_PULL_BATCH, v) < 2)
            *why = adi_scenario_varies(d->sc, ADI_PARAM_PULL_BATCH)
                       ? "the chosen point's slice has a single pull_batch"
                       : "the scenario does not sweep pull_batch";
        else
            ok = 1;
    }
    if (ok)
        *why = NULL;
    free(v);
    free(rep);
    return ok;
}

/* C* of the point's whole pool (its task cycles), s; NAN when it cannot be
** had (memory). */
static double pool_optimum(const adi_point *p)
{
    double *t = malloc(p->n_devices * sizeof *t), c = NAN;
    adi_netdev *dev = malloc(p->n_devices * sizeof *dev);
    if (t && dev) {
        adi_point_task_cycles(p, dev, t);
        if (adi_model_optimal_makespan(t, p->n_devices, p->tasks, &c) != ADI_OK)
            c = NAN;
    }
    free(t);
    free(dev);
    return c;
}

/* A series name for a data block: the label's letters and digits, others
** as '_'. */
static void block_name(const char *label, char *out, size_t size)
{
    size_t i = 0;
    for (; label[i] && i + 1 < size; i++) {
        char c = label[i];
        out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                     ? c : '_';
    }
    out[i] = '\0';
}

/* One row of figure 11: the point's makespan / C* (a batch) or p99. */
static int add_row(series *s, double x, const plot_point *pp, int open)
{
    if (open)
        return series_ci(s, x, &pp->m[PM_LAT_P99]);
    double c = pool_optimum(pp->p);
    const adi_ci *m = &pp->m[PM_MAKESPAN];
    if (!(c > 0))
        return ADI_OK;
    return series_add(s, x, m->mean / c, m->lo / c, m->hi / c, 0);
}

/* ---- figure 11: policies against m (or the rate) and h ------------------------------ */

int plot_fig_policies(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    const int fig = ADI_FIG_POLICIES;
    const plot_point *ref = plot_chosen(d);
    int open = ref->p->workload->open, ax[2] = {first_axis(d), ADI_PARAM_HETEROGENEITY};
    const plot_point **rep = malloc(d->npoints * sizeof *rep);
    double *xv[2] = {malloc(d->npoints * sizeof *xv[0]), malloc(d->npoints * sizeof *xv[1])};
    panel pn[2] = {{0}};
    int rc = rep && xv[0] && xv[1] ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    size_t nv = 0, nx[2] = {0, 0};
    if (rc == ADI_OK) {
        nv = variants(d, fig, rep);
        for (int k = 0; k < 2; k++)
            nx[k] = plot_distinct(d, fig, ax[k], xv[k]);
    }
    int npanels = nx[1] >= 2 ? 2 : 1;
    gp_range y, x[2];
    gp_range_init(&y);
    for (int k = 0; k < npanels && rc == ADI_OK; k++) {
        gp_range_init(&x[k]);
        size_t seen[ADI_POLICY_MAX] = {0}; /* variants drawn per policy: dash types */
        for (size_t v = 0; v < nv && rc == ADI_OK; v++) {
            const adi_policy_desc *pol = rep[v]->p->policy;
            char label[128], name[32];
            adi_scenario_policy_label(d->sc, rep[v]->p, label, sizeof label);
            block_name(label, name, sizeof name);
            size_t *nth = &seen[adi_policy_index(pol)];
            series *s = panel_add(&pn[k], name, label, pol->style.color,
                                  pol->style.point_type + (int)*nth, 1 + (int)*nth, S_LINE_CI,
                                  open ? (k ? "h p99_s ci_lo ci_hi" : "rate p99_s ci_lo ci_hi")
                                       : (k ? "h makespan_over_Cstar ci_lo ci_hi"
                                            : "m makespan_over_Cstar ci_lo ci_hi"));
            ++*nth;
            if (!s) {
                rc = ADI_ENOMEM;
                break;
            }
            double vals[ADI_PARAM_COUNT];
            for (int p = 0; p < ADI_PARAM_COUNT; p++)
                vals[p] = plot_param_value(rep[v]->p, p);
            vals[ax[1 - k]] = plot_param_value(ref->p, ax[1 - k]);
            for (size_t i = 0; i < nx[k] && rc == ADI_OK; i++) {
                vals[ax[k]] = xv[k][i];
                const plot_point *pp = plot_lookup(d, fig, VARIANT | PARAM_BIT(ax[0]) |
                                                   PARAM_BIT(ax[1]), vals, 1);
                if (pp)
                    rc = add_row(s, xv[k][i], pp, open);
            }
        }
        if (rc == ADI_OK && !open) {
            series *one = panel_add(&pn[k], "optimum", "C* (the optimum for identical tasks)",
                                    "#000000", 0, 2, S_FUNC, "");
            if (!one)
                rc = ADI_ENOMEM;
            else
                one->expr = "1";
        }
        if (rc == ADI_OK) {
            panel_yrange(&pn[k], &y);
            panel_range(&pn[k], 0, 0, &x[k]);
        }
    }
    if (rc == ADI_OK) {
        if (!open)
            gp_range_add(&y, 1);
        int ylog = gp_range_wants_log(&y, 8);
        int width = npanels == 2 ? 1500 : 1300, height = 700 + 22 * (int)nv / 3;
        char title[1024], note[160], reps[96];
        snprintf(note, sizeof note, "%s%s", plot_reps_note(d, reps, sizeof reps),
                 open ? "" : "; dashed: C* = 1");
        plot_title(d, fig, note, title, sizeof title);
        gp_preamble(f, fmt, out, width, height);
        for (int k = 0; k < npanels; k++)
            panel_write_blocks(f, fig, k, &pn[k], ylog, gp_log_floor(&y));
        grid g = grid_begin(f, fmt, title, 1, npanels, width, height, 1, 1);
        grid_key_fit(&g, &pn[0], width, height);
        gp_axis(f, "y", &y, ylog, 0);
        for (int k = 0; k < npanels; k++) {
            char xlabel[96], ptitle[160], at[64] = "";
            grid_panel(f, &g, 0, k);
            int xlog = ax[k] == ADI_PARAM_TASKS && x[k].min > 0 && x[k].max / x[k].min >= 8;
            if (xlog)
                fprintf(f, "set logscale x 10\nset xrange [%g:%g]\n", x[k].min / 1.5,
                        x[k].max * 1.5);
            else
                gp_axis(f, "x", &x[k], 0, 0);
            fputs("set xtics autofreq\n", f);
            if (k == 0 && ax[0] == ADI_PARAM_TASKS)
                snprintf(xlabel, sizeof xlabel, "tasks m");
            else if (k == 0)
                snprintf(xlabel, sizeof xlabel, "arrival rate λ (tasks/s)");
            else
                snprintf(xlabel, sizeof xlabel, "heterogeneity h = std(T_i)/mean T");
            if (ax[1 - k] == ADI_PARAM_TASKS)
                snprintf(at, sizeof at, " at m = %llu", (unsigned long long)ref->p->tasks);
            else if (npanels == 2)
                snprintf(at, sizeof at, k ? " at λ = %.4g/s" : " at h = %.3g",
                         k ? ref->p->rate : ref->p->heterogeneity);
            snprintf(ptitle, sizeof ptitle, "%s against %s%s",
                     open ? "p99 latency" : "Makespan / C*",
                     k ? "heterogeneity" : open ? "the arrival rate" : "tasks", at);
            panel_labels(f, ptitle, xlabel,
                         open ? "p99 latency, enqueue to completion (s)" : "makespan / C*");
            panel_note_dropped(f, fmt, &pn[k], open ? "p99" : "makespan");
            panel_plot(f, fig, k, &pn[k], plot_errors_drawn(d), 0);
            fputs("unset logscale x\n", f);
        }
        grid_key(f, &g, &pn[0], plot_errors_drawn(d));
        fputs("unset multiplot\n", f);
    }
    panel_clear(&pn[0]);
    panel_clear(&pn[1]);
    free(rep);
    free(xv[0]);
    free(xv[1]);
    return rc;
}

/* ---- figure 12: throughput and p99 against pull_batch b ----------------------------- */

/* R_b of the point's pool for batches of up to b, tasks/s; NAN on error. */
static double batch_bound(const plot_point *pp, uint64_t b)
{
    const adi_point *p = pp->p;
    double R = NAN;
    if (b <= 1)
        return pp->pool_R;
    if (!p->params.batch_scale ||
        adi_batching_throughput_scaled(p->times, p->params.batch_scale, p->n_devices, b, &R) !=
            ADI_OK)
        return NAN;
    return R;
}

int plot_fig_batching(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    const int fig = ADI_FIG_BATCHING;
    double *bs = malloc(d->npoints * sizeof *bs), *rates = malloc(d->npoints * sizeof *rates),
           *delays = malloc(d->npoints * sizeof *delays);
    panel pn[2] = {{0}};
    int rc = bs && rates && delays ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    size_t nb = 0, nr = 0, nd = 0;
    if (rc == ADI_OK) {
        nb = plot_distinct(d, fig, ADI_PARAM_PULL_BATCH, bs);
        nr = plot_distinct(d, fig, ADI_PARAM_RATE, rates);
        nd = plot_distinct(d, fig, ADI_PARAM_MAX_DELAY, delays);
    }
    const plot_point *ref = plot_chosen(d);
    int open = ref->p->workload->open;
    static const int metric[2] = {PM_THROUGHPUT, PM_LAT_P99};
    gp_range y[2];
    for (int k = 0; k < 2 && rc == ADI_OK; k++) {
        gp_range_init(&y[k]);
        for (size_t r = 0; r < nr && rc == ADI_OK; r++)
            for (size_t j = 0; j < nd && rc == ADI_OK; j++) {
                char name[48], title[96], t[32] = "∞", lam[48] = "";
                if (isfinite(delays[j]))
                    adi_format_time(delays[j], t, sizeof t);
                if (open)
                    snprintf(lam, sizeof lam, "λ = %.4g/s, ", rates[r]);
                snprintf(title, sizeof title, "%sD = %s", lam, t);
                snprintf(name, sizeof name, "r%zu_d%zu", r, j);
                series *s = panel_add(&pn[k], name, title, palette[r % PALETTE_SIZE],
                                      5 + 2 * (int)j, 1 + (int)j, S_LINE_CI,
                                      k ? "b p99_s ci_lo ci_hi" : "b throughput_per_s ci_lo ci_hi");
                if (!s) {
                    rc = ADI_ENOMEM;
                    break;
                }
                double vals[ADI_PARAM_COUNT] = {0};
                vals[ADI_PARAM_RATE] = rates[r];
                vals[ADI_PARAM_MAX_DELAY] = delays[j];
                for (size_t i = 0; i < nb && rc == ADI_OK; i++) {
                    vals[ADI_PARAM_PULL_BATCH] = bs[i];
                    /* b = 1 waits for nothing: its point serves every D */
                    unsigned mask = BIT(RATE) | BIT(PULL_BATCH) | (bs[i] > 1 ? BIT(MAX_DELAY) : 0);
                    const plot_point *pp = plot_lookup(d, fig, mask, vals, 1);
                    if (pp)
                        rc = series_ci(s, bs[i], &pp->m[metric[k]]);
                }
            }
        if (rc == ADI_OK && k == 0) {
            series *s = panel_add(&pn[0], "R_b", "model bound R_b = Σ_i max_{k≤b} k/T_i(k)",
                                  "#000000", 0, 2, S_LINE, "b R_b_per_s");
            if (!s)
                rc = ADI_ENOMEM;
            for (size_t i = 0; i < nb && rc == ADI_OK; i++) {
                double vals[ADI_PARAM_COUNT] = {0};
                vals[ADI_PARAM_PULL_BATCH] = bs[i];
                const plot_point *pp = plot_lookup(d, fig, BIT(PULL_BATCH), vals, 0);
                if (pp)
                    rc = series_add(s, bs[i], batch_bound(pp, (uint64_t)bs[i]), NAN, NAN, 0);
            }
        }
        if (rc == ADI_OK)
            panel_yrange(&pn[k], &y[k]);
    }
    if (rc == ADI_OK) {
        char title[1024], note[160], reps[96];
        snprintf(note, sizeof note, "%s; dashed: the bound R_b", plot_reps_note(d, reps, sizeof reps));
        plot_title(d, fig, note, title, sizeof title);
        int width = 1400, height = 720 + 22 * (int)(pn[0].n / 4);
        gp_preamble(f, fmt, out, width, height);
        int ylog[2] = {0, gp_range_wants_log(&y[1], 8)};
        for (int k = 0; k < 2; k++)
            panel_write_blocks(f, fig, k, &pn[k], ylog[k], gp_log_floor(&y[k]));
        grid g = grid_begin(f, fmt, title, 1, 2, width, height, 1, 1);
        grid_key_fit(&g, &pn[0], width, height);
        fprintf(f, "set logscale x 2\nset xrange [%g:%g]\n", bs[0] / 1.3, bs[nb - 1] * 1.3);
        panel_xtics(f, nb, bs, NULL);
        for (int k = 0; k < 2; k++) {
            grid_panel(f, &g, 0, k);
            gp_axis(f, "y", &y[k], ylog[k], k == 0);
            panel_labels(f, k ? "p99 latency against the batch size" : "Throughput against the batch size",
                         "pull\\_batch b (the most tasks a device takes at once)",
                         k ? "p99 latency, enqueue to completion (s)" : "throughput (tasks/s)");
            panel_note_dropped(f, fmt, &pn[k], k ? "p99" : "throughput");
            panel_plot(f, fig, k, &pn[k], plot_errors_drawn(d), 0);
        }
        grid_key(f, &g, &pn[0], plot_errors_drawn(d));
        fputs("unset multiplot\n", f);
    }
    panel_clear(&pn[0]);
    panel_clear(&pn[1]);
    free(bs);
    free(rates);
    free(delays);
    return rc;
}
