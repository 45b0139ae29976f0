/*
** tests/test_select.c — selection gives exactly the values a sort puts at
** the asked ranks (the oracle is qsort of a copy), for both the fast path
** and the guaranteed one, on random data and on the inputs that break
** naive quickselects: sorted, reversed, all equal, few distinct values,
** organ pipes, sawtooths. Nearest-rank percentiles have known values.
*/
#include "helpers.h"

#include "sim/select.h"

#include <gsl/gsl_rng.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef void (*select_fn)(double *, size_t, const size_t *, size_t, double *);

/* Selects ranks[0..count) of x[0..n) (left unchanged) with f and compares
** every value with sorted[] (x sorted by qsort), bit for bit. */
static void check_ranks(select_fn f, const double *x, const double *sorted, size_t n,
                        const size_t *ranks, size_t count, int permutation)
{
    double *work = malloc(n * sizeof *work);
    double out[64];
    assert_non_null(work);
    assert_true(count <= 64);
    memcpy(work, x, n * sizeof *x);
    f(work, n, ranks, count, out);
    for (size_t j = 0; j < count; j++)
        if (memcmp(&out[j], &sorted[ranks[j]], sizeof(double)) != 0)
            fail_msg("n = %zu, rank %zu: selected %.17g, sorted %.17g", n, ranks[j], out[j],
                     sorted[ranks[j]]);
    if (permutation) { /* the array afterwards is a permutation of the input */
        qsort(work, n, sizeof *work, cmp);
        assert_memory_equal(work, sorted, n * sizeof *work);
    }
    free(work);
}

static double *sorted_copy(const double *x, size_t n)
{
    double *sorted = malloc(n * sizeof *sorted);
    assert_non_null(sorted);
    memcpy(sorted, x, n * sizeof *x);
    qsort(sorted, n, sizeof *sorted, cmp);
    return sorted;
}

/* The percentiles adisim reports, random rank sets (with repeats), and the
** two ends, through both methods. */
static void check_all(const double *x, size_t n, gsl_rng *r)
{
    static const select_fn fns[2] = {adi_select_ranks, adi_select_ranks_bfprt};
    double *sorted = sorted_copy(x, n);
    for (int f = 0; f < 2; f++) {
        size_t pct[3] = {adi_select_rank_of(0.5, n), adi_select_rank_of(0.95, n),
                         adi_select_rank_of(0.99, n)};
        check_ranks(fns[f], x, sorted, n, pct, 3, 1);
        size_t ends[2] = {0, n - 1};
        check_ranks(fns[f], x, sorted, n, ends, 2, 0);
        for (int trial = 0; trial < 2; trial++) {
            size_t ranks[8], count = 1 + gsl_rng_uniform_int(r, 8);
            for (size_t j = 0; j < count; j++)
                ranks[j] = gsl_rng_uniform_int(r, n);
            for (size_t j = 1; j < count; j++) /* sort the ranks (insertion) */
                for (size_t i = j; i > 0 && ranks[i - 1] > ranks[i]; i--) {
                    size_t t = ranks[i];
                    ranks[i] = ranks[i - 1];
                    ranks[i - 1] = t;
                }
            check_ranks(fns[f], x, sorted, n, ranks, count, 0);
        }
    }
    free(sorted);
}

enum { UNIFORM, SORTED, REVERSED, EQUAL, FEW, ORGAN, SAWTOOTH, ALTERNATING, SHAPES };

static void fill(double *x, size_t n, int shape, gsl_rng *r)
{
    for (size_t i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r), v = (double)i;
        x[i] = shape == UNIFORM     ? u
             : shape == SORTED      ? v
             : shape == REVERSED    ? (double)n - v
             : shape == EQUAL       ? 0.25
             : shape == FEW         ? (double)gsl_rng_uniform_int(r, 3)
             : shape == ORGAN       ? (i < n / 2 ? v : (double)n - v)
             : shape == SAWTOOTH    ? (double)(i % 37)
                                    : (i % 2 ? v : -v);
    }
}

static void matches_a_sort(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 14);
    static const size_t sizes[] = {1, 2, 3, 5, 16, 17, 18, 100, 1001, 65537, 200000};
    double *x = malloc(200000 * sizeof *x);
    assert_non_null(x);
    for (int shape = 0; shape < SHAPES; shape++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            fill(x, sizes[s], shape, r);
            check_all(x, sizes[s], r);
        }
    free(x);
    gsl_rng_free(r);
}

/* Every rank of every small array, one at a time: the insertion-sort
** finish and the partition boundaries. */
static void every_rank_of_small_arrays(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    double x[80];
    for (size_t n = 1; n <= 80; n++)
        for (int shape = 0; shape < SHAPES; shape++) {
            fill(x, n, shape, r);
            double *sorted = sorted_copy(x, n);
            for (size_t k = 0; k < n; k++) {
                check_ranks(adi_select_ranks, x, sorted, n, &k, 1, 1);
                check_ranks(adi_select_ranks_bfprt, x, sorted, n, &k, 1, 1);
            }
            free(sorted);
        }
    gsl_rng_free(r);
}

/* Nearest rank, as sim.h reports it: the ceil(p n)-th smallest. */
static void nearest_rank_percentiles(void **state)
{
    (void)state;
    double x[20];
    for (int i = 0; i < 10; i++)
        x[i] = 10 - i; /* 10, 9, ..., 1 */
    static const double p[3] = {0.50, 0.95, 0.99};
    double out[3];
    adi_select_percentiles(x, 10, p, 3, out);
    assert_true(out[0] == 5 && out[1] == 10 && out[2] == 10);
    for (int i = 0; i < 20; i++)
        x[i] = i + 1;
    adi_select_percentiles(x, 20, p, 3, out);
    assert_true(out[0] == 10 && out[1] == 19 && out[2] == 20);
    x[0] = 7;
    adi_select_percentiles(x, 1, p, 3, out);
    assert_true(out[0] == 7 && out[1] == 7 && out[2] == 7);
    assert_int_equal(adi_select_rank_of(1.0, 1000), 999);
    assert_int_equal(adi_select_rank_of(0.5, 1000), 499);
    assert_int_equal(adi_select_rank_of(1e-9, 1000), 0);
    assert_int_equal(adi_select_rank_of(0.99, 101), 99); /* ceil(99.99) = 100th */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_a_sort),
        cmocka_unit_test(every_rank_of_small_arrays),
        cmocka_unit_test(nearest_rank_percentiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
