/*
** tests/test_sampler.c — each family has the mean and cv it was asked for
** and the skewness it claims
** (sample moments within 5 standard errors over 400000 draws), and its CDF
** agrees with the empirical fraction of draws below a point.
*/
#include "helpers.h"

#include "core/error.h"
#include "sim/sampler.h"
#include "sim/ziggurat.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

static void moments(adi_dist d, double mean, double cv)
{
    adi_sampler s;
    assert_int_equal(adi_sampler_init(&s, d, mean, cv), ADI_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 99);
    size_t n = 400000;
    double *x = malloc(n * sizeof *x);
    size_t below = 0;
    for (size_t i = 0; i < n; i++) {
        x[i] = adi_sampler_draw(&s, r);
        below += x[i] <= mean;
    }
    double m = gsl_stats_mean(x, 1, n), sd = gsl_stats_sd_m(x, 1, n, m);
    /* Standard error of the mean is cv mean / sqrt(n). */
    assert_true(fabs(m - mean) <= 5 * cv * mean / sqrt((double)n) + 1e-15 * mean);
    if (cv > 0) /* sd within a few percent: its standard error is O(cv / sqrt(n)) too */
        assert_true(fabs(sd / m - cv) <= 0.02 * cv + 1e-12);
    else
        assert_true(sd == 0);
    /* the skewness the checks rely on (checks.c): within 10 %; its standard
    ** error here is at most a few percent */
    if (cv > 0)
        assert_true(fabs(gsl_stats_skew_m_sd(x, 1, n, m, sd) - s.skew) <= 0.1 * s.skew);
    else
        assert_true(s.skew == 0);
    /* P(X <= mean): empirical vs the CDF, standard error <= 0.5/sqrt(n). */
    assert_true(fabs((double)below / (double)n - adi_sampler_cdf(&s, mean)) <= 5 * 0.5 / sqrt((double)n));
    free(x);
    gsl_rng_free(r);
}

static void deterministic(void **state) { (void)state; moments(ADI_DIST_DETERMINISTIC, 0.05, 0); }
static void exponential(void **state) { (void)state; moments(ADI_DIST_EXPONENTIAL, 0.05, 1); }
static void lognormal(void **state)
{
    (void)state;
    moments(ADI_DIST_LOGNORMAL, 0.05, 0.1);
    moments(ADI_DIST_LOGNORMAL, 2.0, 0.8);
}
static void gamma_family(void **state)
{
    (void)state;
    moments(ADI_DIST_GAMMA, 0.05, 0.1);
    moments(ADI_DIST_GAMMA, 3.0, 1.5);
}

/* Shapes where GSL's incomplete gamma goes wrong (a CDF of -0.37 near
** z = -1 at shape 1e6; a 1e-17 upper quantile below the mean): the
** Wilson-Hilferty branch stays a distribution function. Reference values:
** the normal limit, Phi(z), exact to O(1/sqrt(k)) skewness terms. */
static void gamma_large_shapes(void **state)
{
    (void)state;
    static const double shapes[] = {2e3, 1e4, 3e5, 1e6, 1e8};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        double k = shapes[i], theta = 1e-3 / k, sd = theta * sqrt(k), last = 0;
        for (double z = -6; z <= 6; z += 0.01) {
            double F = adi_gamma_P(k * theta + z * sd, k, theta);
            assert_true(F >= last && F <= 1);
            assert_true(fabs(F - gsl_cdf_ugaussian_P(z)) < 2 / sqrt(k));
            last = F;
        }
        double q = adi_gamma_Qinv(1e-17, k, theta);
        assert_true(q > k * theta + 8 * sd && q < k * theta + 10 * sd);
        assert_true(adi_gamma_P(q, k, theta) > 1 - 1e-12);
    }
}

static void empirical(void **state)
{
    (void)state;
    static const double samples[] = {1, 2, 2, 3, 10};
    adi_sampler s;
    assert_int_equal(adi_sampler_init_empirical(&s, samples, 5), ADI_OK);
    assert_close(s.mean, 3.6, 1e-15);
    /* population moments of the five samples: sd^2 = 10.64, third 47.232 */
    assert_close(s.cv, sqrt(10.64) / 3.6, 1e-14);
    assert_close(s.skew, 47.232 / pow(10.64, 1.5), 1e-14);
    assert_close(adi_sampler_cdf(&s, 2), 0.6, 1e-15);
    assert_close(adi_sampler_cdf(&s, 1.5), 0.2, 1e-15);
    assert_true(adi_sampler_cdf(&s, 0.5) == 0 && adi_sampler_cdf(&s, 10) == 1);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    size_t count[11] = {0};
    for (int i = 0; i < 100000; i++)
        count[(int)adi_sampler_draw(&s, r)]++;
    assert_true(count[2] > 38000 && count[2] < 42000); /* 2/5 of the draws */
    assert_true(count[1] + count[2] + count[3] + count[10] == 100000);
    gsl_rng_free(r);
    static const double unsorted[] = {2, 1};
    assert_int_equal(adi_sampler_init_empirical(&s, unsorted, 2), ADI_EINPUT);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The exponential ziggurat (sim/ziggurat.h) against the exact law: the
** Kolmogorov-Smirnov distance of 10^6 draws is below its 99.9 % critical
** value 1.95/sqrt(n); the tail beyond the ziggurat's edge (7.697, drawn by
** the slow path) holds e^-7.697 of the draws within 5 standard deviations;
** the mean is 1 within 5 standard errors. */
static void exponential_ziggurat(void **state)
{
    (void)state;
    adi_ziggurat_init();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 7);
    size_t n = 1000000, tail = 0;
    double *x = malloc(n * sizeof *x), sum = 0;
    for (size_t i = 0; i < n; i++) {
        x[i] = adi_exponential_zig(r);
        assert_true(x[i] >= 0);
        sum += x[i];
        tail += x[i] > 7.697117470131487;
    }
    assert_true(fabs(sum / (double)n - 1) < 5 / sqrt((double)n));
    double p = exp(-7.697117470131487), expected = p * (double)n;
    assert_true(fabs((double)tail - expected) < 5 * sqrt(expected * (1 - p)));
    qsort(x, n, sizeof *x, cmp_double);
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double cdf = 1 - exp(-x[i]);
        d = fmax(d, fmax(fabs((double)(i + 1) / (double)n - cdf), fabs(cdf - (double)i / (double)n)));
    }
    assert_true(d < 1.95 / sqrt((double)n));
    free(x);
    gsl_rng_free(r);
}

static void rejects_inconsistent_parameters(void **state)
{
    (void)state;
    adi_sampler s;
    assert_int_equal(adi_sampler_init(&s, ADI_DIST_DETERMINISTIC, 1, 0.1), ADI_EINPUT);
    assert_int_equal(adi_sampler_init(&s, ADI_DIST_EXPONENTIAL, 1, 0.5), ADI_EINPUT);
    assert_int_equal(adi_sampler_init(&s, ADI_DIST_LOGNORMAL, 1, 0), ADI_EINPUT);
    assert_int_equal(adi_sampler_init(&s, ADI_DIST_GAMMA, 0, 0.1), ADI_EINPUT);
    assert_int_equal(adi_sampler_init(&s, ADI_DIST_GAMMA, 1, -1), ADI_EINPUT);
    adi_dist d;
    assert_int_equal(adi_dist_parse("weibull", &d), ADI_EINPUT);
    assert_int_equal(adi_dist_parse("gamma", &d), ADI_OK);
    assert_int_equal(d, ADI_DIST_GAMMA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deterministic), cmocka_unit_test(exponential),
        cmocka_unit_test(lognormal), cmocka_unit_test(gamma_family),
        cmocka_unit_test(gamma_large_shapes),
        cmocka_unit_test(empirical), cmocka_unit_test(exponential_ziggurat),
        cmocka_unit_test(rejects_inconsistent_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
