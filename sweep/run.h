/*
** sweep/run.h — a scenario's sweep run into a results database: the entry
** `simulate` and `execute` call. On one process the points run on this
** process's threads (sweep/into_store.h); in an MPI build started on
** several ranks they are spread over the ranks (sweep/mpi.h), with the same
** rows as a result.
*/
#ifndef ADI_SWEEP_RUN_H
#define ADI_SWEEP_RUN_H

#include "store/store.h"
#include "sweep/into_store.h"

/* Opens db_path and runs the scenario into it: spread over the MPI ranks
** when there are several, else on this process's threads. On rank 0 (and
** without MPI) *out is the open store to report from (the caller closes
** it); on other ranks *out is NULL. The status is the same on every rank. */
int adi_sweep_scenario(const char *db_path, const adi_scenario *sc, adi_sweep_options opt,
                       adi_sweep_stats *stats, adi_store **out);

#endif
