/*
** policy/jsq.c — join the shortest queue, by expected work: for open
** workloads, each arrival joins a device's own FIFO at once, the one where
** it would finish soonest by the coordinator's reckoning, (tasks there + 1)
** x T_i (the tasks it holds, in service or waiting; T_i as the policy knows
** it, estimates, policy/estimate.h), ties to the lower index. pod.c, the
** power of d choices, runs the same ops over d devices drawn at random
** (jsq.h).
**
** Once it has joined, a task stays: a device serves only its own queue, so
** a device can idle while tasks wait at another (which one shared queue,
** pull, never does). Q bounds the waiting tasks of all the queues together;
** with overflow = block a task that does not fit is held for the device it
** chose (drawn once), and fits when that device is idle or a slot frees
** (room()). Over a network (results: it hears of a device from its
** outputs) each input leaves for its device on arrival, like static's, and
** a device's count drops when an output is in; nothing waits at the
** coordinator.
**
** Open workloads only (the scenario refuses a batch: at t = 0 every device
** is equally empty and the rule is a weighted split, `weighted`). No bound
** of its own: the checks of every open run (Little's law, the utilization
** law, throughput <= R) apply; no exact steady state is known for it.
** Cost: O(n) per arrival (jsq; pod O(d)), O(1) per completion.
*/
#include "policy/jsq.h"
#include "core/error.h"
#include "core/units.h"
#include "policy/estimate.h"
#include "sim/sim_int.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct jsq {
    adi_taskq *queue;     /* [n] */
    uint64_t *held;       /* [n] tasks it holds: in service (or sent) and waiting */
    uint32_t *perm;       /* [n] pod: the devices, shuffled in place for each draw */
    size_t choices;       /* devices looked at per arrival (n: all) */
    adi_estimate est;
    int holding;          /* a refused task is held for device `hold` */
    size_t hold;
} jsq;

void adi_jsq_free(adi_sim *s)
{
    jsq *p = s->policy;
    if (!p)
        return;
    adi_taskq_array_free(p->queue, s->n);
    free(p->held);
    free(p->perm);
    adi_estimate_free(&p->est);
    free(p);
    s->policy = NULL;
}

static int init_with(adi_sim *s, size_t choices)
{
    jsq *p = calloc(1, sizeof *p);
    s->policy = p;
    if (!p || adi_estimate_init(&p->est, s) != ADI_OK ||
        !(p->queue = adi_taskq_array_new(s->n)) ||
        !(p->held = calloc(s->n, sizeof *p->held)) ||
        !(p->perm = malloc(s->n * sizeof *p->perm))) {
        adi_jsq_free(s);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    for (size_t d = 0; d < s->n; d++)
        p->perm[d] = (uint32_t)d;
    p->choices = choices;
    return ADI_OK;
}

int adi_jsq_init(adi_sim *s) { return init_with(s, s->n); }

int adi_pod_init(adi_sim *s)
{
    const adi_sim_policy_params *prm = s->cfg->params ? s->cfg->params : &adi_sim_default_params;
    if (prm->choices < 1 || prm->choices > s->n)
        return adi_fail(ADI_EINPUT, "pod draws %llu of %zu devices: choices must be 1 to the "
                        "pool's size", (unsigned long long)prm->choices, s->n);
    return init_with(s, (size_t)prm->choices);
}

/* (held + 1) T_i of device d */
static double work(const adi_sim *s, const jsq *p, size_t d)
{
    return (double)(p->held[d] + 1) * adi_estimate_time(&p->est, s, d);
}

/* The device an arriving task joins. pod draws its d devices here (a
** partial shuffle of perm, from the run's stream); jsq looks at all. */
static size_t choose(adi_sim *s, jsq *p)
{
    size_t best = s->n;
    if (p->choices == s->n) {
        for (size_t d = 0; d < s->n; d++)
            if (best == s->n || work(s, p, d) < work(s, p, best))
                best = d;
        return best;
    }
    for (size_t j = 0; j < p->choices; j++) {
        size_t r = j + (size_t)gsl_rng_uniform_int(s->rng, (unsigned long)(s->n - j));
        uint32_t x = p->perm[j];
        p->perm[j] = p->perm[r];
        p->perm[r] = x;
        size_t d = p->perm[j];
        double wd = work(s, p, d);
        if (best == s->n || wd < work(s, p, best) || (wd == work(s, p, best) && d < best))
            best = d;
    }
    return best;
}

int adi_jsq_arrive(adi_sim *s, adi_task t)
{
    jsq *p = s->policy;
    size_t d = p->holding ? p->hold : choose(s, p);
    p->holding = 0;
    if (p->held[d] == 0) {
        p->held[d]++;
        return adi_sim_assign(s, d, t) == 0 ? 1 : -1;
    }
    if (s->waiting >= s->cfg->capacity) {
        if (s->cfg->overflow == ADI_OVERFLOW_BLOCK) { /* the producer holds it for d */
            p->holding = 1;
            p->hold = d;
        }
        return 0;
    }
    if (adi_sim_enqueue(s, &p->queue[d], t) != 0)
        return -1;
    adi_sim_waiting_up(s);
    p->held[d]++;
    return 1;
}

int adi_jsq_request(adi_sim *s, size_t d)
{
    jsq *p = s->policy;
    adi_estimate_done(&p->est, s, d);
    p->held[d]--;
    if (p->queue[d].len == 0)
        return 0;
    adi_task t = adi_taskq_pop(&p->queue[d]);
    s->waiting--;
    return adi_sim_assign(s, d, t);
}

int adi_jsq_room(const adi_sim *s)
{
    const jsq *p = s->policy;
    return s->waiting < s->cfg->capacity || (p->holding && p->held[p->hold] == 0);
}

int adi_jsq_net_arrive(adi_sim *s, adi_task t)
{
    jsq *p = s->policy;
    size_t d = choose(s, p);
    p->held[d]++;
    return adi_net_assign(s, d, t) == 0 ? 1 : -1;
}

int adi_jsq_net_request(adi_sim *s, size_t d)
{
    jsq *p = s->policy;
    p->held[d]--;
    return 0;
}

static const adi_policy_ops ops = {.init = adi_jsq_init, .free = adi_jsq_free,
                                   .arrive = adi_jsq_arrive, .request = adi_jsq_request,
                                   .room = adi_jsq_room};
static const adi_policy_ops net_ops = {.init = adi_jsq_init, .free = adi_jsq_free,
                                       .arrive = adi_jsq_net_arrive,
                                       .request = adi_jsq_net_request};

const adi_policy_claim adi_jsq_no_claims[] = {{NULL, ADI_CLAIM_EXACT, 0, NULL, NULL}};

int adi_jsq_predict(const adi_policy_pool *pool, char *out, size_t size)
{
    char x[32];
    snprintf(out, size, ">= %s", adi_format_time(pool->b->lower, x, sizeof x));
    return ADI_OK;
}

const adi_policy_desc adi_policy_jsq = {
    .name = "jsq",
    .help = "open workloads: each arrival joins the device queue where it would finish soonest",
    .ops = &ops,
    .keys = ADI_POLICY_KEY_ESTIMATES,
    .devices = ADI_DEVICES_ALL,
    .workloads = ADI_WORKLOADS_OPEN,
    .room = adi_policy_room_devices_plus_queue,
    .share = ADI_SHARE_SPEED,
    .claims = adi_jsq_no_claims,
    .predict = adi_jsq_predict,
    .style = {"#8B4513", 2},
    .exec = {.mode = ADI_EXEC_NONE,
             .limit = "jsq runs open workloads only, which the executor does not run"},
    .net = {.mode = ADI_SIM_NET_RESULTS, .ops = &net_ops, .window = ADI_NET_WINDOW_ALL,
            .claims = adi_jsq_no_claims,
            .rule = "each arrival's input leaves at once for the device it joins (the fewest "
                    "expected seconds of work, its outputs still due counted); nothing waits at "
                    "the coordinator"},
};
