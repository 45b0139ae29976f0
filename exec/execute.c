/*
** exec/execute.c — executing a point for real (see execute.h).
**
** Threads: one per device of the pool, plus a producer with a finite queue
** (pull, static, weighted, sync, eft, steal). They prepare their buffers
** and check one task, then wait at a start gate (mutex + condition
** variable); when all that started are ready, the main thread reads the
** clock (t0) and opens the gate, or, if a thread could not be created, tells
** them all to stop. Per task the arrays enq/begin/end/done (one slot per
** task id, written by the one thread that ran it) record what happened; the
** result is built from them after the threads are joined.
**
** How tasks are handed out is the policy's executor mode (its descriptor's
** exec, policy/policy.h): a shared queue (pull, serial; with pull's keys a
** set of waiting threads, each handed its batch in a box under the lock:
** the "chosen" queue), fixed per-device lists from the policy's split
** (static, weighted; with a finite Q per-device queues a producer feeds,
** the "dealt" lists), rounds with a barrier (sync; with a finite Q rounds
** started from the producer's bounded queue, each thread handed its task in
** direct[i]), a shared queue under eft's rule (parked threads wait on a
** condition variable and look again after every take and completion, the
** best parked first, as the engine asks them; with a finite Q after every
** put too, the task a blocked producer holds counting as waiting), or
** per-thread queues with stealing (steal; one lock for all queues, so that
** the victim rule sees every queue's length at once; with a finite Q fed as
** the dealt lists, the producer serving the idle threads' list after each
** task it queues); a policy without one is refused with its reason, and an
** unknown mode is an internal error. eft's and steal's decisions call the
** engine's own rules (policy/rules.h).
**
** Costs: O(m) memory for the per-task records (tasks are limited to 10^6);
** one mutex operation per task for pull (tasks of milliseconds make it
** negligible; for microsecond kernels like x2 it is part of what is
** measured, as it would be in a real deployment); eft adds O(n) per
** decision and wakes every parked thread at each take and completion (and
** put, with a finite Q; n is at most the cores); steal O(n) per steal, and
** with a finite Q O(n) per task its producer queues (the idle list).
*/
#include "exec/execute.h"
#include "kernels/blas.h"
#include "kernels/task.h"
#include "measure/host.h"
#include "kernels/kernels.h"
#include "profile/profile.h"
#include "core/clock.h"
#include "core/error.h"
#include "check/checks.h"
#include "policy/policy.h"
#include "policy/rules.h"
#include "core/hash.h"

#include <gsl/gsl_rng.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_EXEC_TASKS 1000000ULL
/* Outputs summed after every task to see it computed what the checked first
** task did. Few on purpose: the check runs between tasks, inside the
** makespan. Summing every 61st output (a quarter of the cache lines) cost
** 0.3 ms after each 4.7 ms stem task, and the executor ran 6 to 8 % slower
** than its profile; 64 outputs cost about a microsecond. A kernel gone wrong
** changes nearly every output, so 64 spread over the buffer catch it. */
#define CHECKSUM_SAMPLES 64

struct run_state;

/* A steal queue: its waiting task ids id[head .. head + len), oldest first. */
typedef struct squeue {
    uint64_t *id;
    uint64_t len;             /* the victim rule reads it (adi_rule_victim) */
    size_t head, cap;
} squeue;

typedef struct worker {
    struct run_state *x;
    size_t device;                  /* its index in the pool */
    const adi_kernel_profile *kp;
    adi_gemm_fn gemm;               /* the one its profile was measured with */
    adi_task task;                  /* its buffers and data (kernels/task.h) */
    double *reference;              /* [b]: sampled checksum of each task's outputs in the */
                                    /* checked first run (one task, or a batch of b) */
    double busy, finish;            /* s */
    uint64_t tasks;
    pthread_t thread;
    int started;
} worker;

typedef struct run_state {
    const adi_point *p;
    adi_exec_mode mode;       /* the policy's (exec.mode) */
    size_t n;                 /* threads running tasks */
    uint64_t m, capacity;
    worker *w;
    pthread_mutex_t lock;
    pthread_cond_t nonempty, nonfull;
    pthread_cond_t gate;      /* the start: ready counts, state opens it */
    size_t ready;
    int state;                /* 0 wait, 1 go, -1 stop */
    pthread_barrier_t rounds; /* sync: the end of each round */
    size_t outstanding;       /* sync with a finite Q: tasks of the running round not done */
    uint64_t next;            /* shared queue without a bound: the next task id */
    uint64_t *list;           /* lists: thread i's task ids, in order, are */
    size_t *list_start;       /* list[list_start[i] .. list_start[i + 1]) */
    /* lists with a finite Q: the producer deals task k to device[k]'s queue
    ** (sq), or straight to an idle thread (direct[d]); `waiting` counts the
    ** queued tasks of all devices, at most Q */
    uint32_t *device;
    uint64_t *direct;
    unsigned char *busy;
    uint64_t waiting;
    uint64_t *ring;           /* pull with a bound: waiting task ids */
    size_t head, len;
    uint64_t produced;
    double blocked;           /* s the producer waited for room */
    uint64_t max_queue;
    double t0;                /* the clock when the threads were let go */
    /* eft (earliest mode): the coordinator's view, as policy/eft.c keeps it */
    adi_estimates estimates;
    double prior;             /* s: the pool's mean T (online estimates' start) */
    double *cycle;            /* [n] s: C_i as the rule knows it */
    double *free_at;          /* [n] s after t0: when i is expected to be done */
    unsigned char *parked;    /* [n] 1 while thread i waits for a task */
    size_t nparked;
    pthread_cond_t changed;   /* eft: a take, a completion or a put; parked threads look again */
    /* eft with a finite Q: tasks next .. produced - 1 wait (FIFO, so tasks
    ** are taken in id order), at most Q; `holding` while the producer is
    ** blocked with task `produced`, which the rule counts as waiting, as
    ** policy/eft.c's eft_room does */
    int fed;
    int holding;
    /* steal: thread i's own queue, its first task (m: none) and the victims' stream */
    struct squeue *sq;
    uint64_t *first;
    gsl_rng *rng;
    double *enq, *begin, *end;/* [m], s after t0 */
    uint32_t *done;           /* [m]: how often each task ran */
    int failed;               /* ADI_OK, or the first failure */
    char message[512];
    pthread_t producer;
    /* pull's keys (the chosen queue, when they are not the defaults): */
    int chosen;               /* idle_choice or pull_batch in effect */
    adi_idle_choice idle_choice;
    uint64_t b;               /* the most tasks a thread takes at once (1: one) */
    double max_delay;         /* s */
    const double *times;      /* [n] s: the profiles' T_i (fastest) */
    size_t *idle, nidle;      /* threads waiting for tasks, in the order they came */
    uint64_t *box;            /* [n * b]: the tasks handed to thread i, box[i b ..] */
    uint64_t *nbox;           /* [n] */
    uint64_t handed;          /* tasks handed to threads (sync with a finite Q too) */
    pthread_cond_t given;     /* a thread's box (direct[i] for sync) was filled, or */
                              /* nothing is left */
} run_state;

unsigned adi_execute_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* Why device d's profile does not describe this machine (a message in a
** thread-local buffer), or NULL when it does. A prediction from another
** machine's times (or from an estimate) says nothing about the simulator. */
static char host_cpu[sizeof ((adi_profile *)0)->cpu]; /* this machine's, as profiles say it */
static void read_host_cpu(void) { adi_host_cpu(host_cpu, sizeof host_cpu); }

static const char *foreign_profile(const adi_scenario *sc, size_t d)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT; /* /proc/cpuinfo is read once */
    static _Thread_local char why[512];
    const adi_profile *pf = adi_scenario_device_profile(sc, d);
    const char *path = pf->path ? pf->path : pf->device;
    if (pf->source != ADI_SOURCE_MEASURED) {
        snprintf(why, sizeof why, "device %zu's profile %s is %s, not measured: execution "
                 "compares the simulator with runs on the machine its profiles were measured on",
                 d, path, adi_source_name(pf->source));
        return why;
    }
    pthread_once(&once, read_host_cpu);
    unsigned cores = adi_execute_cores();
    if (strcmp(host_cpu, pf->cpu) != 0 || cores != pf->cores) {
        snprintf(why, sizeof why, "device %zu's profile %s was measured on another machine (%.100s, "
                 "%u cores; this one is %.100s, %u cores): calibrate here first", d, path,
                 pf->cpu, pf->cores, host_cpu, cores);
        return why;
    }
    return NULL;
}

int adi_execute_supported(const adi_scenario *sc, const adi_point *p, const char **why)
{
    const double *times;
    const adi_sampler *dev;
    size_t n = adi_point_used_devices(p, &times, &dev);
    size_t first = adi_point_first_device(p);
    const adi_policy_exec *e = &p->policy->exec;
    if (!adi_scenario_device_kernel(sc, 0))
        *why = "the pool is not calibrated: execution runs the kernels its profiles name";
    else if (p->infeasible)
        *why = "infeasible";
    else if (p->workload->open || p->submit_cost != 0)
        *why = "only batch workloads with a free producer are executed";
    else if (e->mode == ADI_EXEC_NONE)
        *why = e->limit;
    else if (!e->finite_queue && p->capacity != ADI_CAPACITY_INF)
        *why = e->limit;
    else if (p->capacity != ADI_CAPACITY_INF && p->overflow == ADI_OVERFLOW_DROP)
        *why = "overflow = drop is not executed (the executor's producer blocks on a full queue)";
    else if (n > adi_execute_cores())
        *why = "more devices than this machine has cores";
    else if (p->tasks > MAX_EXEC_TASKS)
        *why = "more than 10^6 tasks";
    else {
        for (size_t d = first; d < first + n; d++)
            if ((*why = foreign_profile(sc, d)) != NULL)
                return 0;
        return 1;
    }
    return 0;
}

/* Records the first failure: `what` happened to device `device`. */
static void fail_run(run_state *x, int code, const char *what, size_t device)
{
    pthread_mutex_lock(&x->lock);
    if (x->failed == ADI_OK) {
        x->failed = code;
        snprintf(x->message, sizeof x->message, "device %zu %s", device, what);
    }
    pthread_mutex_unlock(&x->lock);
}

/* Waits at the start gate; 1 to go, 0 to stop. */
static int wait_gate(run_state *x)
{
    pthread_mutex_lock(&x->lock);
    x->ready++;
    pthread_cond_broadcast(&x->gate);
    while (x->state == 0)
        pthread_cond_wait(&x->gate, &x->lock);
    int go = x->state > 0;
    pthread_mutex_unlock(&x->lock);
    return go;
}

adi_gemm_fn adi_execute_gemm(const adi_profile *pf)
{
    return strncmp(pf->blas, "adi_gemm_plain", 14) == 0 ? adi_gemm_plain : adi_gemm_blas;
}

/* The sampled checksum of task slot j's outputs (n floats each). A task's
** outputs do not depend on the batch it ran in (conv runs image by image,
** x2 element by element), so slot j of any batch must give slot j's sum of
** the checked first run. */
static double checksum(const worker *k, size_t j, size_t n)
{
    double sum = 0;
    size_t stride = n / CHECKSUM_SAMPLES | 1; /* odd: not aligned with the planes */
    const float *out = k->task.buf.out + j * n;
    for (size_t i = 0; i < n; i += stride)
        sum += out[i];
    return sum;
}

/* Buffers (for b tasks at once with pull_batch = b), reproducible data, one
** checked run (kernels/task.h) and each task slot's reference. */
static int prepare(worker *k)
{
    uint64_t b = k->x->b;
    adi_conv_shape shape = k->kp->shape;
    shape.batch *= (size_t)b;
    k->reference = malloc(b * sizeof *k->reference);
    if (!k->reference)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = adi_task_init(&k->task, k->kp->kernel, &shape, k->gemm);
    if (rc == ADI_OK)
        rc = adi_task_prepare(&k->task, 1, NULL);
    for (uint64_t j = 0; rc == ADI_OK && j < b; j++)
        k->reference[j] = checksum(k, j, k->task.n_out / b);
    return rc;
}

/* Runs tasks id[0..count) as one kernel call on count tasks' data (the
** first count slots of the buffers: what calibrate --batch timed). */
static void run_batch(worker *k, const uint64_t *id, uint64_t count)
{
    run_state *x = k->x;
    adi_task view = k->task;
    size_t per = k->task.n_out / x->b;
    if (count != x->b) { /* the same buffers, sized for count tasks */
        adi_conv_shape shape = k->kp->shape;
        shape.batch *= (size_t)count;
        adi_task_init(&view, k->kp->kernel, &shape, k->gemm); /* smaller: cannot fail */
        view.buf = k->task.buf;
    }
    double begin = adi_clock_s() - x->t0;
    int rc = adi_task_run(&view);
    double end = adi_clock_s() - x->t0;
    for (uint64_t j = 0; j < count; j++) {
        x->begin[id[j]] = begin;
        x->end[id[j]] = end;
        __atomic_fetch_add(&x->done[id[j]], 1, __ATOMIC_RELAXED);
        if (checksum(k, j, per) != k->reference[j])
            rc = -1;
    }
    k->busy += end - begin;
    k->finish = end;
    k->tasks += count;
    if (rc != 0)
        fail_run(x, ADI_EINTERNAL, "computed a wrong result", k->device);
}

static void run_task(worker *k, uint64_t id) { run_batch(k, &id, 1); }

/* The next task for a pull worker, or m when there is none left. */
static uint64_t take(run_state *x)
{
    uint64_t id = x->m;
    pthread_mutex_lock(&x->lock);
    if (!x->ring) {
        if (x->next < x->m)
            id = x->next++;
    } else {
        while (x->len == 0 && x->produced < x->m)
            pthread_cond_wait(&x->nonempty, &x->lock);
        if (x->len) {
            id = x->ring[x->head];
            x->head = (x->head + 1) % x->capacity;
            x->len--;
            pthread_cond_signal(&x->nonfull);
        }
    }
    pthread_mutex_unlock(&x->lock);
    return id;
}

/* ---- pull's keys: which waiting thread gets a task, batches -------------- */

/* Tasks waiting: the ring's (a finite Q) or all not yet handed (Q = inf). */
static uint64_t chosen_waiting(const run_state *x)
{
    return x->ring ? x->len : x->m - x->next;
}

static uint64_t chosen_pop(run_state *x)
{
    if (!x->ring)
        return x->next++;
    uint64_t id = x->ring[x->head];
    x->head = (x->head + 1) % x->capacity;
    x->len--;
    pthread_cond_signal(&x->nonfull);
    return id;
}

/* The waiting thread that gets the next batch, removed from the set
** (policy/pull.c's rules): the one waiting longest, the fastest by its
** profile's T_i (ties: the lower index), or one drawn uniformly. */
static size_t idle_take(run_state *x)
{
    size_t a = 0;
    if (x->idle_choice == ADI_IDLE_FASTEST) {
        for (size_t c = 1; c < x->nidle; c++) {
            size_t d = x->idle[c], e = x->idle[a];
            if (x->times[d] < x->times[e] || (x->times[d] == x->times[e] && d < e))
                a = c;
        }
    } else if (x->idle_choice == ADI_IDLE_RANDOM) {
        a = (size_t)gsl_rng_uniform_int(x->rng, (unsigned long)x->nidle);
        size_t d = x->idle[a];
        x->idle[a] = x->idle[--x->nidle];
        return d;
    }
    size_t d = x->idle[a];
    memmove(x->idle + a, x->idle + a + 1, (--x->nidle - a) * sizeof *x->idle);
    return d;
}

/* Hands batches to waiting threads while one may leave (policy/pull.c's
** rule: b wait, the queue is full, every task left waits, or the oldest has
** waited max_delay). Under x->lock. */
static void dispatch(run_state *x, double now)
{
    int gave = 0;
    for (uint64_t w; (w = chosen_waiting(x)) > 0 && x->nidle > 0;) {
        double oldest = x->ring ? x->enq[x->ring[x->head]] : 0;
        if (!(w >= x->b || (x->ring && w >= x->capacity) || w >= x->m - x->handed ||
              oldest + x->max_delay <= now))
            break;
        size_t d = idle_take(x);
        uint64_t k = w < x->b ? w : x->b;
        for (uint64_t j = 0; j < k; j++)
            x->box[d * x->b + j] = chosen_pop(x);
        x->nbox[d] = k;
        x->handed += k;
        gave = 1;
    }
    if (gave || x->handed == x->m)
        pthread_cond_broadcast(&x->given);
}

/* Thread i waits for its next batch: into box, its size returned; 0 when
** every task is handed out. With max_delay finite it wakes when the oldest
** waiting task has waited that long (the engine's policy timer). */
static uint64_t chosen_take(run_state *x, size_t i, uint64_t *box)
{
    pthread_mutex_lock(&x->lock);
    x->idle[x->nidle++] = i;
    dispatch(x, adi_clock_s() - x->t0);
    while (x->nbox[i] == 0 && x->handed < x->m) {
        if (isfinite(x->max_delay) && x->ring && x->len) {
            double due = x->t0 + x->enq[x->ring[x->head]] + x->max_delay;
            struct timespec ts = {.tv_sec = (time_t)due,
                                  .tv_nsec = (long)((due - floor(due)) * 1e9)};
            pthread_cond_timedwait(&x->given, &x->lock, &ts);
        } else {
            pthread_cond_wait(&x->given, &x->lock);
        }
        dispatch(x, adi_clock_s() - x->t0);
    }
    uint64_t k = x->nbox[i];
    memcpy(box, x->box + i * x->b, k * sizeof *box);
    x->nbox[i] = 0;
    pthread_mutex_unlock(&x->lock);
    return k;
}

/* The chosen queue's state: pull's keys, its idle set and boxes, and a
** stream for random choices seeded from the point and the replication. */
static int make_chosen(run_state *x, const double *times, uint64_t rep)
{
    x->times = times;
    x->idle = malloc(x->n * sizeof *x->idle);
    x->box = malloc(x->n * x->b * sizeof *x->box);
    x->nbox = calloc(x->n, sizeof *x->nbox);
    x->rng = gsl_rng_alloc(gsl_rng_taus2);
    if (!x->idle || !x->box || !x->nbox || !x->rng)
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", x->n);
    gsl_rng_set(x->rng, adi_stream_seed(x->p->seed, x->p->key, rep));
    return ADI_OK;
}

/* ---- eft: a shared queue under the earliest-finish rule ------------------ */

/* The parked thread whose next slot max(now, f_d) + C_d is earliest (ties:
** the lower index), n when none: the one policy/eft.c asks first. */
static size_t best_parked(const run_state *x, double now)
{
    size_t best = x->n;
    double bx = INFINITY;
    for (size_t d = 0; d < x->n; d++) {
        if (!x->parked[d])
            continue;
        double t = fmax(now, x->free_at[d]) + x->cycle[d];
        if (best == x->n || t < bx) {
            best = d;
            bx = t;
        }
    }
    return best;
}

/* The W the rule sees: every task not yet taken (Q = inf), or those queued
** and the one the blocked producer holds. Under x->lock. */
static uint64_t eft_waiting(const run_state *x)
{
    if (!x->fed)
        return x->m - x->next;
    return (x->produced > x->next ? x->produced - x->next : 0) + (uint64_t)x->holding;
}

/* Thread i is idle (at the start, or its task just ended): the next task it
** takes, or m when none is left. As the engine does after every event, the
** best parked thread is asked while tasks wait; a thread that is not the
** best, or that declines, waits for the next take, completion or put. */
static uint64_t eft_take(run_state *x, worker *k, size_t i)
{
    pthread_mutex_lock(&x->lock);
    double now = adi_clock_s() - x->t0;
    if (!x->parked[i]) { /* its task ended now (at the start every thread is parked) */
        x->free_at[i] = now;
        if (x->estimates == ADI_ESTIMATES_ONLINE) /* what it measured so far */
            x->cycle[i] = adi_rule_online(x->prior, k->busy, k->tasks);
        x->parked[i] = 1;
        x->nparked++;
        pthread_cond_broadcast(&x->changed);
    }
    uint64_t id = x->m;
    while (x->next < x->m) {
        uint64_t w = eft_waiting(x); /* 0: the producer has not put the next yet */
        if (w > 0 && best_parked(x, now) == i) {
            if (adi_rule_eft_better(x->free_at, x->cycle, NULL, x->n, now, i, w) < w) {
                x->free_at[i] = fmax(now, x->free_at[i]) + x->cycle[i];
                id = x->next++;
                if (x->fed && id == x->produced) { /* the held one, from the producer's hand */
                    x->enq[id] = now;
                    x->produced++;
                    x->holding = 0;
                }
                if (x->fed)
                    pthread_cond_signal(&x->nonfull); /* the one producer: a slot freed */
                break;
            }
            /* the rule never leaves the whole pool idle while tasks wait
            ** (model/split.h): the best of n idle devices has the earliest slot */
            if (x->nparked == x->n) {
                x->failed = x->failed ? x->failed : ADI_EINTERNAL;
                snprintf(x->message, sizeof x->message,
                         "device %zu declined a task with the whole pool idle", k->device);
                x->next = x->m; /* nobody takes another; the producer puts the rest */
                pthread_cond_signal(&x->nonfull);
                break;
            }
        }
        pthread_cond_wait(&x->changed, &x->lock);
        now = adi_clock_s() - x->t0;
    }
    x->parked[i] = 0;
    x->nparked--;
    pthread_cond_broadcast(&x->changed); /* W and i's slots moved: the next best looks */
    pthread_mutex_unlock(&x->lock);
    return id;
}

/* eft's producer with a finite Q: task after task into the queue while
** fewer than Q wait; when Q wait it blocks holding the next, which counts in
** W (a parked thread may take it: the oldest queued goes, it is queued
** behind), and puts it when a slot frees. Every put wakes the parked
** threads, W having grown. */
static void *produce_earliest(void *arg)
{
    run_state *x = arg;
    if (!wait_gate(x))
        return NULL;
    pthread_mutex_lock(&x->lock);
    while (x->produced < x->m) {
        if (x->produced >= x->next + x->capacity) {
            double since = adi_clock_s();
            x->holding = 1;
            pthread_cond_broadcast(&x->changed);
            while (x->holding && x->produced >= x->next + x->capacity)
                pthread_cond_wait(&x->nonfull, &x->lock);
            x->blocked += adi_clock_s() - since;
            if (!x->holding) /* a thread took it from its hand */
                continue;
            x->holding = 0;
        }
        x->enq[x->produced] = adi_clock_s() - x->t0;
        x->produced++;
        if (x->produced > x->next && x->produced - x->next > x->max_queue)
            x->max_queue = x->produced - x->next;
        pthread_cond_broadcast(&x->changed);
        pthread_mutex_unlock(&x->lock); /* the threads between two puts */
        pthread_mutex_lock(&x->lock);
    }
    pthread_mutex_unlock(&x->lock);
    return NULL;
}

/* The rule's state before the start: every thread idle and parked (so the
** first tasks go best first whichever thread wakes first), C_i its
** profile's mean T_i (exact) or the pool's mean (online, before anything is
** seen). */
static int make_earliest(run_state *x, const double *times)
{
    x->fed = x->p->capacity != ADI_CAPACITY_INF;
    if (x->fed && x->capacity > x->m)
        x->capacity = x->m; /* a queue longer than the batch never fills */
    x->estimates = x->p->params.estimates;
    x->prior = adi_rule_prior(times, x->n);
    x->cycle = malloc(x->n * sizeof *x->cycle);
    x->free_at = calloc(x->n, sizeof *x->free_at);
    x->parked = calloc(x->n, 1);
    if (!x->cycle || !x->free_at || !x->parked)
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", x->n);
    for (size_t d = 0; d < x->n; d++) {
        x->cycle[d] = x->estimates == ADI_ESTIMATES_ONLINE ? x->prior : times[d];
        x->parked[d] = 1; /* as the engine starts: all idle, asked best first */
    }
    x->nparked = x->n;
    return ADI_OK;
}

/* ---- sync with a finite Q: rounds from the producer's bounded queue ------ */

/* Starts a round if one may (policy/sync.c's try_round): none is running,
** and min(n, tasks not yet started) wait or the queue is full; threads 0,
** 1, ... each get one, oldest first (direct[d]). So every round has min(n,
** Q, tasks left) tasks, whatever the timing. Under x->lock. */
static void round_start(run_state *x)
{
    if (x->outstanding || x->len == 0)
        return;
    uint64_t unstarted = x->m - x->handed, need = unstarted < x->n ? unstarted : x->n;
    if (x->len < need && x->len < x->capacity)
        return;
    size_t k = x->len < x->n ? (size_t)x->len : x->n;
    for (size_t d = 0; d < k; d++) {
        x->direct[d] = x->ring[x->head];
        x->head = (x->head + 1) % x->capacity;
        x->len--;
    }
    x->handed += k;
    x->outstanding = k;
    pthread_cond_signal(&x->nonfull); /* the one producer: slots freed */
    pthread_cond_broadcast(&x->given);
}

/* Thread i's task of the next round, m when every task is handed out;
** `ended` when its task of the running round just ended (the last one to
** end starts the next round, as the engine's request does). */
static uint64_t round_take(run_state *x, size_t i, int ended)
{
    pthread_mutex_lock(&x->lock);
    if (ended && --x->outstanding == 0)
        round_start(x);
    while (x->direct[i] == x->m && x->handed < x->m)
        pthread_cond_wait(&x->given, &x->lock);
    uint64_t id = x->direct[i];
    x->direct[i] = x->m;
    pthread_mutex_unlock(&x->lock);
    return id;
}

/* The rounds mode with a finite Q: a task slot per thread (none: m). */
static int make_rounds(run_state *x)
{
    if (!(x->direct = malloc(x->n * sizeof *x->direct)))
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", x->n);
    for (size_t d = 0; d < x->n; d++)
        x->direct[d] = x->m;
    return ADI_OK;
}

/* ---- steal: per-thread queues, a thread with none steals half ------------ */

static int sq_push(squeue *q, uint64_t id)
{
    if (q->len == 0)
        q->head = 0;
    if (q->head + q->len == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 16;
        uint64_t *more = realloc(q->id, cap * sizeof *more);
        if (!more)
            return -1;
        q->id = more;
        q->cap = cap;
    }
    q->id[q->head + q->len++] = id;
    return 0;
}

static uint64_t sq_pop(squeue *q)
{
    q->len--;
    return q->id[q->head++];
}

/* Thread d's own queue is empty: it takes ceil(w / 2) of the victim's w
** waiting, the oldest first, and returns the first of them to run; m when
** nothing waits anywhere. Under x->lock (or before the start). */
static uint64_t steal_from_victim(run_state *x, size_t d)
{
    size_t v = adi_rule_victim(&x->sq[0].len, sizeof *x->sq, x->n, x->p->params.victim, x->rng);
    if (v == x->n)
        return x->m;
    uint64_t take = adi_rule_steal_count(x->sq[v].len), id = sq_pop(&x->sq[v]);
    for (uint64_t j = 1; j < take; j++)
        if (sq_push(&x->sq[d], sq_pop(&x->sq[v])) != 0)
            return UINT64_MAX;
    return id;
}

/* The next task of steal thread i: its own oldest, else a stolen one; m
** when nothing waits anywhere (no task arrives later in a batch, so it is
** done, as the engine's idle device is). */
static uint64_t steal_take(run_state *x, worker *k, size_t i)
{
    pthread_mutex_lock(&x->lock);
    uint64_t id = x->sq[i].len ? sq_pop(&x->sq[i]) : steal_from_victim(x, i);
    pthread_mutex_unlock(&x->lock);
    if (id == UINT64_MAX) {
        fail_run(x, ADI_ENOMEM, "ran out of memory for its stolen tasks", k->device);
        id = x->m;
    }
    return id;
}

/* ---- lists and steal with a finite Q: per-device queues fed by a producer */

/* Removes thread d from the steal mode's idle list (it is there). */
static void unidle(run_state *x, size_t d)
{
    size_t a = 0;
    while (x->idle[a] != d)
        a++;
    memmove(x->idle + a, x->idle + a + 1, (--x->nidle - a) * sizeof *x->idle);
}

/* Steal with a finite Q, after a task was queued: the idle threads, the one
** idle longest first, take a task of their own queue or steal while any
** waits (policy/steal.c's serve_idle), each handed its task in direct[].
** 0, or -1 (memory). Under x->lock. */
static int serve_idle(run_state *x)
{
    while (x->nidle && x->waiting) {
        size_t e = x->idle[0];
        uint64_t id = x->sq[e].len ? sq_pop(&x->sq[e]) : steal_from_victim(x, e);
        if (id == UINT64_MAX)
            return -1;
        if (id == x->m)
            break;
        x->direct[e] = id;
        x->busy[e] = 1;
        x->waiting--;
        unidle(x, e);
    }
    return 0;
}

/* Thread i's next task: the one handed to it while idle, else its queue's
** oldest, else (steal, when its task just `ended`: its request) one it
** steals; m when the producer is done and nothing is left for it. While it
** has nothing it is idle, and the producer may hand it a task at once (for
** steal it waits in the idle list, which every thread starts in, as the
** engine's devices do, and is served from there). */
static uint64_t dealt_take(run_state *x, size_t i, int ended)
{
    pthread_mutex_lock(&x->lock);
    uint64_t id = x->m;
    for (;;) {
        if (x->direct[i] < x->m) {
            id = x->direct[i];
            x->direct[i] = x->m;
            break;
        }
        if (x->sq[i].len) {
            id = sq_pop(&x->sq[i]);
            x->waiting--;
            pthread_cond_broadcast(&x->nonfull); /* a slot freed */
            break;
        }
        if (x->mode == ADI_EXEC_STEAL && ended) {
            ended = 0; /* it asks once; then it waits to be served */
            id = steal_from_victim(x, i);
            if (id < x->m) {
                x->waiting--;
                pthread_cond_broadcast(&x->nonfull);
                break;
            }
            if (id == UINT64_MAX) { /* it stops; the producer sees the failure */
                pthread_mutex_unlock(&x->lock);
                fail_run(x, ADI_ENOMEM, "ran out of memory for its stolen tasks",
                         x->w[i].device);
                pthread_mutex_lock(&x->lock);
                x->busy[i] = 0;
                pthread_cond_broadcast(&x->nonfull);
                pthread_mutex_unlock(&x->lock);
                return x->m;
            }
            x->idle[x->nidle++] = i;
        }
        x->busy[i] = 0;
        pthread_cond_broadcast(&x->nonfull); /* a task held for i may go now */
        if (x->produced == x->m)
            break;
        pthread_cond_wait(&x->nonempty, &x->lock);
    }
    if (id < x->m)
        x->busy[i] = 1;
    pthread_mutex_unlock(&x->lock);
    return id;
}

static void *work(void *arg)
{
    worker *k = arg;
    run_state *x = k->x;
    int rc = prepare(k);
    if (rc != ADI_OK) /* fail_run copies the message */
        fail_run(x, rc, rc == ADI_ENOMEM ? "could not get memory for its buffers"
                        : rc == ADI_EINPUT ? adi_errmsg() /* its task's size */
                        : "computed a wrong result in its checked first task", k->device);
    if (!wait_gate(x))
        return NULL;
    size_t i = (size_t)(k - x->w);
    switch (x->mode) {
    case ADI_EXEC_LISTS:
        if (x->device) { /* fed by the producer */
            for (uint64_t id = dealt_take(x, i, 0); id < x->m; id = dealt_take(x, i, 1))
                run_task(k, id);
            break;
        }
        for (size_t j = x->list_start[i]; j < x->list_start[i + 1]; j++)
            run_task(k, x->list[j]);
        break;
    case ADI_EXEC_ROUNDS: {
        if (x->ring) { /* fed by the producer */
            for (uint64_t id = round_take(x, i, 0); id < x->m; id = round_take(x, i, 1))
                run_task(k, id);
            break;
        }
        uint64_t rounds = (x->m + x->n - 1) / x->n;
        for (uint64_t r = 0; r < rounds; r++) {
            uint64_t id = r * x->n + i;
            if (id < x->m)
                run_task(k, id);
            if (r + 1 < rounds)
                pthread_barrier_wait(&x->rounds);
        }
        break;
    }
    case ADI_EXEC_SHARED_QUEUE:
        if (x->chosen) {
            uint64_t *box = malloc(x->b * sizeof *box), count;
            if (!box) {
                fail_run(x, ADI_ENOMEM, "could not get memory for its batches", k->device);
                box = NULL;
            }
            while (box && (count = chosen_take(x, i, box)) > 0)
                run_batch(k, box, count);
            free(box);
            break;
        }
        for (uint64_t id; (id = take(x)) < x->m;)
            run_task(k, id);
        break;
    case ADI_EXEC_EARLIEST:
        for (uint64_t id; (id = eft_take(x, k, i)) < x->m;)
            run_task(k, id);
        break;
    case ADI_EXEC_STEAL:
        if (x->device) { /* fed by the producer */
            for (uint64_t id = dealt_take(x, i, 0); id < x->m; id = dealt_take(x, i, 1))
                run_task(k, id);
            break;
        }
        if (x->first[i] < x->m)
            run_task(k, x->first[i]);
        else
            break; /* idle after the deal: nothing waited anywhere */
        for (uint64_t id; (id = steal_take(x, k, i)) < x->m;)
            run_task(k, id);
        break;
    default: /* adi_execute_supported lets no other mode through */
        fail_run(x, ADI_EINTERNAL, "has no executor mode for its policy", k->device);
        break;
    }
    return NULL;
}

/* The policy's split (exec.split): *device[k] = the device of task k, for
** every k < m, checked to be one of the pool's; the caller frees it. */
static int policy_split(run_state *x, const double *times, const adi_sampler *dev,
                        uint32_t **device)
{
    const adi_point *p = x->p;
    adi_bounds b;
    int rc = adi_model_bounds(times, x->n, x->m, &b);
    if (rc != ADI_OK)
        return rc;
    adi_policy_pool pool = {.n = x->n, .times = times, .dev = dev, .m = x->m,
                            .capacity = p->capacity, .overflow = p->overflow,
                            .deterministic = p->dist == ADI_DIST_DETERMINISTIC, .b = &b,
                            .params = &p->params};
    if (!(*device = malloc(x->m * sizeof **device)))
        return adi_fail(ADI_ENOMEM, "out of memory for %llu tasks", (unsigned long long)x->m);
    p->policy->exec.split(&pool, *device);
    for (uint64_t k = 0; k < x->m; k++)
        if ((*device)[k] >= x->n) {
            rc = adi_fail(ADI_EINTERNAL, "policy %s's split puts task %llu on device %u of %zu",
                          p->policy->name, (unsigned long long)k, (*device)[k], x->n);
            free(*device);
            *device = NULL;
            return rc;
        }
    return ADI_OK;
}

/* The lists mode: thread i's tasks, in order, from the policy's split. */
static int make_lists(run_state *x, const double *times, const adi_sampler *dev)
{
    uint32_t *device;
    int rc = policy_split(x, times, dev, &device);
    if (rc != ADI_OK)
        return rc;
    x->list = malloc(x->m * sizeof *x->list);
    x->list_start = calloc(x->n + 1, sizeof *x->list_start);
    if (!x->list || !x->list_start) {
        free(device);
        return adi_fail(ADI_ENOMEM, "out of memory for %llu tasks", (unsigned long long)x->m);
    }
    for (uint64_t k = 0; k < x->m; k++)
        x->list_start[device[k] + 1]++;
    for (size_t i = 0; i < x->n; i++)
        x->list_start[i + 1] += x->list_start[i];
    size_t *fill = x->list_start; /* filled in place, then shifted back */
    for (uint64_t k = 0; k < x->m; k++)
        x->list[fill[device[k]]++] = k;
    for (size_t i = x->n; i > 0; i--)
        fill[i] = fill[i - 1];
    fill[0] = 0;
    free(device);
    return ADI_OK;
}

/* The steal mode's start, as the engine makes it at t = 0 (policy/steal.c):
** the tasks dealt one by one in the split's order; one dealt to an idle
** device is its first, else it waits in its device's queue and the idle
** devices (idle longest first: index order) steal while any task waits.
** Random victims are drawn from a taus2 stream seeded from the point and
** the replication (the engine's stream also draws task times, so the draws
** are not the simulated run's): a replication makes the same decisions
** given the same timing. */
static int make_steal(run_state *x, const double *times, const adi_sampler *dev, uint64_t rep)
{
    uint32_t *device;
    int rc = policy_split(x, times, dev, &device);
    if (rc != ADI_OK)
        return rc;
    size_t *idle = malloc(x->n * sizeof *idle), nidle = x->n;
    x->sq = calloc(x->n, sizeof *x->sq);
    x->first = malloc(x->n * sizeof *x->first);
    x->rng = gsl_rng_alloc(gsl_rng_taus2);
    if (!idle || !x->sq || !x->first || !x->rng) {
        rc = adi_fail(ADI_ENOMEM, "out of memory for %zu devices", x->n);
        goto done;
    }
    gsl_rng_set(x->rng, adi_stream_seed(x->p->seed, x->p->key, rep));
    for (size_t d = 0; d < x->n; d++) {
        idle[d] = d;
        x->first[d] = x->m;
    }
    uint64_t waiting = 0;
    for (uint64_t k = 0; k < x->m; k++) {
        size_t d = device[k];
        if (x->first[d] == x->m) { /* idle: it starts k; it leaves the idle ring */
            x->first[d] = k;
            size_t a = 0;
            while (idle[a] != d)
                a++;
            memmove(idle + a, idle + a + 1, (--nidle - a) * sizeof *idle);
            continue;
        }
        if (sq_push(&x->sq[d], k) != 0)
            goto nomem;
        waiting++;
        while (nidle && waiting) { /* the idle longest steals first */
            size_t e = idle[0];
            uint64_t id = x->sq[e].len ? sq_pop(&x->sq[e]) : steal_from_victim(x, e);
            if (id == UINT64_MAX)
                goto nomem;
            if (id == x->m)
                break;
            x->first[e] = id;
            waiting--;
            memmove(idle, idle + 1, --nidle * sizeof *idle);
        }
    }
    goto done;
nomem:
    rc = adi_fail(ADI_ENOMEM, "out of memory for %llu tasks", (unsigned long long)x->m);
done:
    free(idle);
    free(device);
    return rc;
}

/* The producer of the lists and steal modes with a finite Q: task after
** task in the split's order (policy/static.c, weighted.c, steal.c: the
** order the engine deals them), straight to its device when that is idle (a
** task that starts at once does not wait, so Q does not limit it), else
** into its device's queue when fewer than Q wait in all, and then, for
** steal, the idle threads steal while any task waits; otherwise it blocks
** (head-of-line). A thread's failure stops it: the threads finish what they
** hold. */
static void *produce_dealt(void *arg)
{
    run_state *x = arg;
    if (!wait_gate(x))
        return NULL;
    for (uint64_t id = 0; id < x->m; id++) {
        size_t d = x->device[id];
        pthread_mutex_lock(&x->lock);
        if (x->busy[d] && x->waiting >= x->capacity) {
            double since = adi_clock_s();
            while (x->busy[d] && x->waiting >= x->capacity && x->failed == ADI_OK)
                pthread_cond_wait(&x->nonfull, &x->lock);
            x->blocked += adi_clock_s() - since;
        }
        int failed = x->failed != ADI_OK; /* a thread's: it runs no more */
        if (!failed) {
            x->enq[id] = adi_clock_s() - x->t0;
            if (!x->busy[d]) {
                x->direct[d] = id;
                x->busy[d] = 1;
                if (x->mode == ADI_EXEC_STEAL) /* it was waiting for work */
                    unidle(x, d);
            } else if (sq_push(&x->sq[d], id) == 0) {
                if (++x->waiting > x->max_queue)
                    x->max_queue = x->waiting;
                if (x->mode == ADI_EXEC_STEAL && serve_idle(x) != 0)
                    failed = 2;
            } else {
                failed = 2;
            }
            x->produced++;
        }
        if (failed)
            x->produced = x->m; /* the threads finish what they have */
        pthread_cond_broadcast(&x->nonempty);
        pthread_mutex_unlock(&x->lock);
        if (failed) {
            if (failed == 2)
                fail_run(x, ADI_ENOMEM, "ran out of memory for its queue", d);
            break;
        }
    }
    return NULL;
}

/* The lists and steal modes with a finite Q: the split kept for the
** producer, a queue per device; for steal every thread idle in the idle
** list (index order, as the engine's devices start) and the victims'
** stream, seeded as make_steal seeds it. */
static int make_dealt(run_state *x, const double *times, const adi_sampler *dev, uint64_t rep)
{
    int rc = policy_split(x, times, dev, &x->device);
    if (rc != ADI_OK)
        return rc;
    int steal = x->mode == ADI_EXEC_STEAL;
    x->sq = calloc(x->n, sizeof *x->sq);
    x->direct = malloc(x->n * sizeof *x->direct);
    x->busy = calloc(x->n, 1);
    if (steal) {
        x->idle = malloc(x->n * sizeof *x->idle);
        x->rng = gsl_rng_alloc(gsl_rng_taus2);
    }
    if (!x->sq || !x->direct || !x->busy || (steal && (!x->idle || !x->rng)))
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", x->n);
    for (size_t d = 0; d < x->n; d++)
        x->direct[d] = x->m;
    if (steal) {
        for (size_t d = 0; d < x->n; d++)
            x->idle[d] = d;
        x->nidle = x->n;
        gsl_rng_set(x->rng, adi_stream_seed(x->p->seed, x->p->key, rep));
    }
    return ADI_OK;
}

/* Pull (or sync) with a bounded queue: puts task after task, blocking
** while full. */
static void *produce(void *arg)
{
    run_state *x = arg;
    if (!wait_gate(x))
        return NULL;
    for (uint64_t id = 0; id < x->m; id++) {
        pthread_mutex_lock(&x->lock);
        if (x->len == x->capacity) {
            double since = adi_clock_s();
            while (x->len == x->capacity)
                pthread_cond_wait(&x->nonfull, &x->lock);
            x->blocked += adi_clock_s() - since;
        }
        x->ring[(x->head + x->len) % x->capacity] = id;
        x->len++;
        if (x->len > x->max_queue)
            x->max_queue = x->len;
        x->enq[id] = adi_clock_s() - x->t0;
        x->produced++;
        if (x->chosen)
            dispatch(x, x->enq[id]);
        else if (x->mode == ADI_EXEC_ROUNDS)
            round_start(x);
        else
            pthread_cond_signal(&x->nonempty);
        pthread_mutex_unlock(&x->lock);
    }
    pthread_mutex_lock(&x->lock);
    pthread_cond_broadcast(&x->nonempty); /* no more tasks: idle workers leave */
    pthread_mutex_unlock(&x->lock);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* The measured run, in the simulator's terms. Percentiles are exact. */
static int build_result(run_state *x, adi_run_result *out)
{
    uint64_t m = x->m;
    double *lat = malloc(m * sizeof *lat), *latc = malloc(m * sizeof *latc);
    out->device = calloc(x->n, sizeof *out->device);
    if (!lat || !latc || !out->device) {
        free(lat);
        free(latc);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    adi_hist_init(&out->lat);
    adi_hist_init(&out->latc);
    adi_hist_init(&out->ss_latc);
    double sum = 0, sumc = 0;
    for (uint64_t id = 0; id < m; id++) {
        lat[id] = x->end[id] - x->enq[id];
        latc[id] = x->end[id];
        sum += lat[id];
        sumc += latc[id];
        if (adi_hist_add(&out->lat, lat[id]) != 0 || adi_hist_add(&out->latc, latc[id]) != 0) {
            free(lat);
            free(latc);
            return adi_fail(ADI_ENOMEM, "out of memory");
        }
    }
    qsort(lat, m, sizeof *lat, cmp_double);
    qsort(latc, m, sizeof *latc, cmp_double);
#define RANK(p) ((size_t)ceil((p) * (double)m) - 1)
    out->lat_p50 = lat[RANK(0.5)], out->lat_p95 = lat[RANK(0.95)], out->lat_p99 = lat[RANK(0.99)];
    out->latc_p50 = latc[RANK(0.5)], out->latc_p95 = latc[RANK(0.95)];
    out->latc_p99 = latc[RANK(0.99)];
#undef RANK
    out->lat_max = lat[m - 1];
    out->latc_max = latc[m - 1];
    free(lat);
    free(latc);
    out->n_devices = x->n;
    const double *times;
    const adi_sampler *dev;
    adi_point_used_devices(x->p, &times, &dev);
    for (size_t d = 0; d < x->n; d++) /* a worker's finish is its last task's end */
        out->device[d] = (adi_device_result){.mean_time = times[d], .tasks = x->w[d].tasks,
                                             .busy = x->w[d].busy, .finish = x->w[d].finish};
    out->completed = m;
    out->lat_sum = sum;
    adi_run_result_totals(out);
    out->latc_mean = sumc / (double)m;
    out->blocked_time = x->blocked;
    out->max_queue = x->ring || x->device || x->fed ? x->max_queue : m - (m < x->n ? m : x->n);
    out->in_system = NAN; /* not measured (the simulator integrates it) */
    return ADI_OK;
}

int adi_execute_run(const adi_scenario *sc, const adi_point *p, uint64_t rep, adi_run_result *out)
{
    memset(out, 0, sizeof *out);
    const char *why;
    if (!adi_execute_supported(sc, p, &why))
        return adi_fail(ADI_EINPUT, "point %zu cannot be executed here: %s", p->index, why);
    adi_blas_single_thread();
    const double *times;
    const adi_sampler *dev;
    size_t n = adi_point_used_devices(p, &times, &dev);
    size_t first = adi_point_first_device(p);
    run_state x = {.p = p, .mode = p->policy->exec.mode, .n = n, .m = p->tasks,
                   .capacity = p->capacity, .b = 1};
    if (x.mode == ADI_EXEC_SHARED_QUEUE && (p->policy->keys & ADI_POLICY_KEY_PULL_BATCH) &&
        (p->params.idle_choice != ADI_IDLE_LONGEST || p->params.batch > 1)) {
        x.chosen = 1;
        x.idle_choice = p->params.idle_choice;
        x.b = p->params.batch;
        x.max_delay = p->params.max_delay;
    }
    int bounded = (x.mode == ADI_EXEC_SHARED_QUEUE || x.mode == ADI_EXEC_ROUNDS) &&
                  p->capacity != ADI_CAPACITY_INF;
    int dealt = (x.mode == ADI_EXEC_LISTS || x.mode == ADI_EXEC_STEAL) &&
                p->capacity != ADI_CAPACITY_INF;
    x.w = calloc(n, sizeof *x.w);
    x.enq = calloc(x.m, sizeof *x.enq);
    x.begin = calloc(x.m, sizeof *x.begin);
    x.end = calloc(x.m, sizeof *x.end);
    x.done = calloc(x.m, sizeof *x.done);
    x.ring = bounded ? calloc(p->capacity < x.m ? p->capacity : x.m, sizeof *x.ring) : NULL;
    if (bounded && p->capacity > x.m)
        x.capacity = x.m; /* a queue longer than the batch never fills */
    int rc = ADI_OK;
    if (!x.w || !x.enq || !x.begin || !x.end || !x.done || (bounded && !x.ring)) {
        rc = adi_fail(ADI_ENOMEM, "out of memory for %llu tasks", (unsigned long long)x.m);
        goto done;
    }
    if ((x.mode == ADI_EXEC_LISTS && !dealt && (rc = make_lists(&x, times, dev)) != ADI_OK) ||
        (dealt && (rc = make_dealt(&x, times, dev, rep)) != ADI_OK) ||
        (x.mode == ADI_EXEC_ROUNDS && bounded && (rc = make_rounds(&x)) != ADI_OK) ||
        (x.mode == ADI_EXEC_EARLIEST && (rc = make_earliest(&x, times)) != ADI_OK) ||
        (x.mode == ADI_EXEC_STEAL && !dealt &&
         (rc = make_steal(&x, times, dev, rep)) != ADI_OK) ||
        (x.chosen && (rc = make_chosen(&x, times, rep)) != ADI_OK))
        goto done;
    pthread_mutex_init(&x.lock, NULL);
    pthread_cond_init(&x.changed, NULL);
    pthread_condattr_t monotonic; /* chosen_take's deadlines are adi_clock_s's */
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&x.given, &monotonic);
    pthread_condattr_destroy(&monotonic);
    pthread_cond_init(&x.nonempty, NULL);
    pthread_cond_init(&x.nonfull, NULL);
    pthread_cond_init(&x.gate, NULL);
    pthread_barrier_init(&x.rounds, NULL, (unsigned)n);
    size_t started = 0;
    int producer = 0;
    for (size_t d = 0; d < n; d++) {
        x.w[d] = (worker){.x = &x, .device = first + d,
                          .kp = adi_scenario_device_kernel(sc, first + d),
                          .gemm = adi_execute_gemm(adi_scenario_device_profile(sc, first + d))};
        if (pthread_create(&x.w[d].thread, NULL, work, &x.w[d]) != 0)
            break;
        x.w[d].started = 1;
        started++;
    }
    /* the producer of a finite Q: the mode's */
    void *(*feed)(void *) = bounded ? produce : dealt ? produce_dealt
                          : x.fed ? produce_earliest : NULL;
    if (started == n && feed && pthread_create(&x.producer, NULL, feed, &x) == 0)
        producer = 1;
    /* Everyone who started is ready: go, or stop if someone is missing. */
    pthread_mutex_lock(&x.lock);
    while (x.ready < started + (size_t)producer)
        pthread_cond_wait(&x.gate, &x.lock);
    int complete = started == n && producer == (feed != NULL);
    x.t0 = adi_clock_s();
    x.state = complete ? 1 : -1;
    pthread_cond_broadcast(&x.gate);
    pthread_mutex_unlock(&x.lock);
    for (size_t d = 0; d < started; d++)
        pthread_join(x.w[d].thread, NULL);
    if (producer)
        pthread_join(x.producer, NULL);
    if (!complete)
        rc = adi_fail(ADI_EINTERNAL, "cannot start the threads to execute point %zu", p->index);
    else if ((rc = x.failed) != ADI_OK)
        adi_fail(rc, "executing point %zu: %s", p->index, x.message);
    for (uint64_t id = 0; id < x.m && rc == ADI_OK; id++)
        if (x.done[id] != 1)
            rc = adi_fail(ADI_EINTERNAL, "executing point %zu: task %llu ran %u times",
                          p->index, (unsigned long long)id, x.done[id]);
    if (rc == ADI_OK)
        rc = build_result(&x, out);
    pthread_barrier_destroy(&x.rounds);
    pthread_cond_destroy(&x.gate);
    pthread_mutex_destroy(&x.lock);
    pthread_cond_destroy(&x.nonempty);
    pthread_cond_destroy(&x.nonfull);
    pthread_cond_destroy(&x.changed);
    pthread_cond_destroy(&x.given);
done:
    for (size_t d = 0; x.w && d < n; d++) {
        adi_task_free(&x.w[d].task);
        free(x.w[d].reference);
    }
    free(x.w);
    free(x.enq);
    free(x.begin);
    free(x.end);
    free(x.done);
    free(x.ring);
    free(x.list);
    free(x.list_start);
    free(x.cycle);
    free(x.free_at);
    free(x.parked);
    for (size_t d = 0; x.sq && d < n; d++)
        free(x.sq[d].id);
    free(x.sq);
    free(x.first);
    free(x.device);
    free(x.direct);
    free(x.busy);
    free(x.idle);
    free(x.box);
    free(x.nbox);
    gsl_rng_free(x.rng);
    if (rc != ADI_OK)
        adi_run_result_free(out);
    return rc;
}
