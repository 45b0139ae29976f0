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
    PM_COUNT
};

/* One device of a point over its replications (table run_device). */
typedef struct plot_device {
    size_t device;     /* index in the pool (0 = fastest for synthetic pools) */
    double mean_time;  /* s: its T_i */
    adi_ci tasks;      /* tasks done */
    adi_ci util;       /* busy / (busy + idle) = busy / makespan, 0..1 */
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
    unsigned queue_mask;     /* bit q: queue[q] holds a checked quantity */
    plot_queue queue[PQ_COUNT];
    /* Loaded only for the points of the chosen slice (figures 2 and 6). */
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

/* The latency at which the histogram's CDF reaches q (0 < q <= 1), with
** linear interpolation inside the bucket: the point lies on the drawn
** curve. NAN when the histogram is empty. */
double plot_hist_quantile(const plot_point *pp, double q);

#endif
