/*
** tests/net_stars.h — random stars for the network's tests (test_network_model.c,
** test_net_engine.c): a reproducible generator (xorshift64*), random and
** adversarial stars, and the job file bench/peers/net_ref and
** simgrid_net_peer read (bench/peers/README.md, "Network jobs").
*/
#ifndef ADI_TESTS_NET_STARS_H
#define ADI_TESTS_NET_STARS_H

#include "helpers.h"
#include "model/network.h"

#include <math.h>

static inline const char *peers(void)
{
    const char *d = getenv("ADISIM_NET_PEERS");
    return d && *d ? d : "build/bench";
}

/* 1 when peers() holds an executable `name`. */
static inline int have_peer(const char *name)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", peers(), name);
    return access(path, X_OK) == 0;
}

/* How many random stars a test runs: $ADISIM_NET_STARS, else 300. */
static inline long star_count(void)
{
    const char *env = getenv("ADISIM_NET_STARS");
    return env && *env ? strtol(env, NULL, 10) : 300;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static double uniform(void) /* [0, 1), xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717u) >> 11) * 0x1p-53;
}

static double log_uniform(double lo, double hi) { return lo * pow(hi / lo, uniform()); }
static size_t pick(size_t n) { return (size_t)(uniform() * (double)n); }

typedef struct case_ {
    adi_netdev dev[16];
    double seg[2];
    adi_star s;
    uint64_t m, k;
} case_;

static void bw_text(double b, char *buf, size_t size)
{
    if (isinf(b))
        snprintf(buf, size, "inf");
    else
        snprintf(buf, size, "%.17g", b);
}

/* A random star; `kind` steers it towards one adversarial corner. */
static void random_case(case_ *c, int kind)
{
    memset(c, 0, sizeof *c);
    static const size_t sizes[] = {1, 2, 3, 4, 5, 8, 16};
    size_t n = sizes[pick(7)];
    for (size_t i = 0; i < n; i++) {
        adi_netdev *d = &c->dev[i];
        d->time = uniform() < 0.2 ? 0.05 : log_uniform(1e-4, 2);
        double r = uniform();
        d->bw = r < 0.15 ? INFINITY : r < 0.3 ? 14400 : r < 0.5 ? 1.25e8 : log_uniform(1e3, 1e9);
        d->latency = uniform() < 0.2 ? 0 : log_uniform(1e-6, 0.02);
        d->segment = -1;
    }
    double in[] = {0, 1, 4096, 393216, 2.5e6}, out[] = {0, 1, 40, 4096, 393216};
    c->s.s_in = uniform() < 0.6 ? in[pick(5)] : floor(log_uniform(1, 1e7));
    c->s.s_out = uniform() < 0.6 ? out[pick(5)] : floor(log_uniform(1, 1e7));
    c->s.coord_bw = uniform() < 0.5 ? INFINITY : log_uniform(1e4, 1e9);
    static const uint64_t ks[] = {0, 0, 1, 1, 2, 3, 7};
    c->k = ks[pick(7)];
    if (uniform() < 0.35) { /* segments over a random subset */
        c->s.nseg = 1 + pick(2);
        for (size_t g = 0; g < c->s.nseg; g++)
            c->seg[g] = log_uniform(1e4, 1e9);
        for (size_t i = 0; i < n; i++)
            c->dev[i].segment = uniform() < 0.6 ? (long)pick(c->s.nseg) : -1;
    }
    switch (kind) {
    case 1: /* one slow UART device among fast ones */
        c->dev[pick(n)] = (adi_netdev){log_uniform(0.01, 1), 14400, 0.005, -1};
        break;
    case 2: /* the coordinator the bottleneck, both ways */
        c->s.coord_bw = log_uniform(1e3, 1e6);
        c->s.s_in = c->s.s_out = floor(log_uniform(100, 1e6));
        break;
    case 3: /* outputs far slower than compute (they pile up) */
        c->s.s_out = floor(log_uniform(1e5, 1e7));
        for (size_t i = 0; i < n; i++)
            c->dev[i].bw = log_uniform(1e4, 1e6);
        break;
    case 4: /* tiny and huge sizes against tiny compute */
        c->s.s_in = uniform() < 0.5 ? 1 : 1e8;
        c->s.s_out = uniform() < 0.5 ? 1 : 1e8;
        for (size_t i = 0; i < n; i++)
            c->dev[i].time = log_uniform(1e-6, 1e-3);
        break;
    case 5: /* one shared segment over every device, finite coordinator */
        c->s.nseg = 1;
        c->seg[0] = log_uniform(1e4, 1e7);
        for (size_t i = 0; i < n; i++)
            c->dev[i].segment = 0;
        c->s.coord_bw = log_uniform(1e4, 1e8);
        break;
    default: break;
    }
    c->s.n = n;
    c->s.dev = c->dev;
    c->s.seg_bw = c->seg;
    uint64_t fill = n * (c->k + 1);
    double r = uniform();
    c->m = r < 0.1 ? 1 : r < 0.2 ? fill : r < 0.3 ? fill + 1 : r < 0.4 ? (fill > 1 ? fill - 1 : 1)
                    : 1 + pick(300);
}

/* The job file of star c (m tasks at prefetch k) at path. */
static inline void write_star_job(const case_ *c, const char *path)
{
    char b[40];
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    bw_text(c->s.coord_bw, b, sizeof b);
    fprintf(f, "star %zu %zu %s\n", c->s.n, c->s.nseg, b);
    for (size_t g = 0; g < c->s.nseg; g++) {
        bw_text(c->s.seg_bw[g], b, sizeof b);
        fprintf(f, "seg %s\n", b);
    }
    for (size_t i = 0; i < c->s.n; i++) {
        bw_text(c->dev[i].bw, b, sizeof b);
        fprintf(f, "dev %.17g %s %.17g %ld\n", c->dev[i].time, b, c->dev[i].latency,
                c->dev[i].segment);
    }
    fprintf(f, "pull %llu %llu %.17g %.17g\n", (unsigned long long)c->m,
            (unsigned long long)c->k, c->s.s_in, c->s.s_out);
    assert_int_equal(fclose(f), 0);
}

#endif
