/*
** check/checks.c — which bounds apply to a point, and whether its runs
** satisfy them (see checks.h for the list and the reasoning). The checks
** every policy gets are here; a policy's own (its makespan claims, whether
** it is work-conserving, the room of a batch, its share of the tasks) come
** from its descriptor (policy/policy.h), so no policy is named here.
*/
#include "check/checks.h"
#include "check/steady.h"
#include "core/error.h"
#include "core/stats.h"
#include "core/units.h"
#include "model/batching.h"
#include "model/bounds.h"
#include "model/netbatch.h"
#include "model/network.h"
#include "policy/policy.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Batch at t = 0 with a producer that costs nothing: the setting of the
** makespan formulas. */
static int plain_batch(const adi_point *p)
{
    return !p->workload->open && p->submit_cost == 0;
}

/* The tasks a plain batch runs: m, except with overflow = drop and a finite
** queue. There the producer works through all m tasks at t = 0, before any
** completion is handled: the system takes what it has room for at that
** instant and the rest are lost. The run is then the policy on a batch of
** that many tasks with room for all of them, so every batch formula applies
** to that count, not to m (built from m, C* was 24 s against a correct
** 2.25 s for n = 3, Q = 1, m = 50). The room is the policy's (its
** descriptor's room(): n + Q for pull and static, n idle devices taking
** one task each and Q waiting, serial 1 + Q; min(n, Q) + Q for sync, a
** round starting once n tasks wait or the queue is full, then Q more
** waiting behind it). drop_accepts_room checks the count. */
static uint64_t batch_tasks(const adi_point *p, size_t ndev)
{
    if (!plain_batch(p) || p->overflow != ADI_OVERFLOW_DROP || p->capacity == ADI_CAPACITY_INF)
        return p->tasks;
    uint64_t room = p->policy->room(ndev, p->capacity);
    return room < p->tasks ? room : p->tasks;
}

/* The devices the policy uses all have the same mean time. */
static int homogeneous(const adi_point *p)
{
    const double *times;
    const adi_sampler *dev;
    size_t n = adi_point_used_devices(p, &times, &dev);
    for (size_t i = 1; i < n; i++)
        if (times[i] != times[0])
            return 0;
    return 1;
}

/* What the policy's formulas see of p: the devices it uses, the tasks
** that run (b->m) and b, their bounds. */
static adi_policy_pool policy_pool(const adi_point *p, const double *times,
                                   const adi_sampler *dev, size_t ndev, const adi_bounds *b)
{
    return (adi_policy_pool){.n = ndev, .times = times, .dev = dev, .m = b->m,
                             .capacity = p->capacity, .overflow = p->overflow,
                             .deterministic = p->dist == ADI_DIST_DETERMINISTIC, .b = b,
                             .params = &p->params};
}

/* 1 when the policy's claim c applies to the point's runs: a batch at
** t = 0 with a free producer, exact claims for deterministic times and the
** others for random ones (a sum only while its moments can be trusted:
** sum_trusted, see wald_applicable). */
static int claim_applies(const adi_point *p, const adi_policy_pool *pool,
                         const adi_policy_claim *c, int sum_trusted)
{
    if (!plain_batch(p) || (c->kind == ADI_CLAIM_EXACT) != pool->deterministic)
        return 0;
    if (c->kind == ADI_CLAIM_SUM && !sum_trusted)
        return 0;
    return !c->applies || c->applies(pool);
}

/* Which ci checks apply (one bit each; the policy's own claims are counted
** apart, and come between CI_LOWER and CI_UTIL_LAW). */
enum {
    CI_LOWER, CI_UTIL_LAW, CI_UTIL_OFFERED, CI_Q_BLOCK, CI_Q_IN_SYSTEM, CI_Q_RESPONSE,
    CI_Q_UTIL, CI_COUNT
};

/* Losses are compared only when each replication expects at least this
** many: an interval from fewer says little, and from none it is empty. */
#define MIN_EXPECTED_LOSSES 10

static unsigned steady_checks(const adi_point *p)
{
    adi_steady_model model;
    adi_queue_metrics m;
    if (adi_steady_point(p, &model, &m) != ADI_OK || model == ADI_STEADY_NONE)
        return 0;
    unsigned set = 1u << CI_Q_IN_SYSTEM | 1u << CI_Q_RESPONSE | 1u << CI_Q_UTIL;
    if (p->capacity != ADI_CAPACITY_INF &&
        m.block * (double)(p->tasks - p->warmup) >= MIN_EXPECTED_LOSSES)
        set |= 1u << CI_Q_BLOCK;
    return set;
}

/* ---- Wald's identities --------------------------------------------------------
** Device i draws its j-th task's time S_ij after deciding to run it, so for
** any weights c_i the sum over its k_i tasks, sum_i c_i sum_j (S_ij - T_i),
** has mean 0 and variance sum_i c_i^2 sigma_i^2 E k_i (Wald); with k_i fixed
** (static, serial) its third cumulant is sum_i c_i^3 k_i kappa3_i. Three
** interval checks rest on such sums; their intervals use these moments, not
** the runs' spread (see adi_ci_known). */
typedef struct wald_moments {
    double var, third; /* of one run's sum */
} wald_moments;

static void wald_add(wald_moments *w, const adi_sampler *dev, double c, double k)
{
    double sigma = dev->cv * dev->mean;
    w->var += c * c * k * sigma * sigma;
    w->third += c * c * c * k * dev->skew * sigma * sigma * sigma;
}

static double wald_skewness(const wald_moments *w)
{
    return w->var > 0 ? w->third / pow(w->var, 1.5) : 0;
}

/* The Wald-based checks apply only while the skewness of their statistic's
** mean over the runs is at most this. There the Cornish-Fisher term keeps
** the far tails of the Bonferroni levels accurate; beyond it (a few tasks of
** a skewed device: profiles/mac_studio.ini's x2 times have skewness 8.9, so
** need some 8000 tasks over the runs) no interval from so few tasks can be
** trusted, and the check is not made. */
#define MAX_MEAN_SKEW 0.1

/* Which of them apply: bit CI_LOWER (weights 1 / (T_i R)), CI_UTIL_LAW
** (weights 1, and with it a policy's sum claim: its one device), judged
** with each device's expected share of the tasks (the policy's share). */
static unsigned wald_applicable(const adi_point *p)
{
    const double *times;
    const adi_sampler *dev;
    size_t ndev = adi_point_used_devices(p, &times, &dev);
    double R = 0, m = (double)batch_tasks(p, ndev), root = sqrt((double)p->replications);
    for (size_t i = 0; i < ndev; i++)
        R += 1 / times[i];
    wald_moments lower = {0, 0}, util = {0, 0};
    for (size_t i = 0; i < ndev; i++) {
        double k = p->policy->share == ADI_SHARE_SPEED ? m / (times[i] * R) : m / (double)ndev;
        wald_add(&lower, &dev[i], 1 / (times[i] * R), k);
        wald_add(&util, &dev[i], 1, k);
    }
    unsigned set = 0;
    if (fabs(wald_skewness(&lower)) / root <= MAX_MEAN_SKEW)
        set |= 1u << CI_LOWER;
    if (fabs(wald_skewness(&util)) / root <= MAX_MEAN_SKEW)
        set |= 1u << CI_UTIL_LAW;
    return set;
}

/* The ci checks that apply: the bits, and in claims[0..*nclaims) the
** policy's interval claims (ADI_MAX_CHECKS at most). */
static unsigned ci_applicable(const adi_point *p, const adi_policy_pool *pool,
                              const adi_policy_claim **claims, size_t *nclaims)
{
    *nclaims = 0;
    if (p->replications < 2)
        return 0;
    int random_service = p->dist != ADI_DIST_DETERMINISTIC;
    unsigned set = 0;
    if (random_service && p->params.batch <= 1) { /* the Wald sums take one draw a task */
        unsigned wald = wald_applicable(p);
        set |= wald & (1u << CI_LOWER | 1u << CI_UTIL_LAW);
        /* a policy's claims and the queueing results know no transfers */
        for (const adi_policy_claim *c = p->policy->claims; pool && !p->network && c->bound; c++)
            if (*nclaims < ADI_MAX_CHECKS && c->kind != ADI_CLAIM_EXACT &&
                claim_applies(p, pool, c, (wald & 1u << CI_UTIL_LAW) != 0))
                claims[(*nclaims)++] = c;
    }
    if (p->workload->open && p->overflow == ADI_OVERFLOW_BLOCK && homogeneous(p))
        set |= 1u << CI_UTIL_OFFERED;
    return set | (p->network ? 0 : steady_checks(p));
}

/* A pool whose bounds cannot be had (out of memory, or times no point
** has) gets no policy claims here; adi_check_point then fails with the
** reason, so no check uses this count. */
size_t adi_check_ci_count(const adi_point *p)
{
    const double *times;
    const adi_sampler *dev;
    size_t ndev = adi_point_used_devices(p, &times, &dev), nclaims = 0;
    const adi_policy_claim *claims[ADI_MAX_CHECKS];
    adi_bounds b;
    unsigned set;
    if (adi_model_bounds(times, ndev, batch_tasks(p, ndev), &b) == ADI_OK) {
        adi_policy_pool pool = policy_pool(p, times, dev, ndev, &b);
        set = ci_applicable(p, &pool, claims, &nclaims);
    } else {
        set = ci_applicable(p, NULL, claims, &nclaims);
    }
    return (size_t)__builtin_popcount(set) + nclaims;
}

/* ---- exact checks ------------------------------------------------------------ */

static double scale(double a, double b)
{
    return fmax(fabs(a), fabs(b));
}

static void add_exact(adi_run_checks *rc, const char *bound, double predicted,
                      double observed, int op /* -1: <=, 0: ==, +1: >= */)
{
    if (rc->n == ADI_MAX_CHECKS)
        return;
    double slack = ADI_CHECK_TOLERANCE * scale(predicted, observed);
    int holds = op < 0 ? observed <= predicted + slack
              : op > 0 ? observed >= predicted - slack
                       : fabs(observed - predicted) <= slack;
    rc->c[rc->n++] = (adi_check){.bound = bound, .predicted = predicted,
                                 .observed = observed, .holds = holds,
                                 .tolerance = ADI_CHECK_TOLERANCE,
                                 .ci_lo = NAN, .ci_hi = NAN, .confidence = NAN};
}

/* The policy's exact claims that apply, with their values. */
typedef struct exact_claims {
    size_t n;
    const adi_policy_claim *claim[ADI_MAX_CHECKS];
    double value[ADI_MAX_CHECKS];
} exact_claims;

/* Over a network a policy's own claims are its network ones (net.claims),
** for a batch at t = 0 with a free producer whose tasks all run (Q = inf
** or block), deterministic times. */
static int net_claim_applies(const adi_point *p, const adi_policy_pool *pool,
                             const adi_policy_claim *c)
{
    if (!plain_batch(p) || !pool->deterministic || !pool->nm ||
        (p->capacity != ADI_CAPACITY_INF && p->overflow == ADI_OVERFLOW_DROP))
        return 0;
    return !c->applies || c->applies(pool);
}

static int policy_exact_claims(const adi_point *p, const adi_policy_pool *pool,
                               exact_claims *out)
{
    out->n = 0;
    const adi_policy_claim *list = p->network ? p->policy->net.claims : p->policy->claims;
    for (const adi_policy_claim *c = list; c->bound; c++) {
        if (out->n == ADI_MAX_CHECKS || c->kind != ADI_CLAIM_EXACT ||
            !(p->network ? net_claim_applies(p, pool, c) : claim_applies(p, pool, c, 0)))
            continue;
        int rc = c->value(pool, &out->value[out->n]);
        if (rc != ADI_OK)
            return rc;
        out->claim[out->n++] = c;
    }
    return ADI_OK;
}

/* What every run over a network satisfies (model/network.h), for the
** policy's window: R_net, the pool's most tasks/s, and the shortest time
** one task can take from t = 0 to its output's arrival; with batches
** R_b,net and the shortest trip of a batch (model/netbatch.h). */
typedef struct net_bounds {
    double R;     /* tasks/s */
    double trip;  /* s */
    int batched;  /* pull_batch > 1 */
} net_bounds;

/* With batches (pull_batch > 1), R_b of the point's devices (model/
** batching.h, from the batch scales the engine runs), else 0. */
static int batch_throughput(const adi_point *p, const double *times, size_t ndev, double *Rb)
{
    *Rb = 0;
    if (p->params.batch <= 1)
        return ADI_OK;
    return adi_batching_throughput_scaled(times, p->params.batch_scale, ndev, p->params.batch, Rb);
}

static void exact_checks(const adi_point *p, const adi_bounds *b, const net_bounds *nb,
                         double Rb, const double *times, const exact_claims *claims,
                         const adi_run_result *r, adi_run_checks *out)
{
    int det = p->dist == ADI_DIST_DETERMINISTIC;
    int batch = plain_batch(p) && !p->network; /* these know no transfers */
    double M = r->makespan, done = (double)r->completed;
    size_t n = r->n_devices;

    if (det && nb) {
        add_exact(out, nb->batched ? "throughput_le_R_batch_net" : "throughput_le_R_net", nb->R,
                  r->throughput, -1);
        if (r->completed)
            add_exact(out, nb->batched ? "makespan_ge_lower_batch_net" : "makespan_ge_lower_net",
                      fmax(done / nb->R, nb->trip), M, +1);
    } else if (det && Rb > 0) { /* batches: a device of T_i(k) does at most R_b's share */
        add_exact(out, "throughput_le_R_batch", Rb, r->throughput, -1);
        add_exact(out, "makespan_ge_lower_batch", done / Rb, M, +1);
    } else if (det) {
        add_exact(out, "throughput_le_R", b->R, r->throughput, -1);
        add_exact(out, "makespan_ge_lower", done / b->R, M, +1);
    } else {
        double realized = 0;
        for (size_t i = 0; i < n; i++)
            if (r->device[i].tasks)
                realized += (double)r->device[i].tasks / r->device[i].busy;
        add_exact(out, "throughput_le_R_realized", realized, r->throughput, -1);
    }
    /* With drop the tasks that ran were all put at t = 0: the claims are
    ** those of a batch of b->m with room for all of them. */
    for (size_t k = 0; k < claims->n; k++)
        add_exact(out, claims->claim[k]->bound, claims->value[k], M, claims->claim[k]->op);
    if (batch && p->overflow == ADI_OVERFLOW_DROP && p->capacity != ADI_CAPACITY_INF)
        add_exact(out, "drop_accepts_room", (double)b->m, done, 0);
    if (batch && p->policy->work_conserving)
        add_exact(out, "pull_work_conserving", r->min_finish + r->max_service, M, -1);
    if (M > 0)
        add_exact(out, "littles_law", r->lat_sum / M, r->in_system / M, 0);
    if (det) { /* with batches the engine sums each service's mean, T_i(k) */
        double expected = 0;
        for (size_t i = 0; i < n; i++)
            expected += Rb > 0 ? r->device[i].mean_busy : (double)r->device[i].tasks * times[i];
        add_exact(out, "utilization_law", expected, r->busy_time, 0);
    }
}

/* ---- interval checks --------------------------------------------------------- */

/* Adds the same ci check to every run. The verdict comes from the interval
** of `stat` (whose expectation the model predicts): op -1 holds when the
** interval reaches down to `bound`, +1 when it reaches up to it, 0 when it
** contains it. known is the model's moments of one stat (adi_ci_known), or
** NULL when it has none (then Student t, from the runs' spread); a known
** interval is never narrower than floating-point rounding either side.
** predicted/observed/display_scale only shape what is displayed. */
static void add_ci(adi_run_checks *out, size_t nruns, const char *bound, const double *stat,
                   const wald_moments *known, double stat_bound, int op, double predicted,
                   double observed, double level, double display_scale)
{
    adi_ci ci;
    if (!known) {
        ci = adi_ci_t(stat, nruns, level);
    } else {
        ci = adi_ci_known(stat, nruns, sqrt(known->var), wald_skewness(known), level);
        double rounding = ADI_CHECK_TOLERANCE * scale(predicted, observed);
        ci.lo = fmin(ci.lo, ci.mean - rounding);
        ci.hi = fmax(ci.hi, ci.mean + rounding);
    }
    int holds = op < 0 ? ci.lo <= stat_bound
              : op > 0 ? ci.hi >= stat_bound
                       : ci.lo <= stat_bound && stat_bound <= ci.hi;
    double lo = observed + (ci.lo - ci.mean) * display_scale;
    double hi = observed + (ci.hi - ci.mean) * display_scale;
    for (size_t r = 0; r < nruns; r++) {
        if (out[r].n == ADI_MAX_CHECKS)
            continue;
        out[r].c[out[r].n++] = (adi_check){.bound = bound, .is_ci = 1,
                                           .predicted = predicted, .observed = observed,
                                           .holds = holds, .tolerance = NAN,
                                           .ci_lo = lo, .ci_hi = hi, .confidence = level};
    }
}

static double mean_of(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s / (double)n;
}

static int ci_checks(const adi_point *p, const adi_policy_pool *pool,
                     const adi_run_result *runs, size_t nruns, double level,
                     adi_run_checks *out)
{
    const adi_bounds *b = pool->b;
    const double *times = pool->times;
    const adi_sampler *dev = pool->dev;
    size_t ndev = pool->n, nclaims;
    const adi_policy_claim *claims[ADI_MAX_CHECKS];
    unsigned set = ci_applicable(p, pool, claims, &nclaims);
    if (!set && !nclaims)
        return ADI_OK;
    double *a = malloc(3 * nruns * sizeof *a), *x = a + nruns, *y = a + 2 * nruns;
    if (!a)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = ADI_OK;
    for (size_t r = 0; r < nruns; r++)
        x[r] = runs[r].makespan;
    double mean_M = mean_of(x, nruns);

    if (set & 1u << CI_LOWER) {
        /* With w_i = (1/T_i) / R, M >= sum_i w_i busy_i on every path and
        ** busy_i = k_i T_i + sum_j (S_ij - T_i), so M - completed/R is a
        ** slack >= 0 plus a Wald sum with weights w_i. */
        wald_moments w = {0, 0};
        for (size_t r = 0; r < nruns; r++) {
            a[r] = runs[r].makespan - (double)runs[r].completed / b->R;
            y[r] = (double)runs[r].completed / b->R;
            for (size_t i = 0; i < ndev; i++)
                wald_add(&w, &dev[i], 1 / (times[i] * b->R),
                         (double)runs[r].device[i].tasks / (double)nruns);
        }
        add_ci(out, nruns, "makespan_ge_lower", a, &w, 0, +1, mean_of(y, nruns), mean_M,
               level, 1);
    }
    for (size_t k = 0; k < nclaims; k++) {
        /* the policy's: E[M] against its value; a sum (one device) has m
        ** independent times, so its moments are known */
        const adi_policy_claim *c = claims[k];
        double e;
        if ((rc = c->value(pool, &e)) != ADI_OK)
            goto done;
        wald_moments w = {0, 0};
        if (c->kind == ADI_CLAIM_SUM)
            wald_add(&w, &dev[0], 1, (double)b->m);
        add_ci(out, nruns, c->bound, x, c->kind == ADI_CLAIM_SUM ? &w : NULL, e, c->op, e,
               mean_M, level, 1);
    }
    if (set & 1u << CI_UTIL_LAW) {
        /* busy - sum_i k_i T_i is the Wald sum with weights 1 */
        wald_moments w = {0, 0};
        for (size_t r = 0; r < nruns; r++) {
            double expected = 0;
            for (size_t i = 0; i < ndev; i++) {
                double k = (double)runs[r].device[i].tasks;
                expected += k * times[i];
                wald_add(&w, &dev[i], 1, k / (double)nruns);
            }
            a[r] = runs[r].busy_time - expected;
            y[r] = expected;
            x[r] = runs[r].busy_time;
        }
        add_ci(out, nruns, "utilization_law", a, &w, 0, 0, mean_of(y, nruns), mean_of(x, nruns),
               level, 1);
    }
    if (set & 1u << CI_UTIL_OFFERED) {
        double rho = p->rate * times[0] / (double)ndev, window = 0;
        for (size_t r = 0; r < nruns; r++) {
            double A = runs[r].last_arrival;
            a[r] = runs[r].busy_time / (double)ndev - rho * A;
            x[r] = A > 0 ? runs[r].busy_time / ((double)ndev * A) : 0;
            window += A / (double)nruns;
        }
        add_ci(out, nruns, "utilization_offered", a, NULL, 0, 0, rho, mean_of(x, nruns), level,
               window > 0 ? 1 / window : 0);
    }
    if (set & (1u << CI_Q_BLOCK | 1u << CI_Q_IN_SYSTEM | 1u << CI_Q_RESPONSE | 1u << CI_Q_UTIL)) {
        adi_steady_model model;
        adi_queue_metrics m;
        if ((rc = adi_steady_point(p, &model, &m)) != ADI_OK)
            goto done;
        struct { unsigned bit; const char *bound; double exact; size_t offset; } q[] = {
            {CI_Q_BLOCK, "queue_block", m.block, offsetof(adi_run_result, ss_block)},
            {CI_Q_IN_SYSTEM, "queue_in_system", m.in_system, offsetof(adi_run_result, ss_in_system)},
            {CI_Q_RESPONSE, "queue_response", m.response, offsetof(adi_run_result, ss_response)},
            {CI_Q_UTIL, "queue_utilization", m.utilization, offsetof(adi_run_result, ss_utilization)},
        };
        for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
            if (!(set & 1u << q[k].bit))
                continue;
            for (size_t r = 0; r < nruns; r++)
                x[r] = *(const double *)((const char *)&runs[r] + q[k].offset);
            add_ci(out, nruns, q[k].bound, x, NULL, q[k].exact, 0, q[k].exact, mean_of(x, nruns),
                   level, 1);
        }
    }
done:
    free(a);
    return rc;
}

/* The star of the devices the point uses, its model at the policy's
** window (pull's prefetch k; 0 for one task at a time, which a round is)
** and the bounds every run satisfies: R_net for that window (every input
** at once, static's, is no window: R at an unbounded k), and one task's
** shortest trip (without the request's latency when the policy sends
** inputs unasked); with batches (pull's) R_b,net and a batch's shortest
** trip instead. *dev is malloc'ed; nm is the caller's to free. */
static int network_bounds(const adi_point *p, size_t ndev, adi_netdev **dev, adi_star *star,
                          adi_netmodel *nm, net_bounds *nb)
{
    if (!(*dev = malloc(ndev * sizeof **dev)))
        return adi_fail(ADI_ENOMEM, "out of memory");
    *star = adi_point_star(p, *dev, ndev);
    adi_net_window w = p->policy->net.window;
    uint64_t k = w == ADI_NET_WINDOW_PREFETCH ? p->net.prefetch : 0;
    int rc = adi_netmodel_compute(star, p->tasks, k, nm);
    if (rc != ADI_OK)
        return rc;
    nb->R = nm->R;
    if (w == ADI_NET_WINDOW_ALL && (rc = adi_netmodel_throughput(star, UINT64_C(1) << 62, &nb->R,
                                                                 NULL, NULL)) != ADI_OK)
        return rc;
    if ((nb->batched = p->params.batch > 1))
        return adi_netbatch_throughput(star, k, p->params.batch_scale, p->params.batch, &nb->R,
                                       &nb->trip);
    nb->trip = INFINITY;
    for (size_t i = 0; i < ndev; i++)
        nb->trip = fmin(nb->trip, nm->dev[i].trip - (w == ADI_NET_WINDOW_PREFETCH
                                                         ? 0 : star->dev[i].latency));
    return ADI_OK;
}

/* What every check of a point starts from: the devices it uses, the
** bounds of the tasks that run, the policy's view of the pool, and over a
** network its star, model and bounds. Free with point_model_free. */
typedef struct point_model {
    const double *times;
    const adi_sampler *dev;
    size_t ndev;
    adi_bounds b;        /* of the tasks that run: b.m = batch_tasks() */
    adi_policy_pool pool;
    adi_netdev *netdev;  /* NULL without a network */
    adi_star star;
    adi_netmodel nm;
    net_bounds nb;
} point_model;

static void point_model_free(point_model *pm)
{
    adi_netmodel_free(&pm->nm);
    free(pm->netdev);
}

static int point_model_init(const adi_point *p, point_model *pm)
{
    memset(pm, 0, sizeof *pm);
    pm->ndev = adi_point_used_devices(p, &pm->times, &pm->dev);
    int rc = adi_model_bounds(pm->times, pm->ndev, batch_tasks(p, pm->ndev), &pm->b);
    if (rc != ADI_OK)
        return rc;
    pm->pool = policy_pool(p, pm->times, pm->dev, pm->ndev, &pm->b);
    if (!p->network)
        return ADI_OK;
    if ((rc = network_bounds(p, pm->ndev, &pm->netdev, &pm->star, &pm->nm, &pm->nb)) != ADI_OK) {
        point_model_free(pm);
        return rc;
    }
    pm->pool.star = &pm->star;
    pm->pool.nm = &pm->nm;
    return ADI_OK;
}

int adi_check_point(const adi_point *p, const adi_run_result *runs, size_t nruns,
                    double ci_level, adi_run_checks *out)
{
    point_model pm;
    int rc = point_model_init(p, &pm);
    if (rc != ADI_OK)
        return rc;
    exact_claims claims;
    double Rb;
    if ((rc = batch_throughput(p, pm.times, pm.ndev, &Rb)) == ADI_OK &&
        (rc = policy_exact_claims(p, &pm.pool, &claims)) == ADI_OK) {
        for (size_t r = 0; r < nruns; r++) {
            out[r].n = 0;
            exact_checks(p, &pm.b, p->network ? &pm.nb : NULL, Rb, pm.times, &claims, &runs[r],
                         &out[r]);
        }
        if (nruns >= 2)
            rc = ci_checks(p, &pm.pool, runs, nruns, ci_level, out);
    }
    point_model_free(&pm);
    return rc;
}

int adi_check_network_model(const adi_point *p, adi_point_netbounds *out)
{
    out->R = out->lower = out->upper = NAN;
    if (!p->network)
        return adi_fail(ADI_EINTERNAL, "adi_check_network_model: the point has no network");
    point_model pm;
    int rc = point_model_init(p, &pm);
    if (rc != ADI_OK)
        return rc;
    out->R = pm.nb.R;
    out->lower = fmax((double)pm.b.m / pm.nb.R, pm.nb.trip);
    exact_claims claims;
    if ((rc = policy_exact_claims(p, &pm.pool, &claims)) == ADI_OK)
        for (size_t c = 0; c < claims.n; c++)
            if (claims.claim[c]->op < 0 && !(claims.value[c] >= out->upper))
                out->upper = claims.value[c];
    point_model_free(&pm);
    return rc;
}
