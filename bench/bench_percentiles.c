/*
** bench/bench_percentiles.c — what exact percentiles cost against the
** streaming histogram, in time and memory, as ratios measured in one run.
**
** Cases: n = 16 devices with T_i = 1.0 + 0.1 i s, pull, m = 10^6 and 10^7
** tasks, as (a) a batch of deterministic tasks, (b) a batch of exponential
** tasks (in a batch the latencies arrive in completion order, so the kept
** array is nearly sorted), and (c) Poisson arrivals at 90 % of the
** throughput bound with exponential tasks (latencies in random order: the
** hard case for a selection). Each measurement is a fresh process (this
** program with --one), so each has its own peak RSS; streaming and exact
** take turns, five of each (a run is repeated while other processes took
** over a tenth of a core beside it, proc.h), and the table gives the
** medians: wall time of the whole process, peak RSS, and exact / streaming.
**
** Run: make bench   (or build/bench/bench_percentiles; --reps N)
*/
#include "bench/proc.h"
#include "core/error.h"
#include "policy/policy.h"
#include "sim/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BATCH_DET, BATCH_EXP, POISSON_EXP, CASES };
static const char *const case_names[CASES] = {"batch deterministic", "batch exponential",
                                              "poisson 0.9 R, exponential"};

/* --one CASE M EXACT: one run, printing its percentiles. */
static int one(int kase, unsigned long long m, int exact)
{
    adi_sampler dev[16];
    double R = 0;
    adi_dist d = kase == BATCH_DET ? ADI_DIST_DETERMINISTIC : ADI_DIST_EXPONENTIAL;
    for (int i = 0; i < 16; i++) {
        if (adi_sampler_init(&dev[i], d, 1.0 + 0.1 * i, d == ADI_DIST_EXPONENTIAL) != ADI_OK)
            return 1;
        R += 1 / (1.0 + 0.1 * i);
    }
    adi_sim_config c = {.policy = adi_policy_pull.ops, .n_devices = 16, .device = dev, .tasks = m,
                        .capacity = ADI_CAPACITY_INF, .seed = 1, .exact_percentiles = exact};
    c.workload = kase == POISSON_EXP ? adi_workload_poisson.ops : adi_workload_batch.ops;
    c.rate = 0.9 * R;
    adi_run_result r;
    if (adi_sim_run(&c, &r) != ADI_OK) {
        fprintf(stderr, "bench_percentiles: %s\n", adi_errmsg());
        return 1;
    }
    printf("%.17g %.17g %.17g %.17g\n", r.lat_p50, r.lat_p95, r.lat_p99, r.makespan);
    adi_run_result_free(&r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--one") == 0)
        return one(atoi(argv[2]), strtoull(argv[3], NULL, 10), atoi(argv[4]));
    int reps = 5;
    if (argc == 3 && strcmp(argv[1], "--reps") == 0)
        reps = atoi(argv[2]);
    else if (argc != 1) {
        fprintf(stderr, "usage: bench_percentiles [--reps N]\n");
        return 2;
    }
    if (reps < 1 || reps > 100)
        reps = 5;
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        return fprintf(stderr, "bench_percentiles: cannot find itself\n"), 1;
    self[len] = 0;
    char out[64];
    snprintf(out, sizeof out, "/tmp/bench_percentiles.%d", (int)getpid());
    printf("exact against streaming percentiles, n = 16 pull, medians of %d interleaved "
           "processes\n", reps);
    printf("%-28s %9s  %10s %10s %7s  %9s %9s\n", "case", "m", "stream s", "exact s",
           "ratio", "stream MiB", "exact MiB");
    for (int kase = 0; kase < CASES; kase++)
        for (unsigned long long m = 1000000; m <= 10000000; m *= 10) {
            double wall[2][100], rss[2][100];
            int disturbed = 0;
            double p99[2] = {0, 0};
            for (int k = 0; k < reps; k++)
                for (int exact = 0; exact < 2; exact++) {
                    char ks[8], ms[24], es[4];
                    snprintf(ks, sizeof ks, "%d", kase);
                    snprintf(ms, sizeof ms, "%llu", m);
                    snprintf(es, sizeof es, "%d", exact);
                    char *args[] = {self, "--one", ks, ms, es, NULL};
                    bench_proc p;
                    if (bench_proc_run_quiet(args, NULL, out, &p, &disturbed) != 0)
                        return fprintf(stderr, "bench_percentiles: a run failed\n"), 1;
                    wall[exact][k] = p.wall;
                    rss[exact][k] = p.rss_mib;
                    FILE *f = fopen(out, "r");
                    if (!f || fscanf(f, "%*g %*g %lg", &p99[exact]) != 1)
                        return fprintf(stderr, "bench_percentiles: no result\n"), 1;
                    fclose(f);
                }
            double ws = bench_median(wall[0], (size_t)reps), we = bench_median(wall[1], (size_t)reps);
            printf("%-28s %9llu  %10.3f %10.3f %6.2fx  %9.1f %9.1f   p99 %.6g / %.6g s\n",
                   case_names[kase], m, ws, we, we / ws, bench_median(rss[0], (size_t)reps),
                   bench_median(rss[1], (size_t)reps), p99[0], p99[1]);
            if (disturbed)
                printf("  (%d of %d runs had other processes beside them)\n", disturbed, 2 * reps);
        }
    remove(out);
    return 0;
}
