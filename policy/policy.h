/*
** policy/policy.h — the policies, as a table of descriptors: everything
** adisim knows about a policy, in one file per policy.
**
** In the style of GSL's gsl_rng_type list: each policy is one file
** (policy/pull.c, static.c, sync.c, serial.c) defining one adi_policy_desc,
** and ADI_POLICIES below lists them in one table. The scenario parser (names),
** the key table's help, `simulate --list-policies`, the engine (through the
** ops the sweep puts into adi_sim_config), the checks (check/checks.c,
** check/steady.c), the model report (report/model_report.c), the figures
** (plots/figures.c) and the real executor (exec/execute.c) all read the
** descriptor; none of them names a policy. adi_point holds a pointer to its
** policy's descriptor. adi_policy_table_check() finds an incomplete entry
** (every parse runs it, and a test): an internal error, never a fallback.
**
** A descriptor says:
**   name, help     the scenario's `policy` value and one line about it;
**   ops            the engine's operations (sim/sim_int.h: arrive, request,
**                  arrive_many, room), written in the same file;
**   devices        which devices of the point's pool it uses: all, or one
**                  (serial: the point's serial_device);
**   workloads      which workloads it runs: closed (a batch at t = 0),
**                  open (arrivals over time), or both;
**   room           how many tasks a batch at t = 0 finds room for with a
**                  finite Q (what drop keeps: n + Q; sync min(n, Q) + Q);
**   share          the expected share of a batch each device runs (equal,
**                  or in proportion to speed: m / (T_i R)), for the
**                  moment-based interval checks and figure 6's model marks;
**   work_conserving  no device idles while a task waits (checked on every
**                  batch run: makespan <= min_i finish_i + longest service,
**                  bound pull_work_conserving);
**   queueing       which exact steady-state results describe its open runs
**                  (a shared FIFO served by the device idle longest: M/M/c,
**                  M/M/c/K, the pull CTMC, M/G/1; check/steady.h);
**   claims         its own makespan bounds for a batch at t = 0 with a free
**                  producer: each a stored bound name, how it is tested
**                  (exact on every run with deterministic times; the mean
**                  over replications with random times, by a Student-t
**                  interval, or by the known moments of a sum of one
**                  device's task times), the relation and the value from
**                  the pool (model/bounds.h), and when it applies;
**   predict        the makespan `bin/model` prints for such a batch, with
**                  its words (exact, E = ..., >= ..., a range);
**   style          its colour and point type in every figure;
**   exec           how the real executor runs it: a shared queue, fixed
**                  per-device lists (split), rounds, a shared queue under
**                  eft's rule, per-device queues with stealing (split), or
**                  not at all (why);
**   net            how it runs over a network (DESIGN.md "The network",
**                  sim/net.c): whether its devices request work (pull's 1 + k
**                  requests) or the coordinator hears of them from their
**                  results (sync), its ops there when they differ (static
**                  sends every input when it puts it), how many tasks a
**                  device can hold (the window the network bounds assume),
**                  its own exact bounds over the network, and its rule in
**                  one line (simulate --list-policies, docs/network.md).
**
** Layers. A policy's file needs the engine's internals (sim/sim_int.h) and
** pure formulas (model/bounds.h), and the scenario parser needs the table
** for names, so policy/ sits between them: core .. sim, model (formulas
** only), policy, profile, scenario, check (checks.c and steady.c, which
** apply the claims to points and runs), and the layers above. The engine
** never includes policy/: it receives a descriptor's ops in adi_sim_config.
** The claims are data plus small functions of the pool rather than code in
** check/, so the checks, the counts of interval checks (for the Bonferroni
** level), the model report and the figures need nothing per policy; how a
** claim is tested (exact, mean, sum) is a handful of mechanisms the check
** layer implements once. HACKING.md, "Adding a policy", is the checklist.
**
** The policies of the next issue fit without a new field:
**   weighted  per-device FIFOs dealt in proportion to speed (the counts
**             c_i behind C*, computed in init from cfg->device[i].mean);
**             share = speed; claims {makespan_eq_weighted, exact, ==,
**             max_i c_i T_i}; exec = lists, split = the same counts.
**   eft       a shared queue; request(d) assigns the next task only if d
**             would finish it no later than any other device could, else
**             d waits for the next completion; claims {makespan_eq_optimal
**             exact == C*}; share = speed; exec none ("needs the times").
**   steal     per-device queues from a split; request(d) on an empty queue
**             steals half of a victim's. A steal costs a request over d's
**             link: the engine gains a timer for policies (an event kind
**             handed to an optional ops->timer) or, with the network, the
**             steal is a request message. Claims: <= the weighted split's
**             makespan + its steal costs, >= C*.
**   jsq, pod  workloads = open only (the scenario refuses a batch for
**             them); arrive(t) puts t on a device queue at once (least
**             expected work, or the best of d draws from s->rng);
**             queueing = none; no batch claims.
** Their keys (idle_choice, pull_batch, estimates, choices, victim,
** steal_start) are rows of scenario/keys.h in the policy's section, and a
** descriptor will list the keys it takes (a `keys` field) so that a key no
** swept policy takes is an error; the values reach the engine through one
** more config field. With the network (DESIGN.md), ops and descriptors
** stay: adi_sim_assign sends an input instead of starting it, and request
** comes when the device's request arrives.
**
** Cost: a lookup scans the table (a handful of entries); the claims and the
** prediction cost what model/bounds.h's formulas cost.
*/
#ifndef ADI_POLICY_POLICY_H
#define ADI_POLICY_POLICY_H

#include "model/bounds.h"
#include "sim/sim.h"
#include "sim/workload.h"

#include <stddef.h>
#include <stdint.h>

typedef enum adi_policy_devices {
    ADI_DEVICES_ALL, /* every device of the pool */
    ADI_DEVICES_ONE  /* one: the point's serial_device */
} adi_policy_devices;

/* Which workloads a policy runs (bits of adi_policy_desc.workloads). */
enum { ADI_WORKLOADS_CLOSED = 1, ADI_WORKLOADS_OPEN = 2 };

typedef enum adi_policy_share {
    ADI_SHARE_EQUAL, /* m / n each */
    ADI_SHARE_SPEED  /* device i about m / (T_i R) */
} adi_policy_share;

typedef enum adi_policy_queueing {
    ADI_QUEUEING_NONE,
    ADI_QUEUEING_SHARED_FIFO /* one FIFO, the device idle longest takes an arrival */
} adi_policy_queueing;

typedef enum adi_claim_kind {
    ADI_CLAIM_EXACT, /* deterministic times: on every run, to 1e-9 */
    ADI_CLAIM_MEAN,  /* random times: E[makespan], Student t over the replications */
    ADI_CLAIM_SUM    /* random times, one device: the makespan is the sum of its m task
                        times, so E and its moments are known (Wald) */
} adi_claim_kind;

typedef enum adi_exec_mode {
    ADI_EXEC_NONE,         /* the executor cannot run it (exec.limit says why) */
    ADI_EXEC_SHARED_QUEUE, /* an idle thread takes the next task; a producer thread and a
                              bounded queue when Q is finite */
    ADI_EXEC_LISTS,        /* thread i runs the tasks exec.split gives it, in order */
    ADI_EXEC_ROUNDS,       /* thread i runs task r n + i, then all wait at a barrier */
    ADI_EXEC_EARLIEST,     /* a shared queue; an idle thread takes the next task only by
                              eft's rule (policy/rules.h), else waits for a change */
    ADI_EXEC_STEAL,        /* per-thread queues from exec.split; a thread whose own is
                              empty steals half of a victim's (policy/rules.h) */
    ADI_EXEC_MODE_COUNT
} adi_exec_mode;

/* How many tasks a device holds at once over a network, which the
** network-aware bounds need (model/network.h): at most 1 + k, each after a
** request (the model's window); one at a time, sent without a request
** (rounds); or any number, sent without requests (static). */
typedef enum adi_net_window {
    ADI_NET_WINDOW_PREFETCH,
    ADI_NET_WINDOW_ONE,
    ADI_NET_WINDOW_ALL
} adi_net_window;

struct adi_star;
struct adi_netmodel;

/* What a policy's formulas see: the devices it uses and the batch. */
typedef struct adi_policy_pool {
    size_t n;                /* devices the policy uses */
    const double *times;     /* [n] s: their mean task times */
    const adi_sampler *dev;  /* [n] their task-time distributions */
    uint64_t m;              /* tasks that run */
    uint64_t capacity;       /* Q; ADI_CAPACITY_INF for none */
    adi_overflow overflow;
    int deterministic;       /* task times are their means */
    const adi_bounds *b;     /* adi_model_bounds(times, n, m) */
    const adi_sim_policy_params *params; /* the point's policy keys; NULL: the defaults */
    /* With a network (NULL without): the star of the devices it uses and
    ** its model at the point's prefetch (adi_netmodel_compute). */
    const struct adi_star *star;
    const struct adi_netmodel *nm;
} adi_policy_pool;

/* One bound a policy's batch satisfies: observed makespan `op` value. */
typedef struct adi_policy_claim {
    const char *bound;       /* the name stored in bound_check */
    adi_claim_kind kind;
    int op;                  /* -1: makespan <= value, 0: ==, +1: >= */
    int (*applies)(const adi_policy_pool *pool); /* NULL: always */
    /* the value in seconds; ADI_OK or an error (memory, quadrature) */
    int (*value)(const adi_policy_pool *pool, double *seconds);
} adi_policy_claim;

typedef struct adi_policy_style {
    const char *color;       /* "#RRGGBB" */
    int point_type;          /* gnuplot's */
} adi_policy_style;

typedef struct adi_policy_exec {
    adi_exec_mode mode;
    int finite_queue;        /* also with a finite Q (else Q = inf only) */
    const char *limit;       /* why not (mode none), or why not with a finite Q */
    /* lists, steal: device[k] = the device of task k, for k < pool->m (steal: in the
    ** order the engine deals them at t = 0) */
    void (*split)(const adi_policy_pool *pool, uint32_t *device);
} adi_policy_exec;

typedef struct adi_policy_net {
    adi_sim_net_mode mode;           /* its devices request, or it hears of results */
    const struct adi_policy_ops *ops;/* over a network; NULL: the policy's own */
    adi_net_window window;
    const adi_policy_claim *claims;  /* exact bounds over a network (deterministic,
                                        batch, free producer); ends with a NULL bound */
    const char *rule;                /* one line: how its tasks travel */
} adi_policy_net;

/* The policy keys of [scenario] (scenario/keys.h), as bits of a
** descriptor's `keys`: the ones it takes. A key given or swept that no
** policy of the sweep takes is an error, and a point's key names a policy
** key only when its policy takes it (scenario/point.h). */
enum {
    ADI_POLICY_KEY_IDLE_CHOICE = 1u << 0,
    ADI_POLICY_KEY_PULL_BATCH = 1u << 1,
    ADI_POLICY_KEY_MAX_DELAY = 1u << 2,
    ADI_POLICY_KEY_ESTIMATES = 1u << 3,
    ADI_POLICY_KEY_CHOICES = 1u << 4,
    ADI_POLICY_KEY_VICTIM = 1u << 5,
    ADI_POLICY_KEY_STEAL_START = 1u << 6,
    ADI_POLICY_KEY_ALL = (1u << 7) - 1
};

typedef struct adi_policy_desc {
    const char *name;
    const char *help;        /* one line */
    const struct adi_policy_ops *ops;
    unsigned keys;           /* ADI_POLICY_KEY_* bits: the policy keys it takes */
    /* Optional: the ops a run with these parameters uses (without a network,
    ** or with one when network is 1); NULL from it, or no variant at all,
    ** means ops (net.ops over a network). A policy whose keys change its
    ** data structures (pull's idle rules and batches) runs them through
    ** other ops, so that its default keeps its own code and speed. */
    const struct adi_policy_ops *(*variant)(const adi_sim_policy_params *prm, int network);
    /* Non-NULL: why it does not run a closed workload with overflow = drop
    ** and a finite Q (the scenario refuses it): its room at t = 0 is no
    ** function of n and Q (it deals tasks by speed, or declines some). */
    const char *drop_limit;
    adi_policy_devices devices;
    unsigned workloads;      /* ADI_WORKLOADS_* bits */
    uint64_t (*room)(size_t n, uint64_t capacity);
    adi_policy_share share;
    int work_conserving;
    adi_policy_queueing queueing;
    const adi_policy_claim *claims; /* ends with an entry whose bound is NULL */
    /* the predicted makespan of a batch at t = 0 with a free producer, as
    ** text; ADI_OK or an error */
    int (*predict)(const adi_policy_pool *pool, char *out, size_t size);
    adi_policy_style style;
    adi_policy_exec exec;
    adi_policy_net net;
} adi_policy_desc;

/* The table: one row per policy, in order, the default (the paper's)
** first. Row X(foo) is adi_policy_foo, defined in policy/foo.c. */
#define ADI_POLICIES(X) \
    X(pull)             \
    X(static)           \
    X(sync)             \
    X(serial)           \
    X(weighted)         \
    X(eft)              \
    X(steal)            \
    X(jsq)              \
    X(pod)

#define ADI_POLICY_EXTERN(name) extern const adi_policy_desc adi_policy_##name;
ADI_POLICIES(ADI_POLICY_EXTERN)
#undef ADI_POLICY_EXTERN

/* The most entries the table may have (arrays per policy in the figures are
** this long; adi_policy_table_check refuses a longer table). */
#define ADI_POLICY_MAX 32

/* The table, in its order; the first is the default (the `policy` key's). */
size_t adi_policy_count(void);
const adi_policy_desc *adi_policy_at(size_t i); /* NULL past the end */
const adi_policy_desc *adi_policy_default(void);
/* Its position in the table (sweeps and figures number policies by it). */
size_t adi_policy_index(const adi_policy_desc *p);
const char *adi_policy_name(const adi_policy_desc *p);

/* *p = the policy called name; ADI_EINPUT naming the valid ones, or
** ADI_EINTERNAL when the table is incomplete. */
int adi_policy_parse(const char *name, const adi_policy_desc **p);

/* 1 when p runs workload w (its workloads bits). */
int adi_policy_runs(const adi_policy_desc *p, const adi_workload_desc *w);

/* The help of the `policy` key: every entry's name and help, built once. */
const char *adi_policy_key_help(void);

/* ADI_OK when every entry is complete and consistent (a unique name, help,
** ops with init/free/arrive/request, room, predict, a style, a known
** executor mode with what it needs, claims with names and values, sums
** only for one device); else ADI_EINTERNAL naming the entry and field. */
int adi_policy_table_check(void);

/* The same for one descriptor (a table's entry or one being written):
** ADI_OK, or ADI_EINTERNAL "policy NAME has no FIELD". */
int adi_policy_desc_check(const adi_policy_desc *p);

/* The ops a run over a network uses (net.ops, else ops). */
const struct adi_policy_ops *adi_policy_net_ops(const adi_policy_desc *p);

/* The ops a run uses: its variant for prm (NULL prm: the defaults), else
** ops, or adi_policy_net_ops over a network. */
const struct adi_policy_ops *adi_policy_run_ops(const adi_policy_desc *p,
                                                const adi_sim_policy_params *prm, int network);

/* The policy keys' values (policy/params.c): names and parsers, each
** parse ADI_OK or ADI_EINPUT listing the valid names. */
const char *adi_idle_choice_name(adi_idle_choice c);
int adi_idle_choice_parse(const char *name, adi_idle_choice *c);
const char *adi_estimates_name(adi_estimates e);
int adi_estimates_parse(const char *name, adi_estimates *e);
const char *adi_victim_name(adi_victim v);
int adi_victim_parse(const char *name, adi_victim *v);
const char *adi_steal_start_name(adi_steal_start s);
int adi_steal_start_parse(const char *name, adi_steal_start *s);

/* "idle_choice = fastest, pull_batch = 4": the keys of mask (ADI_POLICY_KEY_*
** bits) that p takes (all of mask when p is NULL), with prm's values; "" for
** none. Returns buf. */
char *adi_policy_params_text(const adi_policy_desc *p, const adi_sim_policy_params *prm,
                             unsigned mask, char *buf, size_t size);

/* A claim's value every policy may use: C* (pool->b->optimal), what no
** run of identical tasks at t = 0 beats. */
int adi_policy_claim_optimal(const adi_policy_pool *pool, double *seconds);

/* The room every policy but sync has: n idle devices take one task each
** and Q wait (saturating). */
uint64_t adi_policy_room_devices_plus_queue(size_t n, uint64_t capacity);

#endif
