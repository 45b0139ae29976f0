/*
** tests/test_fit.c — the statistics of measured times on a hand-computed
** set, and the maximum-likelihood fits recovering known parameters from
** samples drawn with GSL (within 4 standard errors of the MLE; the
** asymptotic standard errors are sigma/sqrt(n) for zeta, sigma/sqrt(2n) for
** sigma, and about k sqrt(2/n) for a gamma shape k >> 1), choosing the
** family the samples came from, and scoring a fit the way the formulas say.
*/
#include "helpers.h"

#include "profile/fit.h"
#include "core/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

static double *draw(adi_dist d, double p1, double p2, size_t n, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = d == ADI_DIST_LOGNORMAL ? gsl_ran_lognormal(r, p1, p2) : gsl_ran_gamma(r, p1, p2);
    gsl_rng_free(r);
    return x;
}

static void stats_by_hand(void **state)
{
    (void)state;
    const double x[5] = {5, 1, 4, 2, 3};
    adi_time_stats s;
    assert_int_equal(adi_time_stats_compute(x, 5, &s), ADI_OK);
    assert_int_equal(s.n, 5);
    assert_close(s.mean, 3, 1e-15);
    assert_close(s.std, sqrt(2.5), 1e-15); /* sum of squares 10, n - 1 = 4 */
    assert_true(s.min == 1 && s.max == 5 && s.p50 == 3);
    assert_close(s.p95, 4.8, 1e-14); /* (n - 1) 0.95 = 3.8: 4 + 0.8 (5 - 4) */
    assert_close(s.p99, 4.96, 1e-14);
    const double one = 0.25;
    assert_int_equal(adi_time_stats_compute(&one, 1, &s), ADI_OK);
    assert_true(s.std == 0 && s.p99 == 0.25);
    assert_int_equal(adi_time_stats_compute(x, 0, &s), ADI_EINPUT);
}

static void recovers_lognormal(void **state)
{
    (void)state;
    size_t n = 20000;
    double zeta = log(0.05), sigma = 0.3;
    double *x = draw(ADI_DIST_LOGNORMAL, zeta, sigma, n, 7);
    adi_fit f;
    assert_int_equal(adi_fit_times(x, n, &f), ADI_OK);
    assert_true(fabs(f.lognormal.p1 - zeta) < 4 * sigma / sqrt((double)n));
    assert_true(fabs(f.lognormal.p2 - sigma) < 4 * sigma / sqrt(2.0 * n));
    assert_int_equal(f.best, ADI_DIST_LOGNORMAL);
    assert_true(f.lognormal.loglik > f.gamma.loglik);
    assert_true(f.lognormal.ks < f.gamma.ks);
    assert_true(f.lognormal.ks < 1.63 / sqrt((double)n)); /* KS 1 % critical value */
    /* the gamma fit still matches the mean (its MLE preserves it exactly) */
    double mean, cv;
    adi_fit_moments(ADI_DIST_GAMMA, f.gamma.p1, f.gamma.p2, &mean, &cv);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    assert_close(mean, sum / (double)n, 1e-12);
    adi_fit_moments(ADI_DIST_LOGNORMAL, zeta, sigma, &mean, &cv);
    assert_close(mean, 0.05 * exp(0.045), 1e-15);
    assert_close(cv, sqrt(expm1(0.09)), 1e-15);
    free(x);
}

static void recovers_gamma(void **state)
{
    (void)state;
    size_t n = 20000;
    double k = 4, theta = 0.0025;
    double *x = draw(ADI_DIST_GAMMA, k, theta, n, 8);
    adi_fit f;
    assert_int_equal(adi_fit_times(x, n, &f), ADI_OK);
    /* Fisher information for k (theta unknown): n (psi'(k) - 1/k) = n 0.0681 at k = 4 */
    assert_true(fabs(f.gamma.p1 - k) < 4 / sqrt(0.0681 * (double)n));
    assert_close(f.gamma.p1 * f.gamma.p2, k * theta, 0.03);
    assert_int_equal(f.best, ADI_DIST_GAMMA);
    assert_true(f.gamma.ks < 1.63 / sqrt((double)n));
    free(x);

    /* A huge shape (cv 0.001): the asymptotic branch of ln k - digamma(k). */
    k = 1e6;
    x = draw(ADI_DIST_GAMMA, k, 1e-8, n, 9);
    assert_int_equal(adi_fit_times(x, n, &f), ADI_OK);
    assert_true(fabs(f.gamma.p1 / k - 1) < 4 * sqrt(2.0 / (double)n));
    assert_true(isfinite(f.gamma.loglik) && isfinite(f.lognormal.loglik));
    assert_true(f.gamma.ks < 1.63 / sqrt((double)n)); /* GSL's own gamma CDF gives 0.98 */
    /* both families are nearly normal here: their likelihoods agree closely */
    assert_true(fabs(f.gamma.loglik - f.lognormal.loglik) < 1e-3 * fabs(f.gamma.loglik));
    free(x);
}

static void scores_match_the_formulas(void **state)
{
    (void)state;
    /* Samples at the quantiles (i + 1/2)/n of a distribution are at KS
    ** distance exactly 1/(2n) from it. */
    size_t n = 50;
    double x[50];
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_cdf_gamma_Pinv((i + 0.5) / (double)n, 3, 0.5);
    adi_fit_family g;
    adi_fit_score(ADI_DIST_GAMMA, 3, 0.5, x, n, &g);
    assert_close(g.ks, 0.01, 1e-9);
    double ll = 0;
    for (size_t i = 0; i < n; i++)
        ll += log(gsl_ran_gamma_pdf(x[i], 3, 0.5));
    assert_close(g.loglik, ll, 1e-12);
    adi_fit_score(ADI_DIST_LOGNORMAL, -1, 0.4, x, n, &g);
    ll = 0;
    for (size_t i = 0; i < n; i++)
        ll += log(gsl_ran_lognormal_pdf(x[i], -1, 0.4));
    assert_close(g.loglik, ll, 1e-12);
}

static void refuses_what_cannot_be_fitted(void **state)
{
    (void)state;
    adi_fit f;
    const double one[1] = {1}, same[3] = {0.1, 0.1, 0.1}, neg[3] = {0.1, -0.2, 0.3},
                 inf[2] = {0.1, INFINITY};
    assert_int_equal(adi_fit_times(one, 1, &f), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "at least 2 samples"));
    assert_int_equal(adi_fit_times(same, 3, &f), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "all 3 samples are equal"));
    assert_int_equal(adi_fit_times(neg, 3, &f), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "sample 1 is not a positive time"));
    assert_int_equal(adi_fit_times(inf, 2, &f), ADI_EINPUT);
    /* two distinct values are enough */
    const double two[2] = {0.1, 0.2};
    assert_int_equal(adi_fit_times(two, 2, &f), ADI_OK);
    assert_true(f.gamma.p1 > 0 && f.lognormal.p2 > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stats_by_hand),
        cmocka_unit_test(recovers_lognormal),
        cmocka_unit_test(recovers_gamma),
        cmocka_unit_test(scores_match_the_formulas),
        cmocka_unit_test(refuses_what_cannot_be_fitted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
