/*
** sweep/capacity.c — the server-capacity search (see capacity.h).
**
** Cost: about 2 log2(1 / precision) trial rates, each the point's
** replications of `tasks` arrivals. A run is a pure function of (point,
** rate, replication), so the answer is reproducible and independent of
** the number of threads.
**
** Threads. The trials depend on each other (each rate follows from the
** outcome of the previous one), so only the runs of one trial can go in
** parallel, and when the replications do not divide evenly among the
** workers (3 on 2 cores: a second core gave 1.5x) or a worker is held
** up, the others wait at every trial. So the workers persist for the
** whole search, take the current trial's runs first, and a worker that
** would otherwise wait for the trial's last runs for more than half a run
** starts a run of a trial that may come next (the rates after either
** outcome are known in advance: the search is a state machine, `plan`),
** up to two outcomes ahead, the outcome that the trial's finished runs
** point to first. Runs of a guess that turns out wrong are
** wasted CPU, never a different answer; the count of trials is that of
** the trials the search needed. A failed run fails the search, even a
** speculative one (runs fail only when memory runs out).
*/
#include "sweep/capacity.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/stats.h"
#include "core/units.h"
#include "check/checks.h"
#include "model/bounds.h"
#include "model/queueing.h"
#include "sweep/sweep.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int adi_capacity_parse_bound(const char *text, double *quantile, double *bound)
{
    const char *s = text;
    while (*s == ' ')
        s++;
    char *end;
    double pct;
    if ((*s != 'p' && *s != 'P') || (pct = strtod(s + 1, &end), end == s + 1) ||
        !(pct > 0 && pct < 100))
        goto bad;
    s = end;
    while (*s == ' ')
        s++;
    if (strncmp(s, "<=", 2) == 0)
        s += 2;
    else if (*s == '=')
        s++;
    else
        goto bad;
    if (adi_parse_time(s, bound) != ADI_OK || !(*bound > 0))
        goto bad;
    *quantile = pct / 100;
    return ADI_OK;
bad:
    return adi_fail(ADI_EINPUT, "expected a latency bound such as p99=100ms or "
                    "'p95 <= 2s', got '%s'", text);
}

typedef struct pool_key {
    char *key; /* the point's key without its rate */
    size_t index;
} pool_key;

static int cmp_pool_key(const void *a, const void *b)
{
    const pool_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

int adi_capacity_pools(const adi_scenario *sc, size_t **first, size_t *n)
{
    size_t np = adi_scenario_npoints(sc), made = 0;
    *first = NULL;
    *n = 0;
    pool_key *keys = calloc(np ? np : 1, sizeof *keys);
    size_t *out = malloc((np ? np : 1) * sizeof *out);
    int rc = keys && out ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    for (; made < np && rc == ADI_OK; made++) {
        keys[made].index = made;
        rc = adi_point_key(adi_scenario_point(sc, made), KEY_RATE, &keys[made].key);
    }
    if (rc == ADI_OK) {
        qsort(keys, np, sizeof *keys, cmp_pool_key);
        for (size_t i = 0; i < np; i++)
            if (i == 0 || strcmp(keys[i].key, keys[i - 1].key) != 0)
                out[(*n)++] = keys[i].index; /* the first point of its pool */
        qsort(out, *n, sizeof *out, cmp_size);
        *first = out;
        out = NULL;
    }
    for (size_t i = 0; keys && i < made; i++)
        free(keys[i].key);
    free(keys);
    free(out);
    return rc;
}

/* The search's decisions as a state machine: the trickle rate, then the
** bisection on `meets`, then the one on `could`, as in capacity.h. Given a
** state, the rate to try next is known, and so is the next state for each
** outcome of that trial: what lets idle threads start a trial before the
** one it depends on has finished. */
enum { TRICKLE, SAFE, OPTIMISTIC, DONE };

typedef struct plan {
    int phase;          /* TRICKLE, SAFE, OPTIMISTIC or DONE */
    double lo, hi;      /* per s: the bisection's interval */
    double meets, could;/* per s: the answers so far */
    int trickle_could;  /* the trickle rate could meet the bound */
} plan;

typedef struct search search;

/* One trial rate (a node of the tree of possible searches). */
typedef struct node {
    plan plan;               /* the state in which this rate is tried */
    adi_point trial;         /* the point with Poisson arrivals at it */
    double *q;               /* [replications]: each run's quantile (NAN */
                             /* until it has run) */
    size_t started, done;    /* replications handed out, finished */
    double run_s;            /* wall seconds of its finished runs */
    int expanded;
    struct node *child[4];   /* by outcome 2 meets + could; shared where */
                             /* outcomes lead to the same state; NULL: done */
    struct node *all;        /* every node, for freeing */
} node;

struct search {
    const adi_capacity_request *req;
    const adi_point *point;
    double low, R, step;     /* per s */
    size_t reps;
    double t;                /* Student's t of the intervals over reps */
    unsigned jobs;
    node *root;              /* the trial the search is waiting for */
    node *nodes;             /* every node made */
    plan final;              /* when finished */
    int finished, failed;
    char message[1024];
    unsigned trials;         /* trials the search needed (speculative ones */
                             /* that turned out useless are not counted) */
    double run_s, runs;      /* wall seconds of all finished runs, and how */
                             /* many (a run's duration, before a trial has one) */
    node **running;          /* [jobs]: the node each worker runs, or NULL */
    double *since;           /* [jobs]: seconds (clock) when it started */
    pthread_mutex_t lock;
    pthread_cond_t changed;
};

/* Ends a bisection whose interval is down to the step (bisect's loop
** condition), moving to the next phase. */
static void settle(const search *s, plan *p)
{
    if (p->phase == SAFE && !(p->hi - p->lo > s->step)) {
        p->meets = p->lo;
        p->phase = p->trickle_could ? OPTIMISTIC : DONE;
        p->lo = fmax(p->meets, s->low);
        p->hi = s->R;
    }
    if (p->phase == OPTIMISTIC && !(p->hi - p->lo > s->step)) {
        p->could = p->lo;
        p->phase = DONE;
    }
}

static double plan_rate(const search *s, const plan *p)
{
    return p->phase == TRICKLE ? s->low : 0.5 * (p->lo + p->hi);
}

/* The state after the trial of p's rate gave outcome o (2 meets + could). */
static plan plan_next(const search *s, plan p, int o)
{
    int meets = o >> 1, could = o & 1;
    double mid = plan_rate(s, &p);
    switch (p.phase) {
    case TRICKLE: /* even a trickle may miss a bound shorter than the service time */
        p.meets = meets ? s->low : 0;
        p.could = could ? s->low : 0;
        p.trickle_could = could;
        p.phase = meets ? SAFE : could ? OPTIMISTIC : DONE;
        p.lo = fmax(p.meets, s->low);
        p.hi = s->R;
        break;
    case SAFE:
        *(meets ? &p.lo : &p.hi) = mid;
        break;
    case OPTIMISTIC:
        *(could ? &p.lo : &p.hi) = mid;
        break;
    default:
        break;
    }
    settle(s, &p);
    return p;
}

/* The p-quantile of one run's steady-state responses, lost arrivals last. */
static double run_quantile(const adi_run_result *r, double p)
{
    double total = (double)(r->ss_completed + r->ss_dropped);
    double rank = ceil(p * total);
    if (rank > (double)r->ss_completed || r->ss_completed == 0)
        return INFINITY;
    return adi_hist_quantile(&r->ss_latc, rank / (double)r->ss_completed);
}

/* The outcome of a finished trial: 2 meets (interval top within the
** bound) + could (interval bottom within it). */
static int outcome(const search *s, const node *nd)
{
    for (size_t r = 0; r < s->reps; r++)
        if (isinf(nd->q[r]))
            return 0;
    adi_ci ci = adi_ci_t(nd->q, s->reps, s->req->confidence);
    return 2 * (ci.hi <= s->req->bound) + (ci.lo <= s->req->bound);
}

static node *new_node(search *s, plan p)
{
    node *nd = calloc(1, sizeof *nd);
    if (nd)
        nd->q = calloc(s->reps, sizeof *nd->q);
    if (!nd || !nd->q) {
        free(nd);
        return NULL;
    }
    for (size_t r = 0; r < s->reps; r++)
        nd->q[r] = NAN; /* not run yet */
    nd->plan = p;
    nd->trial = *s->point;
    nd->trial.workload = &adi_workload_poisson;
    if (s->point->workload != &adi_workload_poisson)
        nd->trial.warmup = s->point->tasks / 10;
    nd->trial.rate = plan_rate(s, &p);
    nd->all = s->nodes;
    s->nodes = nd;
    return nd;
}

static int same_plan(const plan *a, const plan *b)
{
    return a->phase == b->phase && a->lo == b->lo && a->hi == b->hi && a->meets == b->meets &&
           a->could == b->could && a->trickle_could == b->trickle_could;
}

/* Makes nd's children (once). -1 when out of memory. */
static int expand(search *s, node *nd)
{
    if (nd->expanded)
        return 0;
    for (int o = 0; o < 4; o++) {
        plan p = plan_next(s, nd->plan, o);
        if (p.phase == DONE)
            continue;
        for (int k = 0; k < o && !nd->child[o]; k++)
            if (nd->child[k] && same_plan(&nd->child[k]->plan, &p))
                nd->child[o] = nd->child[k];
        if (!nd->child[o] && !(nd->child[o] = new_node(s, p)))
            return -1;
    }
    nd->expanded = 1;
    return 0;
}

static void fail_locked(search *s, int rc, const char *message)
{
    if (!s->failed) {
        s->failed = rc;
        snprintf(s->message, sizeof s->message, "%s", message);
    }
}

/* The root's outcome decides the next trial; repeats while the new root
** was already run in full. Called with the lock held. */
static void advance(search *s)
{
    while (!s->finished && !s->failed && s->root->done == s->reps) {
        int o = outcome(s, s->root);
        s->trials++;
        plan p = plan_next(s, s->root->plan, o);
        if (p.phase == DONE) {
            s->final = p;
            s->finished = 1;
        } else if (expand(s, s->root) != 0) {
            fail_locked(s, ADI_ENOMEM, "out of memory");
        } else {
            s->root = s->root->child[o];
        }
    }
}

/* The outcome that the finished runs of nd point to, as if its other runs
** came out like them (their mean, their spread, the interval of all the
** replications); -1 before two have finished or when one was infinite. */
static int predict(const search *s, const node *nd)
{
    double n = 0, mean = 0, m2 = 0;
    for (size_t r = 0; r < s->reps; r++) {
        if (isnan(nd->q[r]))
            continue;
        if (isinf(nd->q[r]))
            return -1;
        double d = nd->q[r] - mean; /* Welford */
        mean += d / ++n;
        m2 += d * (nd->q[r] - mean);
    }
    if (n < 2)
        return -1;
    double half = s->t * sqrt(m2 / (n - 1)) / sqrt((double)s->reps);
    return 2 * (mean + half <= s->req->bound) + (mean - half <= s->req->bound);
}

/* Speculation, in breadth-first order, two outcomes deep: only when a
** worker would otherwise wait for the root's last runs for more than half
** a run (with an even split of replications over the workers it does not;
** with an odd one, or fewer replications than workers, it would), and only
** useful when the guess is right. A guess never changes a result. */
static node *speculate(search *s, unsigned w)
{
    if (s->runs == 0)
        return NULL;
    /* A run's duration: at the root's rate if it has finished runs (later
    ** trials, at higher rates, run longer), else over the search so far. */
    const node *r = s->root;
    double mean = r->done ? r->run_s / (double)r->done : s->run_s / s->runs;
    double now = adi_clock_s(), wait = 0;
    for (unsigned k = 0; k < s->jobs; k++)
        if (k != w && s->running[k] == s->root)
            wait = fmax(wait, s->since[k] + mean - now);
    if (wait < 0.5 * mean)
        return NULL;
    node *level[2][16];
    size_t count = 0;
    level[0][count++] = s->root;
    for (int depth = 0; depth < 2; depth++) {
        size_t next = 0;
        for (size_t i = 0; i < count; i++) {
            if (expand(s, level[depth & 1][i]) != 0) {
                fail_locked(s, ADI_ENOMEM, "out of memory");
                return NULL;
            }
            /* The outcome the root's finished runs point to first, then
            ** the others (meets and could, could, neither, meets alone). */
            int order[5] = {depth == 0 ? predict(s, s->root) : -1, 3, 1, 0, 2};
            for (int j = 0; j < 5; j++) {
                if (order[j] < 0)
                    continue;
                node *c = level[depth & 1][i]->child[order[j]];
                int seen = 0;
                for (size_t k = 0; k < next; k++)
                    seen |= level[!(depth & 1)][k] == c;
                if (!c || seen)
                    continue;
                if (c->started < s->reps)
                    return c;
                level[!(depth & 1)][next++] = c;
            }
        }
        count = next;
    }
    return NULL;
}

static void *worker(void *arg)
{
    search *s = ((void **)arg)[0];
    unsigned w = (unsigned)(uintptr_t)((void **)arg)[1];
    pthread_mutex_lock(&s->lock);
    while (!s->finished && !s->failed) {
        node *nd = s->root->started < s->reps ? s->root : speculate(s, w);
        if (!nd) {
            if (!s->finished && !s->failed)
                pthread_cond_wait(&s->changed, &s->lock);
            continue;
        }
        size_t rep = nd->started++;
        s->running[w] = nd;
        s->since[w] = adi_clock_s();
        pthread_mutex_unlock(&s->lock);

        adi_run_result r;
        double q = 0, wall = 0;
        int rc = adi_sweep_run_one(&nd->trial, rep, &r);
        if (rc == ADI_OK) {
            q = run_quantile(&r, s->req->quantile);
            wall = r.wall_s;
            adi_run_result_free(&r);
        }

        pthread_mutex_lock(&s->lock);
        s->running[w] = NULL;
        if (rc != ADI_OK) {
            fail_locked(s, rc, adi_errmsg());
        } else {
            nd->q[rep] = q;
            nd->done++;
            nd->run_s += wall;
            s->run_s += wall;
            s->runs++;
            advance(s);
        }
        pthread_cond_broadcast(&s->changed);
    }
    pthread_cond_broadcast(&s->changed); /* the others see the end too */
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* Runs the search on s->jobs workers (this thread alone for one). */
static int run_search(search *s)
{
    s->running = calloc(s->jobs, sizeof *s->running);
    s->since = calloc(s->jobs, sizeof *s->since);
    pthread_t *threads = calloc(s->jobs, sizeof *threads);
    void *(*args)[2] = calloc(s->jobs, sizeof *args);
    plan start = {.phase = TRICKLE};
    if (!s->running || !s->since || !threads || !args || !(s->root = new_node(s, start))) {
        free(threads);
        free(args);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->changed, NULL);
    for (unsigned w = 0; w < s->jobs; w++) {
        args[w][0] = s;
        args[w][1] = (void *)(uintptr_t)w;
    }
    unsigned started = 0;
    while (s->jobs > 1 && started < s->jobs &&
           pthread_create(&threads[started], NULL, worker, args[started]) == 0)
        started++;
    if (started == 0) {
        s->jobs = 1; /* one job, or no thread could start: run here */
        worker(args[0]);
    }
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free(threads);
    free(args);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->changed);
    if (s->failed)
        return adi_fail(s->failed, "%s", s->message);
    return ADI_OK;
}

static void free_search(search *s)
{
    while (s->nodes) {
        node *next = s->nodes->all;
        free(s->nodes->q);
        free(s->nodes);
        s->nodes = next;
    }
    free(s->running);
    free(s->since);
}

int adi_capacity_search(const adi_point *p, const adi_capacity_request *req,
                        adi_capacity_result *out)
{
    memset(out, 0, sizeof *out);
    if (p->infeasible)
        return adi_fail(ADI_EINPUT, "the point is infeasible: %s", p->infeasible);
    if (p->replications < 2)
        return adi_fail(ADI_EINPUT, "a capacity search needs replications >= 2 for its "
                        "confidence intervals");
    const double *times;
    const adi_sampler *dev;
    size_t n = adi_point_used_devices(p, &times, &dev);
    adi_bounds b;
    int rc = adi_model_bounds(times, n, p->tasks, &b);
    if (rc != ADI_OK)
        return rc;
    out->R = b.R;

    int identical = 1;
    for (size_t i = 1; i < n; i++)
        identical &= times[i] == times[0];
    if (identical && p->dist == ADI_DIST_EXPONENTIAL && p->capacity == ADI_CAPACITY_INF &&
        p->submit_cost == 0 && p->policy->queueing == ADI_QUEUEING_SHARED_FIFO) {
        rc = adi_queue_mmc_max_rate(times[0], (unsigned)n, req->quantile, req->bound,
                                    &out->analytic);
        if (rc != ADI_OK)
            return rc;
        out->has_formula = 1;
    }

    search s = {.req = req, .point = p, .R = b.R, .reps = p->replications};
    s.step = req->precision * b.R;
    s.low = s.step;
    s.jobs = req->jobs ? req->jobs : adi_sweep_default_jobs();
    adi_gsl_quiet();
    s.t = gsl_cdf_tdist_Pinv(0.5 + req->confidence / 2, (double)(s.reps - 1));
    rc = run_search(&s);
    if (rc == ADI_OK) {
        out->safe = s.final.meets;
        out->optimistic = s.final.could;
        out->trials = s.trials;
    }
    free_search(&s);
    return rc;
}
