/*
** plots/plot.h — the figures of one scenario's stored runs, drawn by gnuplot.
**
** Two halves, kept apart so that the first can be tested without gnuplot:
**
**   data and writers  adi_plot_load() reads a scenario's runs from the
**                     results database into memory: per sweep point the
**                     means and 95 % Student-t intervals over replications,
**                     the analytic bounds of its pool, and for the points of
**                     the chosen slice their devices and latency histograms.
**                     adi_plot_write_figure() writes one figure as a complete
**                     gnuplot program (terminal, output file, inline data
**                     blocks `$name << EOD`, plot commands) to any FILE*.
**   process           adi_plot_draw() feeds those programs to gnuplot through
**                     popen(), one process per figure (they render in
**                     parallel), each into a temporary file; only when every
**                     figure and index.html are complete are they renamed to
**                     their final names. gnuplot's stdout and stderr go to a
**                     temporary file that is read back after pclose() and
**                     removed: an error fails the whole call with gnuplot's
**                     own words, a warning is handed back to the caller.
**
** The figures (file stems in brackets; see README for what each shows):
**   1 [1_throughput]     throughput vs n, one line per policy, one panel per
**                        heterogeneity h, and the bound R = sum 1/T_i
**   2 [2_latency]        latency CDF per policy at the chosen point, with
**                        p50/p95/p99 marks
**   3 [3_queue]          idle time and max latency vs queue capacity Q
**   4 [4_heterogeneity]  throughput and makespan vs h, one line per n
**   5 [5_bounds]         simulated makespan against m/R, m/R + max T_i and
**                        the paper's ceil(m/n) max T_i, per sweep point
**   6 [6_devices]        tasks done and utilization per device at the chosen
**                        point
**   7 [7_exact]          simulated steady state against exact queueing
**                        results (loss, L, W, U), per point: points on the
**                        diagonal (only for open workloads that have them)
**   8 [8_bandwidth]      over a network: throughput vs link bandwidth
**                        (link_scale), one line per policy, and each
**                        policy's bound R_net
**   9 [9_prefetch]       over a network: throughput vs prefetch k, with
**                        R_net(k) and R_net(0)
**  10 [10_time_split]    over a network: each device's time split into
**                        compute, transfer and waiting at the chosen
**                        point, stacked bars, one panel per policy
**  11 [11_policies]      which policy wins where: makespan / C* per policy
**                        variant against m and h (a batch), or p99 latency
**                        against the arrival rate and h (Poisson)
**  12 [12_batching]      throughput and p99 latency against pull_batch b,
**                        one line per rate and max_delay, and the bound R_b
** A figure whose x axis would hold a single value (a scenario that does not
** sweep that parameter) is skipped, with the reason.
**
** Slices: each figure fixes the parameters it does not plot at the values of
** one reference point, the "chosen point": by default the stored pull point
** with the most devices, then the largest queue capacity (inf first), then
** the largest heterogeneity, then the links as written (link_scale 1), ties
** to the earliest in sweep order; or the sweep position the caller names.
**
** Costs: loading reads every run of the scenario once (one query per point);
** a figure program is a few kB to a few hundred kB of text.
*/
#ifndef ADI_PLOTS_PLOT_H
#define ADI_PLOTS_PLOT_H

#include <stddef.h>
#include <stdio.h>

typedef struct adi_plot_data adi_plot_data;

typedef enum adi_plot_format { ADI_PLOT_PNG, ADI_PLOT_SVG, ADI_PLOT_PDF, ADI_PLOT_FORMAT_COUNT } adi_plot_format;

enum {
    ADI_FIG_THROUGHPUT,
    ADI_FIG_LATENCY,
    ADI_FIG_QUEUE,
    ADI_FIG_HETEROGENEITY,
    ADI_FIG_BOUNDS,
    ADI_FIG_DEVICES,
    ADI_FIG_EXACT,
    ADI_FIG_BANDWIDTH,
    ADI_FIG_PREFETCH,
    ADI_FIG_SPLIT,
    ADI_FIG_POLICIES,
    ADI_FIG_BATCHING,
    ADI_FIG_COUNT
};

/* "png", "svg", "pdf" <-> enum. parse: ADI_OK or ADI_EINPUT. */
const char *adi_plot_format_name(adi_plot_format f);
int adi_plot_format_parse(const char *name, adi_plot_format *f);

/* A figure's file stem ("1_throughput") and one-line caption (static). */
const char *adi_plot_figure_stem(int fig);
const char *adi_plot_figure_caption(int fig);

/* Chosen point for adi_plot_load: the default rule above. */
#define ADI_PLOT_POINT_DEFAULT ((size_t)-1)

/* Opens db_path read-only and loads the scenario called `scenario` (its
** latest version, the row with the highest id) or, when scenario is NULL,
** the only scenario the database holds. `point` is the chosen point's sweep
** position or ADI_PLOT_POINT_DEFAULT. The database is closed again before
** returning; *out owns copies of everything (free with adi_plot_data_free).
** Errors (ADI_EINPUT or ADI_EIO, message in adi_errmsg): no such database,
** no such scenario (the message lists the names there are), several
** scenarios and none named, a scenario without stored runs, a point out of
** range or without runs. */
int adi_plot_load(const char *db_path, const char *scenario, size_t point, adi_plot_data **out);

void adi_plot_data_free(adi_plot_data *d);

const char *adi_plot_scenario_name(const adi_plot_data *d);
const char *adi_plot_created_at(const adi_plot_data *d); /* UTC, ISO 8601 */
size_t adi_plot_chosen_point(const adi_plot_data *d);    /* sweep position */

/* 1 when the figure can be drawn; otherwise 0 and *why (static or owned by
** d, valid while d lives) says why not. */
int adi_plot_figure_applies(const adi_plot_data *d, int fig, const char **why);

/* Writes into buf (size bytes) which slice of the sweep figure fig shows
** ("Q = inf, mean T = 50 ms, m = 10000"), plain UTF-8 text. Returns buf. */
char *adi_plot_figure_slice(const adi_plot_data *d, int fig, char *buf, size_t size);

/* Writes figure fig as a gnuplot program to gp: the terminal for fmt, `set
** output` to the file `output`, the data blocks and the plot commands. The
** figure must apply. Data blocks are named $f<fig>_<panel>_<series> (fig
** 1-based) and open with a comment line naming their columns. ADI_OK, or
** ADI_EIO when writing to gp failed. */
int adi_plot_write_figure(const adi_plot_data *d, int fig, adi_plot_format fmt,
                          const char *output, FILE *gp);

/* Writes index.html to f: scenario name, date, the scenario text (HTML
** escaped), every drawn figure (drawn[fig] != 0; <img> for png and svg, a
** link for pdf, files named <stem>.<format> beside index.html) and the
** reason each other figure was skipped. ADI_OK or ADI_EIO. */
int adi_plot_write_index(const adi_plot_data *d, adi_plot_format fmt,
                         const int drawn[ADI_FIG_COUNT], FILE *f);

/* What adi_plot_draw did, for the caller to report. */
typedef struct adi_plot_outcome {
    int drawn[ADI_FIG_COUNT];        /* 1: <dir>/<stem>.<format> written */
    char *warnings[ADI_FIG_COUNT];   /* gnuplot's output on success, or NULL */
    size_t ndrawn;
} adi_plot_outcome;

/* Frees the warnings; the struct itself is the caller's. */
void adi_plot_outcome_free(adi_plot_outcome *o);

/* 1 when an executable `gnuplot` is on $PATH. */
int adi_plot_gnuplot_found(void);

/* Draws every applicable figure into dir (created, with parents, when
** missing) as <stem>.<format>, and index.html beside them. All or nothing:
** on any failure no new file is left in dir and *out lists nothing drawn.
** Figures skipped now but left from an earlier call are removed, so the
** folder matches its index. Errors: gnuplot not found, dir not a writable
** directory, gnuplot failing on a figure (its own message, prefixed with the
** figure). Writing to a pipe gnuplot has closed must not kill the caller:
** SIGPIPE is blocked around the writes and any pending one discarded. */
int adi_plot_draw(const adi_plot_data *d, const char *dir, adi_plot_format fmt,
                  adi_plot_outcome *out);

#endif
