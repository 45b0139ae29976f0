/*
** report/fidelity.h — how far the simulation's predictions are from runs
** executed for real (exec/execute.h), point by point: makespan,
** throughput and p95 latency (from enqueue), measured mean with its 95 %
** interval, predicted mean (the simulated twin), and the error
** (predicted - measured) / measured in percent.
**
** A second table says where each error comes from. Each device's mean task
** time in the executed runs (busy time / tasks) is set against its profile's
** T_i, and the point is simulated again with every device's times scaled to
** what it ran at (exec/rescale.h). When that re-prediction is close, the
** simulator models the policy right and the error is in the profiles:
** devices ran faster or slower than calibrated (workers contending for the
** machine, a noisy machine). When it is not, the model itself is off.
** Points with pull_batch > 1 are not re-predicted: a device's busy time
** over its tasks is then a batched task's time, and the sizes of the
** batches it ran are not stored, so no scale of its T_i follows from them.
*/
#ifndef ADI_REPORT_FIDELITY_H
#define ADI_REPORT_FIDELITY_H

#include "scenario/scenario.h"
#include "store/store.h"

#include <stdio.h>

typedef struct adi_fidelity_totals {
    size_t points;         /* points with both measured and simulated runs */
    size_t within;         /* ... whose makespan and throughput errors are <= 5 % */
    double worst_makespan; /* largest |error|, % */
    double worst_throughput;
    double worst_p95;
    double worst_rescaled; /* largest |error| of the makespan re-predicted with
                              the times the devices ran at, % */
} adi_fidelity_totals;

#define ADI_FIDELITY_TARGET 5.0 /* % */

/* One row per point of sc measured on host, to f (NULL: only the totals). */
int adi_report_fidelity(adi_store *st, const adi_scenario *sc, const char *host, FILE *f,
                        adi_fidelity_totals *totals);

#endif
