/*
** tests/test_batching.c — model/batching.h: R_b and each device's best
** batch against every b' <= b on laws that do and do not grow; the fill
** wait against its closed forms (b = 2, no max_delay, max_delay 0) and
** against a plain simulation of Poisson arrivals filling batches; the
** light-load latency against the same simulation.
*/
#include "helpers.h"

#include "model/batching.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

static adi_batch_law interpolated(size_t n, const size_t *size, const double *mean)
{
    adi_batch_law b = {.n = n};
    for (size_t j = 0; j < n; j++) {
        b.size[j] = size[j];
        b.mean[j] = mean[j];
        b.count[j] = 10;
    }
    assert_int_equal(adi_batch_fit(&b), ADI_OK);
    b.law = ADI_BATCH_INTERPOLATED;
    return b;
}

static void throughput(void **state)
{
    (void)state;
    /* affine, 1 ms a call + 1 ms an image, a task one image: b / (1 + b) ms */
    const size_t size[] = {1, 64};
    const double mean[] = {2e-3, 65e-3};
    adi_batch_law a = interpolated(2, size, mean);
    assert_int_equal(a.law, ADI_BATCH_INTERPOLATED);
    a.law = ADI_BATCH_AFFINE;
    assert_close(a.intercept, 1e-3, 1e-12);
    const adi_batch_law *one[] = {&a};
    double R;
    uint64_t best;
    assert_int_equal(adi_batching_throughput(one, 1, 8, &R, &best), ADI_OK);
    assert_close(R, 8 / 9e-3, 1e-12);
    assert_int_equal(best, 8);
    /* a cliff: per task 1 ms up to 16 tasks, then 3 ms: the best stays 16 */
    const size_t cs[] = {1, 16, 32};
    const double cm[] = {2e-3, 17e-3, 65e-3};
    adi_batch_law c = interpolated(3, cs, cm);
    const adi_batch_law *two[] = {&a, &c};
    uint64_t bests[2];
    assert_int_equal(adi_batching_throughput(two, 2, 32, &R, bests), ADI_OK);
    assert_true(bests[0] == 32 && bests[1] == 16);
    assert_close(R, 32 / 33e-3 + 16 / 17e-3, 1e-12);
    /* beyond what a device measured: refused, naming it */
    assert_int_equal(adi_batching_throughput(two, 2, 33, &R, bests), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "device 1: a batch of 33 tasks"));
    assert_int_equal(adi_batching_throughput(two, 2, 0, &R, bests), ADI_EINPUT);

    /* random interpolated laws, tasks of 1 to 3 images: brute force over b' */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 21);
    for (int trial = 0; trial < 300; trial++) {
        size_t k = 1 + gsl_rng_uniform_int(r, 6), s[8], s0 = 1 + gsl_rng_uniform_int(r, 3);
        double m[8];
        s[0] = s0;
        m[0] = 1e-3 * (0.5 + gsl_rng_uniform(r));
        for (size_t j = 1; j < k; j++) {
            s[j] = s[j - 1] + 1 + gsl_rng_uniform_int(r, 20);
            m[j] = m[j - 1] + 1e-4 * (double)(s[j] - s[j - 1]) * (0.2 + 3 * gsl_rng_uniform(r));
        }
        adi_batch_law law = interpolated(k, s, m);
        uint64_t b = 1 + gsl_rng_uniform_int(r, adi_batch_max_tasks(&law));
        const adi_batch_law *l[] = {&law};
        assert_int_equal(adi_batching_throughput(l, 1, b, &R, &best), ADI_OK);
        double top = 0;
        uint64_t at = 0;
        for (uint64_t x = 1; x <= b; x++) {
            double t;
            assert_int_equal(adi_batch_time(&law, x, &t), ADI_OK);
            if ((double)x / t > top) {
                top = (double)x / t;
                at = x;
            }
        }
        assert_close(R, top, 1e-12);
        double t;
        assert_int_equal(adi_batch_time(&law, best, &t), ADI_OK);
        assert_close((double)best / t, top, 1e-12);
        assert_true(best == at || fabs((double)at / t - top) <= 1e-12 * top);
    }
    gsl_rng_free(r);
}

/* Poisson arrivals fill batches of b (or until D after the first): the
** mean wait per task, the mean batch, the share of full ones. */
static void simulate_fill(gsl_rng *r, double lambda, uint64_t b, double D, size_t batches,
                          double *wait, double *size, double *full)
{
    double waited = 0;
    uint64_t tasks = 0, fulls = 0;
    double arr[64];
    for (size_t k = 0; k < batches; k++) {
        uint64_t got = 1;
        arr[0] = 0;
        double t = 0;
        while (got < b) {
            t += gsl_ran_exponential(r, 1 / lambda);
            if (t > D)
                break;
            arr[got++] = t;
        }
        double close = got == b ? arr[b - 1] : D;
        for (uint64_t j = 0; j < got; j++)
            waited += close - arr[j];
        tasks += got;
        fulls += got == b;
    }
    *wait = waited / (double)tasks;
    *size = (double)tasks / (double)batches;
    *full = (double)fulls / (double)batches;
}

static void fill(void **state)
{
    (void)state;
    adi_batch_fill f;
    /* b = 2: the first waits min(Exp(lambda), D), the second 0 */
    double lambda = 50, D = 0.01, e = exp(-lambda * D);
    assert_int_equal(adi_batching_fill(lambda, 2, D, &f), ADI_OK);
    assert_close(f.wait, (1 - e) / lambda / (2 - e), 1e-12);
    assert_close(f.size, 2 - e, 1e-12);
    assert_close(f.full, 1 - e, 1e-12);
    /* no max_delay: (b - 1) / (2 lambda), always full */
    assert_int_equal(adi_batching_fill(lambda, 8, INFINITY, &f), ADI_OK);
    assert_close(f.wait, 7 / (2 * lambda), 1e-12);
    assert_true(f.size == 8 && f.full == 1);
    /* max_delay 0 or b = 1: no wait */
    assert_int_equal(adi_batching_fill(lambda, 8, 0, &f), ADI_OK);
    assert_true(f.wait == 0 && f.size == 1 && f.full == 0);
    assert_int_equal(adi_batching_fill(lambda, 1, 1, &f), ADI_OK);
    assert_true(f.wait == 0 && f.size == 1 && f.full == 1);
    /* refusals */
    assert_int_equal(adi_batching_fill(0, 8, 1, &f), ADI_EINPUT);
    assert_int_equal(adi_batching_fill(1, 0, 1, &f), ADI_EINPUT);
    assert_int_equal(adi_batching_fill(1, 8, -1, &f), ADI_EINPUT);
    assert_int_equal(adi_batching_fill(1, 8, NAN, &f), ADI_EINPUT);

    /* against a simulation: 200 000 batches each, seeded, within 1 % */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 22);
    static const struct { double lambda, D; uint64_t b; } cases[] = {
        {100, 0.03, 8}, {100, 0.2, 8}, {1000, 0.005, 32}, {10, 1, 4}, {5, 0.1, 16},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double w, s, full;
        simulate_fill(r, cases[i].lambda, cases[i].b, cases[i].D, 200000, &w, &s, &full);
        assert_int_equal(adi_batching_fill(cases[i].lambda, cases[i].b, cases[i].D, &f), ADI_OK);
        assert_close(f.wait, w, 0.01);
        assert_close(f.size, s, 0.01);
        assert_true(fabs(f.full - full) < 0.01);
        assert_true(f.wait <= cases[i].D);
    }
    gsl_rng_free(r);
}

static void light_latency(void **state)
{
    (void)state;
    const size_t size[] = {1, 8};
    const double mean[] = {2e-3, 9e-3};
    adi_batch_law law = interpolated(2, size, mean);
    double W, t;
    /* b = 1: just T(1) */
    assert_int_equal(adi_batching_light_latency(&law, 10, 1, 1, &W), ADI_OK);
    assert_true(W == law.mean[0] || fabs(W - 2e-3) < 1e-15);
    /* no max_delay: every batch is full: (b - 1) / (2 lambda) + T(b) */
    assert_int_equal(adi_batching_light_latency(&law, 10, 8, INFINITY, &W), ADI_OK);
    assert_int_equal(adi_batch_time(&law, 8, &t), ADI_OK);
    assert_close(W, 7 / 20.0 + t, 1e-12);
    /* against the simulated batches: fill wait + their task-weighted time */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 23);
    double lambda = 200, D = 0.02, waited = 0, service = 0;
    uint64_t tasks = 0;
    for (int k = 0; k < 200000; k++) {
        uint64_t got = 1;
        double at = 0, first[8] = {0};
        while (got < 8) {
            at += gsl_ran_exponential(r, 1 / lambda);
            if (at > D)
                break;
            first[got++] = at;
        }
        double close = got == 8 ? first[7] : D;
        assert_int_equal(adi_batch_time(&law, got, &t), ADI_OK);
        for (uint64_t j = 0; j < got; j++)
            waited += close - first[j];
        service += (double)got * t;
        tasks += got;
    }
    gsl_rng_free(r);
    assert_int_equal(adi_batching_light_latency(&law, lambda, 8, D, &W), ADI_OK);
    assert_close(W, (waited + service) / (double)tasks, 0.01);
    assert_int_equal(adi_batching_light_latency(&law, lambda, 9, D, &W), ADI_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(throughput),
        cmocka_unit_test(fill),
        cmocka_unit_test(light_latency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
