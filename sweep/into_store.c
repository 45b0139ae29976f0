/*
** sweep/into_store.c — skip what is stored, run the rest, write it
** (see into_store.h).
*/
#include "sweep/into_store.h"
#include "core/clock.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

typedef struct chained {
    adi_store *st;
    const adi_scenario *sc;
    adi_sweep_stats *stats;
    adi_sweep_options user; /* the caller's progress callback and context */
} chained;

static int write_point(void *ctx, const adi_point_result *pr)
{
    chained *c = ctx;
    c->stats->ran++;
    c->stats->runs += pr->nruns;
    return adi_store_write_point(c->st, c->stats->scenario_id, adi_scenario_name(c->sc), pr);
}

static void progress(void *ctx, size_t done, size_t total, unsigned long long tasks,
                     double elapsed)
{
    chained *c = ctx;
    c->user.progress(c->user.ctx, done, total, tasks, elapsed);
}

int adi_sweep_stored(adi_store *st, const adi_scenario *sc, int64_t scenario_id,
                     unsigned char *skip, size_t *stored)
{
    int rc = ADI_OK;
    *stored = 0;
    for (size_t i = 0; i < adi_scenario_npoints(sc) && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        int64_t id = 0;
        skip[i] = 0;
        if (p->infeasible)
            continue;
        rc = adi_store_find_point(st, adi_scenario_name(sc), p, &id);
        if (rc == ADI_OK && id) {
            skip[i] = 1;
            (*stored)++;
            rc = adi_store_link_point(st, scenario_id, id, i);
        }
    }
    return rc;
}

int adi_sweep_into_store(adi_store *st, const adi_scenario *sc, adi_sweep_options opt,
                         adi_sweep_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    size_t n = adi_scenario_npoints(sc);
    stats->points = n;
    int rc = adi_store_scenario(st, sc, &stats->scenario_id);
    if (rc != ADI_OK)
        return rc;
    unsigned char *skip = calloc(n ? n : 1, 1);
    if (!skip)
        return adi_fail(ADI_ENOMEM, "out of memory");
    if (opt.skip) {
        memcpy(skip, opt.skip, n);
        for (size_t i = 0; i < n; i++) {
            stats->infeasible += adi_scenario_point(sc, i)->infeasible != NULL;
            stats->stored_before += skip[i];
        }
    } else {
        rc = adi_sweep_stored(st, sc, stats->scenario_id, skip, &stats->stored_before);
        for (size_t i = 0; i < n; i++)
            stats->infeasible += adi_scenario_point(sc, i)->infeasible != NULL;
    }
    chained c = {st, sc, stats, opt};
    opt.skip = skip;
    opt.point_done = write_point;
    opt.ctx = &c;
    opt.progress = c.user.progress ? progress : NULL;
    double t0 = adi_clock_s();
    if (rc == ADI_OK)
        rc = adi_sweep_run(sc, &opt);
    stats->elapsed_s = adi_clock_s() - t0;
    free(skip);
    return rc;
}
