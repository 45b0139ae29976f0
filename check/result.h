/*
** check/result.h — one sweep point's results as they are checked, handed
** on and stored: its runs in replication order and each run's checks.
**
** It sits here, below the store and the sweep, so that the sweep that makes
** it (sweep/sweep.h) and the store that writes it (store/store.h) both use
** it without either including the other.
*/
#ifndef ADI_CHECK_RESULT_H
#define ADI_CHECK_RESULT_H

#include "check/checks.h"
#include "scenario/scenario.h"
#include "sim/sim.h"

typedef struct adi_point_result {
    const adi_point *point;
    size_t nruns;               /* = point->replications */
    const adi_run_result *runs; /* [nruns], in replication order */
    adi_run_checks *checks;     /* [nruns], or NULL: no checks */
    double ci_level;            /* level of each interval check */
} adi_point_result;

#endif
