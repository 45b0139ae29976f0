/*
** sweep/into_store.h — a scenario run into the results database: the step
** `simulate` performs between loading a scenario and printing its table.
** Points already stored under the same scenario name and key are skipped
** (and linked to this version of the scenario); the others run on worker
** threads and are written in sweep order, whole, in transactions that
** gather the points finished within 0.1 s (store.h). A
** point another process stores while this one runs it is kept as that
** process stored it (store.h), and counted in stored_meanwhile.
*/
#ifndef ADI_SWEEP_INTO_STORE_H
#define ADI_SWEEP_INTO_STORE_H

#include "store/store.h"
#include "sweep/sweep.h"

typedef struct adi_sweep_stats {
    int64_t scenario_id;     /* the scenario row the runs belong to */
    size_t points, infeasible, stored_before, ran;
    size_t stored_meanwhile; /* of `ran`: found stored by another process when
                                written (its rows kept, these dropped) */
    unsigned long long runs; /* replications simulated now */
    double elapsed_s;        /* wall clock of the sweep */
} adi_sweep_stats;

/* opt.point_done is set here; jobs, shard/shards, progress and ctx are the
** caller's. opt.skip, when set, says which points are stored elsewhere (an
** MPI rank writing to memory); otherwise it is computed from st. */
int adi_sweep_into_store(adi_store *st, const adi_scenario *sc, adi_sweep_options opt,
                         adi_sweep_stats *stats);

#endif
