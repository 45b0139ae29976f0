/*
** plots/figures.c — the figures as gnuplot programs (plot.h): the first
** seven here, the network's three in netfig.c, the policies' two in
** polfig.c, with the slices they share.
**
** A figure is built in three steps: pick its slice of the sweep (the points
** that agree with the chosen point on every parameter the figure does not
** plot), gather its series in memory (rows of x, y, interval, width), and
** only then write the program, because the axes (log or linear, shared
** ranges across panels) depend on all the data. Every series becomes one
** inline data block, $f<fig>_<panel>_<series>, so the numbers gnuplot draws
** can be read back from the program text (tests/test_plots.c does).
**
** Intervals: y is the mean over the point's replications, lo/hi its 95 %
** Student-t interval; with one replication lo = hi = y and no bars are
** drawn. On a log axis zeros cannot be drawn: such rows are left out and
** the panel says so, and interval ends below the axis are clamped to it.
** The machinery (series, panels, the grid) is in panel.c; this file says
** what each figure shows.
*/
#include "plots/gp.h"
#include "plots/panel.h"
#include "plots/plot_int.h"

#include "core/error.h"
#include "core/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BIT(p) PARAM_BIT(ADI_PARAM_##p)

static const struct {
    const char *stem, *caption;
} figures[ADI_FIG_COUNT] = {
    [ADI_FIG_THROUGHPUT] = {"1_throughput", "Throughput vs number of devices"},
    [ADI_FIG_LATENCY] = {"2_latency", "Latency distribution"},
    [ADI_FIG_QUEUE] = {"3_queue", "Idle time and max latency vs queue capacity"},
    [ADI_FIG_HETEROGENEITY] = {"4_heterogeneity", "Throughput and makespan vs heterogeneity"},
    [ADI_FIG_BOUNDS] = {"5_bounds", "Simulated makespan against the analytic bounds"},
    [ADI_FIG_DEVICES] = {"6_devices", "Work per device"},
    [ADI_FIG_EXACT] = {"7_exact", "Simulated against exact queueing theory"},
    [ADI_FIG_BANDWIDTH] = {"8_bandwidth", "Throughput vs link bandwidth"},
    [ADI_FIG_PREFETCH] = {"9_prefetch", "Throughput vs prefetch"},
    [ADI_FIG_SPLIT] = {"10_time_split", "Each device's time: compute, transfer, waiting"},
    [ADI_FIG_POLICIES] = {"11_policies", "Which policy wins: makespan / C* or p99 per policy"},
    [ADI_FIG_BATCHING] = {"12_batching", "Throughput and p99 vs batch size"},
};

/* Parameters each figure does not fix at the chosen point's values. */
static const unsigned free_params[ADI_FIG_COUNT] = {
    [ADI_FIG_THROUGHPUT] = BIT(POLICY) | BIT(DEVICES) | BIT(HETEROGENEITY),
    [ADI_FIG_LATENCY] = BIT(POLICY),
    [ADI_FIG_QUEUE] = BIT(POLICY) | BIT(CAPACITY),
    [ADI_FIG_HETEROGENEITY] = BIT(POLICY) | BIT(DEVICES) | BIT(HETEROGENEITY),
    [ADI_FIG_BOUNDS] = PARAM_ALL,
    [ADI_FIG_DEVICES] = BIT(POLICY),
    [ADI_FIG_EXACT] = PARAM_ALL,
    [ADI_FIG_BANDWIDTH] = BIT(POLICY) | BIT(LINK_SCALE),
    [ADI_FIG_PREFETCH] = BIT(POLICY) | BIT(PREFETCH),
    [ADI_FIG_SPLIT] = BIT(POLICY),
    [ADI_FIG_POLICIES] = BIT(POLICY) | BIT(IDLE_CHOICE) | BIT(ESTIMATES) | BIT(CHOICES) |
                         BIT(VICTIM) | BIT(STEAL_START) | BIT(TASKS) | BIT(HETEROGENEITY) |
                         BIT(RATE),
    [ADI_FIG_BATCHING] = BIT(PULL_BATCH) | BIT(MAX_DELAY) | BIT(RATE),
};

/* Okabe-Ito colours (readable for colour-blind readers) for lines per
** device count, in turn. A policy's colour and point type are its
** descriptor's style (policy/policy.h). */
static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                      "#D55E00", "#56B4E9", "#000000", "#F0E442"};
#define PALETTE_SIZE (sizeof palette / sizeof palette[0])

const char *adi_plot_figure_stem(int fig)
{
    return fig >= 0 && fig < ADI_FIG_COUNT ? figures[fig].stem : "?";
}

const char *adi_plot_figure_caption(int fig)
{
    return fig >= 0 && fig < ADI_FIG_COUNT ? figures[fig].caption : "?";
}

/* ---- parameters and slices ------------------------------------------------------ */

double plot_param_value(const adi_point *p, int param)
{
    switch (param) {
    case ADI_PARAM_POLICY: return (double)adi_policy_index(p->policy);
    case ADI_PARAM_DEVICES: return (double)p->n_devices;
    case ADI_PARAM_CAPACITY: return p->capacity == ADI_CAPACITY_INF ? INFINITY : (double)p->capacity;
    case ADI_PARAM_HETEROGENEITY: return p->heterogeneity;
    case ADI_PARAM_MEAN_TIME: return p->mean_time;
    case ADI_PARAM_TASKS: return (double)p->tasks;
    case ADI_PARAM_PREFETCH: return (double)p->net.prefetch;
    case ADI_PARAM_COORDINATOR: return p->net.coord_bw;
    case ADI_PARAM_INPUT_SIZE: return p->net.s_in;
    case ADI_PARAM_LINK_SCALE: return p->net.link_scale;
    case ADI_PARAM_IDLE_CHOICE: return (double)p->params.idle_choice;
    case ADI_PARAM_PULL_BATCH: return (double)p->params.batch;
    case ADI_PARAM_MAX_DELAY: return p->params.max_delay;
    case ADI_PARAM_ESTIMATES: return (double)p->params.estimates;
    case ADI_PARAM_CHOICES: return (double)p->params.choices;
    case ADI_PARAM_VICTIM: return (double)p->params.victim;
    case ADI_PARAM_STEAL_START: return (double)p->params.steal_start;
    default: return p->rate;
    }
}

const plot_point *plot_chosen(const adi_plot_data *d) { return &d->pt[d->chosen]; }

int plot_in_slice(const adi_plot_data *d, int fig, const plot_point *pp)
{
    return pp->runs && plot_same(pp->p, plot_chosen(d)->p, PARAM_ALL & ~free_params[fig]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

size_t plot_distinct(const adi_plot_data *d, int fig, int param, double *out)
{
    size_t n = 0;
    for (size_t i = 0; i < d->npoints; i++) {
        if (!plot_in_slice(d, fig, &d->pt[i]))
            continue;
        double v = plot_param_value(d->pt[i].p, param);
        size_t k = 0;
        while (k < n && out[k] != v)
            k++;
        if (k == n)
            out[n++] = v;
    }
    qsort(out, n, sizeof *out, cmp_double);
    return n;
}

/* The distinct values of figure fig's slice along h, n and policy, each
** ascending (figures 1 and 4 draw the same three axes). */
typedef struct axes {
    double *h, *n, *pol;
    size_t nh, nn, np;
} axes;

static void axes_free(axes *a)
{
    free(a->h);
    free(a->n);
    free(a->pol);
}

static int axes_collect(const adi_plot_data *d, int fig, axes *a)
{
    *a = (axes){malloc(d->npoints * sizeof *a->h), malloc(d->npoints * sizeof *a->n),
                malloc(d->npoints * sizeof *a->pol), 0, 0, 0};
    if (!a->h || !a->n || !a->pol)
        return adi_fail(ADI_ENOMEM, "out of memory");
    a->nh = plot_distinct(d, fig, ADI_PARAM_HETEROGENEITY, a->h);
    a->nn = plot_distinct(d, fig, ADI_PARAM_DEVICES, a->n);
    a->np = plot_distinct(d, fig, ADI_PARAM_POLICY, a->pol);
    return ADI_OK;
}

const plot_point *plot_lookup(const adi_plot_data *d, int fig, unsigned params,
                                const double *vals, int stored)
{
    for (size_t i = 0; i < d->npoints; i++) {
        const plot_point *pp = &d->pt[i];
        if (stored ? !plot_in_slice(d, fig, pp)
                   : !pp->has_model ||
                         !plot_same(pp->p, plot_chosen(d)->p, PARAM_ALL & ~free_params[fig]))
            continue;
        int match = 1;
        for (int k = 0; k < ADI_PARAM_COUNT && match; k++)
            if (params & PARAM_BIT(k))
                match = plot_param_value(pp->p, k) == vals[k];
        if (match)
            return pp;
    }
    return NULL;
}

/* ---- text ----------------------------------------------------------------------- */

static const char *capacity_text(double q, char *buf, size_t size)
{
    if (isinf(q))
        return "∞";
    snprintf(buf, size, "%.0f", q);
    return buf;
}

/* "n = 16, Q = ∞, h = 1": the parameters in mask that the scenario sweeps,
** plus those in `always`, at point p. Appends to buf. */
static void describe(const adi_plot_data *d, const adi_point *p, unsigned mask, unsigned always,
                     char *buf, size_t size)
{
    for (int k = 0; k < ADI_PARAM_COUNT; k++) {
        if (!(mask & PARAM_BIT(k)) || (!adi_scenario_varies(d->sc, (adi_param)k) &&
                                       !(always & PARAM_BIT(k))))
            continue;
        char v[48], t[32];
        size_t len = strlen(buf);
        const char *sep = len ? ", " : "";
        switch (k) {
        case ADI_PARAM_POLICY: snprintf(v, sizeof v, "%s", adi_policy_name(p->policy)); break;
        case ADI_PARAM_DEVICES: snprintf(v, sizeof v, "n = %zu", p->n_devices); break;
        case ADI_PARAM_CAPACITY:
            snprintf(v, sizeof v, "Q = %s", capacity_text(plot_param_value(p, k), t, sizeof t));
            break;
        case ADI_PARAM_HETEROGENEITY: snprintf(v, sizeof v, "h = %.3g", p->heterogeneity); break;
        case ADI_PARAM_MEAN_TIME:
            snprintf(v, sizeof v, "mean T = %s", adi_format_time(p->mean_time, t, sizeof t));
            break;
        case ADI_PARAM_TASKS: snprintf(v, sizeof v, "m = %llu", (unsigned long long)p->tasks); break;
        case ADI_PARAM_RATE: snprintf(v, sizeof v, "λ = %.4g/s", p->rate); break;
        case ADI_PARAM_PREFETCH:
            snprintf(v, sizeof v, "prefetch k = %llu", (unsigned long long)p->net.prefetch);
            break;
        case ADI_PARAM_COORDINATOR:
            snprintf(v, sizeof v, "coordinator %s", adi_format_bitrate(p->net.coord_bw, t, sizeof t));
            break;
        case ADI_PARAM_INPUT_SIZE: snprintf(v, sizeof v, "input %.6g B", p->net.s_in); break;
        case ADI_PARAM_LINK_SCALE: snprintf(v, sizeof v, "links ×%.4g", p->net.link_scale); break;
        default: adi_policy_params_text(p->policy, &p->params, 1u << (k - ADI_PARAM_IDLE_CHOICE),
                                        v, sizeof v); break;
        }
        if (v[0])
            snprintf(buf + len, size - len, "%s%s", sep, v);
    }
}

char *adi_plot_figure_slice(const adi_plot_data *d, int fig, char *buf, size_t size)
{
    const adi_point *ref = plot_chosen(d)->p;
    buf[0] = '\0';
    switch (fig) {
    case ADI_FIG_LATENCY:
    case ADI_FIG_DEVICES:
    case ADI_FIG_SPLIT:
        snprintf(buf, size, "point %zu: ", d->chosen);
        describe(d, ref, PARAM_ALL & ~BIT(POLICY),
                 BIT(DEVICES) | BIT(CAPACITY) | BIT(HETEROGENEITY), buf + strlen(buf),
                 size - strlen(buf));
        break;
    case ADI_FIG_BOUNDS:
        snprintf(buf, size, "every stored batch point");
        break;
    default:
        describe(d, ref, PARAM_ALL & ~free_params[fig], 0, buf, size);
        break;
    }
    if (!buf[0])
        snprintf(buf, size, "the whole sweep");
    return buf;
}

/* Three lines: caption and scenario; the slice and what the marks mean;
** the fixed context (m, mean T, law, and which devices' times are
** estimates, when any are). */
char *plot_title(const adi_plot_data *d, int fig, const char *note, char *buf, size_t size)
{
    char name[256], slice[512], ctx[512] = "", t[32];
    const adi_point *ref = plot_chosen(d)->p;
    gp_escape(d->name, name, sizeof name);
    adi_plot_figure_slice(d, fig, slice, sizeof slice);
    size_t len = 0;
    if (!adi_scenario_varies(d->sc, ADI_PARAM_TASKS))
        len += (size_t)snprintf(ctx + len, sizeof ctx - len, "m = %llu tasks, ",
                                (unsigned long long)ref->tasks);
    if (!adi_scenario_varies(d->sc, ADI_PARAM_MEAN_TIME))
        len += (size_t)snprintf(ctx + len, sizeof ctx - len, "mean T = %s, ",
                                adi_format_time(ref->mean_time, t, sizeof t));
    len += (size_t)snprintf(ctx + len, sizeof ctx - len, "%s task times",
                            adi_dist_name(ref->dist));
    if (ref->cv > 0)
        len += (size_t)snprintf(ctx + len, sizeof ctx - len, " (cv %.2g)", ref->cv);
    if (ref->workload->open)
        len += (size_t)snprintf(ctx + len, sizeof ctx - len, ", Poisson arrivals");
    if (adi_scenario_estimated(d->sc) && len < sizeof ctx) {
        char est[200];
        gp_escape(adi_scenario_estimated(d->sc), est, sizeof est);
        snprintf(ctx + len, sizeof ctx - len, " · ESTIMATED times: %s", est);
    }
    snprintf(buf, size, "%s — scenario %s\n{/*0.8 %s · %s}\n{/*0.8 %s}", figures[fig].caption,
             name, slice, note, ctx);
    return buf;
}

char *plot_reps_note(const adi_plot_data *d, char *buf, size_t size)
{
    size_t r = plot_chosen(d)->runs;
    if (r >= 2)
        snprintf(buf, size, "mean of %zu replications, bars: 95%% CI", r);
    else
        snprintf(buf, size, "1 replication (no intervals)");
    return buf;
}

int plot_errors_drawn(const adi_plot_data *d) { return plot_chosen(d)->runs >= 2; }

/* ---- figure 1: throughput vs n ----------------------------------------------------- */

static int fig_throughput(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    const int fig = ADI_FIG_THROUGHPUT;
    axes a;
    panel *pn = NULL;
    int rc = axes_collect(d, fig, &a);
    if (rc == ADI_OK && !(pn = calloc(a.nh, sizeof *pn)))
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    double vals[ADI_PARAM_COUNT] = {0};
    gp_range y, x;
    gp_range_init(&y);
    gp_range_init(&x);
    for (size_t k = 0; k < a.nh && rc == ADI_OK; k++) {
        vals[ADI_PARAM_HETEROGENEITY] = a.h[k];
        for (size_t j = 0; j < a.np && rc == ADI_OK; j++) {
            const adi_policy_desc *pol = adi_policy_at((size_t)a.pol[j]);
            series *s = panel_add(&pn[k], adi_policy_name(pol), adi_policy_name(pol),
                                  pol->style.color, pol->style.point_type, 1, S_LINE_CI,
                                  "n throughput_per_s ci_lo ci_hi");
            if (!s)
                rc = ADI_ENOMEM;
            vals[ADI_PARAM_POLICY] = a.pol[j];
            for (size_t i = 0; i < a.nn && rc == ADI_OK; i++) {
                vals[ADI_PARAM_DEVICES] = a.n[i];
                const plot_point *pp = plot_lookup(d, fig, BIT(POLICY) | BIT(DEVICES) |
                                              BIT(HETEROGENEITY), vals, 1);
                if (pp)
                    rc = series_ci(s, a.n[i], &pp->m[PM_THROUGHPUT]);
            }
        }
        series *b = rc == ADI_OK ? panel_add(&pn[k], "bound", "model bound R = Σ 1/T_i",
                                             "#000000", 0, 2, S_LINE, "n R_per_s")
                                 : NULL;
        if (rc == ADI_OK && !b)
            rc = ADI_ENOMEM;
        for (size_t i = 0; i < a.nn && rc == ADI_OK; i++) {
            vals[ADI_PARAM_DEVICES] = a.n[i];
            const plot_point *pp = plot_lookup(d, fig, BIT(DEVICES) | BIT(HETEROGENEITY), vals, 0);
            if (pp)
                rc = series_add(b, a.n[i], pp->pool_R, NAN, NAN, 0);
        }
        if (rc == ADI_OK) {
            panel_yrange(&pn[k], &y);
            panel_range(&pn[k], 0, 0, &x);
        }
    }
    if (rc == ADI_OK) {
        int cols = a.nh <= 1 ? 1 : a.nh <= 4 ? 2 : 3;
        int rows = (int)((a.nh + (size_t)cols - 1) / (size_t)cols);
        int xlog = x.min > 0 && x.max / x.min >= 4, ylog = gp_range_wants_log(&y, 8);
        int width = cols == 1 ? 1000 : 640 * cols, height = 200 + 400 * rows;
        char title[1024], note[96];
        plot_reps_note(d, note, sizeof note);
        plot_title(d, fig, note, title, sizeof title);
        gp_preamble(f, fmt, out, width, height);
        for (size_t k = 0; k < a.nh; k++)
            panel_write_blocks(f, fig, (int)k, &pn[k], ylog, gp_log_floor(&y));
        grid g = grid_begin(f, fmt, title, rows, cols, width, height, 1, 1);
        gp_axis(f, "y", &y, ylog, 1);
        if (xlog)
            fprintf(f, "set logscale x 2\nset xrange [%g:%g]\n", x.min / 1.15, x.max * 1.15);
        else
            gp_axis(f, "x", &x, 0, 0);
        panel_xtics(f, a.nn, a.n, NULL);
        for (size_t k = 0; k < a.nh; k++) {
            char h[64];
            grid_panel(f, &g, (int)k / cols, (int)k % cols);
            snprintf(h, sizeof h, "heterogeneity h = std(T_i)/mean T = %.3g", a.h[k]);
            panel_labels(f, h, "devices n", "throughput (tasks/s)");
            panel_note_dropped(f, fmt, &pn[k], "throughput");
            panel_plot(f, fig, (int)k, &pn[k], plot_errors_drawn(d), 0);
        }
        grid_key(f, &g, &pn[panel_key_index(pn, a.nh)], plot_errors_drawn(d));
        fputs("unset multiplot\n", f);
    }
    panels_free(pn, a.nh);
    axes_free(&a);
    return rc;
}

/* ---- figure 2: latency CDF ---------------------------------------------------------- */

static int fig_latency(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    const int fig = ADI_FIG_LATENCY;
    panel pn = {0};
    int rc = ADI_OK;
    gp_range x;
    gp_range_init(&x);
    static const double qs[] = {0.5, 0.95, 0.99};
    for (size_t i = 0; i < d->npoints && rc == ADI_OK; i++) {
        const plot_point *pp = &d->pt[i];
        if (!plot_in_slice(d, fig, pp) || !pp->hist_total)
            continue;
        const adi_policy_desc *pol = pp->p->policy;
        char title[192], a[32], b[32], c[32], name[32];
        double q[3];
        for (int k = 0; k < 3; k++)
            q[k] = plot_hist_quantile(pp, qs[k]);
        snprintf(title, sizeof title, "%s: p50 %s, p95 %s, p99 %s", adi_policy_name(pol),
                 adi_format_time(q[0], a, sizeof a), adi_format_time(q[1], b, sizeof b),
                 adi_format_time(q[2], c, sizeof c));
        snprintf(name, sizeof name, "%s_marks", adi_policy_name(pol));
        if (!panel_add(&pn, adi_policy_name(pol), title, pol->style.color, 0, 1, S_LINE,
                       "latency_s fraction_le") ||
            !panel_add(&pn, name, "", pol->style.color, 7, 1, S_POINTS,
                       "latency_s quantile (p50, p95, p99)")) {
            rc = ADI_ENOMEM;
            break;
        }
        series *s = &pn.s[pn.n - 2], *m = &pn.s[pn.n - 1];
        /* The CDF: flat over gaps between stored buckets, linear inside one. */
        double total = (double)pp->hist_total, cum = (double)pp->hist_zero;
        for (size_t k = 0; k < pp->nbuckets && rc == ADI_OK; k++) {
            const plot_bucket *bk = &pp->hist[k];
            if (k == 0 || bk->lo != pp->hist[k - 1].hi)
                rc = series_add(s, bk->lo, cum / total, NAN, NAN, 0);
            cum += (double)bk->count;
            if (rc == ADI_OK)
                rc = series_add(s, bk->hi, cum / total, NAN, NAN, 0);
        }
        for (int k = 0; k < 3 && rc == ADI_OK; k++)
            rc = series_add(m, q[k], qs[k], NAN, NAN, 0);
        if (rc == ADI_OK)
            panel_range(&pn, 0, 0, &x);
    }
    if (rc == ADI_OK) {
        int xlog = gp_range_wants_log(&x, 30);
        char title[1024], note[96];
        snprintf(note, sizeof note, "%zu replications pooled", plot_chosen(d)->runs);
        plot_title(d, fig, note, title, sizeof title);
        gp_preamble(f, fmt, out, 1100, 720);
        panel_write_blocks(f, fig, 0, &pn, 0, 0);
        fputs("set title ", f);
        gp_text(f, title);
        gp_font(f, fmt, 15);
        fputc('\n', f);
        gp_axis(f, "x", &x, xlog, 0);
        fputs("set yrange [0:1.02]\nset ytics 0.1\nset rmargin 7\n"
              "set xlabel \"latency: enqueue to completion (s)\"\n"
              "set ylabel \"fraction of tasks with latency ≤ x\"\n"
              "set key top left\n", f);
        /* Guides at the marked quantiles: each curve's dot sits where it
        ** crosses one. */
        for (int k = 0; k < 3; k++) {
            fprintf(f, "set arrow from graph 0, first %g to graph 1, first %g nohead dt 3"
                       " lc rgb \"#888888\" back\n"
                       "set label \"p%g\" at graph 1.01, first %g left tc rgb \"#555555\"",
                    qs[k], qs[k], 100 * qs[k], qs[k]);
            gp_font(f, fmt, 11);
            fputc('\n', f);
        }
        panel_plot(f, fig, 0, &pn, 0, 1);
    }
    panel_clear(&pn);
    return rc;
}

/* ---- figure 3: idle time and max latency vs Q ---------------------------------------- */

static int fig_queue(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    const int fig = ADI_FIG_QUEUE;
    double *qs = malloc(d->npoints * sizeof *qs), *pols = malloc(d->npoints * sizeof *pols),
           *xs = malloc(d->npoints * sizeof *xs);
    char (*names)[32] = calloc(d->npoints, sizeof *names);
    const char **tics = calloc(d->npoints, sizeof *tics);
    panel pn[2] = {{0}};
    int rc = qs && pols && xs && names && tics ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    size_t nq = 0, np = 0;
    double finite_max = 0, finite_min = INFINITY;
    if (rc == ADI_OK) {
        nq = plot_distinct(d, fig, ADI_PARAM_CAPACITY, qs);
        np = plot_distinct(d, fig, ADI_PARAM_POLICY, pols);
        for (size_t i = 0; i < nq; i++)
            if (isfinite(qs[i])) {
                finite_max = fmax(finite_max, qs[i]);
                finite_min = fmin(finite_min, qs[i]);
            }
    }
    /* Q = inf sits one decade right of the largest finite capacity. */
    double xinf = finite_max > 0 ? pow(10, floor(log10(finite_max)) + 1) : 1;
    for (size_t i = 0; i < nq; i++) {
        xs[i] = isinf(qs[i]) ? xinf : qs[i];
        tics[i] = capacity_text(qs[i], names[i], sizeof names[i]);
    }
    static const int metric[2] = {PM_IDLE, PM_LAT_MAX};
    double vals[ADI_PARAM_COUNT] = {0};
    gp_range y[2];
    for (int k = 0; k < 2 && rc == ADI_OK; k++) {
        gp_range_init(&y[k]);
        for (size_t j = 0; j < np && rc == ADI_OK; j++) {
            const adi_policy_desc *pol = adi_policy_at((size_t)pols[j]);
            series *s = panel_add(&pn[k], adi_policy_name(pol), adi_policy_name(pol),
                                  pol->style.color, pol->style.point_type, 1, S_LINE_CI,
                                  k ? "Q(inf: one decade right) lat_max_s ci_lo ci_hi"
                                    : "Q(inf: one decade right) idle_device_s ci_lo ci_hi");
            if (!s)
                rc = ADI_ENOMEM;
            vals[ADI_PARAM_POLICY] = pols[j];
            for (size_t i = 0; i < nq && rc == ADI_OK; i++) {
                vals[ADI_PARAM_CAPACITY] = qs[i];
                const plot_point *pp = plot_lookup(d, fig, BIT(POLICY) | BIT(CAPACITY), vals, 1);
                if (pp)
                    rc = series_ci(s, xs[i], &pp->m[metric[k]]);
            }
        }
        if (rc == ADI_OK)
            panel_yrange(&pn[k], &y[k]);
    }
    if (rc == ADI_OK) {
        char title[1024], note[96];
        plot_reps_note(d, note, sizeof note);
        plot_title(d, fig, note, title, sizeof title);
        gp_preamble(f, fmt, out, 1300, 640);
        int ylog[2];
        for (int k = 0; k < 2; k++) {
            ylog[k] = gp_range_wants_log(&y[k], 8);
            panel_write_blocks(f, fig, k, &pn[k], ylog[k], gp_log_floor(&y[k]));
        }
        grid g = grid_begin(f, fmt, title, 1, 2, 1300, 640, 1, 1);
        fprintf(f, "set logscale x 10\nset xrange [%g:%g]\n", fmin(finite_min, xinf) / 2,
                xinf * 2);
        panel_xtics(f, nq, xs, tics);
        static const char *const what[2][3] = {
            {"Idle time of the devices", "idle time, summed over devices (s)", "idle time"},
            {"Max latency", "max latency, enqueue to completion (s)", "max latency"}};
        for (int k = 0; k < 2; k++) {
            grid_panel(f, &g, 0, k);
            gp_axis(f, "y", &y[k], ylog[k], 1);
            panel_labels(f, what[k][0], "queue capacity Q (tasks that may wait)", what[k][1]);
            panel_note_dropped(f, fmt, &pn[k], what[k][2]);
            panel_plot(f, fig, k, &pn[k], plot_errors_drawn(d), 0);
        }
        grid_key(f, &g, &pn[panel_key_index(pn, 2)], plot_errors_drawn(d));
        fputs("unset multiplot\n", f);
    }
    panel_clear(&pn[0]);
    panel_clear(&pn[1]);
    free(qs);
    free(pols);
    free(xs);
    free(names);
    free(tics);
    return rc;
}

/* ---- figure 4: throughput and makespan vs h, per n ------------------------------------ */

static int fig_heterogeneity(const adi_plot_data *d, FILE *f, adi_plot_format fmt,
                             const char *out)
{
    const int fig = ADI_FIG_HETEROGENEITY;
    axes a;
    panel *pn = NULL;
    int rc = axes_collect(d, fig, &a);
    if (rc == ADI_OK && !(pn = calloc(2 * a.np, sizeof *pn)))
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    static const int metric[2] = {PM_THROUGHPUT, PM_MAKESPAN};
    double vals[ADI_PARAM_COUNT] = {0};
    gp_range y[2], x;
    gp_range_init(&y[0]);
    gp_range_init(&y[1]);
    gp_range_init(&x);
    for (int r = 0; r < 2 && rc == ADI_OK; r++)
        for (size_t c = 0; c < a.np && rc == ADI_OK; c++) {
            panel *p = &pn[(size_t)r * a.np + c];
            vals[ADI_PARAM_POLICY] = a.pol[c];
            for (size_t j = 0; j < a.nn && rc == ADI_OK; j++) {
                char name[32], title[48];
                snprintf(name, sizeof name, "n%.0f", a.n[j]);
                snprintf(title, sizeof title, "n = %.0f devices", a.n[j]);
                series *s = panel_add(p, name, title, palette[j % PALETTE_SIZE], 7, 1,
                                      S_LINE_CI, r ? "h makespan_s ci_lo ci_hi"
                                                   : "h throughput_per_s ci_lo ci_hi");
                if (!s)
                    rc = ADI_ENOMEM;
                vals[ADI_PARAM_DEVICES] = a.n[j];
                for (size_t i = 0; i < a.nh && rc == ADI_OK; i++) {
                    vals[ADI_PARAM_HETEROGENEITY] = a.h[i];
                    const plot_point *pp = plot_lookup(d, fig, BIT(POLICY) | BIT(DEVICES) |
                                                  BIT(HETEROGENEITY), vals, 1);
                    if (pp)
                        rc = series_ci(s, a.h[i], &pp->m[metric[r]]);
                }
            }
            if (rc == ADI_OK) {
                panel_yrange(p, &y[r]);
                panel_range(p, 0, 0, &x);
            }
        }
    if (rc == ADI_OK) {
        char title[1024], note[96];
        plot_reps_note(d, note, sizeof note);
        plot_title(d, fig, note, title, sizeof title);
        int width = a.np <= 1 ? 900 : 140 + 460 * (int)a.np, height = 980;
        gp_preamble(f, fmt, out, width, height);
        int ylog[2];
        for (int r = 0; r < 2; r++) {
            ylog[r] = gp_range_wants_log(&y[r], 8);
            for (size_t c = 0; c < a.np; c++)
                panel_write_blocks(f, fig, r * (int)a.np + (int)c, &pn[(size_t)r * a.np + c],
                                   ylog[r], gp_log_floor(&y[r]));
        }
        grid g = grid_begin(f, fmt, title, 2, (int)a.np, width, height, 1, 1);
        gp_axis(f, "x", &x, 0, 1);
        panel_xtics(f, a.nh, a.h, NULL);
        for (int r = 0; r < 2; r++) {
            gp_axis(f, "y", &y[r], ylog[r], 1);
            for (size_t c = 0; c < a.np; c++) {
                size_t k = (size_t)r * a.np + c;
                grid_panel(f, &g, r, (int)c);
                panel_labels(f, adi_policy_name(adi_policy_at((size_t)a.pol[c])),
                       "heterogeneity h = std(T_i)/mean T",
                       r ? "makespan (s)" : "throughput (tasks/s)");
                panel_note_dropped(f, fmt, &pn[k], r ? "makespan" : "throughput");
                panel_plot(f, fig, (int)k, &pn[k], plot_errors_drawn(d), 0);
            }
        }
        grid_key(f, &g, &pn[panel_key_index(pn, 2 * a.np)], plot_errors_drawn(d));
        fputs("unset multiplot\n", f);
    }
    panels_free(pn, 2 * a.np);
    axes_free(&a);
    return rc;
}

/* ---- figure 5: makespan against the bounds --------------------------------------------- */

static int bounds_point(const plot_point *pp)
{
    return pp->runs && pp->has_model && !pp->p->workload->open &&
           pp->p->overflow == ADI_OVERFLOW_BLOCK;
}

/* Row 0: makespan against m/R on log axes, the three bounds as lines.
** Row 1: the same points as (makespan - m/R) / max T_i, where the lower
** bound is 0 and the greedy bound 1: deterministic pull must sit in the
** band between them, whatever the scale of the point. */
static int fig_bounds(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    const int fig = ADI_FIG_BOUNDS;
    int present[ADI_POLICY_MAX] = {0};
    for (size_t i = 0; i < d->npoints; i++)
        if (bounds_point(&d->pt[i]))
            present[adi_policy_index(d->pt[i].p->policy)] = 1;
    size_t np = 0;
    const adi_policy_desc *pols[ADI_POLICY_MAX];
    for (size_t p = 0; p < adi_policy_count(); p++)
        if (present[p])
            pols[np++] = adi_policy_at(p);
    panel *pn = calloc(2 * np + 1, sizeof *pn);
    int rc = pn ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    gp_range x, y, y1[ADI_POLICY_MAX];
    gp_range_init(&x);
    gp_range_init(&y);
    size_t clipped[ADI_POLICY_MAX] = {0};
    for (size_t c = 0; c < np && rc == ADI_OK; c++) {
        const adi_policy_desc *pol = pols[c];
        panel *top = &pn[c], *bottom = &pn[np + c];
        const char *color = pol->style.color;
        int pt = pol->style.point_type;
        /* Exact lines are functions (the diagonal y = x, the band's edges 0
        ** and 1); bounds that depend on the pool are marks per point. */
        if (!panel_add(top, "observed", "simulated", color, pt, 1, S_POINTS_CI,
                       "lower_s makespan_s ci_lo ci_hi") ||
            !panel_add(top, "lower", "m/R", "#000000", 0, 1, S_FUNC, "") ||
            !panel_add(top, "greedy", "m/R + max T_i", "#000000", 0, 1, S_TICKS,
                       "lower_s(tick start) greedy_s tick_width 0") ||
            !panel_add(top, "paper", "⌈m/n⌉·max T_i", "#CC79A7", 6, 1, S_POINTS,
                       "lower_s paper_s") ||
            !panel_add(bottom, "observed", "simulated makespan (colour: policy)", color, pt, 1,
                       S_POINTS_CI, "lower_s (makespan-lower)/maxT ci_lo ci_hi") ||
            !panel_add(bottom, "lower", "lower bound m/R (0)", "#000000", 0, 1, S_FUNC, "") ||
            !panel_add(bottom, "greedy", "greedy upper m/R + max T_i (1)", "#000000", 0, 2,
                       S_FUNC, "") ||
            !panel_add(bottom, "paper", "paper's ⌈m/n⌉·max T_i", "#CC79A7", 6, 1, S_POINTS,
                       "lower_s (paper-lower)/maxT")) {
            rc = ADI_ENOMEM;
            break;
        }
        top->s[1].expr = "x";
        bottom->s[1].expr = "0";
        bottom->s[2].expr = "1";
        for (size_t i = 0; i < d->npoints && rc == ADI_OK; i++) {
            const plot_point *pp = &d->pt[i];
            if (!bounds_point(pp) || pp->p->policy != pol)
                continue;
            const adi_bounds *b = &pp->used;
            const adi_ci *m = &pp->m[PM_MAKESPAN];
            double lo = b->lower, unit = b->max_time;
            if ((rc = series_ci(&top->s[0], lo, m)) == ADI_OK &&
                (rc = series_add(&top->s[2], lo, b->greedy_upper, NAN, NAN, 0)) == ADI_OK &&
                (rc = series_add(&top->s[3], lo, b->paper, NAN, NAN, 0)) == ADI_OK &&
                (rc = series_add(&bottom->s[0], lo, (m->mean - lo) / unit, (m->lo - lo) / unit,
                                 (m->hi - lo) / unit, 0)) == ADI_OK)
                rc = series_add(&bottom->s[3], lo, (b->paper - lo) / unit, NAN, NAN, 0);
        }
        if (rc != ADI_OK)
            break;
        /* Scales come from the means and the bounds; an interval wider
        ** than that (two replications give wide ones) is clipped. */
        panel_range(top, 1, 1, &y);
        panel_range(top, 0, 0, &x);
        /* The band and the observed means set the bottom row's scale, not
        ** the paper's marks: they may lie hundreds of max T_i higher. */
        gp_range_init(&y1[c]);
        gp_range_add(&y1[c], 0);
        gp_range_add(&y1[c], 1);
        panel_range(&(panel){bottom->s, 1, 1}, 1, 1, &y1[c]);
        for (size_t i = 0; i < bottom->s[3].n; i++)
            clipped[c] += bottom->s[3].row[i][1] > y1[c].max + 0.07 * (y1[c].max - y1[c].min);
    }
    if (rc == ADI_OK) {
        char title[1024], note[160], reps[96];
        snprintf(note, sizeof note, "%s; bounds over the devices the policy uses",
                 plot_reps_note(d, reps, sizeof reps));
        plot_title(d, fig, note, title, sizeof title);
        int log = gp_range_wants_log(&y, 8) && gp_range_wants_log(&x, 1);
        /* One scale for x and y: the lower bound is the diagonal. */
        gp_range xy = x;
        gp_range_add(&xy, y.min);
        gp_range_add(&xy, y.max);
        gp_range_add(&xy, y.minpos);
        int width = np <= 1 ? 900 : 140 + 480 * (int)np, height = 1050;
        gp_preamble(f, fmt, out, width, height);
        for (size_t c = 0; c < np; c++) {
            series *ticks = &pn[c].s[2]; /* 3 % of the x axis wide */
            ticks->tick_log = log;
            ticks->tick = log ? pow(xy.max / xy.minpos, 0.015) : 0.015 * (xy.max - xy.min);
            if (!(ticks->tick > 0))
                ticks->tick = log ? 1.03 : 0.03 * fmax(fabs(xy.max), 1e-9);
            panel_write_blocks(f, fig, (int)c, &pn[c], log, gp_log_floor(&y));
            panel_write_blocks(f, fig, (int)(np + c), &pn[np + c], 0, 0);
        }
        grid g = grid_begin(f, fmt, title, 2, (int)np, width, height, 1, 1);
        for (size_t c = 0; c < np; c++) {
            grid_panel(f, &g, 0, (int)c);
            gp_axis(f, "x", &xy, log, 1);
            gp_axis(f, "y", &xy, log, 1);
            fputs("set key bottom right inside opaque box vertical samplen 2", f);
            gp_font(f, fmt, 11);
            fputc('\n', f);
            panel_labels(f, adi_policy_name(pols[c]), "lower bound m/R of the point (s)",
                   "makespan (s)");
            fputs("unset label 1\n", f);
            panel_plot(f, fig, (int)c, &pn[c], plot_errors_drawn(d), 1);
        }
        for (size_t c = 0; c < np; c++) {
            char t[96];
            grid_panel(f, &g, 1, (int)c);
            gp_axis(f, "y", &y1[c], 0, 0);
            snprintf(t, sizeof t, "%s: above m/R, in units of max T_i", adi_policy_name(pols[c]));
            panel_labels(f, t, "lower bound m/R of the point (s)", "(makespan − m/R) / max T_i");
            if (clipped[c]) {
                fprintf(f, "set style textbox opaque noborder\n"
                           "set label 1 \"paper's formula above the panel at %zu of %zu points\""
                           " at graph 0.02, graph 0.93 left tc rgb \"#555555\" front boxed",
                        clipped[c], pn[np + c].s[3].n);
                gp_font(f, fmt, 10);
                fputc('\n', f);
            } else {
                fputs("unset label 1\n", f);
            }
            panel_plot(f, fig, (int)(np + c), &pn[np + c], plot_errors_drawn(d), 0);
        }
        grid_key(f, &g, &pn[np], plot_errors_drawn(d));
        fputs("unset multiplot\n", f);
    }
    panels_free(pn, 2 * np + 1);
    return rc;
}

/* ---- figure 6: work per device ----------------------------------------------------------- */

/* "25.1 ms": three digits, for tic labels under narrow bars. */
static const char *short_time(double s, char *buf, size_t size)
{
    if (s >= 1)
        snprintf(buf, size, "%.3g s", s);
    else if (s >= 1e-3)
        snprintf(buf, size, "%.3g ms", s * 1e3);
    else
        snprintf(buf, size, "%.3g µs", s * 1e6);
    return buf;
}

static int fig_devices(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    const int fig = ADI_FIG_DEVICES;
    const plot_point *in[ADI_POLICY_MAX] = {0};
    size_t np = 0, nserial = 0;
    for (size_t i = 0; i < d->npoints; i++) {
        const plot_point *pp = &d->pt[i];
        size_t pol = adi_policy_index(pp->p->policy);
        if (plot_in_slice(d, fig, pp) && pp->ndev && !in[pol]) {
            in[pol] = pp;
            np++;
            nserial += pp->p->policy->devices == ADI_DEVICES_ONE;
        }
    }
    /* A one-device policy (serial) runs one device; beside a pool its
    ** single bar says little and squashes the others, so it is left out
    ** unless alone. */
    int skip_serial = nserial && np > 1;
    if (skip_serial)
        np -= nserial;
    const adi_point *ref = plot_chosen(d)->p;
    size_t ndev = ref->n_devices;
    panel pn[2] = {{0}};
    int rc = ADI_OK;
    double w = 0.8 / (double)(np ? np : 1);
    size_t k = 0;
    /* The first policy shown that shares the tasks by speed (pull) gets
    ** the model's marks over its bars. */
    const adi_policy_desc *shared = NULL;
    double shared_off = 0;
    for (size_t i = 0; i < adi_policy_count() && rc == ADI_OK; i++) {
        const plot_point *pp = in[i];
        const adi_policy_desc *pol = adi_policy_at(i);
        if (!pp || (skip_serial && pol->devices == ADI_DEVICES_ONE))
            continue;
        double off = ((double)k - (double)(np - 1) / 2) * w;
        k++;
        if (!shared && pol->share == ADI_SHARE_SPEED && pol->devices == ADI_DEVICES_ALL) {
            shared = pol;
            shared_off = off;
        }
        for (int r = 0; r < 2 && rc == ADI_OK; r++) {
            series *s = panel_add(&pn[r], adi_policy_name(pol), adi_policy_name(pol),
                                  pol->style.color, 0, 1, S_BARS,
                                  r ? "device+offset utilization_pct ci_lo ci_hi width"
                                    : "device+offset tasks_done ci_lo ci_hi width");
            if (!s) {
                rc = ADI_ENOMEM;
                break;
            }
            for (size_t j = 0; j < pp->ndev && rc == ADI_OK; j++) {
                const plot_device *pd = &pp->dev[j];
                const adi_ci *ci = r ? &pd->util : &pd->tasks;
                double scale = r ? 100 : 1;
                rc = series_add(s, (double)pd->device + off, scale * ci->mean, scale * ci->lo,
                                scale * ci->hi, w);
            }
        }
    }
    /* The fluid share: device i does m (1/T_i) / R of the tasks. */
    if (rc == ADI_OK && shared && plot_chosen(d)->has_model) {
        char title[96];
        snprintf(title, sizeof title, "%s, model m/(R·T_i)", shared->name);
        series *s = panel_add(&pn[0], "model", title, "#000000", 3, 1, S_POINTS,
                              "device expected_tasks");
        if (!s)
            rc = ADI_ENOMEM;
        for (size_t j = 0; j < ndev && rc == ADI_OK; j++)
            rc = series_add(s, (double)j + shared_off,
                            (double)ref->tasks / (plot_chosen(d)->pool_R * ref->times[j]), NAN,
                            NAN, 0);
    }
    char **names = calloc(ndev ? ndev : 1, sizeof *names);
    double *xs = malloc((ndev ? ndev : 1) * sizeof *xs);
    if (rc == ADI_OK && (!names || !xs))
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    size_t step = ndev > 24 ? (ndev + 23) / 24 : 1; /* at most 24 labels */
    for (size_t j = 0; j < ndev && rc == ADI_OK; j++) {
        char t[32];
        xs[j] = (double)j;
        if (!(names[j] = malloc(64)))
            rc = adi_fail(ADI_ENOMEM, "out of memory");
        else if (j % step)
            names[j][0] = '\0';
        else
            snprintf(names[j], 64, "%zu\n%s", j, short_time(ref->times[j], t, sizeof t));
    }
    if (rc == ADI_OK) {
        char title[1024], note[128];
        plot_reps_note(d, note, sizeof note);
        if (skip_serial)
            snprintf(note + strlen(note), sizeof note - strlen(note),
                     "; serial (one device) left out");
        plot_title(d, fig, note, title, sizeof title);
        int width = ndev > 12 ? 1400 : 1100, height = 960;
        gp_preamble(f, fmt, out, width, height);
        for (int r = 0; r < 2; r++)
            panel_write_blocks(f, fig, r, &pn[r], 0, 0);
        grid g = grid_begin(f, fmt, title, 2, 1, width, height, 0, 2);
        fprintf(f, "set xrange [-0.6:%g]\nset style fill solid 0.75 border -1\n"
                   "set grid noxtics\nset xtics", (double)ndev - 0.4);
        gp_font(f, fmt, ndev > 12 ? 10 : 12);
        fputc('\n', f);
        panel_xtics(f, ndev, xs, (const char *const *)names);
        fputs("set key top right\n", f);
        gp_range y0;
        gp_range_init(&y0);
        panel_yrange(&pn[0], &y0);
        gp_axis(f, "y", &y0, 0, 1);
        grid_panel(f, &g, 0, 0);
        panel_labels(f, "Tasks done per device", "device i and its mean task time T_i",
               "tasks done");
        fputs("set xlabel offset 0, -0.9\n", f);
        panel_plot(f, fig, 0, &pn[0], plot_errors_drawn(d), 1);
        fputs("set yrange [0:105]\nset ytics autofreq\n", f);
        grid_panel(f, &g, 1, 0);
        panel_labels(f, "Utilization per device", "device i and its mean task time T_i",
               "busy / makespan (%)");
        panel_plot(f, fig, 1, &pn[1], plot_errors_drawn(d), 0);
        fputs("unset multiplot\n", f);
    }
    for (size_t j = 0; names && j < ndev; j++)
        free(names[j]);
    free(names);
    free(xs);
    panel_clear(&pn[0]);
    panel_clear(&pn[1]);
    return rc;
}

/* ---- entry points ------------------------------------------------------------------- */

/* ---- 7: simulated against exact ---------------------------------------------------- */

static int fig_exact(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    const int fig = ADI_FIG_EXACT;
    static const struct {
        const char *title, *axis;
    } q_text[PQ_COUNT] = {
        [PQ_BLOCK] = {"P(arrival lost)", "probability"},
        [PQ_IN_SYSTEM] = {"L: mean tasks in system", "tasks"},
        [PQ_RESPONSE] = {"W: mean response time", "s"},
        [PQ_UTIL] = {"U: utilization", "fraction of devices busy"},
    };
    int present[PQ_COUNT] = {0}, np = 0, which[PQ_COUNT];
    for (size_t i = 0; i < d->npoints; i++)
        for (int q = 0; q < PQ_COUNT; q++)
            present[q] |= (d->pt[i].queue_mask >> q) & 1;
    for (int q = 0; q < PQ_COUNT; q++)
        if (present[q])
            which[np++] = q;
    panel *pn = calloc((size_t)np + 1, sizeof *pn);
    int rc = pn ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    gp_range xy[PQ_COUNT];
    int log[PQ_COUNT];
    for (int c = 0; c < np && rc == ADI_OK; c++) {
        int q = which[c];
        panel *pp = &pn[c];
        if (!panel_add(pp, "simulated", "simulated (mean, interval of its check)",
                       adi_policy_default()->style.color, 7, 1, S_POINTS_CI,
                       "exact simulated ci_lo ci_hi") ||
            !panel_add(pp, "exact", "exact (the diagonal)", "#000000", 0, 1, S_FUNC, "")) {
            rc = ADI_ENOMEM;
            break;
        }
        pp->s[1].expr = "x";
        for (size_t i = 0; i < d->npoints && rc == ADI_OK; i++) {
            const plot_point *pt = &d->pt[i];
            if (pt->queue_mask >> q & 1)
                rc = series_ci(&pp->s[0], pt->queue[q].exact, &pt->queue[q].sim);
        }
        /* One scale for both axes, so that the diagonal is the diagonal. */
        gp_range_init(&xy[c]);
        panel_range(pp, 0, 1, &xy[c]);
        log[c] = gp_range_wants_log(&xy[c], 20);
    }
    if (rc == ADI_OK) {
        char title[1024];
        plot_title(d, fig, "every point with an exact result; bars: the check's interval",
                     title, sizeof title);
        int cols = np < 2 ? 1 : 2, rows = (np + cols - 1) / cols;
        int width = cols == 1 ? 800 : 1200, height = 220 + 480 * rows;
        gp_preamble(f, fmt, out, width, height);
        for (int c = 0; c < np; c++)
            panel_write_blocks(f, fig, c, &pn[c], log[c], gp_log_floor(&xy[c]));
        grid g = grid_begin(f, fmt, title, rows, cols, width, height, 1, 1);
        for (int c = 0; c < np; c++) {
            char xlabel[96], ylabel[96];
            grid_panel(f, &g, c / cols, c % cols);
            gp_axis(f, "x", &xy[c], log[c], 0);
            gp_axis(f, "y", &xy[c], log[c], 0);
            snprintf(xlabel, sizeof xlabel, "exact (%s)", q_text[which[c]].axis);
            snprintf(ylabel, sizeof ylabel, "simulated (%s)", q_text[which[c]].axis);
            panel_labels(f, q_text[which[c]].title, xlabel, ylabel);
            panel_plot(f, fig, c, &pn[c], 1, 0);
        }
        if (np)
            grid_key(f, &g, &pn[0], 1);
        fputs("unset multiplot\n", f);
    }
    panels_free(pn, (size_t)np + 1);
    return rc;
}

int adi_plot_figure_applies(const adi_plot_data *d, int fig, const char **why)
{
    static const char *const one_value[ADI_FIG_COUNT] = {
        [ADI_FIG_THROUGHPUT] = "the chosen point's slice has a single device count",
        [ADI_FIG_QUEUE] = "the chosen point's slice has a single queue capacity",
        [ADI_FIG_HETEROGENEITY] = "the chosen point's slice has a single heterogeneity",
    };
    static const char *const not_swept[ADI_FIG_COUNT] = {
        [ADI_FIG_THROUGHPUT] = "the scenario does not sweep the device count",
        [ADI_FIG_QUEUE] = "the scenario does not sweep the queue capacity",
        [ADI_FIG_HETEROGENEITY] = "the scenario does not sweep the heterogeneity",
    };
    static const int axis[ADI_FIG_COUNT] = {
        [ADI_FIG_THROUGHPUT] = ADI_PARAM_DEVICES,
        [ADI_FIG_QUEUE] = ADI_PARAM_CAPACITY,
        [ADI_FIG_HETEROGENEITY] = ADI_PARAM_HETEROGENEITY,
    };
    *why = NULL;
    switch (fig) {
    case ADI_FIG_THROUGHPUT:
    case ADI_FIG_QUEUE:
    case ADI_FIG_HETEROGENEITY: {
        double *v = malloc(d->npoints * sizeof *v);
        if (!v) {
            *why = "out of memory";
            return 0;
        }
        size_t n = plot_distinct(d, fig, axis[fig], v);
        free(v);
        if (n < 2)
            *why = adi_scenario_varies(d->sc, (adi_param)axis[fig]) ? one_value[fig]
                                                                    : not_swept[fig];
        return n >= 2;
    }
    case ADI_FIG_LATENCY:
        for (size_t i = 0; i < d->npoints; i++)
            if (plot_in_slice(d, fig, &d->pt[i]) && d->pt[i].hist_total)
                return 1;
        *why = "no latency histogram is stored for the chosen point";
        return 0;
    case ADI_FIG_BOUNDS:
        for (size_t i = 0; i < d->npoints; i++)
            if (bounds_point(&d->pt[i]))
                return 1;
        *why = "no batch points with a blocking queue (the bounds are for a batch of m tasks)";
        return 0;
    case ADI_FIG_DEVICES:
        for (size_t i = 0; i < d->npoints; i++)
            if (plot_in_slice(d, fig, &d->pt[i]) && d->pt[i].ndev)
                return 1;
        *why = "no per-device results are stored for the chosen point";
        return 0;
    case ADI_FIG_EXACT:
        for (size_t i = 0; i < d->npoints; i++)
            if (d->pt[i].queue_mask)
                return 1;
        *why = "no point has an exact queueing result (open workloads of M/M/c, M/M/c/K, "
               "the pull CTMC or M/G/1 with replications >= 2)";
        return 0;
    case ADI_FIG_BANDWIDTH:
    case ADI_FIG_PREFETCH:
    case ADI_FIG_SPLIT:
        return plot_net_applies(d, fig, why);
    case ADI_FIG_POLICIES:
    case ADI_FIG_BATCHING:
        return plot_pol_applies(d, fig, why);
    default:
        *why = "no such figure";
        return 0;
    }
}

int adi_plot_write_figure(const adi_plot_data *d, int fig, adi_plot_format fmt,
                          const char *output, FILE *gp)
{
    static int (*const draw[ADI_FIG_COUNT])(const adi_plot_data *, FILE *, adi_plot_format,
                                            const char *) = {
        [ADI_FIG_THROUGHPUT] = fig_throughput, [ADI_FIG_LATENCY] = fig_latency,
        [ADI_FIG_QUEUE] = fig_queue,           [ADI_FIG_HETEROGENEITY] = fig_heterogeneity,
        [ADI_FIG_BOUNDS] = fig_bounds,         [ADI_FIG_DEVICES] = fig_devices,
        [ADI_FIG_EXACT] = fig_exact,           [ADI_FIG_BANDWIDTH] = plot_fig_bandwidth,
        [ADI_FIG_PREFETCH] = plot_fig_prefetch, [ADI_FIG_SPLIT] = plot_fig_split,
        [ADI_FIG_POLICIES] = plot_fig_policies, [ADI_FIG_BATCHING] = plot_fig_batching,
    };
    const char *why;
    if (!adi_plot_figure_applies(d, fig, &why))
        return adi_fail(ADI_EINPUT, "figure %d (%s): %s", fig + 1, adi_plot_figure_stem(fig), why);
    int rc = draw[fig](d, gp, fmt, output);
    if (rc == ADI_OK && (fflush(gp) != 0 || ferror(gp)))
        rc = adi_fail(ADI_EIO, "figure %d (%s): cannot write the gnuplot program",
                      fig + 1, adi_plot_figure_stem(fig));
    return rc;
}
