/*
** sweep/into_store.c — skip what is stored, run the rest, write it
** (see into_store.h).
*/
#include "sweep/into_store.h"
#include "core/clock.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chained {
    adi_store_sweep *writer;
    adi_sweep_stats *stats;
    adi_sweep_options user; /* the caller's progress callback and context */
} chained;

static int write_point(void *ctx, const adi_point_result *pr)
{
    chained *c = ctx;
    int already = 0;
    int rc = adi_store_sweep_point(c->writer, pr, &already);
    c->stats->ran++;
    c->stats->runs += pr->nruns;
    c->stats->stored_meanwhile += (size_t)already;
    return rc;
}

static int pending(void *ctx, double *deadline)
{
    return adi_store_sweep_pending(((chained *)ctx)->writer, deadline);
}

static int flush(void *ctx)
{
    return adi_store_sweep_flush(((chained *)ctx)->writer);
}

static void progress(void *ctx, size_t done, size_t total, unsigned long long tasks,
                     double elapsed)
{
    chained *c = ctx;
    c->user.progress(c->user.ctx, done, total, tasks, elapsed);
}

int adi_sweep_into_store(adi_store *st, const adi_scenario *sc, adi_sweep_options opt,
                         adi_sweep_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    size_t n = adi_scenario_npoints(sc);
    stats->points = n;
    unsigned char *skip = calloc(n ? n : 1, 1);
    if (!skip)
        return adi_fail(ADI_ENOMEM, "out of memory");
    adi_store_sweep *writer = NULL;
    int rc = adi_store_sweep_begin(st, sc, skip, &stats->stored_before, &writer);
    if (rc == ADI_OK && opt.skip) {
        memcpy(skip, opt.skip, n);
        stats->stored_before = 0;
        for (size_t i = 0; i < n; i++)
            stats->stored_before += skip[i];
    }
    for (size_t i = 0; i < n; i++)
        stats->infeasible += adi_scenario_point(sc, i)->infeasible != NULL;
    chained c = {writer, stats, opt};
    opt.skip = skip;
    opt.point_done = write_point;
    opt.pending = pending;
    opt.flush = flush;
    opt.ctx = &c;
    opt.progress = c.user.progress ? progress : NULL;
    double t0 = adi_clock_s();
    if (rc == ADI_OK)
        rc = adi_sweep_run(sc, &opt);
    stats->elapsed_s = adi_clock_s() - t0;
    if (rc == ADI_OK)
        rc = adi_store_sweep_finish(writer, &stats->scenario_id);
    if (rc != ADI_OK && writer) {
        char why[1024];
        snprintf(why, sizeof why, "%s", adi_errmsg());
        adi_store_sweep_flush(writer); /* the whole points before the failure stay */
        size_t written = adi_store_sweep_committed(writer);
        rc = written ? adi_fail(rc, "%s (the %zu points stored before it are whole and kept; a "
                                "rerun skips them)", why, written)
                     : adi_fail(rc, "%s", why);
    }
    adi_store_sweep_free(writer);
    free(skip);
    return rc;
}
