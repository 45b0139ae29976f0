/*
** sweep/sweep.c — worker threads and in-order delivery (see sweep.h).
**
** Work items are (point, replication) pairs in sweep order; a shared
** counter hands them out. A point is delivered when all its replications
** are done and every earlier point has been delivered. One mutex guards the
** counters; the condition variable wakes the deliverer when a point
** completes and wakes workers held back by the look-ahead limit. While the
** consumer holds finished points in an open transaction (opt->pending), the
** deliverer's wait has its deadline, and the consumer flushes when it passes.
*/
#include "sweep/sweep.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/memory.h"
#include "sim/sim_int.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

unsigned adi_sweep_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

double adi_sweep_ci_level(size_t ci_checks)
{
    return 1 - ADI_CHECK_ALPHA / (double)(ci_checks ? ci_checks : 1);
}

unsigned long adi_sweep_run_seed(const adi_point *p, uint64_t rep)
{
    return adi_stream_seed(p->seed, p->key, rep);
}

int adi_sweep_run_one(const adi_point *p, uint64_t rep, adi_run_result *out)
{
    const double *times;
    const adi_sampler *dev;
    adi_sim_net net = {0};
    if (p->network)
        net = adi_point_sim_net(p);
    adi_sim_config cfg = {
        .policy = adi_policy_run_ops(p->policy, &p->params, p->network),
        .workload = p->workload->ops,
        .n_devices = adi_point_used_devices(p, &times, &dev),
        .device = dev,
        .tasks = p->tasks,
        .rate = p->rate,
        .submit_cost = p->submit_cost,
        .capacity = p->capacity,
        .overflow = p->overflow,
        .seed = adi_sweep_run_seed(p, rep),
        .warmup = p->warmup,
        .exact_percentiles = p->exact_percentiles,
        .net = p->network ? &net : NULL,
        .net_mode = p->policy->net.mode,
        .params = &p->params,
    };
    double t0 = adi_clock_s();
    int rc = adi_sim_run(&cfg, out);
    if (rc == ADI_OK)
        out->wall_s = adi_clock_s() - t0;
    return rc;
}

typedef struct point_job {
    const adi_point *p;
    adi_run_result *runs;
    uint64_t next;
    int failed;
    char message[1024];
    pthread_mutex_t lock;
} point_job;

static void *point_worker(void *arg)
{
    point_job *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        uint64_t rep = j->failed ? j->p->replications : j->next++;
        pthread_mutex_unlock(&j->lock);
        if (rep >= j->p->replications)
            return NULL;
        int rc = adi_sweep_run_one(j->p, rep, &j->runs[rep]);
        if (rc != ADI_OK) {
            pthread_mutex_lock(&j->lock);
            if (!j->failed) {
                j->failed = rc;
                snprintf(j->message, sizeof j->message, "%s", adi_errmsg());
            }
            pthread_mutex_unlock(&j->lock);
        }
    }
}

int adi_sweep_run_point(const adi_point *p, unsigned jobs, adi_run_result *runs)
{
    point_job j = {.p = p, .runs = runs};
    memset(runs, 0, p->replications * sizeof *runs);
    if (!jobs)
        jobs = adi_sweep_default_jobs();
    if (jobs > p->replications)
        jobs = (unsigned)p->replications;
    pthread_t *t = calloc(jobs, sizeof *t);
    if (!t)
        return adi_fail(ADI_ENOMEM, "out of memory");
    pthread_mutex_init(&j.lock, NULL);
    unsigned started = 0;
    while (started < jobs && pthread_create(&t[started], NULL, point_worker, &j) == 0)
        started++;
    if (started == 0)
        point_worker(&j); /* no thread could start: run here */
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
    pthread_mutex_destroy(&j.lock);
    if (!j.failed)
        return ADI_OK;
    for (uint64_t r = 0; r < p->replications; r++)
        adi_run_result_free(&runs[r]);
    return adi_fail(j.failed, "%s", j.message);
}

typedef struct slot {
    adi_run_result *runs;     /* [replications], NULL until started */
    size_t remaining;         /* replications not yet finished */
} slot;

typedef struct sweep {
    const adi_scenario *sc;
    const adi_sweep_options *opt;
    size_t npoints, *order;   /* points to run, in sweep order */
    size_t nitems, next_item; /* items: (order index, replication) */
    size_t *item_first;       /* first item of each ordered point */
    slot *slots;              /* [number of ordered points] */
    size_t delivered;         /* ordered points handed to the caller */
    unsigned jobs;
    int failed;
    char message[1024];
    pthread_mutex_t lock;
    pthread_cond_t changed;
} sweep;

static void fail_locked(sweep *w, int rc)
{
    if (!w->failed) {
        w->failed = rc;
        snprintf(w->message, sizeof w->message, "%s", adi_errmsg());
    }
}

/* The ordered point of item i (binary search over item_first). */
static size_t point_of_item(const sweep *w, size_t item)
{
    size_t lo = 0, hi = w->npoints;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->item_first[mid] <= item)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Whether the next item must wait for the point being delivered: it may
** run ahead of that point's last replication by at most LOOKAHEAD * jobs
** items, and of that point by at most LOOKAHEAD * jobs points. */
static int held_back(const sweep *w)
{
    size_t ahead = ADI_SWEEP_LOOKAHEAD * w->jobs;
    return point_of_item(w, w->next_item) >= w->delivered + ahead ||
           w->next_item >= w->item_first[w->delivered + 1] + ahead;
}

static void *worker(void *arg)
{
    sweep *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->failed && w->next_item < w->nitems && held_back(w))
            pthread_cond_wait(&w->changed, &w->lock);
        if (w->failed || w->next_item >= w->nitems)
            break;
        size_t item = w->next_item++, k = point_of_item(w, item);
        size_t rep = item - w->item_first[k];
        const adi_point *p = adi_scenario_point(w->sc, w->order[k]);
        slot *s = &w->slots[k];
        if (!s->runs) {
            s->runs = calloc(p->replications, sizeof *s->runs);
            if (!s->runs) {
                fail_locked(w, adi_fail(ADI_ENOMEM, "out of memory"));
                break;
            }
        }
        adi_run_result *out = &s->runs[rep];
        pthread_mutex_unlock(&w->lock);

        int rc = adi_sweep_run_one(p, rep, out);
        if (rc != ADI_OK)
            adi_fail_prefix(rc, "point %zu (%s), replication %zu", p->index, p->key, rep);

        pthread_mutex_lock(&w->lock);
        if (rc != ADI_OK)
            fail_locked(w, rc);
        s->remaining--;
        pthread_cond_broadcast(&w->changed);
    }
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void free_slot(slot *s, size_t reps)
{
    if (!s->runs)
        return;
    for (size_t r = 0; r < reps; r++)
        adi_run_result_free(&s->runs[r]);
    free(s->runs);
    s->runs = NULL;
}

/* Checks and hands over ordered point k (called without the lock held). */
static int deliver(sweep *w, size_t k, double level, double t0,
                   unsigned long long *tasks_done)
{
    const adi_point *p = adi_scenario_point(w->sc, w->order[k]);
    adi_point_result pr = {p, p->replications, w->slots[k].runs, NULL, level};
    pr.checks = calloc(p->replications, sizeof *pr.checks);
    if (!pr.checks)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = adi_check_point(p, pr.runs, pr.nruns, level, pr.checks);
    if (rc == ADI_OK && w->opt->point_done)
        rc = w->opt->point_done(w->opt->ctx, &pr);
    free(pr.checks);
    *tasks_done += p->tasks * p->replications;
    if (rc == ADI_OK && w->opt->progress)
        w->opt->progress(w->opt->ctx, k + 1, w->npoints, *tasks_done, adi_clock_s() - t0);
    return rc;
}

/* The calling thread has no point to deliver: it waits for one, or, when
** the consumer holds work open (opt->pending), until that work's deadline,
** and then has it flushed. Called and returns with the lock held. */
static void wait_or_flush(sweep *w)
{
    double deadline;
    if (!w->opt->pending || !w->opt->pending(w->opt->ctx, &deadline)) {
        pthread_cond_wait(&w->changed, &w->lock);
        return;
    }
    if (adi_clock_s() < deadline) {
        struct timespec ts;
        ts.tv_sec = (time_t)deadline;
        ts.tv_nsec = (long)((deadline - (double)ts.tv_sec) * 1e9);
        if (ts.tv_nsec > 999999999)
            ts.tv_nsec = 999999999;
        pthread_cond_timedwait(&w->changed, &w->lock, &ts);
        return; /* woken or timed out: the caller looks again */
    }
    pthread_mutex_unlock(&w->lock);
    int rc = w->opt->flush(w->opt->ctx);
    pthread_mutex_lock(&w->lock);
    if (rc != ADI_OK)
        fail_locked(w, rc);
}

/* ---- the memory estimate --------------------------------------------------- */

#define HIST_OCTAVE 4096.0 /* bytes: 512 buckets of 8 */
#define MALLOC_OVERHEAD 32.0

/* A time below which one of m draws of a unit-mean family falls with
** probability 1e-3 (the low end of the latencies the histograms span). */
static double unit_low(const adi_sampler *s, uint64_t m)
{
    double q = 1e-3 / (double)(m ? m : 1), x;
    if (q < 1e-300)
        q = 1e-300;
    switch (s->dist) {
    case ADI_DIST_EXPONENTIAL: x = q; break;
    case ADI_DIST_LOGNORMAL: x = gsl_cdf_lognormal_Pinv(q, -s->p2 * s->p2 / 2, s->p2); break;
    case ADI_DIST_GAMMA: x = gsl_cdf_gamma_Pinv(q, s->p1, 1 / s->p1); break;
    default: x = 1; break;
    }
    return x > 0 && isfinite(x) ? x : 1e-300;
}

typedef struct pool_span {
    const adi_sampler *dev; /* the pool it describes (points share pools) */
    size_t n;
    double lo, hi_time, cv; /* s: lowest likely draw, slowest mean; largest cv */
} pool_span;

static void span_of(const adi_point *p, size_t n, const adi_sampler *dev, pool_span *ps)
{
    if (ps->dev == dev && ps->n == n)
        return;
    ps->dev = dev;
    ps->n = n;
    ps->lo = INFINITY;
    ps->hi_time = ps->cv = 0;
    double unit = 1;
    for (size_t i = 0; i < n; i++) {
        const adi_sampler *s = &dev[i];
        if (i == 0 || s->dist != dev[i - 1].dist || s->cv != dev[i - 1].cv)
            unit = unit_low(s, p->tasks); /* the families scale with the mean */
        double lo = s->dist == ADI_DIST_EMPIRICAL ? s->samples[0] : s->mean * unit,
               hi = s->dist == ADI_DIST_EMPIRICAL ? s->samples[s->nsamples - 1] : s->mean;
        ps->lo = lo < ps->lo ? lo : ps->lo;
        ps->hi_time = hi > ps->hi_time ? hi : ps->hi_time;
        ps->cv = s->cv > ps->cv ? s->cv : ps->cv;
    }
}

/* Bytes of one kept run of p (results, checks, shrunk histograms) and of
** one run in progress, and (NULL allowed) the batches' share of it. */
static void run_bytes(const adi_point *p, pool_span *ps, double *kept, double *working,
                      double *batched)
{
    const double *times;
    const adi_sampler *dev;
    size_t n = adi_point_used_devices(p, &times, &dev);
    span_of(p, n, dev, ps);
    /* latencies from the lowest draw to a makespan no run exceeds in practice */
    double m = (double)p->tasks,
           hi = m * ps->hi_time * (1 + 10 * ps->cv) + m * p->submit_cost +
                (p->workload->open ? m / p->rate : 0);
    /* a shrunk histogram keeps the buckets from its lowest value's to its
    ** highest's: 512 an octave */
    double octaves = log2(hi / ps->lo);
    if (!(octaves >= 0))
        octaves = 0;
    if (octaves > 2046)
        octaves = 2046;
    int hists = p->workload->open ? 3 : 2;
    double hist = octaves * HIST_OCTAVE + 16 + MALLOC_OVERHEAD;
    *kept = (double)sizeof(adi_run_result) + (double)sizeof(adi_run_checks) +
            (double)n * (double)sizeof(adi_device_result) + 2 * MALLOC_OVERHEAD + hists * hist;
    /* a run in progress: its devices and events, four histograms with two
    ** octaves of slack each way, exact latencies, a backlog of arrivals
    ** (40 bytes each) when they come faster than the pool serves them */
    double backlog = 0;
    if (p->workload->open) {
        double R = 0;
        for (size_t i = 0; i < n; i++)
            R += 1 / times[i];
        double over = p->rate > R ? m * (1 - R / p->rate) : 0;
        backlog = 40.0 * fmin(over + 10 * sqrt(m) + 1000,
                              p->capacity == ADI_CAPACITY_INF ? m : (double)p->capacity + 1000);
    }
    /* batches: each device's batch in service (16 bytes a task); over a
    ** network instead the 1 + k batches each device holds and as many
    ** outputs on their way, in rings of slots of 48 bytes that at most
    ** double what they hold, and no more than every task (sim/net.c) */
    double b = p->params.batch > 1 ? (double)p->params.batch : 0;
    double batches = p->network ? 48 * 2 * fmin((double)n * b * 2 * ((double)p->net.prefetch + 1), m)
                                : (double)n * b * 16;
    *working = (double)n * ((double)sizeof(adi_sim_device) + 2.0 * (sizeof(adi_event) + 8) +
                            (double)sizeof(adi_device_result)) +
               4 * (hist + 4 * HIST_OCTAVE) + (p->exact_percentiles ? 16 * m : 0) + backlog +
               batches + 64 * 1024;
    if (batched)
        *batched = batches;
}

double adi_sweep_memory(const adi_scenario *sc, unsigned jobs, size_t *worst)
{
    if (!jobs)
        jobs = adi_sweep_default_jobs();
    adi_gsl_quiet();
    double most = 0;
    pool_span ps = {0};
    size_t at = 0;
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        if (p->infeasible)
            continue;
        double kept, working;
        run_bytes(p, &ps, &kept, &working, NULL);
        double reps = (double)p->replications,
               held = (reps + ADI_SWEEP_LOOKAHEAD * (double)jobs) * kept,
               busy = fmin((double)jobs, reps + ADI_SWEEP_LOOKAHEAD * (double)jobs) * working;
        if (held + busy > most) {
            most = held + busy;
            at = i;
        }
    }
    if (worst)
        *worst = at;
    /* the program, its libraries and SQLite's cache: about 16 MiB */
    return most + adi_scenario_memory(sc) + 16.0 * 1024 * 1024;
}

int adi_sweep_check_memory(const adi_scenario *sc, unsigned jobs)
{
    size_t i;
    double need = adi_sweep_memory(sc, jobs, &i), cap = adi_memory_cap();
    if (need <= cap)
        return ADI_OK;
    const adi_point *p = adi_scenario_point(sc, i);
    const double *times;
    const adi_sampler *dev;
    size_t n = adi_point_used_devices(p, &times, &dev);
    pool_span ps = {0};
    double kept, working, batched;
    run_bytes(p, &ps, &kept, &working, &batched);
    char a[16], b[16], c[16], reps[256], devs[256], tasks[256];
    adi_scenario_key_where(sc, "replications", reps, sizeof reps);
    adi_scenario_key_where(sc, adi_scenario_nfiles(sc) ? "profiles" : "count", devs, sizeof devs);
    adi_scenario_key_where(sc, batched > working / 2 ? "pull_batch" : p->exact_percentiles
                           ? "percentiles" : "tasks", tasks, sizeof tasks);
    return adi_fail(ADI_EINPUT, "%s: %llu replications of point %zu would hold about %s at once "
                    "(%s a run: %zu device%s, latency histograms of %llu task%s%s), more than the "
                    "%s this run may use (--max-memory); fewer replications, or see %s and %s",
                    reps, (unsigned long long)p->replications, p->index,
                    adi_format_bytes(need, a, sizeof a), adi_format_bytes(kept, b, sizeof b), n,
                    n == 1 ? "" : "s", (unsigned long long)p->tasks, p->tasks == 1 ? "" : "s",
                    p->exact_percentiles ? ", every latency kept" : "",
                    adi_format_bytes(cap, c, sizeof c), devs, tasks);
}

int adi_sweep_run(const adi_scenario *sc, const adi_sweep_options *opt)
{
    int checked = adi_sweep_check_memory(sc, opt->jobs);
    if (checked != ADI_OK)
        return checked;
    sweep w = {.sc = sc, .opt = opt};
    size_t total = adi_scenario_npoints(sc), ci_checks = 0;
    w.order = malloc((total + 1) * sizeof *w.order);
    w.item_first = malloc((total + 1) * sizeof *w.item_first);
    w.slots = calloc(total + 1, sizeof *w.slots);
    if (!w.order || !w.item_first || !w.slots) {
        free(w.order);
        free(w.item_first);
        free(w.slots);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < total; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        if (p->infeasible)
            continue;
        /* Bonferroni over every interval check of the scenario, run now or
        ** not, so a point's checks do not depend on what else ran with it
        ** (a rerun, a shard, an MPI rank). */
        ci_checks += adi_check_ci_count(p);
        if ((opt->skip && opt->skip[i]) || (opt->shards > 1 && i % opt->shards != opt->shard))
            continue;
        w.order[w.npoints] = i;
        w.item_first[w.npoints] = w.nitems;
        w.slots[w.npoints].remaining = p->replications;
        w.nitems += p->replications;
        w.npoints++;
    }
    w.item_first[w.npoints] = w.nitems; /* the end of the last point's items */
    double level = adi_sweep_ci_level(ci_checks);
    w.jobs = opt->jobs ? opt->jobs : adi_sweep_default_jobs();
    if (w.jobs > w.nitems)
        w.jobs = w.nitems ? (unsigned)w.nitems : 1;
    pthread_mutex_init(&w.lock, NULL);
    pthread_condattr_t attr; /* timed waits on adi_clock_s's clock */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w.changed, &attr);
    pthread_condattr_destroy(&attr);
    pthread_t *threads = calloc(w.jobs, sizeof *threads);
    unsigned started = 0;
    int rc = ADI_OK;
    if (!threads)
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    while (rc == ADI_OK && started < w.jobs) {
        if (pthread_create(&threads[started], NULL, worker, &w) != 0)
            rc = adi_fail(ADI_EINTERNAL, "cannot start worker thread %u", started);
        else
            started++;
    }
    if (rc != ADI_OK) {
        pthread_mutex_lock(&w.lock);
        fail_locked(&w, rc);
        pthread_cond_broadcast(&w.changed);
        pthread_mutex_unlock(&w.lock);
    }

    double t0 = adi_clock_s();
    unsigned long long tasks_done = 0;
    pthread_mutex_lock(&w.lock);
    while (!w.failed && w.delivered < w.npoints) {
        size_t k = w.delivered;
        if (w.slots[k].remaining) {
            wait_or_flush(&w);
            continue;
        }
        pthread_mutex_unlock(&w.lock);
        rc = deliver(&w, k, level, t0, &tasks_done);
        free_slot(&w.slots[k], adi_scenario_point(sc, w.order[k])->replications);
        pthread_mutex_lock(&w.lock);
        if (rc != ADI_OK)
            fail_locked(&w, rc);
        w.delivered++;
        pthread_cond_broadcast(&w.changed);
    }
    pthread_mutex_unlock(&w.lock);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free(threads);
    for (size_t k = 0; k < w.npoints; k++)
        free_slot(&w.slots[k], adi_scenario_point(sc, w.order[k])->replications);
    pthread_mutex_destroy(&w.lock);
    pthread_cond_destroy(&w.changed);
    free(w.order);
    free(w.item_first);
    free(w.slots);
    if (w.failed)
        return adi_fail(w.failed, "%s", w.message);
    return ADI_OK;
}
