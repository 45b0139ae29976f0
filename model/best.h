/*
** model/best.h — which policy the model expects to be best for a point,
** and why: the name and one sentence naming the bound it reaches, for
** bin/model to print. A judgement from the bounds, not a simulation; the
** rules, in order:
**
** Batch of m tasks at t = 0 (the makespan):
**   one device                 every policy makes m T (pull named)
**   a submit cost              pull: tasks arrive one by one and a shared
**                              queue serves them as they come; C*, which the
**                              splits and eft aim at, assumes them all at 0
**   identical devices          pull: pull, static, weighted and eft all make
**                              ceil(m/n) T when times are deterministic
**   deterministic times        eft: it reaches C* exactly, the optimum for
**                              identical tasks (weighted too, with the counts
**                              of C* fixed up front; pull is only guaranteed
**                              m/R + max T_i); split.h says why
**   random times               pull: it adapts to the times as they come and
**                              is within max T_i of the work's m/R; weighted
**                              and eft plan with the means, and a share of
**                              c_i tasks ends about sqrt(c_i) cv T_i late
** Poisson arrivals at lambda (the mean response time W):
**   lambda >= R = sum 1/T_i    pull: overloaded, no policy is stable; a
**                              shared queue keeps every device busy (R)
**   exponential, n = 1 or identical devices: pull, the exact M/M/c
**   exponential, 2 devices     pull with the idle rule the exact
**                              heterogeneous M/M/2 finds better: the fastest
**                              idle device first (f = 1) or a random one
**                              (f = 1/2) (model/mm2.h)
**   one device, any spread     pull = M/G/1 (Pollaczek-Khinchine)
**   otherwise                  pull: one shared queue never leaves a device
**                              idle while a task waits, which per-device
**                              queues (jsq, pod) can; prefer idle_choice =
**                              fastest when devices differ
**
** steal and jsq are never named: without a network pull's shared queue is
** what they approximate (stealing for free, perfectly); with one, pass the
** devices' per-task cycle times (model/network.h) as times, and the rules
** hold for those. Cost: O(n log n) (C* and the splits).
*/
#ifndef ADI_MODEL_BEST_H
#define ADI_MODEL_BEST_H

#include <stddef.h>
#include <stdint.h>

typedef struct adi_best_point {
    const double *times;  /* T_i, s: each device's mean time per task */
    size_t n;
    uint64_t m;           /* a batch: its tasks (>= 1); ignored when rate > 0 */
    double rate;          /* > 0: Poisson arrivals at rate/s; 0: a batch at t = 0 */
    double cv;            /* std/mean of one device's task times: 0 deterministic */
    int exponential;      /* the task times are exponential (cv 1) */
    double submit_cost;   /* s the producer spends per task (0: none) */
} adi_best_point;

typedef struct adi_best {
    const char *policy;   /* "pull", "eft", ...: a static string */
    double value;         /* s: a batch's makespan it reaches (eft: C*), is guaranteed
                             (pull: m/R + max T_i) or that no policy beats (a submit
                             cost); open: its mean response time when an exact result
                             applies, else NAN */
    char why[400];        /* one sentence, with the numbers */
} adi_best;

/* Fills *out for the point. ADI_EINPUT for a pool without devices, a time
** that is not > 0, a batch of no task, a negative cv or submit cost. */
int adi_model_best_policy(const adi_best_point *p, adi_best *out);

#endif
