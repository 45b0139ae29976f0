/*
** tests/test_stats.c — core/stats: compensated sums, the Student-t interval
** against a table value, and the known-moment interval with its
** Cornish-Fisher term against exact quantiles of a skewed statistic.
*/
#include "helpers.h"

#include "core/stats.h"

#include <gsl/gsl_cdf.h>

static void compensated_sums(void **state)
{
    (void)state;
    /* Neumaier's example: 1 + 1e100 + 1 - 1e100 is 2; plain addition gives 0. */
    adi_sum k = {0, 0};
    const double x[] = {1, 1e100, 1, -1e100};
    for (int i = 0; i < 4; i++)
        adi_sum_add(&k, x[i]);
    assert_true(adi_sum_value(&k) == 2);
    /* 10^6 tenths: within a few ulps of 10^5 (a plain sum is off by ~1e-6). */
    adi_blocksum b = {0};
    for (int i = 0; i < 1000000; i++)
        adi_blocksum_add(&b, 0.1);
    assert_close(adi_blocksum_value(&b), 1e5, 1e-14);
}

/* x = 1, 2, 3, 4: mean 2.5, sd sqrt(5/3); t(0.975, 3 df) = 3.182446 (any
** table), so the 95 % half-width is 3.182446 x 1.290994 / 2 = 2.054261. */
static void student_t_table_value(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4};
    adi_ci ci = adi_ci_t(x, 4, 0.95);
    assert_true(ci.mean == 2.5);
    assert_close(ci.half, 2.054261, 1e-6);
    assert_true(ci.lo == ci.mean - ci.half && ci.hi == ci.mean + ci.half);
    ci = adi_ci_t(x, 1, 0.95);
    assert_true(isinf(ci.lo) && isinf(ci.hi) && isnan(ci.half));
}

/* The mean of k exponential times of mean 1 is Gamma(k, 1/k): sd 1 and
** skewness 2 per time, skewness 2/sqrt(k) for the mean, and its quantiles
** are exact (GSL). mu = 1 is on the edge of the interval exactly when the
** sample mean sits at a quantile of the statistic: at the upper 1 - a/2
** quantile the interval's lower end must be 1, at the lower a/2 quantile
** its upper end. With k = 400 (skewness 0.1 of the mean, the largest the
** checks accept) and level 0.99 the normal quantiles miss by 0.0047 either
** side; the Cornish-Fisher term brings that to 4e-6 (asserted: below
** 0.0005); with its sign flipped the miss doubles to 0.0094. */
static void cornish_fisher_against_exact_quantiles(void **state)
{
    (void)state;
    enum { K = 400 };
    static double x[K];
    double level = 0.99, a = 1 - level;
    double q[2] = {gsl_cdf_gamma_Pinv(1 - a / 2, K, 1.0 / K), gsl_cdf_gamma_Pinv(a / 2, K, 1.0 / K)};
    for (int side = 0; side < 2; side++) {
        for (int i = 0; i < K; i++)
            x[i] = q[side];
        adi_ci known = adi_ci_known(x, K, 1, 2, level);
        adi_ci normal = adi_ci_known(x, K, 1, 0, level);
        double edge = side == 0 ? known.lo : known.hi, plain = side == 0 ? normal.lo : normal.hi;
        if (!(fabs(edge - 1) < 0.0005 && fabs(plain - 1) > 0.004))
            fail_msg("side %d: quantile %.6f, Cornish-Fisher edge %.6f, normal edge %.6f", side,
                     q[side], edge, plain);
    }
    /* Right skew: the sample mean overshoots rarely but far, so the
    ** interval reaches further below the mean than above it. */
    const double y[] = {1, 2, 3};
    adi_ci ci = adi_ci_known(y, 3, 1, 0.5, 0.95);
    assert_true(ci.mean - ci.lo > ci.hi - ci.mean);
    assert_close(ci.half, 1.959964 / sqrt(3), 1e-6); /* the width is the normal one */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compensated_sums),
        cmocka_unit_test(student_t_table_value),
        cmocka_unit_test(cornish_fisher_against_exact_quantiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
