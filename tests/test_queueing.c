/*
** tests/test_queueing.c — the closed forms against textbook values and
** against each other where they must coincide; the Markov chain against
** M/M/c/K when its devices are identical.
*/
#include "helpers.h"

#include "core/error.h"
#include "model/ctmc.h"
#include "model/mm2.h"
#include "model/queueing.h"

static void erlang_c_and_mm1(void **state)
{
    (void)state;
    adi_queue_metrics m;
    /* Erlang C table: 4 servers, 3 erlangs offered: P(wait) = 0.5094. */
    assert_int_equal(adi_queue_mmc(3, 1, 4, &m), ADI_OK);
    assert_true(fabs(m.wait_prob - 0.509434) < 1e-6);
    assert_close(m.response, 0.509434 / 1 + 1, 1e-6); /* Wq = C / (c mu - lambda) */
    assert_close(m.in_system, 3 * m.response, 1e-15);  /* Little */
    /* M/M/1: W = 1 / (mu - lambda), L = rho / (1 - rho). */
    assert_int_equal(adi_queue_mmc(0.5, 1, 1, &m), ADI_OK);
    assert_close(m.response, 2, 1e-14);
    assert_close(m.in_system, 1, 1e-14);
    assert_int_equal(adi_queue_mmc(4, 1, 4, &m), ADI_EINPUT); /* unstable */
}

static void finite_capacity(void **state)
{
    (void)state;
    adi_queue_metrics m, inf;
    /* M/M/1/K: P(block) = (1 - rho) rho^K / (1 - rho^(K+1)); K = 1 + Q. */
    for (uint64_t Q = 0; Q < 6; Q++) {
        double rho = 0.7, K = (double)Q + 1;
        assert_int_equal(adi_queue_mmck(0.7, 1, 1, Q, &m), ADI_OK);
        assert_close(m.block, (1 - rho) * pow(rho, K) / (1 - pow(rho, K + 1)), 1e-12);
        assert_close(m.throughput, 0.7 * (1 - m.block), 1e-15);
    }
    /* rho = 1: every state equally likely, P(block) = 1 / (K + 1), K = 1 + 2. */
    assert_int_equal(adi_queue_mmck(1, 1, 1, 2, &m), ADI_OK);
    assert_close(m.block, 1.0 / 4, 1e-12);
    /* A huge waiting room is M/M/c. */
    assert_int_equal(adi_queue_mmck(3, 1, 4, 5000, &m), ADI_OK);
    assert_int_equal(adi_queue_mmc(3, 1, 4, &inf), ADI_OK);
    assert_close(m.response, inf.response, 1e-12);
    assert_close(m.wait_prob, inf.wait_prob, 1e-12);
    assert_true(m.block < 1e-300 || m.block < 1e-100);
    /* Overload is fine with a finite room: load 3 on 2 servers. */
    assert_int_equal(adi_queue_mmck(3, 1, 2, 1000, &m), ADI_OK);
    assert_close(m.throughput, 2, 1e-9); /* both servers always busy */
    assert_close(m.block, 1.0 / 3, 1e-9);
}

static void pollaczek_khinchine(void **state)
{
    (void)state;
    adi_queue_metrics g, mm1;
    /* cv = 1 is M/M/1. */
    assert_int_equal(adi_queue_mg1(0.6, 1, 1, &g), ADI_OK);
    assert_int_equal(adi_queue_mmc(0.6, 1, 1, &mm1), ADI_OK);
    assert_close(g.response, mm1.response, 1e-14);
    /* M/D/1: Wq = rho T / (2 (1 - rho)). */
    assert_int_equal(adi_queue_mg1(0.6, 1, 0, &g), ADI_OK);
    assert_close(g.waiting, 0.6 / (2 * 0.4), 1e-14);
    assert_int_equal(adi_queue_mg1(1.2, 1, 0, &g), ADI_EINPUT);
}

static void response_quantiles(void **state)
{
    (void)state;
    /* M/M/1 sojourn is exponential with rate mu - lambda. */
    double t;
    assert_int_equal(adi_queue_mmc_response_quantile(0.5, 1, 1, 0.99, &t), ADI_OK);
    assert_close(t, -log(0.01) / 0.5, 1e-9);
    assert_close(adi_queue_mmc_response_tail(0.5, 1, 1, 3), exp(-1.5), 1e-12);
    /* The tail at the quantile is 1 - p, for a multi-server case too. */
    assert_int_equal(adi_queue_mmc_response_quantile(3, 1, 4, 0.99, &t), ADI_OK);
    assert_close(adi_queue_mmc_response_tail(3, 1, 4, t), 0.01, 1e-9);
    /* The largest rate meeting p99 <= t is that rate. */
    double lambda;
    assert_int_equal(adi_queue_mmc_max_rate(1, 4, 0.99, t, &lambda), ADI_OK);
    assert_close(lambda, 3, 1e-7);
    /* A bound below the bare service time's p99 (ln 100 T) cannot be met. */
    assert_int_equal(adi_queue_mmc_max_rate(1, 4, 0.99, 4.0, &lambda), ADI_OK);
    assert_true(lambda == 0);
}

static void chain_is_mmck_for_identical_devices(void **state)
{
    (void)state;
    double t[6] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, u[6];
    for (size_t n = 1; n <= 6; n++)
        for (uint64_t Q = 0; Q <= 7; Q += 7)
            for (double lambda = 1; lambda <= 16; lambda *= 4) {
                adi_queue_metrics a, b;
                assert_int_equal(adi_queue_mmck(lambda, 0.5, (unsigned)n, Q, &a), ADI_OK);
                assert_int_equal(adi_ctmc_pull(t, n, lambda, Q, &b, u), ADI_OK);
                /* LU is accurate in absolute terms (see ctmc.h). */
                assert_true(fabs(b.block - a.block) <= 1e-9 * a.block + 1e-14);
                assert_close(b.in_system, a.in_system, 1e-9);
                assert_close(b.response, a.response, 1e-9);
                assert_close(b.utilization, a.utilization, 1e-9);
                assert_close(b.wait_prob, a.wait_prob, 1e-9);
                for (size_t d = 0; d < n; d++) /* symmetric devices, equal shares */
                    assert_close(u[d], a.utilization, 1e-9);
            }
}

static void chain_balances_heterogeneous_flows(void **state)
{
    (void)state;
    const double t[4] = {0.01, 0.02, 0.04, 0.08};
    double u[4];
    adi_queue_metrics m;
    assert_int_equal(adi_ctmc_pull(t, 4, 120, 3, &m, u), ADI_OK);
    /* Tasks accepted = tasks completed: sum over devices of busy / T. */
    double done = 0;
    for (int d = 0; d < 4; d++)
        done += u[d] / t[d];
    assert_close(done, m.throughput, 1e-9);
    /* The idle-longest rule spreads work: faster devices are not busier. */
    assert_true(u[0] < u[3]);
    assert_int_equal(adi_ctmc_states(4, 3), 65 + 3);
    assert_int_equal(adi_ctmc_states(6, 0), 1957);
    double seven[7] = {1, 1, 1, 1, 1, 1, 1};
    assert_int_equal(adi_ctmc_pull(seven, 7, 1, 1, &m, NULL), ADI_EINPUT);
}

/* The chains of the other idle rules: M/M/c/K for identical devices
** whatever the rule; for two devices with a long queue the closed-form
** heterogeneous M/M/2 (model/mm2.h: f = 1 fastest first, 1/2 random); the
** fastest rule keeps the fast device busier than the random one does, and
** flows balance. */
static void chains_of_the_other_idle_rules(void **state)
{
    (void)state;
    const double same[3] = {0.5, 0.5, 0.5};
    for (int rule = ADI_CTMC_FASTEST; rule <= ADI_CTMC_RANDOM; rule++) {
        adi_queue_metrics a, b;
        assert_int_equal(adi_queue_mmck(4, 0.5, 3, 5, &a), ADI_OK);
        assert_int_equal(adi_ctmc_pull_rule(same, 3, 4, 5, rule, &b, NULL), ADI_OK);
        assert_close(b.block, a.block, 1e-9);
        assert_close(b.in_system, a.in_system, 1e-9);
        /* two devices, Q = 600: the blocking is below 1e-100, so this is Q = inf */
        const double t[2] = {0.01, 0.03};
        adi_mm2_metrics mm;
        double u[2];
        assert_int_equal(adi_queue_mm2_hetero(90, t[0], t[1], rule == ADI_CTMC_FASTEST ? 1 : 0.5,
                                              &mm), ADI_OK);
        assert_int_equal(adi_ctmc_pull_rule(t, 2, 90, 600, rule, &b, u), ADI_OK);
        assert_close(b.in_system, mm.q.in_system, 1e-8);
        assert_close(b.response, mm.q.response, 1e-8);
        assert_close(u[0], mm.busy[0], 1e-8);
        assert_close(u[1], mm.busy[1], 1e-8);
        assert_close(u[0] / t[0] + u[1] / t[1], b.throughput, 1e-9);
    }
    const double t4[4] = {0.01, 0.02, 0.04, 0.08};
    double fu[4], ru[4];
    adi_queue_metrics f, r;
    assert_int_equal(adi_ctmc_pull_rule(t4, 4, 120, 3, ADI_CTMC_FASTEST, &f, fu), ADI_OK);
    assert_int_equal(adi_ctmc_pull_rule(t4, 4, 120, 3, ADI_CTMC_RANDOM, &r, ru), ADI_OK);
    assert_true(f.response < r.response);
    assert_true(fu[0] > ru[0] && fu[3] < ru[3]);
    assert_int_equal(adi_ctmc_states_rule(4, 3, ADI_CTMC_RANDOM), 16 + 3);
    assert_int_equal(adi_ctmc_pull_rule(t4, 4, 120, 3, 7, &f, NULL), ADI_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(erlang_c_and_mm1),
        cmocka_unit_test(finite_capacity),
        cmocka_unit_test(pollaczek_khinchine),
        cmocka_unit_test(response_quantiles),
        cmocka_unit_test(chain_is_mmck_for_identical_devices),
        cmocka_unit_test(chain_balances_heterogeneous_flows),
        cmocka_unit_test(chains_of_the_other_idle_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
