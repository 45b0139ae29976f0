/*
** bench/bench_net.c — the engine over a network (sim/net.c): simulated
** tasks per wall-clock second and peak memory of deterministic pull over a
** 16-device star at prefetch k = 1, the star net_compare times SimGrid on
** (bench/peers/net_compare.c, which also times the engine against SimGrid
** in one run): T_i = 1.0 + 0.1 i s, 1 Gbit/s links (125e6 B/s), L_i =
** 100 (1 + 0.01 i) us, 384 KiB in, 4 KiB out, the
** coordinator's link infinite or 1 Gbit/s; m = 10^5, 10^6, 10^7 tasks (the
** memory must stay flat). Then the same without a network, for the ratio:
** what the transfers cost per task.
**
** Run: make bench (or build/bench/bench_net [MAX_TASKS]; below 10^5 it runs
** that many tasks only: instructions per task are the difference of two
** callgrind runs, e.g. 20000 and 70000; a second argument 0, 1 or 2 runs
** one star: the infinite coordinator, the finite one, no network).
*/
#include "core/clock.h"
#include "core/error.h"
#include "policy/policy.h"
#include "sim/sim.h"
#include "sim/workload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

enum { N = 16 };

static double peak_rss_mib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_maxrss / 1024.0; /* Linux: KiB */
}

/* One run of m tasks; coord < 0: no network. Returns its wall time. */
static double run(unsigned long long m, double coord, double *makespan)
{
    adi_sampler dev[N];
    adi_sim_link link[N];
    for (int i = 0; i < N; i++) {
        if (adi_sampler_init(&dev[i], ADI_DIST_DETERMINISTIC, 1.0 + 0.1 * i, 0) != ADI_OK)
            return -1;
        link[i] = (adi_sim_link){125e6, 100e-6 * (1 + 0.01 * i), -1};
    }
    adi_sim_net net = {.link = link, .coord_bw = coord, .s_in = 393216, .s_out = 4096,
                       .prefetch = 1};
    adi_sim_config c = {.policy = coord < 0 ? adi_policy_pull.ops
                                            : adi_policy_net_ops(&adi_policy_pull),
                        .workload = adi_workload_batch.ops, .n_devices = N, .device = dev,
                        .tasks = m, .capacity = ADI_CAPACITY_INF, .seed = 1,
                        .net = coord < 0 ? NULL : &net, .net_mode = adi_policy_pull.net.mode};
    adi_run_result r;
    double t0 = adi_clock_s();
    if (adi_sim_run(&c, &r) != ADI_OK) {
        fprintf(stderr, "bench_net: %s\n", adi_errmsg());
        return -1;
    }
    double dt = adi_clock_s() - t0;
    *makespan = r.makespan;
    adi_run_result_free(&r);
    return dt;
}

int main(int argc, char **argv)
{
    unsigned long long max = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000ULL;
    static const double coords[3] = {INFINITY, 125e6, -1};
    static const char *const names[3] = {"coordinator inf", "coordinator 1 Gbit/s", "no network"};
    int only = argc > 2 ? atoi(argv[2]) : -1; /* 0, 1, 2: one of the three stars */
    for (int j = 0; j < 3; j++)
        for (unsigned long long m = max < 100000 ? max : 100000; m <= max; m *= 10) {
            if (only >= 0 && j != only)
                break;
            double makespan = 0, dt = run(m, coords[j], &makespan);
            if (dt < 0)
                return 1;
            printf("n=16 k=1 pull %-21s m=%-9llu %8.3f s  %6.2f M tasks/s  peak RSS %6.1f MiB  "
                   "makespan %.10g s\n", names[j], m, dt, (double)m / dt / 1e6, peak_rss_mib(),
                   makespan);
        }
    return 0;
}
