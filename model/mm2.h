/*
** model/mm2.h — the exact steady state of two heterogeneous exponential
** devices behind one unlimited FIFO queue (a heterogeneous M/M/2), for the
** rule that picks which device takes a task arriving while both are idle.
**
** Device 1 serves at rate mu1 = 1/T1, device 2 at mu2 = 1/T2. A task that
** arrives while both are idle goes to device 1 with probability f: f = 1 is
** "the fastest idle device" when device 1 is the faster (idle_choice =
** fastest), f = 1/2 "a random idle one" (idle_choice = random). A task that
** arrives while one is busy goes to the other; when both are busy it waits,
** and the device that finishes first takes the oldest waiting task. (The
** pull rule "the device idle longest" remembers which became idle first, so
** it is not this chain: model/ctmc.h solves it.)
**
** The chain: 0 (empty), 1a (only device 1 busy), 1b (only device 2 busy),
** n >= 2 (both busy, n - 2 waiting). Above 2 it is a birth-death chain with
** rates lambda and mu1 + mu2, so p_n = p_2 rho^(n-2), rho = lambda/(mu1+mu2).
** The balance of 0, 1a and 1b gives, in closed form,
**
**   p_2  = p_0 lambda^2 (f (lambda + mu2) + (1 - f)(lambda + mu1))
**                / (mu1 mu2 (2 lambda + mu1 + mu2))
**   p_1a = (f lambda p_0 + mu2 p_2) / (lambda + mu1)
**   p_1b = ((1 - f) lambda p_0 + mu1 p_2) / (lambda + mu2)
**
** and p_0 from normalisation (p_0 + p_1a + p_1b + p_2/(1 - rho) = 1). Then
** L = p_1a + p_1b + p_2 (2/(1 - rho) + rho/(1 - rho)^2), W = L / lambda
** (Little), device i's utilization p_1i + p_2/(1 - rho). With mu1 = mu2 it
** is Erlang C's M/M/2 whatever f (tests/test_mm2.c checks it, and checks the
** closed form against the truncated chain solved numerically).
**
** Cost: O(1). Needs rho < 1.
*/
#ifndef ADI_MODEL_MM2_H
#define ADI_MODEL_MM2_H

#include "model/queueing.h"

typedef struct adi_mm2_metrics {
    adi_queue_metrics q;   /* block 0, in_system L, response W, waiting Wq, throughput, utilization */
    double busy[2];        /* each device's utilization (fraction of time in service) */
    double p_empty;        /* probability the system is empty */
} adi_mm2_metrics;

/* lambda arrivals/s; T1, T2 the devices' mean times (s); f in [0, 1] the
** probability that a task arriving to an empty system goes to device 1.
** ADI_EINPUT (and adi_errmsg) unless lambda, T1, T2 > 0, f in [0, 1] and
** lambda < 1/T1 + 1/T2. */
int adi_queue_mm2_hetero(double lambda, double T1, double T2, double f, adi_mm2_metrics *out);

#endif
