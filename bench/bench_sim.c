/*
** bench/bench_sim.c — how fast the simulator is and how much memory it
** takes, measured in one run so the figures can be compared as ratios:
**
**   1. n = 16 devices with T_i = 1.0 + 0.1 i s, deterministic pull, a batch
**      of m = 10^5, 10^6, 10^7 tasks: simulated tasks per wall-clock second,
**      and the peak resident memory after each size (it must stay flat);
**   2. the same with exponential times;
**   3. the whole ablation sweep (scenarios/ablation.ini), without the
**      database, on 1 thread and on every core.
**
** Run: make bench   (or build/bench/bench_sim [scenario])
*/
#include "core/clock.h"
#include "core/error.h"
#include "scenario/scenario.h"
#include "policy/policy.h"
#include "sim/sim.h"
#include "sweep/sweep.h"

#include <stdio.h>
#include <sys/resource.h>

static double peak_rss_mib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_maxrss / 1024.0; /* Linux: KiB */
}

static int pool16(adi_dist d)
{
    adi_sampler dev[16];
    for (int i = 0; i < 16; i++)
        if (adi_sampler_init(&dev[i], d, 1.0 + 0.1 * i, d == ADI_DIST_EXPONENTIAL) != ADI_OK)
            return 1;
    for (unsigned long long m = 100000; m <= 10000000; m *= 10) {
        adi_sim_config c = {.policy = adi_policy_pull.ops, .workload = adi_workload_batch.ops,
                            .n_devices = 16, .device = dev, .tasks = m,
                            .capacity = ADI_CAPACITY_INF, .seed = 1};
        adi_run_result r;
        double t0 = adi_clock_s();
        if (adi_sim_run(&c, &r) != ADI_OK) {
            fprintf(stderr, "bench: %s\n", adi_errmsg());
            return 1;
        }
        double dt = adi_clock_s() - t0;
        printf("n=16 %-13s pull  m=%-9llu %8.3f s  %6.2f M tasks/s  peak RSS %6.1f MiB  "
               "makespan %.10g s\n", adi_dist_name(d), m, dt, (double)m / dt / 1e6,
               peak_rss_mib(), r.makespan);
        adi_run_result_free(&r);
    }
    return 0;
}

static unsigned long long sweep_tasks;

static int count_tasks(void *ctx, const adi_point_result *pr)
{
    (void)ctx;
    sweep_tasks += pr->point->tasks * pr->nruns;
    return 0;
}

static int sweep(const char *path)
{
    adi_scenario *sc;
    if (adi_scenario_load(path, &sc) != ADI_OK) {
        fprintf(stderr, "bench: %s\n", adi_errmsg());
        return 1;
    }
    double single = 0;
    unsigned all = adi_sweep_default_jobs();
    for (unsigned jobs = 1;; jobs = all) {
        adi_sweep_options o = {.jobs = jobs, .point_done = count_tasks};
        sweep_tasks = 0;
        double t0 = adi_clock_s();
        if (adi_sweep_run(sc, &o) != ADI_OK) {
            fprintf(stderr, "bench: %s\n", adi_errmsg());
            return 1;
        }
        double dt = adi_clock_s() - t0;
        if (jobs == 1)
            single = dt;
        printf("%s, %u thread%s: %.3f s, %.2f M tasks/s%s", adi_scenario_name(sc), jobs,
               jobs == 1 ? "" : "s", dt, (double)sweep_tasks / dt / 1e6,
               jobs == 1 ? "\n" : "");
        if (jobs != 1)
            printf(" (%.2fx the single thread)\n", single / dt);
        if (jobs == all)
            break;
    }
    adi_scenario_free(sc);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: bench_sim [SCENARIO.ini]  (default scenarios/ablation.ini)\n");
        return 2;
    }
    printf("adisim " ADI_VERSION " simulator benchmark (%u cores)\n", adi_sweep_default_jobs());
    if (pool16(ADI_DIST_DETERMINISTIC) || pool16(ADI_DIST_EXPONENTIAL))
        return 1;
    return sweep(argc > 1 ? argv[1] : "scenarios/ablation.ini");
}
