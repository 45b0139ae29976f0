/*
** sim/sim_int.h — the engine's state, shared by sim.c and the policy modules
** (policy_pull.c, policy_static.c, policy_sync.c) and by white-box tests.
**
** A policy sees the engine through four things: offer() when the producer
** puts a task, device_free() when a device finishes, adi_sim_start() to put
** a task on a device, and the `waiting` counter it keeps up to date (the
** engine compares it with the capacity to wake a blocked producer, or asks
** the policy's room() when a task can be room without a free slot). A policy
** never schedules events itself and never calls back into the producer, so
** there is no re-entrancy to reason about.
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
    /* The producer puts task t at s->now. Returns 1 if the policy took it
    ** (started it or queued it), 0 if it must wait and waiting >= capacity,
    ** -1 when out of memory. */
    int (*offer)(adi_sim *s, adi_task t);
    /* Device d finished its task at s->now and is free. 0, or -1 (memory). */
    int (*device_free)(adi_sim *s, size_t d);
    /* Optional: the producer puts up to `count` identical tasks at once (a
    ** batch with no submit cost); *taken = how many fit. It must leave the
    ** state exactly as `count` calls of offer() would until one fails.
    ** 0, or -1 (memory). */
    int (*offer_many)(adi_sim *s, double created, uint64_t count, uint64_t *taken);
    /* Optional: 1 when offer() would now take the task the blocked producer
    ** holds (s->pending), asked after every completion. NULL means there is
    ** room when waiting < capacity (right for policies whose offer() finds
    ** no idle device for a task whenever it refuses one). */
    int (*room)(const adi_sim *s);
} adi_policy_ops;

extern const adi_policy_ops adi_policy_pull_ops;
extern const adi_policy_ops adi_policy_static_ops;
extern const adi_policy_ops adi_policy_sync_ops;

typedef struct adi_sim_device {
    adi_task current; /* task in service */
    double start;     /* seconds: when it started */
    double busy;      /* seconds */
    double finish;    /* seconds: last completion */
    uint64_t tasks;   /* completed */
} adi_sim_device;

enum { PRODUCER_IDLE, PRODUCER_PREPARING, PRODUCER_BLOCKED };

struct adi_sim {
    const adi_sim_config *cfg;
    const adi_policy_ops *ops;
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
    uint64_t handed;          /* batch: tasks given to the producer so far */
    uint64_t arrived;         /* poisson: arrivals so far */
    adi_taskq backlog;        /* poisson: arrived, not yet taken up */

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
    double latc_min, latc_max;
    double *exact_lat, *exact_latc; /* every latency, when asked for; */
                              /* exact_latc stays NULL while each task's */
                              /* two latencies are equal (see above) */
    uint64_t exact_n;

    /* Steady-state window (poisson): 0 before it opens, 1 open, 2 closed. */
    int window;
    double window_open, window_close; /* seconds */
    adi_sum ss_area, ss_lat_sum;
    double ss_busy;                   /* device-seconds inside the window */
    uint64_t ss_completed, ss_dropped;
    adi_hist ss_latc;
};

/* Puts task t on idle device d now: draws its service time and schedules
** the completion. 0, or -1 when out of memory. */
int adi_sim_start(adi_sim *s, size_t d, adi_task t);

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

/* Appends t to a policy's queue, sharing a segment with the previous task
** when the producer submitted both in one regular stretch (see taskq.h). */
static inline int adi_sim_enqueue(adi_sim *s, adi_taskq *q, adi_task t)
{
    return adi_taskq_push(q, t.created, s->enq_base, s->enq_step, s->enq_index);
}

/* Records that `waiting` grew by one (updates the max queue length). */
static inline void adi_sim_waiting_up(adi_sim *s)
{
    if (++s->waiting > s->max_queue)
        s->max_queue = s->waiting;
}

/* Tasks neither started nor dropped yet (including those not yet created). */
static inline uint64_t adi_sim_unstarted(const adi_sim *s)
{
    return s->cfg->tasks - s->started - s->dropped;
}

#endif
