/*
** policy/estimate.h — the T_i a policy plans with (estimates = exact |
** online, DESIGN.md): the profiles' (each sampler's mean), or what the
** coordinator learns from the completions it sees.
**
** The online rule (policy/rules.h, which the real executor shares): a
** device's estimate is the pool's mean task time (the mean of the T_i, all
** a coordinator is told) until it has completed a task, then the mean of
** the compute times of the tasks it has completed.
** Without a network the coordinator hears of a completion when it happens
** (the policy's request(d) right after it: adi_estimate_done, which reads
** the device's busy time from the engine); over one when the task's output
** reaches it, with its compute time (sim/net.c keeps the sums,
** adi_sim_device.observed). A device never reports the task it is still
** computing. Cost: O(1) per update and per estimate; 16 bytes a device.
*/
#ifndef ADI_POLICY_ESTIMATE_H
#define ADI_POLICY_ESTIMATE_H

#include "policy/rules.h"
#include "sim/sim_int.h"

typedef struct adi_estimate {
    adi_estimates mode;
    double prior;     /* s: the pool's mean T */
    double *sum;      /* [n] s: compute times seen (online, no network) */
    uint64_t *count;  /* [n] */
} adi_estimate;

/* For run s (its params' estimates). ADI_OK or ADI_ENOMEM. */
int adi_estimate_init(adi_estimate *e, const adi_sim *s);
void adi_estimate_free(adi_estimate *e);

/* Device d completed a task now and holds none (without a network; over
** one the engine keeps the sums): its busy time is then exactly the sum of
** the times of the tasks it completed. */
static inline void adi_estimate_done(adi_estimate *e, const adi_sim *s, size_t d)
{
    if (e->sum && !s->net) {
        e->sum[d] = s->dev[d].busy;
        e->count[d] = s->dev[d].tasks;
    }
}

/* Device d's T_i as the policy knows it, s. */
static inline double adi_estimate_time(const adi_estimate *e, const adi_sim *s, size_t d)
{
    if (e->mode == ADI_ESTIMATES_EXACT)
        return s->cfg->device[d].mean;
    if (s->net)
        return adi_rule_online(e->prior, s->dev[d].observed, s->dev[d].observed_n);
    return adi_rule_online(e->prior, e->sum[d], e->count[d]);
}

/* The time per task the policy plans device d with: its T_i estimate, or
** over a network the model's least time per task at window k (the
** estimate's compute plus its transfers, adi_netmodel_cycle; k =
** UINT64_MAX for every input sent at once). */
double adi_estimate_cycle(const adi_estimate *e, const adi_sim *s, size_t d, uint64_t k);

/* Over a network, how long after the end of its cycle device d's task is
** complete (its output's way back: the model's trip less its cycle); 0
** without a network. */
double adi_estimate_tail(const adi_estimate *e, const adi_sim *s, size_t d, uint64_t k);

#endif
