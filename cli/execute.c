/*
** cli/execute.c — `execute SCENARIO.ini`: the scenario's points run for real
** on this machine (one thread per device, the calibrated kernels on real
** data, the policy's real queue), stored as measured runs beside their
** simulation, and how far the simulation's predictions are from them.
**
** Exit: 0, or 2 on bad input, a failed execution or a database error.
*/
#include "cli/args.h"
#include "core/error.h"
#include "exec/execute.h"
#include "core/units.h"
#include "report/fidelity.h"
#include "scenario/scenario.h"
#include "exec/execute_into_store.h"
#include "sweep/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { OPT_REPLICATIONS = ADI_CLI_LONG };

static const adi_cli_option options[] = {
    ADI_CLI_OPT_DB("results database (default: results.db)"),
    {"replications", OPT_REPLICATIONS, "N", "runs per point (default: the scenario's "
     "replications)"},
    ADI_CLI_OPT_QUIET("no progress and no table"),
    {NULL, 0, NULL, NULL},
};

static const adi_cli_program program = {
    .name = "execute",
    .usage = "Usage: execute [OPTION]... SCENARIO.ini\n",
    .about = "Runs the points of a calibrated scenario for real on this machine: one thread per\n"
             "device, each running the kernel its profile measured, the tasks handed out by the\n"
             "policy through a real queue (pull), fixed shares (static), rounds (sync) or one\n"
             "thread (serial). Every task is checked. The runs are stored as measured beside\n"
             "the simulation of the same points (simulated first if need be), and the table\n"
             "shows the prediction error of makespan, throughput and p95 latency per point.\n"
             "Runs are interleaved (replication r of every point, then r + 1) so that a slow\n"
             "stretch of the machine does not bias one point. Points already measured on this\n"
             "host are not run again. Only profiles measured on this machine (same CPU model\n"
             "and core count) are executed; other points are listed with the reason.\n",
    .options = options,
    .exit_ok = "executed (and simulated) and stored",
    .exit_bad = "bad input or usage, a failed execution (a wrong result) or a database error",
};

static int fail(const char *msg) { return adi_cli_fail(&program, msg); }

static void progress(void *ctx, const adi_point *p, size_t done, size_t total)
{
    (void)ctx;
    fprintf(stderr, "\rexecute: %zu/%zu runs (last: point %zu, %s, n = %zu)   ", done, total,
            p->index, adi_policy_name(p->policy), p->n_devices);
    if (done == total)
        fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    const char *db = "results.db";
    uint64_t replications = 0;
    int quiet = 0;
    for (int id; (id = adi_cli_next(&program, argc, argv)) != -1;) {
        int rc = ADI_OK;
        switch (id) {
        case ADI_CLI_DB: db = optarg; break;
        case ADI_CLI_QUIET: quiet = 1; break;
        case OPT_REPLICATIONS:
            rc = adi_cli_count("--replications", optarg, 1, 1000, &replications);
            break;
        default: return adi_cli_other(&program, id);
        }
        if (rc != ADI_OK)
            return fail(adi_errmsg());
    }
    if (optind != argc - 1)
        return adi_cli_usage_error(&program);
    adi_scenario *sc;
    if (adi_scenario_load(argv[optind], &sc) != ADI_OK)
        return fail(adi_errmsg());
    if (!adi_scenario_device_kernel(sc, 0)) {
        adi_scenario_free(sc);
        return fail("the scenario's pool is not calibrated: give [devices] profiles (the "
                    "kernels to execute)");
    }
    /* a scenario none of whose points can run here is bad input, refused
    ** before anything is simulated or stored */
    const char *why;
    size_t first = 0, npoints = adi_scenario_npoints(sc);
    while (first < npoints && !adi_execute_supported(sc, adi_scenario_point(sc, first), &why))
        first++;
    if (npoints && first == npoints) {
        const adi_point *p = adi_scenario_point(sc, 0);
        char message[768];
        adi_execute_supported(sc, p, &why); /* point 0's reason */
        snprintf(message, sizeof message, "no point of %s can be executed here (point 0, %s: %s)",
                 argv[optind], adi_policy_name(p->policy), why);
        adi_scenario_free(sc);
        return fail(message);
    }
    char host[256] = "this-host";
    gethostname(host, sizeof host - 1);
    adi_sweep_options so = {0};
    adi_sweep_stats sstats;
    adi_store *st = NULL;
    int rc = adi_sweep_scenario(db, sc, so, &sstats, &st); /* the simulated twins */
    adi_execute_stats estats;
    if (rc == ADI_OK)
        rc = adi_execute_into_store(st, sc, sstats.scenario_id, host, replications, stderr,
                                    !quiet && isatty(STDERR_FILENO) ? progress : NULL, NULL,
                                    &estats);
    adi_fidelity_totals t;
    if (rc == ADI_OK)
        rc = adi_report_fidelity(st, sc, host, quiet ? NULL : stdout, &t);
    if (rc == ADI_OK && !quiet)
        fprintf(stderr, "execute: %s on %s (%u cores): executed %zu points / %llu runs in "
                "%.1f s (%zu measured before); %zu of %zu points within %.0f %% on makespan "
                "and throughput (largest errors: makespan %.1f %%, throughput %.1f %%, p95 "
                "latency %.1f %%; makespan re-predicted with the times the devices ran at: "
                "%.1f %%)\n", adi_scenario_name(sc), host, adi_execute_cores(),
                estats.executed, estats.runs, estats.elapsed_s, estats.stored_before, t.within,
                t.points, ADI_FIDELITY_TARGET, t.worst_makespan, t.worst_throughput, t.worst_p95,
                t.worst_rescaled);
    int status = rc == ADI_OK ? 0 : fail(adi_errmsg());
    adi_store_close(st);
    adi_scenario_free(sc);
    return status;
}
