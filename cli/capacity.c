/*
** cli/capacity.c — `capacity SCENARIO.ini --latency p99=100ms`: the largest
** Poisson arrival rate each pool of the scenario sustains within a latency
** bound, by simulation and, where a formula exists, analytically
** (sweep/capacity.h). Points that differ only in their rate are one pool.
**
** Exit: 0, or 2 on bad input or usage.
*/
#include "cli/args.h"
#include "core/error.h"
#include "core/units.h"
#include "scenario/scenario.h"
#include "sweep/capacity.h"

#include <stdio.h>
#include <stdlib.h>

enum { OPT_LATENCY = ADI_CLI_LONG, OPT_CONFIDENCE, OPT_PRECISION };

static const adi_cli_option options[] = {
    {"latency", OPT_LATENCY, "B", "e.g. p99=100ms or 'p95 <= 2s' (required)"},
    {"confidence", OPT_CONFIDENCE, "C",
     "level of the intervals over replications (default 0.95)"},
    {"precision", OPT_PRECISION, "P", "stop the bisection at P times the throughput bound "
     "(default 0.005)"},
    ADI_CLI_OPT_JOBS("worker threads (default: all cores); results do not depend on it"),
    {NULL, 0, NULL, NULL},
};

static const adi_cli_program program = {
    .name = "capacity",
    .usage = "Usage: capacity --latency pNN=TIME [OPTION]... SCENARIO.ini\n",
    .about = "For each pool of the scenario (its points, whatever their rate), finds the largest\n"
             "Poisson arrival rate whose steady-state latency quantile (response time from\n"
             "arrival; a lost arrival counts as never served) stays within the bound, by\n"
             "bisection on simulations, and analytically where a formula exists (M/M/c).\n"
             "The simulated answer is a bracket: rates up to the first number are shown to meet\n"
             "the bound, rates above the second are shown to miss it.\n",
    .options = options,
    .exit_ok = "every pool searched",
    .exit_bad = "bad input or usage",
};

static int fail(const char *msg) { return adi_cli_fail(&program, msg); }

/* One row: the pool of point p and what the search found. */
static int search(const adi_point *p, const adi_capacity_request *req)
{
    char q[32], range[64];
    snprintf(q, sizeof q, "%llu", (unsigned long long)p->capacity);
    printf("%-7s %5zu %7s %5.2f ", adi_policy_name(p->policy), p->n_devices,
           p->capacity == ADI_CAPACITY_INF ? "inf" : q, p->heterogeneity);
    if (p->infeasible) {
        printf("infeasible: %s\n", p->infeasible);
        return ADI_OK;
    }
    adi_capacity_result r;
    int rc = adi_capacity_search(p, req, &r);
    if (rc != ADI_OK)
        return rc;
    snprintf(range, sizeof range, "%.5g .. %.5g", r.safe, r.optimistic);
    printf("%10.5g  %-26s ", r.R, range);
    if (r.has_formula)
        printf("%.5g (M/M/c)\n", r.analytic);
    else
        printf("no formula for this pool\n");
    fflush(stdout);
    return ADI_OK;
}

int main(int argc, char **argv)
{
    adi_capacity_request req = {.confidence = 0.95, .precision = 0.005};
    const char *latency = NULL;
    uint64_t jobs = 0;
    for (int id; (id = adi_cli_next(&program, argc, argv)) != -1;) {
        int rc = ADI_OK;
        switch (id) {
        case OPT_LATENCY: latency = optarg; break;
        case OPT_CONFIDENCE:
            rc = adi_cli_real("--confidence", optarg, 0, 1, &req.confidence);
            break;
        case OPT_PRECISION:
            rc = adi_cli_real("--precision", optarg, 0, 0.5, &req.precision);
            break;
        case ADI_CLI_JOBS: rc = adi_cli_count("--jobs", optarg, 1, 4096, &jobs); break;
        default: return adi_cli_other(&program, id);
        }
        if (rc != ADI_OK)
            return fail(adi_errmsg());
    }
    if (optind != argc - 1 || !latency)
        return adi_cli_usage_error(&program);
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
    size_t *pools, npools;
    int rc = adi_capacity_pools(sc, &pools, &npools);
    for (size_t i = 0; i < npools && rc == ADI_OK; i++)
        rc = search(adi_scenario_point(sc, pools[i]), &req);
    free(pools);
    adi_scenario_free(sc);
    return rc == ADI_OK ? 0 : fail(adi_errmsg());
}
