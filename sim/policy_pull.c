/*
** sim/policy_pull.c — the paper's policy: one shared FIFO queue; a device
** that becomes idle takes the oldest waiting task; a task that arrives while
** devices are idle goes to the device that has been idle longest (devices
** start idle in index order, so at t = 0 device 0 takes the first task).
** Idle devices form a FIFO ring of n slots. O(1) per task.
*/
#include "core/error.h"
#include "sim/sim_int.h"

#include <stdlib.h>

typedef struct pull {
    adi_taskq queue;
    uint32_t *idle; /* ring of n device indices */
    size_t idle_head, idle_len;
} pull;

static int pull_init(adi_sim *s)
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

static void pull_free(adi_sim *s)
{
    pull *p = s->policy;
    if (!p)
        return;
    adi_taskq_free(&p->queue);
    free(p->idle);
    free(p);
    s->policy = NULL;
}

static int pull_offer(adi_sim *s, adi_task t)
{
    pull *p = s->policy;
    if (p->idle_len) {
        size_t d = p->idle[p->idle_head];
        p->idle_head = (p->idle_head + 1) % s->n;
        p->idle_len--;
        return adi_sim_start(s, d, t) == 0 ? 1 : -1;
    }
    if (s->waiting >= s->cfg->capacity)
        return 0;
    if (adi_sim_enqueue(s, &p->queue, t) != 0)
        return -1;
    adi_sim_waiting_up(s);
    return 1;
}

static int pull_device_free(adi_sim *s, size_t d)
{
    pull *p = s->policy;
    if (p->queue.len) {
        adi_task t = adi_taskq_pop(&p->queue);
        s->waiting--;
        return adi_sim_start(s, d, t);
    }
    p->idle[(p->idle_head + p->idle_len) % s->n] = (uint32_t)d;
    p->idle_len++;
    return 0;
}

static int pull_offer_many(adi_sim *s, double created, uint64_t count, uint64_t *taken)
{
    pull *p = s->policy;
    adi_task t = {created, s->now};
    uint64_t k = 0;
    for (; k < count && p->idle_len; k++)
        if (pull_offer(s, t) < 0)
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

const adi_policy_ops adi_policy_pull_ops = {pull_init, pull_free, pull_offer, pull_device_free,
                                            pull_offer_many, NULL};
