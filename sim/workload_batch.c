/*
** sim/workload_batch.c — the batch workload: all m tasks exist at t = 0
** (created at 0). The producer takes them one after another; when it costs
** nothing it puts them all at once (identical(): the policy's arrive_many),
** so a batch costs one event per task. O(1) per task, no state.
*/
#include "core/error.h"
#include "sim/sim_int.h"
#include "sim/workload.h"

static int batch_check(const adi_sim_config *c)
{
    (void)c;
    return ADI_OK;
}

static int batch_next(adi_sim *s, adi_task *t)
{
    if (s->handed == s->cfg->tasks)
        return 0;
    t->created = 0;
    return 1;
}

static uint64_t batch_identical(const adi_sim *s, double *created)
{
    *created = 0;
    return s->cfg->tasks - s->handed;
}

static const adi_workload_ops ops = {.check = batch_check, .next = batch_next,
                                     .identical = batch_identical};

const adi_workload_desc adi_workload_batch = {
    .name = "batch",
    .help = "all tasks at t = 0",
    .ops = &ops,
};
