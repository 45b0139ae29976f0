/*
** tests/test_batchlaw.c — model/batchlaw.h: the affine fit against values
** worked out by hand (weighted and plain), a known law recovered from noisy
** synthetic samples within its standard errors, the choice between the two
** laws, T(b) at and between the measured sizes, and the refusals (sizes
** not increasing, 0, too large, too many; a batch beyond the largest size).
*/
#include "helpers.h"

#include "model/batchlaw.h"
#include "profile/fit.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

static adi_batch_law law_of(size_t n, const size_t *size, const double *mean, const double *std,
                            const size_t *count)
{
    adi_batch_law b = {.n = n};
    for (size_t j = 0; j < n; j++) {
        b.size[j] = size[j];
        b.mean[j] = mean[j];
        b.std[j] = std[j];
        b.count[j] = count[j];
    }
    return b;
}

/* Sizes 1, 2, 3 with means 1, 2, 4. Weighted by count / std^2 = 1, 1, 4:
** sum w = 6, sum wx = 15, sum wy = 19, sum wx^2 = 41, sum wxy = 53, so
** slope = (53 - 15 * 19 / 6) / (41 - 15^2 / 6) = 5.5 / 3.5 = 11/7 and
** intercept = 19/6 - 11/7 * 15/6 = -16/21; it misses t_1 = 1 by 4/21
** (T(1) = 17/21) and t_2 by (50/21 - 2) / 2 = 4/21, t_3 by 1/84. Plain
** least squares: slope 3/2, intercept 7/3 - 3 = -2/3. The line through
** the neighbours of size 2 gives 2.5: a leave-one-out miss of 1/4. */
static void by_hand(void **state)
{
    (void)state;
    const size_t size[] = {1, 2, 3}, count[] = {4, 4, 4};
    const double mean[] = {1, 2, 4}, std[] = {2, 2, 1};
    adi_batch_law b = law_of(3, size, mean, std, count);
    assert_int_equal(adi_batch_fit(&b), ADI_OK);
    assert_close(b.slope, 11.0 / 7, 1e-14);
    assert_close(b.intercept, -16.0 / 21, 1e-14);
    assert_close(b.affine_error, 4.0 / 21, 1e-13);
    assert_close(b.interpolated_error, 0.25, 1e-15);
    assert_int_equal(b.law, ADI_BATCH_INTERPOLATED); /* 19 % > 5 % */
    /* interpolated: exact at the sizes, straight lines between */
    double t;
    assert_int_equal(adi_batch_law_time(&b, 2, &t), ADI_OK);
    assert_true(t == 2);
    assert_int_equal(adi_batch_law_time(&b, 2.5, &t), ADI_OK);
    assert_close(t, 3, 1e-15);
    assert_int_equal(adi_batch_law_time(&b, 1, &t), ADI_OK);
    assert_true(t == 1);
    assert_int_equal(adi_batch_law_time(&b, 3, &t), ADI_OK);
    assert_true(t == 4);
    assert_int_equal(adi_batch_time(&b, 3, &t), ADI_OK);
    assert_true(t == 4);
    assert_int_equal(adi_batch_law_time(&b, 3.5, &t), ADI_EINPUT);
    assert_int_equal(adi_batch_law_time(&b, 0.5, &t), ADI_EINPUT);

    /* a size without spread: no weights, plain least squares */
    const double nospread[] = {2, 0, 1};
    b = law_of(3, size, mean, nospread, count);
    assert_int_equal(adi_batch_fit(&b), ADI_OK);
    assert_close(b.slope, 1.5, 1e-14);
    assert_close(b.intercept, -2.0 / 3, 1e-14);
    /* one sample at a size: the same */
    const size_t one[] = {4, 1, 4};
    b = law_of(3, size, mean, std, one);
    assert_int_equal(adi_batch_fit(&b), ADI_OK);
    assert_close(b.slope, 1.5, 1e-14);
}

/* T(s) = 0.5 ms + 20 us s measured at 1, 8, 32, 64 images with lognormal
** noise of cv 5 % (200 samples a size, seeded): the weighted fit finds the
** law within 4 of its standard errors (the spread of a mean is cv T /
** sqrt(200)), misses no mean by more than 1 %, and is chosen. */
static void known_law_from_noisy_samples(void **state)
{
    (void)state;
    const double a = 5e-4, c = 2e-5, cv = 0.05;
    const size_t size[] = {1, 8, 32, 64};
    adi_batch_law b = {.n = 4};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    double sigma = sqrt(log(1 + cv * cv)), x[200];
    for (size_t j = 0; j < 4; j++) {
        double T = a + c * (double)size[j];
        for (int i = 0; i < 200; i++)
            x[i] = T * gsl_ran_lognormal(r, -sigma * sigma / 2, sigma);
        adi_time_stats st;
        assert_int_equal(adi_time_stats_compute(x, 200, &st), ADI_OK);
        b.size[j] = size[j];
        b.mean[j] = st.mean;
        b.std[j] = st.std;
        b.count[j] = 200;
    }
    gsl_rng_free(r);
    assert_int_equal(adi_batch_fit(&b), ADI_OK);
    /* standard errors of intercept and slope for weights (200 / (cv T_j)^2) */
    double sw = 0, swx = 0, swxx = 0;
    for (size_t j = 0; j < 4; j++) {
        double T = a + c * (double)size[j], w = 200 / (cv * T * cv * T), s = (double)size[j];
        sw += w;
        swx += w * s;
        swxx += w * s * s;
    }
    double det = sw * swxx - swx * swx;
    double se_a = sqrt(swxx / det), se_c = sqrt(sw / det);
    assert_true(fabs(b.intercept - a) < 4 * se_a);
    assert_true(fabs(b.slope - c) < 4 * se_c);
    assert_true(b.affine_error < 0.01);
    assert_int_equal(b.law, ADI_BATCH_AFFINE);
    double t;
    assert_int_equal(adi_batch_law_time(&b, 20, &t), ADI_OK);
    assert_true(t == b.intercept + b.slope * 20);
}

/* Two sizes: the line through both, exact; one size: only b = 1 task. */
static void two_sizes_and_one(void **state)
{
    (void)state;
    const size_t size[] = {8, 32}, count[] = {10, 10};
    const double mean[] = {1e-3, 3e-3}, std[] = {1e-5, 3e-5};
    adi_batch_law b = law_of(2, size, mean, std, count);
    assert_int_equal(adi_batch_fit(&b), ADI_OK);
    assert_close(b.slope, 2e-3 / 24, 1e-13);
    assert_close(b.intercept, 1e-3 - 8 * 2e-3 / 24, 1e-12);
    assert_true(b.affine_error < 1e-14);
    assert_true(b.interpolated_error == 0);
    assert_int_equal(b.law, ADI_BATCH_AFFINE);
    /* a task is 8 images: 4 tasks are 32, 5 would be 40 */
    assert_int_equal(adi_batch_max_tasks(&b), 4);
    double t;
    assert_int_equal(adi_batch_time(&b, 2, &t), ADI_OK);
    assert_close(t, 2e-3 * 16 / 24 + 1e-3 - 16e-3 / 24, 1e-12);
    assert_int_equal(adi_batch_time(&b, 5, &t), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "a batch of 5 tasks is 40 images, but the batch sizes "
                        "measured are 8,32 (a task is 8): no extrapolation; measure it with "
                        "`calibrate --batch 8,32,40`");
    assert_int_equal(adi_batch_time(&b, 0, &t), ADI_EINPUT);
    assert_int_equal(adi_batch_time(&b, UINT64_MAX, &t), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "more than the 65536 images a batch can be measured at"));

    adi_batch_one(&b, 64, 0.07, 0.004, 100);
    assert_int_equal(b.n, 1);
    assert_int_equal(adi_batch_max_tasks(&b), 1);
    assert_int_equal(adi_batch_time(&b, 1, &t), ADI_OK);
    assert_true(t == 0.07);
    assert_int_equal(adi_batch_time(&b, 2, &t), ADI_EINPUT);
    adi_batch_law f = b;
    assert_int_equal(adi_batch_fit(&f), ADI_OK);
    assert_memory_equal(f.mean, b.mean, sizeof b.mean);
    assert_true(f.slope == b.slope && f.law == b.law && f.intercept == 0);
}

/* A law with a cache cliff: time per image doubles past 32. The affine
** law misses by more than 5 %, so interpolation is chosen; an affine law
** that is not positive at the smallest size is never chosen. */
static void choice(void **state)
{
    (void)state;
    const size_t size[] = {1, 8, 32, 64}, count[] = {50, 50, 50, 50};
    const double mean[] = {1e-4, 8e-4, 3.2e-3, 9.6e-3};
    const double std[] = {1e-6, 8e-6, 3.2e-5, 9.6e-5};
    adi_batch_law b = law_of(4, size, mean, std, count);
    assert_int_equal(adi_batch_fit(&b), ADI_OK);
    assert_true(b.affine_error > ADI_BATCH_AFFINE_MAX_ERROR);
    assert_int_equal(b.law, ADI_BATCH_INTERPOLATED);
    double t;
    assert_int_equal(adi_batch_law_time(&b, 48, &t), ADI_OK);
    assert_close(t, 3.2e-3 + (9.6e-3 - 3.2e-3) / 2, 1e-14);
    /* positivity: a law crossing zero inside the range */
    adi_batch_law neg = b;
    neg.intercept = -1e-3;
    neg.slope = 1e-4;
    assert_false(adi_batch_affine_positive(&neg)); /* T(1) < 0 */
    neg.intercept = 1e-3;
    assert_true(adi_batch_affine_positive(&neg));
    assert_int_equal(adi_batch_kind_parse("interpolated", &neg.law), ADI_OK);
    assert_int_equal(neg.law, ADI_BATCH_INTERPOLATED);
    assert_string_equal(adi_batch_kind_name(ADI_BATCH_AFFINE), "affine");
    assert_string_equal(adi_batch_kind_name(ADI_BATCH_KIND_COUNT), "?");
    assert_int_equal(adi_batch_kind_parse("spline", &neg.law), ADI_EINPUT);
}

static void refusals(void **state)
{
    (void)state;
    static const struct {
        size_t n, size[3];
        double mean[3], std[3];
        size_t count[3];
        const char *message;
    } cases[] = {
        {0, {0}, {0}, {0}, {0}, "expected 1 to 16 batch sizes, got 0"},
        {17, {0}, {0}, {0}, {0}, "expected 1 to 16 batch sizes, got 17"},
        {2, {8, 8}, {1, 1}, {0, 0}, {1, 1}, "batch sizes must increase: 8 after 8"},
        {2, {8, 4}, {1, 1}, {0, 0}, {1, 1}, "batch sizes must increase: 4 after 8"},
        {2, {0, 4}, {1, 1}, {0, 0}, {1, 1}, "batch size 1: expected 1 to 65536 images, got 0"},
        {2, {4, 65537}, {1, 1}, {0, 0}, {1, 1}, "batch size 2: expected 1 to 65536 images"},
        {2, {4, 8}, {1, 0}, {0, 0}, {1, 1}, "batch 8: the mean time must be > 0, got 0"},
        {2, {4, 8}, {1, INFINITY}, {0, 0}, {1, 1}, "batch 8: the mean time must be > 0"},
        {2, {4, 8}, {1, 1}, {0, NAN}, {1, 1}, "batch 8: the std must be >= 0"},
        {2, {4, 8}, {1, 1}, {0, 0}, {1, 0}, "batch 8: no samples"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        adi_batch_law b = law_of(cases[i].n > 3 ? 3 : cases[i].n, cases[i].size, cases[i].mean,
                                 cases[i].std, cases[i].count);
        b.n = cases[i].n;
        int rc = adi_batch_fit(&b);
        if (rc != ADI_EINPUT || !strstr(adi_errmsg(), cases[i].message))
            fail_msg("case %zu: %d \"%s\"; expected \"%s\"", i, rc, adi_errmsg(),
                     cases[i].message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(by_hand),
        cmocka_unit_test(known_law_from_noisy_samples),
        cmocka_unit_test(two_sizes_and_one),
        cmocka_unit_test(choice),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
