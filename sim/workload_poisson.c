/*
** sim/workload_poisson.c — Poisson arrivals: m tasks arrive at rate lambda
** (exponential gaps, one draw of the run's stream per arrival), each created
** when it arrives and kept in the backlog until the producer takes it. It
** opens the steady-state window at arrival warmup + 1 and closes it at the
** m-th (sim/sim.h's ss_* estimates). O(1) per arrival; the backlog holds
** what arrived and was not yet taken.
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

static int poisson_start(adi_sim *s)
{
    return adi_events_push(&s->events, adi_exponential1(s->rng) / s->cfg->rate,
                           ADI_SIM_EV_WORKLOAD, 0);
}

static int poisson_arrival(adi_sim *s)
{
    s->arrived++;
    s->last_arrival = s->now;
    if (s->arrived == s->cfg->warmup + 1)
        adi_sim_window_open(s);
    if (s->arrived == s->cfg->tasks && s->window == 1)
        adi_sim_window_close(s, s->cfg->tasks - s->cfg->warmup);
    if (adi_taskq_push(&s->backlog, s->now, s->now, 0, 0) != 0)
        return -1;
    if (s->arrived < s->cfg->tasks &&
        adi_sim_schedule(s, s->now + adi_exponential1(s->rng) / s->cfg->rate,
                         ADI_SIM_EV_WORKLOAD, 0) != 0)
        return -1;
    return adi_sim_tasks_ready(s);
}

static int poisson_next(adi_sim *s, adi_task *t)
{
    if (s->backlog.len == 0)
        return 0;
    *t = adi_taskq_pop(&s->backlog);
    return 1;
}

static const adi_workload_ops ops = {.check = poisson_check, .start = poisson_start,
                                     .event = poisson_arrival, .next = poisson_next};

const adi_workload_desc adi_workload_poisson = {
    .name = "poisson",
    .help = "open arrivals at `rate`",
    .ops = &ops,
    .open = 1,
    .poisson = 1,
};
