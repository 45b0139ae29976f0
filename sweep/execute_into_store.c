/*
** sweep/execute_into_store.c — executing a scenario's points for real and
** storing them (see execute_into_store.h). Runs are executed one after
** another, never side by side: each is a measurement of the whole machine.
*/
#include "sweep/execute_into_store.h"
#include "calibrate/execute.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int adi_execute_into_store(adi_store *st, const adi_scenario *sc, int64_t scenario_id,
                           const char *host, uint64_t reps, FILE *notes,
                           adi_execute_progress progress, void *ctx, adi_execute_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    double t0 = now_s();
    size_t total = 0;
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const char *why;
        total += adi_execute_supported(sc, adi_scenario_point(sc, i), &why);
    }
    int rc = ADI_OK;
    for (size_t i = 0; i < adi_scenario_npoints(sc) && rc == ADI_OK; i++) {
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
        if (id) {
            stats->stored_before++;
            continue;
        }
        uint64_t n = reps ? reps : p->replications;
        adi_run_result *runs = calloc(n, sizeof *runs);
        if (!runs) {
            rc = adi_fail(ADI_ENOMEM, "out of memory");
            break;
        }
        for (uint64_t r = 0; r < n && rc == ADI_OK; r++)
            rc = adi_execute_run(sc, p, r, &runs[r]);
        if (rc == ADI_OK)
            rc = adi_store_write_measured(st, scenario_id, adi_scenario_name(sc), p, host, runs, n);
        for (uint64_t r = 0; r < n; r++)
            adi_run_result_free(&runs[r]);
        free(runs);
        if (rc != ADI_OK)
            break;
        stats->executed++;
        stats->runs += n;
        if (progress)
            progress(ctx, p, stats->executed + stats->stored_before, total);
    }
    stats->elapsed_s = now_s() - t0;
    return rc;
}
