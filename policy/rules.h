/*
** policy/rules.h — the decisions of eft, steal and the online estimates as
** pure functions of the pool's state, so that the engine's policies
** (policy/eft.c, steal.c, estimate.h) and the real executor
** (exec/execute.c) decide by one copy of each rule. Nothing here knows the
** engine: the state comes in as arrays, times in seconds.
**
**   estimates = online   a device's T_i is the pool's mean T (the prior)
**                        until it completed a task, then the mean of the
**                        compute times of those it completed;
**   eft                  with W tasks waiting, idle device i takes one iff
**                        its finish max(now, f_i) + C_i is among the W
**                        earliest the pool offers (model/split.h proves it
**                        reaches C*; policy/eft.c says the rest);
**   steal                a thief takes ceil(w / 2) of the waiting tasks of
**                        the queue with the most (ties: the lower index) or
**                        of one drawn uniformly among those with any.
**
** All static inline: the engine's inner loops call them. Cost: the prior
** O(n); eft's count O(n) per decision (it stops at W); the victim O(n) and
** at most one draw.
*/
#ifndef ADI_POLICY_RULES_H
#define ADI_POLICY_RULES_H

#include "sim/sim.h" /* adi_victim */

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* ---- estimates = online ---- */

/* The prior: the mean of the T_i (means[0..n), s), all a coordinator is told. */
static inline double adi_rule_prior(const double *means, size_t n)
{
    double total = 0;
    for (size_t d = 0; d < n; d++)
        total += means[d];
    return total / (double)n;
}

/* The online estimate of a device that completed `count` tasks in `sum` s of
** compute: the prior until it completed one. */
static inline double adi_rule_online(double prior, double sum, uint64_t count)
{
    return count ? sum / (double)count : prior;
}

/* ---- eft ---- */

/* Slots f + k c (k >= 1) before x (at x too when `tie`), counted as the
** products fall, stopping at cap. */
static inline uint64_t adi_rule_slots_before(double f, double c, double x, int tie, uint64_t cap)
{
    if (!(x > f))
        return 0;
    double q = floor((x - f) / c);
    uint64_t k = q > (double)cap ? cap : q > 0 ? (uint64_t)q : 0;
    while (k < cap && (tie ? f + (double)(k + 1) * c <= x : f + (double)(k + 1) * c < x))
        k++;
    while (k > 0 && (tie ? f + (double)k * c > x : f + (double)k * c >= x))
        k--;
    return k;
}

/* How many of the pool's slots come before device i's next one, capped at
** w: i takes a task of w waiting iff this is < w. free_at[j] (s) is when
** device j is expected to be done with what it holds (now for an idle one:
** a device running late is due now), cycle[j] its C_j, tail[j] (s; NULL:
** none) how long after a slot its task is complete (over a network, the
** output's way back), n the devices. */
static inline uint64_t adi_rule_eft_better(const double *free_at, const double *cycle,
                                           const double *tail, size_t n, double now, size_t i,
                                           uint64_t w)
{
    double x = fmax(now, free_at[i]) + cycle[i];
    if (tail)
        x += tail[i];
    uint64_t count = 0;
    for (size_t j = 0; j < n && count < w; j++)
        if (j != i)
            count += adi_rule_slots_before(fmax(now, free_at[j]) + (tail ? tail[j] : 0),
                                           cycle[j], x, j < i, w - count);
    return count;
}

/* ---- steal ---- */

/* The queue a thief steals from: the waiting counts are the uint64_t at
** `len`, `len + stride` bytes, ... (n of them: the len field of an array of
** queues); the longest (ties: the lower index) or, for random, one of those
** with any drawn from rng (one draw when there are two or more). n when
** none has any. */
static inline size_t adi_rule_victim(const uint64_t *len, size_t stride, size_t n,
                                     adi_victim rule, gsl_rng *rng)
{
#define LEN(v) (*(const uint64_t *)((const char *)len + (v) * stride))
    size_t best = n, candidates = 0;
    for (size_t v = 0; v < n; v++) {
        uint64_t w = LEN(v);
        if (!w)
            continue;
        candidates++;
        if (best == n || w > LEN(best))
            best = v;
    }
    if (rule == ADI_VICTIM_LONGEST || candidates <= 1)
        return best;
    unsigned long pick = gsl_rng_uniform_int(rng, candidates);
    for (size_t v = 0; v < n; v++)
        if (LEN(v) && pick-- == 0)
            return v;
    return best;
#undef LEN
}

/* How many of a victim's w waiting tasks a thief takes, the oldest first. */
static inline uint64_t adi_rule_steal_count(uint64_t w) { return (w + 1) / 2; }

#endif
