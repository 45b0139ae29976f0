/*
** exec/rescale.h — a point simulated again with each device's task times
** scaled by a factor: what the simulator predicts for the speeds the
** devices actually ran at. report/fidelity.c uses it to split a prediction
** error into the part that comes from the profiles (devices ran faster or
** slower than calibrated: contention, a noisy machine) and the part that
** comes from the model of the policy itself.
**
** The rescaled run keeps the point's key, so it draws the same random
** numbers as the original replication: only the times differ.
*/
#ifndef ADI_SWEEP_RESCALE_H
#define ADI_SWEEP_RESCALE_H

#include "scenario/scenario.h"
#include "sim/sim.h"

/* Replication rep of p with device i's times multiplied by scale[i] > 0
** (one per device of the pool). *out as adi_sweep_run_one gives it. */
int adi_sweep_run_rescaled(const adi_point *p, const double *scale, uint64_t rep,
                           adi_run_result *out);

#endif
