/*
** sim/sim.c — the discrete-event loop, the producer and the metrics.
**
** Three kinds of event exist: a device finishing its task, the producer
** finishing the preparation of a task (only when submit_cost > 0), and an
** arrival of an open workload. With submit_cost = 0 the producer works
** inline, so a batch costs one event per task. Everything a policy decides
** happens in its arrive()/request() callbacks and a workload says what it
** is through next()/identical() or gap() (sim_int.h): the engine has no
** branch on which policy or workload runs. One exception, by capability,
** not by name: ops that declare shared_fifo (pull's and serial's own), once
** a batch is put whole, get the fused loop below, the same steps without a
** call per task (fusable(), fused_loop()).
**
** Cost per task (callgrind, 16 devices, exponential times): about 263
** instructions on the fused loop, 338 on the general one, of which the
** event heap's sift is about 100 (docs/performance.md).
**
** Timing of producer stretches: while it neither idles nor blocks, the
** producer finishes task j of the stretch at base + (j + 1) * submit_cost,
** computed from base each time rather than accumulated, so the queue can
** store the stretch as one segment and reproduce each enqueue time exactly.
*/
#include "sim/sim_int.h"
#include "sim/taus.h"
#include "core/error.h"
#include "core/units.h"
#include "sim/select.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const adi_sim_policy_params adi_sim_default_params = {
    .idle_choice = ADI_IDLE_LONGEST, .batch = 1, .max_delay = INFINITY,
    .estimates = ADI_ESTIMATES_EXACT, .choices = 2, .victim = ADI_VICTIM_LONGEST,
    .steal_start = ADI_STEAL_START_WEIGHTED, .batch_scale = NULL};

static const char *const overflow_names[ADI_OVERFLOW_COUNT] = {"block", "drop"};

const char *adi_overflow_name(adi_overflow o) { return o < ADI_OVERFLOW_COUNT ? overflow_names[o] : "?"; }

static const char *overflow_at(size_t i) { return overflow_names[i]; }

int adi_overflow_parse(const char *name, adi_overflow *o)
{
    size_t i;
    int rc = adi_parse_choice(name, overflow_at, ADI_OVERFLOW_COUNT, &i);
    if (rc == ADI_OK)
        *o = (adi_overflow)i;
    return rc;
}

/* Is this task one the steady-state estimates count? */
static inline int counted(const adi_sim *s, adi_task t)
{
    return s->window && t.created >= s->window_open;
}

/* Device d starts t now: its service time, drawn. */
static inline __attribute__((always_inline)) double start(adi_sim *s, size_t d, adi_task t)
{
    double service = adi_sampler_draw(&s->cfg->device[d], s->rng);
    s->dev[d].current = t;
    s->dev[d].start = s->now;
    s->dev[d].busy += service;
    s->started++;
    if (service > s->max_service)
        s->max_service = service;
    return service;
}

int adi_sim_assign(adi_sim *s, size_t d, adi_task t)
{
    double service = start(s, d, t);
    return adi_sim_schedule(s, s->now + service, ADI_SIM_EV_DONE, (uint32_t)d);
}

int adi_sim_assign_batch(adi_sim *s, size_t d, const adi_task *tasks, uint64_t k)
{
    const adi_sampler *dev = &s->cfg->device[d];
    double scale = s->cfg->params->batch_scale[d][k];
    double service = adi_sampler_draw(dev, s->rng) * scale;
    memcpy(&s->batch[d * s->batch_max], tasks, k * sizeof *tasks);
    s->batch_len[d] = (uint32_t)k;
    s->dev[d].start = s->now;
    s->dev[d].busy += service;
    s->mean_busy[d] += dev->mean * scale;
    s->started += k;
    if (service > s->max_service)
        s->max_service = service;
    return adi_sim_schedule(s, s->now + service, ADI_SIM_EV_BATCH, (uint32_t)d);
}

/* Gives the producer its next task, if one exists yet: an open workload's
** oldest arrival not yet taken, or a closed workload's next. */
static int next_task(adi_sim *s, adi_task *t)
{
    if (s->wl->gap) {
        if (s->backlog.len == 0)
            return 0;
        *t = adi_taskq_pop(&s->backlog);
    } else if (!s->wl->next(s, t)) {
        return 0;
    }
    s->handed++;
    return 1;
}

/* The producer puts t, entering the queue at enq_base + enq_index *
** enq_step (== now). On no room it blocks or drops. 0, or -1 (memory). */
static int put(adi_sim *s, adi_task t)
{
    t.enqueued = s->enq_step == 0 ? s->enq_base
                                  : s->enq_base + (double)s->enq_index * s->enq_step;
    int taken = s->ops->arrive(s, t);
    if (taken < 0)
        return -1;
    if (taken) {
        adi_sim_touch(s);
        s->in_system++;
    } else if (s->cfg->overflow == ADI_OVERFLOW_DROP) {
        s->dropped++;
        s->ss_dropped += counted(s, t);
    } else {
        s->pending = t;
        s->producer = PRODUCER_BLOCKED;
        s->blocked_since = s->now;
    }
    return 0;
}

/* A producer that costs nothing, holding identical tasks (a batch), puts
** everything that fits at once (the same state as putting task after task,
** in O(1) per device). */
static int producer_bulk(adi_sim *s)
{
    double created = 0;
    uint64_t left = s->wl->identical(s, &created), taken = 0;
    if (left == 0)
        return 0;
    if (s->ops->arrive_many(s, created, left, &taken) != 0)
        return -1;
    adi_sim_touch(s);
    s->in_system += taken;
    s->handed += taken;
    if (taken == left) {
        s->put_whole = 1;
        s->bulk_task = (adi_task){created, s->now};
        return 0;
    }
    if (s->cfg->overflow == ADI_OVERFLOW_DROP) { /* nothing frees up at this instant */
        s->dropped += left - taken;
        s->handed += left - taken;
        return 0;
    }
    s->handed++;
    s->pending = (adi_task){created, s->now};
    s->producer = PRODUCER_BLOCKED;
    s->blocked_since = s->now;
    return 0;
}

/* Runs the producer from idle until it waits: for preparation, for room,
** or for the next arrival. */
static int producer_run(adi_sim *s)
{
    double cost = s->cfg->submit_cost;
    if (cost == 0 && s->wl->identical && s->ops->arrive_many && s->producer == PRODUCER_IDLE)
        return producer_bulk(s);
    while (s->producer == PRODUCER_IDLE) {
        adi_task t;
        if (!next_task(s, &t))
            return 0;
        if (cost > 0) {
            s->pending = t;
            s->producer = PRODUCER_PREPARING;
            return adi_sim_schedule(s, s->base + (double)(s->stretch + 1) * cost,
                                    ADI_SIM_EV_PREPARED, 0);
        }
        s->enq_base = s->now;
        s->enq_step = 0;
        if (put(s, t) != 0)
            return -1;
    }
    return 0;
}

static int on_prepared(adi_sim *s)
{
    s->producer = PRODUCER_IDLE;
    s->enq_base = s->base;
    s->enq_step = s->cfg->submit_cost;
    s->enq_index = s->stretch + 1;
    if (put(s, s->pending) != 0)
        return -1;
    if (s->producer == PRODUCER_BLOCKED)
        return 0;
    s->stretch++;
    return producer_run(s);
}

/* A device finished: if there is room now for the task a blocked producer
** holds (a slot freed, or for static its device went idle), it puts it and
** goes on. */
static inline __attribute__((always_inline)) int wake_producer(adi_sim *s)
{
    if (s->producer != PRODUCER_BLOCKED ||
        !(s->ops->room ? s->ops->room(s) : s->waiting < s->cfg->capacity))
        return 0;
    s->producer = PRODUCER_IDLE;
    s->blocked_time += s->now - s->blocked_since;
    s->enq_base = s->now;
    s->enq_step = 0;
    if (put(s, s->pending) != 0)
        return -1;
    s->base = s->now;
    s->stretch = 0;
    return producer_run(s);
}

/* Keeps both latencies of a task for the exact percentiles: one array
** while every task's two are equal; the second is made (a copy of the
** first so far) by the first task whose latencies differ. 0, or -1. */
static int keep_exact(adi_sim *s, double lat, double latc)
{
    if (latc != lat && !s->exact_latc) {
        s->exact_latc = malloc(s->cfg->tasks * sizeof *s->exact_latc);
        if (!s->exact_latc)
            return -1;
        memcpy(s->exact_latc, s->exact_lat, s->exact_n * sizeof *s->exact_latc);
    }
    if (s->exact_latc)
        s->exact_latc[s->exact_n] = latc;
    s->exact_lat[s->exact_n++] = lat;
    return 0;
}

/* Task t's completion on device dev, now; it was computed over [start,
** end] (end = now without a network). The metrics only. 0, or -1. */
/* Inlined into on_done (the hot path) although net.c calls it too. */
#define HOT static inline __attribute__((always_inline))

/* The latencies from creation so far, while they have all equalled those
** from entering the queue (sim_int.h, latc_apart): lat's. */
static void creation_from_queue(adi_sim *s)
{
    s->latc_sum = s->lat_sum;
    s->latc_min = s->lat.min;
    s->latc_max = s->lat.max;
}

/* Counts a latency from creation, before its task's latency from entering
** the queue is counted. */
static void count_creation(adi_sim *s, double latc)
{
    if (!s->latc_apart) {
        creation_from_queue(s);
        s->latc_apart = 1;
    }
    adi_blocksum_add(&s->latc_sum, latc);
    if (latc < s->latc_min)
        s->latc_min = latc;
    if (latc > s->latc_max)
        s->latc_max = latc;
}

HOT int complete(adi_sim *s, adi_sim_device *dev, const adi_task *t, double start, double end)
{
    adi_sim_touch(s);
    s->in_system--;
    dev->tasks++;
    dev->finish = s->now;
    s->completed++;
    double lat = s->now - t->enqueued, latc = s->now - t->created;
    if (latc != lat || s->latc_apart)
        count_creation(s, latc);
    adi_blocksum_add(&s->lat_sum, lat);
    if (s->window) {
        if (s->window == 2 && s->window_close < end)
            end = s->window_close;
        double overlap = end - (start > s->window_open ? start : s->window_open);
        if (overlap > 0)
            s->ss_busy += overlap;
        if (counted(s, *t)) {
            adi_sum_add(&s->ss_lat_sum, lat);
            s->ss_completed++;
            if (adi_hist_add(&s->ss_latc, latc) != 0)
                return -1;
        }
    }
    if (adi_hist_add(&s->lat, lat) != 0)
        return -1;
    if (latc != lat && (adi_hist_add(&s->diff_lat, lat) != 0 ||
                        adi_hist_add(&s->diff_latc, latc) != 0))
        return -1;
    if (s->exact_lat && keep_exact(s, lat, latc) != 0)
        return -1;
    return 0;
}

static int on_done(adi_sim *s, size_t d)
{
    adi_sim_device *dev = &s->dev[d];
    if (complete(s, dev, &dev->current, dev->start, s->now) != 0)
        return -1;
    if (s->ops->request(s, d) != 0)
        return -1;
    return wake_producer(s);
}

int adi_sim_complete(adi_sim *s, size_t d, adi_task t, double start, double end)
{
    return complete(s, &s->dev[d], &t, start, end);
}

static int on_arrival(adi_sim *s)
{
    s->arrived++;
    s->last_arrival = s->now;
    if (s->arrived == s->cfg->warmup + 1) {
        adi_sim_touch(s);
        s->window = 1;
        s->window_open = s->now;
    }
    if (s->arrived == s->cfg->tasks && s->window == 1) {
        adi_sim_touch(s);
        s->window = 2;
        s->window_close = s->now;
    }
    if (adi_taskq_push(&s->backlog, s->now, s->now, 0, 0) != 0)
        return -1;
    if (s->arrived < s->cfg->tasks &&
        adi_sim_schedule(s, s->now + s->wl->gap(s), ADI_SIM_EV_ARRIVAL, 0) != 0)
        return -1;
    if (s->producer != PRODUCER_IDLE)
        return 0;
    s->base = s->now;
    s->stretch = 0;
    return producer_run(s);
}

/* The producer at t = 0: a closed workload's puts what it can, an open
** one's first arrival is scheduled. */
static int begin(adi_sim *s)
{
    if (!s->wl->gap)
        return producer_run(s);
    return adi_events_push(&s->events, s->wl->gap(s), ADI_SIM_EV_ARRIVAL, 0);
}

/* A batch is done: its tasks complete together. */
static int on_batch(adi_sim *s, size_t d)
{
    adi_sim_device *dev = &s->dev[d];
    const adi_task *b = &s->batch[d * s->batch_max];
    for (uint32_t j = 0; j < s->batch_len[d]; j++)
        if (complete(s, dev, &b[j], dev->start, s->now) != 0)
            return -1;
    s->batch_len[d] = 0;
    if (s->ops->request(s, d) != 0)
        return -1;
    return wake_producer(s);
}

/* The events other than a device's completion. */
static int on_other(adi_sim *s, adi_event e)
{
    switch (adi_event_kind(&s->events, e)) {
    case ADI_SIM_EV_PREPARED: return on_prepared(s);
    case ADI_SIM_EV_ARRIVAL: return on_arrival(s);
    case ADI_SIM_EV_BATCH: return on_batch(s, adi_event_who(&s->events, e));
    case ADI_SIM_EV_TIMER: return s->ops->timer ? s->ops->timer(s) : 0;
    default: return -1;
    }
}

int adi_sim_begin(adi_sim *s) { return begin(s); }
int adi_sim_on_prepared(adi_sim *s) { return on_prepared(s); }
int adi_sim_on_arrival(adi_sim *s) { return on_arrival(s); }
int adi_sim_wake_producer(adi_sim *s) { return wake_producer(s); }

/* Can the fused loop run the rest? Every task is put (all alike, no submit
** cost, nothing blocked), the policy's request is a shared FIFO's, and
** nothing else can happen: only completions are pending (no arrivals, no
** network, no timers), one task per service (no batches), and no latency
** is kept one by one. */
static int fusable(const adi_sim *s)
{
    return s->ops->shared_fifo && s->put_whole && !s->wl->gap && !s->net &&
           s->batch_max == 1 && !s->exact_lat && !s->window &&
           s->producer == PRODUCER_IDLE && !s->cfg->general_loop;
}

/* The rest of the run when fusable(): what loop() does with such a
** policy, step for step (complete, then the oldest waiting task if any,
** all of them bulk_task, else the device waits for good), without the
** calls, the dispatch and the producer's checks between them, so the
** clock and the event list stay in registers. Same draws, same order,
** same results to the last bit (tests/test_sim.c runs both on random
** pools); about a tenth less time per task on exponential pull. */
static int fused_loop(adi_sim *s)
{
    const adi_task t = s->bulk_task;
    while (s->events.len) {
        adi_event e = s->events.heap[0];
        s->now = e.time;
        size_t d = adi_event_who(&s->events, e);
        adi_sim_device *dev = &s->dev[d];
        if (complete(s, dev, &dev->current, dev->start, s->now) != 0)
            return -1;
        if (s->waiting) {
            s->waiting--;
            double service = start(s, d, t);
            adi_events_replace_top(&s->events, s->now + service, ADI_SIM_EV_DONE, (uint32_t)d);
        } else {
            adi_events_pop(&s->events);
        }
    }
    return 0;
}

static int loop(adi_sim *s)
{
    if (begin(s) != 0)
        return -1;
    if (fusable(s))
        return fused_loop(s);
    while (s->events.len) {
        adi_event e = s->events.heap[0];
        s->top_consumed = 1;
        s->now = e.time;
        int rc = adi_event_kind(&s->events, e) == ADI_SIM_EV_DONE
                     ? on_done(s, adi_event_who(&s->events, e))
                     : on_other(s, e);
        if (rc != 0)
            return -1;
        if (s->top_consumed) { /* nothing was scheduled in its place */
            s->top_consumed = 0;
            adi_events_pop(&s->events);
        }
    }
    return 0;
}

/* The operations every policy and workload must have (the tables check
** their entries too: policy/policy.h, sim/workload.h). */
static int complete_ops(const adi_sim_config *c)
{
    const adi_policy_ops *p = c->policy;
    const adi_workload_ops *w = c->workload;
    if (!p || !p->init || !p->free || !p->arrive || !p->request)
        return adi_fail(ADI_EINTERNAL, "a run needs a policy with init, free, arrive and request "
                        "(an incomplete policy table entry)");
    if (!w || !w->check || !w->next == !w->gap)
        return adi_fail(ADI_EINTERNAL, "a run needs a workload with check and either next or gap "
                        "(an incomplete workload table entry)");
    return ADI_OK;
}

static int check_config(const adi_sim_config *c)
{
    int rc = complete_ops(c);
    if (rc != ADI_OK)
        return rc;
    if (c->n_devices == 0 || c->n_devices > UINT32_MAX)
        return adi_fail(ADI_EINPUT, "a run needs between 1 and 2^32-1 devices");
    if (c->policy->check && (rc = c->policy->check(c)) != ADI_OK)
        return rc;
    if (c->tasks == 0)
        return adi_fail(ADI_EINPUT, "a run needs at least one task");
    if (c->capacity == 0)
        return adi_fail(ADI_EINPUT, "queue capacity must be at least 1 (or inf)");
    if (!(c->submit_cost >= 0))
        return adi_fail(ADI_EINPUT, "submit_cost must be >= 0");
    return c->workload->check(c);
}

/* Nearest-rank percentiles of every latency kept (exact_percentiles), by
** selection (select.h); one array serves both when no task's latencies
** differed. */
static void exact_percentiles(adi_sim *s, adi_run_result *r)
{
    size_t n = (size_t)s->exact_n;
    if (!n)
        return;
    static const double p[3] = {0.50, 0.95, 0.99};
    double lat[3], latc[3];
    adi_select_percentiles(s->exact_lat, n, p, 3, lat);
    if (s->exact_latc)
        adi_select_percentiles(s->exact_latc, n, p, 3, latc);
    else
        memcpy(latc, lat, sizeof latc);
    r->lat_p50 = lat[0];
    r->lat_p95 = lat[1];
    r->lat_p99 = lat[2];
    r->latc_p50 = latc[0];
    r->latc_p95 = latc[1];
    r->latc_p99 = latc[2];
}

/* The histogram of latencies from creation (see sim_int.h). */
static int creation_histogram(const adi_sim *s, adi_hist *out)
{
    if (adi_hist_copy(out, &s->lat) != 0 || adi_hist_merge(out, &s->diff_latc) != 0)
        return -1;
    adi_hist_subtract(out, &s->diff_lat);
    out->min = s->latc_min;
    out->max = s->latc_max;
    return 0;
}

void adi_run_result_totals(adi_run_result *r)
{
    double makespan = 0, busy = 0, min_finish = INFINITY;
    for (size_t d = 0; d < r->n_devices; d++) {
        if (r->device[d].finish > makespan)
            makespan = r->device[d].finish;
        if (r->device[d].finish < min_finish)
            min_finish = r->device[d].finish;
    }
    double transfer = 0, wait = 0;
    for (size_t d = 0; d < r->n_devices; d++) {
        adi_device_result *dv = &r->device[d];
        dv->idle = makespan - dv->busy;
        dv->wait = dv->idle - dv->transfer;
        busy += dv->busy;
        transfer += dv->transfer;
        wait += dv->wait;
    }
    r->transfer_time = transfer;
    r->wait_time = wait;
    double n = (double)r->n_devices, done = (double)r->completed;
    r->makespan = makespan;
    r->min_finish = min_finish;
    r->throughput = makespan > 0 ? done / makespan : 0;
    r->lat_mean = done > 0 ? r->lat_sum / done : NAN;
    r->busy_time = busy;
    r->idle_time = n * makespan - busy;
    r->utilization = makespan > 0 ? busy / (n * makespan) : 0;
}

static void results(const adi_sim *s, adi_run_result *r)
{
    for (size_t d = 0; d < s->n; d++)
        r->device[d] = (adi_device_result){.mean_time = s->cfg->device[d].mean,
                                           .tasks = s->dev[d].tasks, .busy = s->dev[d].busy,
                                           .finish = s->dev[d].finish,
                                           .mean_busy = s->mean_busy ? s->mean_busy[d]
                                                        : (double)s->dev[d].tasks *
                                                              s->cfg->device[d].mean};
    double done = (double)s->completed;
    r->seed = s->cfg->seed;
    r->completed = s->completed;
    r->dropped = s->dropped;
    r->max_queue = s->max_queue;
    r->lat_sum = adi_blocksum_value(&s->lat_sum);
    if (s->net)
        adi_net_results(s, r);
    adi_run_result_totals(r);
    r->lat_p50 = adi_hist_quantile(&s->lat, 0.50);
    r->lat_p95 = adi_hist_quantile(&s->lat, 0.95);
    r->lat_p99 = adi_hist_quantile(&s->lat, 0.99);
    r->lat_max = done > 0 ? s->lat.max : NAN;
    r->latc_mean = done > 0 ? adi_blocksum_value(&s->latc_sum) / done : NAN;
    r->latc_p50 = adi_hist_quantile(&r->latc, 0.50);
    r->latc_p95 = adi_hist_quantile(&r->latc, 0.95);
    r->latc_p99 = adi_hist_quantile(&r->latc, 0.99);
    r->latc_max = done > 0 ? r->latc.max : NAN;
    r->in_system = adi_blocksum_value(&s->area);
    r->blocked_time = s->blocked_time;
    r->last_arrival = s->last_arrival;
    r->max_service = s->max_service;
    double window = s->window == 2 ? s->window_close - s->window_open : 0;
    if (window > 0) {
        r->ss_window = window;
        r->ss_arrivals = s->cfg->tasks - s->cfg->warmup;
        r->ss_completed = s->ss_completed;
        r->ss_dropped = s->ss_dropped;
        r->ss_block = (double)s->ss_dropped / (double)r->ss_arrivals;
        r->ss_in_system = adi_sum_value(&s->ss_area) / window;
        r->ss_response = s->ss_completed ? adi_sum_value(&s->ss_lat_sum) / (double)s->ss_completed : NAN;
        r->ss_utilization = s->ss_busy / ((double)s->n * window);
        r->ss_throughput = (double)(r->ss_arrivals - s->ss_dropped) / window;
        r->ss_latc_p50 = adi_hist_quantile(&s->ss_latc, 0.50);
        r->ss_latc_p95 = adi_hist_quantile(&s->ss_latc, 0.95);
        r->ss_latc_p99 = adi_hist_quantile(&s->ss_latc, 0.99);
    }
}

void adi_run_result_free(adi_run_result *r)
{
    if (!r)
        return;
    free(r->device);
    adi_hist_free(&r->lat);
    adi_hist_free(&r->latc);
    adi_hist_free(&r->ss_latc);
    memset(r, 0, sizeof *r);
}

static int out_of_memory(const adi_sim_config *cfg)
{
    return adi_fail(ADI_ENOMEM, "out of memory in a run of %llu tasks on %zu devices",
                    (unsigned long long)cfg->tasks, cfg->n_devices);
}

int adi_sim_run(const adi_sim_config *cfg, adi_run_result *out)
{
    memset(out, 0, sizeof *out);
    int rc = check_config(cfg);
    if (rc != ADI_OK)
        return rc;
    adi_gsl_quiet();
    adi_ziggurat_init();
    adi_sim s;
    memset(&s, 0, sizeof s);
    s.cfg = cfg;
    s.ops = cfg->policy;
    s.wl = cfg->workload;
    s.n = cfg->n_devices;
    adi_taskq_init(&s.backlog);
    adi_hist_init(&s.lat);
    adi_hist_init(&s.diff_lat);
    adi_hist_init(&s.diff_latc);
    adi_hist_init(&s.ss_latc);
    s.latc_min = INFINITY;
    s.latc_max = -INFINITY;
    if (cfg->exact_percentiles) {
        s.exact_lat = malloc(cfg->tasks * sizeof *s.exact_lat);
        if (!s.exact_lat) {
            rc = out_of_memory(cfg);
            goto fail;
        }
    }
    s.dev = calloc(s.n, sizeof *s.dev);
    s.rng = gsl_rng_alloc(adi_rng_taus2); /* GSL's taus2, inline (taus.h) */
    out->device = calloc(s.n, sizeof *out->device);
    if (!s.dev || !s.rng || !out->device || adi_events_init(&s.events, s.n + 4, (uint32_t)(s.n - 1)) != 0) {
        rc = out_of_memory(cfg);
        goto fail;
    }
    gsl_rng_set(s.rng, cfg->seed);
    s.batch_max = cfg->params && cfg->params->batch > 1 ? cfg->params->batch : 1;
    /* each device's batch in service; over a network sim/net.c keeps them */
    if (s.batch_max > 1 &&
        (!cfg->params->batch_scale ||
         (!cfg->net && !(s.batch = malloc(s.n * s.batch_max * sizeof *s.batch))) ||
         !(s.batch_len = calloc(s.n, sizeof *s.batch_len)) ||
         !(s.mean_busy = calloc(s.n, sizeof *s.mean_busy)))) {
        rc = cfg->params->batch_scale ? out_of_memory(cfg)
                                      : adi_fail(ADI_EINTERNAL, "batches without their scales");
        goto fail;
    }
    s.request_slots = s.n;
    s.start_idle = 1;
    if (cfg->net && (rc = adi_net_init(&s)) != ADI_OK)
        goto fail;
    rc = s.ops->init(&s);
    if (rc != ADI_OK)
        goto fail;
    int looped = cfg->net ? adi_net_loop(&s) : loop(&s);
    s.ops->free(&s);
    if (looped != 0) {
        rc = out_of_memory(cfg);
        goto fail;
    }
    if (s.completed + s.dropped != cfg->tasks || s.producer != PRODUCER_IDLE) {
        rc = adi_fail(ADI_EINTERNAL, "simulation stalled: %llu of %llu tasks done, "
                      "%llu dropped (a policy bug)", (unsigned long long)s.completed,
                      (unsigned long long)cfg->tasks, (unsigned long long)s.dropped);
        goto fail;
    }
    out->n_devices = s.n;
    if (!s.latc_apart)
        creation_from_queue(&s);
    if (creation_histogram(&s, &out->latc) != 0) {
        rc = out_of_memory(cfg);
        goto fail;
    }
    results(&s, out);
    if (s.exact_lat)
        exact_percentiles(&s, out);
    out->lat = s.lat;   /* ownership moves to out */
    out->ss_latc = s.ss_latc;
    adi_hist_init(&s.lat);
    adi_hist_init(&s.ss_latc);
    /* kept results cost what they hold (a sweep keeps every replication's) */
    if (adi_hist_shrink(&out->lat) != 0 || adi_hist_shrink(&out->latc) != 0 ||
        adi_hist_shrink(&out->ss_latc) != 0) {
        adi_hist_free(&out->lat);
        adi_hist_free(&out->ss_latc);
        rc = out_of_memory(cfg);
        goto fail;
    }
    rc = ADI_OK;
fail:
    adi_net_free(&s);
    adi_events_free(&s.events);
    adi_taskq_free(&s.backlog);
    adi_hist_free(&s.lat);
    adi_hist_free(&s.diff_lat);
    adi_hist_free(&s.diff_latc);
    adi_hist_free(&s.ss_latc);
    free(s.exact_lat);
    free(s.exact_latc);
    free(s.batch);
    free(s.batch_len);
    free(s.mean_busy);
    if (s.rng)
        gsl_rng_free(s.rng);
    free(s.dev);
    if (rc != ADI_OK) {
        free(out->device);
        adi_hist_free(&out->latc);
        memset(out, 0, sizeof *out);
    }
    return rc;
}
