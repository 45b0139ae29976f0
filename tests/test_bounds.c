/*
** tests/test_bounds.c — the analytic model against values worked out by
** hand, against brute force, and against closed forms for expected maxima.
*/
#include "helpers.h"

#include "core/error.h"
#include "model/bounds.h"

static void two_devices_by_hand(void **state)
{
    (void)state;
    /* T = (1, 10), m = 2: R = 1.1; the optimum puts both tasks on the fast
    ** device (C* = 2); rounds: one round of max T = 10. */
    const double t[] = {1, 10};
    adi_bounds b;
    assert_int_equal(adi_model_bounds(t, 2, 2, &b), ADI_OK);
    assert_close(b.R, 1.1, 1e-15);
    assert_close(b.lower, 2 / 1.1, 1e-15);
    assert_close(b.greedy_upper, 2 / 1.1 + 10, 1e-15);
    assert_close(b.optimal, 2, 1e-15);
    assert_close(b.paper, 10, 1e-15);
    assert_close(b.sync_rounds, 10, 1e-15);
    assert_close(b.serial_fastest, 2, 1e-15);
    assert_close(b.serial_slowest, 20, 1e-15);
    assert_close(b.harmonic_mean, 2 / 1.1, 1e-15);
    assert_close(b.arithmetic_mean, 5.5, 1e-15);
    /* m = 3: a partial last round on device 0 only: 10 + 1 = 11 < paper 20. */
    assert_int_equal(adi_model_bounds(t, 2, 3, &b), ADI_OK);
    assert_close(b.sync_rounds, 11, 1e-15);
    assert_close(b.paper, 20, 1e-15);
    assert_close(b.optimal, 3, 1e-15);
}

/* C* by brute force: try every candidate k T_i in increasing order. */
static double brute_optimal(const double *t, size_t n, uint64_t m)
{
    double best = INFINITY;
    for (size_t i = 0; i < n; i++)
        for (uint64_t k = 1; k <= m; k++) {
            double c = (double)k * t[i];
            uint64_t done = 0;
            for (size_t j = 0; j < n; j++)
                done += (uint64_t)floor(c / t[j] + 1e-12);
            if (done >= m && c < best)
                best = c;
        }
    return best;
}

static void optimal_against_brute_force(void **state)
{
    (void)state;
    const double pool[] = {1.2, 1.5, 1.1, 2.0, 1.8, 1.3, 1.7, 1.4};
    double c;
    assert_int_equal(adi_model_optimal_makespan(pool, 8, 1000, &c), ADI_OK);
    assert_close(c, brute_optimal(pool, 8, 1000), 1e-12);
    assert_close(c, 181.5, 1e-12); /* 165 T_3 = 121 T_1 = ... checked by hand: 181.5 */
    srand(3);
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 1 + (size_t)(rand() % 6);
        double t[6];
        for (size_t i = 0; i < n; i++)
            t[i] = 0.25 * (1 + rand() % 12);
        uint64_t m = 1 + (uint64_t)(rand() % 60);
        assert_int_equal(adi_model_optimal_makespan(t, n, m, &c), ADI_OK);
        assert_close(c, brute_optimal(t, n, m), 1e-12);
    }
}

static void expected_maxima(void **state)
{
    (void)state;
    /* n iid exponentials of mean mu: E[max] = mu H_n. */
    adi_sampler d[8];
    double harmonic = 0;
    for (int i = 0; i < 8; i++) {
        assert_int_equal(adi_sampler_init(&d[i], ADI_DIST_EXPONENTIAL, 0.5, 1), ADI_OK);
        harmonic += 1.0 / (i + 1);
    }
    double e;
    assert_int_equal(adi_model_expected_max(d, 8, &e), ADI_OK);
    assert_close(e, 0.5 * harmonic, 1e-9);
    /* Two exponentials with rates a, b: 1/a + 1/b - 1/(a + b). */
    adi_sampler two[2];
    adi_sampler_init(&two[0], ADI_DIST_EXPONENTIAL, 1.0, 1);  /* rate 1 */
    adi_sampler_init(&two[1], ADI_DIST_EXPONENTIAL, 0.25, 1); /* rate 4 */
    assert_int_equal(adi_model_expected_max(two, 2, &e), ADI_OK);
    assert_close(e, 1 + 0.25 - 1 / 5.0, 1e-9);
    /* One lognormal: its mean. */
    adi_sampler ln;
    adi_sampler_init(&ln, ADI_DIST_LOGNORMAL, 0.05, 0.1);
    assert_int_equal(adi_model_expected_max(&ln, 1, &e), ADI_OK);
    assert_close(e, 0.05, 1e-9);
    /* Sync rounds: 10 tasks on 8 exponential devices: one full round plus a
    ** partial round on devices 0 and 1: H_8 mu + H_2 mu. */
    assert_int_equal(adi_model_sync_expected(d, 8, 10, &e), ADI_OK);
    assert_close(e, 0.5 * harmonic + 0.5 * 1.5, 1e-9);
    /* Empirical step functions: max of two fair coins on {1, 3} = 1/4*1 + 3/4*3. */
    static const double coin[] = {1, 3};
    adi_sampler c[2];
    adi_sampler_init_empirical(&c[0], coin, 2);
    adi_sampler_init_empirical(&c[1], coin, 2);
    assert_int_equal(adi_model_expected_max(c, 2, &e), ADI_OK);
    assert_close(e, 2.5, 1e-15);
}

static void bad_pools(void **state)
{
    (void)state;
    const double bad[] = {1, 0};
    adi_bounds b;
    assert_int_equal(adi_model_bounds(bad, 2, 10, &b), ADI_EINPUT);
    assert_int_equal(adi_model_bounds(bad, 1, 0, &b), ADI_EINPUT);
    assert_int_equal(adi_model_bounds(bad, 0, 10, &b), ADI_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_devices_by_hand),
        cmocka_unit_test(optimal_against_brute_force),
        cmocka_unit_test(expected_maxima),
        cmocka_unit_test(bad_pools),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
