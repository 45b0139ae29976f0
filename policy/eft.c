/*
** policy/eft.c — earliest finish time over one shared FIFO: an idle device
** takes the oldest waiting task only if that is where the pool would
** finish it soonest, else it waits for a later chance.
**
** The rule (model/split.h, which proves that it reaches C*): with W tasks
** waiting, idle device i at time t takes one iff its finish t + C_i is
** among the W earliest finishes the pool can offer them, counting for every
** device j its slots f_j + k C_j (k >= 1; f_j when j is next free, t for an
** idle one), ties to the lower index. Those W slots are the list schedule
** of the waiting tasks, so the tasks taken are the list schedule of all of
** them: for deterministic identical tasks at t = 0 the makespan is C*
** exactly. The words, "a device takes the next task only if it
** would complete it no later than any other device could", are the rule
** for W = 1; with several waiting they decline too often (T = (1, 3), m =
** 4: 4 instead of C* = 3, model/split.h).
**
** C_i is the device's T_i as the policy knows it (estimates, policy/
** estimate.h), and f_j the coordinator's expectation: when j took its last
** task, plus C_j (never before now: a device running late is due now).
** Idle devices that declined wait as "parked" requests; after any event
** (an arrival, a completion) the parked one whose first slot is earliest
** is asked again, and the next, until one declines (the others' slots come
** later, so they would decline too). An arrival that leaves everything but
** W unchanged asks again only once W exceeds the count that refused
** (`refused`), so a batch of m at t = 0 costs O(m + n x takes).
**
** Over a network (requests, 1 + k out like pull) the same rule runs when a
** request reaches the coordinator: C_i is the model's least time per task
** at that prefetch (its transfers included, adi_netmodel_cycle), f_i the
** expected end of what it holds, and every slot is shifted by the device's
** tail, the time from the end of a cycle to its task's completion (the
** output's way back: the model's trip less its cycle), so that completions
** are compared, not ends of cycles: a device on a slow link whose cycle
** ends early but whose output is slow to come back declines (without the
** tail the paper's Cortex-M4 took 7 tasks of 10^4 over its UART and the
** pool made 34.18 s; with it 32.14 s, its bound 32.13 s). A declined
** request waits there. There the makespan is not C* (transfers share
** links), and only the network's bounds are checked.
**
** Its bound: deterministic times, exact estimates, a batch at t = 0 with a
** free producer and Q = inf: makespan == C* (makespan_eq_optimal). Not
** work-conserving (it declines while tasks wait). Cost: O(n) per decision
** (the count stops at W), one decision per completion and per take; O(n)
** memory.
*/
#include "core/error.h"
#include "core/units.h"
#include "policy/estimate.h"
#include "policy/policy.h"
#include "policy/rules.h"
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct eft {
    adi_taskq queue;
    adi_estimate est;
    double *cycle;      /* [n] s: C_i (its estimate; over a network its cycle) */
    double *tail;       /* [n] s: over a network, its output's way back; NULL without */
    double *free_at;    /* [n] s: when it is expected to be done with what it holds */
    uint32_t *parked;   /* requests waiting at the coordinator (one per idle device */
    size_t nparked;     /* without a network; up to 1 + k per device with one) */
    uint64_t k;         /* the window's prefetch (0 without a network) */
    uint64_t refused;   /* the count that made the best parked request decline, */
    int refused_valid;  /* valid until anything but an arrival happens at refused_at */
    double refused_at;  /* s */
} eft;

static void eft_free(adi_sim *s)
{
    eft *p = s->policy;
    if (!p)
        return;
    adi_taskq_free(&p->queue);
    adi_estimate_free(&p->est);
    free(p->cycle);
    free(p->tail);
    free(p->free_at);
    free(p->parked);
    free(p);
    s->policy = NULL;
}

static int eft_init(adi_sim *s)
{
    eft *p = calloc(1, sizeof *p);
    s->policy = p;
    if (!p || adi_estimate_init(&p->est, s) != ADI_OK ||
        !(p->cycle = malloc(s->n * sizeof *p->cycle)) ||
        !(p->free_at = calloc(s->n, sizeof *p->free_at)) ||
        !(p->parked = malloc(s->request_slots * sizeof *p->parked))) {
        eft_free(s);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    adi_taskq_init(&p->queue);
    p->k = s->cfg->net ? s->cfg->net->prefetch : 0;
    if (s->cfg->net && !(p->tail = malloc(s->n * sizeof *p->tail))) {
        eft_free(s);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    for (size_t d = 0; d < s->n; d++) {
        p->cycle[d] = adi_estimate_cycle(&p->est, s, d, p->k);
        if (p->tail)
            p->tail[d] = adi_estimate_tail(&p->est, s, d, p->k);
    }
    if (s->start_idle) {
        for (size_t d = 0; d < s->n; d++)
            p->parked[d] = (uint32_t)d;
        p->nparked = s->n;
    }
    return ADI_OK;
}

static double next_free(const adi_sim *s, const eft *p, size_t d)
{
    return fmax(s->now, p->free_at[d]);
}

/* How many of the pool's slots come before device i's next one (capped at
** w): i takes a task of w waiting iff this is < w (policy/rules.h). */
static uint64_t better_slots(const adi_sim *s, const eft *p, size_t i, uint64_t w)
{
    return adi_rule_eft_better(p->free_at, p->cycle, p->tail, s->n, s->now, i, w);
}

/* The parked request whose device's next slot is earliest (ties: lower
** index), as a position in parked[]; nparked when none. */
static size_t best_parked(const adi_sim *s, const eft *p)
{
    size_t best = p->nparked;
    double bx = INFINITY;
    for (size_t a = 0; a < p->nparked; a++) {
        size_t d = p->parked[a];
        double x = next_free(s, p, d) + p->cycle[d] + (p->tail ? p->tail[d] : 0);
        if (best == p->nparked || x < bx || (x == bx && d < p->parked[best])) {
            best = a;
            bx = x;
        }
    }
    return best;
}

#define EFT_BODY static inline __attribute__((always_inline))

/* Device d takes the oldest waiting task (or t, when none waits). */
EFT_BODY int take(adi_sim *s, eft *p, size_t d, const adi_task *t, adi_sim_assign_fn assign)
{
    p->free_at[d] = next_free(s, p, d) + p->cycle[d];
    p->refused_valid = 0;
    if (!p->queue.len)
        return assign(s, d, *t);
    adi_task first = adi_taskq_pop(&p->queue); /* FIFO: t waits behind the others */
    if (t && adi_sim_enqueue(s, &p->queue, *t) != 0)
        return -1;
    if (!t)
        s->waiting--;
    return assign(s, d, first);
}

/* Asks the parked requests, best first, while they take a task of the w
** waiting (w counts t, a task arriving now, when t is not NULL). Returns 1
** when t was placed (taken, or queued behind one taken), 0 when not, -1. */
EFT_BODY int serve_parked(adi_sim *s, eft *p, const adi_task *t, adi_sim_assign_fn assign)
{
    int placed = 0;
    for (;;) {
        uint64_t w = s->waiting + (t && !placed);
        if (w == 0 || p->nparked == 0)
            return placed;
        if (p->refused_valid && p->refused_at == s->now && w <= p->refused)
            return placed;
        size_t a = best_parked(s, p), d = p->parked[a];
        uint64_t c = better_slots(s, p, d, w);
        if (c >= w) {
            p->refused = c;
            p->refused_valid = 1;
            p->refused_at = s->now;
            return placed;
        }
        p->parked[a] = p->parked[--p->nparked];
        if (take(s, p, d, t && !placed ? t : NULL, assign) != 0)
            return -1;
        placed |= t != NULL;
    }
}

EFT_BODY int arrive_with(adi_sim *s, adi_task t, adi_sim_assign_fn assign)
{
    eft *p = s->policy;
    int placed = serve_parked(s, p, &t, assign);
    if (placed != 0)
        return placed;
    return adi_sim_queue(s, &p->queue, t);
}

EFT_BODY int request_with(adi_sim *s, size_t d, adi_sim_assign_fn assign)
{
    eft *p = s->policy;
    if (!s->net) { /* d just completed and is free now */
        adi_estimate_done(&p->est, s, d);
        p->free_at[d] = s->now;
    }
    if (p->est.mode == ADI_ESTIMATES_ONLINE) {
        p->cycle[d] = adi_estimate_cycle(&p->est, s, d, p->k);
        if (p->tail)
            p->tail[d] = adi_estimate_tail(&p->est, s, d, p->k);
    }
    p->parked[p->nparked++] = (uint32_t)d;
    p->refused_valid = 0;
    return serve_parked(s, p, NULL, assign) < 0 ? -1 : 0;
}

/* A task the blocked producer holds fits when a slot is free or the best
** parked request would take it (the executor's blocked producer counts its
** task in W alike: exec/execute.c's produce_earliest). */
static int eft_room(const adi_sim *s)
{
    const eft *p = s->policy;
    if (s->waiting < s->cfg->capacity)
        return 1;
    if (p->nparked == 0)
        return 0;
    size_t d = p->parked[best_parked(s, p)];
    return better_slots(s, p, d, s->waiting + 1) < s->waiting + 1;
}

static int eft_arrive(adi_sim *s, adi_task t) { return arrive_with(s, t, adi_sim_assign); }
static int eft_request(adi_sim *s, size_t d) { return request_with(s, d, adi_sim_assign); }
static int eft_net_arrive(adi_sim *s, adi_task t) { return arrive_with(s, t, adi_net_assign); }
static int eft_net_request(adi_sim *s, size_t d) { return request_with(s, d, adi_net_assign); }

static const adi_policy_ops ops = {.init = eft_init, .free = eft_free, .arrive = eft_arrive,
                                   .request = eft_request, .room = eft_room};
static const adi_policy_ops net_ops = {.init = eft_init, .free = eft_free,
                                       .arrive = eft_net_arrive, .request = eft_net_request,
                                       .room = eft_room};

/* C* needs the exact T_i, every task at t = 0 (Q = inf) */
static int reaches_optimum(const adi_policy_pool *pool)
{
    return pool->capacity == ADI_CAPACITY_INF &&
           !(pool->params && pool->params->estimates == ADI_ESTIMATES_ONLINE);
}

static const adi_policy_claim claims[] = {
    {"makespan_eq_optimal", ADI_CLAIM_EXACT, 0, reaches_optimum, adi_policy_claim_optimal},
    {"makespan_ge_optimal", ADI_CLAIM_EXACT, +1, NULL, adi_policy_claim_optimal},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

static const adi_policy_claim no_claims[] = {{NULL, ADI_CLAIM_EXACT, 0, NULL, NULL}};

static int predict(const adi_policy_pool *pool, char *out, size_t size)
{
    char x[32];
    snprintf(out, size, "%s%s", pool->deterministic && reaches_optimum(pool) ? "" : ">= ",
             adi_format_time(pool->b->optimal, x, sizeof x));
    return ADI_OK;
}

const adi_policy_desc adi_policy_eft = {
    .name = "eft",
    .help = "shared FIFO; an idle device takes a task only where the pool finishes it soonest",
    .ops = &ops,
    .keys = ADI_POLICY_KEY_ESTIMATES,
    .drop_limit = "its devices decline tasks, so which ones fit at t = 0 depends on the times",
    .devices = ADI_DEVICES_ALL,
    .workloads = ADI_WORKLOADS_CLOSED | ADI_WORKLOADS_OPEN,
    .room = adi_policy_room_devices_plus_queue,
    .share = ADI_SHARE_SPEED,
    .claims = claims,
    .predict = predict,
    .style = {"#E69F00", 4},
    .exec = {.mode = ADI_EXEC_EARLIEST, .finite_queue = 1},
    .net = {.mode = ADI_SIM_NET_REQUESTS, .ops = &net_ops, .window = ADI_NET_WINDOW_PREFETCH,
            .claims = no_claims,
            .rule = "pull's requests (1 + k out per device); a request takes the oldest queued "
                    "task only if its device's next finish, with its transfers, is among the "
                    "pool's earliest for the tasks waiting, else it waits at the coordinator"},
};
