/*
** check/steady.h — which exact steady-state result describes a point of an
** open workload, and its values.
**
** A point qualifies when it has Poisson arrivals (its workload's poisson),
** a policy that is one shared FIFO served by the device idle longest (its
** descriptor's queueing: pull, serial) and a producer that costs nothing, and either loses arrivals when
** full (overflow = drop) or never fills (Q = inf). Then, for the devices
** the policy uses:
**   identical exponential devices, Q = inf      M/M/c   (if lambda T < c)
**   identical exponential devices, Q finite     M/M/c/K
**   different exponential devices, Q finite     the exact CTMC (n <= 6)
**   one device, any distribution, Q = inf       M/G/1   (if lambda T < 1)
** With idle_choice = fastest or random (which idle device takes an
** arrival) the identical pools and M/G/1 are the same, the CTMC is the
** chain over sets of busy devices (model/ctmc.h), and two different
** exponential devices with Q = inf are the heterogeneous M/M/2 (model/
** mm2.h: f = 1 fastest first, 1/2 random). With batches (pull_batch > 1)
** none applies.
** With overflow = block a full queue holds arrivals back instead of losing
** them, which none of these describe.
*/
#ifndef ADI_CHECK_STEADY_H
#define ADI_CHECK_STEADY_H

#include "model/queueing.h"
#include "scenario/scenario.h"

typedef enum adi_steady_model {
    ADI_STEADY_NONE,
    ADI_STEADY_MMC,
    ADI_STEADY_MMCK,
    ADI_STEADY_CTMC,
    ADI_STEADY_MG1,
    ADI_STEADY_MM2    /* two exponential devices, Q = inf, idle_choice fastest or random */
} adi_steady_model;

const char *adi_steady_model_name(adi_steady_model m);

/* *model = the result that applies (ADI_STEADY_NONE if none) and *out its
** values. Errors only for out-of-memory or solver failures. */
int adi_steady_point(const adi_point *p, adi_steady_model *model, adi_queue_metrics *out);

#endif
