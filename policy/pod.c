/*
** policy/pod.c — the power of d choices: for open workloads, each arrival
** draws `choices` = d different devices uniformly at random (from the run's
** own stream, in a fixed order, so results do not depend on --jobs) and
** joins the one of them where it would finish soonest by expected work,
** (tasks there + 1) x T_i, ties to the lower index. jsq's ops (jsq.h), with
** the draw; d = n is jsq, d = 1 a random split. A scenario with choices
** larger than the pool is refused.
**
** Its checks are those of every open run (Little's law, the utilization
** law, throughput <= R). Cost: O(d) per arrival, O(1) per completion.
*/
#include "policy/jsq.h"

static const adi_policy_ops ops = {.init = adi_pod_init, .free = adi_jsq_free,
                                   .arrive = adi_jsq_arrive, .request = adi_jsq_request,
                                   .room = adi_jsq_room};
static const adi_policy_ops net_ops = {.init = adi_pod_init, .free = adi_jsq_free,
                                       .arrive = adi_jsq_net_arrive,
                                       .request = adi_jsq_net_request};

const adi_policy_desc adi_policy_pod = {
    .name = "pod",
    .help = "open workloads: each arrival joins the best of d devices drawn at random",
    .ops = &ops,
    .keys = ADI_POLICY_KEY_ESTIMATES | ADI_POLICY_KEY_CHOICES,
    .devices = ADI_DEVICES_ALL,
    .workloads = ADI_WORKLOADS_OPEN,
    .room = adi_policy_room_devices_plus_queue,
    .share = ADI_SHARE_SPEED,
    .claims = adi_jsq_no_claims,
    .predict = adi_jsq_predict,
    .style = {"#999999", 12},
    .exec = {.mode = ADI_EXEC_NONE,
             .limit = "pod runs open workloads only, which the executor does not run"},
    .net = {.mode = ADI_SIM_NET_RESULTS, .ops = &net_ops, .window = ADI_NET_WINDOW_ALL,
            .claims = adi_jsq_no_claims,
            .rule = "as jsq, among the d devices drawn for each arrival"},
};
