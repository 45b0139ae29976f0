/*
** sweep/run.c — one process or several MPI ranks (see run.h).
*/
#include "sweep/run.h"
#include "core/error.h"
#include "sweep/mpi.h"

#include <string.h>

int adi_sweep_scenario(const char *db_path, const adi_scenario *sc, adi_sweep_options opt,
                       adi_sweep_stats *stats, adi_store **out)
{
    *out = NULL;
    if (adi_mpi_ranks() > 1)
        return adi_mpi_sweep(db_path, sc, opt, stats, out);
    memset(stats, 0, sizeof *stats);
    int rc = adi_store_open(db_path, 1, out);
    if (rc == ADI_OK && (rc = adi_sweep_into_store(*out, sc, opt, stats)) != ADI_OK) {
        adi_store_close(*out);
        *out = NULL;
    }
    return rc;
}
