/*
** cli/simulate.c — `simulate SCENARIO.ini`: run a scenario's sweep, store
** it, print the summary. Only options and exit codes live here; the work is
** in the library (scenario/, sweep/, store/, report/).
**
** Exit: 0 all checks hold, 1 a bound check failed, 2 bad input or usage.
*/
#include "core/error.h"
#include "report/report.h"
#include "scenario/scenario.h"
#include "store/store.h"
#include "sweep/into_store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: simulate SCENARIO.ini [--db FILE] [--jobs N] [--csv FILE] [--quiet]\n"
    "       simulate --list-keys\n"
    "\n"
    "Runs every point of the scenario's sweep (policy x devices x queue capacity x\n"
    "heterogeneity x ...), checks each run against the analytic bounds, stores\n"
    "everything in SQLite and prints one row per point. Points already stored\n"
    "under the same scenario name are not run again.\n"
    "\n"
    "  --db FILE     results database (default: results.db)\n"
    "  --jobs N      worker threads (default: all cores); results do not depend on it\n"
    "  --csv FILE    also write the summary table as CSV\n"
    "  --quiet       no progress line and no table, only errors and failed checks\n"
    "  --list-keys   print every scenario key as a Markdown table and exit\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 all checks hold, 1 a bound check failed, 2 bad input.\n";

static int fail(const char *msg)
{
    fprintf(stderr, "simulate: %s\n", msg);
    return 2;
}

static void list_keys(void)
{
    puts("| section | key | in [sweep] | default | meaning |");
    puts("|---|---|---|---|---|");
    for (size_t i = 0; i < adi_scenario_key_count(); i++) {
        adi_key_doc d = adi_scenario_key_doc(i);
        printf("| %s | `%s` | %s%s%s | %s | %s |\n", d.section, d.key, d.sweep ? "`" : "",
               d.sweep ? d.sweep : "", d.sweep ? "`" : "", d.default_value ? d.default_value : "",
               d.help);
    }
}

static void progress(void *ctx, size_t done, size_t total, unsigned long long tasks,
                     double elapsed)
{
    (void)ctx;
    double left = done ? elapsed * (double)(total - done) / (double)done : 0;
    fprintf(stderr, "\rsimulate: %zu/%zu points, %.3g tasks/s, %.0f s left   ", done, total,
            elapsed > 0 ? (double)tasks / elapsed : 0, left);
    if (done == total)
        fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},   {"jobs", required_argument, NULL, 'j'},
        {"csv", required_argument, NULL, 'c'},  {"quiet", no_argument, NULL, 'q'},
        {"list-keys", no_argument, NULL, 'k'},  {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0},
    };
    const char *db = "results.db", *csv = NULL;
    long jobs = 0;
    int quiet = 0, opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "d:j:c:qhV", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'c': csv = optarg; break;
        case 'q': quiet = 1; break;
        case 'j':
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 4096)
                return fail("--jobs: expected a number of threads between 1 and 4096");
            break;
        case 'k': list_keys(); return 0;
        case 'h': fputs(usage, stdout); return 0;
        case 'V': puts("simulate (adisim) " ADI_VERSION); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        fputs(usage, stderr);
        return 2;
    }

    adi_scenario *sc;
    if (adi_scenario_load(argv[optind], &sc) != ADI_OK)
        return fail(adi_errmsg());
    adi_store *st;
    if (adi_store_open(db, 1, &st) != ADI_OK) {
        adi_scenario_free(sc);
        return fail(adi_errmsg());
    }
    adi_sweep_options so = {.jobs = (unsigned)jobs,
                            .progress = !quiet && isatty(STDERR_FILENO) ? progress : NULL};
    adi_sweep_stats stats;
    adi_report_totals totals = {0};
    adi_point_summary *rows = calloc(adi_scenario_npoints(sc), sizeof *rows);
    int rc = rows ? adi_sweep_into_store(st, sc, so, &stats) : adi_fail(ADI_ENOMEM, "out of memory");
    if (rc == ADI_OK)
        rc = adi_report_collect(st, sc, rows, &totals);
    if (rc == ADI_OK && !quiet)
        adi_report_table(sc, rows, stdout);
    if (rc == ADI_OK && csv)
        rc = adi_report_csv(sc, rows, csv);
    if (rc == ADI_OK && totals.failed)
        rc = adi_report_failures(st, sc, stderr, 20);
    if (rc == ADI_OK && !quiet)
        fprintf(stderr, "simulate: %s: %zu points (%zu infeasible, %zu already stored), ran "
                "%zu points / %llu runs in %.2f s; %zu checks, %zu failed; results in %s\n",
                adi_scenario_name(sc), stats.points, stats.infeasible, stats.stored_before,
                stats.ran, stats.runs, stats.elapsed_s, totals.checks, totals.failed, db);
    int status = rc != ADI_OK ? fail(adi_errmsg()) : totals.failed ? 1 : 0;
    free(rows);
    adi_store_close(st);
    adi_scenario_free(sc);
    return status;
}
