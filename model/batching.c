/*
** model/batching.c — the batching bounds and the fill wait (batching.h).
*/
#include "model/batching.h"
#include "core/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

/* b' / T(b') at one candidate; ADI_EINPUT beyond the measured sizes. */
static int rate_at(const adi_batch_law *law, uint64_t b, double *rate)
{
    double t;
    int rc = adi_batch_time(law, b, &t);
    if (rc == ADI_OK)
        *rate = (double)b / t;
    return rc;
}

int adi_batching_throughput_scaled(const double *times, const double *const *scale, size_t n,
                                   uint64_t b, double *R)
{
    if (n == 0 || b == 0)
        return adi_fail(ADI_EINPUT, "batching needs devices and a batch of at least 1 task");
    const double *row = NULL;
    double best = 0, sum = 0; /* best: max_k k / scale[k] of the row last scanned */
    for (size_t i = 0; i < n; i++) {
        if (scale[i] != row) {
            row = scale[i];
            best = 0;
            for (uint64_t k = 1; k <= b; k++)
                best = fmax(best, (double)k / row[k]);
        }
        sum += best / times[i];
    }
    *R = sum;
    return ADI_OK;
}

int adi_batching_throughput(const adi_batch_law *const *laws, size_t n, uint64_t b, double *R,
                            uint64_t *best)
{
    if (n == 0 || b == 0)
        return adi_fail(ADI_EINPUT, "batching needs devices and a batch of at least 1 task");
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        const adi_batch_law *law = laws[i];
        double top, r;
        uint64_t at = 1;
        int rc = rate_at(law, b, &r); /* b first: it says when b is not measured */
        if (rc == ADI_OK)
            rc = rate_at(law, 1, &top);
        if (rc != ADI_OK)
            return adi_fail_prefix(rc, "device %zu", i);
        if (r > top) {
            top = r;
            at = b;
        }
        /* the integers next to each measured size, within 1 .. b */
        for (size_t j = 0; j < law->n; j++) {
            uint64_t lo = law->size[j] / law->size[0];
            for (uint64_t c = lo; c <= lo + 1; c++) {
                if (c < 1 || c > b || c == at)
                    continue;
                if ((rc = rate_at(law, c, &r)) != ADI_OK)
                    return adi_fail_prefix(rc, "device %zu", i);
                if (r > top || (r == top && c < at)) {
                    top = r;
                    at = c;
                }
            }
        }
        sum += top;
        if (best)
            best[i] = at;
    }
    *R = sum;
    return ADI_OK;
}

/* P(Pois(mu) >= j), j >= 1; mu may be infinite. */
static double at_least(double mu, uint64_t j)
{
    if (isinf(mu))
        return 1;
    if (mu == 0)
        return 0;
    return gsl_cdf_poisson_Q((unsigned)(j - 1), mu);
}

int adi_batching_fill(double lambda, uint64_t b, double max_delay, adi_batch_fill *out)
{
    if (!(lambda > 0) || !isfinite(lambda) || b == 0 || b > ADI_BATCH_MAX_IMAGES ||
        !(max_delay >= 0))
        return adi_fail(ADI_EINPUT, "the fill of a batch needs a rate > 0, 1 to %d tasks and "
                        "max_delay >= 0 (got %g/s, %llu, %g s)", ADI_BATCH_MAX_IMAGES, lambda,
                        (unsigned long long)b, max_delay);
    adi_gsl_quiet();
    double mu = lambda * max_delay, total = 0, size = 1;
    for (uint64_t j = 1; j < b; j++) {
        double p = at_least(mu, j);
        total += (double)j * p; /* (1 + j') P(>= j' + 1), j' = j - 1 */
        size += p;
    }
    out->wait = total / lambda / size;
    out->size = size;
    out->full = b == 1 ? 1 : at_least(mu, b - 1);
    return ADI_OK;
}

int adi_batching_light_latency(const adi_batch_law *law, double lambda, uint64_t b,
                               double max_delay, double *latency)
{
    adi_batch_fill f;
    int rc = adi_batching_fill(lambda, b, max_delay, &f);
    if (rc != ADI_OK)
        return rc;
    double mu = lambda * max_delay, sum = 0;
    for (uint64_t k = 1; k <= b; k++) {
        double p = k < b ? (isinf(mu) ? 0 : gsl_ran_poisson_pdf((unsigned)(k - 1), mu))
                         : f.full, t;
        if ((rc = adi_batch_time(law, k, &t)) != ADI_OK)
            return rc;
        sum += (double)k * p * t;
    }
    *latency = f.wait + sum / f.size;
    return ADI_OK;
}
