/*
** tests/test_pool.c — synthetic pools have exactly the requested spread:
** every T_i > 0, mean T, population std/mean = h to 1e-9, for every pool
** size and heterogeneity below the mathematical limit sqrt(n-1), including
** the swept h = 1.0 with n = 4, 8, 16; and an honest error above it.
*/
#include "helpers.h"

#include "core/error.h"
#include "sim/pool.h"

static void spread_is_exact(void **state)
{
    (void)state;
    static const size_t sizes[] = {2, 3, 4, 5, 8, 16, 17, 64, 100, 1000, 4096};
    static const double hs[] = {0, 1e-6, 0.1, 0.25, 0.5, 0.9, 1.0, 1.5, 2.5, 5, 20};
    double *t = malloc(4096 * sizeof *t);
    for (size_t a = 0; a < sizeof sizes / sizeof sizes[0]; a++)
        for (size_t b = 0; b < sizeof hs / sizeof hs[0]; b++) {
            size_t n = sizes[a];
            double h = hs[b];
            if (h >= adi_pool_max_heterogeneity(n) * 0.999)
                continue;
            assert_int_equal(adi_pool_spread(n, 0.05, h, t), ADI_OK);
            double sum = 0;
            for (size_t i = 0; i < n; i++) {
                assert_true(t[i] > 0);
                if (i)
                    assert_true(t[i] >= t[i - 1]); /* device 0 is the fastest */
                sum += t[i];
            }
            assert_close(sum / (double)n, 0.05, 1e-12);
            assert_true(fabs(adi_pool_cv(t, n) - h) <= 1e-9);
        }
    free(t);
}

static void ablation_values(void **state)
{
    (void)state;
    double t[16];
    for (size_t n = 4; n <= 16; n *= 2) {
        assert_int_equal(adi_pool_spread(n, 0.05, 1.0, t), ADI_OK);
        assert_true(fabs(adi_pool_cv(t, n) - 1.0) <= 1e-9);
    }
    /* Two devices: T (1 - h), T (1 + h). */
    assert_int_equal(adi_pool_spread(2, 2.0, 0.5, t), ADI_OK);
    assert_close(t[0], 1.0, 1e-12);
    assert_close(t[1], 3.0, 1e-12);
}

static void impossible_spread(void **state)
{
    (void)state;
    double t[4];
    /* Two positive numbers always have std/mean < 1. */
    assert_int_equal(adi_pool_spread(2, 0.05, 1.0, t), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "impossible with 2 devices"));
    assert_non_null(strstr(adi_errmsg(), "sqrt(n-1) = 1"));
    assert_int_equal(adi_pool_spread(1, 0.05, 0.1, t), ADI_EINPUT);
    assert_int_equal(adi_pool_spread(4, 0.05, sqrt(3.0), t), ADI_EINPUT);
    assert_int_equal(adi_pool_spread(1, 0.05, 0, t), ADI_OK);
    assert_int_equal(adi_pool_spread(4, -1, 0.5, t), ADI_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spread_is_exact),
        cmocka_unit_test(ablation_values),
        cmocka_unit_test(impossible_spread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
