/*
** cli/model.c — `model`: the analytic predictions and bounds, no simulation.
**
**   model SCENARIO.ini                 one row per distinct pool of the sweep
**   model --times 1.2,1.5,... --tasks m  the full list for one pool
**
** Exit: 0, or 2 on bad input or usage.
*/
#include "core/error.h"
#include "core/units.h"
#include "report/model_report.h"
#include "scenario/scenario.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "usage: model SCENARIO.ini\n"
    "       model --times T1,T2,... --tasks M\n"
    "\n"
    "Prints the analytic model of a pool without simulating: the throughput bound\n"
    "R = sum 1/T_i, the makespan bounds m/R and m/R + max T_i, the optimal makespan\n"
    "for identical tasks, the paper's ceil(m/n) max T_i (= synchronous rounds),\n"
    "serial makespans and speed-ups, and the mean service time n/R next to the\n"
    "paper's arithmetic mean. Times take a unit (s, ms, us, ns); bare numbers are s.\n"
    "\n"
    "  --times LIST  per-device mean task times, comma-separated\n"
    "  --tasks M     number of tasks\n"
    "  --help, --version\n";

static int fail(const char *msg)
{
    fprintf(stderr, "model: %s\n", msg);
    return 2;
}

static int pool_from_options(const char *list, const char *tasks)
{
    char **items;
    size_t n;
    uint64_t m;
    if (adi_parse_uint(tasks, 1, &m) != ADI_OK)
        return fail(adi_errmsg()), adi_fail_prefix(ADI_EINPUT, "--tasks");
    if (adi_split_list(list, &items, &n) != ADI_OK)
        return adi_fail_prefix(ADI_EINPUT, "--times");
    double *times = malloc(n * sizeof *times);
    int rc = times ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && rc == ADI_OK; i++)
        if ((rc = adi_parse_time(items[i], &times[i])) == ADI_OK && times[i] <= 0)
            rc = adi_fail(ADI_EINPUT, "expected a time > 0, got '%s'", items[i]);
    if (rc != ADI_OK)
        adi_fail_prefix(rc, "--times");
    if (rc == ADI_OK)
        rc = adi_report_pool(stdout, times, n, m);
    free(times);
    free(items);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"times", required_argument, NULL, 't'}, {"tasks", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *times = NULL, *tasks = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "t:m:hV", options, NULL)) != -1) {
        switch (opt) {
        case 't': times = optarg; break;
        case 'm': tasks = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        case 'V': puts("model (adisim) " ADI_VERSION); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (times || tasks) {
        if (!times || !tasks || optind != argc)
            return fail("--times and --tasks go together, without a scenario file");
        return pool_from_options(times, tasks) == ADI_OK ? 0 : fail(adi_errmsg());
    }
    if (optind != argc - 1) {
        fputs(usage, stderr);
        return 2;
    }
    adi_scenario *sc;
    if (adi_scenario_load(argv[optind], &sc) != ADI_OK)
        return fail(adi_errmsg());
    printf("scenario %s: %zu points\n", adi_scenario_name(sc), adi_scenario_npoints(sc));
    int rc = adi_report_scenario_model(stdout, sc);
    adi_scenario_free(sc);
    return rc == ADI_OK ? 0 : fail(adi_errmsg());
}
