/*
** sim/taus.h — GSL's taus2 generator with its state open to inline code.
**
** Every run draws from its own taus2 stream (L'Ecuyer's maximally
** equidistributed combined Tausworthe generator, as GSL implements it and
** seeds it: core/hash.h gives the seed). Drawing through gsl_rng_get costs a
** call through the type's function pointer, about 36 instructions, on
** every exponential task time and Poisson arrival. adi_rng_taus2 is the
** same generator as a gsl_rng_type of our own (GSL lets a program define
** one), so that the engine's hot path can step the state inline
** (adi_rng_bits) while every GSL function (gaussian, gamma, uniform_int,
** ...) still draws from the same stream through the type's functions. Its
** outputs equal gsl_rng_taus2's bit for bit for every seed (tests/
** test_taus.c compares them), so switching changed no result.
**
** Cost: three shifts, masks and xors per draw; 12 bytes of state.
*/
#ifndef ADI_SIM_TAUS_H
#define ADI_SIM_TAUS_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

typedef struct adi_taus_state {
    uint32_t s1, s2, s3;
} adi_taus_state;

/* The type: gsl_rng_alloc(adi_rng_taus2), then gsl_rng_set as for GSL's. */
extern const gsl_rng_type *const adi_rng_taus2;

/* The recurrence (GSL's taus_get, in 32-bit words). */
static inline uint32_t adi_taus_next(adi_taus_state *t)
{
#define ADI_TAUS(s, a, b, c, d) ((((s) & (c)) << (d)) ^ ((((s) << (a)) ^ (s)) >> (b)))
    t->s1 = ADI_TAUS(t->s1, 13, 19, 4294967294u, 12);
    t->s2 = ADI_TAUS(t->s2, 2, 25, 4294967288u, 4);
    t->s3 = ADI_TAUS(t->s3, 3, 11, 4294967280u, 17);
#undef ADI_TAUS
    return t->s1 ^ t->s2 ^ t->s3;
}

/* The next 32 random bits of r: inline for an adi_rng_taus2 generator,
** through gsl_rng_get for any other (the same bits as gsl_rng_get). */
static inline uint32_t adi_rng_bits(gsl_rng *r)
{
    if (r->type == adi_rng_taus2)
        return adi_taus_next((adi_taus_state *)r->state);
    return (uint32_t)gsl_rng_get(r);
}

#endif
