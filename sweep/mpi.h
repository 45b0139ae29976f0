/*
** sweep/mpi.h — a sweep spread over MPI ranks (built with `make MPI=1`).
**
** Rank 0 opens the target database and tells every rank which points are
** already stored; rank r runs points r, r + K, r + 2K, ... (K ranks) into
** a database in its own memory; the ranks send those databases to rank 0
** as bytes (adi_store_serialize), and rank 0 merges them in sweep order
** (store/merge.h). So the result is row for row what a single process
** writes, and no shared file system is needed. A failure on any rank is
** reported by rank 0 and fails the whole run.
*/
#ifndef ADI_SWEEP_MPI_H
#define ADI_SWEEP_MPI_H

#include "store/store.h"
#include "sweep/into_store.h"

/* MPI_Init / MPI_Finalize in an MPI build; nothing otherwise. start
** returns this process's rank (0 without MPI). */
int adi_mpi_start(int *argc, char ***argv);
void adi_mpi_stop(void);

/* The number of ranks this process runs among (1 without MPI). */
int adi_mpi_ranks(void);

/* Opens db_path on rank 0 and runs the scenario over every rank as above
** (sweep/run.h calls it when there are several). On rank 0 *out is the open
** store to report from (the caller closes it); on other ranks NULL. The
** status is the same on every rank. Without MPI: ADI_EINTERNAL. */
int adi_mpi_sweep(const char *db_path, const adi_scenario *sc, adi_sweep_options opt,
                  adi_sweep_stats *stats, adi_store **out);

#endif
