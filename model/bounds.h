/*
** model/bounds.h — the analytic model of a pool: closed forms and bounds
** that hold without simulating.
**
** For n devices with mean task times T_i and m identical tasks at t = 0:
**
**   R = sum 1/T_i                 throughput bound (tasks per second)
**   m / R                         makespan lower bound (any policy)
**   m / R + max T_i               greedy upper bound (deterministic pull)
**   C* = min{C : sum floor(C/T_i) >= m}
**                                 optimal makespan for identical tasks
**   ceil(m/n) max T_i             the seed paper's M; an upper bound on
**                                 deterministic pull (after k max T every
**                                 device has done >= k tasks); equal to
**                                 the synchronous-rounds makespan when the
**                                 last round holds the slowest device
**   sync rounds                   floor(m/n) max T + max_{i<r} T_i, r = m mod n
**   m T_i                         serial on device i
**   n / R                         task-weighted mean service time (harmonic
**                                 mean): what a task really waits for under
**                                 pull, where fast devices run more tasks.
**                                 The paper's E[L] = mean T_i (arithmetic) is
**                                 wrong for heterogeneous pools; it is
**                                 printed beside it for comparison.
**
** The paper's "M = max_i ceil(m/n) T_i" is the makespan of synchronous
** rounds, not of its asynchronous algorithm, whose makespan is about m / R.
*/
#ifndef ADI_MODEL_BOUNDS_H
#define ADI_MODEL_BOUNDS_H

#include "sim/sampler.h"

#include <stddef.h>
#include <stdint.h>

typedef struct adi_bounds {
    size_t n;
    uint64_t m;
    double R;               /* tasks per second */
    double lower;           /* s: m / R */
    double greedy_upper;    /* s: m / R + max T */
    double optimal;         /* s: C* */
    double paper;           /* s: ceil(m/n) max T */
    double sync_rounds;     /* s: exact synchronous-rounds makespan */
    double serial_fastest;  /* s: m min T */
    double serial_slowest;  /* s: m max T */
    double min_time, max_time;   /* s */
    double harmonic_mean;   /* s: n / R */
    double arithmetic_mean; /* s: mean T_i */
} adi_bounds;

/* Fills *b for times[0..n) (all > 0) and m >= 1 tasks. Cost O(n log n).
** ADI_OK, or ADI_EINPUT / ADI_ENOMEM. */
int adi_model_bounds(const double *times, size_t n, uint64_t m, adi_bounds *b);

/* C* above: the smallest C with sum floor(C / T_i) >= m. */
int adi_model_optimal_makespan(const double *times, size_t n, uint64_t m, double *c);

/* Expected makespan of synchronous rounds of m tasks when device i's task
** times follow dev[i] (independent draws): floor(m/n) E[max of all n] +
** E[max of the first r], r = m mod n, with E[max] = integral of 1 - prod F_i
** (GSL adaptive quadrature; exact sums for empirical samples). */
int adi_model_sync_expected(const adi_sampler *dev, size_t n, uint64_t m, double *e);

/* E[max_{i<n} X_i] for independent X_i ~ dev[i]. */
int adi_model_expected_max(const adi_sampler *dev, size_t n, double *e);

#endif
