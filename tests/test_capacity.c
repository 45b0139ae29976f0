/*
** tests/test_capacity.c — the server-capacity search: the simulated
** bracket contains the exact M/M/c answer, an impossible bound gives 0,
** the answer does not depend on the number of threads (nor on the trials
** that idle threads start speculatively), and bounds parse.
*/
#include "helpers.h"

#include "core/error.h"
#include "sweep/capacity.h"

static adi_scenario *pool(const char *devices)
{
    char text[512];
    snprintf(text, sizeof text, "[scenario]\nname = c\nreplications = 6\n[devices]\n%s\n"
                                "[workload]\ntasks = 30000\n", devices);
    adi_scenario *sc;
    if (adi_scenario_parse("c.ini", text, &sc) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    return sc;
}

static void brackets_the_exact_answer(void **state)
{
    (void)state;
    adi_scenario *sc = pool("count = 3\nmean_time = 10ms\ndistribution = exponential");
    adi_capacity_request req = {.quantile = 0.95, .bound = 0.05, .confidence = 0.95,
                                .precision = 0.01, .jobs = 2};
    adi_capacity_result r;
    assert_int_equal(adi_capacity_search(adi_scenario_point(sc, 0), &req, &r), ADI_OK);
    assert_true(r.has_formula);
    assert_close(r.R, 300, 1e-12);
    assert_true(r.safe <= r.optimistic);
    /* The exact rate lies in the bracket, give or take one bisection step. */
    double step = req.precision * r.R;
    assert_true(r.safe - step <= r.analytic && r.analytic <= r.optimistic + step);
    assert_true(r.analytic > 200 && r.analytic < 300);
    assert_true(r.trials >= 10);
    /* One thread gives the same answer. */
    adi_capacity_result one;
    req.jobs = 1;
    assert_int_equal(adi_capacity_search(adi_scenario_point(sc, 0), &req, &one), ADI_OK);
    assert_true(one.safe == r.safe && one.optimistic == r.optimistic);
    /* A bound shorter than most service times cannot be met at any rate. */
    req.bound = 0.001;
    assert_int_equal(adi_capacity_search(adi_scenario_point(sc, 0), &req, &r), ADI_OK);
    assert_true(r.safe == 0 && r.optimistic == 0 && r.analytic == 0);
    adi_scenario_free(sc);
}

static void heterogeneous_pool_has_no_formula(void **state)
{
    (void)state;
    adi_scenario *sc = pool("times = 10ms, 30ms\ndistribution = lognormal\ncv = 0.5");
    adi_capacity_request req = {.quantile = 0.9, .bound = 0.1, .confidence = 0.95,
                                .precision = 0.02};
    adi_capacity_result r;
    assert_int_equal(adi_capacity_search(adi_scenario_point(sc, 0), &req, &r), ADI_OK);
    assert_false(r.has_formula);
    assert_true(r.safe > 0 && r.safe <= r.optimistic && r.optimistic < r.R);
    adi_scenario_free(sc);
}

/* The answers of the sequential search (commit 23190ce, before threads
** could run ahead of the bisection), with 3 replications, which leave a
** second thread idle at every trial unless it speculates: any number of
** threads must give them bit for bit, and the same number of trials. */
static void speculation_changes_nothing(void **state)
{
    (void)state;
    static const struct {
        const char *devices;
        double quantile, bound, precision, safe, optimistic;
        unsigned trials;
    } known[] = {
        {"count = 3\nmean_time = 10ms\ndistribution = exponential", 0.95, 0.05, 0.01,
         0x1.ba38p+7, 0x1.dcbbcp+7, 13},
        {"times = 10ms, 30ms\ndistribution = lognormal\ncv = 0.5", 0.9, 0.1, 0.02,
         0x1.c3aaaaaaaaaabp+6, 0x1.e24aaaaaaaaabp+6, 10},
    };
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        char text[512];
        snprintf(text, sizeof text, "[scenario]\nname = c\nreplications = 3\n[devices]\n%s\n"
                 "[workload]\ntasks = 20000\n", known[k].devices);
        adi_scenario *sc;
        assert_int_equal(adi_scenario_parse("c.ini", text, &sc), ADI_OK);
        for (unsigned jobs = 1; jobs <= 4; jobs++) {
            adi_capacity_request req = {.quantile = known[k].quantile, .bound = known[k].bound,
                                        .confidence = 0.95, .precision = known[k].precision,
                                        .jobs = jobs};
            adi_capacity_result r;
            assert_int_equal(adi_capacity_search(adi_scenario_point(sc, 0), &req, &r), ADI_OK);
            if (r.safe != known[k].safe || r.optimistic != known[k].optimistic ||
                r.trials != known[k].trials)
                fail_msg("case %zu, %u jobs: %a .. %a in %u trials", k, jobs, r.safe,
                         r.optimistic, r.trials);
        }
        adi_scenario_free(sc);
    }
}

static void bounds_parse(void **state)
{
    (void)state;
    double q, b;
    assert_int_equal(adi_capacity_parse_bound("p99=100ms", &q, &b), ADI_OK);
    assert_close(q, 0.99, 1e-15);
    assert_close(b, 0.1, 1e-15);
    assert_int_equal(adi_capacity_parse_bound(" p99.9 <= 2s", &q, &b), ADI_OK);
    assert_close(q, 0.999, 1e-15);
    assert_close(b, 2, 1e-15);
    static const char *const bad[] = {"99=100ms", "p100=1s", "p0=1s", "p99>100ms", "p99=", "p99=-1s"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(adi_capacity_parse_bound(bad[i], &q, &b), ADI_EINPUT);
    adi_scenario *sc = pool("count = 2\nmean_time = 1");
    adi_capacity_request req = {.quantile = 0.99, .bound = 1, .confidence = 0.95, .precision = 0.01};
    adi_capacity_result r;
    adi_scenario *one;
    assert_int_equal(adi_scenario_parse("o.ini", "[scenario]\nname = o\n[devices]\ncount = 2\n"
                                        "mean_time = 1\n[workload]\ntasks = 100\n", &one), ADI_OK);
    assert_int_equal(adi_capacity_search(adi_scenario_point(one, 0), &req, &r), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "replications >= 2"));
    adi_scenario_free(one);
    adi_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(brackets_the_exact_answer),
        cmocka_unit_test(heterogeneous_pool_has_no_formula),
        cmocka_unit_test(speculation_changes_nothing),
        cmocka_unit_test(bounds_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
