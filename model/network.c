/*
** model/network.c — the network-aware bounds of pull over a star (see
** network.h for the model and the proofs).
**
** Counting. N_i^max counts tasks whose lower-bound times fall within s_max;
** a simulated time is a sum of many rounded terms, so an event the exact
** arithmetic puts just after s_max may land just before it. Counts are
** therefore taken with a relative margin of 1e-9 (count_upto): they can
** only grow, which keeps the upper bound an upper bound. Cost: a few sorts
** (O(n log n)), O(n) scratch memory.
*/
#include "model/network.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const limit_names[ADI_NETLIMIT_COUNT] = {"compute", "link", "transfers",
                                                            "segment", "coordinator"};

const char *adi_netlimit_name(adi_netlimit l)
{
    return l < ADI_NETLIMIT_COUNT ? limit_names[l] : "?";
}

static int positive_bw(double b) { return b > 0 && !isnan(b); } /* INFINITY allowed */

int adi_star_check(const adi_star *s)
{
    if (!s || s->n == 0 || !s->dev)
        return adi_fail(ADI_EINPUT, "a star needs at least one device");
    if (s->nseg && !s->seg_bw)
        return adi_fail(ADI_EINPUT, "%zu segments but no bandwidths", s->nseg);
    if (!positive_bw(s->coord_bw))
        return adi_fail(ADI_EINPUT, "the coordinator's bandwidth must be > 0 bytes/s, got %g",
                        s->coord_bw);
    if (!(s->s_in >= 0 && isfinite(s->s_in)) || !(s->s_out >= 0 && isfinite(s->s_out)))
        return adi_fail(ADI_EINPUT, "task sizes must be finite and >= 0 bytes, got %g and %g",
                        s->s_in, s->s_out);
    for (size_t g = 0; g < s->nseg; g++)
        if (!positive_bw(s->seg_bw[g]))
            return adi_fail(ADI_EINPUT, "segment %zu: bandwidth must be > 0 bytes/s, got %g", g,
                            s->seg_bw[g]);
    for (size_t i = 0; i < s->n; i++) {
        const adi_netdev *d = &s->dev[i];
        if (!(d->time > 0 && isfinite(d->time)))
            return adi_fail(ADI_EINPUT, "device %zu: task time must be > 0 s, got %g", i, d->time);
        if (!positive_bw(d->bw))
            return adi_fail(ADI_EINPUT, "device %zu: bandwidth must be > 0 bytes/s, got %g", i,
                            d->bw);
        if (!(d->latency >= 0 && isfinite(d->latency)))
            return adi_fail(ADI_EINPUT, "device %zu: latency must be >= 0 s, got %g", i,
                            d->latency);
        if (d->segment < -1 || (d->segment >= 0 && (size_t)d->segment >= s->nseg))
            return adi_fail(ADI_EINPUT, "device %zu: segment %ld does not exist (%zu segments)",
                            i, d->segment, s->nseg);
    }
    return ADI_OK;
}

/* The star, and m >= 1 tasks. */
static int check_run(const adi_star *s, uint64_t m)
{
    int rc = adi_star_check(s);
    if (rc == ADI_OK && m == 0)
        rc = adi_fail(ADI_EINPUT, "the number of tasks must be at least 1");
    return rc;
}

/* ---- one device, alone ------------------------------------------------------ */

static double seg_bw(const adi_star *s, size_t i)
{
    return s->dev[i].segment >= 0 ? s->seg_bw[s->dev[i].segment] : INFINITY;
}

/* b_i: the least capacity on its path. */
static double path_bw(const adi_star *s, size_t i)
{
    return fmin(s->dev[i].bw, fmin(seg_bw(s, i), s->coord_bw));
}

/* c0_i = 2 L_i + S_in / b_i + T_i (S / INFINITY is 0). */
static double round_trip(const adi_star *s, size_t i)
{
    const adi_netdev *d = &s->dev[i];
    return 2 * d->latency + s->s_in / path_bw(s, i) + d->time;
}

/* h_i = max(T_i, S_in / B_i, S_out / B_i), and which term it is. */
static double hidden_cycle(const adi_star *s, size_t i, adi_netlimit *limit)
{
    const adi_netdev *d = &s->dev[i];
    double link = fmax(s->s_in, s->s_out) / d->bw;
    *limit = d->time >= link ? ADI_NETLIMIT_COMPUTE : ADI_NETLIMIT_LINK;
    return fmax(d->time, link);
}

double adi_netmodel_cycle(const adi_star *s, size_t i, uint64_t k, adi_netlimit *limit)
{
    adi_netlimit l;
    double h = hidden_cycle(s, i, &l), w = round_trip(s, i) / ((double)k + 1);
    if (w > h)
        l = ADI_NETLIMIT_TRANSFERS;
    if (limit)
        *limit = l;
    return fmax(h, w);
}

double adi_netmodel_trip(const adi_star *s, size_t i)
{
    return round_trip(s, i) + s->dev[i].latency + s->s_out / path_bw(s, i);
}

uint64_t adi_netmodel_hiding_prefetch(const adi_star *s, size_t i)
{
    adi_netlimit l;
    double h = hidden_cycle(s, i, &l), c0 = round_trip(s, i), q = c0 / h;
    if (q <= 1)
        return 0;
    if (q > 0x1p62)
        return UINT64_MAX;
    uint64_t k = (uint64_t)ceil(q) - 1; /* then mend the rounding of q */
    while (k > 0 && c0 / (double)k <= h)
        k--;
    while (c0 / ((double)k + 1) > h)
        k++;
    return k;
}

/* ---- the pool: max-min division of the task rate -------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The level l with sum_i min(cap[i], l) = K, INFINITY when sum cap <= K;
** sorts cap[0..n). */
static double water_level(double *cap, size_t n, double K)
{
    if (!(K < INFINITY))
        return INFINITY;
    qsort(cap, n, sizeof *cap, cmp_double);
    double left = K;
    for (size_t j = 0; j < n; j++) {
        double r = (double)(n - j);
        if (cap[j] * r >= left)
            return left / r;
        left -= cap[j];
    }
    return INFINITY;
}

/* Tasks/s a resource of capacity C bytes/s can carry in both directions. */
static double task_rate(const adi_star *s, double C)
{
    double big = fmax(s->s_in, s->s_out);
    return big > 0 ? C / big : INFINITY;
}

/* R for per-device caps cap[n] (tasks/s), each reached by own[n] (NULL:
** compute): the segments' and the coordinator's water levels above. */
static int pool_rate(const adi_star *s, const double *cap, const adi_netlimit *own, double *R,
                     double *share, adi_netlimit *limit)
{
    size_t n = s->n;
    int rc = ADI_OK;
    double *eff = malloc(n * sizeof *eff), *scratch = malloc(n * sizeof *scratch), *level = NULL;
    if (s->nseg)
        level = malloc(s->nseg * sizeof *level);
    if (!eff || !scratch || (s->nseg && !level)) {
        rc = adi_fail(ADI_ENOMEM, "out of memory for %zu devices", n);
        goto done;
    }
    /* each segment's level as if alone (its devices' caps, its capacity) */
    for (size_t g = 0; g < s->nseg; g++) {
        size_t len = 0;
        for (size_t i = 0; i < n; i++)
            if (s->dev[i].segment == (long)g)
                scratch[len++] = cap[i];
        level[g] = water_level(scratch, len, task_rate(s, s->seg_bw[g]));
    }
    for (size_t i = 0; i < n; i++)
        eff[i] = s->dev[i].segment >= 0 ? fmin(cap[i], level[s->dev[i].segment]) : cap[i];
    memcpy(scratch, eff, n * sizeof *eff);
    double w = water_level(scratch, n, task_rate(s, s->coord_bw)), sum = 0;
    for (size_t i = 0; i < n; i++) {
        double x = fmin(eff[i], w);
        sum += x;
        if (share)
            share[i] = x;
        if (limit)
            limit[i] = x >= cap[i] ? (own ? own[i] : ADI_NETLIMIT_COMPUTE)
                     : eff[i] < cap[i] && eff[i] <= w ? ADI_NETLIMIT_SEGMENT
                     : ADI_NETLIMIT_COORDINATOR;
    }
    *R = sum;
done:
    free(eff);
    free(scratch);
    free(level);
    return rc;
}

int adi_netmodel_throughput(const adi_star *s, uint64_t k, double *R, double *share,
                            adi_netlimit *limit)
{
    int rc = adi_star_check(s);
    if (rc != ADI_OK)
        return rc;
    size_t n = s->n;
    double *cap = malloc(n * sizeof *cap);
    adi_netlimit *own = malloc(n * sizeof *own);
    if (!cap || !own) {
        rc = adi_fail(ADI_ENOMEM, "out of memory for %zu devices", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        cap[i] = 1 / adi_netmodel_cycle(s, i, k, &own[i]);
    rc = pool_rate(s, cap, own, R, share, limit);
done:
    free(cap);
    free(own);
    return rc;
}

int adi_netmodel_throughput_caps(const adi_star *s, const double *cap, double *R)
{
    int rc = adi_star_check(s);
    return rc == ADI_OK ? pool_rate(s, cap, NULL, R, NULL, NULL) : rc;
}

/* ---- the greedy upper bound -------------------------------------------------- */

/* The number of whole j >= 1 with j <= x, with the margin of the essay. */
static double count_upto(double x)
{
    if (!(x >= 0))
        return 0;
    return floor(x + 1e-9 * fmax(1, x));
}

typedef struct worst {
    double D;      /* s: an input's bytes at the worst share */
    double c1;     /* s: 2 L + D + T */
    double U;      /* s: max(T, c1 / (1 + k)) */
    double nmax;   /* tasks it can hold (N_i^max) */
} worst;

/* How many requests surely arrived by t (the essay's rho count): 1 + k at
** L_i, then one at c1_i + (j - 1) U_i + L_i for j = 1, 2, ... Counted low
** (rounding may not add a request), as a double: it may pass 2^64. */
static double requests_by(const adi_star *s, const worst *w, uint64_t k, double t)
{
    double sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        double L = s->dev[i].latency;
        if (t < L)
            continue;
        sum += (double)k + 1;
        double later = (t - w[i].c1 - L) / w[i].U;
        if (later >= 0)
            sum += floor(later * (1 - 1e-12)) + 1;
    }
    return sum;
}

/* s_max: the m-th smallest rho, the least t by which m requests surely
** arrived (bisection over t; each step O(n)). */
static double last_dispatch(const adi_star *s, const worst *w, uint64_t m, uint64_t k)
{
    double md = (double)m, lo = 0, hi = INFINITY;
    for (size_t i = 0; i < s->n; i++) /* device i alone has m requests by then */
        hi = fmin(hi, s->dev[i].latency + w[i].c1 + (md - 1) * w[i].U);
    if (requests_by(s, w, k, lo) >= md)
        return lo;
    while (hi - lo > 1e-15 * hi) { /* requests_by(lo) < m <= requests_by(hi) */
        double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi)
            break;
        if (requests_by(s, w, k, mid) >= md)
            hi = mid;
        else
            lo = mid;
    }
    return hi * (1 + 1e-12); /* the count's rounding could only have moved it this much */
}

/* N_i^max: device i's requests that can have arrived by s. */
static double tasks_held(const adi_star *s, size_t i, uint64_t m, uint64_t k, double at)
{
    const adi_netdev *d = &s->dev[i];
    double t = at * (1 + 1e-9) - d->latency; /* requests arrive L_i after they leave */
    if (t < 0)
        return 0;
    double c0 = round_trip(s, i), b = path_bw(s, i);
    double window = ((double)k + 1) * count_upto(t / c0);
    double compute = count_upto((t - c0) / d->time + 1);
    double link = s->s_in > 0 && b < INFINITY
                      ? count_upto((t - 2 * d->latency - d->time) * b / s->s_in)
                      : INFINITY;
    return fmin((double)m, (double)k + 1 + fmin(window, fmin(compute, link)));
}

/* max over whole p in [0, top] of min(a0 + p sa, b0 + p sb), sa <= sb. */
static double max_of_min(double a0, double sa, double b0, double sb, double top)
{
    double best = fmax(fmin(a0, b0), fmin(a0 + top * sa, b0 + top * sb));
    if (sa < sb) {
        double p = (b0 - a0) / (sa - sb); /* the lines cross */
        for (int r = 0; r < 2; r++) {
            double q = r ? ceil(p) : floor(p);
            if (q > 0 && q < top)
                best = fmax(best, fmin(a0 + q * sa, b0 + q * sb));
        }
    }
    return best;
}

/* D_i, c1_i and U_i of every device (the essay's worst shares). */
static int fill_worst(const adi_star *s, uint64_t m, uint64_t k, worst *w)
{
    size_t n = s->n, *segn = calloc(s->nseg ? s->nseg : 1, sizeof *segn);
    if (!segn)
        return adi_fail(ADI_ENOMEM, "out of memory for %zu segments", s->nseg);
    for (size_t i = 0; i < n; i++)
        if (s->dev[i].segment >= 0)
            segn[s->dev[i].segment]++;
    double kk = (double)k + 1, md = (double)m;
    for (size_t i = 0; i < n; i++) {
        const adi_netdev *d = &s->dev[i];
        double beta = fmin(d->bw / fmin(kk, md), s->coord_bw / fmin(md, kk * (double)n));
        if (d->segment >= 0)
            beta = fmin(beta, s->seg_bw[d->segment] / fmin(md, kk * (double)segn[d->segment]));
        w[i].D = s->s_in / beta;
        w[i].c1 = 2 * d->latency + w[i].D + d->time;
        w[i].U = fmax(d->time, w[i].c1 / kk);
    }
    free(segn);
    return ADI_OK;
}

int adi_netmodel_greedy_upper(const adi_star *s, uint64_t m, uint64_t k, double *upper,
                              double *last)
{
    int rc = check_run(s, m);
    if (rc != ADI_OK)
        return rc;
    size_t n = s->n;
    double kk = (double)k + 1, md = (double)m, smax;
    worst *w = malloc(n * sizeof *w);
    double *segsum = calloc(s->nseg ? s->nseg : 1, sizeof *segsum);
    if (!w || !segsum) {
        rc = adi_fail(ADI_ENOMEM, "out of memory for %zu devices", n);
        goto done;
    }
    if ((rc = fill_worst(s, m, k, w)) != ADI_OK)
        goto done;
    smax = last_dispatch(s, w, m, k);
    for (size_t i = 0; i < n; i++) {
        w[i].nmax = tasks_held(s, i, m, k, smax);
        if (s->dev[i].segment >= 0)
            segsum[s->dev[i].segment] += w[i].nmax;
    }
    double G = 0;
    for (size_t i = 0; i < n; i++) {
        const adi_netdev *d = &s->dev[i];
        double N = w[i].nmax;
        if (N < 1)
            continue;
        double sigma = s->s_out / d->bw;
        double cb = smax + d->latency + w[i].D + kk * d->time; /* (b) */
        double f = max_of_min(w[i].c1 + (N - 1) * w[i].U + sigma, sigma - w[i].U, cb + sigma,
                              sigma - d->time, N - 1);
        double shared = s->s_out * md / s->coord_bw;
        if (d->segment >= 0)
            shared += s->s_out * fmin(md, segsum[d->segment]) / s->seg_bw[d->segment];
        G = fmax(G, d->latency + f + shared);
    }
    *upper = G;
    if (last)
        *last = smax;
done:
    free(w);
    free(segsum);
    return rc;
}

/* ---- everything, and the loads --------------------------------------------- */

void adi_netmodel_free(adi_netmodel *nm)
{
    if (!nm)
        return;
    free(nm->dev);
    nm->dev = NULL;
}

int adi_netmodel_compute(const adi_star *s, uint64_t m, uint64_t k, adi_netmodel *out)
{
    memset(out, 0, sizeof *out);
    int rc = check_run(s, m);
    if (rc != ADI_OK)
        return rc;
    size_t n = s->n;
    adi_netmodel_device *dev = calloc(n, sizeof *dev);
    double *share = malloc(n * sizeof *share);
    adi_netlimit *limit = malloc(n * sizeof *limit);
    worst *w = malloc(n * sizeof *w);
    if (!dev || !share || !limit || !w) {
        rc = adi_fail(ADI_ENOMEM, "out of memory for %zu devices", n);
        goto fail;
    }
    out->n = n;
    out->m = m;
    out->k = k;
    double trip = INFINITY;
    for (size_t i = 0; i < n; i++) {
        adi_netmodel_device *d = &dev[i];
        adi_netlimit l;
        d->round_trip = round_trip(s, i);
        d->trip = adi_netmodel_trip(s, i);
        d->cycle = adi_netmodel_cycle(s, i, k, NULL);
        d->cycle0 = adi_netmodel_cycle(s, i, 0, NULL);
        d->hidden = hidden_cycle(s, i, &l);
        d->k_hide = adi_netmodel_hiding_prefetch(s, i);
        if (d->k_hide > out->k_hide)
            out->k_hide = d->k_hide;
        trip = fmin(trip, d->trip);
    }
    if ((rc = adi_netmodel_throughput(s, 0, &out->R0, NULL, NULL)) != ADI_OK ||
        (rc = adi_netmodel_throughput(s, out->k_hide, &out->R_hidden, NULL, NULL)) != ADI_OK ||
        (rc = adi_netmodel_throughput(s, k, &out->R, share, limit)) != ADI_OK ||
        (rc = adi_netmodel_greedy_upper(s, m, k, &out->greedy_upper, &out->last_dispatch)) !=
            ADI_OK ||
        (rc = fill_worst(s, m, k, w)) != ADI_OK)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        dev[i].share = share[i];
        dev[i].limit = limit[i];
        dev[i].worst_cycle = w[i].U;
    }
    out->coordinator = task_rate(s, s->coord_bw);
    out->lower = fmax((double)m / out->R, trip);
    out->dev = dev;
    free(share);
    free(limit);
    free(w);
    return ADI_OK;
fail:
    free(dev);
    free(share);
    free(limit);
    free(w);
    memset(out, 0, sizeof *out);
    return rc;
}

int adi_netmodel_loads(const adi_star *s, const double *rate, adi_netload *dev, adi_netload *seg,
                       adi_netload *coord)
{
    int rc = adi_star_check(s);
    if (rc != ADI_OK)
        return rc;
    for (size_t i = 0; i < s->n; i++)
        if (!(rate[i] >= 0 && isfinite(rate[i])))
            return adi_fail(ADI_EINPUT, "device %zu: rate must be finite and >= 0 tasks/s, got %g",
                            i, rate[i]);
    if (seg)
        for (size_t g = 0; g < s->nseg; g++)
            seg[g] = (adi_netload){0, 0, 0};
    if (coord)
        *coord = (adi_netload){0, 0, 0};
    for (size_t i = 0; i < s->n; i++) {
        const adi_netdev *d = &s->dev[i];
        double down = rate[i] * s->s_in, up = rate[i] * s->s_out;
        if (dev)
            dev[i] = (adi_netload){rate[i] * d->time, down / d->bw, up / d->bw};
        if (seg && d->segment >= 0) {
            seg[d->segment].down += down / s->seg_bw[d->segment];
            seg[d->segment].up += up / s->seg_bw[d->segment];
        }
        if (coord) {
            coord->down += down / s->coord_bw;
            coord->up += up / s->coord_bw;
        }
    }
    return ADI_OK;
}
