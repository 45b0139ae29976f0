/*
** tests/test_floor.c — the yardstick kernel (bench/floor/floor.h) gives
** adisim's results bit for bit: its inline taus2 is GSL's stream, and its
** makespans and per-device counts equal adi_sim_run's for deterministic
** and exponential pull, with ties (equal and commensurate times), fewer
** tasks than devices, and many devices. If the engine's event order, its
** draws or its arithmetic change, this fails, and the yardstick must
** change with it (or the engine is wrong).
*/
#include "helpers.h"

#include "bench/floor/floor.h"
#include "policy/policy.h"
#include "sim/sim.h"

#include <gsl/gsl_rng.h>

static void taus2_is_gsls(void **state)
{
    (void)state;
    static const unsigned long seeds[] = {0, 1, 2, 7, 12345, 4294967295ul, 4294967296ul,
                                          0x9e3779b9ul};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
        floor_taus t;
        floor_taus_seed(&t, seeds[s]);
        gsl_rng_set(r, seeds[s]);
        for (int i = 0; i < 100000; i++)
            if (floor_taus_get(&t) != gsl_rng_get(r))
                fail_msg("seed %lu, draw %d differs", seeds[s], i);
    }
    gsl_rng_free(r);
}

/* floor_pull and adi_sim_run on the same pool, tasks and seed. */
static void same_run(const double *T, size_t n, adi_dist dist, uint64_t m, unsigned long seed)
{
    adi_sampler *dev = calloc(n, sizeof *dev);
    uint64_t *count = calloc(n, sizeof *count);
    assert_non_null(dev);
    assert_non_null(count);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(adi_sampler_init(&dev[i], dist, T[i], dist == ADI_DIST_EXPONENTIAL), ADI_OK);
    adi_sim_config c = {.policy = adi_policy_pull.ops, .workload = adi_workload_batch.ops,
                        .n_devices = n, .device = dev, .tasks = m,
                        .capacity = ADI_CAPACITY_INF, .seed = seed};
    adi_run_result r;
    assert_int_equal(adi_sim_run(&c, &r), ADI_OK);
    double makespan;
    assert_int_equal(floor_pull(T, n, dist == ADI_DIST_EXPONENTIAL, m, seed, &makespan, count), 0);
    if (makespan != r.makespan)
        fail_msg("%s, n = %zu, m = %llu, seed %lu: makespan %a, adisim %a", adi_dist_name(dist),
                 n, (unsigned long long)m, seed, makespan, r.makespan);
    for (size_t i = 0; i < n; i++)
        if (count[i] != r.device[i].tasks)
            fail_msg("%s, n = %zu, m = %llu: device %zu did %llu tasks, adisim %llu",
                     adi_dist_name(dist), n, (unsigned long long)m, i,
                     (unsigned long long)count[i], (unsigned long long)r.device[i].tasks);
    adi_run_result_free(&r);
    free(dev);
    free(count);
}

static void same_results_as_adisim(void **state)
{
    (void)state;
    static const size_t sizes[] = {1, 2, 3, 16, 100, 1000};
    static const uint64_t tasks[] = {1, 2, 15, 16, 17, 999, 20000};
    double *T = malloc(1000 * sizeof *T);
    assert_non_null(T);
    for (int shape = 0; shape < 3; shape++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            size_t n = sizes[s];
            for (size_t i = 0; i < n; i++) /* the benchmark's pool, equal, commensurate */
                T[i] = shape == 0 ? 1.0 + 0.1 * (double)i : shape == 1 ? 0.5 : (double)(1 + i % 3);
            for (size_t k = 0; k < sizeof tasks / sizeof tasks[0]; k++)
                for (unsigned long seed = 1; seed <= 3; seed++) {
                    same_run(T, n, ADI_DIST_EXPONENTIAL, tasks[k], seed * 2654435761ul);
                    if (seed == 1)
                        same_run(T, n, ADI_DIST_DETERMINISTIC, tasks[k], seed);
                }
        }
    /* a long exponential run: the ziggurat's wedges and tail are drawn */
    for (size_t i = 0; i < 16; i++)
        T[i] = 1.0 + 0.1 * (double)i;
    same_run(T, 16, ADI_DIST_EXPONENTIAL, 300000, 42);
    free(T);
}

static void rejects_what_it_cannot_run(void **state)
{
    (void)state;
    double T = 1, makespan;
    uint64_t count;
    assert_int_equal(floor_pull(&T, 0, 0, 10, 1, &makespan, &count), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(taus2_is_gsls),
        cmocka_unit_test(same_results_as_adisim),
        cmocka_unit_test(rejects_what_it_cannot_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
