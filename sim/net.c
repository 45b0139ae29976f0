/*
** sim/net.c — the engine over a network (DESIGN.md "The network"): every
** task's input travels from the coordinator to its device and its output
** back, over a star whose bandwidth sim/flow.h shares max-min.
**
** A run with cfg->net uses this file's loop instead of sim.c's, and the
** policy's network ops, which deliver through adi_net_assign; the producer, the
** workloads, the policies and the metrics of a completion are sim.c's. A
** run without a network never reaches this file: it pays nothing for it.
**
** The protocol, one event per step (bench/peers/net_ref.c is the same
** protocol written plainly, and tests/test_net_engine.c compares the two
** on every completion time):
**   assign(d, t)  the policy sends t's input: its service time is drawn,
**                 t joins d's FIFO, and after L_d its S_in bytes flow down
**                 (0 bytes: it is in at once);
**   input in      d computes its inputs in arrival order (T drawn above);
**   computed      after L_d its output's S_out bytes flow up; a requesting
**                 policy's device (ADI_SIM_NET_REQUESTS) also sends a
**                 request, which reaches the coordinator L_d later, where
**                 ops->request(d) serves it (pull: the oldest queued task,
**                 or the request waits there);
**   output in     the task is done (latency, makespan: sim.c's complete);
**                 a policy that hears of free devices from their results
**                 (ADI_SIM_NET_RESULTS: sync) gets ops->request(d).
** At t = 0 a requesting policy's devices each send 1 + k requests.
**
** A device's inputs have one path and one size, so they arrive in the
** order they were sent, and likewise its outputs: each device keeps one
** FIFO of its tasks and three counters into it (sent, in, computing), and
** a task leaves at its head when its output is in. Ties: a flow that ends
** at the same instant as a timed event is handled first; timed events in
** the order they were scheduled (net_ref does the same, so both give the
** same bits).
**
** The split of a device's time: computing, or not computing while one of
** its own messages (request, input, output) is on its way ("transfer"), or
** neither ("wait": its request waits at the coordinator, or it is done).
** One comparison per change of a device's state.
**
** Batches (pull_batch = b > 1, adi_net_assign_batch): a request takes up
** to b tasks, which travel as one message: one input of k S_in bytes after
** L_d, one service of T_d(k) (drawn as without a network), one output of
** k S_out bytes, and all k are done when it is in. Messages of one device
** then differ in size, so a short one can overtake a long one on the same
** path: each device keeps its received messages and its computed ones in
** two lists through its slots (it computes in the order inputs arrive,
** and outputs start in the order computed), each flow's tag names its
** message, and a slot is freed once every message before it is done. Runs
** without batches keep the counters above: the loop is made twice, with
** and without batches, so they pay nothing for them.
**
** Cost: per task four events (request, input, computed, output) and two
** flows (sim/flow.h's cost of a start and an end), per batch the same;
** memory: the flows and the tasks each device holds at once (1 + k
** messages for a requesting policy plus outputs still moving; static holds
** its whole share), never m.
*/
#include "sim/sim_int.h"
#include "core/error.h"
#include "sim/flow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct net_slot {
    adi_task t;
    double service; /* s: its computation (its message's) */
    double start;   /* s: when it started computing */
    /* batches: the first slot of a message says how many tasks it holds
    ** (the next k - 1 slots hold the rest, with k = 0), its successor in a
    ** list of its device (NONE at the end) and whether its output is in */
    uint64_t next;
    uint32_t k;
    uint32_t done;
} net_slot;

#define NONE UINT64_MAX

typedef struct net_dev {
    net_slot *ring;      /* a power of two of slots */
    uint64_t cap;
    uint64_t head;       /* oldest task whose output is not in */
    uint64_t tail;       /* tasks sent to it */
    uint64_t in;         /* inputs received */
    uint64_t comp;       /* the task computing, or the next to compute */
    int computing;
    uint32_t inflight;   /* its messages on their way */
    double since;        /* s: its state's last change */
    double transfer;     /* s: not computing, something of its on the way */
    uint32_t down[3], up[3];
    uint32_t len;        /* of both paths */
    /* batches (head, tail and sent count slots, i.e. tasks; messages are
    ** named by their first slot) */
    uint64_t go;         /* the next message whose input's latency ends */
    uint64_t rx_head, rx_tail; /* received, not computed: in arrival order */
    uint64_t up_head, up_tail; /* computed, output's latency not over */
    uint64_t cur;        /* the message computing */
} net_dev;

typedef struct adi_net {
    adi_flownet *flows;
    net_dev *dev;        /* [n] */
    double last_done;    /* s: the latest completion */
    int batched;         /* params->batch > 1: messages of several tasks */
} adi_net;

/* Before a device's state changes: its time since the last change, within
** [0, makespan] (once every task is done, requests still arriving are past
** the makespan: the last completion, s->net->last_done). */
static inline void account(const adi_sim *s, net_dev *dv)
{
    if (!dv->computing && dv->inflight) {
        double until = s->now;
        if (s->completed + s->dropped == s->cfg->tasks && until > s->net->last_done)
            until = s->net->last_done;
        if (until > dv->since)
            dv->transfer += until - dv->since;
    }
    dv->since = s->now;
}

static int grow(net_dev *dv)
{
    uint64_t cap = dv->cap * 2;
    net_slot *ring = malloc(cap * sizeof *ring);
    if (!ring)
        return -1;
    for (uint64_t i = dv->head; i < dv->tail; i++)
        ring[i & (cap - 1)] = dv->ring[i & (dv->cap - 1)];
    free(dv->ring);
    dv->ring = ring;
    dv->cap = cap;
    return 0;
}

static inline net_slot *slot(net_dev *dv, uint64_t i) { return &dv->ring[i & (dv->cap - 1)]; }

/* t's input leaves for d (after its latency). */
int adi_net_assign(adi_sim *s, size_t d, adi_task t)
{
    net_dev *dv = &s->net->dev[d];
    double service = adi_sampler_draw(&s->cfg->device[d], s->rng);
    s->started++;
    if (service > s->max_service)
        s->max_service = service;
    if (dv->tail - dv->head == dv->cap && grow(dv) != 0)
        return -1;
    net_slot *x = slot(dv, dv->tail++); /* (a run without batches: one task a slot) */
    x->t = t;
    x->service = service;
    x->start = 0;
    account(s, dv);
    dv->inflight++;
    return adi_sim_schedule(s, s->now + s->cfg->net->link[d].latency, ADI_SIM_EV_INPUT_GO,
                            (uint32_t)d);
}

static int send_request(adi_sim *s, size_t d)
{
    net_dev *dv = &s->net->dev[d];
    account(s, dv);
    dv->inflight++;
    return adi_sim_schedule(s, s->now + s->cfg->net->link[d].latency, ADI_SIM_EV_REQUEST,
                            (uint32_t)d);
}

static int start_compute(adi_sim *s, size_t d)
{
    net_dev *dv = &s->net->dev[d];
    if (dv->computing || dv->comp == dv->in)
        return 0;
    account(s, dv);
    dv->computing = 1;
    net_slot *x = slot(dv, dv->comp);
    x->start = s->now;
    s->dev[d].busy += x->service;
    return adi_sim_schedule(s, s->now + x->service, ADI_SIM_EV_COMPUTED, (uint32_t)d);
}

static int input_in(adi_sim *s, size_t d)
{
    net_dev *dv = &s->net->dev[d];
    account(s, dv);
    dv->inflight--;
    dv->in++;
    return start_compute(s, d);
}

static int output_in(adi_sim *s, size_t d)
{
    net_dev *dv = &s->net->dev[d];
    account(s, dv);
    dv->inflight--;
    net_slot x = *slot(dv, dv->head++);
    s->net->last_done = s->now;
    s->dev[d].observed += x.service;
    s->dev[d].observed_n++;
    if (adi_sim_complete(s, d, x.t, x.start, x.start + x.service) != 0)
        return -1;
    if (s->cfg->on_done)
        s->cfg->on_done(s->cfg->on_done_arg, d, s->now);
    if (s->cfg->net_mode == ADI_SIM_NET_RESULTS && s->ops->request(s, d) != 0)
        return -1;
    return adi_sim_wake_producer(s);
}

/* A transfer's latency is over: its bytes start to move (none: it is in). */
static int transfer(adi_sim *s, size_t d, int up)
{
    const adi_sim_net *cfg = s->cfg->net;
    double bytes = up ? cfg->s_out : cfg->s_in;
    if (bytes == 0)
        return up ? output_in(s, d) : input_in(s, d);
    net_dev *dv = &s->net->dev[d];
    uint32_t id;
    return adi_flow_start(s->net->flows, bytes, up ? dv->up : dv->down, dv->len,
                          (uint64_t)d * 2 + (uint64_t)up, &id) == ADI_OK ? 0 : -1;
}

static int on_computed(adi_sim *s, size_t d)
{
    net_dev *dv = &s->net->dev[d];
    account(s, dv);
    dv->computing = 0;
    dv->comp++;
    dv->inflight++;
    double later = s->now + s->cfg->net->link[d].latency;
    if (adi_sim_schedule(s, later, ADI_SIM_EV_OUTPUT_GO, (uint32_t)d) != 0)
        return -1;
    if (s->cfg->net_mode == ADI_SIM_NET_REQUESTS && send_request(s, d) != 0)
        return -1;
    return start_compute(s, d);
}

static inline __attribute__((always_inline)) int on_request(adi_sim *s, size_t d)
{
    net_dev *dv = &s->net->dev[d];
    account(s, dv);
    dv->inflight--;
    if (s->ops->request(s, d) != 0)
        return -1;
    return adi_sim_wake_producer(s);
}

/* ---- batches: messages of k tasks (see the top) ---------------------------- */

/* Out of the way of runs without batches (noinline): they keep the
** inlining they had, adi_sim_schedule and the draw inlined at every call
** above (bench_net's star under callgrind: as many instructions a task as
** without batches, 2196; 66 more when these inlined them too, since GCC
** then inlined them nowhere). */
#define COLD static __attribute__((noinline))

COLD int batch_schedule(adi_sim *s, double time, uint32_t kind, size_t d)
{
    return adi_sim_schedule(s, time, kind, (uint32_t)d);
}

COLD double batch_draw(const adi_sampler *dev, gsl_rng *rng) { return adi_sampler_draw(dev, rng); }

static void list_push(net_dev *dv, uint64_t *head, uint64_t *tail, uint64_t x)
{
    slot(dv, x)->next = NONE;
    if (*head == NONE)
        *head = x;
    else
        slot(dv, *tail)->next = x;
    *tail = x;
}

static uint64_t list_pop(net_dev *dv, uint64_t *head)
{
    uint64_t x = *head;
    *head = slot(dv, x)->next;
    return x;
}

int adi_net_assign_batch(adi_sim *s, size_t d, const adi_task *tasks, uint64_t k)
{
    net_dev *dv = &s->net->dev[d];
    const adi_sampler *dev = &s->cfg->device[d];
    double scale = s->cfg->params->batch_scale[d][k];
    double service = batch_draw(dev, s->rng) * scale;
    s->mean_busy[d] += dev->mean * scale;
    s->started += k;
    if (service > s->max_service)
        s->max_service = service;
    while (dv->tail - dv->head + k > dv->cap)
        if (grow(dv) != 0)
            return -1;
    for (uint64_t j = 0; j < k; j++)
        *slot(dv, dv->tail + j) = (net_slot){tasks[j], service, 0, NONE, j ? 0 : (uint32_t)k, 0};
    dv->tail += k;
    account(s, dv);
    dv->inflight++;
    return batch_schedule(s, s->now + s->cfg->net->link[d].latency, ADI_SIM_EV_INPUT_GO, d);
}

static int batch_start_compute(adi_sim *s, size_t d)
{
    net_dev *dv = &s->net->dev[d];
    if (dv->computing || dv->rx_head == NONE)
        return 0;
    account(s, dv);
    dv->computing = 1;
    dv->cur = list_pop(dv, &dv->rx_head);
    net_slot *x = slot(dv, dv->cur);
    x->start = s->now;
    s->dev[d].busy += x->service;
    return batch_schedule(s, s->now + x->service, ADI_SIM_EV_COMPUTED, d);
}

static int batch_input_in(adi_sim *s, size_t d, uint64_t x)
{
    net_dev *dv = &s->net->dev[d];
    account(s, dv);
    dv->inflight--;
    list_push(dv, &dv->rx_head, &dv->rx_tail, x);
    return batch_start_compute(s, d);
}

/* Message x's output is in: its k tasks are done; the slots of the
** messages done from the oldest on are freed. */
static int batch_output_in(adi_sim *s, size_t d, uint64_t x)
{
    net_dev *dv = &s->net->dev[d];
    account(s, dv);
    dv->inflight--;
    net_slot *h = slot(dv, x);
    h->done = 1;
    s->net->last_done = s->now;
    s->dev[d].observed += h->service;
    s->dev[d].observed_n += h->k;
    double start = h->start, end = h->start + h->service;
    for (uint64_t j = x; j < x + h->k; j++) {
        if (adi_sim_complete(s, d, slot(dv, j)->t, start, end) != 0)
            return -1;
        if (s->cfg->on_done)
            s->cfg->on_done(s->cfg->on_done_arg, d, s->now);
    }
    while (dv->head < dv->tail && slot(dv, dv->head)->done)
        dv->head += slot(dv, dv->head)->k;
    if (s->cfg->net_mode == ADI_SIM_NET_RESULTS && s->ops->request(s, d) != 0)
        return -1;
    return adi_sim_wake_producer(s);
}

/* A message's latency is over: its bytes start to move, tagged with the
** message (none: it is in). Inputs end their latency in the order they
** were sent, outputs in the order they were computed. */
static int batch_transfer(adi_sim *s, size_t d, int up)
{
    const adi_sim_net *cfg = s->cfg->net;
    net_dev *dv = &s->net->dev[d];
    uint64_t x;
    if (up) {
        x = list_pop(dv, &dv->up_head);
    } else {
        x = dv->go;
        dv->go += slot(dv, x)->k;
    }
    double bytes = (double)slot(dv, x)->k * (up ? cfg->s_out : cfg->s_in);
    if (bytes == 0)
        return up ? batch_output_in(s, d, x) : batch_input_in(s, d, x);
    uint32_t id;
    uint64_t tag = (x * (uint64_t)s->n + d) * 2 + (uint64_t)up;
    return adi_flow_start(s->net->flows, bytes, up ? dv->up : dv->down, dv->len, tag, &id) ==
                   ADI_OK ? 0 : -1;
}

static int batch_on_computed(adi_sim *s, size_t d)
{
    net_dev *dv = &s->net->dev[d];
    account(s, dv);
    dv->computing = 0;
    list_push(dv, &dv->up_head, &dv->up_tail, dv->cur);
    dv->inflight++;
    double later = s->now + s->cfg->net->link[d].latency;
    if (batch_schedule(s, later, ADI_SIM_EV_OUTPUT_GO, d) != 0)
        return -1;
    if (s->cfg->net_mode == ADI_SIM_NET_REQUESTS && send_request(s, d) != 0)
        return -1;
    return batch_start_compute(s, d);
}

/* A flow is through: tag (message x of device d, up or down). */
COLD int batch_flow_in(adi_sim *s, uint64_t tag)
{
    uint64_t md = tag >> 1, x = md / s->n;
    size_t d = (size_t)(md % s->n);
    return tag & 1 ? batch_output_in(s, d, x) : batch_input_in(s, d, x);
}

COLD int on_batch_event(adi_sim *s, uint32_t kind, size_t who)
{
    switch (kind) {
    case ADI_SIM_EV_INPUT_GO: return batch_transfer(s, who, 0);
    case ADI_SIM_EV_COMPUTED: return batch_on_computed(s, who);
    case ADI_SIM_EV_OUTPUT_GO: return batch_transfer(s, who, 1);
    default: return -1;
    }
}

/* ---- the loop -------------------------------------------------------------- */

static inline __attribute__((always_inline)) int on_event(adi_sim *s, adi_event e,
                                                          const int batched)
{
    uint32_t who = adi_event_who(&s->events, e);
    uint32_t kind = adi_event_kind(&s->events, e);
    switch (kind) {
    case ADI_SIM_EV_REQUEST: return on_request(s, who);
    case ADI_SIM_EV_INPUT_GO: return batched ? on_batch_event(s, kind, who) : transfer(s, who, 0);
    case ADI_SIM_EV_COMPUTED: return batched ? on_batch_event(s, kind, who) : on_computed(s, who);
    case ADI_SIM_EV_OUTPUT_GO: return batched ? on_batch_event(s, kind, who) : transfer(s, who, 1);
    case ADI_SIM_EV_PREPARED: return adi_sim_on_prepared(s);
    case ADI_SIM_EV_ARRIVAL: return adi_sim_on_arrival(s);
    case ADI_SIM_EV_TIMER: return s->ops->timer ? s->ops->timer(s) : 0;
    default: return -1;
    }
}

/* The loop, made twice from this body (always inlined with a constant
** `batched`): a run without batches pays nothing for them. */
static inline __attribute__((always_inline)) int loop_with(adi_sim *s, const int batched)
{
    adi_flownet *flows = s->net->flows;
    if (s->cfg->net_mode == ADI_SIM_NET_REQUESTS)
        for (size_t d = 0; d < s->n; d++)
            for (uint64_t j = 0; j <= s->cfg->net->prefetch; j++)
                if (send_request(s, d) != 0)
                    return -1;
    if (adi_sim_begin(s) != 0)
        return -1;
    for (;;) {
        double tf = INFINITY;
        uint32_t id = 0;
        int flow = adi_flow_next(flows, &tf, &id);
        double te = s->events.len ? s->events.heap[0].time : INFINITY;
        int rc;
        if (flow && tf <= te && isfinite(tf)) {
            s->now = tf;
            if (adi_flow_advance(flows, tf) != ADI_OK)
                return -1;
            uint64_t tag = adi_flow_tag(flows, id);
            if (adi_flow_remove(flows, id) != ADI_OK)
                return -1;
            rc = batched ? batch_flow_in(s, tag)
                 : tag & 1 ? output_in(s, (size_t)(tag >> 1)) : input_in(s, (size_t)(tag >> 1));
        } else if (s->events.len) {
            adi_event e = s->events.heap[0];
            s->top_consumed = 1;
            s->now = e.time;
            if (adi_flow_advance(flows, e.time) != ADI_OK)
                return -1;
            rc = on_event(s, e, batched);
            if (s->top_consumed) { /* nothing was scheduled in its place */
                s->top_consumed = 0;
                adi_events_pop(&s->events);
            }
        } else {
            return 0;
        }
        if (rc != 0)
            return -1;
    }
}

int adi_net_loop(adi_sim *s) { return s->net->batched ? loop_with(s, 1) : loop_with(s, 0); }

/* Whole bytes from 0 to 2^53 (what every peer can represent exactly). */
static int bad_size(double b)
{
    return !(b >= 0 && b <= 0x1p53 && b == floor(b));
}

static int bad_bw(double b) { return !(b > 0); } /* INFINITY is fine */

static int check_net(const adi_sim_config *c)
{
    const adi_sim_net *net = c->net;
    if (!net->link || (net->nseg && !net->seg_bw))
        return adi_fail(ADI_EINTERNAL, "a network needs every device's link");
    for (size_t i = 0; i < c->n_devices; i++) {
        const adi_sim_link *l = &net->link[i];
        if (bad_bw(l->bw) || !(l->latency >= 0 && isfinite(l->latency)) || l->segment < -1 ||
            (l->segment >= 0 && (size_t)l->segment >= net->nseg))
            return adi_fail(ADI_EINPUT, "device %zu: a link needs a bandwidth > 0, a latency "
                            ">= 0 and a known segment (got %g B/s, %g s, segment %ld)", i,
                            l->bw, l->latency, l->segment);
    }
    for (size_t g = 0; g < net->nseg; g++)
        if (bad_bw(net->seg_bw[g]))
            return adi_fail(ADI_EINPUT, "segment %zu: bandwidth must be > 0, got %g", g,
                            net->seg_bw[g]);
    if (bad_bw(net->coord_bw))
        return adi_fail(ADI_EINPUT, "the coordinator's bandwidth must be > 0, got %g",
                        net->coord_bw);
    if (bad_size(net->s_in) || bad_size(net->s_out))
        return adi_fail(ADI_EINPUT, "task sizes must be whole bytes from 0 to 2^53, got %g and %g",
                        net->s_in, net->s_out);
    if (net->prefetch > ADI_SIM_NET_MAX_OUT / c->n_devices - 1)
        return adi_fail(ADI_EINPUT, "prefetch %llu on %zu devices: more than %llu requests "
                        "out at once", (unsigned long long)net->prefetch, c->n_devices,
                        (unsigned long long)ADI_SIM_NET_MAX_OUT);
    return ADI_OK;
}

int adi_net_init(adi_sim *s)
{
    const adi_sim_net *cfg = s->cfg->net;
    int rc = check_net(s->cfg);
    if (rc != ADI_OK)
        return rc;
    size_t n = s->n, nres = 2 * n + 2 * cfg->nseg + 2;
    adi_net *net = calloc(1, sizeof *net);
    double *cap = malloc(nres * sizeof *cap);
    s->net = net;
    if (!net || !cap || !(net->dev = calloc(n, sizeof *net->dev))) {
        free(cap);
        return adi_fail(ADI_ENOMEM, "out of memory for a network of %zu devices", n);
    }
    /* Resources: device i up 2i, down 2i + 1; segment g up 2n + 2g, down
    ** 2n + 2g + 1; the coordinator up 2n + 2 nseg, down that + 1 (net_ref's). */
    for (size_t i = 0; i < n; i++)
        cap[2 * i] = cap[2 * i + 1] = cfg->link[i].bw;
    for (size_t g = 0; g < cfg->nseg; g++)
        cap[2 * n + 2 * g] = cap[2 * n + 2 * g + 1] = cfg->seg_bw[g];
    cap[nres - 2] = cap[nres - 1] = cfg->coord_bw;
    rc = adi_flow_new(&net->flows, nres, cap);
    free(cap);
    if (rc != ADI_OK)
        return rc;
    uint64_t cap0 = 4;
    while (cap0 < 2 * (cfg->prefetch + 1))
        cap0 *= 2;
    for (size_t i = 0; i < n; i++) {
        net_dev *dv = &net->dev[i];
        uint32_t len = 0;
        dv->up[len] = (uint32_t)(2 * i);
        dv->down[len++] = (uint32_t)(2 * i + 1);
        if (cfg->link[i].segment >= 0) {
            dv->up[len] = (uint32_t)(2 * n + 2 * (size_t)cfg->link[i].segment);
            dv->down[len] = dv->up[len] + 1;
            len++;
        }
        dv->up[len] = (uint32_t)(nres - 2);
        dv->down[len++] = (uint32_t)(nres - 1);
        dv->len = len;
        dv->cap = s->cfg->net_mode == ADI_SIM_NET_REQUESTS ? cap0 : 4;
        dv->rx_head = dv->up_head = NONE;
        if (!(dv->ring = malloc(dv->cap * sizeof *dv->ring)))
            return adi_fail(ADI_ENOMEM, "out of memory for a network of %zu devices", n);
    }
    net->batched = s->batch_max > 1;
    s->start_idle = 0;
    s->request_slots = s->cfg->net_mode == ADI_SIM_NET_REQUESTS ? n * (size_t)(cfg->prefetch + 1)
                                                                 : n;
    return ADI_OK;
}

void adi_net_results(const adi_sim *s, adi_run_result *r)
{
    for (size_t d = 0; d < s->n; d++)
        r->device[d].transfer = s->net->dev[d].transfer;
}

void adi_net_free(adi_sim *s)
{
    adi_net *net = s->net;
    if (!net)
        return;
    adi_flow_free(net->flows);
    for (size_t i = 0; net->dev && i < s->n; i++)
        free(net->dev[i].ring);
    free(net->dev);
    free(net);
    s->net = NULL;
}
