/*
** sweep/capacity.c — the server-capacity search (see capacity.h).
**
** Cost: about 2 log2(1 / precision) trial rates, each the point's
** replications of `tasks` arrivals; the runs of one trial go to worker
** threads. A trial is a pure function of (point, rate, replication), so the
** answer is reproducible and independent of the number of threads.
*/
#include "sweep/capacity.h"
#include "core/error.h"
#include "core/stats.h"
#include "core/units.h"
#include "check/checks.h"
#include "model/bounds.h"
#include "model/queueing.h"
#include "sweep/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int adi_capacity_parse_bound(const char *text, double *quantile, double *bound)
{
    const char *s = text;
    while (*s == ' ')
        s++;
    char *end;
    double pct;
    if ((*s != 'p' && *s != 'P') || (pct = strtod(s + 1, &end), end == s + 1) ||
        !(pct > 0 && pct < 100))
        goto bad;
    s = end;
    while (*s == ' ')
        s++;
    if (strncmp(s, "<=", 2) == 0)
        s += 2;
    else if (*s == '=')
        s++;
    else
        goto bad;
    if (adi_parse_time(s, bound) != ADI_OK || !(*bound > 0))
        goto bad;
    *quantile = pct / 100;
    return ADI_OK;
bad:
    return adi_fail(ADI_EINPUT, "expected a latency bound such as p99=100ms or "
                    "'p95 <= 2s', got '%s'", text);
}

typedef struct search {
    adi_point trial;          /* the point with Poisson arrivals at a trial rate */
    const adi_capacity_request *req;
    adi_run_result *runs;
    double *q;                /* per replication quantile */
    unsigned trials;
} search;

/* The p-quantile of one run's steady-state responses, lost arrivals last. */
static double run_quantile(const adi_run_result *r, double p)
{
    double total = (double)(r->ss_completed + r->ss_dropped);
    double rank = ceil(p * total);
    if (rank > (double)r->ss_completed || r->ss_completed == 0)
        return INFINITY;
    return adi_hist_quantile(&r->ss_latc, rank / (double)r->ss_completed);
}

/* Evaluates a rate: *meets (interval top within the bound) and *could
** (interval bottom within it). */
static int trial(search *s, double rate, int *meets, int *could)
{
    s->trial.rate = rate;
    s->trials++;
    int rc = adi_sweep_run_point(&s->trial, s->req->jobs, s->runs);
    if (rc != ADI_OK)
        return rc;
    size_t n = s->trial.replications;
    int infinite = 0;
    for (size_t r = 0; r < n; r++) {
        s->q[r] = run_quantile(&s->runs[r], s->req->quantile);
        infinite |= isinf(s->q[r]);
        adi_run_result_free(&s->runs[r]);
    }
    if (infinite) {
        *meets = *could = 0;
        return ADI_OK;
    }
    adi_ci ci = adi_ci_t(s->q, n, s->req->confidence);
    *meets = ci.hi <= s->req->bound;
    *could = ci.lo <= s->req->bound;
    return ADI_OK;
}

/* Largest rate in [lo, hi) where the criterion (0: meets, 1: could) holds,
** given that it holds at lo and not at hi. */
static int bisect(search *s, int optimistic, double lo, double hi, double step, double *out)
{
    while (hi - lo > step) {
        double mid = 0.5 * (lo + hi);
        int meets, could;
        int rc = trial(s, mid, &meets, &could);
        if (rc != ADI_OK)
            return rc;
        if (optimistic ? could : meets)
            lo = mid;
        else
            hi = mid;
    }
    *out = lo;
    return ADI_OK;
}

int adi_capacity_search(const adi_point *p, const adi_capacity_request *req,
                        adi_capacity_result *out)
{
    memset(out, 0, sizeof *out);
    if (p->infeasible)
        return adi_fail(ADI_EINPUT, "the point is infeasible: %s", p->infeasible);
    if (p->replications < 2)
        return adi_fail(ADI_EINPUT, "a capacity search needs replications >= 2 for its "
                        "confidence intervals");
    const double *times;
    const adi_sampler *dev;
    size_t n = adi_point_used_devices(p, &times, &dev);
    adi_bounds b;
    int rc = adi_model_bounds(times, n, p->tasks, &b);
    if (rc != ADI_OK)
        return rc;
    out->R = b.R;

    int identical = 1;
    for (size_t i = 1; i < n; i++)
        identical &= times[i] == times[0];
    if (identical && p->dist == ADI_DIST_EXPONENTIAL && p->capacity == ADI_CAPACITY_INF &&
        p->submit_cost == 0 && p->policy->queueing == ADI_QUEUEING_SHARED_FIFO) {
        rc = adi_queue_mmc_max_rate(times[0], (unsigned)n, req->quantile, req->bound,
                                    &out->analytic);
        if (rc != ADI_OK)
            return rc;
        out->has_formula = 1;
    }

    search s = {.trial = *p, .req = req};
    s.trial.workload = &adi_workload_poisson;
    if (p->workload != &adi_workload_poisson)
        s.trial.warmup = p->tasks / 10;
    s.runs = calloc(p->replications, sizeof *s.runs);
    s.q = calloc(p->replications, sizeof *s.q);
    if (!s.runs || !s.q) {
        rc = adi_fail(ADI_ENOMEM, "out of memory");
        goto done;
    }
    double step = req->precision * b.R, low = step, meets, could;
    int m, c;
    /* Even a trickle may miss a bound shorter than the service time. */
    if ((rc = trial(&s, low, &m, &c)) != ADI_OK)
        goto done;
    meets = m ? low : 0;
    could = c ? low : 0;
    if (m && (rc = bisect(&s, 0, low, b.R, step, &meets)) != ADI_OK)
        goto done;
    if (c && (rc = bisect(&s, 1, fmax(meets, low), b.R, step, &could)) != ADI_OK)
        goto done;
    out->safe = meets;
    out->optimistic = could;
    out->trials = s.trials;
done:
    free(s.runs);
    free(s.q);
    return rc;
}
