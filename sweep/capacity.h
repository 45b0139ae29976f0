/*
** sweep/capacity.h — server capacity, as in MLPerf's Server scenario: the
** largest Poisson arrival rate at which a pool keeps a latency quantile
** within a bound (e.g. p99 <= 100 ms).
**
** By simulation: at a trial rate the point's replications run with Poisson
** arrivals (the scenario's task count and warm-up; 10 % warm-up for a batch
** scenario); each gives the steady-state p-quantile of the response time
** from creation, an arrival that is lost counting as never served. A rate
** *meets* the bound when the upper end of the confidence interval of that
** quantile is within it, and *could meet* it while the lower end is. Two
** bisections between 0 and the throughput bound R find the largest rate
** that meets it (`safe`) and the largest that could (`optimistic`): the
** true capacity lies between them at the stated confidence, and the gap
** shrinks with more replications or tasks.
**
** Analytically, where a formula exists (identical exponential devices,
** pull, Q = inf: M/M/c with FIFO, model/queueing.h).
*/
#ifndef ADI_SWEEP_CAPACITY_H
#define ADI_SWEEP_CAPACITY_H

#include "scenario/scenario.h"

typedef struct adi_capacity_request {
    double quantile;   /* e.g. 0.99 */
    double bound;      /* seconds */
    double confidence; /* level of the interval on the quantile, e.g. 0.95 */
    double precision;  /* bisection stops at this fraction of R, e.g. 0.005 */
    unsigned jobs;     /* worker threads, 0 = every core */
} adi_capacity_request;

typedef struct adi_capacity_result {
    double R;            /* the pool's throughput bound, per s */
    double safe;         /* largest rate shown to meet the bound, per s */
    double optimistic;   /* largest rate not shown to miss it, per s */
    int has_formula;     /* 1 when `analytic` is set */
    double analytic;     /* exact largest rate (M/M/c), per s */
    unsigned trials;     /* rates simulated */
} adi_capacity_result;

/* "p99=100ms", "p99 <= 100ms", "p95=2s": quantile and bound (s). */
int adi_capacity_parse_bound(const char *text, double *quantile, double *bound);

/* The pools of sc: points that differ only in their rate (whose keys
** without the rate are equal, scenario/point.h) are one pool, searched
** once. *first receives the index of each pool's first point, in sweep
** order (malloc'ed, the caller frees it), *n their number. O(P log P) for
** P points, and one key per point meanwhile. ADI_OK or ADI_ENOMEM. */
int adi_capacity_pools(const adi_scenario *sc, size_t **first, size_t *n);

/* Searches for point p (its rate and workload are replaced). Needs
** replications >= 2. */
int adi_capacity_search(const adi_point *p, const adi_capacity_request *req,
                        adi_capacity_result *out);

#endif
