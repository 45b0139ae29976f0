/*
** tests/test_steady.c — the simulator's steady-state estimates agree with
** exact queueing results (M/M/c, M/M/c/K, the heterogeneous pull chain,
** M/G/1) within the stated intervals; the right exact result is chosen
** for each kind of point, and none where none applies.
*/
#include "helpers.h"

#include "core/error.h"
#include "check/checks.h"
#include "check/steady.h"
#include "sweep/sweep.h"

#define REPS 10

static adi_scenario *scenario(const char *devices, const char *rest)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nname = s\nreplications = %d\n[devices]\n%s\n[workload]\n"
             "kind = poisson\ntasks = 200000\n%s\n", REPS, devices, rest);
    adi_scenario *sc;
    if (adi_scenario_parse("s.ini", text, &sc) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    return sc;
}

/* Runs the point's replications and checks them; every queue_* check must
** exist (names given) and hold. */
static void agrees(const char *devices, const char *rest, adi_steady_model expected,
                   const char *const *bounds)
{
    adi_scenario *sc = scenario(devices, rest);
    const adi_point *p = adi_scenario_point(sc, 0);
    adi_steady_model model;
    adi_queue_metrics m;
    assert_int_equal(adi_steady_point(p, &model, &m), ADI_OK);
    assert_int_equal(model, expected);
    adi_run_result r[REPS];
    adi_run_checks c[REPS];
    for (int k = 0; k < REPS; k++)
        assert_int_equal(adi_sweep_run_one(p, (uint64_t)k, &r[k]), ADI_OK);
    assert_int_equal(adi_check_point(p, r, REPS, 0.999, c), ADI_OK);
    for (const char *const *b = bounds; *b; b++) {
        const adi_check *found = NULL;
        for (size_t i = 0; i < c[0].n; i++)
            if (strcmp(c[0].c[i].bound, *b) == 0)
                found = &c[0].c[i];
        if (!found)
            fail_msg("%s: no %s check", adi_steady_model_name(model), *b);
        if (!found->holds)
            fail_msg("%s: %s exact %.6g, simulated %.6g [%.6g, %.6g]", adi_steady_model_name(model),
                     *b, found->predicted, found->observed, found->ci_lo, found->ci_hi);
    }
    /* The estimates are steady-state ones: a warm-up was left out. */
    assert_int_equal(r[0].ss_arrivals, 180000);
    /* A simulator 3 % off in its response times would be caught: with 2e5
    ** arrivals the 99.9 % intervals on W are about +-1.2 % wide (at 5e4 they
    ** were +-4.4 %, too wide to see 3 %). */
    for (int k = 0; k < REPS; k++)
        r[k].ss_response *= 1.03;
    assert_int_equal(adi_check_point(p, r, REPS, 0.999, c), ADI_OK);
    for (size_t i = 0; i < c[0].n; i++)
        if (strcmp(c[0].c[i].bound, "queue_response") == 0)
            assert_false(c[0].c[i].holds);
    for (int k = 0; k < REPS; k++)
        adi_run_result_free(&r[k]);
    adi_scenario_free(sc);
}

static const char *const all[] = {"queue_block", "queue_in_system", "queue_response",
                                  "queue_utilization", NULL};
static const char *const no_loss[] = {"queue_in_system", "queue_response", "queue_utilization", NULL};

static void mmck(void **state)
{
    (void)state;
    agrees("count = 4\nmean_time = 10ms\ndistribution = exponential",
           "rate = 400\n[queue]\ncapacity = 2\noverflow = drop", ADI_STEADY_MMCK, all);
}

static void mmc(void **state)
{
    (void)state;
    agrees("count = 4\nmean_time = 10ms\ndistribution = exponential", "rate = 300",
           ADI_STEADY_MMC, no_loss);
}

static void heterogeneous_chain(void **state)
{
    (void)state;
    agrees("times = 10ms, 20ms, 40ms\ndistribution = exponential",
           "rate = 150\n[queue]\ncapacity = 5\noverflow = drop", ADI_STEADY_CTMC, all);
}

static void mg1(void **state)
{
    (void)state;
    agrees("count = 1\nmean_time = 10ms\ndistribution = gamma\ncv = 0.5", "rate = 60",
           ADI_STEADY_MG1, no_loss);
}

static void only_where_it_applies(void **state)
{
    (void)state;
    static const struct { const char *devices, *rest; adi_steady_model model; } cases[] = {
        /* block holds arrivals back: no loss model describes it */
        {"count = 4\nmean_time = 1\ndistribution = exponential",
         "rate = 3\n[queue]\ncapacity = 2\noverflow = block", ADI_STEADY_NONE},
        {"count = 4\nmean_time = 1\ndistribution = exponential",
         "rate = 3\nsubmit_cost = 1ms", ADI_STEADY_NONE},
        {"count = 4\nmean_time = 1\ndistribution = exponential",
         "rate = 5", ADI_STEADY_NONE}, /* unstable */
        {"count = 2\nmean_time = 1\ndistribution = lognormal\ncv = 0.5", "rate = 1", ADI_STEADY_NONE},
        {"times = 1, 1, 1, 1, 1, 1, 2\ndistribution = exponential",
         "rate = 1\n[queue]\ncapacity = 3\noverflow = drop", ADI_STEADY_NONE}, /* 7 devices */
        {"times = 1, 2\ndistribution = exponential", "rate = 1", ADI_STEADY_NONE}, /* Q = inf */
        {"times = 1, 2\ndistribution = exponential\n[scenario]\npolicy = serial", "rate = 0.5",
         ADI_STEADY_MMC}, /* the fastest device alone: M/M/1 */
        {"times = 1, 2\ndistribution = exponential\n[scenario]\npolicy = sync", "rate = 0.5",
         ADI_STEADY_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        adi_scenario *sc = scenario(cases[i].devices, cases[i].rest);
        adi_steady_model model;
        adi_queue_metrics m;
        assert_int_equal(adi_steady_point(adi_scenario_point(sc, 0), &model, &m), ADI_OK);
        if (model != cases[i].model)
            fail_msg("case %zu: %s instead of %s", i, adi_steady_model_name(model),
                     adi_steady_model_name(cases[i].model));
        adi_scenario_free(sc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mmck), cmocka_unit_test(mmc), cmocka_unit_test(heterogeneous_chain),
        cmocka_unit_test(mg1), cmocka_unit_test(only_where_it_applies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
