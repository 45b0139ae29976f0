/*
** bench/peers/adisim_peer.c — adisim's simulator behind the peers' job-file
** interface (bench/peers/README.md), so it is timed exactly like them.
*/
#include "core/error.h"
#include "policy/policy.h"
#include "sim/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    unsigned long jobs;
    if (scanf(" jobs %lu", &jobs) != 1) {
        fprintf(stderr, "adisim_peer: expected 'jobs N'\n");
        return 2;
    }
    for (unsigned long j = 0; j < jobs; j++) {
        char policy[16], dist[16];
        double cv;
        unsigned long seed;
        unsigned long long m;
        size_t n;
        if (scanf(" job %15s %15s %lf %lu %llu %zu", policy, dist, &cv, &seed, &m, &n) != 6) {
            fprintf(stderr, "adisim_peer: job %lu is malformed\n", j);
            return 2;
        }
        adi_sampler *dev = calloc(n, sizeof *dev);
        adi_dist d;
        const adi_policy_desc *p = NULL;
        if (!dev || adi_dist_parse(dist, &d) != ADI_OK || adi_policy_parse(policy, &p) != ADI_OK)
            return fprintf(stderr, "adisim_peer: %s\n", adi_errmsg()), 2;
        for (size_t i = 0; i < n; i++) {
            double t;
            if (scanf("%lf", &t) != 1 || adi_sampler_init(&dev[i], d, t, d == ADI_DIST_EXPONENTIAL ? 1 : cv) != ADI_OK)
                return fprintf(stderr, "adisim_peer: job %lu: bad device %zu\n", j, i), 2;
        }
        adi_sim_config c = {.policy = p->ops, .workload = adi_workload_batch.ops, .n_devices = n,
                            .device = dev, .tasks = m, .capacity = ADI_CAPACITY_INF,
                            .seed = seed};
        adi_run_result r;
        if (adi_sim_run(&c, &r) != ADI_OK)
            return fprintf(stderr, "adisim_peer: %s\n", adi_errmsg()), 2;
        printf("result %.17g", r.makespan);
        for (size_t i = 0; i < n; i++)
            printf(" %llu", (unsigned long long)r.device[i].tasks);
        putchar('\n');
        adi_run_result_free(&r);
        free(dev);
    }
    return 0;
}
