/*
** sim/sim.h — one simulation run: m tasks, n devices, one producer, one
** policy. This is adisim's discrete-event core; everything else (sweeps,
** replications, checks, storage) is built on adi_sim_run().
**
** The model, in one paragraph. A producer owns the tasks, which come from
** the run's workload (sim/workload.h: in a `batch` all m exist at t = 0; in
** a `poisson` workload they arrive at rate lambda). The producer spends
** submit_cost seconds on each task, then puts it into the system. Capacity Q
** counts tasks *waiting* (not those in service), so n devices and capacity
** Q hold at most n + Q tasks. When there is no room the producer blocks
** until there is (overflow = block) or the task is lost (overflow = drop).
** The policy decides which device runs which task. The engine knows neither
** policies nor workloads by name: the config hands it their operations
** (sim_int.h), taken from the policy table (policy/policy.h, one file per
** policy: pull, static, sync, serial) and the workload table
** (sim/workload.h).
**
** Latency is measured twice per task: from entering the queue (sojourn:
** waiting + service, the W of Little's law) and from creation (t = 0 for a
** batch, the arrival time for poisson; includes the time the producer spent
** preparing it or blocked).
**
** Steady-state estimates (ss_* below) leave out a warm-up of `warmup`
** arrivals and the drain after the last one, for comparison with queueing
** theory (model/queueing.h, model/ctmc.h).
**
** Cost: O(m log n) time; memory O(n + segments of the queue + histogram
** buckets), independent of m for batch workloads.
*/
#ifndef ADI_SIM_SIM_H
#define ADI_SIM_SIM_H

#include "core/units.h" /* ADI_CAPACITY_INF */
#include "sim/hist.h"
#include "sim/sampler.h"

#include <stddef.h>
#include <stdint.h>

typedef enum adi_overflow { ADI_OVERFLOW_BLOCK, ADI_OVERFLOW_DROP, ADI_OVERFLOW_COUNT } adi_overflow;

const char *adi_overflow_name(adi_overflow o);
int adi_overflow_parse(const char *name, adi_overflow *o);

/* What the engine calls: a policy's and a workload's operations (sim_int.h). */
struct adi_policy_ops;
struct adi_workload_ops;

/* The network (DESIGN.md "The network", sim/net.c): a star around the
** coordinator. Device i's full-duplex link has bandwidth bw bytes/s each
** way (INFINITY: no limit) and one-way latency `latency` s, maybe behind
** shared segment `segment` (an index into seg_bw, or -1); every transfer
** also crosses the coordinator's link (coord_bw bytes/s each way). A task
** moves s_in bytes down and s_out up (whole bytes, at most 2^53). */
typedef struct adi_sim_link {
    double bw;       /* bytes/s each way, > 0 */
    double latency;  /* s one way, >= 0 */
    long segment;    /* -1: none */
} adi_sim_link;

typedef struct adi_sim_net {
    const adi_sim_link *link; /* [n_devices], borrowed */
    size_t nseg;
    const double *seg_bw;     /* [nseg] bytes/s each way, borrowed */
    double coord_bw;          /* bytes/s each way */
    double s_in, s_out;       /* bytes per task */
    uint64_t prefetch;        /* k: a requesting device keeps 1 + k tasks outstanding */
} adi_sim_net;

/* How a policy's coordinator learns that a device can take work over the
** network (its descriptor says which, policy/policy.h):
**   REQUESTS  the device asks: it sends 1 + k requests at t = 0 and one each
**             time it has computed a task; ops->request(d) is called when a
**             request reaches the coordinator (pull, serial);
**   RESULTS   the device never asks; ops->request(d) is called when one of
**             its outputs reaches the coordinator (sync's barrier; static
**             sends every input when it puts it and ignores it). */
/* The most requests a network's devices may have out at once, n (1 + k):
** each may wait at the coordinator (a slot of 4 bytes) and is an event. */
#define ADI_SIM_NET_MAX_OUT (1ULL << 22)

typedef enum adi_sim_net_mode { ADI_SIM_NET_REQUESTS, ADI_SIM_NET_RESULTS } adi_sim_net_mode;

/* The policy keys (DESIGN.md "Scheduling policies beyond the paper's";
** scenario/keys.h's [scenario] idle_choice .. steal_start), as a run gets
** them. Each policy reads the ones it takes (its descriptor's keys,
** policy/policy.h); the engine itself reads only batch and batch_scale
** (adi_sim_assign_batch). Their names and parsers are policy/params.c's. */
typedef enum adi_idle_choice {
    ADI_IDLE_LONGEST, /* the device idle longest (FIFO of requests): the paper's */
    ADI_IDLE_FASTEST, /* the one with the smallest T_i (ties: the lower index) */
    ADI_IDLE_RANDOM,  /* one of them uniformly, drawn from the run's stream */
    ADI_IDLE_COUNT
} adi_idle_choice;

typedef enum adi_estimates {
    ADI_ESTIMATES_EXACT,  /* the T_i of the profiles (the samplers' means) */
    ADI_ESTIMATES_ONLINE, /* the pool's mean until a device has completed a task, */
                          /* then the mean of the times it has completed tasks in */
    ADI_ESTIMATES_COUNT
} adi_estimates;

typedef enum adi_victim {
    ADI_VICTIM_LONGEST, /* the queue holding the most waiting tasks (ties: lower index) */
    ADI_VICTIM_RANDOM,  /* one of the queues that hold any, uniformly */
    ADI_VICTIM_COUNT
} adi_victim;

typedef enum adi_steal_start {
    ADI_STEAL_START_WEIGHTED, /* the counts behind C* (model/split.h) */
    ADI_STEAL_START_EQUAL,    /* task k to device k mod n, as static deals them */
    ADI_STEAL_START_COUNT
} adi_steal_start;

typedef struct adi_sim_policy_params {
    adi_idle_choice idle_choice;
    uint64_t batch;           /* pull_batch b: tasks one request may take (1: none) */
    double max_delay;         /* s a batch may wait to fill once its first task */
                              /* waits; INFINITY: until b wait (or no more can) */
    adi_estimates estimates;
    uint64_t choices;         /* pod's d: devices drawn per arrival */
    adi_victim victim;
    adi_steal_start steal_start;
    /* With batch > 1: [n_devices] rows of batch + 1 entries; a batch of k
    ** tasks on device i takes a draw of its task time times
    ** batch_scale[i][k] (so its mean is T_i batch_scale[i][k], and
    ** batch_scale[i][1] = 1). Borrowed; NULL when batch is 1. */
    const double *const *batch_scale;
} adi_sim_policy_params;

/* The parameters of a config without any: the defaults of every key
** (longest, 1, INFINITY, exact, 2, longest, weighted). */
extern const adi_sim_policy_params adi_sim_default_params;

typedef struct adi_sim_config {
    const struct adi_policy_ops *policy;     /* a policy descriptor's ops, borrowed */
    const struct adi_workload_ops *workload; /* a workload descriptor's ops, borrowed */
    size_t n_devices;
    const adi_sampler *device; /* [n_devices], borrowed for the run */
    uint64_t tasks;           /* m: tasks of the batch, or arrivals */
    double rate;              /* open workloads: arrivals per second */
    double submit_cost;       /* seconds the producer spends per task */
    uint64_t capacity;        /* waiting tasks; ADI_CAPACITY_INF: no limit */
    adi_overflow overflow;
    unsigned long seed;       /* seed of this run's GSL taus2 stream */
    uint64_t warmup;          /* open workloads: first arrivals left out of the ss_* estimates */
    int exact_percentiles;    /* keep every latency: exact p50/p95/p99 (8 bytes */
                              /* per task, 16 once a task's two latencies differ) */
    const adi_sim_net *net;   /* NULL: nothing travels (the model without a network) */
    adi_sim_net_mode net_mode;/* with a network: how the policy hears of free devices */
    const adi_sim_policy_params *params; /* the policy keys; NULL: every default */
    int general_loop;         /* tests: never the fused loop of a batch under pull (sim.c) */
    /* Tests: with a network, called for every task when its output reaches
    ** the coordinator (its device and that time, s), in completion order.
    ** NULL: not called. Runs without a network never call it. */
    void (*on_done)(void *arg, size_t device, double time);
    void *on_done_arg;
} adi_sim_config;

typedef struct adi_device_result {
    double mean_time;   /* seconds: the device's T_i */
    uint64_t tasks;     /* tasks completed */
    double busy;        /* seconds in service */
    double idle;        /* seconds: makespan - busy */
    double finish;      /* seconds: its last completion (0 if none) */
    double mean_busy;   /* seconds: the sum of the means of its services, what busy is in
                           expectation (tasks x T_i; with batches, T_i(k) a batch of k) */
    /* With a network, the rest of [0, makespan] (idle = transfer + wait):
    ** transfer: not computing while a message of its own (a request, an
    ** input, an output) is on its way; wait: not computing and nothing of
    ** its own on the way (its request waits at the coordinator, or it is
    ** done). Without a network transfer is 0 and wait = idle. */
    double transfer;    /* seconds */
    double wait;        /* seconds */
} adi_device_result;

typedef struct adi_run_result {
    double makespan;      /* seconds: last completion */
    double throughput;    /* completed tasks / makespan, per second */
    uint64_t completed, dropped;
    uint64_t max_queue;   /* most tasks waiting at once */
    double lat_mean, lat_p50, lat_p95, lat_p99, lat_max;      /* s, from enqueue */
    double latc_mean, latc_p50, latc_p95, latc_p99, latc_max; /* s, from creation */
    double lat_sum;       /* task-seconds: sum of latencies from enqueue */
    double in_system;     /* task-seconds: integral of tasks in queue + service */
    double utilization;   /* sum busy / (n makespan) */
    double busy_time;     /* device-seconds in service */
    double idle_time;     /* device-seconds idle within [0, makespan] */
    double transfer_time; /* device-seconds of it with a transfer of the device's own */
    double wait_time;     /* device-seconds of it waiting with nothing on the way */
    double blocked_time;  /* seconds the producer held a task it could not put */
    double last_arrival;  /* seconds: poisson, the m-th arrival (else 0) */
    double max_service;   /* seconds: the longest single service time */
    double min_finish;    /* seconds: the earliest final completion of a device */
    size_t n_devices;
    adi_device_result *device; /* [n_devices], owned */
    adi_hist lat, latc;   /* latency histograms (from enqueue, creation), owned */
    double wall_s;        /* seconds of wall clock (set by the caller) */
    unsigned long seed;   /* the seed of the run's stream (adi_sim_config.seed);
                             0 for a run executed for real (exec/execute.h) */

    /* Steady state of a poisson run: the window runs from arrival warmup + 1
    ** to the last arrival, leaving out the start from empty and the drain
    ** after the arrivals stop. Tasks count when they arrived in the window.
    ** All zero for a batch. */
    double ss_window;     /* seconds */
    uint64_t ss_arrivals, ss_completed, ss_dropped;
    double ss_block;      /* dropped / arrivals */
    double ss_in_system;  /* L: time-average tasks in queue + service */
    double ss_response;   /* W: mean time from enqueue to completion, s */
    double ss_utilization;/* busy fraction of the devices */
    double ss_throughput; /* accepted arrivals per second */
    double ss_latc_p50, ss_latc_p95, ss_latc_p99; /* s: response from creation */
    adi_hist ss_latc;     /* those responses (owned; empty for a batch) */
} adi_run_result;

/* Runs one simulation. On success *out holds the results (free them with
** adi_run_result_free); on failure *out is empty and adi_errmsg() says why.
** Thread-safe: runs share nothing but the borrowed samplers. */
int adi_sim_run(const adi_sim_config *cfg, adi_run_result *out);

void adi_run_result_free(adi_run_result *r);

/* The totals of a run from its devices' results: with r->n_devices,
** r->device[d].tasks, busy and finish, r->completed and r->lat_sum set,
** fills the makespan (the last finish), min_finish, each device's idle
** time, busy_time, idle_time, utilization, throughput and lat_mean. A run
** simulated (adi_sim_run) and one executed for real (exec/execute.h) are
** summed up by this one function, so they report the same quantities the
** same way. */
void adi_run_result_totals(adi_run_result *r);

#endif
