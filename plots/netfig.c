/*
** plots/netfig.c — the network's three figures (plot.h: 8, 9 and 10),
** drawn for scenarios with a [network] section.
**
**   8_bandwidth    throughput against the bandwidth of the links that
**                  link_scale multiplies, one line per policy, and the
**                  model's bound R_net for each policy (model/network.h, for
**                  the window its check assumes: R_net(k) for pull and
**                  serial, R_net(0) for sync's rounds, every transfer hidden
**                  for static). When every scaled link has one bandwidth B
**                  the x axis is B x link_scale in bit/s; otherwise it is
**                  the scale, and the axis label names the links at x1.
**   9_prefetch     throughput against prefetch k, one line per policy, with
**                  R_net at that k (dashed) and R_net(0), without prefetch
**                  (dotted), for the policies that request; the others' bound
**                  does not depend on k.
**   10_time_split  each device's time at the chosen point, as a stacked bar:
**                  computing (busy), transfers (a message of its own on the
**                  way) and waiting (neither), which add up to the makespan
**                  (run_device; drawn as its line), one panel per policy.
**
** A bound line shared by several policies (pull and serial over one device,
** say) is drawn once, its legend naming them all. Everything else follows
** figures.c: slices of the chosen point, means with 95 % intervals over the
** replications, log axes over a decade or more, data blocks that tests read
** back. Cost: a pass over the points per series; a few kB of program.
*/
#include "plots/gp.h"
#include "plots/panel.h"
#include "plots/plot_int.h"

#include "core/error.h"
#include "core/units.h"
#include "profile/profile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BIT(p) PARAM_BIT(ADI_PARAM_##p)

/* ---- applicability ------------------------------------------------------------ */

int plot_net_applies(const adi_plot_data *d, int fig, const char **why)
{
    *why = NULL;
    if (!plot_chosen(d)->p->network) {
        *why = "the scenario has no [network] section: nothing travels";
        return 0;
    }
    if (fig == ADI_FIG_SPLIT) {
        for (size_t i = 0; i < d->npoints; i++)
            if (plot_in_slice(d, fig, &d->pt[i]) && d->pt[i].ndev)
                return 1;
        *why = "no per-device results are stored for the chosen point";
        return 0;
    }
    int param = fig == ADI_FIG_BANDWIDTH ? ADI_PARAM_LINK_SCALE : ADI_PARAM_PREFETCH;
    double *v = malloc(d->npoints * sizeof *v);
    if (!v) {
        *why = "out of memory";
        return 0;
    }
    size_t n = plot_distinct(d, fig, param, v);
    free(v);
    if (n >= 2)
        return 1;
    if (adi_scenario_varies(d->sc, (adi_param)param))
        *why = fig == ADI_FIG_BANDWIDTH ? "the chosen point's slice has a single link_scale"
                                        : "the chosen point's slice has a single prefetch";
    else
        *why = fig == ADI_FIG_BANDWIDTH
                   ? "the scenario does not sweep the link bandwidth ([sweep] link_scale)"
                   : "the scenario does not sweep the prefetch ([sweep] prefetch)";
    return 0;
}

/* ---- labels ------------------------------------------------------------------- */

/* Device i of the pool: its profile's name, or "device i". */
static const char *device_name(const adi_plot_data *d, size_t i, char *buf, size_t size)
{
    const adi_profile *pf = adi_scenario_device_profile(d->sc, i);
    if (pf)
        snprintf(buf, size, "%s", pf->device);
    else
        snprintf(buf, size, "device %zu", i);
    return buf;
}

/* The bandwidth (bytes/s) link_scale 1 gives device i's link. */
static double base_bandwidth(const adi_point *p, size_t i)
{
    return p->net.link[i].bw / p->net.link_scale;
}

/* The one bandwidth every scaled link of p has at link_scale 1, or 0 when
** they differ. */
static double common_base(const adi_point *p)
{
    double b = 0;
    for (size_t i = 0; i < p->n_devices; i++) {
        if (!p->net.scaled[i])
            continue;
        double bi = base_bandwidth(p, i);
        if (b && bi != b)
            return 0;
        b = bi;
    }
    return b;
}

/* "link bandwidth of raspberry_pi (bit/s)" or "link_scale (x1: mac 1 Gbit/s,
** pi 50 Mbit/s, ...)": what figure 8's x axis is. */
static void bandwidth_axis(const adi_plot_data *d, const adi_point *p, char *buf, size_t size)
{
    size_t len = 0, nscaled = 0;
    char name[64], bw[32];
    for (size_t i = 0; i < p->n_devices; i++)
        nscaled += p->net.scaled[i];
    if (common_base(p)) {
        if (nscaled == p->n_devices) {
            snprintf(buf, size, "link bandwidth of every device (bit/s)");
            return;
        }
        len = (size_t)snprintf(buf, size, "link bandwidth of");
        for (size_t i = 0; i < p->n_devices && len < size; i++)
            if (p->net.scaled[i]) {
                char esc[96];
                gp_escape(device_name(d, i, name, sizeof name), esc, sizeof esc);
                len += (size_t)snprintf(buf + len, size - len, " %s,", esc);
            }
        if (len < size)
            snprintf(buf + len - 1, size - len + 1, " (bit/s)");
        return;
    }
    len = (size_t)snprintf(buf, size, "link bandwidth × link\\_scale (×1:");
    for (size_t i = 0; i < p->n_devices && len < size; i++) {
        if (!p->net.scaled[i])
            continue;
        char esc[96];
        gp_escape(device_name(d, i, name, sizeof name), esc, sizeof esc);
        len += (size_t)snprintf(buf + len, size - len, " %s %s,", esc,
                                adi_format_bitrate(base_bandwidth(p, i), bw, sizeof bw));
    }
    if (len < size && buf[len - 1] == ',')
        buf[len - 1] = ')';
}

/* ---- bound lines ---------------------------------------------------------------- */

/* Series [from, pn->n) are bound lines: one whose rows equal an earlier
** one's is dropped, and the earlier's legend gains its policy ("R_net:
** pull, serial"). */
static void merge_same_lines(panel *pn, size_t from)
{
    for (size_t b = from; b < pn->n; b++)
        for (size_t a = from; a < b; a++) {
            series *sa = &pn->s[a], *sb = &pn->s[b];
            if (sa->n != sb->n || sa->dt != sb->dt ||
                (sa->n && memcmp(sa->row, sb->row, sa->n * sizeof *sa->row) != 0))
                continue;
            const char *who = strrchr(sb->title, ' ');
            size_t len = strlen(sa->title);
            snprintf(sa->title + len, sizeof sa->title - len, ",%s", who ? who : "");
            sa->color = "#000000";
            free(sb->row);
            memmove(sb, sb + 1, (pn->n - b - 1) * sizeof *sb);
            pn->n--;
            b--;
            break;
        }
}

/* ---- figures 8 and 9: throughput against a network parameter ---------------------- */

static int fig_against(const adi_plot_data *d, int fig, FILE *f, adi_plot_format fmt,
                       const char *out)
{
    const int param = fig == ADI_FIG_BANDWIDTH ? ADI_PARAM_LINK_SCALE : ADI_PARAM_PREFETCH;
    const adi_point *ref = plot_chosen(d)->p;
    double *xv = malloc(d->npoints * sizeof *xv), *pols = malloc(d->npoints * sizeof *pols);
    panel pn = {0};
    int rc = xv && pols ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    size_t nx = 0, np = 0;
    if (rc == ADI_OK) {
        nx = plot_distinct(d, fig, param, xv);
        np = plot_distinct(d, fig, ADI_PARAM_POLICY, pols);
    }
    /* Figure 8's x: the scaled links' bandwidth in bit/s when they share
    ** one, else the scale. */
    double base = fig == ADI_FIG_BANDWIDTH ? common_base(ref) : 0, unit = base ? 8 * base : 1;
    double vals[ADI_PARAM_COUNT] = {0};
    for (size_t j = 0; j < np && rc == ADI_OK; j++) {
        const adi_policy_desc *pol = adi_policy_at((size_t)pols[j]);
        series *s = panel_add(&pn, adi_policy_name(pol), adi_policy_name(pol), pol->style.color,
                              pol->style.point_type, 1, S_LINE_CI,
                              fig == ADI_FIG_BANDWIDTH ? (base ? "bit_per_s throughput ci_lo ci_hi"
                                                              : "link_scale throughput ci_lo ci_hi")
                                                       : "prefetch throughput ci_lo ci_hi");
        if (!s)
            rc = ADI_ENOMEM;
        vals[ADI_PARAM_POLICY] = pols[j];
        for (size_t i = 0; i < nx && rc == ADI_OK; i++) {
            vals[param] = xv[i];
            const plot_point *pp = plot_lookup(d, fig, BIT(POLICY) | PARAM_BIT(param), vals, 1);
            if (pp)
                rc = series_ci(s, xv[i] * unit, &pp->m[PM_THROUGHPUT]);
        }
    }
    size_t first_bound = pn.n;
    for (size_t j = 0; j < np && rc == ADI_OK; j++) {
        const adi_policy_desc *pol = adi_policy_at((size_t)pols[j]);
        int with_k0 = fig == ADI_FIG_PREFETCH && pol->net.window == ADI_NET_WINDOW_PREFETCH;
        for (int z = 0; z <= with_k0 && rc == ADI_OK; z++) {
            char name[48], title[96];
            snprintf(name, sizeof name, "%s_%s", z ? "R0" : "R", adi_policy_name(pol));
            snprintf(title, sizeof title, "%s: %s", z ? "R_{net}(0)"
                                                      : fig == ADI_FIG_PREFETCH ? "R_{net}(k)"
                                                                                : "R_{net}",
                     adi_policy_name(pol));
            series *b = panel_add(&pn, name, title, pol->style.color, 0, z ? 3 : 2, S_LINE,
                                  z ? "x R_net0_per_s" : "x R_net_per_s");
            if (!b) {
                rc = ADI_ENOMEM;
                break;
            }
            vals[ADI_PARAM_POLICY] = pols[j];
            for (size_t i = 0; i < nx && rc == ADI_OK; i++) {
                vals[param] = xv[i];
                const plot_point *pp = plot_lookup(d, fig, BIT(POLICY) | PARAM_BIT(param), vals,
                                                   0);
                if (pp)
                    rc = series_add(b, xv[i] * unit, z ? pp->net_R0 : pp->net_R, NAN, NAN, 0);
            }
        }
    }
    if (rc == ADI_OK) {
        merge_same_lines(&pn, first_bound);
        gp_range x, y;
        gp_range_init(&x);
        gp_range_init(&y);
        panel_range(&pn, 0, 0, &x);
        panel_yrange(&pn, &y);
        int xlog = fig == ADI_FIG_BANDWIDTH && gp_range_wants_log(&x, 4);
        int ylog = gp_range_wants_log(&y, 8);
        char title[1024], note[160], reps[96], xlabel[512];
        snprintf(note, sizeof note, "%s; dashed: the model's bound R_{net} each policy's check "
                 "uses%s", plot_reps_note(d, reps, sizeof reps),
                 fig == ADI_FIG_PREFETCH ? ", dotted: R_{net}(0), without prefetch" : "");
        plot_title(d, fig, note, title, sizeof title);
        if (fig == ADI_FIG_BANDWIDTH)
            bandwidth_axis(d, ref, xlabel, sizeof xlabel);
        else
            snprintf(xlabel, sizeof xlabel, "prefetch k (tasks requested beyond the one computing)");
        int width = 1300, height = 800;
        gp_preamble(f, fmt, out, width, height);
        panel_write_blocks(f, fig, 0, &pn, ylog, gp_log_floor(&y));
        grid g = grid_begin(f, fmt, title, 1, 1, width, height, 1, 1);
        gp_axis(f, "y", &y, ylog, 1);
        if (xlog)
            fprintf(f, "set logscale x 10\nset xrange [%g:%g]\n", x.min / 1.3, x.max * 1.3);
        else
            gp_axis(f, "x", &x, 0, 0);
        char (*names)[32] = calloc(nx ? nx : 1, sizeof *names);
        const char **tics = calloc(nx ? nx : 1, sizeof *tics);
        double *at = malloc((nx ? nx : 1) * sizeof *at);
        if (!names || !tics || !at) {
            rc = adi_fail(ADI_ENOMEM, "out of memory");
        } else {
            for (size_t i = 0; i < nx; i++) {
                at[i] = xv[i] * unit;
                if (fig == ADI_FIG_PREFETCH)
                    snprintf(names[i], sizeof names[i], "%.0f", xv[i]);
                else if (base)
                    adi_format_bitrate(at[i] / 8, names[i], sizeof names[i]);
                else
                    snprintf(names[i], sizeof names[i], "×%g", xv[i]);
                tics[i] = names[i];
            }
            panel_xtics(f, nx, at, tics);
            grid_panel(f, &g, 0, 0);
            panel_labels(f, fig == ADI_FIG_BANDWIDTH ? "Throughput against link bandwidth"
                                                     : "Throughput against prefetch",
                         xlabel, "throughput (tasks/s)");
            panel_note_dropped(f, fmt, &pn, "throughput");
            panel_plot(f, fig, 0, &pn, plot_errors_drawn(d), 0);
            grid_key(f, &g, &pn, plot_errors_drawn(d));
            fputs("unset multiplot\n", f);
        }
        free(names);
        free(tics);
        free(at);
    }
    panel_clear(&pn);
    free(xv);
    free(pols);
    return rc;
}

int plot_fig_bandwidth(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    return fig_against(d, ADI_FIG_BANDWIDTH, f, fmt, out);
}

int plot_fig_prefetch(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    return fig_against(d, ADI_FIG_PREFETCH, f, fmt, out);
}

/* ---- figure 10: each device's time, stacked ------------------------------------- */

/* The three parts of a device's time, bottom to top. */
static const struct {
    const char *name, *title, *color;
} part[3] = {
    {"compute", "computing", "#009E73"},
    {"transfer", "transfers (its own message on the way)", "#0072B2"},
    {"wait", "waiting", "#C8C8C8"},
};

int plot_fig_split(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out)
{
    const int fig = ADI_FIG_SPLIT;
    const plot_point *in[ADI_POLICY_MAX] = {0};
    size_t np = 0;
    for (size_t i = 0; i < d->npoints; i++) {
        const plot_point *pp = &d->pt[i];
        size_t pol = adi_policy_index(pp->p->policy);
        if (plot_in_slice(d, fig, pp) && pp->ndev && !in[pol]) {
            in[pol] = pp;
            np++;
        }
    }
    const adi_point *ref = plot_chosen(d)->p;
    size_t ndev = ref->n_devices;
    panel *pn = calloc(np ? np : 1, sizeof *pn);
    const plot_point **shown = calloc(np ? np : 1, sizeof *shown);
    int rc = pn && shown ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    size_t c = 0;
    const double w = 0.7;
    for (size_t i = 0; i < adi_policy_count() && rc == ADI_OK; i++) {
        const plot_point *pp = in[i];
        if (!pp)
            continue;
        shown[c] = pp;
        panel *p = &pn[c++];
        for (int k = 0; k < 3 && rc == ADI_OK; k++)
            if (!panel_add(p, part[k].name, part[k].title, part[k].color, 0, 1, S_STACK,
                           "device top_s bottom_s top_s width"))
                rc = ADI_ENOMEM;
        if (rc == ADI_OK && !panel_add(p, "makespan", "makespan (mean)", "#000000", 0, 2, S_LINE,
                                       "device makespan_s"))
            rc = ADI_ENOMEM;
        for (size_t j = 0; j < pp->ndev && rc == ADI_OK; j++) {
            const plot_device *pd = &pp->dev[j];
            double x = (double)pd->device, bottom = 0;
            const adi_ci *v[3] = {&pd->busy, &pd->transfer, &pd->wait};
            for (int k = 0; k < 3 && rc == ADI_OK; k++) {
                double top = bottom + v[k]->mean;
                rc = series_add(&p->s[k], x, top, bottom, top, w);
                bottom = top;
            }
        }
        if (rc == ADI_OK)
            rc = series_add(&p->s[3], -0.5, pp->m[PM_MAKESPAN].mean, NAN, NAN, 0);
        if (rc == ADI_OK)
            rc = series_add(&p->s[3], (double)ndev - 0.5, pp->m[PM_MAKESPAN].mean, NAN, NAN, 0);
    }
    char **names = calloc(ndev ? ndev : 1, sizeof *names);
    double *xs = malloc((ndev ? ndev : 1) * sizeof *xs);
    if (rc == ADI_OK && (!names || !xs))
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    size_t step = ndev > 16 ? (ndev + 15) / 16 : 1; /* at most 16 labels a panel */
    for (size_t j = 0; j < ndev && rc == ADI_OK; j++) {
        char name[64], esc[96], t[32], bw[32], lat[32];
        xs[j] = (double)j;
        if (!(names[j] = malloc(256))) {
            rc = adi_fail(ADI_ENOMEM, "out of memory");
            break;
        }
        const adi_sim_link *l = &ref->net.link[j];
        if (j % step)
            names[j][0] = '\0';
        else
            snprintf(names[j], 256, "%s\nT_i %s\n%s, %s", gp_escape(device_name(d, j, name,
                                                                               sizeof name),
                                                                   esc, sizeof esc),
                     adi_format_time(ref->times[j], t, sizeof t),
                     adi_format_bitrate(l->bw, bw, sizeof bw),
                     adi_format_time(l->latency, lat, sizeof lat));
    }
    if (rc == ADI_OK) {
        char title[1024], note[160];
        snprintf(note, sizeof note, "%s of %zu replication%s; each bar adds up to the makespan",
                 plot_chosen(d)->runs >= 2 ? "means" : "values", plot_chosen(d)->runs,
                 plot_chosen(d)->runs == 1 ? "" : "s");
        plot_title(d, fig, note, title, sizeof title);
        int cols = np <= 4 ? (int)(np ? np : 1) : (int)((np + 1) / 2);
        int rows = (int)((np + (size_t)cols - 1) / (size_t)cols);
        int pw = ndev > 6 ? 90 * (int)ndev : 440;
        int width = 140 + pw * cols, height = 300 + 440 * (rows ? rows : 1);
        if (width < 900)
            width = 900;
        gp_preamble(f, fmt, out, width, height);
        for (size_t k = 0; k < np; k++)
            panel_write_blocks(f, fig, (int)k, &pn[k], 0, 0);
        grid g = grid_begin(f, fmt, title, rows ? rows : 1, cols, width, height, 1, 4);
        fprintf(f, "set xrange [-0.6:%g]\nset style fill solid 0.85 border -1\n"
                   "set grid noxtics\nset xtics", (double)ndev - 0.4);
        gp_font(f, fmt, 10);
        fputc('\n', f);
        panel_xtics(f, ndev, xs, (const char *const *)names);
        for (size_t k = 0; k < np; k++) {
            char t[96], ms[32];
            const plot_point *pp = shown[k];
            gp_range y;
            gp_range_init(&y);
            panel_yrange(&pn[k], &y);
            grid_panel(f, &g, (int)k / cols, (int)k % cols);
            gp_axis(f, "y", &y, 0, 1);
            snprintf(t, sizeof t, "%s: makespan %s", adi_policy_name(pp->p->policy),
                     adi_format_time(pp->m[PM_MAKESPAN].mean, ms, sizeof ms));
            panel_labels(f, t, "device: name, T_i, link", "time (s)");
            fputs("set xlabel offset 0, -1.6\n", f);
            panel_plot(f, fig, (int)k, &pn[k], 0, 0);
        }
        if (np)
            grid_key(f, &g, &pn[0], 0);
        fputs("unset multiplot\n", f);
    }
    for (size_t j = 0; names && j < ndev; j++)
        free(names[j]);
    free(names);
    free(xs);
    panels_free(pn, np);
    free(shown);
    return rc;
}
