/*
** policy/estimate.c — the estimates' state (see estimate.h).
*/
#include "policy/estimate.h"
#include "core/error.h"
#include "model/network.h"

#include <stdlib.h>

int adi_estimate_init(adi_estimate *e, const adi_sim *s)
{
    const adi_sim_policy_params *prm = s->cfg->params ? s->cfg->params : &adi_sim_default_params;
    *e = (adi_estimate){.mode = prm->estimates};
    double total = 0;
    for (size_t d = 0; d < s->n; d++)
        total += s->cfg->device[d].mean;
    e->prior = total / (double)s->n;
    if (e->mode == ADI_ESTIMATES_ONLINE && !s->net) {
        e->sum = calloc(s->n, sizeof *e->sum);
        e->count = calloc(s->n, sizeof *e->count);
        if (!e->sum || !e->count) {
            adi_estimate_free(e);
            return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
        }
    }
    return ADI_OK;
}

void adi_estimate_free(adi_estimate *e)
{
    free(e->sum);
    free(e->count);
    e->sum = NULL;
    e->count = NULL;
}

/* The star of d alone, with d's estimate as its task time: its cycle and
** trip depend on its own link, segment and the coordinator's bandwidth, not
** on the other devices. *dev is the star's one device. */
static adi_star alone(const adi_estimate *e, const adi_sim *s, size_t d, adi_netdev *dev)
{
    const adi_sim_net *net = s->cfg->net;
    const adi_sim_link *l = &net->link[d];
    *dev = (adi_netdev){adi_estimate_time(e, s, d), l->bw, l->latency, l->segment};
    return (adi_star){.n = 1, .dev = dev, .nseg = net->nseg, .seg_bw = net->seg_bw,
                      .coord_bw = net->coord_bw, .s_in = net->s_in, .s_out = net->s_out};
}

double adi_estimate_cycle(const adi_estimate *e, const adi_sim *s, size_t d, uint64_t k)
{
    if (!s->cfg->net)
        return adi_estimate_time(e, s, d);
    adi_netdev dev;
    adi_star star = alone(e, s, d, &dev);
    return adi_netmodel_cycle(&star, 0, k, NULL);
}

double adi_estimate_tail(const adi_estimate *e, const adi_sim *s, size_t d, uint64_t k)
{
    if (!s->cfg->net)
        return 0;
    adi_netdev dev;
    adi_star star = alone(e, s, d, &dev);
    double tail = adi_netmodel_trip(&star, 0) - adi_netmodel_cycle(&star, 0, k, NULL);
    return tail > 0 ? tail : 0;
}
