/*
** tests/test_best.c — model/best.h: each rule's policy, the value it names
** (from the bounds and queueing formulas it cites, computed here again)
** and the numbers in its sentence; the refusals.
*/
#include "helpers.h"

#include "model/best.h"
#include "model/bounds.h"
#include "model/mm2.h"
#include "model/queueing.h"

static adi_best best_of(adi_best_point p)
{
    adi_best b;
    if (adi_model_best_policy(&p, &b) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    return b;
}

static void batches(void **state)
{
    (void)state;
    const double pool[] = {1.2, 1.5, 1.1, 2.0, 1.8, 1.3, 1.7, 1.4};
    adi_bounds b;
    assert_int_equal(adi_model_bounds(pool, 8, 1000, &b), ADI_OK);
    /* deterministic: eft at C* (181.5 s, README's pool) */
    adi_best r = best_of((adi_best_point){.times = pool, .n = 8, .m = 1000});
    assert_string_equal(r.policy, "eft");
    assert_true(r.value == b.optimal && r.value == 181.5);
    assert_non_null(strstr(r.why, "C* = 181.5 s exactly"));
    assert_non_null(strstr(r.why, "m/R + max T_i = 182.6 s"));
    /* random: pull, within max T of m/R */
    r = best_of((adi_best_point){.times = pool, .n = 8, .m = 1000, .cv = 0.1});
    assert_string_equal(r.policy, "pull");
    assert_true(r.value == b.greedy_upper);
    assert_non_null(strstr(r.why, "random times (cv 0.1)"));
    r = best_of((adi_best_point){.times = pool, .n = 8, .m = 1000, .exponential = 1});
    assert_non_null(strstr(r.why, "(cv 1)"));
    /* identical devices, one device, a submit cost */
    const double same[] = {2, 2, 2};
    r = best_of((adi_best_point){.times = same, .n = 3, .m = 10});
    assert_string_equal(r.policy, "pull");
    assert_true(r.value == 8); /* ceil(10/3) 2 s */
    r = best_of((adi_best_point){.times = pool, .n = 1, .m = 10});
    assert_true(strcmp(r.policy, "pull") == 0 && fabs(r.value - 12) < 1e-12);
    r = best_of((adi_best_point){.times = pool, .n = 8, .m = 1000, .submit_cost = 0.5});
    assert_string_equal(r.policy, "pull");
    assert_true(r.value == 500);
    assert_non_null(strstr(r.why, "tasks arrive one by one (500 ms each, 500 s in all)"));
}

static void open_workloads(void **state)
{
    (void)state;
    /* overloaded */
    const double two[] = {1, 10};
    adi_best r = best_of((adi_best_point){.times = two, .n = 2, .rate = 2, .exponential = 1});
    assert_true(strcmp(r.policy, "pull") == 0 && isnan(r.value));
    assert_non_null(strstr(r.why, "overloaded: lambda = 2/s >= R = sum 1/T_i = 1.1/s"));
    /* identical exponential devices: M/M/c */
    const double same[] = {0.5, 0.5, 0.5};
    adi_queue_metrics q;
    assert_int_equal(adi_queue_mmc(4, 0.5, 3, &q), ADI_OK);
    r = best_of((adi_best_point){.times = same, .n = 3, .rate = 4, .exponential = 1});
    assert_true(strcmp(r.policy, "pull") == 0 && r.value == q.response);
    assert_non_null(strstr(r.why, "M/M/3"));
    /* two different exponential devices: the better idle rule of the M/M/2 */
    adi_mm2_metrics f, h;
    assert_int_equal(adi_queue_mm2_hetero(0.5, 1, 10, 1, &f), ADI_OK);
    assert_int_equal(adi_queue_mm2_hetero(0.5, 1, 10, 0.5, &h), ADI_OK);
    assert_true(f.q.response < h.q.response);
    const double slow_first[] = {10, 1};
    r = best_of((adi_best_point){.times = slow_first, .n = 2, .rate = 0.5, .exponential = 1});
    assert_true(r.value == f.q.response);
    assert_non_null(strstr(r.why, "idle_choice = fastest"));
    /* one device, lognormal: M/G/1 */
    assert_int_equal(adi_queue_mg1(1, 0.5, 0.3, &q), ADI_OK);
    r = best_of((adi_best_point){.times = same, .n = 1, .rate = 1, .cv = 0.3});
    assert_true(r.value == q.response);
    /* a heterogeneous pool without a closed form */
    const double three[] = {1, 2, 3};
    r = best_of((adi_best_point){.times = three, .n = 3, .rate = 1, .cv = 0.2});
    assert_true(strcmp(r.policy, "pull") == 0 && isnan(r.value));
    assert_non_null(strstr(r.why, "prefer idle_choice = fastest"));
}

static void refusals(void **state)
{
    (void)state;
    const double t[] = {1, 0};
    adi_best r;
    adi_best_point p = {.times = t, .n = 0, .m = 1};
    assert_int_equal(adi_model_best_policy(&p, &r), ADI_EINPUT);
    p.n = 2;
    assert_int_equal(adi_model_best_policy(&p, &r), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "device 1: a task time must be > 0"));
    p.n = 1;
    p.m = 0;
    assert_int_equal(adi_model_best_policy(&p, &r), ADI_EINPUT);
    p.m = 1;
    p.cv = -1;
    assert_int_equal(adi_model_best_policy(&p, &r), ADI_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batches),
        cmocka_unit_test(open_workloads),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
