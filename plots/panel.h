/*
** plots/panel.h — the pieces figures are drawn from, internal to plots/:
** a series (rows of x, y, interval and width, a style, a legend title),
** a panel (the series sharing one set of axes), and a grid of panels placed
** by hand on the canvas with a legend strip under it.
**
** Series are gathered in memory first and written later, because the axes
** (log or linear, ranges shared across panels) depend on all the data. Each
** series becomes one inline data block $f<fig>_<panel>_<name> (fig 1-based)
** that opens with a comment naming its columns; function series (S_FUNC)
** have no data. Times are seconds.
*/
#ifndef ADI_PLOTS_PANEL_H
#define ADI_PLOTS_PANEL_H

#include "core/stats.h"
#include "plots/gp.h"

#include <stddef.h>
#include <stdio.h>

enum { COLS = 5 }; /* x, y, lo, hi, width */

typedef enum style {
    S_LINE_CI,   /* yerrorlines (linespoints with one replication) */
    S_POINTS_CI, /* yerrorbars (points) */
    S_LINE,      /* a model line, no marks */
    S_POINTS,    /* marks only */
    S_BARS,      /* boxerrorbars (boxes) */
    S_TICKS,     /* a short level mark at each x: a per-point bound */
    S_STACK,     /* a segment of a stacked bar: rows x, top, bottom, top, width */
    S_FUNC       /* a function of x (expr), no data: an exact model line */
} style;

typedef struct series {
    char name[32];     /* data block: $f<fig>_<panel>_<name> */
    char title[192];   /* legend markup; "" = none */
    const char *color;
    int pt, dt;        /* point type, dash type */
    style st;
    const char *columns;
    size_t n, cap;
    double (*row)[COLS];
    size_t dropped;    /* rows left out: zero on a log axis */
    const char *expr;  /* S_FUNC: gnuplot expression in x */
    int tick_log;      /* S_TICKS: marks span x / tick .. x * tick (log x) */
    double tick;       /*          or x - tick .. x + tick (linear x) */
} series;

typedef struct panel {
    series *s;
    size_t n, cap;
} panel;

/* A rows x cols grid of panels placed by hand (screen margins), because
** gnuplot's own layout leaves too little room for three-line titles and
** lets a legend be no wider than one panel. Room in pixels: the title on
** top, axis labels between panels (xtic_lines: lines of x tic labels) and,
** with key_row, a legend strip across the bottom (grid_key). */
typedef struct grid {
    int rows, cols;
    double l, r, b, t, sx, sy; /* screen fractions */
    double key_top;            /* top of the legend strip; 0: none */
} grid;

/* ---- series and panels ---- */

/* Appends a series to the panel; NULL when out of memory (message set).
** The pointer is valid until the next panel_add on the same panel. */
series *panel_add(panel *pn, const char *name, const char *title, const char *color, int pt,
                  int dt, style st, const char *columns);

/* A row; a row with x or y not finite is nothing to draw and skipped.
** lo/hi not finite (no interval) become y. ADI_OK or ADI_ENOMEM. */
int series_add(series *s, double x, double y, double lo, double hi, double w);
int series_ci(series *s, double x, const adi_ci *ci);

void panel_clear(panel *p);
/* Clears p[0..n) and frees the array; NULL does nothing. */
void panels_free(panel *p, size_t n);

/* Widens r by columns col_lo..col_hi of every row (0 x, 1 y, 2-3 interval). */
void panel_range(const panel *pn, int col_lo, int col_hi, gp_range *r);
void panel_yrange(const panel *pn, gp_range *r);

/* Series with a legend entry that will be drawn; the panel with most. */
size_t panel_drawn_series(const panel *pn);
size_t panel_key_index(const panel *pn, size_t n);

/* ---- writing ---- */

/* Every series of the panel as a data block; on a log y axis rows with
** y <= 0 are left out (counted in dropped) and interval ends clamped to
** floor. */
void panel_write_blocks(FILE *f, int fig, int panel_no, panel *pn, int ylog, double floor);

/* The plot command of a panel. errors: draw intervals; key: show the
** legend (where the caller last put it). */
void panel_plot(FILE *f, int fig, int panel_no, const panel *pn, int errors, int key);

/* A note over a panel's top right corner naming the series with zeros left out. */
void panel_note_dropped(FILE *f, adi_plot_format fmt, const panel *pn, const char *what);

/* `set xtics (...)` at the given values; labels[i] or the number. */
void panel_xtics(FILE *f, size_t n, const double *x, const char *const *labels);

void panel_labels(FILE *f, const char *title, const char *xlabel, const char *ylabel);

/* ---- the grid ---- */

/* Starts the multiplot with its title; returns the geometry. */
grid grid_begin(FILE *f, adi_plot_format fmt, const char *title, int rows, int cols, int width,
                int height, int key_row, int xtic_lines);

/* Gives the legend strip room for the entries of panel pn (grid_begin's
** strip holds one line of them): as many columns as entries as wide as the
** longest fit across the canvas, 22 px a line more, taken from the panels
** (the caller makes the canvas taller). */
void grid_key_fit(grid *g, const panel *pn, int width, int height);

/* Puts the next plot in row r, column c. */
void grid_panel(FILE *f, const grid *g, int r, int c);

/* The legend of panel pn, alone in a strip under the grid; last in the
** multiplot, since it unsets what panels use. */
void grid_key(FILE *f, const grid *g, const panel *pn, int errors);

#endif
