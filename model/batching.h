/*
** model/batching.h — what batching gains and what it costs (pull_batch = b:
** a device takes up to b waiting tasks and runs them as one batch of time
** T_i(b); max_delay: how long it waits to fill one), from each device's
** batch law (model/batchlaw.h). Pure formulas.
**
** ---- Throughput
**
** A device that runs batches of b' <= b tasks spends T_i(b') on each, so
** over any stretch of time it completes at most max_{1 <= b' <= b}
** b' / T_i(b') tasks per second. Hence every run's throughput is at most
**
**   R_b = sum_i max_{b' <= b} b' / T_i(b')      (and its makespan >= m / R_b)
**
** and b_i*, the b' that reaches device i's maximum (the smallest on ties), is
** the batch it should run. Usually b' / T_i(b') grows with b' (a per-call
** overhead: the intercept of an affine law is > 0), and then b_i* = b and
** R_b = sum_i b / T_i(b), the bound; a measured law need not grow (a
** cache that overflows past some size), hence the maximum. Finding it: T is
** linear in the batch between two measured sizes, T(x) = alpha + beta x,
** and x / T(x) has derivative alpha / T(x)^2 there: monotone. So over the
** integers the maximum is at 1, at b, or at an integer next to a measured
** size (b' s_0 just below or above it): O(k) candidates per device.
**
** ---- Waiting to fill a batch (Poisson arrivals at lambda)
**
** A batch starts filling with its first task and leaves when it holds b
** tasks or D = max_delay after the first, whichever is first (Triton's
** max_queue_delay). With A(u) the arrivals in (0, u] after the first, it is
** still filling at u iff u < D and A(u) <= b - 2, and then holds 1 + A(u)
** tasks; its tasks' total wait is the integral of the tasks present while
** it fills:
**
**   E[total wait] = int_0^D sum_{j=0}^{b-2} (1 + j) P(A(u) = j) du
**                 = (1 / lambda) sum_{j=0}^{b-2} (1 + j) P(Pois(lambda D) >= j + 1)
**
** (int_0^D lambda e^{-lambda u} (lambda u)^j / j! du = P(Erlang(j + 1,
** lambda) <= D)), and it holds N = min(b, 1 + Pois(lambda D)) tasks:
**
**   E[N] = 1 + sum_{j=1}^{b-1} P(Pois(lambda D) >= j).
**
** Batches are independent cycles (the next one starts with the first
** arrival after this one closes), so by renewal-reward a task's mean wait
** is E[total wait] / E[N]. Checks: D = inf gives (b - 1) / (2 lambda) (the
** k-th of b waits (b - k) / lambda); D = 0 or b = 1 gives 0; no task waits
** more than D.
**
** This is exact for a batcher whose device is free whenever a batch closes
** (light load). Under load the device is busy when a batch would close,
** tasks gather meanwhile, the fill wait shrinks and queueing takes over: it
** is the latency batching costs at light load, where it costs the most.
** There, one device's mean latency is the fill wait plus the task-weighted
** batch time:
**
**   W = E[wait] + sum_{k=1}^{b} k P(N = k) T(k) / E[N],
**   P(N = k) = P(Pois(lambda D) = k - 1) (k < b), P(N = b) = P(Pois(lambda D) >= b - 1).
**
** Cost: O(n k) for R_b, O(b) for the fill (GSL's Poisson CDF per term).
*/
#ifndef ADI_MODEL_BATCHING_H
#define ADI_MODEL_BATCHING_H

#include "model/batchlaw.h"

#include <stddef.h>
#include <stdint.h>

/* R_b (tasks/s) for pull_batch = b >= 1 on devices laws[0..n), each measured
** up to b tasks (adi_batch_max_tasks >= b; else ADI_EINPUT from
** adi_batch_time); best (NULL or [n]) receives each device's b_i*. */
int adi_batching_throughput(const adi_batch_law *const *laws, size_t n, uint64_t b, double *R,
                            uint64_t *best);

/* The same for batch times given as scales of each device's task time, as
** the engine runs them (adi_sim_policy_params.batch_scale): device i runs a
** batch of k in T_i scale[i][k] (scale[i][1] = 1), and R_b = sum_i max_{k <=
** b} k / (T_i scale[i][k]), by every k (rows shared by several devices are
** scanned once). times[i] > 0. ADI_EINPUT for n or b = 0. */
int adi_batching_throughput_scaled(const double *times, const double *const *scale, size_t n,
                                   uint64_t b, double *R);

typedef struct adi_batch_fill {
    double wait;  /* s: a task's mean wait for its batch to leave */
    double size;  /* E[N]: tasks per batch */
    double full;  /* P(N = b): the batch leaves full, not on max_delay */
} adi_batch_fill;

/* The fill above for lambda > 0 arrivals/s, b >= 1 and max_delay >= 0 s
** (INFINITY: no limit). ADI_EINPUT otherwise. */
int adi_batching_fill(double lambda, uint64_t b, double max_delay, adi_batch_fill *out);

/* W above: one device with law (measured up to b tasks) at light load. */
int adi_batching_light_latency(const adi_batch_law *law, double lambda, uint64_t b,
                               double max_delay, double *latency);

#endif
