/*
** cli/capacity.c — `capacity SCENARIO.ini --latency p99=100ms`: the largest
** Poisson arrival rate each pool of the scenario sustains within a latency
** bound, by simulation and, where a formula exists, analytically
** (sweep/capacity.h). Points that differ only in their rate are one pool.
**
** Exit: 0, or 2 on bad input or usage.
*/
#include "core/error.h"
#include "core/units.h"
#include "scenario/scenario.h"
#include "sweep/capacity.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: capacity SCENARIO.ini --latency pNN=TIME [--confidence C] [--precision P] [--jobs N]\n"
    "\n"
    "For each pool of the scenario (its points, whatever their rate), finds the largest\n"
    "Poisson arrival rate whose steady-state latency quantile (response time from\n"
    "arrival; a lost arrival counts as never served) stays within the bound, by\n"
    "bisection on simulations, and analytically where a formula exists (M/M/c).\n"
    "The simulated answer is a bracket: rates up to the first number are shown to meet\n"
    "the bound, rates above the second are shown to miss it.\n"
    "\n"
    "  --latency B     e.g. p99=100ms or 'p95 <= 2s' (required)\n"
    "  --confidence C  level of the intervals over replications (default 0.95)\n"
    "  --precision P   stop the bisection at P times the throughput bound (default 0.005)\n"
    "  --jobs N        worker threads (default: all cores)\n"
    "  --help, --version\n";

static int fail(const char *msg)
{
    fprintf(stderr, "capacity: %s\n", msg);
    return 2;
}

/* The point's key without its rate: the identity of its pool. */
static void pool_key(const adi_point *p, char *buf, size_t size)
{
    snprintf(buf, size, "%s", p->key);
    char *rate = strstr(buf, " rate=");
    if (rate) {
        char *next = strchr(rate + 1, ' ');
        memmove(rate, next ? next : rate + strlen(rate), strlen(next ? next : "") + 1);
    }
}

static int parse_fraction(const char *text, const char *option, double lo, double hi, double *v)
{
    if (adi_parse_real(text, v) != ADI_OK || !(*v > lo && *v < hi))
        return adi_fail(ADI_EINPUT, "%s: expected a number between %g and %g, got '%s'",
                        option, lo, hi, text);
    return ADI_OK;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"latency", required_argument, NULL, 'l'}, {"confidence", required_argument, NULL, 'c'},
        {"precision", required_argument, NULL, 'p'}, {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    adi_capacity_request req = {.confidence = 0.95, .precision = 0.005};
    const char *latency = NULL;
    uint64_t jobs = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "l:c:p:j:hV", options, NULL)) != -1) {
        int rc = ADI_OK;
        switch (opt) {
        case 'l': latency = optarg; break;
        case 'c': rc = parse_fraction(optarg, "--confidence", 0, 1, &req.confidence); break;
        case 'p': rc = parse_fraction(optarg, "--precision", 0, 0.5, &req.precision); break;
        case 'j':
            if (adi_parse_uint(optarg, 1, &jobs) != ADI_OK || jobs > 4096)
                rc = adi_fail(ADI_EINPUT, "--jobs: expected a number of threads between 1 and 4096");
            break;
        case 'h': fputs(usage, stdout); return 0;
        case 'V': puts("capacity (adisim) " ADI_VERSION); return 0;
        default: fputs(usage, stderr); return 2;
        }
        if (rc != ADI_OK)
            return fail(adi_errmsg());
    }
    if (optind != argc - 1 || !latency) {
        fputs(usage, stderr);
        return 2;
    }
    req.jobs = (unsigned)jobs;
    if (adi_capacity_parse_bound(latency, &req.quantile, &req.bound) != ADI_OK)
        return fail(adi_errmsg());
    adi_scenario *sc;
    if (adi_scenario_load(argv[optind], &sc) != ADI_OK)
        return fail(adi_errmsg());

    char bound[32];
    printf("largest arrival rate with p%g of the response time <= %s (%g%% intervals):\n",
           100 * req.quantile, adi_format_time(req.bound, bound, sizeof bound),
           100 * req.confidence);
    printf("%-7s %5s %7s %5s %10s  %-26s %s\n", "policy", "n", "Q", "h", "R/s",
           "simulated (per s)", "analytic");
    int rc = ADI_OK;
    for (size_t i = 0; i < adi_scenario_npoints(sc) && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        char key[4096], other[4096], q[32], range[64];
        pool_key(p, key, sizeof key);
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) {
            pool_key(adi_scenario_point(sc, j), other, sizeof other);
            seen = strcmp(key, other) == 0;
        }
        if (seen)
            continue;
        snprintf(q, sizeof q, "%llu", (unsigned long long)p->capacity);
        printf("%-7s %5zu %7s %5.2f ", adi_policy_name(p->policy), p->n_devices,
               p->capacity == ADI_CAPACITY_INF ? "inf" : q, p->heterogeneity);
        if (p->infeasible) {
            printf("infeasible: %s\n", p->infeasible);
            continue;
        }
        adi_capacity_result r;
        rc = adi_capacity_search(p, &req, &r);
        if (rc != ADI_OK)
            break;
        snprintf(range, sizeof range, "%.5g .. %.5g", r.safe, r.optimistic);
        printf("%10.5g  %-26s ", r.R, range);
        if (r.has_formula)
            printf("%.5g (M/M/c)\n", r.analytic);
        else
            printf("no formula for this pool\n");
        fflush(stdout);
    }
    adi_scenario_free(sc);
    return rc == ADI_OK ? 0 : fail(adi_errmsg());
}
