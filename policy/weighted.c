/*
** policy/weighted.c — a static split in proportion to speed: the counts
** behind the optimal makespan C* (model/split.h), fixed before the run.
** Task after task is dealt in the order of the split's list schedule
** (policy/deal.h: device i's k-th task is due at k T_i, ties to the lower
** index), so the first m tasks dealt are the weighted split of m, and each
** device works through its own FIFO. Like static there is no rebalancing,
** and Q bounds the waiting tasks of all devices together (head-of-line
** blocking: a task that starts at once does not wait, so Q does not limit
** it; room() below).
**
** With estimates = online the split is made with what the coordinator knows
** before the run, the pool's mean for every device: the equal split (the
** cost of not knowing the devices, for a policy that cannot learn: it is
** static). Over a network the T_i become each device's least time per task
** with every input sent at once (the model's hidden cycle, max(T_i, S_in /
** B_i, S_out / B_i)), and, as static does there, every input leaves for its
** device when the producer puts it (a batch: all at t = 0, in deal order).
**
** Its bound: with deterministic times, a batch at t = 0, a free producer
** and Q = inf, the makespan is exactly max_i c_i T_i, which is C* for the
** weighted split (proved in model/split.h; the equal split's for online
** estimates). A batch with overflow = drop and a finite Q is refused: the
** tasks kept at t = 0 would depend on which devices the split leaves
** without work. O(log n) per task (the deal), one queue header per device.
*/
#include "core/error.h"
#include "core/units.h"
#include "model/split.h"
#include "policy/deal.h"
#include "policy/estimate.h"
#include "policy/policy.h"
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct weighted {
    adi_taskq *queue;    /* [n] */
    unsigned char *busy; /* [n] */
    adi_deal deal;
} weighted;

static void weighted_free(adi_sim *s)
{
    weighted *p = s->policy;
    if (!p)
        return;
    if (p->queue)
        for (size_t d = 0; d < s->n; d++)
            adi_taskq_free(&p->queue[d]);
    free(p->queue);
    free(p->busy);
    adi_deal_free(&p->deal);
    free(p);
    s->policy = NULL;
}

static int weighted_init(adi_sim *s)
{
    weighted *p = calloc(1, sizeof *p);
    s->policy = p;
    double *cycle = malloc(s->n * sizeof *cycle);
    adi_estimate e;
    int rc = adi_estimate_init(&e, s);
    if (rc != ADI_OK || !p || !cycle || !(p->queue = calloc(s->n, sizeof *p->queue)) ||
        !(p->busy = calloc(s->n, 1))) {
        free(cycle);
        adi_estimate_free(&e);
        weighted_free(s);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    for (size_t d = 0; d < s->n; d++) /* before the run: nothing observed yet */
        cycle[d] = adi_estimate_cycle(&e, s, d, UINT64_MAX);
    adi_estimate_free(&e);
    rc = adi_deal_init(&p->deal, cycle, s->n, 1);
    free(cycle);
    if (rc != ADI_OK)
        weighted_free(s);
    return rc;
}

static int weighted_arrive(adi_sim *s, adi_task t)
{
    weighted *p = s->policy;
    size_t d = adi_deal_peek(&p->deal);
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
    adi_deal_take(&p->deal);
    return 1;
}

static int weighted_request(adi_sim *s, size_t d)
{
    weighted *p = s->policy;
    if (p->queue[d].len == 0) {
        p->busy[d] = 0;
        return 0;
    }
    adi_task t = adi_taskq_pop(&p->queue[d]);
    s->waiting--;
    return adi_sim_assign(s, d, t);
}

/* The held task's device is idle, or a slot is free. */
static int weighted_room(const adi_sim *s)
{
    const weighted *p = s->policy;
    return !p->busy[adi_deal_peek(&p->deal)] || s->waiting < s->cfg->capacity;
}

static const adi_policy_ops ops = {.init = weighted_init, .free = weighted_free,
                                   .arrive = weighted_arrive, .request = weighted_request,
                                   .room = weighted_room};

/* Over a network: each input leaves for its device when it is put. */
static int weighted_net_arrive(adi_sim *s, adi_task t)
{
    weighted *p = s->policy;
    return adi_net_assign(s, adi_deal_take(&p->deal), t) == 0 ? 1 : -1;
}

static int weighted_net_request(adi_sim *s, size_t d)
{
    (void)s;
    (void)d;
    return 0;
}

static const adi_policy_ops net_ops = {.init = weighted_init, .free = weighted_free,
                                       .arrive = weighted_net_arrive,
                                       .request = weighted_net_request};

/* The split the run makes: weighted by the T_i, or (online estimates) by
** the pool's mean for all, which is the equal split. */
static int split_of(const adi_policy_pool *pool, uint64_t *count)
{
    if (pool->params && pool->params->estimates == ADI_ESTIMATES_ONLINE) {
        adi_split_equal(pool->n, pool->m, count);
        return ADI_OK;
    }
    return adi_split_weighted(pool->times, pool->n, pool->m, count, NULL);
}

/* max_i c_i T_i of that split */
static int split_makespan(const adi_policy_pool *pool, double *v)
{
    uint64_t *count = malloc(pool->n * sizeof *count);
    if (!count)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = split_of(pool, count);
    if (rc == ADI_OK)
        *v = adi_split_makespan(pool->times, count, pool->n);
    free(count);
    return rc;
}

static int unbounded(const adi_policy_pool *pool) { return pool->capacity == ADI_CAPACITY_INF; }

static const adi_policy_claim claims[] = {
    {"makespan_eq_weighted", ADI_CLAIM_EXACT, 0, unbounded, split_makespan},
    {"makespan_ge_optimal", ADI_CLAIM_EXACT, +1, NULL, adi_policy_claim_optimal},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

static const adi_policy_claim no_claims[] = {{NULL, ADI_CLAIM_EXACT, 0, NULL, NULL}};

static int predict(const adi_policy_pool *pool, char *out, size_t size)
{
    double v;
    int rc = split_makespan(pool, &v);
    char x[32];
    if (rc == ADI_OK)
        snprintf(out, size, "%s%s", pool->deterministic && unbounded(pool) ? "" : ">= ",
                 adi_format_time(v, x, sizeof x));
    return rc;
}

static void split(const adi_policy_pool *pool, uint32_t *device)
{
    adi_deal deal; /* online estimates plan with the pool's mean: round robin */
    int by_speed = !(pool->params && pool->params->estimates == ADI_ESTIMATES_ONLINE);
    if (adi_deal_init(&deal, pool->times, pool->n, by_speed) != ADI_OK) {
        for (uint64_t k = 0; k < pool->m; k++) /* no memory: a split the executor refuses */
            device[k] = UINT32_MAX;
        return;
    }
    for (uint64_t k = 0; k < pool->m; k++)
        device[k] = (uint32_t)adi_deal_take(&deal);
    adi_deal_free(&deal);
}

const adi_policy_desc adi_policy_weighted = {
    .name = "weighted",
    .help = "split in proportion to speed up front (the counts behind C*)",
    .ops = &ops,
    .keys = ADI_POLICY_KEY_ESTIMATES,
    .drop_limit = "it deals the tasks by speed, so which ones fit at t = 0 depends on the split",
    .devices = ADI_DEVICES_ALL,
    .workloads = ADI_WORKLOADS_CLOSED | ADI_WORKLOADS_OPEN,
    .room = adi_policy_room_devices_plus_queue,
    .share = ADI_SHARE_SPEED,
    .claims = claims,
    .predict = predict,
    .style = {"#CC79A7", 11},
    .exec = {.mode = ADI_EXEC_LISTS, .split = split, .finite_queue = 1},
    .net = {.mode = ADI_SIM_NET_RESULTS, .ops = &net_ops, .window = ADI_NET_WINDOW_ALL,
            .claims = no_claims,
            .rule = "every input is sent when the producer puts it, to the device the split "
                    "(by each device's time per task with its transfers) deals it to"},
};
