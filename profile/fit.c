/*
** profile/fit.c — statistics and maximum-likelihood fits of measured task
** times (see fit.h). GSL does the special functions, the CDFs, the
** quantiles and the root finding; this file only arranges them stably.
*/
#include "profile/fit.h"
#include "core/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int sorted_copy(const double *x, size_t n, double **out)
{
    double *s = malloc(n * sizeof *s);
    if (!s)
        return adi_fail(ADI_ENOMEM, "out of memory for %zu samples", n);
    memcpy(s, x, n * sizeof *s);
    gsl_sort(s, 1, n);
    *out = s;
    return ADI_OK;
}

int adi_time_stats_compute(const double *x, size_t n, adi_time_stats *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return adi_fail(ADI_EINPUT, "no samples");
    double *s;
    int rc = sorted_copy(x, n, &s);
    if (rc != ADI_OK)
        return rc;
    out->n = n;
    out->mean = gsl_stats_mean(s, 1, n);
    out->std = n > 1 ? gsl_stats_sd_m(s, 1, n, out->mean) : 0;
    out->min = s[0];
    out->max = s[n - 1];
    out->p50 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.50);
    out->p95 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.95);
    out->p99 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.99);
    free(s);
    return ADI_OK;
}

/* ln k - digamma(k), decreasing from +inf to 0. For large k the difference
** of two nearly equal numbers loses digits; the asymptotic series does not
** (its next term, 1/(240 k^8), is below 1e-16 relative for k >= 100). */
static double gamma_lhs(double k, void *params)
{
    (void)params;
    if (k >= 100) {
        double r = 1 / (k * k);
        return 1 / (2 * k) + r * (1.0 / 12 - r * (1.0 / 120 - r / 252));
    }
    return log(k) - gsl_sf_psi(k);
}

static double gamma_equation(double k, void *params)
{
    return gamma_lhs(k, NULL) - *(const double *)params;
}

/* The gamma shape k with ln k - digamma(k) = s (s > 0). */
static int gamma_shape(double s, double *k)
{
    double k0 = (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s); /* Minka */
    double lo = k0, hi = k0;
    gsl_function f = {gamma_equation, &s};
    for (int i = 0; GSL_FN_EVAL(&f, lo) < 0; i++, lo /= 2)
        if (i > 2000)
            return adi_fail(ADI_EINTERNAL, "gamma fit: no bracket below %g", k0);
    for (int i = 0; GSL_FN_EVAL(&f, hi) > 0; i++, hi *= 2)
        if (i > 2000)
            return adi_fail(ADI_EINTERNAL, "gamma fit: no bracket above %g", k0);
    if (lo == hi) {
        *k = lo;
        return ADI_OK;
    }
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!solver)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = gsl_root_fsolver_set(solver, &f, lo, hi);
    for (int i = 0; rc == GSL_SUCCESS && i < 200; i++) {
        rc = gsl_root_fsolver_iterate(solver);
        if (rc != GSL_SUCCESS)
            break;
        rc = gsl_root_test_interval(gsl_root_fsolver_x_lower(solver),
                                    gsl_root_fsolver_x_upper(solver), 0, 1e-13);
        if (rc == GSL_SUCCESS)
            break;
        if (rc == GSL_CONTINUE)
            rc = GSL_SUCCESS;
    }
    *k = gsl_root_fsolver_root(solver);
    gsl_root_fsolver_free(solver);
    if (rc != GSL_SUCCESS || !(*k > 0) || !isfinite(*k))
        return adi_fail(ADI_EINTERNAL, "gamma fit: the root finder failed: %s",
                        gsl_strerror(rc));
    return ADI_OK;
}

/* ln pdf of gamma(k, theta) at x, arranged so that large shapes do not lose
** every digit: with u = x / (k theta) - 1 and Stirling's series for
** ln Gamma(k) (GSL's gammastar is its correction factor),
**   ln f = -ln theta + k (log1p(u) - u) - log1p(u) - ln(2 pi k) / 2 - ln gammastar(k). */
static double gamma_logpdf(double x, double k, double theta)
{
    double u = x / (k * theta) - 1, l = log1p(u);
    return -log(theta) + k * (l - u) - l - 0.5 * log(2 * M_PI * k) - log(gsl_sf_gammastar(k));
}

static double lognormal_logpdf(double x, double zeta, double sigma)
{
    double z = (log(x) - zeta) / sigma;
    return -log(x) - log(sigma) - 0.5 * log(2 * M_PI) - 0.5 * z * z;
}

void adi_fit_score(adi_dist d, double p1, double p2, const double *sorted, size_t n,
                   adi_fit_family *out)
{
    adi_gsl_quiet();
    double ll = 0, ks = 0;
    for (size_t i = 0; i < n; i++) {
        double x = sorted[i], F;
        if (d == ADI_DIST_LOGNORMAL) {
            ll += lognormal_logpdf(x, p1, p2);
            F = gsl_cdf_lognormal_P(x, p1, p2);
        } else {
            ll += gamma_logpdf(x, p1, p2);
            F = adi_gamma_P(x, p1, p2);
        }
        double below = F - (double)i / (double)n, above = (double)(i + 1) / (double)n - F;
        ks = fmax(ks, fmax(below, above));
    }
    *out = (adi_fit_family){.p1 = p1, .p2 = p2, .loglik = ll, .ks = ks};
}

int adi_fit_times(const double *x, size_t n, adi_fit *out)
{
    adi_gsl_quiet();
    memset(out, 0, sizeof *out);
    if (n < 2)
        return adi_fail(ADI_EINPUT, "fitting a distribution needs at least 2 samples, got %zu",
                        n);
    for (size_t i = 0; i < n; i++)
        if (!(x[i] > 0) || !isfinite(x[i]))
            return adi_fail(ADI_EINPUT, "sample %zu is not a positive time: %g", i, x[i]);
    double *s;
    int rc = sorted_copy(x, n, &s);
    if (rc != ADI_OK)
        return rc;
    if (s[0] == s[n - 1]) {
        double v = s[0];
        free(s);
        return adi_fail(ADI_EINPUT, "all %zu samples are equal (%g s): there is no spread to "
                        "fit a distribution to", n, v);
    }
    /* lognormal: moments of ln x */
    double zeta = 0, var = 0;
    for (size_t i = 0; i < n; i++)
        zeta += log(s[i]);
    zeta /= (double)n;
    for (size_t i = 0; i < n; i++)
        var += (log(s[i]) - zeta) * (log(s[i]) - zeta);
    double sigma = sqrt(var / (double)n);

    /* gamma: s = ln mean - mean ln x = -mean ln(x / mean), summed in the
    ** form that keeps its digits when the spread is small */
    double mean = gsl_stats_mean(s, 1, n), gap = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        gap -= log1p((s[i] - mean) / mean);
    gap /= (double)n;
    if (!(gap > 0)) {
        free(s);
        return adi_fail(ADI_EINPUT, "the samples' spread (cv %g) is below what double "
                        "precision can fit", gsl_stats_sd(x, 1, n) / mean);
    }
    rc = gamma_shape(gap, &k);
    if (rc == ADI_OK) {
        adi_fit_score(ADI_DIST_LOGNORMAL, zeta, sigma, s, n, &out->lognormal);
        adi_fit_score(ADI_DIST_GAMMA, k, mean / k, s, n, &out->gamma);
        out->best = out->gamma.loglik > out->lognormal.loglik ? ADI_DIST_GAMMA
                                                              : ADI_DIST_LOGNORMAL;
    }
    free(s);
    return rc;
}

void adi_fit_moments(adi_dist d, double p1, double p2, double *mean, double *cv)
{
    if (d == ADI_DIST_LOGNORMAL) {
        *mean = exp(p1 + p2 * p2 / 2);
        *cv = sqrt(expm1(p2 * p2));
    } else {
        *mean = p1 * p2;
        *cv = 1 / sqrt(p1);
    }
}
