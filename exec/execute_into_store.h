/*
** exec/execute_into_store.h — a calibrated scenario executed for real on
** this machine (exec/execute.h) and stored beside its simulation:
** what `bin/execute` does between loading the scenario and printing the
** comparison. The simulation is run (or found stored) first, so every
** measured point has its simulated twin; points already measured on this
** host are not run again; points this machine cannot execute are named.
**
** Order: the runs are interleaved, round r running replication r of every
** point in sweep order, because a machine's speed drifts in stretches of
** seconds (a shared VM here ran both workers 10 to 60 % slower for a
** minute at a time): point after point, such a stretch would land on the
** runs of one or two points and bias them; interleaved, it widens every
** point's interval a little instead. The cost: a point is stored only when
** its last run is done, so an interrupted execute keeps nothing of this call.
*/
#ifndef ADI_SWEEP_EXECUTE_INTO_STORE_H
#define ADI_SWEEP_EXECUTE_INTO_STORE_H

#include "store/store.h"

#include <stdio.h>

typedef struct adi_execute_stats {
    size_t executed, stored_before, unsupported;
    unsigned long long runs;
    double elapsed_s;
} adi_execute_stats;

/* Called after each executed run (for a progress line): `done` of `total`
** runs, the last of point p. */
typedef void (*adi_execute_progress)(void *ctx, const adi_point *p, size_t done, size_t total);

/* reps: runs per point (0: the point's replications). Points that cannot be
** executed are listed on `notes` (may be NULL) with the reason. */
int adi_execute_into_store(adi_store *st, const adi_scenario *sc, int64_t scenario_id,
                           const char *host, uint64_t reps, FILE *notes,
                           adi_execute_progress progress, void *ctx, adi_execute_stats *stats);

#endif
