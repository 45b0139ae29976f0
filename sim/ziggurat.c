/*
** sim/ziggurat.c — the exponential ziggurat's tables and slow path (see
** ziggurat.h). The construction is Marsaglia and Tsang's (2000), with
** positions of 24 bits instead of 32.
*/
#include "sim/ziggurat.h"

#include <math.h>
#include <pthread.h>

#define R 7.697117470131487   /* where the tail starts */
#define V 3.949659822581572e-3 /* the area of each layer */
#define SCALE 16777216.0      /* 2^24 positions */

uint32_t adi_zig_k[256];
double adi_zig_w[256];
static double f[256]; /* e^-x at each layer's right edge */

static void build(void)
{
    double x = R, prev = R, q = V / exp(-R);
    adi_zig_k[0] = (uint32_t)(R / q * SCALE);
    adi_zig_k[1] = 0;
    adi_zig_w[0] = q / SCALE;
    adi_zig_w[255] = R / SCALE;
    f[0] = 1;
    f[255] = exp(-R);
    for (int i = 254; i >= 1; i--) {
        x = -log(V / x + exp(-x));
        adi_zig_k[i + 1] = (uint32_t)(x / prev * SCALE);
        prev = x;
        f[i] = exp(-x);
        adi_zig_w[i] = x / SCALE;
    }
}

void adi_ziggurat_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build);
}

double adi_exponential_zig_slow(gsl_rng *r, unsigned layer, uint32_t position)
{
    for (;;) {
        if (layer == 0) /* the tail: memoryless beyond R */
            return R - log(gsl_rng_uniform_pos(r));
        double x = position * adi_zig_w[layer];
        if (f[layer] + gsl_rng_uniform(r) * (f[layer - 1] - f[layer]) < exp(-x))
            return x; /* under the curve in the layer's wedge */
        uint32_t bits = (uint32_t)gsl_rng_get(r);
        layer = bits & 255;
        position = bits >> 8;
        if (position < adi_zig_k[layer])
            return position * adi_zig_w[layer];
    }
}
