/*
** tests/test_mm2.c — the heterogeneous M/M/2 in closed form (model/mm2.h)
** against two things it must equal: Erlang C's M/M/2 when both devices are
** alike (whatever the idle rule), and the same chain truncated at 300 tasks
** and solved numerically (GSL's LU on the generator), which shares nothing
** with the closed form but the chain's definition.
*/
#include "helpers.h"

#include "model/mm2.h"

#include <gsl/gsl_linalg.h>

/* The chain of mm2.h truncated at N tasks (arrivals refused at N), solved as
** pi Q = 0, sum pi = 1. States: 0 = empty, 1 = only device 1 busy, 2 = only
** device 2 busy, 3 + k = both busy with k waiting (k = 0 .. N - 2). */
static void truncated(double lambda, double T1, double T2, double f, size_t N, double *L,
                      double *busy1, double *busy2)
{
    double mu1 = 1 / T1, mu2 = 1 / T2;
    size_t S = 3 + (N - 1), last = S - 1;
    gsl_matrix *A = gsl_matrix_calloc(S, S); /* A = Q^T with the last row replaced */
    gsl_vector *b = gsl_vector_calloc(S), *x = gsl_vector_alloc(S);
    gsl_permutation *perm = gsl_permutation_alloc(S);
#define RATE(from, to, r)                                                   \
    do {                                                                    \
        gsl_matrix_set(A, (to), (from), gsl_matrix_get(A, (to), (from)) + (r)); \
        gsl_matrix_set(A, (from), (from), gsl_matrix_get(A, (from), (from)) - (r)); \
    } while (0)
    RATE(0, 1, f * lambda);
    RATE(0, 2, (1 - f) * lambda);
    RATE(1, 0, mu1);
    RATE(2, 0, mu2);
    RATE(1, 3, lambda);
    RATE(2, 3, lambda);
    RATE(3, 1, mu2); /* device 2 finishes: only device 1 left busy */
    RATE(3, 2, mu1);
    for (size_t s = 4; s < S; s++) {
        RATE(s - 1, s, lambda);
        RATE(s, s - 1, mu1 + mu2);
    }
#undef RATE
    for (size_t j = 0; j < S; j++)
        gsl_matrix_set(A, last, j, 1);
    gsl_vector_set(b, last, 1);
    int sign;
    gsl_linalg_LU_decomp(A, perm, &sign);
    gsl_linalg_LU_solve(A, perm, b, x);
    *L = gsl_vector_get(x, 1) + gsl_vector_get(x, 2);
    *busy1 = gsl_vector_get(x, 1);
    *busy2 = gsl_vector_get(x, 2);
    for (size_t s = 3; s < S; s++) {
        *L += (double)(s - 1) * gsl_vector_get(x, s);
        *busy1 += gsl_vector_get(x, s);
        *busy2 += gsl_vector_get(x, s);
    }
    gsl_permutation_free(perm);
    gsl_vector_free(x);
    gsl_vector_free(b);
    gsl_matrix_free(A);
}

static void equals_truncated_chain(void **state)
{
    (void)state;
    const double cases[][4] = {
        /* lambda, T1, T2, f */
        {1.0, 0.5, 1.0, 1.0},   {1.0, 0.5, 1.0, 0.5},  {1.0, 0.5, 1.0, 0.0},
        {20.0, 0.01, 0.1, 1.0}, {20.0, 0.01, 0.1, 0.5}, {60.0, 0.02, 0.05, 1.0},
        {0.3, 3.0, 2.0, 0.5},   {0.9, 1.0, 10.0, 1.0},  {5.0, 0.25, 0.3, 0.25},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double lambda = cases[k][0], T1 = cases[k][1], T2 = cases[k][2], f = cases[k][3];
        adi_mm2_metrics m;
        assert_int_equal(adi_queue_mm2_hetero(lambda, T1, T2, f, &m), ADI_OK);
        double L, b1, b2;
        truncated(lambda, T1, T2, f, 300, &L, &b1, &b2);
        assert_close(m.q.in_system, L, 1e-9);
        assert_close(m.busy[0], b1, 1e-9);
        assert_close(m.busy[1], b2, 1e-9);
        assert_close(m.q.response, L / lambda, 1e-9);
        /* every task is served by one of them: the flow balance */
        assert_close(m.busy[0] / T1 + m.busy[1] / T2, lambda, 1e-12);
        assert_close(m.q.in_system - m.q.waiting * lambda, m.busy[0] + m.busy[1], 1e-12);
    }
}

/* Alike devices: the idle rule cannot matter, and it is Erlang C's M/M/2. */
static void alike_devices_are_erlang_c(void **state)
{
    (void)state;
    const double loads[] = {0.1, 0.5, 0.9, 0.99};
    for (size_t k = 0; k < sizeof loads / sizeof loads[0]; k++) {
        double T = 0.02, lambda = 2 * loads[k] / T;
        adi_queue_metrics c;
        assert_int_equal(adi_queue_mmc(lambda, T, 2, &c), ADI_OK);
        for (double f = 0; f <= 1; f += 0.25) {
            adi_mm2_metrics m;
            assert_int_equal(adi_queue_mm2_hetero(lambda, T, T, f, &m), ADI_OK);
            assert_close(m.q.in_system, c.in_system, 1e-12);
            assert_close(m.q.response, c.response, 1e-12);
            assert_close(m.q.waiting, c.waiting, 1e-12);
            assert_close(m.q.wait_prob, c.wait_prob, 1e-12);
            assert_close(m.q.utilization, c.utilization, 1e-12);
        }
    }
}

/* Sending the empty system's task to the faster device is better. */
static void fastest_first_beats_random(void **state)
{
    (void)state;
    adi_mm2_metrics fast, random, slow;
    assert_int_equal(adi_queue_mm2_hetero(3, 0.1, 1.0, 1, &fast), ADI_OK);
    assert_int_equal(adi_queue_mm2_hetero(3, 0.1, 1.0, 0.5, &random), ADI_OK);
    assert_int_equal(adi_queue_mm2_hetero(3, 0.1, 1.0, 0, &slow), ADI_OK);
    assert_true(fast.q.response < random.q.response);
    assert_true(random.q.response < slow.q.response);
    assert_true(fast.busy[1] < random.busy[1]);
}

static void bad_input(void **state)
{
    (void)state;
    adi_mm2_metrics m;
    assert_int_equal(adi_queue_mm2_hetero(11, 0.1, 1.0, 1, &m), ADI_EINPUT); /* rho = 1 */
    assert_int_equal(adi_queue_mm2_hetero(1, 0, 1.0, 1, &m), ADI_EINPUT);
    assert_int_equal(adi_queue_mm2_hetero(1, 1.0, 1.0, 1.5, &m), ADI_EINPUT);
    assert_int_equal(adi_queue_mm2_hetero(NAN, 1.0, 1.0, 0.5, &m), ADI_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(equals_truncated_chain),
        cmocka_unit_test(alike_devices_are_erlang_c),
        cmocka_unit_test(fastest_first_beats_random),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
