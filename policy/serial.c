/*
** policy/serial.c — one device does everything: pull on a one-device pool
** (pull's ops, pull.h). The sweep hands the engine only the point's
** serial_device (the fastest of the pool by default, see scenario.h);
** the engine refuses any other number of devices.
**
** Its bounds: with deterministic times the makespan is exactly m T; with
** random ones it is the sum of the device's m task times, whose mean m T
** and moments are known (Wald), so check/checks.c tests it with those.
** O(1) per task. Over a network it is pull on one device and its link,
** with pull's bound there (makespan_le_greedy_net).
*/
#include "core/error.h"
#include "core/units.h"
#include "policy/pull.h"

#include <stdio.h>

static int serial_check(const adi_sim_config *c)
{
    if (c->n_devices != 1)
        return adi_fail(ADI_EINPUT, "a serial run takes exactly one device");
    return ADI_OK;
}

static const adi_policy_ops ops = {.init = adi_pull_init, .free = adi_pull_free,
                                   .check = serial_check, .arrive = adi_pull_arrive,
                                   .request = adi_pull_request,
                                   .arrive_many = adi_pull_arrive_many, .shared_fifo = 1};
static const adi_policy_ops net_ops = {.init = adi_pull_init, .free = adi_pull_free,
                                       .check = serial_check, .arrive = adi_pull_net_arrive,
                                       .request = adi_pull_net_request,
                                       .arrive_many = adi_pull_net_arrive_many};

static int exact(const adi_policy_pool *pool, double *v) { *v = pool->b->serial_fastest; return ADI_OK; }

static int sum(const adi_policy_pool *pool, double *v)
{
    *v = (double)pool->m * pool->times[0];
    return ADI_OK;
}

static const adi_policy_claim claims[] = {
    {"makespan_eq_serial", ADI_CLAIM_EXACT, 0, NULL, exact},
    {"makespan_eq_serial", ADI_CLAIM_SUM, 0, NULL, sum},
    {NULL, ADI_CLAIM_EXACT, 0, NULL, NULL},
};

static int predict(const adi_policy_pool *pool, char *out, size_t size)
{
    char x[32];
    snprintf(out, size, "%s%s", pool->deterministic ? "" : "E = ",
             adi_format_time(pool->b->serial_fastest, x, sizeof x));
    return ADI_OK;
}

const adi_policy_desc adi_policy_serial = {
    .name = "serial",
    .help = "pull on one device",
    .ops = &ops,
    .devices = ADI_DEVICES_ONE,
    .workloads = ADI_WORKLOADS_CLOSED | ADI_WORKLOADS_OPEN,
    .room = adi_policy_room_devices_plus_queue,
    .share = ADI_SHARE_EQUAL,
    .work_conserving = 1,
    .queueing = ADI_QUEUEING_SHARED_FIFO,
    .claims = claims,
    .predict = predict,
    .style = {"#555555", 13},
    .exec = {.mode = ADI_EXEC_SHARED_QUEUE, .finite_queue = 1},
    .net = {.mode = ADI_SIM_NET_REQUESTS, .ops = &net_ops, .window = ADI_NET_WINDOW_PREFETCH,
            .claims = adi_pull_net_claims,
            .rule = "pull on its one device and that device's link"},
};
