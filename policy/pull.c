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
** A batch there is one message (adi_net_assign_batch: k inputs' bytes
** together, one service, k outputs' bytes), checked against R_b,net
** (model/network.h) instead of the greedy bound.
**
** Its keys run through other ops (the descriptor's variant), so that the
** default keeps the code and the speed above:
**   idle_choice  which waiting request takes a task that arrives: longest
**                (the ring above), fastest (a heap by (T_i, index), the
**                profiles' T_i) or random (uniform, from the run's stream);
**   pull_batch   b > 1: a request takes up to b waiting tasks and its device
**                runs them as one batch (adi_sim_assign_batch: one draw of
**                its task time scaled to T_i(k) / T_i). A batch leaves when b
**                wait, or the queue is full, or every task left is waiting,
**                or its oldest task has waited max_delay (a timer), whichever
**                is first; meanwhile idle devices wait for it to fill. b = 1
**                is pull exactly.
** With batches pull's makespan claims (which take one T_i per task) are
** not made; every run is checked against R_b instead of R (check/checks.c).
** The idle rules keep them: they hold for any greedy choice of idle device.
** Cost: O(log n) per idle device put or taken (fastest), O(1) otherwise;
** O(b) per batch.
*/
#include "policy/pull.h"
#include "core/error.h"
#include "core/units.h"
#include "model/batching.h"
#include "model/network.h"
#include "sim/sim_int.h"

#include <gsl/gsl_rng.h>
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
    return adi_sim_queue(s, &p->queue, t);
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
                                   .arrive_many = adi_pull_arrive_many, .shared_fifo = 1};
static const adi_policy_ops net_ops = {.init = adi_pull_init, .free = adi_pull_free,
                                       .arrive = adi_pull_net_arrive,
                                       .request = adi_pull_net_request,
                                       .arrive_many = adi_pull_net_arrive_many};

/* ---- the variants: another idle rule, or batches ---------------------------- */

typedef struct chosen {
    adi_taskq queue;
    adi_idle_choice rule;
    uint32_t *idle;   /* s->request_slots: a ring (longest), an array (random) or a */
    size_t head, len; /* heap by (T_i, index) (fastest) of the waiting requests */
    uint64_t b;       /* the most tasks a request takes */
    double max_delay; /* s */
    double timer_at;  /* s: the timer pending, or INFINITY */
    adi_task *take;   /* [b]: the batch being formed */
} chosen;

static void chosen_free(adi_sim *s)
{
    chosen *p = s->policy;
    if (!p)
        return;
    adi_taskq_free(&p->queue);
    free(p->idle);
    free(p->take);
    free(p);
    s->policy = NULL;
}

static int faster(const adi_sim *s, uint32_t a, uint32_t b)
{
    double x = s->cfg->device[a].mean, y = s->cfg->device[b].mean;
    return x < y || (x == y && a < b);
}

static void idle_put(adi_sim *s, chosen *p, uint32_t d)
{
    size_t slots = s->request_slots;
    if (p->rule == ADI_IDLE_LONGEST) {
        p->idle[(p->head + p->len++) % slots] = d;
        return;
    }
    size_t i = p->len++;
    if (p->rule == ADI_IDLE_FASTEST) /* sift up */
        for (; i > 0 && faster(s, d, p->idle[(i - 1) / 2]); i = (i - 1) / 2)
            p->idle[i] = p->idle[(i - 1) / 2];
    p->idle[i] = d;
}

static uint32_t idle_take(adi_sim *s, chosen *p)
{
    uint32_t d;
    if (p->rule == ADI_IDLE_LONGEST) {
        d = p->idle[p->head];
        p->head = (p->head + 1) % s->request_slots;
        p->len--;
        return d;
    }
    if (p->rule == ADI_IDLE_RANDOM) {
        size_t i = (size_t)gsl_rng_uniform_int(s->rng, (unsigned long)p->len);
        d = p->idle[i];
        p->idle[i] = p->idle[--p->len];
        return d;
    }
    d = p->idle[0]; /* the heap's root; sift the last entry down */
    uint32_t x = p->idle[--p->len];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= p->len)
            break;
        if (c + 1 < p->len && faster(s, p->idle[c + 1], p->idle[c]))
            c++;
        if (!faster(s, p->idle[c], x))
            break;
        p->idle[i] = p->idle[c];
        i = c;
    }
    if (p->len)
        p->idle[i] = x;
    return d;
}

static int chosen_init(adi_sim *s)
{
    const adi_sim_policy_params *prm = s->cfg->params ? s->cfg->params : &adi_sim_default_params;
    chosen *p = calloc(1, sizeof *p);
    s->policy = p;
    if (!p || !(p->idle = malloc(s->request_slots * sizeof *p->idle)) ||
        !(p->take = malloc(prm->batch * sizeof *p->take))) {
        chosen_free(s);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    adi_taskq_init(&p->queue);
    p->rule = prm->idle_choice;
    p->b = prm->batch;
    p->max_delay = prm->max_delay;
    p->timer_at = INFINITY;
    if (s->start_idle)
        for (size_t d = 0; d < s->n; d++)
            idle_put(s, p, (uint32_t)d);
    return ADI_OK;
}

/* A batch of w waiting (the oldest enqueued at `oldest`) leaves now. */
static int batch_closes(const adi_sim *s, const chosen *p, uint64_t w, double oldest)
{
    return w >= p->b || w >= s->cfg->capacity || w >= adi_sim_unstarted(s) ||
           oldest + p->max_delay <= s->now;
}

/* Gives waiting requests their batches while one may leave, counting t (a
** task arriving now, or NULL) as the newest waiting; then arms the timer
** of max_delay for a batch left filling. 1 when t was placed (in a batch or
** the queue), 0 when it was not (the queue is full), -1. */
PULL_BODY int dispatch(adi_sim *s, chosen *p, const adi_task *t, adi_sim_assign_fn assign,
                       adi_sim_assign_batch_fn assign_batch)
{
    int placed = t == NULL;
    for (;;) {
        uint64_t w = s->waiting + !placed;
        if (w == 0 || p->len == 0)
            break;
        double oldest = p->queue.len ? adi_taskq_peek(&p->queue).enqueued : t->enqueued;
        if (!batch_closes(s, p, w, oldest))
            break;
        uint32_t d = idle_take(s, p);
        uint64_t k = w < p->b ? w : p->b, j = 0;
        for (; j < k && p->queue.len; j++) {
            p->take[j] = adi_taskq_pop(&p->queue);
            s->waiting--;
        }
        if (j < k) {
            p->take[j++] = *t;
            placed = 1;
        }
        /* with b > 1 a batch of one is still a batch (T_i(1) = T_i): its
        ** assign_batch counts its mean in the device's mean_busy, which
        ** utilization_law checks busy against (adi_sim_assign does not) */
        if ((p->b == 1 ? assign(s, d, p->take[0]) : assign_batch(s, d, p->take, k)) != 0)
            return -1;
    }
    if (!placed && (placed = adi_sim_queue(s, &p->queue, *t)) != 1)
        return placed;
    if (p->len && s->waiting && isfinite(p->max_delay) && p->timer_at == INFINITY) {
        p->timer_at = adi_taskq_peek(&p->queue).enqueued + p->max_delay;
        if (adi_sim_timer(s, p->timer_at) != 0)
            return -1;
    }
    return placed;
}

PULL_BODY int chosen_timer_with(adi_sim *s, adi_sim_assign_fn assign,
                                adi_sim_assign_batch_fn assign_batch)
{
    chosen *p = s->policy;
    if (s->now < p->timer_at) /* an earlier timer's event: the pending one is later */
        return 0;
    p->timer_at = INFINITY;
    return dispatch(s, p, NULL, assign, assign_batch) < 0 ? -1 : 0;
}

static int chosen_arrive(adi_sim *s, adi_task t)
{
    return dispatch(s, s->policy, &t, adi_sim_assign, adi_sim_assign_batch);
}
static int chosen_request(adi_sim *s, size_t d)
{
    idle_put(s, s->policy, (uint32_t)d);
    return dispatch(s, s->policy, NULL, adi_sim_assign, adi_sim_assign_batch) < 0 ? -1 : 0;
}
static int chosen_timer(adi_sim *s)
{
    return chosen_timer_with(s, adi_sim_assign, adi_sim_assign_batch);
}

/* over a network: a batch is one message (adi_net_assign_batch) */
static int chosen_net_arrive(adi_sim *s, adi_task t)
{
    return dispatch(s, s->policy, &t, adi_net_assign, adi_net_assign_batch);
}
static int chosen_net_request(adi_sim *s, size_t d)
{
    idle_put(s, s->policy, (uint32_t)d);
    return dispatch(s, s->policy, NULL, adi_net_assign, adi_net_assign_batch) < 0 ? -1 : 0;
}
static int chosen_net_timer(adi_sim *s)
{
    return chosen_timer_with(s, adi_net_assign, adi_net_assign_batch);
}

static const adi_policy_ops chosen_ops = {.init = chosen_init, .free = chosen_free,
                                          .arrive = chosen_arrive, .request = chosen_request,
                                          .timer = chosen_timer};
static const adi_policy_ops chosen_net_ops = {.init = chosen_init, .free = chosen_free,
                                              .arrive = chosen_net_arrive,
                                              .request = chosen_net_request,
                                              .timer = chosen_net_timer};

static const adi_policy_ops *variant(const adi_sim_policy_params *prm, int network)
{
    if (prm->idle_choice == ADI_IDLE_LONGEST && prm->batch <= 1)
        return NULL;
    return network ? &chosen_net_ops : &chosen_ops;
}

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

/* One T_i per task: not with batches (which can beat C*) */
static int unbatched(const adi_policy_pool *pool) { return !pool->params || pool->params->batch <= 1; }

static const adi_policy_claim claims[] = {
    {"makespan_le_greedy", ADI_CLAIM_EXACT, -1, unbatched, greedy},
    {"makespan_ge_optimal", ADI_CLAIM_EXACT, +1, unbatched, optimal},
    {"makespan_le_sync_rounds", ADI_CLAIM_EXACT, -1, unbatched, rounds},
    {"makespan_le_sync_rounds", ADI_CLAIM_MEAN, -1, unbatched, rounds_expected},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

/* Over a network: the greedy bound with the per-task cycle (model/network.h). */
static int greedy_net(const adi_policy_pool *pool, double *v)
{
    *v = pool->nm->greedy_upper;
    return ADI_OK;
}

const adi_policy_claim adi_pull_net_claims[] = {
    {"makespan_le_greedy_net", ADI_CLAIM_EXACT, -1, unbatched, greedy_net},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

static int predict(const adi_policy_pool *pool, char *out, size_t size)
{
    char x[32], y[32];
    if (!unbatched(pool)) { /* m / R_b */
        double Rb;
        int rc = adi_batching_throughput_scaled(pool->times, pool->params->batch_scale, pool->n,
                                                pool->params->batch, &Rb);
        if (rc == ADI_OK)
            snprintf(out, size, ">= %s (batches)",
                     adi_format_time((double)pool->m / Rb, x, sizeof x));
        return rc;
    }
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
    .keys = ADI_POLICY_KEY_IDLE_CHOICE | ADI_POLICY_KEY_PULL_BATCH | ADI_POLICY_KEY_MAX_DELAY,
    .variant = variant,
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
                    "or waits at the coordinator; with pull_batch = b it takes up to b, sent as "
                    "one input of their bytes and answered by one output"},
};
