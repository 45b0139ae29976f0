/*
** bench/bench_flow.c — transfers per second through the bandwidth-sharing
** module (sim/flow.h), alone, on the traffic of a 16-device star at
** prefetch k = 1: each device keeps two inputs (384 KiB) coming down and
** one output (4 KiB) going up, over 1 Gbit/s links (125e6 B/s, slightly
** different per device so no two flows finish together). Every completion
** is one transfer: the flow is removed and the device's next one of the
** same kind starts at once, so the population stays at 48 flows (32 down,
** 16 up) and each transfer costs one removal and one start, each with its
** recomputation.
**
**   coordinator inf        a component is one device direction (2 or 1 flows)
**   coordinator 1 Gbit/s   all downloads are one component (32 flows), all
**                          uploads another: every change moves all their
**                          rates (sim/flow.c's share_hub computes them)
**
** Also the peak memory after 10^6 and 10^7 transfers: it must not grow.
** Run: make bench (or build/bench/bench_flow [TRANSFERS [inf|finite]]); for
** instruction counts, valgrind --tool=callgrind build/bench/bench_flow 100000 inf.
*/
#include "core/clock.h"
#include "core/error.h"
#include "sim/flow.h"

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

/* Resources: device i up 2i, down 2i + 1; the coordinator up 2N, down 2N + 1. */
static int start(adi_flownet *net, uint32_t dev, int down)
{
    uint32_t path[2] = {2 * dev + (uint32_t)down, 2 * N + (uint32_t)down}, id;
    return adi_flow_start(net, down ? 393216 : 4096, path, 2, 2 * dev + (uint64_t)down, &id);
}

/* Runs `transfers` completions; returns the seconds taken, or -1. */
static double run(double coord, unsigned long long transfers)
{
    double cap[2 * N + 2];
    for (int i = 0; i < N; i++)
        cap[2 * i] = cap[2 * i + 1] = 125e6 * (1 + 0.01 * i);
    cap[2 * N] = cap[2 * N + 1] = coord;
    adi_flownet *net;
    if (adi_flow_new(&net, 2 * N + 2, cap) != ADI_OK)
        return -1;
    int rc = ADI_OK;
    for (uint32_t d = 0; d < N && rc == ADI_OK; d++)
        rc = start(net, d, 1) || start(net, d, 1) || start(net, d, 0);
    double t0 = adi_clock_s();
    for (unsigned long long k = 0; k < transfers && rc == ADI_OK; k++) {
        double t;
        uint32_t id;
        adi_flow_next(net, &t, &id);
        uint64_t tag = adi_flow_tag(net, id);
        rc = adi_flow_advance(net, t) || adi_flow_remove(net, id) ||
             start(net, (uint32_t)(tag / 2), (int)(tag % 2));
    }
    double dt = adi_clock_s() - t0;
    double now = adi_flow_now(net);
    adi_flow_free(net);
    if (rc != ADI_OK) {
        fprintf(stderr, "bench_flow: %s\n", adi_errmsg());
        return -1;
    }
    /* a sanity figure: simulated seconds, so a broken share shows */
    fprintf(stderr, "  (%llu transfers over %.6g simulated s)\n", transfers, now);
    return dt;
}

int main(int argc, char **argv)
{
    unsigned long long only = argc > 1 ? strtoull(argv[1], NULL, 10) : 0;
    int which = argc > 2 ? (argv[2][0] == 'i' ? 0 : 1) : -1; /* inf or finite only */
    printf("adisim " ADI_VERSION " bandwidth-sharing benchmark: 16 devices, k = 1, 48 flows\n");
    const double coords[2] = {INFINITY, 125e6};
    for (int c = 0; c < 2; c++) {
        if (which >= 0 && c != which)
            continue;
        for (unsigned long long m = 1000000; m <= 10000000; m *= 10) {
            unsigned long long n = only ? only : m;
            double dt = run(coords[c], n);
            if (dt < 0)
                return 1;
            printf("coordinator %-10s %9llu transfers %7.3f s  %6.2f M transfers/s  %5.0f ns each  "
                   "peak RSS %5.1f MiB\n", isinf(coords[c]) ? "inf" : "1 Gbit/s", n, dt,
                   (double)n / dt / 1e6, dt / (double)n * 1e9, peak_rss_mib());
            if (only)
                break;
        }
    }
    return 0;
}
