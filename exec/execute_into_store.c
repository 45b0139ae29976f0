/*
** exec/execute_into_store.c — executing a scenario's points for real and
** storing them (see execute_into_store.h). Runs are executed one after
** another, never side by side: each is a measurement of the whole machine.
*/
#include "exec/execute_into_store.h"
#include "exec/execute.h"
#include "core/clock.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

int adi_execute_into_store(adi_store *st, const adi_scenario *sc, int64_t scenario_id,
                           const char *host, uint64_t reps, FILE *notes,
                           adi_execute_progress progress, void *ctx, adi_execute_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    double t0 = adi_clock_s();
    size_t npoints = adi_scenario_npoints(sc), ntodo = 0;
    const adi_point **todo = calloc(npoints ? npoints : 1, sizeof *todo);
    if (!todo)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = ADI_OK;
    for (size_t i = 0; i < npoints && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        const char *why;
        if (!adi_execute_supported(sc, p, &why)) {
            stats->unsupported++;
            if (notes)
                fprintf(notes, "execute: point %zu (%s, n = %zu) not executed: %s\n", p->index,
                        adi_policy_name(p->policy), p->n_devices, why);
            continue;
        }
        int64_t id;
        if ((rc = adi_store_find_measured(st, adi_scenario_name(sc), p, host, &id)) != ADI_OK)
            break;
        if (id)
            stats->stored_before++;
        else
            todo[ntodo++] = p;
    }
    /* every run of every point to execute, held until the point is stored */
    adi_run_result **runs = rc == ADI_OK ? calloc(ntodo ? ntodo : 1, sizeof *runs) : NULL;
    uint64_t *nruns = rc == ADI_OK ? calloc(ntodo ? ntodo : 1, sizeof *nruns) : NULL;
    uint64_t rounds = 0, total = 0, done = 0;
    if (rc == ADI_OK && (!runs || !nruns))
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t i = 0; i < ntodo && rc == ADI_OK; i++) {
        nruns[i] = reps ? reps : todo[i]->replications;
        if (!(runs[i] = calloc(nruns[i], sizeof *runs[i])))
            rc = adi_fail(ADI_ENOMEM, "out of memory");
        rounds = nruns[i] > rounds ? nruns[i] : rounds;
        total += nruns[i];
    }
    /* Round r runs replication r of every point, in sweep order: a stretch
    ** of time when the machine runs slow spreads over the points instead of
    ** landing on one point's runs. */
    for (uint64_t r = 0; r < rounds && rc == ADI_OK; r++)
        for (size_t i = 0; i < ntodo && rc == ADI_OK; i++) {
            if (r >= nruns[i])
                continue;
            rc = adi_execute_run(sc, todo[i], r, &runs[i][r]);
            if (rc == ADI_OK && progress)
                progress(ctx, todo[i], ++done, total);
        }
    for (size_t i = 0; i < ntodo && rc == ADI_OK; i++) {
        rc = adi_store_write_measured(st, scenario_id, adi_scenario_name(sc), todo[i], host,
                                      runs[i], nruns[i]);
        if (rc == ADI_OK) {
            stats->executed++;
            stats->runs += nruns[i];
        }
    }
    for (size_t i = 0; runs && i < ntodo; i++) {
        for (uint64_t r = 0; runs[i] && r < nruns[i]; r++)
            adi_run_result_free(&runs[i][r]);
        free(runs[i]);
    }
    free(runs);
    free(nruns);
    free(todo);
    stats->elapsed_s = adi_clock_s() - t0;
    return rc;
}
