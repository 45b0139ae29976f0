/*
** scenario/point.h — one point of a sweep: its values, the devices its
** policy uses, and its key.
**
** A point is one combination of parameter values; it is simulated
** `replications` times. Its key is a canonical text of every value that
** affects its results ("v1 policy=pull workload=batch n=4 T=0.05 ..."),
** used as its identity in the database and to derive its random streams
** (core/hash.h), so the same point gives the same numbers in any scenario,
** in any sweep position. So the exact bytes of an existing point's key must
** never change: a different text is a different point with other results.
**
** The key is not written by hand: every key of scenario/keys.h says whether
** and how it enters it (its label, its position, when it is left out), or
** why it cannot change results, and adi_point_key() follows that table. A
** key that changes results cannot be forgotten (tests/test_point.c), and a
** new one that is left out while at its default keeps the keys of the
** points that existed before it.
**
** Cost: the key of a point is O(keys + devices of an explicit pool) bytes,
** written once when the scenario is read.
*/
#ifndef ADI_SCENARIO_POINT_H
#define ADI_SCENARIO_POINT_H

#include "kernels/kernels.h"
#include "model/network.h"
#include "policy/policy.h"
#include "scenario/keys.h"
#include "sim/sampler.h"
#include "sim/sim.h"
#include "sim/workload.h"

#include <stddef.h>
#include <stdint.h>

/* Bumped whenever the meaning of a point's parameters changes (e.g. the
** shape of synthetic pools), so stored results are never reused wrongly.
** The key also seeds the point's random streams, so a change that alters
** only some points bumps only theirs, and the others keep their stored
** results and their numbers: static points with a finite queue and a
** blocking producer are version ADI_POINT_KEY_VERSION_STATIC_BLOCK since
** its producer puts a held task on the task's idle device (sim/sim.h). */
#define ADI_POINT_KEY_VERSION 1
#define ADI_POINT_KEY_VERSION_STATIC_BLOCK 2

/* A point's network ([network]): its links (one per device of the pool,
** the scenario's), segments, coordinator, task sizes and prefetch. */
typedef struct adi_point_net {
    const adi_sim_link *link; /* [n_devices]: each device's, in pool order, link_scale
                                 applied */
    const unsigned char *scaled; /* [n_devices]: 1 when link_scale multiplies its link */
    double link_scale;        /* [network] link_scale (1: the links as written) */
    size_t nseg;
    const double *seg_bw;     /* [nseg] bytes/s */
    double coord_bw;          /* bytes/s; INFINITY: no limit */
    double s_in, s_out;       /* bytes per task */
    uint64_t prefetch;
} adi_point_net;

typedef struct adi_point {
    size_t index;            /* position in the sweep, 0-based */
    const adi_policy_desc *policy;     /* an entry of the policy table */
    const adi_workload_desc *workload; /* an entry of the workload table */
    size_t n_devices;        /* n, the pool size */
    double mean_time;        /* seconds: mean of the T_i */
    double heterogeneity;    /* std/mean of the T_i */
    int explicit_times;      /* 1 when the pool came from `times` */
    int calibrated;          /* 1 when the pool came from `profiles` */
    adi_kernel kernel;       /* a calibrated pool: the kernel whose times it uses */
    const char *profiles;    /* a calibrated pool: "<sha256>x<count>,..." per [devices]
                                profiles entry; NULL otherwise; the scenario's */
    adi_dist dist;
    double cv;               /* spread of one device's task times (a
                                calibrated pool: the mean over its devices) */
    uint64_t tasks;          /* m */
    double rate;             /* per second; 0 for a closed workload */
    double submit_cost;      /* seconds */
    uint64_t warmup;         /* open workloads: arrivals before the steady-state window */
    int exact_percentiles;   /* keep every latency for exact percentiles */
    uint64_t capacity;       /* ADI_CAPACITY_INF for none */
    adi_overflow overflow;
    size_t serial_device;    /* the device a one-device policy (serial) uses */
    adi_sim_policy_params params; /* the policy keys (a key its policy does not take */
                             /* is at its default); batch_scale the scenario's */
    double batch_overhead;   /* a synthetic pool's batch law: T_i(k) = T_i (f + (1 - f) k) */
    uint64_t replications;
    uint64_t seed;           /* the scenario's base seed */
    double *times;           /* [n_devices] seconds: each device's T_i */
    adi_sampler *device;     /* [n_devices] */
    int network;             /* 1 when the scenario has [network] */
    adi_point_net net;       /* its network (network = 1) */
    char *key;               /* adi_point_key() of all of the above */
    char *infeasible;        /* NULL, or why the point cannot exist */
} adi_point;

/* The devices a point's policy uses: all of them, or for a one-device
** policy (serial) the one chosen. Returns the count and points *times /
** *dev at them (borrowed). */
size_t adi_point_used_devices(const adi_point *p, const double **times,
                              const adi_sampler **dev);

/* The pool index of the first device the point's policy uses (0, or a
** one-device policy's serial_device): run_device numbers devices by it. */
size_t adi_point_first_device(const adi_point *p);

/* The network of the devices the point's policy uses, for the engine
** (borrowed from p; p->network must be 1). */
adi_sim_net adi_point_sim_net(const adi_point *p);

/* The same as the model's star (model/network.h): dev[] receives the used
** devices (T_i, B_i, L_i, segment), at most ndev of them; returns the star
** (pointing into dev and p). */
adi_star adi_point_star(const adi_point *p, adi_netdev *dev, size_t ndev);

/* Each device of the whole pool (all n_devices, whatever the policy uses):
** its mean time per task T_i, or over a network its least time per task
** with its transfers at the point's prefetch (model/network.h's
** cycle_i(k)), as the speed-aware policies plan with and model/best.h
** judges by; into t[0..n_devices), using dev[0..n_devices) as scratch. */
void adi_point_task_cycles(const adi_point *p, adi_netdev *dev, double *t);

/* 1 when no random numbers enter the point's runs (deterministic service
** times and a closed workload). */
int adi_point_is_deterministic(const adi_point *p);

/* Writes p's key into *out (malloc'ed; the caller frees it): "v1" (or the
** version of its kind of point, above), then
** " label=value" for each key of keys.h that enters it, by position, unless
** its rule leaves it out. `except` leaves one more key out (-1: none):
** sweep/capacity.c groups points by their key without the rate. ADI_OK or
** ADI_ENOMEM. */
int adi_point_key(const adi_point *p, int except, char **out);

/* When an IN_KEY key is written (keys.h). */
typedef enum adi_point_when {
    ADI_WHEN_ALWAYS, ADI_WHEN_POISSON /* an open workload */, ADI_WHEN_SERIAL /* a one-device policy */,
    ADI_WHEN_CALIBRATED, ADI_WHEN_EXPLICIT, ADI_WHEN_NETWORK /* a [network] section */,
    ADI_WHEN_NOT_DEFAULT, ADI_WHEN_TAKEN /* not default, and its policy takes it */,
    ADI_WHEN_TAKEN_BATCH /* not default, its policy takes pull_batch and it is > 1 */
} adi_point_when;

/* The ADI_POLICY_KEY_* bit of key k (an adi_key_id), or 0 when k is not a
** policy key. A key of batches (max_delay, batch_overhead) is pull_batch's. */
unsigned adi_point_policy_key(int k);

/* How key k (an adi_key_id) enters the point key: at position >= 1 as
** " label=value" under rule `when`; or position 0 and `why_not` says why
** it cannot change results. Static strings; all zero for k out of range. */
typedef struct adi_point_key_rule {
    unsigned position;
    const char *label;
    adi_point_when when;
    const char *why_not;
} adi_point_key_rule;
adi_point_key_rule adi_point_key_rule_of(int k);

#endif
