/*
** plots/plot_int.h — the layout of adi_plot_data, shared by the files of
** plots/ and by tests/test_plots.c (which compares what the writers emit with
** these numbers and with the database). Not part of the public interface.
**
** Everything here is loaded once by adi_plot_load(); the writers only read.
** Every time is in seconds, every rate in tasks per second.
*/
#ifndef ADI_PLOTS_PLOT_INT_H
#define ADI_PLOTS_PLOT_INT_H

#include "core/stats.h"
#include "model/bounds.h"
#include "plots/plot.h"
#include "scenario/scenario.h"

#include <stdint.h>

/* Run metrics aggregated per point (adi_run_result fields, as the store reads
** them back: store/read.h). */
enum {
    PM_THROUGHPUT, /* tasks/s */
    PM_MAKESPAN,   /* s */
    PM_IDLE,       /* device-seconds idle within the makespan, summed */
    PM_LAT_MAX,    /* s, from enqueue */
    PM_LAT_P95,    /* s, from enqueue */
    PM_BLOCKED,    /* s the producer was blocked */
    PM_LAT_P99,    /* s, from enqueue */
    PM_COUNT
};

/* One device of a point over its replications (table run_device). */
typedef struct plot_device {
    size_t device;     /* index in the pool (0 = fastest for synthetic pools) */
    double mean_time;  /* s: its T_i */
    adi_ci tasks;      /* tasks done */
    adi_ci util;       /* busy / (busy + idle) = busy / makespan, 0..1 */
    adi_ci busy;       /* s computing */
    adi_ci transfer;   /* s not computing while a message of its own travels */
    adi_ci wait;       /* s neither: busy + transfer + wait = the makespan */
} plot_device;

/* One bucket of a stored latency histogram (table latency_hist). */
typedef struct plot_bucket {
    double lo, hi;     /* s */
    uint64_t count;
} plot_bucket;

/* The steady-state quantities checked against exact queueing results
** (check/steady.h): bound_check rows queue_block, queue_in_system, ... */
enum { PQ_BLOCK, PQ_IN_SYSTEM, PQ_RESPONSE, PQ_UTIL, PQ_COUNT };

typedef struct plot_queue {
    double exact;      /* the model's value */
    adi_ci sim;        /* simulated mean and its (Bonferroni) interval */
} plot_queue;

typedef struct plot_point {
    const adi_point *p;      /* borrowed from the data's scenario */
    int64_t id;              /* row id in table point; 0: nothing stored */
    size_t runs;             /* replications stored */
    adi_ci m[PM_COUNT];      /* 95 % intervals; half = NAN when runs < 2 */
    adi_bounds used;         /* the model over the devices the policy uses */
    double pool_R;           /* tasks/s: sum 1/T_i over the whole pool */
    int has_model;           /* used and pool_R are set (not infeasible) */
    /* Over a network (p->network): R_net (model/network.h) of the star of
    ** the devices the policy uses, tasks/s. */
    double net_R;            /* for the policy's window: what throughput_le_R_net checks */
    double net_R0;           /* at prefetch 0 */
    unsigned queue_mask;     /* bit q: queue[q] holds a checked quantity */
    plot_queue queue[PQ_COUNT];
    /* Loaded only for the points of the chosen slice (figures 2, 6 and 10). */
    size_t ndev;
    plot_device *dev;        /* [ndev], owned */
    size_t nbuckets;
    plot_bucket *hist;       /* [nbuckets] kind 'enqueue', ascending, owned */
    uint64_t hist_zero;      /* latencies of exactly 0 (bucket -1) */
    uint64_t hist_total;     /* hist_zero + every bucket's count */
} plot_point;

struct adi_plot_data {
    char *db_path;           /* for messages */
    int64_t scenario_id;
    char *name, *path, *ini_text, *created_at;
    adi_scenario *sc;        /* ini_text parsed again: points and pools */
    size_t npoints;          /* adi_scenario_npoints(sc) */
    plot_point *pt;          /* [npoints], in sweep order */
    size_t stored;           /* points with runs */
    size_t chosen;           /* the reference point of every slice */
};

/* Parameters two points are compared on (bit mask of adi_param values). */
#define PARAM_BIT(p) (1u << (p))
#define PARAM_ALL ((1u << ADI_PARAM_COUNT) - 1)

/* 1 when a and b agree on every parameter in mask. */
int plot_same(const adi_point *a, const adi_point *b, unsigned mask);

/* ---- slices, shared by the figures (figures.c) ---- */

/* Point p's value of parameter param (an adi_param): a policy by its
** table index, Q = inf as INFINITY. */
double plot_param_value(const adi_point *p, int param);

/* The chosen point, and whether pp is in figure fig's slice (stored, and
** agrees with the chosen point on every parameter the figure fixes). */
const plot_point *plot_chosen(const adi_plot_data *d);
int plot_in_slice(const adi_plot_data *d, int fig, const plot_point *pp);

/* The distinct values of param over fig's slice, ascending, into out
** (room for d->npoints values); returns how many. */
size_t plot_distinct(const adi_plot_data *d, int fig, int param, double *out);

/* The first point of fig's slice whose parameters in `params` (a mask of
** PARAM_BIT) equal vals (indexed by adi_param); stored points only, or any
** feasible one. NULL when none. */
const plot_point *plot_lookup(const adi_plot_data *d, int fig, unsigned params,
                              const double *vals, int stored);

/* The figure's title as markup (caption and scenario; slice and note; the
** fixed context), and the replications note ("mean of 3 replications,
** bars: 95% CI"). Both return buf. */
char *plot_title(const adi_plot_data *d, int fig, const char *note, char *buf, size_t size);
char *plot_reps_note(const adi_plot_data *d, char *buf, size_t size);

/* 1 when the chosen point has replications enough for error bars. */
int plot_errors_drawn(const adi_plot_data *d);

/* ---- the network's figures (netfig.c) ---- */

/* 1 when figure fig (ADI_FIG_BANDWIDTH, _PREFETCH or _SPLIT) can be drawn;
** otherwise 0 and *why (static) says why not. */
int plot_net_applies(const adi_plot_data *d, int fig, const char **why);

/* Each writes its figure's program (as adi_plot_write_figure). */
int plot_fig_bandwidth(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out);
int plot_fig_prefetch(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out);
int plot_fig_split(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out);

/* ---- the policy figures (polfig.c) ---- */

/* 1 when figure fig (ADI_FIG_POLICIES or _BATCHING) can be drawn; otherwise
** 0 and *why (static) says why not. */
int plot_pol_applies(const adi_plot_data *d, int fig, const char **why);
int plot_fig_policies(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out);
int plot_fig_batching(const adi_plot_data *d, FILE *f, adi_plot_format fmt, const char *out);

/* The latency at which the histogram's CDF reaches q (0 < q <= 1), with
** linear interpolation inside the bucket: the point lies on the drawn
** curve. NAN when the histogram is empty. */
double plot_hist_quantile(const plot_point *pp, double q);

#endif
