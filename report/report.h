/*
** report/report.h — what `simulate` prints: the summary table (one row per
** sweep point, from the database, so stored and new points look the same),
** the same table as CSV, and the list of violated checks.
**
** Every number in a row is a mean over the point's replications; the
** throughput also gets a 95 % Student-t confidence interval.
*/
#ifndef ADI_REPORT_REPORT_H
#define ADI_REPORT_REPORT_H

#include "scenario/scenario.h"
#include "store/store.h"

#include <stdio.h>

typedef struct adi_report_totals {
    size_t points;      /* points with stored results */
    size_t infeasible;  /* points skipped as impossible */
    size_t runs;
    size_t checks;      /* check rows */
    size_t failed;      /* check rows that do not hold */
} adi_report_totals;

/* One point's aggregates. */
typedef struct adi_point_summary {
    const adi_point *point;
    int stored;                 /* 0: no runs (infeasible or missing) */
    size_t runs, checks, failed;
    double throughput, throughput_half; /* per s; half-width of the 95 % CI */
    double makespan;
    double lat_mean, lat_p95, lat_max;
    double latc_mean, latc_p95, latc_max;
    double utilization, idle_time, blocked_time;
    double dropped;
} adi_point_summary;

/* Fills out[0..npoints) from the database. */
int adi_report_collect(adi_store *st, const adi_scenario *sc, adi_point_summary *out,
                       adi_report_totals *totals);

/* Prints the summary table to f (the caller's stream). A pool with devices
** whose times are estimated (adi_scenario_estimated) has its rows marked
** "est." and a line under the table naming them. */
void adi_report_table(const adi_scenario *sc, const adi_point_summary *rows, FILE *f);

/* Writes the same rows as CSV to f (the caller's stream: simulate writes a
** core/outfile.h file, which appears whole or not at all). */
void adi_report_csv(const adi_scenario *sc, const adi_point_summary *rows, FILE *f);

/* Prints every violated check of the scenario's points (interval checks
** once per point), at most max_lines lines, to f. */
int adi_report_failures(adi_store *st, const adi_scenario *sc, FILE *f, size_t max_lines);

/* What `simulate` prints for a scenario whose runs are stored: the table
** to `table` (NULL: none), the CSV to `csv` (NULL: none), the failed
** checks to `failures` (NULL: none), and the totals. */
int adi_report_scenario(adi_store *st, const adi_scenario *sc, FILE *table, FILE *csv,
                        FILE *failures, adi_report_totals *totals);

/* The same for the latest stored text of the scenario called `name` (used
** after merging, when no scenario file is at hand). */
int adi_report_stored(adi_store *st, const char *name, FILE *table, FILE *failures,
                      adi_report_totals *totals);

/* The columns of the network's swept parameters (prefetch k, the
** coordinator's bandwidth, the input size, the link scale), for the ones
** the scenario varies: their headings, and one point's values. simulate's
** and model's tables both show them. */
void adi_report_net_headings(FILE *f, const adi_scenario *sc);
void adi_report_net_params(FILE *f, const adi_scenario *sc, const adi_point *p);
/* The same values as text (labelled = 1): ", k 0, links 0.1x" (bin/model's
** best-policy lines). */
void adi_report_net_values(FILE *f, const adi_scenario *sc, const adi_point *p, int labelled);

#endif
