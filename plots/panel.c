/*
** plots/panel.c — series, panels and the grid of panels (panel.h).
*/
#include "plots/panel.h"

#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Appends a series; NULL when out of memory. The pointer is valid until
** the next panel_add on the same panel. */
series *panel_add(panel *pn, const char *name, const char *title, const char *color, int pt,
                  int dt, style st, const char *columns)
{
    if (pn->n == pn->cap) {
        size_t want = pn->cap ? 2 * pn->cap : 8;
        series *grown = realloc(pn->s, want * sizeof *grown);
        if (!grown) {
            adi_fail(ADI_ENOMEM, "out of memory");
            return NULL;
        }
        pn->s = grown;
        pn->cap = want;
    }
    series *s = &pn->s[pn->n++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->title, sizeof s->title, "%s", title);
    s->color = color;
    s->pt = pt;
    s->dt = dt;
    s->st = st;
    s->columns = columns;
    return s;
}

int series_add(series *s, double x, double y, double lo, double hi, double w)
{
    if (!isfinite(y) || !isfinite(x))
        return ADI_OK; /* nothing to draw (a metric stored as NULL) */
    if (s->n == s->cap) {
        size_t want = s->cap ? 2 * s->cap : 16;
        double(*grown)[COLS] = realloc(s->row, want * sizeof *grown);
        if (!grown)
            return adi_fail(ADI_ENOMEM, "out of memory");
        s->row = grown;
        s->cap = want;
    }
    double *r = s->row[s->n++];
    r[0] = x;
    r[1] = y;
    r[2] = isfinite(lo) ? lo : y;
    r[3] = isfinite(hi) ? hi : y;
    r[4] = w;
    return ADI_OK;
}

int series_ci(series *s, double x, const adi_ci *ci)
{
    return series_add(s, x, ci->mean, ci->lo, ci->hi, 0);
}

void panel_clear(panel *p)
{
    for (size_t k = 0; k < p->n; k++)
        free(p->s[k].row);
    free(p->s);
    memset(p, 0, sizeof *p);
}

/* Clears p[0..n) and frees the array. */
void panels_free(panel *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++)
        panel_clear(&p[i]);
    free(p);
}

void panel_range(const panel *pn, int col_lo, int col_hi, gp_range *r)
{
    for (size_t k = 0; k < pn->n; k++)
        for (size_t i = 0; i < pn->s[k].n; i++)
            for (int c = col_lo; c <= col_hi; c++)
                gp_range_add(r, pn->s[k].row[i][c]);
}

void panel_yrange(const panel *pn, gp_range *r) { panel_range(pn, 1, 3, r); }

/* Writes every series of the panel as a data block; on a log y axis rows
** with y <= 0 are left out and interval ends clamped to floor. */
void panel_write_blocks(FILE *f, int fig, int panel_no, panel *pn, int ylog, double floor)
{
    for (size_t k = 0; k < pn->n; k++) {
        series *s = &pn->s[k];
        s->dropped = 0;
        if (s->st == S_FUNC)
            continue;
        gp_block_begin(f, fig + 1, panel_no, s->name, s->columns);
        for (size_t i = 0; i < s->n; i++) {
            double r[COLS];
            memcpy(r, s->row[i], sizeof r);
            if (ylog && r[1] <= 0) {
                s->dropped++;
                continue;
            }
            if (ylog && r[2] < floor)
                r[2] = floor;
            if (s->st == S_TICKS) { /* x_from y dx 0 */
                double from = s->tick_log ? r[0] / s->tick : r[0] - s->tick;
                r[2] = (s->tick_log ? r[0] * s->tick : r[0] + s->tick) - from;
                r[0] = from;
                r[3] = 0;
            }
            gp_row(f, s->st == S_BARS || s->st == S_STACK ? 5 : 4, r);
        }
        gp_block_end(f);
    }
}

/* Series drawn in a panel (an empty data block would make gnuplot warn). */
size_t panel_drawn_series(const panel *pn)
{
    size_t n = 0;
    for (size_t k = 0; k < pn->n; k++)
        n += (pn->s[k].n > pn->s[k].dropped || pn->s[k].st == S_FUNC) && pn->s[k].title[0];
    return n;
}

/* The index of the panel whose legend lists the most series. */
size_t panel_key_index(const panel *pn, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (panel_drawn_series(&pn[i]) > panel_drawn_series(&pn[best]))
            best = i;
    return best;
}

/* How series s is drawn; strip: as a legend sample only (a function, NaN,
** since a legend strip has no data of its own). */
static void style_clause(FILE *f, const series *s, int errors, int strip)
{
    const char *cols = "1:2", *with = "lines";
    int bars = errors && !strip;
    switch (s->st) {
    case S_LINE_CI:
        cols = bars ? "1:2:3:4" : cols;
        with = bars ? "yerrorlines" : "linespoints";
        break;
    case S_POINTS_CI:
        cols = bars ? "1:2:3:4" : cols;
        with = bars ? "yerrorbars" : "points";
        break;
    case S_LINE: break;
    case S_POINTS: with = "points"; break;
    case S_BARS:
        cols = bars ? "1:2:3:4:5" : "1:2:5";
        with = bars ? "boxerrorbars" : "boxes";
        break;
    case S_TICKS:
        cols = "1:2:3:4";
        with = strip ? "lines" : "vectors nohead";
        break;
    case S_STACK: /* a box from bottom to top; a legend sample is a plain box */
        cols = "1:2:($1-$5/2):($1+$5/2):3:4";
        with = strip ? "boxes" : "boxxyerror";
        break;
    case S_FUNC: break;
    }
    if (!strip && s->st != S_FUNC)
        fprintf(f, "using %s ", cols);
    fprintf(f, "with %s lc rgb \"%s\" dt %d", with, s->color, s->dt ? s->dt : 1);
    if (s->st == S_LINE_CI || s->st == S_POINTS_CI || s->st == S_POINTS)
        fprintf(f, " pt %d", s->pt);
    if (s->st == S_LINE || s->st == S_FUNC || s->st == S_TICKS)
        fputs(" lw 1.3", f);
    if (s->title[0]) {
        fputs(" title ", f);
        gp_text(f, s->title);
    } else {
        fputs(" notitle", f);
    }
}

/* The plot command of a panel. errors: draw intervals; key: show the
** legend (where the caller last put it). */
void panel_plot(FILE *f, int fig, int panel_no, const panel *pn, int errors, int key)
{
    fputs(key ? "set key on\n" : "unset key\n", f);
    int any = 0;
    for (size_t k = 0; k < pn->n; k++) {
        const series *s = &pn->s[k];
        if (s->n == s->dropped && s->st != S_FUNC)
            continue;
        fputs(any ? ", \\\n     " : "plot ", f);
        any = 1;
        if (s->st == S_FUNC)
            fprintf(f, "%s ", s->expr);
        else
            fprintf(f, "$f%d_%d_%s ", fig + 1, panel_no, s->name);
        style_clause(f, s, errors, 0);
    }
    /* Nothing to draw: empty axes keep the grid of panels whole. */
    if (!any)
        fputs("set label 2 \"no data\" at graph 0.5, graph 0.5 center\n"
              "plot [1:2][1:2] 1/0 notitle\nunset label 2", f);
    fputc('\n', f);
}

/* A note over a panel's top right corner naming the series with zeros left out. */
void panel_note_dropped(FILE *f, adi_plot_format fmt, const panel *pn, const char *what)
{
    char list[256] = "";
    for (size_t k = 0; k < pn->n; k++)
        if (pn->s[k].dropped) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", pn->s[k].name);
        }
    if (list[0]) {
        fprintf(f, "set label 1 \"%s: %s = 0, not drawn on the log axis\" at graph 1, graph"
                   " 1.02 right tc rgb \"#555555\" front", list, what);
        gp_font(f, fmt, 10);
        fputc('\n', f);
    } else {
        fputs("unset label 1\n", f);
    }
}

/* `set xtics (...)` at the given values; labels[i] or the number. */
void panel_xtics(FILE *f, size_t n, const double *x, const char *const *labels)
{
    fputs("set xtics (", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        char buf[32];
        snprintf(buf, sizeof buf, "%.4g", x[i]);
        gp_text(f, labels && labels[i] ? labels[i] : buf);
        fputc(' ', f);
        gp_num(f, x[i]);
    }
    fputs(")\n", f);
}


grid grid_begin(FILE *f, adi_plot_format fmt, const char *title, int rows, int cols, int width,
                int height, int key_row, int xtic_lines)
{
    double w = width, h = height, xl = 18.0 * xtic_lines;
    grid g = {rows, cols, 104 / w, 1 - 28 / w, (64 + xl + (key_row ? 44 : 0)) / h,
              1 - 132 / h, 112 / w, (104 + xl) / h, key_row ? 44 / h : 0};
    fputs("set multiplot title ", f);
    gp_text(f, title);
    gp_font(f, fmt, 15);
    fputc('\n', f);
    return g;
}

void grid_key_fit(grid *g, const panel *pn, int width, int height)
{
    size_t longest = 1;
    for (size_t k = 0; k < pn->n; k++)
        if (strlen(pn->s[k].title) > longest)
            longest = strlen(pn->s[k].title);
    /* gnuplot's columns are as wide as the longest entry: ~10 px a
    ** character at the key's font, and the sample */
    size_t per_line = (size_t)(0.98 * width / (10 * (double)longest + 140));
    if (per_line < 1)
        per_line = 1;
    size_t lines = (panel_drawn_series(pn) + per_line - 1) / per_line;
    if (lines <= 1 || g->key_top <= 0)
        return;
    double extra = 22.0 * (double)(lines - 1) / height;
    g->b += extra;
    g->key_top += extra;
}

void grid_panel(FILE *f, const grid *g, int r, int c)
{
    double pw = (g->r - g->l - (g->cols - 1) * g->sx) / g->cols;
    double ph = (g->t - g->b - (g->rows - 1) * g->sy) / g->rows;
    double left = g->l + c * (pw + g->sx), top = g->t - r * (ph + g->sy);
    fprintf(f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
               "set bmargin at screen %.4f\nset tmargin at screen %.4f\n",
            left, left + pw, top - ph, top);
}

/* The legend of panel pn, alone in a strip under the grid; last in the
** multiplot, since it unsets what panels use. */
void grid_key(FILE *f, const grid *g, const panel *pn, int errors)
{
    fprintf(f, "set lmargin at screen 0.01\nset rmargin at screen 0.99\n"
               "set bmargin at screen 0.002\nset tmargin at screen %.4f\n", g->key_top);
    fputs("unset border\nunset tics\nunset title\nunset xlabel\nunset ylabel\nunset grid\n"
          "unset logscale\nunset label\nunset arrow\nset xrange [0:1]\nset yrange [0:1]\n"
          "set key on center center horizontal noopaque nobox samplen 3 width 2\n", f);
    int any = 0;
    for (size_t k = 0; k < pn->n; k++) {
        const series *s = &pn->s[k];
        if ((s->n == s->dropped && s->st != S_FUNC) || !s->title[0])
            continue;
        fputs(any ? ", \\\n     NaN " : "plot NaN ", f);
        any = 1;
        style_clause(f, s, errors, 1);
    }
    if (!any)
        fputs("plot NaN notitle", f);
    fputc('\n', f);
}

void panel_labels(FILE *f, const char *title, const char *xlabel, const char *ylabel)
{
    fputs("set title ", f);
    gp_text(f, title);
    fputs("\nset xlabel ", f);
    gp_text(f, xlabel);
    fputs("\nset ylabel ", f);
    gp_text(f, ylabel);
    fputc('\n', f);
}

