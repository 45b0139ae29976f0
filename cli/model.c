/*
** cli/model.c — `model`: the analytic predictions and bounds, no simulation.
**
**   model SCENARIO.ini                 one row per distinct pool of the sweep
**   model --times 1.2,1.5,... --tasks m  the full list for one pool
**
** Exit: 0, or 2 on bad input or usage.
*/
#include "cli/args.h"
#include "core/error.h"
#include "core/units.h"
#include "report/model_report.h"
#include "scenario/scenario.h"

#include <stdio.h>
#include <stdlib.h>

enum { OPT_TIMES = ADI_CLI_LONG, OPT_TASKS };

static const adi_cli_option options[] = {
    {"times", OPT_TIMES, "LIST", "per-device mean task times, comma-separated"},
    {"tasks", OPT_TASKS, "M", "number of tasks"},
    {NULL, 0, NULL, NULL},
};

static const adi_cli_program program = {
    .name = "model",
    .usage = "Usage: model SCENARIO.ini\n"
             "  or:  model --times T1,T2,... --tasks M\n",
    .about = "Prints the analytic model of a pool without simulating: the throughput bound\n"
             "R = sum 1/T_i, the makespan bounds m/R and m/R + max T_i, the optimal makespan\n"
             "for identical tasks, the paper's ceil(m/n) max T_i (= synchronous rounds),\n"
             "serial makespans and speed-ups, and the mean service time n/R next to the\n"
             "paper's arithmetic mean. Times take a unit (s, ms, us, ns); bare numbers are s.\n",
    .options = options,
    .exit_ok = "the model printed",
    .exit_bad = "bad input or usage",
};

static int fail(const char *msg) { return adi_cli_fail(&program, msg); }

static int pool_from_options(const char *list, const char *tasks)
{
    char **items;
    size_t n;
    uint64_t m;
    if (adi_cli_count("--tasks", tasks, 1, UINT64_MAX, &m) != ADI_OK)
        return ADI_EINPUT;
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
    const char *times = NULL, *tasks = NULL;
    for (int id; (id = adi_cli_next(&program, argc, argv)) != -1;) {
        switch (id) {
        case OPT_TIMES: times = optarg; break;
        case OPT_TASKS: tasks = optarg; break;
        default: return adi_cli_other(&program, id);
        }
    }
    if (times || tasks) {
        if (!times || !tasks || optind != argc)
            return fail("--times and --tasks go together, without a scenario file");
        return pool_from_options(times, tasks) == ADI_OK ? 0 : fail(adi_errmsg());
    }
    if (optind != argc - 1)
        return adi_cli_usage_error(&program);
    adi_scenario *sc;
    if (adi_scenario_load(argv[optind], &sc) != ADI_OK)
        return fail(adi_errmsg());
    printf("scenario %s: %zu points\n", adi_scenario_name(sc), adi_scenario_npoints(sc));
    int rc = adi_report_scenario_model(stdout, sc);
    adi_scenario_free(sc);
    return rc == ADI_OK ? 0 : fail(adi_errmsg());
}
