/*
** policy/pull.c — the paper's policy: one shared FIFO queue; a device that
** asks for a task takes the oldest waiting one; a task that arrives while
** devices are idle goes to the device that has been idle longest (devices
** start idle in index order, so at t = 0 device 0 takes the first task).
** Idle devices form a FIFO ring of n slots. O(1) per task.
**
** Its bounds (model/bounds.h), for a batch at t = 0 with a free producer:
** with deterministic times C* <= makespan <= m/R + max T_i (greedy: once
** the queue is empty no device idles for longer than one task) and
** makespan <= ceil(m/n) max T_i (after k max T_i every device has done at
** least k tasks: pull is never slower than synchronous rounds); with random
** times E[makespan] <= ceil(m/n) E[max_i S_i]. It is work-conserving, and a
** shared FIFO served by the device idle longest, so the exact queueing
** results describe its open runs. serial.c reuses its ops (pull.h).
*/
#include "policy/pull.h"
#include "core/error.h"
#include "core/units.h"
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>

#include <stdlib.h>

typedef struct pull {
    adi_taskq queue;
    uint32_t *idle; /* ring of n device indices */
    size_t idle_head, idle_len;
} pull;

int adi_pull_init(adi_sim *s)
{
    pull *p = calloc(1, sizeof *p);
    if (p)
        p->idle = malloc(s->n * sizeof *p->idle);
    if (!p || !p->idle) {
        free(p);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    adi_taskq_init(&p->queue);
    for (size_t d = 0; d < s->n; d++)
        p->idle[d] = (uint32_t)d;
    p->idle_len = s->n;
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

int adi_pull_arrive(adi_sim *s, adi_task t)
{
    pull *p = s->policy;
    if (p->idle_len) {
        size_t d = p->idle[p->idle_head];
        p->idle_head = (p->idle_head + 1) % s->n;
        p->idle_len--;
        return adi_sim_assign(s, d, t) == 0 ? 1 : -1;
    }
    if (s->waiting >= s->cfg->capacity)
        return 0;
    if (adi_sim_enqueue(s, &p->queue, t) != 0)
        return -1;
    adi_sim_waiting_up(s);
    return 1;
}

int adi_pull_request(adi_sim *s, size_t d)
{
    pull *p = s->policy;
    if (p->queue.len) {
        adi_task t = adi_taskq_pop(&p->queue);
        s->waiting--;
        return adi_sim_assign(s, d, t);
    }
    p->idle[(p->idle_head + p->idle_len) % s->n] = (uint32_t)d;
    p->idle_len++;
    return 0;
}

int adi_pull_arrive_many(adi_sim *s, double created, uint64_t count, uint64_t *taken)
{
    pull *p = s->policy;
    adi_task t = {created, s->now};
    uint64_t k = 0;
    for (; k < count && p->idle_len; k++)
        if (adi_pull_arrive(s, t) < 0)
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

static const adi_policy_ops ops = {.init = adi_pull_init, .free = adi_pull_free,
                                   .arrive = adi_pull_arrive, .request = adi_pull_request,
                                   .arrive_many = adi_pull_arrive_many};

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
};
