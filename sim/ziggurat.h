/*
** sim/ziggurat.h — exponential random numbers by Marsaglia and Tsang's
** ziggurat ("The Ziggurat Method for Generating Random Variables", J. Stat.
** Software 5(8), 2000), because drawing them dominates simulations with
** exponential task times or Poisson arrivals, and GSL offers a ziggurat only
** for the normal distribution.
**
** The density e^-x is covered by 256 layers of equal area; a draw picks a
** layer and a point in it from one 32-bit random number (low 8 bits: the
** layer; high 24 bits: the position), and in about 98.9 % of draws that
** point lies under the density, so the draw is one integer, one table
** lookup, a compare and a multiply. The rest fall back to the exact wedge
** test or to the tail (x > 7.697: 7.697 - ln U, the memoryless property).
**
** The layer index and the position use different bits of the random
** number, so they are independent (the original code reused the low bits,
** a flaw Leong et al. pointed out in 2005). The position has 24 bits: a draw
** falls on a grid of step (layer width) / 2^24, at most 4.6e-7 of the mean.
**
** The generator must give 32 random bits per gsl_rng_get (GSL's taus2
** does; the engine's adi_rng_taus2, sim/taus.h, is stepped inline). The tables are built once per process (adi_ziggurat_init, cheap
** and idempotent; adi_sim_run calls it).
*/
#ifndef ADI_SIM_ZIGGURAT_H
#define ADI_SIM_ZIGGURAT_H

#include "sim/taus.h"

#include <gsl/gsl_rng.h>
#include <stdint.h>

extern uint32_t adi_zig_k[256]; /* accept the fast path when position < k[layer] */
extern double adi_zig_w[256];   /* position -> x */

/* Builds the tables (thread-safe, once). */
void adi_ziggurat_init(void);

/* The slow path of adi_exponential_zig: wedges and the tail. */
double adi_exponential_zig_slow(gsl_rng *r, unsigned layer, uint32_t position);

/* An exponential variate of mean 1. adi_ziggurat_init must have run. */
static inline double adi_exponential_zig(gsl_rng *r)
{
    uint32_t bits = adi_rng_bits(r);
    unsigned layer = bits & 255;
    uint32_t position = bits >> 8;
    if (position < adi_zig_k[layer])
        return position * adi_zig_w[layer];
    return adi_exponential_zig_slow(r, layer, position);
}

#endif
