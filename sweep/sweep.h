/*
** sweep/sweep.h — running a scenario's points: every (point, replication)
** pair is one independent simulation, so they run on worker threads, and
** the finished points are handed to the caller strictly in sweep order from
** the calling thread (the single database writer).
**
** Determinism: a run's inputs are its point and its replication number
** (which fix its random stream, core/hash.h); nothing depends on which
** thread runs it or when, so results are bit-identical for any --jobs.
**
** Memory: workers may run ahead of the point being delivered by at most
** ADI_SWEEP_LOOKAHEAD points per job, and by at most ADI_SWEEP_LOOKAHEAD
** runs per job past its last replication, so the results held at once are
** one point's replications and LOOKAHEAD * jobs runs more, whatever the
** sweep's size (adi_sweep_memory estimates the bytes).
*/
#ifndef ADI_SWEEP_SWEEP_H
#define ADI_SWEEP_SWEEP_H

#include "check/checks.h"
#include "check/result.h" /* adi_point_result */
#include "scenario/scenario.h"
#include "sim/sim.h"

#define ADI_SWEEP_LOOKAHEAD 4

typedef struct adi_sweep_options {
    unsigned jobs;             /* worker threads; 0 = number of cores */
    const unsigned char *skip; /* [npoints]: 1 = do not run (already stored) */
    unsigned shard, shards;    /* run only points with index % shards == shard */
                               /* (shards 0 or 1: all points) */
    /* Called in sweep order on the calling thread for each point that ran;
    ** the result is valid only during the call. Nonzero aborts the sweep
    ** (the callback has set adi_errmsg). */
    int (*point_done)(void *ctx, const adi_point_result *pr);
    /* Optional, with point_done: a consumer that keeps finished points in
    ** work of its own across calls (the store's transaction of several
    ** points). Before the calling thread waits for the next point, pending
    ** says whether such work is open (1, and *deadline in adi_clock_s
    ** seconds) and flush is called once the deadline has passed with no
    ** point to deliver. flush's nonzero aborts the sweep as point_done's. */
    int (*pending)(void *ctx, double *deadline);
    int (*flush)(void *ctx);
    /* Optional: called after each delivered point. */
    void (*progress)(void *ctx, size_t points_done, size_t points_total,
                     unsigned long long tasks_done, double elapsed_s);
    void *ctx;
} adi_sweep_options;

/* Runs every feasible, unskipped point. ADI_OK, or the first error. */
int adi_sweep_run(const adi_scenario *sc, const adi_sweep_options *opt);

/* The level of each interval check when a scenario has ci_checks of them
** (Bonferroni: the family's false-alarm rate is ADI_CHECK_ALPHA). */
double adi_sweep_ci_level(size_t ci_checks);

/* The stream seed of replication rep of point p (what the run used). */
unsigned long adi_sweep_run_seed(const adi_point *p, uint64_t rep);

/* Runs replication rep of point p alone (what a worker does). */
int adi_sweep_run_one(const adi_point *p, uint64_t rep, adi_run_result *out);

/* Runs all replications of point p on up to `jobs` threads (0: every
** core) into runs[0..p->replications). Bit-identical for any jobs. On
** failure every entry of runs is empty. */
int adi_sweep_run_point(const adi_point *p, unsigned jobs, adi_run_result *runs);

/* The peak memory of running every feasible point with `jobs` workers (0:
** every core), in bytes, estimated from the points alone, before any run:
** the results held (one point's replications and LOOKAHEAD * jobs runs
** more, each its struct, its devices' results, its checks and its latency
** histograms over the octaves its times can span) and each worker's run in
** progress (devices, events, histograms with their slack, exact latencies,
** a Poisson backlog), plus the scenario's points and pools. *worst, when
** not NULL, is the index of the point that needs the most. */
double adi_sweep_memory(const adi_scenario *sc, unsigned jobs, size_t *worst);

/* ADI_OK when adi_sweep_memory fits adi_memory_cap() (core/memory.h), else
** ADI_EINPUT with a message naming the file, the keys that drive the
** estimate (replications, devices, tasks, percentiles) and the cap. */
int adi_sweep_check_memory(const adi_scenario *sc, unsigned jobs);

/* Number of cores online (at least 1). */
unsigned adi_sweep_default_jobs(void);

#endif
