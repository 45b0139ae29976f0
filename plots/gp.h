/*
** plots/gp.h — writing gnuplot programs: the terminal preamble, strings,
** numbers, inline data blocks and axes. Internal to plots/.
**
** Text has two levels. "Markup" is gnuplot's enhanced text (T_i is T with a
** subscript i; a brace group can change the font size); gp_text() writes
** markup as a double-quoted gnuplot string. Text from users (a scenario name) becomes
** markup through gp_escape(), so an underscore stays an underscore.
** Numbers are written with the fewest digits that read back exactly
** (adi_format_exact), so the data gnuplot receives is the data loaded.
*/
#ifndef ADI_PLOTS_GP_H
#define ADI_PLOTS_GP_H

#include "plots/plot.h"

#include <stddef.h>
#include <stdio.h>

/* The logical canvas: pixels for png and svg; pdf pages are the same shape
** at 100 px per inch, with fonts scaled to match. */
void gp_preamble(FILE *f, adi_plot_format fmt, const char *output, int width, int height);

/* Font sizes are given in points on the png canvas; gp_font() writes
** ` font ",<size>"` scaled for fmt so text keeps its size relative to the
** figure (gp_font_scale: 1 for png). */
double gp_font_scale(adi_plot_format fmt);
void gp_font(FILE *f, adi_plot_format fmt, double points);

/* Writes markup as a double-quoted gnuplot string (", \ and newlines
** escaped). */
void gp_text(FILE *f, const char *markup);

/* Plain text -> markup (enhanced-text specials escaped) into out. */
char *gp_escape(const char *text, char *out, size_t size);

void gp_num(FILE *f, double v);

/* "$f<fig>_<panel>_<series> << EOD" and a comment naming the columns. */
void gp_block_begin(FILE *f, int fig, int panel, const char *series, const char *columns);
void gp_row(FILE *f, size_t n, const double *v);
void gp_block_end(FILE *f);

/* The span of the values an axis must show. */
typedef struct gp_range {
    double min, max;  /* over finite values */
    double minpos;    /* smallest positive value (for log axes) */
} gp_range;

void gp_range_init(gp_range *r);
void gp_range_add(gp_range *r, double v);
int gp_range_empty(const gp_range *r);

/* 1 when the positive values span at least `ratio` and nothing below zero
** must be shown: a log axis reads better. Zeros are then left out of the
** plot (the caller says so on the figure). */
int gp_range_wants_log(const gp_range *r, double ratio);

/* `set logscale`/`unset logscale` and `set [xy]range` for axis "x" or "y",
** padded a little so no point sits on the border; from_zero: a linear axis
** starts at 0 (bars, fractions). */
void gp_axis(FILE *f, const char *axis, const gp_range *r, int log, int from_zero);

/* The lower end gp_axis gives a log axis (for clamping error bars). */
double gp_log_floor(const gp_range *r);

#endif
