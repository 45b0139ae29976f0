/*
** sim/workload_poisson.c — Poisson arrivals: m tasks arrive at rate lambda,
** with exponential gaps (one draw of the run's stream per arrival, by the
** ziggurat of ziggurat.h). The engine does the rest of an arrival (sim.c):
** it creates the task when it arrives, keeps it until the producer takes
** it, and measures the steady state from arrival warmup + 1 to the m-th.
** O(1) per arrival.
*/
#include "core/error.h"
#include "sim/sim_int.h"
#include "sim/workload.h"
#include "sim/ziggurat.h"

static int poisson_check(const adi_sim_config *c)
{
    if (!(c->rate > 0))
        return adi_fail(ADI_EINPUT, "a poisson workload needs a rate > 0");
    if (c->warmup >= c->tasks)
        return adi_fail(ADI_EINPUT, "the warm-up (%llu arrivals) leaves none of the %llu to "
                        "measure", (unsigned long long)c->warmup, (unsigned long long)c->tasks);
    return ADI_OK;
}

static double poisson_gap(adi_sim *s) { return adi_exponential1(s->rng) / s->cfg->rate; }

static const adi_workload_ops ops = {.check = poisson_check, .gap = poisson_gap};

const adi_workload_desc adi_workload_poisson = {
    .name = "poisson",
    .help = "open arrivals at `rate`",
    .ops = &ops,
    .open = 1,
    .poisson = 1,
};
