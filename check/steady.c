/*
** check/steady.c — choosing the exact steady-state result of a point (see
** steady.h). Which policies the results describe is theirs to say (the
** descriptor's queueing, policy/policy.h).
*/
#include "check/steady.h"
#include "core/error.h"
#include "core/units.h"
#include "model/ctmc.h"
#include "model/mm2.h"
#include "policy/policy.h"

#include <string.h>

const char *adi_steady_model_name(adi_steady_model m)
{
    static const char *const names[] = {"none", "M/M/c", "M/M/c/K", "CTMC", "M/G/1",
                                        "M/M/2 het"};
    return m <= ADI_STEADY_MM2 ? names[m] : "?";
}

int adi_steady_point(const adi_point *p, adi_steady_model *model, adi_queue_metrics *out)
{
    *model = ADI_STEADY_NONE;
    memset(out, 0, sizeof *out);
    if (!p->workload->poisson || p->submit_cost != 0 || p->infeasible ||
        p->policy->queueing != ADI_QUEUEING_SHARED_FIFO || p->params.batch > 1)
        return ADI_OK;
    /* which idle device takes an arrival: the device idle longest (the
    ** chain of ordered idle lists), or a rule over the set of idle ones */
    adi_idle_choice rule = p->params.idle_choice;
    int inf = p->capacity == ADI_CAPACITY_INF;
    if (!inf && p->overflow != ADI_OVERFLOW_DROP)
        return ADI_OK;
    const double *times;
    const adi_sampler *dev;
    size_t n = adi_point_used_devices(p, &times, &dev);
    int identical = 1;
    for (size_t i = 1; i < n; i++)
        identical &= times[i] == times[0];
    int rc = ADI_OK;
    if (p->dist == ADI_DIST_EXPONENTIAL && identical) {
        if (inf && p->rate * times[0] < (double)n) {
            *model = ADI_STEADY_MMC;
            rc = adi_queue_mmc(p->rate, times[0], (unsigned)n, out);
        } else if (!inf) {
            *model = ADI_STEADY_MMCK;
            rc = adi_queue_mmck(p->rate, times[0], (unsigned)n, p->capacity, out);
        }
    } else if (p->dist == ADI_DIST_EXPONENTIAL && !inf && n <= ADI_CTMC_MAX_DEVICES &&
               rule == ADI_IDLE_LONGEST &&
               adi_ctmc_states(n, p->capacity) <= ADI_CTMC_MAX_STATES) {
        *model = ADI_STEADY_CTMC;
        rc = adi_ctmc_pull(times, n, p->rate, p->capacity, out, NULL);
    } else if (p->dist == ADI_DIST_EXPONENTIAL && !inf && n <= ADI_CTMC_MAX_DEVICES &&
               rule != ADI_IDLE_LONGEST && p->capacity <= ADI_CTMC_MAX_STATES &&
               adi_ctmc_states_rule(n, p->capacity, ADI_CTMC_FASTEST) <= ADI_CTMC_MAX_STATES) {
        *model = ADI_STEADY_CTMC;
        rc = adi_ctmc_pull_rule(times, n, p->rate, p->capacity,
                                rule == ADI_IDLE_FASTEST ? ADI_CTMC_FASTEST : ADI_CTMC_RANDOM, out,
                                NULL);
    } else if (p->dist == ADI_DIST_EXPONENTIAL && inf && n == 2 && rule != ADI_IDLE_LONGEST &&
               p->rate < 1 / times[0] + 1 / times[1]) {
        /* the heterogeneous M/M/2: its device 1 is the faster, which the
        ** fastest rule gives an arrival to an empty system (f = 1) */
        size_t fast = times[1] < times[0];
        adi_mm2_metrics mm;
        *model = ADI_STEADY_MM2;
        rc = adi_queue_mm2_hetero(p->rate, times[fast], times[1 - fast],
                                  rule == ADI_IDLE_FASTEST ? 1 : 0.5, &mm);
        *out = mm.q;
    } else if (n == 1 && inf && p->rate * times[0] < 1) {
        *model = ADI_STEADY_MG1;
        rc = adi_queue_mg1(p->rate, times[0], dev[0].cv, out);
    }
    if (rc != ADI_OK)
        *model = ADI_STEADY_NONE;
    return rc;
}
