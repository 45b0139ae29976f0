/*
** sim/taus.c — adi_rng_taus2, GSL's taus2 as a generator type of our own
** (see taus.h): GSL's seeding (gsl/rng/taus.c's taus2_set) and its
** recurrence, in 32-bit words.
*/
#include "sim/taus.h"

static void taus2_set(void *vstate, unsigned long seed)
{
    adi_taus_state *t = vstate;
    /* an LCG spreads the seed over the three words, each kept above the
    ** value its recurrence needs, then six draws warm it up */
    if (seed == 0)
        seed = 1;
    uint32_t s = (uint32_t)seed;
    t->s1 = 69069u * s;
    if (t->s1 < 2)
        t->s1 += 2;
    t->s2 = 69069u * t->s1;
    if (t->s2 < 8)
        t->s2 += 8;
    t->s3 = 69069u * t->s2;
    if (t->s3 < 16)
        t->s3 += 16;
    for (int i = 0; i < 6; i++)
        adi_taus_next(t);
}

static unsigned long taus2_get(void *vstate)
{
    return adi_taus_next(vstate);
}

static double taus2_get_double(void *vstate)
{
    return adi_taus_next(vstate) / 4294967296.0;
}

static const gsl_rng_type type = {
    "adi-taus2",             /* name */
    0xffffffffUL,            /* largest value get returns */
    0,                       /* smallest */
    sizeof(adi_taus_state),
    &taus2_set,
    &taus2_get,
    &taus2_get_double,
};

const gsl_rng_type *const adi_rng_taus2 = &type;
