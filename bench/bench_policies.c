/*
** bench/bench_policies.c — what each scheduling policy costs the engine,
** measured in one run so the figures compare as ratios: every policy of the
** table (and pull's variants: idle_choice = fastest, random; pull_batch =
** 4) on n = 16 devices with T_i = 1.0 + 0.1 i s and exponential times,
**
**   a batch of m = 10^6 tasks at t = 0 (the policies that run batches), and
**   10^6 Poisson arrivals at 0.8 R (the policies that run open workloads),
**
** each the median of 3 runs taking turns, in simulated tasks per second and
** as a ratio to pull on the same workload, with the peak resident memory so
** far. serial runs on one device (its only pool), so its ratio compares a
** different pool and is left out. Nothing here is checked: the tests do
** that; this only says how fast.
**
** Run: make bench   (or build/bench/bench_policies [--tasks M])
*/
#include "core/clock.h"
#include "core/error.h"
#include "policy/policy.h"
#include "sim/sim.h"
#include "sim/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define N 16
#define REPS 3
#define BATCH 4

static double peak_rss_mib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_maxrss / 1024.0; /* Linux: KiB */
}

typedef struct variant {
    const char *label;
    const adi_policy_desc *policy;
    adi_idle_choice idle;
    uint64_t batch;
} variant;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Seconds of one run (median of REPS), or a negative number on failure. */
static double time_run(const variant *v, const adi_sampler *dev, size_t n, uint64_t m,
                       int open, double rate)
{
    static double row[BATCH + 1];
    static const double *rows[N];
    for (uint64_t k = 0; k <= BATCH; k++) /* T_i(k) = T_i (0.5 + 0.5 k) */
        row[k] = k == 0 ? 0 : 0.5 + 0.5 * (double)k;
    for (size_t i = 0; i < N; i++)
        rows[i] = row;
    adi_sim_policy_params prm = adi_sim_default_params;
    prm.idle_choice = v->idle;
    prm.batch = v->batch;
    prm.batch_scale = v->batch > 1 ? rows : NULL;
    adi_sim_config c = {.policy = adi_policy_run_ops(v->policy, &prm, 0),
                        .workload = open ? adi_workload_poisson.ops : adi_workload_batch.ops,
                        .n_devices = n, .device = dev, .tasks = m, .rate = open ? rate : 0,
                        .capacity = ADI_CAPACITY_INF, .overflow = ADI_OVERFLOW_BLOCK,
                        .seed = 1, .params = &prm};
    double t[REPS];
    for (int r = 0; r < REPS; r++) {
        adi_run_result res;
        double t0 = adi_clock_s();
        if (adi_sim_run(&c, &res) != ADI_OK) {
            fprintf(stderr, "bench_policies: %s: %s\n", v->label, adi_errmsg());
            return -1;
        }
        t[r] = adi_clock_s() - t0;
        adi_run_result_free(&res);
    }
    qsort(t, REPS, sizeof *t, cmp_double);
    return t[REPS / 2];
}

int main(int argc, char **argv)
{
    uint64_t m = 1000000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tasks") == 0 && i + 1 < argc)
            m = strtoull(argv[++i], NULL, 10);
        else
            return fprintf(stderr, "usage: bench_policies [--tasks M]\n"), 2;
    }
    adi_sampler dev[N];
    double R = 0;
    for (int i = 0; i < N; i++) {
        if (adi_sampler_init(&dev[i], ADI_DIST_EXPONENTIAL, 1.0 + 0.1 * i, 1) != ADI_OK)
            return fprintf(stderr, "bench_policies: %s\n", adi_errmsg()), 1;
        R += 1 / (1.0 + 0.1 * i);
    }
    variant vs[32];
    size_t nv = 0;
    for (size_t i = 0; i < adi_policy_count() && nv < 28; i++) {
        const adi_policy_desc *p = adi_policy_at(i);
        vs[nv++] = (variant){adi_policy_name(p), p, ADI_IDLE_LONGEST, 1};
        if (p == &adi_policy_pull) {
            vs[nv++] = (variant){"pull fastest", p, ADI_IDLE_FASTEST, 1};
            vs[nv++] = (variant){"pull random", p, ADI_IDLE_RANDOM, 1};
            vs[nv++] = (variant){"pull b=4", p, ADI_IDLE_LONGEST, BATCH};
        }
    }
    printf("adisim policies benchmark: n = %d, T_i = 1 + 0.1 i s, exponential, m = %llu, "
           "medians of %d\n", N, (unsigned long long)m, REPS);
    for (int open = 0; open <= 1; open++) {
        printf("%s\n", open ? "Poisson arrivals at 0.8 R:" : "a batch at t = 0:");
        double base = 0;
        for (size_t j = 0; j < nv; j++) {
            const variant *v = &vs[j];
            if (!(v->policy->workloads & (open ? ADI_WORKLOADS_OPEN : ADI_WORKLOADS_CLOSED)))
                continue;
            size_t n = v->policy->devices == ADI_DEVICES_ONE ? 1 : N;
            double rate = 0.8 * (n == 1 ? 1 / 1.0 : R);
            double dt = time_run(v, dev, n, m, open, rate);
            if (dt < 0)
                return 1;
            if (v->policy == &adi_policy_pull && v->idle == ADI_IDLE_LONGEST && v->batch == 1)
                base = dt;
            printf("  %-14s %8.3f s  %6.2f M tasks/s", v->label, dt, (double)m / dt / 1e6);
            if (base > 0 && n == N)
                printf("  %5.2fx pull's time", dt / base);
            printf("  peak RSS %6.1f MiB\n", peak_rss_mib());
        }
    }
    return 0;
}
