/*
** cli/simulate.c — `simulate SCENARIO.ini`: run a scenario's sweep, store
** it, print the summary; `--shard I/K` runs a share of it; `--merge` joins
** shard databases. Only options and exit codes live here; the work is in
** the library (scenario/, sweep/, store/, report/).
**
** Exit: 0 all checks hold, 1 a bound check failed, 2 bad input or usage.
*/
#include "core/error.h"
#include "core/memory.h"
#include "core/outfile.h"
#include "report/model_report.h"
#include "report/report.h"
#include "scenario/scenario.h"
#include "store/merge.h"
#include "store/store.h"
#include "sweep/into_store.h"
#include "sweep/mpi.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: simulate SCENARIO.ini [--db FILE] [--jobs N] [--csv FILE] [--shard I/K] [--quiet]\n"
    "                [--max-memory SIZE]\n"
    "       simulate --merge SHARD.db... [--db FILE] [--quiet]\n"
    "       simulate --list-keys\n"
    "       simulate --list-policies\n"
    "\n"
    "Runs every point of the scenario's sweep (policy x devices x queue capacity x\n"
    "heterogeneity x ...), checks each run against the analytic bounds, stores\n"
    "everything in SQLite and prints one row per point. Points already stored\n"
    "under the same scenario name are not run again.\n"
    "\n"
    "  --db FILE     results database (default: results.db)\n"
    "  --jobs N      worker threads (default: all cores); results do not depend on it\n"
    "  --csv FILE    also write the summary table as CSV\n"
    "  --shard I/K   run only points I, I+K, I+2K, ... (I from 1 to K), e.g. one job of\n"
    "                a batch-scheduler array; join the shard databases with --merge\n"
    "  --merge       copy the results of the SHARD.db files into --db, in sweep order:\n"
    "                the result equals a single run's database row for row\n"
    "  --quiet       no progress line and no table, only errors and failed checks\n"
    "  --max-memory SIZE  refuse a scenario whose estimated peak memory is larger\n"
    "                (16G, 512M, 75%; default: half of physical memory)\n"
    "  --list-keys   print every scenario key as a Markdown table and exit\n"
    "  --list-policies  print every policy (name, what it does, the devices it uses,\n"
    "                the workloads it runs) and exit\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 all checks hold, 1 a bound check failed, 2 bad input.\n";

static int rank; /* MPI rank: only rank 0 speaks */

static int fail(const char *msg)
{
    if (rank == 0)
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

static int parse_shard(const char *text, unsigned *shard, unsigned *shards)
{
    unsigned i, k;
    char end;
    if (sscanf(text, "%u/%u%c", &i, &k, &end) != 2 || k < 1 || i < 1 || i > k || k > 1000000)
        return adi_fail(ADI_EINPUT, "--shard: expected I/K with 1 <= I <= K, got '%s'", text);
    *shard = i - 1;
    *shards = k;
    return ADI_OK;
}

/* --merge: shard databases into db, then each merged scenario's table. */
static int merge(const char *db, char **shards, int n, int quiet)
{
    adi_store *st;
    if (adi_store_open(db, 1, &st) != ADI_OK)
        return fail(adi_errmsg());
    adi_merge_stats ms = {0};
    adi_report_totals t = {0}, all = {0};
    int rc = adi_store_merge_files(st, (const char *const *)shards, (size_t)n, &ms);
    for (size_t i = 0; i < ms.nnames && rc == ADI_OK; i++) {
        rc = adi_report_stored(st, ms.names[i], quiet ? NULL : stdout, stderr, &t);
        all.checks += t.checks;
        all.failed += t.failed;
    }
    if (rc == ADI_OK && !quiet)
        fprintf(stderr, "simulate: merged %d database%s into %s: %zu new points; %zu checks, "
                "%zu failed\n", n, n == 1 ? "" : "s", db, ms.points_added, all.checks, all.failed);
    adi_merge_stats_free(&ms);
    adi_store_close(st);
    return rc != ADI_OK ? fail(adi_errmsg()) : all.failed ? 1 : 0;
}

static int run(int argc, char **argv);

int main(int argc, char **argv)
{
    rank = adi_mpi_start(&argc, &argv);
    int status = run(argc, argv);
    adi_mpi_stop();
    return status;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},   {"jobs", required_argument, NULL, 'j'},
        {"csv", required_argument, NULL, 'c'},  {"shard", required_argument, NULL, 's'},
        {"merge", no_argument, NULL, 'm'},      {"quiet", no_argument, NULL, 'q'},
        {"list-keys", no_argument, NULL, 'k'},  {"help", no_argument, NULL, 'h'},
        {"max-memory", required_argument, NULL, 'M'},
        {"list-policies", no_argument, NULL, 'P'},
        {"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0},
    };
    const char *db = "results.db", *csv = NULL;
    adi_sweep_options so = {0};
    long jobs = 0;
    int quiet = 0, merging = 0, opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "d:j:c:s:mqhV", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'c': csv = optarg; break;
        case 'q': quiet = 1; break;
        case 'm': merging = 1; break;
        case 's':
            if (parse_shard(optarg, &so.shard, &so.shards) != ADI_OK)
                return fail(adi_errmsg());
            break;
        case 'j':
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 4096)
                return fail("--jobs: expected a number of threads between 1 and 4096");
            break;
        case 'M':
            if (adi_memory_set_cap(optarg) != ADI_OK)
                return fail(adi_errmsg());
            break;
        case 'k': list_keys(); return 0;
        case 'P': return adi_report_policies(stdout) == ADI_OK ? 0 : fail(adi_errmsg());
        case 'h': fputs(usage, stdout); return 0;
        case 'V': puts("simulate (adisim) " ADI_VERSION); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (merging) {
        if (optind == argc || csv || so.shards)
            return fail("--merge takes shard databases (and --db, --quiet), not a scenario");
        return merge(db, argv + optind, argc - optind, quiet);
    }
    if (optind != argc - 1) {
        fputs(usage, stderr);
        return 2;
    }

    adi_scenario *sc;
    if (adi_scenario_load(argv[optind], &sc) != ADI_OK)
        return fail(adi_errmsg());
    so.jobs = (unsigned)jobs;
    if (adi_sweep_check_memory(sc, so.jobs) != ADI_OK) { /* before the database is touched */
        adi_scenario_free(sc);
        return fail(adi_errmsg());
    }
    /* The CSV's temporary file next: a path that cannot be written costs
    ** nothing, and the file appears whole after the sweep or not at all. */
    adi_outfile *csvf = NULL;
    if (csv && rank == 0 && adi_outfile_open(csv, &csvf) != ADI_OK) {
        adi_scenario_free(sc);
        return fail(adi_errmsg());
    }
    so.progress = !quiet && rank == 0 && isatty(STDERR_FILENO) ? progress : NULL;
    adi_sweep_stats stats;
    adi_report_totals totals = {0};
    adi_store *st = NULL;
    int sharded = so.shards > 1;
    int rc = adi_sweep_scenario(db, sc, so, &stats, &st);
    if (rc == ADI_OK && !st) { /* another MPI rank: rank 0 reports */
        adi_scenario_free(sc);
        return 0;
    }
    if (rc == ADI_OK) /* a shard's table would list the other shards' points as missing */
        rc = adi_report_scenario(st, sc, quiet || sharded ? NULL : stdout,
                                 csvf ? adi_outfile_stream(csvf) : NULL, stderr, &totals);
    if (rc == ADI_OK && csvf) {
        rc = adi_outfile_commit(csvf);
        csvf = NULL;
        if (rc != ADI_OK) { /* the points are whole and stored: say so */
            char why[1024];
            snprintf(why, sizeof why, "%s", adi_errmsg());
            adi_fail(rc, "%s (the results themselves are stored in %s)", why, db);
        }
    }
    adi_outfile_abort(csvf);
    char meanwhile[128] = "";
    if (stats.stored_meanwhile)
        snprintf(meanwhile, sizeof meanwhile, " (%zu of them stored meanwhile by another process: "
                 "its rows kept)", stats.stored_meanwhile);
    if (rc == ADI_OK && !quiet)
        fprintf(stderr, "simulate: %s%s: %zu points (%zu infeasible, %zu already stored), ran "
                "%zu points / %llu runs in %.2f s%s; %zu checks, %zu failed; results in %s\n",
                adi_scenario_name(sc), sharded ? " (one shard)" : "", stats.points,
                stats.infeasible, stats.stored_before, stats.ran, stats.runs, stats.elapsed_s,
                meanwhile, totals.checks, totals.failed, db);
    int status = rc != ADI_OK ? fail(adi_errmsg()) : totals.failed ? 1 : 0;
    adi_store_close(st);
    adi_scenario_free(sc);
    return status;
}
