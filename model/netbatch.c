/*
** model/netbatch.c — R_b,net, the throughput bound of batches over a star
** (see netbatch.h for the model and the proof): each device's best rate
** over the convex hull of its batch times, then the segments' and the
** coordinator's limits (model/network.c). Cost: O(b) per device.
*/
#include "model/netbatch.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>

/* Device i's terms per batch of k: the link's k `link`, the window's
** (L2 + a k + T(k)) / w. */
typedef struct terms {
    double link; /* s per task: max(S_in, S_out) / B_i */
    double a;    /* s per task: S_in / b_i */
    double L2;   /* s: 2 L_i */
    double w;    /* 1 + p */
} terms;

/* k / cycle(k) for a batch of k (real) computed in T s. */
static double ratio(const terms *c, double k, double T)
{
    double r = k / T, win = c->w * k / (c->L2 + c->a * k + T);
    if (c->link > 0)
        r = fmin(r, 1 / c->link);
    return fmin(r, win);
}

/* The best ratio on the hull's segment from (k1, T1) to (k2, T2), k1 < k2:
** its ends and where two terms cross inside it. */
static double segment_best(const terms *c, double k1, double T1, double k2, double T2)
{
    double beta = (T2 - T1) / (k2 - k1), alpha = T1 - beta * k1;
    double best = fmax(ratio(c, k1, T1), ratio(c, k2, T2));
    double cross[3] = {
        alpha / (c->link - beta),                                  /* compute = link */
        (c->L2 + alpha - c->w * alpha) / (c->w * beta - c->a - beta), /* compute = window */
        (c->L2 + alpha) / (c->w * c->link - c->a - beta),          /* link = window */
    };
    for (int j = 0; j < 3; j++)
        if (cross[j] > k1 && cross[j] < k2) /* NaN and the infinities fail */
            best = fmax(best, ratio(c, cross[j], alpha + beta * cross[j]));
    return best;
}

/* b_i: the least capacity on device i's path. */
static double path_bw(const adi_star *s, size_t i)
{
    double seg = s->dev[i].segment >= 0 ? s->seg_bw[s->dev[i].segment] : INFINITY;
    return fmin(s->dev[i].bw, fmin(seg, s->coord_bw));
}

int adi_netbatch_rate(const adi_star *s, size_t i, uint64_t p, const double *scale, uint64_t b,
                      double *rate, double *trip)
{
    int rc = adi_star_check(s);
    if (rc != ADI_OK)
        return rc;
    if (i >= s->n || b == 0 || !scale)
        return adi_fail(ADI_EINPUT, "a batch rate needs a device of the star and b >= 1");
    for (uint64_t k = 1; k <= b; k++)
        if (!(scale[k] > 0 && isfinite(scale[k])))
            return adi_fail(ADI_EINPUT, "device %zu: the batch of %llu has scale %g (> 0 "
                            "expected)", i, (unsigned long long)k, scale[k]);
    const adi_netdev *d = &s->dev[i];
    double bw = path_bw(s, i);
    terms c = {fmax(s->s_in, s->s_out) / d->bw, s->s_in / bw, 2 * d->latency, (double)p + 1};
    uint64_t *hull = malloc(b * sizeof *hull), len = 0;
    if (!hull)
        return adi_fail(ADI_ENOMEM, "out of memory for batches of %llu", (unsigned long long)b);
    double least = INFINITY;
    for (uint64_t k = 1; k <= b; k++) {
        double T = d->time * scale[k], x = (double)k;
        /* the lower hull (monotone chain): drop a last point on or above
        ** the segment from the one before it to this one */
        while (len >= 2) {
            double ox = (double)hull[len - 2], oy = d->time * scale[hull[len - 2]];
            double ax = (double)hull[len - 1], ay = d->time * scale[hull[len - 1]];
            if ((ax - ox) * (T - oy) - (ay - oy) * (x - ox) > 0)
                break;
            len--;
        }
        hull[len++] = k;
        least = fmin(least, c.L2 + d->latency + x * (s->s_in + s->s_out) / bw + T);
    }
    double best = ratio(&c, (double)hull[0], d->time * scale[hull[0]]);
    for (uint64_t j = 1; j < len; j++)
        best = fmax(best, segment_best(&c, (double)hull[j - 1], d->time * scale[hull[j - 1]],
                                       (double)hull[j], d->time * scale[hull[j]]));
    free(hull);
    *rate = best;
    if (trip)
        *trip = least;
    return ADI_OK;
}

int adi_netbatch_throughput(const adi_star *s, uint64_t p, const double *const *scale,
                            uint64_t b, double *R, double *trip)
{
    int rc = adi_star_check(s);
    if (rc != ADI_OK)
        return rc;
    if (!scale)
        return adi_fail(ADI_EINPUT, "batches over a star need each device's batch times");
    double *cap = malloc(s->n * sizeof *cap), least = INFINITY;
    if (!cap)
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    for (size_t i = 0; i < s->n && rc == ADI_OK; i++) {
        double t;
        rc = adi_netbatch_rate(s, i, p, scale[i], b, &cap[i], &t);
        least = fmin(least, t);
    }
    if (rc == ADI_OK)
        rc = adi_netmodel_throughput_caps(s, cap, R);
    if (rc == ADI_OK && trip)
        *trip = least;
    free(cap);
    return rc;
}
