/*
** plots/gp.c — the pieces every figure program is made of (gp.h), and the
** output formats' names (plot.h), which pick the terminal here.
*/
#include "plots/gp.h"

#include "core/error.h"
#include "core/units.h"

#include <math.h>
#include <string.h>

static const char *const format_names[ADI_PLOT_FORMAT_COUNT] = {"png", "svg", "pdf"};

const char *adi_plot_format_name(adi_plot_format f)
{
    return f >= 0 && f < ADI_PLOT_FORMAT_COUNT ? format_names[f] : "?";
}

int adi_plot_format_parse(const char *name, adi_plot_format *f)
{
    for (int i = 0; i < ADI_PLOT_FORMAT_COUNT; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *f = (adi_plot_format)i;
            return ADI_OK;
        }
    return adi_fail(ADI_EINPUT, "expected a format png, svg or pdf, got '%s'", name);
}

/* Font size in points on the png/svg canvas; pdf: scaled to the page. */
#define FONT_PT 13

/* Measured (the same text drawn by each terminal, rendered at 100 dpi):
** at equal nominal size, svg text is 0.73 of pngcairo's and pdfcairo's
** (fontscale 1, page at 100 px per inch) 1.33 of it. svg also spaces
** lines and labels wider, so it gets 1.1 rather than 1.37: text keeps about
** the same share of a figure in all three formats without crowding. */
double gp_font_scale(adi_plot_format fmt)
{
    return fmt == ADI_PLOT_SVG ? 1.1 : fmt == ADI_PLOT_PDF ? 0.75 : 1;
}

void gp_font(FILE *f, adi_plot_format fmt, double points)
{
    fprintf(f, " font \",%.1f\"", points * gp_font_scale(fmt));
}

void gp_preamble(FILE *f, adi_plot_format fmt, const char *output, int width, int height)
{
    /* Point marks: svg draws them larger than png. */
    double font = FONT_PT * gp_font_scale(fmt), points = 1.1;
    fputs("set encoding utf8\n", f);
    switch (fmt) {
    case ADI_PLOT_SVG:
        points *= 0.75;
        fprintf(f, "set terminal svg size %d,%d dynamic enhanced font \"Sans,%.1f\""
                   " fontscale 1 linewidth 1.5 background rgb \"white\"\n", width, height, font);
        break;
    case ADI_PLOT_PDF:
        fprintf(f, "set terminal pdfcairo size %.2fin,%.2fin enhanced font \"Sans,%.1f\""
                   " fontscale 1 linewidth 1.5\n", width / 100.0, height / 100.0, font);
        break;
    default:
        fprintf(f, "set terminal pngcairo size %d,%d enhanced font \"Sans,%.0f\""
                   " linewidth 1.5 background rgb \"white\"\n", width, height, font);
        break;
    }
    /* A single-quoted gnuplot string has no escapes; ' is doubled. */
    fputs("set output '", f);
    for (const char *c = output; *c; c++) {
        if (*c == '\'')
            fputc('\'', f);
        fputc(*c, f);
    }
    fputs("'\n", f);
    fputs("set grid back lc rgb \"#dddddd\" lw 0.7\n"
          "set border 3 back lw 0.8\n"
          "set tics nomirror out scale 0.6\n"
          "set key opaque box lc rgb \"#bbbbbb\" samplen 2.5 spacing 1.15\n"
          "set bars small\n"
          , f);
    fprintf(f, "set pointsize %.3g\n", points);
}

void gp_text(FILE *f, const char *markup)
{
    fputc('"', f);
    for (const char *c = markup; *c; c++) {
        if (*c == '"' || *c == '\\')
            fputc('\\', f);
        if (*c == '\n')
            fputs("\\n", f);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

char *gp_escape(const char *text, char *out, size_t size)
{
    size_t n = 0;
    for (const char *c = text; *c && n + 3 < size; c++) {
        if (strchr("_^@&~{}\\", *c))
            out[n++] = '\\';
        out[n++] = *c;
    }
    out[n] = '\0';
    return out;
}

void gp_num(FILE *f, double v)
{
    char buf[32];
    fputs(adi_format_exact(v, buf, sizeof buf), f);
}

void gp_block_begin(FILE *f, int fig, int panel, const char *series, const char *columns)
{
    fprintf(f, "$f%d_%d_%s << EOD\n# %s\n", fig, panel, series, columns);
}

void gp_row(FILE *f, size_t n, const double *v)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(' ', f);
        gp_num(f, v[i]);
    }
    fputc('\n', f);
}

void gp_block_end(FILE *f) { fputs("EOD\n", f); }

void gp_range_init(gp_range *r)
{
    r->min = r->minpos = INFINITY;
    r->max = -INFINITY;
}

void gp_range_add(gp_range *r, double v)
{
    if (!isfinite(v))
        return;
    if (v < r->min)
        r->min = v;
    if (v > r->max)
        r->max = v;
    if (v > 0 && v < r->minpos)
        r->minpos = v;
}

int gp_range_empty(const gp_range *r) { return !(r->max >= r->min); }

int gp_range_wants_log(const gp_range *r, double ratio)
{
    return !gp_range_empty(r) && r->min >= 0 && isfinite(r->minpos) &&
           r->max / r->minpos >= ratio;
}

double gp_log_floor(const gp_range *r) { return r->minpos / 1.25; }

/* Labelled tics at 1, 2, 5 x 10^k over short log ranges (gnuplot's default
** labels only the decades, often one or two), at decades over long ones. */
static void log_tics(FILE *f, const char *axis, double lo, double hi)
{
    static const double steps[] = {1, 2, 5};
    int dense = hi / lo <= 1e3;
    fprintf(f, "set %stics (", axis);
    int n = 0;
    for (double decade = pow(10, floor(log10(lo))); decade <= hi; decade *= 10)
        for (int k = 0; k < (dense ? 3 : 1); k++) {
            double v = decade * steps[k];
            if (v < lo || v > hi)
                continue;
            fprintf(f, "%s%g", n++ ? ", " : "", v);
        }
    fprintf(f, ")\nset m%stics %s\nset format %s \"%%g\"\n", axis, dense ? "default" : "10",
            axis);
}

void gp_axis(FILE *f, const char *axis, const gp_range *r, int log, int from_zero)
{
    if (gp_range_empty(r)) {
        fprintf(f, "unset logscale %s\nset %srange [*:*]\n", axis, axis);
        return;
    }
    double lo, hi;
    if (log) {
        lo = gp_log_floor(r);
        hi = r->max * 1.25;
        fprintf(f, "set logscale %s 10\n", axis);
        log_tics(f, axis, lo, hi);
    } else {
        double span = r->max - r->min;
        if (span <= 0)
            span = fabs(r->max) > 0 ? fabs(r->max) : 1;
        lo = from_zero && r->min >= 0 ? 0 : r->min - 0.05 * span;
        hi = r->max + 0.07 * span;
        fprintf(f, "unset logscale %s\nset %stics autofreq\nset m%stics default\n"
                   "set format %s \"%% h\"\n", axis, axis, axis, axis);
    }
    fprintf(f, "set %srange [", axis);
    gp_num(f, lo);
    fputc(':', f);
    gp_num(f, hi);
    fputs("]\n", f);
}
