/*
** model/queueing.h — exact results for open workloads (Poisson arrivals).
**
**   M/M/c      c identical exponential servers, unlimited queue (Erlang C)
**   M/M/c/K    the same with at most K = c + Q tasks in the system; arrivals
**              that find it full are lost (overflow = drop)
**   M/G/1      one server, any service distribution with mean T and cv:
**              the Pollaczek-Khinchine mean, Wq = lambda E[S^2] / 2(1 - rho)
**   response-time percentiles of M/M/c (FIFO): the sojourn is the wait (0
**              with probability 1 - C, else exponential with rate c mu -
**              lambda) plus an independent exponential service
**
** All are steady-state values: the simulator compares them with estimates
** that leave out a warm-up (see sim/sim.h).
*/
#ifndef ADI_MODEL_QUEUEING_H
#define ADI_MODEL_QUEUEING_H

#include <stdint.h>

typedef struct adi_queue_metrics {
    double block;       /* probability an arrival is lost (PASTA: the system is full) */
    double in_system;   /* L: mean tasks in queue + service */
    double response;    /* W: mean time in system of accepted tasks, s (Little: L / lambda_eff) */
    double waiting;     /* Wq: mean time waiting, s */
    double throughput;  /* lambda_eff = lambda (1 - block), per s */
    double utilization; /* mean fraction of servers busy */
    double wait_prob;   /* probability an accepted arrival waits (M/M/c: Erlang C) */
} adi_queue_metrics;

/* M/M/c: lambda arrivals/s, c servers of mean time T s. Needs lambda T < c. */
int adi_queue_mmc(double lambda, double T, unsigned c, adi_queue_metrics *out);

/* M/M/c/K with K = c + Q (Q >= 0 waiting places). Any load. */
int adi_queue_mmck(double lambda, double T, unsigned c, uint64_t Q, adi_queue_metrics *out);

/* M/G/1 mean values (Pollaczek-Khinchine): service mean T, coefficient of
** variation cv. Needs lambda T < 1. */
int adi_queue_mg1(double lambda, double T, double cv, adi_queue_metrics *out);

/* P(sojourn > t) in M/M/c (FIFO). */
double adi_queue_mmc_response_tail(double lambda, double T, unsigned c, double t);

/* The p-quantile (0 < p < 1) of the M/M/c sojourn time, s. */
int adi_queue_mmc_response_quantile(double lambda, double T, unsigned c, double p, double *t);

/* The largest arrival rate at which the p-quantile of the M/M/c sojourn
** time is at most `bound` seconds (0 when even a trickle misses it). */
int adi_queue_mmc_max_rate(double T, unsigned c, double p, double bound, double *lambda);

#endif
