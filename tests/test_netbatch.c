/*
** tests/test_netbatch.c — R_b,net, the throughput bound of batches over a
** star (model/netbatch.h): a device by hand; each device's rate against the
** linear program it solves, by brute force over the program's vertices (any
** batch law: affine, random, not convex); against b / cycle_i(b) for affine
** laws; b = 1 against R_net (model/network.h); the pool's segments and
** coordinator; the shortest trip; bad input.
*/
#include "helpers.h"
#include "net_stars.h"

#include "model/netbatch.h"

#define TOL 1e-9 /* relative: the exact checks' tolerance (check/checks.h) */

static int close_to(double a, double b) { return fabs(a - b) <= TOL * fmax(fabs(a), fabs(b)); }

/* One device: T = 1 s, 100 B/s, L = 0.5 s, 100 B in, 50 B out, T(k) = 0.5 +
** 0.5 k (batch_overhead 0.5), b = 4, prefetch 0. A batch of k: compute
** 0.5 + 0.5 k, link k, window 2 (0.5) + k + 0.5 + 0.5 k = 1.5 + 1.5 k:
** cycle(4) = 7.5, r = 4 / 7.5; at prefetch 1 the window is 3.75 and the
** link 4: r = 1. trip(1) = 1 + 1 + 1 + 0.5 + 0.5 = 4 (k = 1 is the least). */
static void one_device_by_hand(void **state)
{
    (void)state;
    adi_netdev d = {1, 100, 0.5, -1};
    adi_star s = {.n = 1, .dev = &d, .coord_bw = INFINITY, .s_in = 100, .s_out = 50};
    double row[5] = {0, 1, 1.5, 2, 2.5}, r, trip;
    assert_int_equal(adi_netbatch_rate(&s, 0, 0, row, 4, &r, &trip), ADI_OK);
    assert_true(close_to(r, 4 / 7.5));
    assert_true(close_to(trip, 4));
    assert_int_equal(adi_netbatch_rate(&s, 0, 1, row, 4, &r, NULL), ADI_OK);
    assert_true(close_to(r, 1));
    const double *rows[1] = {row};
    double R;
    assert_int_equal(adi_netbatch_throughput(&s, 0, rows, 4, &R, &trip), ADI_OK);
    assert_true(close_to(R, 4 / 7.5) && close_to(trip, 4));
}

/* ---- the linear program, by brute force ---------------------------------------
** max sum_k k n_k subject to n_k >= 0 and, per unit of time, sum n_k T(k) <= 1
** (compute), sum n_k k link <= 1 (the link), sum n_k (2L + a k + T(k)) <= w
** (the window): every mixture of batch sizes. An optimum sits at a vertex:
** at most 3 sizes, as many constraints tight. */

typedef struct lp {
    double T[8], link, a, L2, w;
    uint64_t b;
} lp;

static double coef(const lp *p, int c, uint64_t k)
{
    double x = (double)k;
    return c == 0 ? p->T[k] : c == 1 ? x * p->link : p->L2 + p->a * x + p->T[k];
}

static double rhs(const lp *p, int c) { return c == 2 ? p->w : 1; }

/* Solves the s x s system A n = y (Gauss with partial pivoting); 0 if singular. */
static int solve(double A[3][3], double *y, size_t s, double *n)
{
    for (size_t col = 0; col < s; col++) {
        size_t piv = col;
        for (size_t r = col + 1; r < s; r++)
            if (fabs(A[r][col]) > fabs(A[piv][col]))
                piv = r;
        if (fabs(A[piv][col]) < 1e-300)
            return 0;
        for (size_t j = 0; j < s; j++) {
            double t = A[col][j];
            A[col][j] = A[piv][j];
            A[piv][j] = t;
        }
        double t = y[col];
        y[col] = y[piv];
        y[piv] = t;
        for (size_t r = 0; r < s; r++) {
            if (r == col)
                continue;
            double q = A[r][col] / A[col][col];
            for (size_t j = 0; j < s; j++)
                A[r][j] -= q * A[col][j];
            y[r] -= q * y[col];
        }
    }
    for (size_t r = 0; r < s; r++)
        n[r] = y[r] / A[r][r];
    return 1;
}

static double lp_best(const lp *p)
{
    double best = 0;
    uint64_t sz[3];
    for (size_t s = 1; s <= 3; s++)
        for (uint64_t m = 0; m < (1u << p->b); m++) { /* supports of s sizes */
            if ((size_t)__builtin_popcountll(m) != s)
                continue;
            size_t j = 0;
            for (uint64_t k = 1; k <= p->b; k++)
                if (m >> (k - 1) & 1)
                    sz[j++] = k;
            for (unsigned cs = 0; cs < 8; cs++) { /* the tight constraints */
                if ((size_t)__builtin_popcount(cs) != s)
                    continue;
                double A[3][3], y[3], n[3];
                size_t r = 0;
                for (int c = 0; c < 3; c++)
                    if (cs >> c & 1) {
                        for (size_t q = 0; q < s; q++)
                            A[r][q] = coef(p, c, sz[q]);
                        y[r++] = rhs(p, c);
                    }
                if (!solve(A, y, s, n))
                    continue;
                int ok = 1;
                double N = 0;
                for (size_t q = 0; q < s; q++) {
                    ok &= n[q] >= -1e-12;
                    N += (double)sz[q] * n[q];
                }
                for (int c = 0; c < 3 && ok; c++) {
                    double used = 0;
                    for (size_t q = 0; q < s; q++)
                        used += coef(p, c, sz[q]) * n[q];
                    ok &= used <= rhs(p, c) * (1 + 1e-12);
                }
                if (ok && N > best)
                    best = N;
            }
        }
    return best;
}

/* Random devices, prefetch and laws (affine, random, with a cache that
** overflows): the rate is the program's optimum; for affine laws it is
** also b / cycle(b), and b = 1 gives 1 / cycle_i (network.h's). */
static void rate_is_the_linear_program(void **state)
{
    (void)state;
    long mixed = 0;
    for (int j = 0; j < 3000; j++) {
        double seg_bw = log_uniform(1e3, 1e7);
        adi_netdev d = {log_uniform(1e-3, 2), log_uniform(1e3, 1e7), uniform() < 0.2 ? 0
                        : log_uniform(1e-5, 0.5), uniform() < 0.5 ? 0 : -1};
        adi_star s = {.n = 1, .dev = &d, .nseg = 1, .seg_bw = &seg_bw,
                      .coord_bw = uniform() < 0.5 ? INFINITY : log_uniform(1e3, 1e7),
                      .s_in = floor(log_uniform(1, 1e5)), .s_out = floor(log_uniform(1, 1e5))};
        if (uniform() < 0.1)
            s.s_in = 0;
        uint64_t p = pick(4), b = 1 + pick(7);
        int law = j % 3, affine = law == 0;
        double f = uniform(), row[8] = {0, 1};
        for (uint64_t k = 2; k <= b; k++)
            row[k] = law == 0   ? f + (1 - f) * (double)k
                     : law == 1 ? (double)k * log_uniform(0.2, 1.2)
                                : (k <= 3 ? 0.4 + 0.6 * (double)k : 1.5 * (double)k);
        double r;
        assert_int_equal(adi_netbatch_rate(&s, 0, p, row, b, &r, NULL), ADI_OK);
        double path = fmin(d.bw, fmin(d.segment >= 0 ? seg_bw : INFINITY, s.coord_bw));
        lp q = {.link = fmax(s.s_in, s.s_out) / d.bw, .a = s.s_in / path, .L2 = 2 * d.latency,
                .w = (double)p + 1, .b = b};
        double single = 0;
        for (uint64_t k = 1; k <= b; k++) {
            q.T[k] = d.time * row[k];
            double x = (double)k, cyc = fmax(fmax(q.T[k], x * q.link),
                                             (q.L2 + q.a * x + q.T[k]) / q.w);
            single = fmax(single, x / cyc);
            if (affine && k == b && !close_to(r, x / cyc))
                fail_msg("case %d (affine, b %llu): %.17g, b / cycle(b) %.17g", j,
                         (unsigned long long)b, r, x / cyc);
        }
        double best = lp_best(&q);
        if (!close_to(r, best))
            fail_msg("case %d (law %d, b %llu, p %llu): rate %.17g, the program's %.17g", j, law,
                     (unsigned long long)b, (unsigned long long)p, r, best);
        assert_true(r >= single * (1 - TOL)); /* never below one size alone */
        mixed += r > single * (1 + 1e-6);
        if (b == 1)
            assert_true(close_to(r, 1 / adi_netmodel_cycle(&s, 0, p, NULL)));
    }
    print_message("3000 devices: the rate is the program's optimum; %ld of them gain by mixing "
                  "two batch sizes\n", mixed);
    assert_true(mixed > 0); /* the hull matters for laws that are not convex */
}

/* Random stars (segments, a finite coordinator): b = 1 is R_net; with
** batches the pool is no more than the sum of its devices and no more than
** the coordinator carries; the trip is the least over k. */
static void pool_and_trip(void **state)
{
    (void)state;
    for (int j = 0; j < 300; j++) {
        case_ c;
        random_case(&c, j % 6);
        double row[9] = {0, 1}, R1, Rnet, Rb, trip;
        double f = uniform();
        for (uint64_t k = 2; k <= 8; k++)
            row[k] = f + (1 - f) * (double)k;
        const double *rows[16];
        for (size_t i = 0; i < c.s.n; i++)
            rows[i] = row;
        assert_int_equal(adi_netbatch_throughput(&c.s, c.k, rows, 1, &R1, NULL), ADI_OK);
        assert_int_equal(adi_netmodel_throughput(&c.s, c.k, &Rnet, NULL, NULL), ADI_OK);
        assert_true(close_to(R1, Rnet));
        assert_int_equal(adi_netbatch_throughput(&c.s, c.k, rows, 8, &Rb, &trip), ADI_OK);
        double sum = 0, least = INFINITY, big = fmax(c.s.s_in, c.s.s_out);
        for (size_t i = 0; i < c.s.n; i++) {
            double r, t;
            assert_int_equal(adi_netbatch_rate(&c.s, i, c.k, row, 8, &r, &t), ADI_OK);
            sum += r;
            least = fmin(least, t);
            /* the trip by a plain loop over k */
            double bw = fmin(c.dev[i].bw, fmin(c.dev[i].segment >= 0 ? c.seg[c.dev[i].segment]
                                                                       : INFINITY, c.s.coord_bw));
            double plain = INFINITY;
            for (uint64_t k = 1; k <= 8; k++)
                plain = fmin(plain, 3 * c.dev[i].latency + (double)k * (c.s.s_in + c.s.s_out) / bw
                                        + c.dev[i].time * row[k]);
            assert_true(close_to(t, plain));
        }
        assert_true(Rb <= sum * (1 + TOL));
        if (big > 0)
            assert_true(Rb <= c.s.coord_bw / big * (1 + TOL));
        if (c.s.nseg == 0 && isinf(c.s.coord_bw))
            assert_true(close_to(Rb, sum));
        assert_true(close_to(trip, least));
        assert_true(Rb >= R1 * (1 - TOL)); /* an affine law: batches never lose */
    }
}

static void bad_input(void **state)
{
    (void)state;
    adi_netdev d = {1, 100, 0.5, -1};
    adi_star s = {.n = 1, .dev = &d, .coord_bw = INFINITY, .s_in = 100, .s_out = 50};
    double row[3] = {0, 1, 0}, r;
    assert_int_equal(adi_netbatch_rate(&s, 0, 0, row, 0, &r, NULL), ADI_EINPUT);
    assert_int_equal(adi_netbatch_rate(&s, 1, 0, row, 1, &r, NULL), ADI_EINPUT);
    assert_int_equal(adi_netbatch_rate(&s, 0, 0, row, 2, &r, NULL), ADI_EINPUT); /* scale 0 */
    row[2] = NAN;
    assert_int_equal(adi_netbatch_rate(&s, 0, 0, row, 2, &r, NULL), ADI_EINPUT);
    assert_int_equal(adi_netbatch_throughput(&s, 0, NULL, 2, &r, NULL), ADI_EINPUT);
    d.bw = 0;
    row[2] = 2;
    assert_int_equal(adi_netbatch_rate(&s, 0, 0, row, 2, &r, NULL), ADI_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_device_by_hand),
        cmocka_unit_test(rate_is_the_linear_program),
        cmocka_unit_test(pool_and_trip),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
