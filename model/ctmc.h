/*
** model/ctmc.h — the exact steady state of the pull policy on a small pool
** of heterogeneous exponential devices with a finite queue and lost
** arrivals (overflow = drop), as a continuous-time Markov chain.
**
** State. The simulator's pull policy gives an arriving task to the device
** that has been idle longest, so "which devices are busy" is not enough to
** predict the next step: the state is the *ordered* list of idle devices
** (oldest first) and, when every device is busy, the queue length q. States:
** every ordered subset of the n devices (sum_k n!/(n-k)!: 65 for n = 4, 326
** for n = 5, 1957 for n = 6) plus Q states "all busy, q = 1..Q".
**
** Transitions. Arrival (rate lambda): the first idle device starts it; with
** none idle the queue grows, or the task is lost when q = Q. Completion of
** busy device d (rate 1/T_d): with q > 0 it takes the next task (q - 1);
** otherwise it joins the end of the idle list.
**
** The other idle rules (fastest, random) are the same chain over sets of
** busy devices (adi_ctmc_pull_rule below).
**
** The balance equations pi G = 0, sum pi = 1 are solved densely with GSL's
** LU decomposition: O(S^3) for S states, so pools are limited to n <= 6
** devices and S <= 2500 states (about a second). LU's accuracy is absolute:
** about 1e-14 on each probability, so a blocking probability of 1e-9 comes
** out with a relative error near 1e-5 (simulations never get closer).
*/
#ifndef ADI_MODEL_CTMC_H
#define ADI_MODEL_CTMC_H

#include "model/queueing.h"

#include <stddef.h>
#include <stdint.h>

#define ADI_CTMC_MAX_DEVICES 6
#define ADI_CTMC_MAX_STATES 2500

/* Fills *out (block, in_system, response, throughput, utilization, waiting,
** wait_prob) and, if device_util is not NULL, the busy fraction of each of
** the n devices. times[i] is device i's mean task time (s); Q the number of
** waiting places. */
int adi_ctmc_pull(const double *times, size_t n, double lambda, uint64_t Q,
                  adi_queue_metrics *out, double *device_util);

/* Number of states for n devices and Q places (to check the limit). */
size_t adi_ctmc_states(size_t n, uint64_t Q);

/* The same chain for the other rules pull may use to give a task that
** arrives while several devices are idle (idle_choice): the fastest idle
** device (smallest T_i, ties to the lower index), or each idle one with
** equal probability. These rules do not remember which device became idle
** first, so a state is the set of busy devices (2^n of them) plus the queue
** (Q): 2^n + Q states, up to ADI_CTMC_MAX_STATES. ADI_CTMC_LONGEST is
** adi_ctmc_pull. */
enum { ADI_CTMC_LONGEST, ADI_CTMC_FASTEST, ADI_CTMC_RANDOM };
int adi_ctmc_pull_rule(const double *times, size_t n, double lambda, uint64_t Q, int rule,
                       adi_queue_metrics *out, double *device_util);
size_t adi_ctmc_states_rule(size_t n, uint64_t Q, int rule);

#endif
