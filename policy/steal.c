/*
** policy/steal.c — work stealing: per-device queues filled by a split, and
** a device with nothing to do steals half of another's.
**
** The split: weighted (steal_start = weighted, the counts behind C*, dealt
** in list-schedule order as weighted.c deals them) or equal (static's round
** robin); with estimates = online it is made with the pool's mean, which is
** the equal split. A task goes to its device at once if that device is
** idle, else waits in its queue (Q bounds all the queues together; a held
** task whose device is idle fits, as for static).
**
** The steal: a device whose own queue is empty when it asks for work (its
** completion, or at t = 0) takes ceil(w / 2) of the waiting tasks of a
** victim with w >= 1 waiting (victim = longest: the most waiting, ties to
** the lower index; random: one of those with any, uniformly, drawn from the
** run's stream), the oldest first: it starts the first and queues the rest.
** When no queue holds a task it stays idle, and idle devices (the one idle
** longest first) steal again whenever a task arrives and waits. A steal
** costs no simulated time without a network (the coordinator's bookkeeping,
** like pull's queue).
**
** Its bounds (model/split.h, proved there): any run of identical tasks is a
** split, so makespan >= C*; and with deterministic times, a batch at t = 0,
** a free producer and Q = inf, makespan <= max_i (floor(X / T_i) + 1) T_i,
** X the m-th smallest multiple {k T_i : k >= 0} (makespan_le_steal; the
** hypothesis H of the proof, no device idle before the last start, holds:
** a device is idle only when nothing waits anywhere). It is not the issue's
** "the weighted split's makespan plus its steal costs", which is false for
** half-stealing: T = (1, 100), m = 10 makes 100 against the split's 10.
**
** Over a network the queues are held at the coordinator and each device
** fetches from its own with requests, 1 + k out, as pull does; a request
** that finds its own queue empty steals, so a steal costs a request and
** its answer over the device's link, like any fetch. Only the network's
** bounds are checked there (the proof above takes one time per task).
**
** Cost: O(log n) per task dealt, O(n) per steal (the victim's search) and
** O(stolen) to move them; O(n) memory plus the queues' segments.
*/
#include "core/error.h"
#include "core/units.h"
#include "model/split.h"
#include "policy/deal.h"
#include "policy/estimate.h"
#include "policy/policy.h"
#include "policy/rules.h"
#include "sim/sim_int.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct steal {
    adi_taskq *queue;     /* [n] */
    uint32_t *outstanding;/* [n] without a network: 1 while it computes a task */
    uint32_t *idle;       /* ring of s->request_slots: requests waiting for work */
    size_t idle_head, idle_len;
    adi_deal deal;
    adi_victim victim;
} steal;

static void steal_free(adi_sim *s)
{
    steal *p = s->policy;
    if (!p)
        return;
    adi_taskq_array_free(p->queue, s->n);
    free(p->outstanding);
    free(p->idle);
    adi_deal_free(&p->deal);
    free(p);
    s->policy = NULL;
}

static int steal_init(adi_sim *s)
{
    const adi_sim_policy_params *prm = s->cfg->params ? s->cfg->params : &adi_sim_default_params;
    steal *p = calloc(1, sizeof *p);
    s->policy = p;
    double *cycle = malloc(s->n * sizeof *cycle);
    adi_estimate e;
    int rc = adi_estimate_init(&e, s);
    if (rc != ADI_OK || !p || !cycle || !(p->queue = adi_taskq_array_new(s->n)) ||
        !(p->outstanding = calloc(s->n, sizeof *p->outstanding)) ||
        !(p->idle = malloc(s->request_slots * sizeof *p->idle))) {
        free(cycle);
        adi_estimate_free(&e);
        steal_free(s);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    uint64_t k = s->cfg->net ? s->cfg->net->prefetch : 0;
    for (size_t d = 0; d < s->n; d++)
        cycle[d] = adi_estimate_cycle(&e, s, d, k);
    adi_estimate_free(&e);
    p->victim = prm->victim;
    rc = adi_deal_init(&p->deal, cycle, s->n, prm->steal_start == ADI_STEAL_START_WEIGHTED);
    free(cycle);
    if (rc != ADI_OK) {
        steal_free(s);
        return rc;
    }
    if (s->start_idle) {
        for (size_t d = 0; d < s->n; d++)
            p->idle[d] = (uint32_t)d;
        p->idle_len = s->n;
    }
    return ADI_OK;
}

/* The queue a thief steals from: one with waiting tasks, by the victim
** rule (policy/rules.h); n when none has any. */
static size_t find_victim(adi_sim *s, const steal *p)
{
    return adi_rule_victim(&p->queue[0].len, sizeof *p->queue, s->n, p->victim, s->rng);
}

#define STEAL_BODY static inline __attribute__((always_inline))

/* Device d has nothing of its own: it steals and starts the first task
** stolen. 1 when it found work, 0 when nothing waits anywhere, -1. */
STEAL_BODY int try_steal(adi_sim *s, steal *p, size_t d, adi_sim_assign_fn assign)
{
    size_t v = find_victim(s, p);
    if (v == s->n)
        return 0;
    uint64_t take = adi_rule_steal_count(p->queue[v].len);
    adi_task first = adi_taskq_pop(&p->queue[v]);
    for (uint64_t j = 1; j < take; j++) {
        adi_task t = adi_taskq_pop(&p->queue[v]);
        if (adi_taskq_push(&p->queue[d], t.created, t.enqueued, 0, 0) != 0)
            return -1;
    }
    s->waiting--;
    p->outstanding[d]++;
    return assign(s, d, first) == 0 ? 1 : -1;
}

/* Idle requests steal, the oldest first, while any task waits (the
** executor's producer does the same with a finite Q: exec/execute.c's
** serve_idle). */
STEAL_BODY int serve_idle(adi_sim *s, steal *p, adi_sim_assign_fn assign)
{
    while (p->idle_len && s->waiting) {
        size_t d = p->idle[p->idle_head];
        int got = p->queue[d].len ? 1 : 0;
        if (got) { /* a task was dealt to its queue while its request waited */
            adi_task t = adi_taskq_pop(&p->queue[d]);
            s->waiting--;
            p->outstanding[d]++;
            if (assign(s, d, t) != 0)
                return -1;
        } else if ((got = try_steal(s, p, d, assign)) < 0) {
            return -1;
        }
        if (!got)
            return 0;
        p->idle_head = (p->idle_head + 1) % s->request_slots;
        p->idle_len--;
    }
    return 0;
}

/* The device the next task is dealt to can start it now: without a network
** when it is idle; over one when one of its requests waits. */
static int idle_device(const steal *p, size_t d, const adi_sim *s)
{
    if (!s->net)
        return p->outstanding[d] == 0;
    for (size_t a = 0; a < p->idle_len; a++)
        if (p->idle[(p->idle_head + a) % s->request_slots] == d)
            return 1;
    return 0;
}

/* Removes one of d's waiting requests from the ring (it has one). */
static void unpark(steal *p, size_t d, const adi_sim *s)
{
    size_t slots = s->request_slots, a = 0;
    while (p->idle[(p->idle_head + a) % slots] != d)
        a++;
    for (; a + 1 < p->idle_len; a++)
        p->idle[(p->idle_head + a) % slots] = p->idle[(p->idle_head + a + 1) % slots];
    p->idle_len--;
}

STEAL_BODY int arrive_with(adi_sim *s, adi_task t, adi_sim_assign_fn assign)
{
    steal *p = s->policy;
    size_t d = adi_deal_peek(&p->deal);
    if (idle_device(p, d, s)) {
        adi_deal_take(&p->deal);
        unpark(p, d, s);
        p->outstanding[d]++;
        return assign(s, d, t) == 0 ? 1 : -1;
    }
    int queued = adi_sim_queue(s, &p->queue[d], t);
    if (queued != 1)
        return queued; /* full: the task stays destined for d */
    adi_deal_take(&p->deal);
    return serve_idle(s, p, assign) == 0 ? 1 : -1;
}

STEAL_BODY int request_with(adi_sim *s, size_t d, adi_sim_assign_fn assign)
{
    steal *p = s->policy;
    if (!s->net) /* d completed its task */
        p->outstanding[d]--;
    if (p->queue[d].len) {
        adi_task t = adi_taskq_pop(&p->queue[d]);
        s->waiting--;
        p->outstanding[d]++;
        return assign(s, d, t);
    }
    int got = try_steal(s, p, d, assign);
    if (got < 0)
        return -1;
    if (!got) {
        p->idle[(p->idle_head + p->idle_len) % s->request_slots] = (uint32_t)d;
        p->idle_len++;
    }
    return 0;
}

/* The held task's device can start it, or a slot is free. */
static int steal_room(const adi_sim *s)
{
    const steal *p = s->policy;
    return s->waiting < s->cfg->capacity || idle_device(p, adi_deal_peek(&p->deal), s);
}

static int steal_arrive(adi_sim *s, adi_task t) { return arrive_with(s, t, adi_sim_assign); }
static int steal_request(adi_sim *s, size_t d) { return request_with(s, d, adi_sim_assign); }
static int steal_net_arrive(adi_sim *s, adi_task t) { return arrive_with(s, t, adi_net_assign); }
static int steal_net_request(adi_sim *s, size_t d) { return request_with(s, d, adi_net_assign); }

static const adi_policy_ops ops = {.init = steal_init, .free = steal_free,
                                   .arrive = steal_arrive, .request = steal_request,
                                   .room = steal_room};
static const adi_policy_ops net_ops = {.init = steal_init, .free = steal_free,
                                       .arrive = steal_net_arrive, .request = steal_net_request,
                                       .room = steal_room};

static int unbounded(const adi_policy_pool *pool) { return pool->capacity == ADI_CAPACITY_INF; }

/* max_i (floor(X / T_i) + 1) T_i (model/split.h, w_min = 1, no costs) */
static int steal_upper(const adi_policy_pool *pool, double *v)
{
    adi_steal_bounds sb;
    int rc = adi_split_steal_bounds(pool->times, NULL, pool->n, pool->m, 1, &sb);
    if (rc == ADI_OK)
        *v = sb.upper;
    return rc;
}

static const adi_policy_claim claims[] = {
    {"makespan_le_steal", ADI_CLAIM_EXACT, -1, unbounded, steal_upper},
    {"makespan_ge_optimal", ADI_CLAIM_EXACT, +1, NULL, adi_policy_claim_optimal},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

static const adi_policy_claim no_claims[] = {{NULL, ADI_CLAIM_EXACT, 0, NULL, NULL}};

static int predict(const adi_policy_pool *pool, char *out, size_t size)
{
    char x[32], y[32];
    double upper;
    int rc = steal_upper(pool, &upper);
    if (rc != ADI_OK)
        return rc;
    if (pool->deterministic && unbounded(pool))
        snprintf(out, size, "%s .. %s", adi_format_time(pool->b->optimal, x, sizeof x),
                 adi_format_time(upper, y, sizeof y));
    else
        snprintf(out, size, ">= %s", adi_format_time(pool->b->lower, x, sizeof x));
    return ADI_OK;
}

/* The executor's deal (exec.split): task k to the device steal_init's deal
** gives it, with the same times (online: the pool's mean for all). */
static void split(const adi_policy_pool *pool, uint32_t *device)
{
    const adi_sim_policy_params *prm = pool->params ? pool->params : &adi_sim_default_params;
    double *cycle = malloc(pool->n * sizeof *cycle);
    adi_deal deal;
    int ok = cycle != NULL;
    if (ok) {
        double prior = adi_rule_prior(pool->times, pool->n);
        for (size_t d = 0; d < pool->n; d++)
            cycle[d] = prm->estimates == ADI_ESTIMATES_ONLINE ? prior : pool->times[d];
        ok = adi_deal_init(&deal, cycle, pool->n,
                           prm->steal_start == ADI_STEAL_START_WEIGHTED) == ADI_OK;
    }
    free(cycle);
    for (uint64_t k = 0; k < pool->m; k++) /* no memory: a split the executor refuses */
        device[k] = ok ? (uint32_t)adi_deal_take(&deal) : UINT32_MAX;
    if (ok)
        adi_deal_free(&deal);
}

const adi_policy_desc adi_policy_steal = {
    .name = "steal",
    .help = "per-device queues from a split; an idle device steals half of another's",
    .ops = &ops,
    .keys = ADI_POLICY_KEY_ESTIMATES | ADI_POLICY_KEY_VICTIM | ADI_POLICY_KEY_STEAL_START,
    .drop_limit = "it deals the tasks by a split, so which ones fit at t = 0 depends on it",
    .devices = ADI_DEVICES_ALL,
    .workloads = ADI_WORKLOADS_CLOSED | ADI_WORKLOADS_OPEN,
    .room = adi_policy_room_devices_plus_queue,
    .share = ADI_SHARE_SPEED,
    .work_conserving = 1,
    .claims = claims,
    .predict = predict,
    .style = {"#56B4E9", 6},
    .exec = {.mode = ADI_EXEC_STEAL, .split = split, .finite_queue = 1},
    .net = {.mode = ADI_SIM_NET_REQUESTS, .ops = &net_ops, .window = ADI_NET_WINDOW_PREFETCH,
            .claims = no_claims,
            .rule = "the queues are held at the coordinator; each device fetches from its own "
                    "with pull's requests (1 + k out), and a request that finds it empty steals "
                    "half of a victim's (the request and its answer are the steal's cost)"},
};
