/*
** sim/pool.c — per-device means with an exact spread (see pool.h).
*/
#include "sim/pool.h"
#include "core/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>

/* How close to the requested h the spread must come. */
#define CV_TOLERANCE 1e-12

double adi_pool_max_heterogeneity(size_t n)
{
    return n ? sqrt((double)(n - 1)) : 0;
}

double adi_pool_cv(const double *x, size_t n)
{
    double mean = 0, sq = 0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (x[i] - mean) * (x[i] - mean);
    return sqrt(sq / (double)n) / mean;
}

struct shape {
    const double *z; /* ascending standard normal quantiles */
    double *w;       /* scratch: exp(sigma (z_i - z_max)) */
    size_t n;
    double target;
};

/* Fills w for sigma; weights are <= 1 so nothing overflows. */
static void weights(const struct shape *s, double sigma)
{
    double zmax = s->z[s->n - 1];
    for (size_t i = 0; i < s->n; i++)
        s->w[i] = exp(sigma * (s->z[i] - zmax));
}

static double cv_minus_target(double sigma, void *arg)
{
    const struct shape *s = arg;
    weights(s, sigma);
    return adi_pool_cv(s->w, s->n) - s->target;
}

static int solve_sigma(struct shape *s, double *sigma)
{
    double hi = 1;
    while (cv_minus_target(hi, s) < 0) {
        hi *= 2;
        if (hi > 1e6)
            return -1;
    }
    gsl_function f = {cv_minus_target, s};
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!solver)
        return -1;
    int rc = gsl_root_fsolver_set(solver, &f, 0, hi), status = GSL_CONTINUE;
    for (int it = 0; rc == GSL_SUCCESS && status == GSL_CONTINUE && it < 300; it++) {
        rc = gsl_root_fsolver_iterate(solver);
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(solver),
                                        gsl_root_fsolver_x_upper(solver), 0, 1e-15);
    }
    *sigma = gsl_root_fsolver_root(solver);
    gsl_root_fsolver_free(solver);
    return rc == GSL_SUCCESS ? 0 : -1;
}

int adi_pool_spread(size_t n, double mean, double h, double *times)
{
    if (n == 0)
        return adi_fail(ADI_EINPUT, "a pool needs at least one device");
    if (!(mean > 0) || !isfinite(mean))
        return adi_fail(ADI_EINPUT, "mean_time must be > 0, got %g s", mean);
    if (!(h >= 0) || !isfinite(h))
        return adi_fail(ADI_EINPUT, "heterogeneity must be >= 0, got %g", h);
    if (h == 0) {
        for (size_t i = 0; i < n; i++)
            times[i] = mean;
        return ADI_OK;
    }
    double limit = adi_pool_max_heterogeneity(n);
    if (h >= limit)
        return adi_fail(ADI_EINPUT,
                        "heterogeneity %g is impossible with %zu device%s: positive "
                        "times have std/mean < sqrt(n-1) = %g",
                        h, n, n == 1 ? "" : "s", limit);
    adi_gsl_quiet();
    double *z = malloc(2 * n * sizeof *z);
    if (!z)
        return adi_fail(ADI_ENOMEM, "out of memory");
    struct shape s = {z, z + n, n, h};
    for (size_t i = 0; i < n; i++)
        z[i] = gsl_cdf_ugaussian_Pinv(((double)i + 0.5) / (double)n);
    double sigma;
    int ok = solve_sigma(&s, &sigma) == 0;
    if (ok) {
        weights(&s, sigma);
        double wmean = 0;
        for (size_t i = 0; i < n; i++)
            wmean += s.w[i];
        wmean /= (double)n;
        for (size_t i = 0; i < n; i++) {
            times[i] = mean * (s.w[i] / wmean);
            ok &= times[i] > 0 && isfinite(times[i]);
        }
        ok &= fabs(adi_pool_cv(times, n) - h) <= CV_TOLERANCE * (h > 1 ? h : 1);
    }
    free(z);
    if (!ok)
        return adi_fail(ADI_EINPUT,
                        "heterogeneity %g with %zu devices is too close to the limit "
                        "sqrt(n-1) = %g to give positive times", h, n, limit);
    return ADI_OK;
}
