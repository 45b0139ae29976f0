/*
** sim/sim_int.h — the engine's state and its two plug-in interfaces: the
** policy's operations (implemented in policy/, one file per policy) and the
** workload's (sim/workload_*.c). Shared by sim.c, those modules and
** white-box tests.
**
** A policy is the coordinator's decision: which waiting task goes to which
** device. It sees the engine through two events and one service:
**   arrive(t)     a task reaches the coordinator (the producer puts it);
**   request(d)    device d asks for a task (today: it finished its task and
**                 is idle);
**   adi_sim_assign(d, t)  the engine delivers task t to device d (today: it
**                 starts at once, on an idle device);
** plus the `waiting` counter it keeps up to date (the engine compares it
** with the capacity to wake a blocked producer, or asks the policy's room()
** when a task can have room without a free slot). A policy never schedules
** events itself and never calls back into the producer, so there is no
** re-entrancy to reason about.
**
** Why these two events: they are what a coordinator sees once the engine
** has a network (DESIGN.md "The network", sim/net.c). There request(d)
** comes when d's request reaches the coordinator (with prefetch k a device
** keeps 1 + k requests out), or, for a policy that hears of free devices
** from their results (sync's barrier), when d's output arrives
** (adi_sim_net_mode); adi_sim_assign sends the task's input over d's link
** and d computes its inputs in arrival order. Policies written against
** arrive/request/assign keep their logic: over a network they call
** adi_net_assign (the input is sent) where they called adi_sim_assign (the
** task starts), through a second set of ops made from the same code (a
** direct call in each, so a run without a network costs what it did), and
** s->request_slots / s->start_idle say how many requests may wait at the
** coordinator at once and whether every device has one there at t = 0.
**
** A workload is where tasks come from. A closed one (a batch) hands the
** producer its tasks through next(), and optionally identical() when
** every remaining task exists at once (the producer then puts them
** together through the policy's arrive_many()). An open one is an arrival
** process: gap() gives the time to the next arrival, and the engine
** schedules the cfg->tasks arrivals, puts each task into s->backlog when it
** arrives (the producer takes it from there) and measures the steady-state
** window from arrival warmup + 1 to the last (sim.h's ss_*), whatever the
** process. One indirect call per arrival: the arrival itself stays in the
** engine's loop.
*/
#ifndef ADI_SIM_SIM_INT_H
#define ADI_SIM_SIM_INT_H

#include "core/stats.h"
#include "sim/events.h"
#include "sim/sim.h"
#include "sim/taskq.h"

typedef struct adi_sim adi_sim;

typedef struct adi_policy_ops {
    int (*init)(adi_sim *s);  /* allocate policy state; ADI_OK or error */
    void (*free)(adi_sim *s);
    /* Optional: ADI_OK when the policy can run cfg, else an ADI_EINPUT
    ** message (serial: exactly one device). */
    int (*check)(const adi_sim_config *cfg);
    /* Task t reaches the coordinator at s->now. Returns 1 if the policy
    ** took it (assigned it or queued it), 0 if it must wait and waiting >=
    ** capacity, -1 when out of memory. */
    int (*arrive)(adi_sim *s, adi_task t);
    /* Device d asks for a task at s->now (it finished its last one and is
    ** idle). 0, or -1 (memory). */
    int (*request)(adi_sim *s, size_t d);
    /* Optional: the producer puts up to `count` identical tasks at once (a
    ** batch with no submit cost); *taken = how many fit. It must leave the
    ** state exactly as `count` calls of arrive() would until one fails.
    ** 0, or -1 (memory). */
    int (*arrive_many)(adi_sim *s, double created, uint64_t count, uint64_t *taken);
    /* Optional: 1 when arrive() would now take the task the blocked
    ** producer holds (s->pending), asked after every completion. NULL means
    ** there is room when waiting < capacity (right for policies whose
    ** arrive() finds no idle device for a task whenever it refuses one). */
    int (*room)(const adi_sim *s);
    /* Optional: the timer the policy set with adi_sim_timer is due (s->now).
    ** 0, or -1 (memory). */
    int (*timer)(adi_sim *s);
    /* 1 for ops whose request(d) does nothing but give d the oldest
    ** waiting task, if one waits (pull's own): once a batch is put whole,
    ** the engine then runs the rest of the run itself (sim.c's fused loop),
    ** the same steps without a call per task. */
    int shared_fifo;
} adi_policy_ops;

typedef struct adi_workload_ops {
    /* ADI_OK when the workload can run cfg, else an ADI_EINPUT message. */
    int (*check)(const adi_sim_config *cfg);
    /* Closed: the producer's next task, 1 and *t (created set), or 0 when
    ** none is left; s->handed counts the tasks taken so far. */
    int (*next)(adi_sim *s, adi_task *t);
    /* Closed, optional: how many tasks exist now and are not yet taken, all
    ** created at *created (a batch: every one left, at 0). */
    uint64_t (*identical)(const adi_sim *s, double *created);
    /* Open: seconds from t = 0 to the first arrival, or from one arrival to
    ** the next (it may draw from s->rng). NULL for a closed workload. */
    double (*gap)(adi_sim *s);
} adi_workload_ops;

/* Event kinds: a device finishing, the producer finishing a preparation,
** an arrival of an open workload; with a network (sim/net.c) a request
** reaching the coordinator, an input's or an output's latency over (its
** bytes start to move), a device finishing a computation; a device
** finishing a batch (adi_sim_assign_batch), a policy's timer. */
enum {
    ADI_SIM_EV_DONE, ADI_SIM_EV_PREPARED, ADI_SIM_EV_ARRIVAL,
    ADI_SIM_EV_REQUEST, ADI_SIM_EV_INPUT_GO, ADI_SIM_EV_COMPUTED, ADI_SIM_EV_OUTPUT_GO,
    ADI_SIM_EV_BATCH, ADI_SIM_EV_TIMER, ADI_SIM_EV_KINDS
};
_Static_assert(ADI_SIM_EV_KINDS <= 1 << ADI_EVENT_KIND_BITS, "an event's kind must fit its tag");

typedef struct adi_sim_device {
    adi_task current; /* task in service */
    double start;     /* seconds: when it started */
    double busy;      /* seconds */
    double finish;    /* seconds: last completion */
    uint64_t tasks;   /* completed */
    /* With a network only (sim/net.c, at each output's arrival): the compute
    ** times of its tasks whose outputs have reached the coordinator, what a
    ** coordinator can learn of the device (policy/estimate.h). */
    double observed;  /* seconds */
    uint64_t observed_n;
} adi_sim_device;

enum { PRODUCER_IDLE, PRODUCER_PREPARING, PRODUCER_BLOCKED };

struct adi_net;

struct adi_sim {
    const adi_sim_config *cfg;
    size_t request_slots;     /* requests that may wait at the coordinator at once: */
                              /* n, or n (1 + k) with a network */
    int start_idle;           /* 1: every device is idle at t = 0 (one request each */
                              /* waiting); 0 with a network (requests travel first) */
    struct adi_net *net;      /* the network's state (sim/net.c); NULL without one */
    const adi_policy_ops *ops;   /* cfg->policy */
    const adi_workload_ops *wl;  /* cfg->workload */
    void *policy;             /* the policy's own state */
    gsl_rng *rng;
    adi_events events;
    int top_consumed;         /* the event being handled is still the heap's */
                              /* root; the next schedule() replaces it */
    double now;               /* seconds */
    size_t n;
    adi_sim_device *dev;

    /* Producer */
    int producer;             /* PRODUCER_* */
    adi_task pending;         /* task being prepared, or held while blocked */
    double base;              /* seconds: start of the current stretch */
    uint64_t stretch;         /* tasks finished in the stretch: the next is */
                              /* done at base + (stretch + 1) * submit_cost */
    double blocked_since;     /* seconds */
    double blocked_time;      /* seconds blocked in total */
    double enq_base, enq_step;/* the task being put enters the queue at */
    uint64_t enq_index;       /* enq_base + enq_index * enq_step (taskq.h) */
    uint64_t handed;          /* tasks the producer took from the workload */
    int put_whole;            /* the producer put every task at once, as bulk_task */
    adi_task bulk_task;
    uint64_t arrived;         /* open workloads: arrivals so far */
    adi_taskq backlog;        /* open workloads: arrived, not yet taken */

    /* Batches (params->batch > 1): each device's batch in service, and the
    ** sum of the means of the services drawn (a device's busy time in
    ** expectation, which the utilization law checks) */
    uint64_t batch_max;       /* b; 1 without batches */
    adi_task *batch;          /* [n * batch_max] */
    uint32_t *batch_len;      /* [n] */
    double *mean_busy;        /* [n] s */

    /* Counters the policies maintain or read */
    uint64_t waiting;         /* tasks waiting, all queues together */
    uint64_t started, completed, dropped, max_queue;

    /* Metrics */
    uint64_t in_system;       /* tasks put and not completed */
    double last_change;       /* seconds: when in_system last changed */
    adi_blocksum area, lat_sum, latc_sum;
    double max_service, last_arrival;
    /* Latency histograms. Most tasks enter the queue when they are created
    ** (a batch without blocking, Poisson arrivals without delay), so both
    ** latencies are equal and go into `lat` only; for the others `diff_lat`
    ** and `diff_latc` hold the two values, and the histogram of latencies
    ** from creation is lat - diff_lat + diff_latc (exact counts), built at
    ** the end. This saves a histogram update per task in the common case. */
    adi_hist lat, diff_lat, diff_latc;
    /* The sum, least and greatest of the latencies from creation. Kept only
    ** once a task's two latencies first differ (latc_apart); until then
    ** they are lat_sum and lat's min and max, state for state, and are
    ** copied from those then (and at the end): a run whose latencies never
    ** differ saves a sum and two comparisons per task. */
    int latc_apart;
    double latc_min, latc_max;
    double *exact_lat, *exact_latc; /* every latency, when asked for; */
                              /* exact_latc stays NULL while each task's */
                              /* two latencies are equal (see above) */
    uint64_t exact_n;

    /* Steady-state window (open workloads): 0 before it opens, 1 open, 2
    ** closed. */
    int window;
    double window_open, window_close; /* seconds */
    adi_sum ss_area, ss_lat_sum;
    double ss_busy;                   /* device-seconds inside the window */
    uint64_t ss_completed, ss_dropped;
    adi_hist ss_latc;
};

/* Delivers task t to device d, which must be idle: it starts now (its
** service time is drawn and its completion scheduled). 0, or -1 when out
** of memory. */
int adi_sim_assign(adi_sim *s, size_t d, adi_task t);

/* Delivers k >= 1 tasks (tasks[0..k), copied) to idle device d as one
** batch (params->batch >= k, params->batch > 1): one service, a draw of its
** task time times batch_scale[d][k] (1 for k = 1), after which all k
** complete together and request(d) follows. 0, or -1. */
int adi_sim_assign_batch(adi_sim *s, size_t d, const adi_task *tasks, uint64_t k);

/* A policy's timer: ops->timer is called at `time` (>= now). One event per
** call; a policy that wants one timer at a time keeps track itself. */
static inline int adi_sim_timer(adi_sim *s, double time);

/* The same over a network (sim/net.c): t's input is sent to d, which
** computes its inputs in arrival order. A policy's ops for a network call
** this instead (policy/pull.c builds both sets from one body). */
int adi_net_assign(adi_sim *s, size_t d, adi_task t);
typedef int (*adi_sim_assign_fn)(adi_sim *s, size_t d, adi_task t);

/* A batch over a network (sim/net.c): one input of k S_in bytes, one
** service drawn as adi_sim_assign_batch's, one output of k S_out bytes,
** and all k complete when it is in. Runs with params->batch > 1 only. */
int adi_net_assign_batch(adi_sim *s, size_t d, const adi_task *tasks, uint64_t k);
typedef int (*adi_sim_assign_batch_fn)(adi_sim *s, size_t d, const adi_task *tasks, uint64_t k);

/* Schedules an event. The event being handled leaves the heap lazily: the
** first event scheduled while handling it takes its place (one sift instead
** of a pop and a push); sim.c's loop pops it if nothing was scheduled. The
** order of events is (time, seq) either way. 0, or -1 (memory). */
static inline int adi_sim_schedule(adi_sim *s, double time, uint32_t kind, uint32_t who)
{
    if (s->top_consumed) {
        s->top_consumed = 0;
        adi_events_replace_top(&s->events, time, kind, who);
        return 0;
    }
    return adi_events_push(&s->events, time, kind, who);
}

static inline int adi_sim_timer(adi_sim *s, double time)
{
    return adi_sim_schedule(s, time, ADI_SIM_EV_TIMER, 0);
}

/* Appends t to a policy's queue, sharing a segment with the previous task
** when the producer submitted both in one regular stretch (see taskq.h). */
static inline int adi_sim_enqueue(adi_sim *s, adi_taskq *q, adi_task t)
{
    return adi_taskq_push(q, t.created, s->enq_base, s->enq_step, s->enq_index);
}

/* Records that `waiting` grew by one (updates the max queue length). */
static inline void adi_sim_waiting_up(adi_sim *s);

/* t waits in q if the queue has room (fewer than capacity wait, all queues
** together): 1 when it does, 0 when the queue is full, -1 (memory). */
static inline int adi_sim_queue(adi_sim *s, adi_taskq *q, adi_task t)
{
    if (s->waiting >= s->cfg->capacity)
        return 0;
    if (adi_sim_enqueue(s, q, t) != 0)
        return -1;
    adi_sim_waiting_up(s);
    return 1;
}

/* The two steps of a policy that keeps one FIFO per device and knows which
** device each task is for (static, weighted): busy[d] is 1 while d holds
** a task. Giving t to d starts it if d is idle, else queues it there if
** there is room: 1 when placed, 0 when the queue is full (t stays destined
** for d), -1 (memory). */
static inline int adi_sim_give_own(adi_sim *s, adi_taskq *own, unsigned char *busy, size_t d,
                                   adi_task t)
{
    if (!busy[d]) {
        busy[d] = 1;
        return adi_sim_assign(s, d, t) == 0 ? 1 : -1;
    }
    return adi_sim_queue(s, &own[d], t);
}

/* d asks: it starts the oldest task of its own queue, or goes idle. */
static inline int adi_sim_request_own(adi_sim *s, adi_taskq *own, unsigned char *busy, size_t d)
{
    if (own[d].len == 0) {
        busy[d] = 0;
        return 0;
    }
    adi_task t = adi_taskq_pop(&own[d]);
    s->waiting--;
    return adi_sim_assign(s, d, t);
}

/* Records that `waiting` grew by one (updates the max queue length). */
static inline void adi_sim_waiting_up(adi_sim *s)
{
    if (++s->waiting > s->max_queue)
        s->max_queue = s->waiting;
}

/* Accumulates the integral of tasks-in-system up to now (and, while the
** steady-state window is open, its share inside the window). */
static inline void adi_sim_touch(adi_sim *s)
{
    double area = (double)s->in_system * (s->now - s->last_change);
    adi_blocksum_add(&s->area, area);
    if (s->window == 1)
        adi_sum_add(&s->ss_area, area);
    s->last_change = s->now;
}

/* Tasks neither started nor dropped yet (including those not yet created). */
static inline uint64_t adi_sim_unstarted(const adi_sim *s)
{
    return s->cfg->tasks - s->started - s->dropped;
}

/* The engine's pieces the network's loop (sim/net.c) shares with sim.c's:
** the producer at t = 0 (a closed workload's producer, or an open one's
** first arrival), the producer's two events, waking a blocked producer,
** and a task's completion (metrics; the task computed over [start, end]). */
int adi_sim_begin(adi_sim *s);
int adi_sim_on_prepared(adi_sim *s);
int adi_sim_on_arrival(adi_sim *s);
int adi_sim_wake_producer(adi_sim *s);
int adi_sim_complete(adi_sim *s, size_t d, adi_task t, double start, double end);

/* The network's side (sim/net.c): set up (s->assign, slots, the flows),
** the loop, its share of the results, and freeing. */
int adi_net_init(adi_sim *s);
int adi_net_loop(adi_sim *s);
void adi_net_results(const adi_sim *s, adi_run_result *r);
void adi_net_free(adi_sim *s);

#endif
