/*
** tests/test_taus.c — adi_rng_taus2 (sim/taus.h) is GSL's taus2 bit for bit:
** the same 32-bit outputs, the same doubles, and the same variates from the
** GSL functions the engine calls on it, for seeds that exercise the seeding's
** corner cases (0, 1, values whose low 32 bits are 0 or make a word small,
** the largest). Every simulated result depends on this.
*/
#include "helpers.h"

#include "sim/taus.h"
#include "sim/ziggurat.h"

#include <gsl/gsl_randist.h>

static const unsigned long seeds[] = {
    0, 1, 2, 42, 69069, 4294967295UL, 4294967296UL, 4294967297UL, 12345678901234567UL,
    ~0UL, 0x80000000UL, 62183, 1006632960UL,
};

static void same_stream_as_gsl(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(adi_rng_taus2);
        gsl_rng_set(a, seeds[k]);
        gsl_rng_set(b, seeds[k]);
        for (int i = 0; i < 20000; i++) {
            uint32_t x = (uint32_t)gsl_rng_get(a);
            uint32_t y = (i & 1) ? adi_rng_bits(b) : (uint32_t)gsl_rng_get(b);
            if (x != y)
                fail_msg("seed %lu, draw %d: %u != %u", seeds[k], i, x, y);
        }
        for (int i = 0; i < 2000; i++) {
            assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(b));
            assert_true(gsl_rng_uniform_pos(a) == gsl_rng_uniform_pos(b));
            assert_true(gsl_rng_uniform_int(a, 977) == gsl_rng_uniform_int(b, 977));
            assert_true(gsl_ran_gaussian_ziggurat(a, 1) == gsl_ran_gaussian_ziggurat(b, 1));
            assert_true(gsl_ran_gamma(a, 0.3, 2) == gsl_ran_gamma(b, 0.3, 2));
            assert_true(gsl_ran_gamma(a, 40, 0.1) == gsl_ran_gamma(b, 40, 0.1));
        }
        assert_int_equal(gsl_rng_max(b), gsl_rng_max(a));
        assert_int_equal(gsl_rng_min(b), gsl_rng_min(a));
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
}

/* The ziggurat draws the same exponentials from either, inline or not. */
static void same_exponentials(void **state)
{
    (void)state;
    adi_ziggurat_init();
    gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(adi_rng_taus2);
    gsl_rng_set(a, 7);
    gsl_rng_set(b, 7);
    for (int i = 0; i < 200000; i++)
        assert_true(adi_exponential_zig(a) == adi_exponential_zig(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_stream_as_gsl),
        cmocka_unit_test(same_exponentials),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
