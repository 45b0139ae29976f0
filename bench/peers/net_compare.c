/*
** bench/peers/net_compare.c — pull with prefetch over a star in two
** independent programs, compared completion by completion: net_ref (the
** plain reference on sim/flow.h) and simgrid_net_peer (SimGrid's CM02
** flow model). Every task's completion time must agree to 1e-9 relative,
** device by device.
**
**   net_compare --bin DIR --test    the set of small stars (tests/test_net_peers.c)
**   net_compare --bin DIR [--quick] the same, then timed runs of a 16-device
**                                   star at k = 1 (make bench-peers): both
**                                   programs, and adisim's engine in-process
**                                   (sim/net.c), tasks/s and the ratios to
**                                   SimGrid
**
** The set crosses 1, 2, 3 and 16 devices, an infinite and a finite
** coordinator link, no segment and one over half the devices, prefetch 0, 1
** and 3, sizes from 0 B to 2.5 MB, and LAN, Wi-Fi and UART-slow (115200
** bit/s) links. Device parameters are drawn from a fixed seed and distinct,
** so no two devices' requests reach the coordinator at the same instant
** (which of two tied requests is served first is each tool's own affair).
** Stars whose flows share finite resources only with flows of the same
** latency are also run with SimGrid's own latency phase (--latency links),
** which must agree too; one star with different latencies sharing the
** coordinator link must not (SimGrid then weighs flows by 1/latency): the
** comparison can tell.
**
** Output compared: the multiset of (device, completion time) pairs, sorted
** by device then time, so tasks of one device that are interchangeable
** (equal inputs arriving together) do not count as a difference.
*/
#include "core/clock.h"
#include "core/error.h"
#include "policy/policy.h"
#include "sim/sim.h"
#include "sim/workload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAXDEV = 16 };

typedef struct spec {
    const char *what;
    size_t n;
    double coord;           /* bytes/s */
    int seg;                /* devices [0, n/2 rounded up) behind one segment */
    double seg_bw;
    double t[MAXDEV], bw[MAXDEV], lat[MAXDEV];
    unsigned long long m, k;
    double s_in, s_out;
    int links;              /* 1: --latency links must agree; -1: must disagree */
} spec;

typedef struct pair {
    long dev;
    double t;
} pair;

typedef struct result {
    pair *p;
    size_t n, cap;
} result;

static char bindir[512] = "build/bench";
static char tmp[256];

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;
static double uniform(void) /* xorshift64*: a fixed stream on every machine */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) * 0x1.0p-53;
}

/* Link classes: bandwidth (bytes/s) and one-way latency (s), each spread
** by a random factor so devices differ. */
static const struct { const char *name; double bw, lat; } classes[3] = {
    {"LAN", 125e6, 100e-6}, {"Wi-Fi", 6.25e6, 2e-3}, {"UART", 14400, 5e-3}};

static void make_star(int j, spec *s)
{
    static const size_t ns[4] = {1, 2, 3, 16};
    static const unsigned long long ks[3] = {0, 1, 3};
    static const double sizes[5][2] = {{0, 0}, {1, 0}, {393216, 4096}, {2.5e6, 1e6}, {0, 65536}};
    memset(s, 0, sizeof *s);
    s->n = ns[j % 4];
    s->k = ks[j % 3];
    int cls = (j / 4) % 3;
    s->s_in = sizes[j % 5][0];
    s->s_out = sizes[j % 5][1];
    if (cls == 2 && s->s_in > 1e5) /* UART: a 2.5 MB input takes minutes, keep it */
        s->s_in = round(s->s_in / 10); /* whole bytes: SimGrid's sizes are integers */
    double sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->bw[i] = round(classes[cls].bw * (0.5 + uniform()));
        s->lat[i] = classes[cls].lat * (0.5 + uniform());
        /* compute comparable to a transfer, so both matter */
        double xfer = (s->s_in + s->s_out) / s->bw[i] + 2 * s->lat[i];
        s->t[i] = (0.2 + 2 * uniform()) * (xfer > 1e-3 ? xfer : 1e-3);
        sum += s->bw[i];
    }
    s->coord = (j / 2) % 2 ? round(0.6 * sum) : INFINITY;
    s->seg = s->n >= 2 && (j / 3) % 2;
    s->seg_bw = s->seg ? round(0.7 * sum / 2) : 0;
    s->m = 2 * s->n + 5 + (unsigned long long)(j % 4);
    s->what = classes[cls].name;
}

static int write_job(const char *path, const spec *s)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "# %s\nstar %zu %d ", s->what, s->n, s->seg);
    if (isinf(s->coord))
        fprintf(f, "inf\n");
    else
        fprintf(f, "%.17g\n", s->coord);
    if (s->seg)
        fprintf(f, "seg %.17g\n", s->seg_bw);
    for (size_t i = 0; i < s->n; i++)
        fprintf(f, "dev %.17g %.17g %.17g %d\n", s->t[i], s->bw[i], s->lat[i],
                s->seg && i < (s->n + 1) / 2 ? 0 : -1);
    fprintf(f, "pull %llu %llu %.17g %.17g\n", s->m, s->k, s->s_in, s->s_out);
    return fclose(f);
}

static int by_device_time(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return (x->t > y->t) - (x->t < y->t);
}

/* Runs `program args < job > out`; reads the completions. 0, or -1. */
static int run(const char *program, const char *args, const char *job, result *r, double *wall)
{
    char cmd[2048], out[300];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(cmd, sizeof cmd, "'%s/%s' %s < '%s' > '%s' 2>'%s/err'", bindir, program, args, job,
             out, tmp);
    double t0 = adi_clock_s();
    int rc = system(cmd);
    if (wall)
        *wall = adi_clock_s() - t0;
    if (rc != 0) {
        fprintf(stderr, "net_compare: %s %s failed on %s (see %s/err)\n", program, args, job, tmp);
        return -1;
    }
    FILE *f = fopen(out, "r");
    if (!f)
        return -1;
    r->n = 0;
    pair p;
    while (fscanf(f, " done %ld %lf", &p.dev, &p.t) == 2) {
        if (r->n == r->cap) {
            r->cap = r->cap ? 2 * r->cap : 256;
            pair *q = realloc(r->p, r->cap * sizeof *q);
            if (!q)
                return fclose(f), -1;
            r->p = q;
        }
        r->p[r->n++] = p;
    }
    fclose(f);
    qsort(r->p, r->n, sizeof *r->p, by_device_time);
    return 0;
}

/* The largest relative difference between two runs' completions (INFINITY
** when a task count or a device differs). */
static double difference(const result *a, const result *b)
{
    if (a->n != b->n)
        return INFINITY;
    double worst = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->p[i].dev != b->p[i].dev)
            return INFINITY;
        double x = a->p[i].t, y = b->p[i].t, d = fabs(x - y) / fmax(fabs(x), fabs(y));
        if (x != y && d > worst)
            worst = d;
    }
    return worst;
}

static double makespan(const result *r)
{
    double t = 0;
    for (size_t i = 0; i < r->n; i++)
        t = fmax(t, r->p[i].t);
    return t;
}

/* The unequal-latency star: two devices with 5 ms and 0.5 ms on a shared
** 1 MB/s coordinator link. */
static void unequal_star(spec *s)
{
    memset(s, 0, sizeof *s);
    s->what = "unequal latencies on a shared coordinator";
    s->n = 2;
    s->coord = 1e6;
    s->t[0] = 0.3, s->bw[0] = 8e5, s->lat[0] = 5e-3;
    s->t[1] = 0.45, s->bw[1] = 9e5, s->lat[1] = 5e-4;
    s->m = 20, s->k = 1, s->s_in = 393216, s->s_out = 4096;
    s->links = -1;
}

/* Do all flows that share a finite resource have the same latency? */
static int shared_latencies_equal(const spec *s)
{
    int coord_shared = !isinf(s->coord) && s->n > 1;
    for (size_t i = 1; i < s->n; i++) {
        int both_seg = s->seg && i < (s->n + 1) / 2;
        if ((coord_shared || both_seg) && s->lat[i] != s->lat[0])
            return 0;
    }
    return 1;
}

static int compare_set(int count, size_t *tasks, double *worst_out, int *links)
{
    result a = {0}, b = {0}, c = {0};
    int bad = 0;
    double worst = 0;
    char job[300];
    snprintf(job, sizeof job, "%s/job", tmp);
    for (int j = 0; j <= count; j++) {
        spec s;
        if (j < count)
            make_star(j, &s);
        else
            unequal_star(&s);
        if (j < count && shared_latencies_equal(&s))
            s.links = 1;
        if (write_job(job, &s) != 0 || run("net_ref", "", job, &a, NULL) != 0 ||
            run("simgrid_net_peer", "", job, &b, NULL) != 0)
            return -1;
        double d = difference(&a, &b);
        *tasks += a.n;
        if (!(d <= 1e-9)) {
            printf("star %d (%zu devices, %s): net_ref and SimGrid differ by %g\n", j, s.n, s.what, d);
            bad = 1;
        }
        if (d > worst)
            worst = d;
        *links += s.links > 0;
        if (s.links) {
            if (run("simgrid_net_peer", "--latency links", job, &c, NULL) != 0)
                return -1;
            double dl = difference(&a, &c);
            if (s.links > 0 && !(dl <= 1e-9)) {
                printf("star %d: SimGrid with latencies on its links differs by %g\n", j, dl);
                bad = 1;
            } else if (s.links < 0) {
                printf("with latencies on SimGrid's links (flows weighted 1/L), %s: "
                       "makespan %.6g s against %.6g s, %s, as expected\n", s.what,
                       makespan(&c), makespan(&a),
                       isinf(dl) ? "tasks run on other devices" : "completions differ");
                if (!(dl > 1e-3))
                    bad = 1, printf("  ... which should have been large\n");
            }
        }
    }
    free(a.p);
    free(b.p);
    free(c.p);
    *worst_out = worst;
    return bad;
}

/* adisim's engine on the star, in this process (adi_sim_run, pull over
** the network): its wall time and makespan, or -1. */
static double engine(const spec *s, double *makespan)
{
    adi_sampler dev[MAXDEV];
    adi_sim_link link[MAXDEV];
    for (size_t i = 0; i < s->n; i++) {
        if (adi_sampler_init(&dev[i], ADI_DIST_DETERMINISTIC, s->t[i], 0) != ADI_OK)
            return -1;
        link[i] = (adi_sim_link){s->bw[i], s->lat[i], -1};
    }
    adi_sim_net net = {.link = link, .coord_bw = s->coord, .s_in = s->s_in, .s_out = s->s_out,
                       .prefetch = s->k};
    adi_sim_config c = {.policy = adi_policy_net_ops(&adi_policy_pull),
                        .workload = adi_workload_batch.ops, .n_devices = s->n, .device = dev,
                        .tasks = s->m, .capacity = ADI_CAPACITY_INF, .seed = 1, .net = &net,
                        .net_mode = adi_policy_pull.net.mode};
    adi_run_result r;
    double t0 = adi_clock_s();
    if (adi_sim_run(&c, &r) != ADI_OK) {
        fprintf(stderr, "net_compare: the engine: %s\n", adi_errmsg());
        return -1;
    }
    double wall = adi_clock_s() - t0;
    *makespan = r.makespan;
    adi_run_result_free(&r);
    return wall;
}

/* A 16-device star at prefetch 1, timed whole-process in both tools and
** in-process in adisim's engine (whose makespan must be net_ref's). */
static int timed(unsigned long long m, double coord)
{
    spec s;
    memset(&s, 0, sizeof s);
    s.n = 16;
    s.coord = coord;
    s.k = 1;
    s.m = m;
    s.s_in = 393216;
    s.s_out = 4096;
    for (size_t i = 0; i < s.n; i++) {
        s.t[i] = 1.0 + 0.1 * (double)i;
        s.bw[i] = 125e6;
        s.lat[i] = 100e-6 * (1 + 0.01 * (double)i);
    }
    char job[300];
    snprintf(job, sizeof job, "%s/job", tmp);
    result a = {0}, b = {0};
    double wa, wb;
    if (write_job(job, &s) != 0 || run("net_ref", "", job, &a, &wa) != 0 ||
        run("simgrid_net_peer", "", job, &b, &wb) != 0)
        return -1;
    double d = difference(&a, &b), last = 0, makespan = 0, we = engine(&s, &makespan);
    for (size_t i = 0; i < a.n; i++)
        last = fmax(last, a.p[i].t);
    int same = we > 0 && fabs(makespan - last) <= 1e-9 * last;
    printf("%-18s %9llu %12.3g %12.3g %8.1fx %12.3g %8.1fx   %s\n",
           isinf(coord) ? "B_c = inf" : "B_c = 1 Gbit/s", m, (double)m / wa, (double)m / wb,
           wb / wa, (double)m / we, wb / we,
           d <= 1e-9 && same ? "agree" : "DIFFER");
    free(a.p);
    free(b.p);
    return d <= 1e-9 && same ? 0 : 1;
}

int main(int argc, char **argv)
{
    int test = 0, quick = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--bin") == 0 && a + 1 < argc)
            snprintf(bindir, sizeof bindir, "%s", argv[++a]);
        else if (strcmp(argv[a], "--test") == 0)
            test = 1;
        else if (strcmp(argv[a], "--quick") == 0)
            quick = 1;
        else {
            fprintf(stderr, "usage: net_compare [--bin DIR] [--test | --quick]\n");
            return 2;
        }
    }
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/net-compare-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("net_compare: mkdtemp");
        return 2;
    }
    size_t tasks = 0;
    double worst = 0;
    int count = 36, links = 0;
    int rc = compare_set(count, &tasks, &worst, &links);
    if (rc >= 0)
        printf("net_compare: %d stars, %zu tasks: %s (largest relative difference %.3g; %d "
               "stars also with the latencies on SimGrid's links)\n", count + 1, tasks,
               rc ? "SOME DIFFER" : "every completion time within 1e-9", worst, links);
    if (rc == 0 && !test) {
        printf("\n%-18s %9s %12s %12s %9s %12s %9s\n", "16 devices, k = 1", "tasks",
               "net_ref/s", "SimGrid/s", "ratio", "adisim/s", "ratio");
        unsigned long long m = quick ? 10000 : 200000;
        rc = timed(m, INFINITY) != 0 || timed(m, 125e6) != 0;
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "net_compare: could not remove %s\n", tmp);
    return rc < 0 ? 2 : rc;
}
