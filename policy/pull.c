/*
** policy/pull.c — the paper's policy: one shared FIFO queue; a device that
** asks for a task takes the oldest waiting one; a task that arrives while
** devices are idle goes to the device that has been idle longest (devices
** start idle in index order, so at t = 0 device 0 takes the first task).
** Idle devices form a FIFO ring of n slots (n (1 + k) over a network). O(1)
** per task.
**
** Its bounds (model/bounds.h), for a batch at t = 0 with a free producer:
** with deterministic times C* <= makespan <= m/R + max T_i (greedy: once
** the queue is empty no device idles for longer than one task) and
** makespan <= ceil(m/n) max T_i (after k max T_i every device has done at
** least k tasks: pull is never slower than synchronous rounds); with random
** times E[makespan] <= ceil(m/n) E[max_i S_i]. It is work-conserving, and a
** shared FIFO served by the device idle longest, so the exact queueing
** results describe its open runs. serial.c reuses its ops (pull.h).
**
** Over a network (sim/net.c) the same ops run: request(d) comes when one
** of d's requests reaches the coordinator (each device keeps 1 + k out),
** the idle ring holds those waiting there (none at t = 0), and the bound
** is the network's greedy one (makespan_le_greedy_net, model/network.h).
*/
#include "policy/pull.h"
#include "core/error.h"
#include "core/units.h"
#include "model/network.h"
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>

#include <stdlib.h>

typedef struct pull {
    adi_taskq queue;
    uint32_t *idle; /* ring of s->request_slots device indices: the requests */
                    /* waiting at the coordinator (one per idle device without */
                    /* a network; with one, up to 1 + k per device) */
    size_t idle_head, idle_len;
} pull;

int adi_pull_init(adi_sim *s)
{
    pull *p = calloc(1, sizeof *p);
    if (p)
        p->idle = malloc(s->request_slots * sizeof *p->idle);
    if (!p || !p->idle) {
        free(p);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    adi_taskq_init(&p->queue);
    if (s->start_idle) {
        for (size_t d = 0; d < s->n; d++)
            p->idle[d] = (uint32_t)d;
        p->idle_len = s->n;
    }
    s->policy = p;
    return ADI_OK;
}

void adi_pull_free(adi_sim *s)
{
    pull *p = s->policy;
    if (!p)
        return;
    adi_taskq_free(&p->queue);
    free(p->idle);
    free(p);
    s->policy = NULL;
}

/* The ops' bodies, for either delivery (adi_sim_assign without a network,
** adi_net_assign with one): always inlined with a constant `assign`, so
** each set calls its delivery directly. */
#define PULL_BODY static inline __attribute__((always_inline))

PULL_BODY int arrive_with(adi_sim *s, adi_task t, adi_sim_assign_fn assign)
{
    pull *p = s->policy;
    if (p->idle_len) {
        size_t d = p->idle[p->idle_head];
        p->idle_head = (p->idle_head + 1) % s->request_slots;
        p->idle_len--;
        return assign(s, d, t) == 0 ? 1 : -1;
    }
    if (s->waiting >= s->cfg->capacity)
        return 0;
    if (adi_sim_enqueue(s, &p->queue, t) != 0)
        return -1;
    adi_sim_waiting_up(s);
    return 1;
}

PULL_BODY int request_with(adi_sim *s, size_t d, adi_sim_assign_fn assign)
{
    pull *p = s->policy;
    if (p->queue.len) {
        adi_task t = adi_taskq_pop(&p->queue);
        s->waiting--;
        return assign(s, d, t);
    }
    p->idle[(p->idle_head + p->idle_len) % s->request_slots] = (uint32_t)d;
    p->idle_len++;
    return 0;
}

PULL_BODY int arrive_many_with(adi_sim *s, double created, uint64_t count, uint64_t *taken,
                               adi_sim_assign_fn assign)
{
    pull *p = s->policy;
    adi_task t = {created, s->now};
    uint64_t k = 0;
    for (; k < count && p->idle_len; k++)
        if (arrive_with(s, t, assign) < 0)
            return -1;
    uint64_t room = s->cfg->capacity - s->waiting, more = count - k < room ? count - k : room;
    if (more) {
        if (adi_taskq_push_many(&p->queue, created, s->now, more) != 0)
            return -1;
        s->waiting += more;
        if (s->waiting > s->max_queue)
            s->max_queue = s->waiting;
    }
    *taken = k + more;
    return 0;
}

int adi_pull_arrive(adi_sim *s, adi_task t) { return arrive_with(s, t, adi_sim_assign); }
int adi_pull_request(adi_sim *s, size_t d) { return request_with(s, d, adi_sim_assign); }
int adi_pull_arrive_many(adi_sim *s, double created, uint64_t count, uint64_t *taken)
{
    return arrive_many_with(s, created, count, taken, adi_sim_assign);
}

int adi_pull_net_arrive(adi_sim *s, adi_task t) { return arrive_with(s, t, adi_net_assign); }
int adi_pull_net_request(adi_sim *s, size_t d) { return request_with(s, d, adi_net_assign); }
int adi_pull_net_arrive_many(adi_sim *s, double created, uint64_t count, uint64_t *taken)
{
    return arrive_many_with(s, created, count, taken, adi_net_assign);
}

static const adi_policy_ops ops = {.init = adi_pull_init, .free = adi_pull_free,
                                   .arrive = adi_pull_arrive, .request = adi_pull_request,
                                   .arrive_many = adi_pull_arrive_many};
static const adi_policy_ops net_ops = {.init = adi_pull_init, .free = adi_pull_free,
                                       .arrive = adi_pull_net_arrive,
                                       .request = adi_pull_net_request,
                                       .arrive_many = adi_pull_net_arrive_many};

static int greedy(const adi_policy_pool *pool, double *v) { *v = pool->b->greedy_upper; return ADI_OK; }
static int optimal(const adi_policy_pool *pool, double *v) { *v = pool->b->optimal; return ADI_OK; }
static int rounds(const adi_policy_pool *pool, double *v) { *v = pool->b->paper; return ADI_OK; }

/* ceil(m/n) E[max_i S_i]: the rounds bound in expectation */
static int rounds_expected(const adi_policy_pool *pool, double *v)
{
    double emax;
    int rc = adi_model_expected_max(pool->dev, pool->n, &emax);
    if (rc == ADI_OK)
        *v = (double)((pool->m + pool->n - 1) / pool->n) * emax;
    return rc;
}

static const adi_policy_claim claims[] = {
    {"makespan_le_greedy", ADI_CLAIM_EXACT, -1, NULL, greedy},
    {"makespan_ge_optimal", ADI_CLAIM_EXACT, +1, NULL, optimal},
    {"makespan_le_sync_rounds", ADI_CLAIM_EXACT, -1, NULL, rounds},
    {"makespan_le_sync_rounds", ADI_CLAIM_MEAN, -1, NULL, rounds_expected},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

/* Over a network: the greedy bound with the per-task cycle (model/network.h). */
static int greedy_net(const adi_policy_pool *pool, double *v)
{
    *v = pool->nm->greedy_upper;
    return ADI_OK;
}

const adi_policy_claim adi_pull_net_claims[] = {
    {"makespan_le_greedy_net", ADI_CLAIM_EXACT, -1, NULL, greedy_net},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

static int predict(const adi_policy_pool *pool, char *out, size_t size)
{
    char x[32], y[32];
    if (pool->deterministic)
        snprintf(out, size, "%s .. %s", adi_format_time(pool->b->optimal, x, sizeof x),
                 adi_format_time(pool->b->greedy_upper, y, sizeof y));
    else
        snprintf(out, size, ">= %s", adi_format_time(pool->b->lower, x, sizeof x));
    return ADI_OK;
}

const adi_policy_desc adi_policy_pull = {
    .name = "pull",
    .help = "shared FIFO, idle devices pull",
    .ops = &ops,
    .devices = ADI_DEVICES_ALL,
    .workloads = ADI_WORKLOADS_CLOSED | ADI_WORKLOADS_OPEN,
    .room = adi_policy_room_devices_plus_queue,
    .share = ADI_SHARE_SPEED,
    .work_conserving = 1,
    .queueing = ADI_QUEUEING_SHARED_FIFO,
    .claims = claims,
    .predict = predict,
    .style = {"#0072B2", 7},
    .exec = {.mode = ADI_EXEC_SHARED_QUEUE, .finite_queue = 1},
    .net = {.mode = ADI_SIM_NET_REQUESTS, .ops = &net_ops, .window = ADI_NET_WINDOW_PREFETCH,
            .claims = adi_pull_net_claims,
            .rule = "each device keeps 1 + k tasks requested and not computed (1 + k requests "
                    "at t = 0, one per computed task); a request takes the oldest queued task, "
                    "or waits at the coordinator"},
};
