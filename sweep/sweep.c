/*
** sweep/sweep.c — worker threads and in-order delivery (see sweep.h).
**
** Work items are (point, replication) pairs in sweep order; a shared
** counter hands them out. A point is delivered when all its replications
** are done and every earlier point has been delivered. One mutex guards the
** counters; the condition variable wakes the deliverer when a point
** completes and wakes workers held back by the look-ahead limit.
*/
#include "sweep/sweep.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
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
    adi_sim_config cfg = {
        .policy = p->policy,
        .workload = p->workload,
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

static void *worker(void *arg)
{
    sweep *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->failed && w->next_item < w->nitems &&
               point_of_item(w, w->next_item) >= w->delivered + ADI_SWEEP_LOOKAHEAD * w->jobs)
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

int adi_sweep_run(const adi_scenario *sc, const adi_sweep_options *opt)
{
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
    double level = adi_sweep_ci_level(ci_checks);
    w.jobs = opt->jobs ? opt->jobs : adi_sweep_default_jobs();
    if (w.jobs > w.nitems)
        w.jobs = w.nitems ? (unsigned)w.nitems : 1;
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.changed, NULL);
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
            pthread_cond_wait(&w.changed, &w.lock);
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
