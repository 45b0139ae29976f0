/*
** tests/test_hist.c — the streaming histogram's quantiles stay within the
** stated bound (2^-10 relative, under 0.1 %) of exact nearest-rank
** quantiles of the sorted data, for data spanning many octaves; merging
** equals adding everything to one histogram.
*/
#include "helpers.h"

#include "sim/hist.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void check_quantiles(const adi_hist *h, double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp);
    static const double ps[] = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        size_t rank = (size_t)ceil(ps[i] * (double)n);
        double exact = x[rank - 1], est = adi_hist_quantile(h, ps[i]);
        assert_true(fabs(est - exact) <= ADI_HIST_REL_ERROR * exact);
    }
    assert_true(ADI_HIST_REL_ERROR < 0.001);
    assert_true(h->min == x[0] && h->max == x[n - 1]);
}

static void quantiles_within_bound(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    size_t n = 200000;
    double *x = malloc(n * sizeof *x);
    for (int family = 0; family < 3; family++) {
        adi_hist h;
        adi_hist_init(&h);
        for (size_t i = 0; i < n; i++) {
            x[i] = family == 0 ? gsl_ran_lognormal(r, -3, 2.5)       /* ~15 octaves */
                 : family == 1 ? gsl_ran_exponential(r, 0.05)
                               : 1e-6 * (double)(1 + gsl_rng_uniform_int(r, 1000)); /* ties */
            assert_int_equal(adi_hist_add(&h, x[i]), 0);
        }
        assert_int_equal(h.n, n);
        check_quantiles(&h, x, n);
        adi_hist_free(&h);
    }
    free(x);
    gsl_rng_free(r);
}

static void merge_equals_union(void **state)
{
    (void)state;
    adi_hist a, b, all;
    adi_hist_init(&a);
    adi_hist_init(&b);
    adi_hist_init(&all);
    for (int i = 1; i <= 10000; i++) {
        double v = 1e-3 * i * i;
        assert_int_equal(adi_hist_add(i % 3 ? &a : &b, v), 0);
        assert_int_equal(adi_hist_add(&all, v), 0);
    }
    assert_int_equal(adi_hist_add(&b, 0), 0); /* the zero bucket */
    assert_int_equal(adi_hist_add(&all, 0), 0);
    assert_int_equal(adi_hist_merge(&a, &b), 0);
    assert_int_equal(a.n, all.n);
    assert_int_equal(a.zero, 1);
    assert_true(a.min == 0 && a.max == all.max);
    for (double p = 0.01; p <= 1; p += 0.01)
        assert_true(adi_hist_quantile(&a, p) == adi_hist_quantile(&all, p));
    adi_hist_free(&a);
    adi_hist_free(&b);
    adi_hist_free(&all);
}

static void rebuilt_from_buckets(void **state)
{
    (void)state;
    adi_hist h, copy;
    adi_hist_init(&h);
    adi_hist_init(&copy);
    for (int i = 1; i <= 5000; i++)
        assert_int_equal(adi_hist_add(&h, 0.01 * i), 0);
    for (int64_t b = h.lo; b < h.hi; b++)
        assert_int_equal(adi_hist_add_bucket(&copy, b, h.counts[b - h.lo]), 0);
    assert_int_equal(copy.n, h.n);
    for (double p = 0.05; p < 1; p += 0.05) /* within one bucket of each other */
        assert_close(adi_hist_quantile(&copy, p), adi_hist_quantile(&h, p), 2 * ADI_HIST_REL_ERROR);
    assert_true(isnan(adi_hist_quantile(&(adi_hist){0}, 0.5)));
    adi_hist_free(&h);
    adi_hist_free(&copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantiles_within_bound),
        cmocka_unit_test(merge_equals_union),
        cmocka_unit_test(rebuilt_from_buckets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
