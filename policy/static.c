/*
** policy/static.c — static partitioning: task k goes to device k mod n,
** fixed when the producer puts it, and each device works through its own
** FIFO. Counts are equal (they differ by at most one); there is no
** rebalancing, so a fast device idles while a slow one still has work.
** Capacity Q bounds the waiting tasks of all devices together, so a full
** system can block the producer even when the next task's device has an
** empty queue (head-of-line blocking, as with a real round-robin
** dispatcher). A task that goes straight into service does not wait, so Q
** does not limit it: the producer holding a task for device d puts it as
** soon as d is idle or a slot frees, whichever comes first (room() below;
** before, it waited for a slot while d idled). O(1) per task, one queue
** header per device.
**
** Its bound: with deterministic times and no blocking (Q = inf, or drop,
** which deals out what fits at t = 0 the same way) the makespan is exactly
** max_i k_i T_i with k_i = floor(m/n) + (i < m mod n). The executor runs it
** as fixed lists (thread i: tasks i, i + n, ...), and with a finite Q as
** per-device queues a producer feeds under the same rule (exec/execute.c).
**
** Over a network (sim/net.c, DESIGN.md) the split is the same but every
** input is sent when the producer puts it (a batch: all m at t = 0, in
** task order): a device's inputs share its link and arrive together, and
** it computes them in order. Nothing waits at the coordinator, so Q never
** fills (net_ops). A batch holds every input in flight at once: memory
** O(m), and each input's end recomputes the shares of its device's others,
** O((m/n)^2) in all (fine for the thousands of tasks such runs have).
*/
#include "core/error.h"
#include "core/units.h"
#include "policy/policy.h"
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct partition {
    adi_taskq *queue;    /* [n] */
    unsigned char *busy; /* [n] */
    size_t next;         /* device of the next task */
} partition;

static void static_free(adi_sim *s)
{
    partition *p = s->policy;
    if (!p)
        return;
    if (p->queue)
        for (size_t d = 0; d < s->n; d++)
            adi_taskq_free(&p->queue[d]);
    free(p->queue);
    free(p->busy);
    free(p);
    s->policy = NULL;
}

static int static_init(adi_sim *s)
{
    partition *p = calloc(1, sizeof *p);
    s->policy = p;
    if (p) {
        p->queue = calloc(s->n, sizeof *p->queue);
        p->busy = calloc(s->n, 1);
    }
    if (!p || !p->queue || !p->busy) {
        static_free(s);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    return ADI_OK;
}

static int static_arrive(adi_sim *s, adi_task t)
{
    partition *p = s->policy;
    size_t d = p->next;
    if (!p->busy[d]) {
        p->busy[d] = 1;
        if (adi_sim_assign(s, d, t) != 0)
            return -1;
    } else {
        if (s->waiting >= s->cfg->capacity)
            return 0; /* the task stays destined for d */
        if (adi_sim_enqueue(s, &p->queue[d], t) != 0)
            return -1;
        adi_sim_waiting_up(s);
    }
    p->next = d + 1 == s->n ? 0 : d + 1;
    return 1;
}

static int static_request(adi_sim *s, size_t d)
{
    partition *p = s->policy;
    if (p->queue[d].len == 0) {
        p->busy[d] = 0;
        return 0;
    }
    adi_task t = adi_taskq_pop(&p->queue[d]);
    s->waiting--;
    return adi_sim_assign(s, d, t);
}

/* The held task's device is idle, or a slot is free. */
static int static_room(const adi_sim *s)
{
    const partition *p = s->policy;
    return !p->busy[p->next] || s->waiting < s->cfg->capacity;
}

static const adi_policy_ops ops = {.init = static_init, .free = static_free,
                                   .arrive = static_arrive, .request = static_request,
                                   .room = static_room};

/* Over a network: every task's input leaves for its device when the
** producer puts it; the device holds and computes its inputs in order, so
** nothing waits at the coordinator and results need no answer. */
static int static_net_arrive(adi_sim *s, adi_task t)
{
    partition *p = s->policy;
    size_t d = p->next;
    p->next = d + 1 == s->n ? 0 : d + 1;
    return adi_net_assign(s, d, t) == 0 ? 1 : -1;
}

static int static_net_request(adi_sim *s, size_t d)
{
    (void)s;
    (void)d;
    return 0;
}

static const adi_policy_ops net_ops = {.init = static_init, .free = static_free,
                                       .arrive = static_net_arrive,
                                       .request = static_net_request};

static const adi_policy_claim no_claims[] = {{NULL, ADI_CLAIM_EXACT, 0, NULL, NULL}};

/* max_i k_i T_i, k_i the equal counts of the split */
static double dealt_makespan(const adi_policy_pool *pool)
{
    double worst = 0;
    for (size_t i = 0; i < pool->n; i++) {
        uint64_t k = pool->m / pool->n + (i < pool->m % pool->n);
        worst = fmax(worst, (double)k * pool->times[i]);
    }
    return worst;
}

static int unblocked(const adi_policy_pool *pool)
{
    return pool->capacity == ADI_CAPACITY_INF || pool->overflow == ADI_OVERFLOW_DROP;
}

static int dealt(const adi_policy_pool *pool, double *v) { *v = dealt_makespan(pool); return ADI_OK; }

static const adi_policy_claim claims[] = {
    {"makespan_eq_static", ADI_CLAIM_EXACT, 0, unblocked, dealt},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

static int predict(const adi_policy_pool *pool, char *out, size_t size)
{
    char x[32];
    snprintf(out, size, "%s%s",
             pool->deterministic && pool->capacity == ADI_CAPACITY_INF ? "" : ">= ",
             adi_format_time(dealt_makespan(pool), x, sizeof x));
    return ADI_OK;
}

static void split(const adi_policy_pool *pool, uint32_t *device)
{
    for (uint64_t k = 0; k < pool->m; k++)
        device[k] = (uint32_t)(k % pool->n);
}

const adi_policy_desc adi_policy_static = {
    .name = "static",
    .help = "equal split up front",
    .ops = &ops,
    .devices = ADI_DEVICES_ALL,
    .workloads = ADI_WORKLOADS_CLOSED | ADI_WORKLOADS_OPEN,
    .room = adi_policy_room_devices_plus_queue,
    .share = ADI_SHARE_EQUAL,
    .claims = claims,
    .predict = predict,
    .style = {"#009E73", 5},
    .exec = {.mode = ADI_EXEC_LISTS, .split = split, .finite_queue = 1},
    .net = {.mode = ADI_SIM_NET_RESULTS, .ops = &net_ops, .window = ADI_NET_WINDOW_ALL,
            .claims = no_claims,
            .rule = "every input is sent when the producer puts it (a batch: all at t = 0, in "
                    "task order), sharing the links; nothing waits at the coordinator, so Q "
                    "never fills"},
};
