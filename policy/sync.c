/*
** policy/sync.c — synchronous rounds with a barrier. A round starts when
** no round is running and min(n, tasks not yet started) tasks wait, or the
** queue is full; devices 0, 1, ... each take one task (a partial last round
** uses the lowest-numbered devices, which are the fastest in synthetic
** pools); the next round starts only when every device of this one is done.
** With a batch at t = 0 the makespan is the sum over rounds of the slowest
** time in the round: ceil(m/n) max T_i when n divides m (the paper's formula).
**
** Its bound, with Q >= n (rounds of n): deterministic times give exactly
** floor(m/n) max T + max_{i<r} T_i (r = m mod n); random ones the
** expectation of that (model/bounds.h's adi_model_sync_expected), tested
** by a Student-t interval. With Q < n a round starts once Q tasks wait, and
** with drop a batch keeps min(n, Q) + Q tasks. The executor runs rounds
** with a barrier (Q = inf), or with a finite Q from a producer's bounded
** queue by this file's rule (exec/execute.c's round_start).
**
** Over a network (sim/net.c) the same ops run, and the barrier is at the
** coordinator: a round's inputs are sent when the round starts (task r n + i
** to device i), and request(d), which counts the round down, comes when d's
** output is back there (ADI_SIM_NET_RESULTS). So a round lasts, for its
** slowest device, latency + input + T + latency + output, and the next
** round's inputs leave only after every output is in: a synchronous
** coordinator that collects results before it hands out the next round.
** Nothing is sent without a round, so no requests travel.
*/
#include "core/error.h"
#include "core/units.h"
#include "policy/policy.h"
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct rounds {
    adi_taskq queue;
    size_t outstanding; /* tasks of the running round not yet done */
} rounds;

static int sync_init(adi_sim *s)
{
    rounds *p = calloc(1, sizeof *p);
    if (!p)
        return adi_fail(ADI_ENOMEM, "out of memory");
    adi_taskq_init(&p->queue);
    s->policy = p;
    return ADI_OK;
}

static void sync_free(adi_sim *s)
{
    rounds *p = s->policy;
    if (!p)
        return;
    adi_taskq_free(&p->queue);
    free(p);
    s->policy = NULL;
}

/* The ops' bodies, for either delivery (adi_sim_assign, or adi_net_assign
** over a network), inlined with a constant `assign` (see pull.c). */
#define SYNC_BODY static inline __attribute__((always_inline))

/* Starts a round if one can start now. 0, or -1 (memory). */
SYNC_BODY int try_round(adi_sim *s, rounds *p, adi_sim_assign_fn assign)
{
    if (p->outstanding || s->waiting == 0)
        return 0;
    uint64_t unstarted = adi_sim_unstarted(s);
    uint64_t need = unstarted < s->n ? unstarted : s->n;
    if (s->waiting < need && s->waiting < s->cfg->capacity)
        return 0;
    size_t k = s->waiting < s->n ? (size_t)s->waiting : s->n;
    for (size_t d = 0; d < k; d++) {
        adi_task t = adi_taskq_pop(&p->queue);
        s->waiting--;
        if (assign(s, d, t) != 0)
            return -1;
    }
    p->outstanding = k;
    return 0;
}

SYNC_BODY int arrive_with(adi_sim *s, adi_task t, adi_sim_assign_fn assign)
{
    rounds *p = s->policy;
    int queued = adi_sim_queue(s, &p->queue, t);
    if (queued != 1)
        return queued;
    return try_round(s, p, assign) == 0 ? 1 : -1;
}

SYNC_BODY int request_with(adi_sim *s, adi_sim_assign_fn assign)
{
    rounds *p = s->policy;
    if (--p->outstanding)
        return 0;
    return try_round(s, p, assign);
}

/* Puts tasks in two steps so that a round starts exactly where putting them
** one by one would start it (which max_queue can tell apart). */
SYNC_BODY int arrive_many_with(adi_sim *s, double created, uint64_t count, uint64_t *taken,
                               adi_sim_assign_fn assign)
{
    rounds *p = s->policy;
    uint64_t k = 0;
    while (k < count && s->waiting < s->cfg->capacity) {
        uint64_t room = s->cfg->capacity - s->waiting, more = count - k < room ? count - k : room;
        if (!p->outstanding) { /* up to the task that would start a round */
            uint64_t unstarted = adi_sim_unstarted(s), need = unstarted < s->n ? unstarted : s->n;
            if (need > s->waiting && need - s->waiting < more)
                more = need - s->waiting;
        }
        if (adi_taskq_push_many(&p->queue, created, s->now, more) != 0)
            return -1;
        s->waiting += more;
        if (s->waiting > s->max_queue)
            s->max_queue = s->waiting;
        k += more;
        if (try_round(s, p, assign) != 0)
            return -1;
    }
    *taken = k;
    return 0;
}

static int sync_arrive(adi_sim *s, adi_task t) { return arrive_with(s, t, adi_sim_assign); }
static int sync_request(adi_sim *s, size_t d) { (void)d; return request_with(s, adi_sim_assign); }
static int sync_arrive_many(adi_sim *s, double created, uint64_t count, uint64_t *taken)
{
    return arrive_many_with(s, created, count, taken, adi_sim_assign);
}

static int sync_net_arrive(adi_sim *s, adi_task t) { return arrive_with(s, t, adi_net_assign); }
static int sync_net_request(adi_sim *s, size_t d) { (void)d; return request_with(s, adi_net_assign); }
static int sync_net_arrive_many(adi_sim *s, double created, uint64_t count, uint64_t *taken)
{
    return arrive_many_with(s, created, count, taken, adi_net_assign);
}

static const adi_policy_ops ops = {.init = sync_init, .free = sync_free,
                                   .arrive = sync_arrive, .request = sync_request,
                                   .arrive_many = sync_arrive_many};
static const adi_policy_ops net_ops = {.init = sync_init, .free = sync_free,
                                       .arrive = sync_net_arrive, .request = sync_net_request,
                                       .arrive_many = sync_net_arrive_many};

/* A round starts once min(n, Q) tasks wait, and Q more wait behind it. */
static uint64_t room(size_t n, uint64_t capacity)
{
    uint64_t first = capacity < n ? capacity : n;
    return capacity > UINT64_MAX - first ? UINT64_MAX : first + capacity;
}

static int full_rounds(const adi_policy_pool *pool) { return pool->capacity >= pool->n; }

static int exact_rounds(const adi_policy_pool *pool, double *v) { *v = pool->b->sync_rounds; return ADI_OK; }

static int rounds_expected(const adi_policy_pool *pool, double *v)
{
    return adi_model_sync_expected(pool->dev, pool->n, pool->m, v);
}

static const adi_policy_claim claims[] = {
    {"makespan_eq_sync", ADI_CLAIM_EXACT, 0, full_rounds, exact_rounds},
    {"makespan_eq_sync", ADI_CLAIM_MEAN, 0, full_rounds, rounds_expected},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

static const adi_policy_claim no_claims[] = {{NULL, ADI_CLAIM_EXACT, 0, NULL, NULL}};

static int predict(const adi_policy_pool *pool, char *out, size_t size)
{
    char x[32];
    if (!full_rounds(pool)) {
        snprintf(out, size, ">= %s (Q < n)", adi_format_time(pool->b->sync_rounds, x, sizeof x));
        return ADI_OK;
    }
    double e = pool->b->sync_rounds;
    int rc = pool->deterministic ? ADI_OK : rounds_expected(pool, &e);
    if (rc == ADI_OK)
        snprintf(out, size, "%s%s", pool->deterministic ? "" : "E = ",
                 adi_format_time(e, x, sizeof x));
    return rc;
}

const adi_policy_desc adi_policy_sync = {
    .name = "sync",
    .help = "rounds with a barrier",
    .ops = &ops,
    .devices = ADI_DEVICES_ALL,
    .workloads = ADI_WORKLOADS_CLOSED | ADI_WORKLOADS_OPEN,
    .room = room,
    .share = ADI_SHARE_EQUAL,
    .claims = claims,
    .predict = predict,
    .style = {"#D55E00", 9},
    .exec = {.mode = ADI_EXEC_ROUNDS, .finite_queue = 1},
    .net = {.mode = ADI_SIM_NET_RESULTS, .ops = &net_ops, .window = ADI_NET_WINDOW_ONE,
            .claims = no_claims,
            .rule = "a round's inputs are sent when it starts; it ends when every one of its "
                    "outputs is back at the coordinator"},
};
