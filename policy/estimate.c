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

double adi_estimate_cycle(const adi_estimate *e, const adi_sim *s, size_t d, uint64_t k)
{
    double t = adi_estimate_time(e, s, d);
    const adi_sim_net *net = s->cfg->net;
    if (!net)
        return t;
    /* the star of d alone: its cycle depends on its own link, segment and the
    ** coordinator's bandwidth, not on the other devices */
    const adi_sim_link *l = &net->link[d];
    adi_netdev dev = {t, l->bw, l->latency, l->segment};
    adi_star star = {.n = 1, .dev = &dev, .nseg = net->nseg, .seg_bw = net->seg_bw,
                     .coord_bw = net->coord_bw, .s_in = net->s_in, .s_out = net->s_out};
    return adi_netmodel_cycle(&star, 0, k, NULL);
}

double adi_estimate_tail(const adi_estimate *e, const adi_sim *s, size_t d, uint64_t k)
{
    const adi_sim_net *net = s->cfg->net;
    if (!net)
        return 0;
    const adi_sim_link *l = &net->link[d];
    adi_netdev dev = {adi_estimate_time(e, s, d), l->bw, l->latency, l->segment};
    adi_star star = {.n = 1, .dev = &dev, .nseg = net->nseg, .seg_bw = net->seg_bw,
                     .coord_bw = net->coord_bw, .s_in = net->s_in, .s_out = net->s_out};
    adi_netmodel nm;
    if (adi_netmodel_compute(&star, 1, k, &nm) != ADI_OK)
        return 0;
    double tail = nm.dev[0].trip - nm.dev[0].cycle;
    adi_netmodel_free(&nm);
    return tail > 0 ? tail : 0;
}
