/*
** bench/floor/floor.c — the greedy-pull kernel (see floor.h).
**
** The loop is written twice through one inline function with a constant
** flag, so the deterministic kernel has no draw at all and the exponential
** one keeps the generator's state in registers.
*/
#include "bench/floor/floor.h"
#include "sim/ziggurat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void floor_taus_seed(floor_taus *t, unsigned long seed)
{
    /* GSL's taus2_set: an LCG spreads the seed over the three words, each
    ** kept above the value its recurrence needs, then six warm-up draws. */
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
        floor_taus_get(t);
}

/* e^-x at each layer's right edge, from adisim's tables: layer i >= 1 has
** its edge at x = w[i] 2^24 exactly (sim/ziggurat.c), layer 0 at 0. */
static double f[256];

static void floor_tables(void)
{
    adi_ziggurat_init();
    f[0] = 1;
    for (int i = 1; i < 256; i++)
        f[i] = exp(-(adi_zig_w[i] * 16777216.0));
}

/* gsl_rng_uniform and gsl_rng_uniform_pos for taus2. */
static inline double uniform(floor_taus *t)
{
    return floor_taus_get(t) / 4294967296.0;
}

static double uniform_pos(floor_taus *t)
{
    double x;
    do
        x = uniform(t);
    while (x == 0);
    return x;
}

/* adi_exponential_zig_slow, drawing from the inline generator. */
static double exp_slow(floor_taus *t, unsigned layer, uint32_t position)
{
    const double R = adi_zig_w[255] * 16777216.0; /* where the tail starts */
    for (;;) {
        if (layer == 0)
            return R - log(uniform_pos(t));
        double x = position * adi_zig_w[layer];
        if (f[layer] + uniform(t) * (f[layer - 1] - f[layer]) < exp(-x))
            return x;
        uint32_t bits = floor_taus_get(t);
        layer = bits & 255;
        position = bits >> 8;
        if (position < adi_zig_k[layer])
            return position * adi_zig_w[layer];
    }
}

static inline double exp1(floor_taus *t)
{
    uint32_t bits = floor_taus_get(t);
    unsigned layer = bits & 255;
    uint32_t position = bits >> 8;
    if (position < adi_zig_k[layer])
        return position * adi_zig_w[layer];
    return exp_slow(t, layer, position);
}

typedef struct entry {
    double time; /* seconds */
    uint64_t tag; /* seq << 20 | device */
} entry;

#define DEVICE_BITS 20

static inline unsigned __int128 key(entry e)
{
    uint64_t bits;
    memcpy(&bits, &e.time, sizeof bits);
    return (unsigned __int128)bits << 64 | e.tag;
}

/* Puts e at the root's place and sifts it down. */
static inline void sift_root(entry *h, size_t len, entry e)
{
    size_t i = 0;
    unsigned __int128 k = key(e);
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= len)
            break;
        c += c + 1 < len && key(h[c + 1]) < key(h[c]);
        if (!(key(h[c]) < k))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

static inline __attribute__((always_inline)) int run(const double *T, size_t n, int exponential, uint64_t m,
                      unsigned long seed, double *makespan, uint64_t *count)
{
    entry *h = malloc(n * sizeof *h);
    if (!h)
        return -1;
    floor_taus t;
    floor_taus_seed(&t, seed);
    memset(count, 0, n * sizeof *count);
    /* t = 0: devices 0.. take the first tasks; push keeps the heap order. */
    uint64_t seq = 0, started = 0;
    size_t len = 0;
    for (size_t d = 0; d < n && started < m; d++, started++) {
        entry e = {exponential ? T[d] * exp1(&t) : T[d], seq++ << DEVICE_BITS | d};
        size_t i = len++;
        while (i > 0 && key(e) < key(h[(i - 1) / 2])) {
            h[i] = h[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        h[i] = e;
    }
    double now = 0;
    while (len) {
        now = h[0].time;
        size_t d = h[0].tag & ((1u << DEVICE_BITS) - 1);
        count[d]++;
        if (started < m) {
            started++;
            entry e = {now + (exponential ? T[d] * exp1(&t) : T[d]), seq++ << DEVICE_BITS | d};
            sift_root(h, len, e);
        } else {
            len--;
            sift_root(h, len, h[len]);
        }
    }
    *makespan = now;
    free(h);
    return 0;
}

int floor_pull(const double *T, size_t n, int exponential, uint64_t m, unsigned long seed,
               double *makespan, uint64_t *count)
{
    if (n == 0 || n >= (1u << DEVICE_BITS) || m >= (UINT64_C(1) << (64 - DEVICE_BITS)))
        return -1;
    if (!exponential)
        return run(T, n, 0, m, seed, makespan, count);
    floor_tables();
    return run(T, n, 1, m, seed, makespan, count);
}
