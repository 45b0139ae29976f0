/*
** cli/simulate.c — `simulate SCENARIO.ini`: run a scenario's sweep, store
** it, print the summary; `--shard I/K` runs a share of it; `--merge` joins
** shard databases. Only options and exit codes live here; the work is in
** the library (scenario/, sweep/, store/, report/).
**
** Exit: 0 all checks hold, 1 a bound check failed, 2 bad input or usage.
*/
#include "cli/args.h"
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
#include "sweep/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_CSV = ADI_CLI_LONG, OPT_SHARD, OPT_MERGE, OPT_MAX_MEMORY, OPT_LIST_KEYS, OPT_LIST_POLICIES };

static const adi_cli_option options[] = {
    ADI_CLI_OPT_DB("results database (default: results.db)"),
    ADI_CLI_OPT_JOBS("worker threads (default: all cores); results do not depend on it"),
    {"csv", OPT_CSV, "FILE", "also write the summary table as CSV"},
    {"shard", OPT_SHARD, "I/K", "run only points I, I+K, I+2K, ... (I from 1 to K), e.g. one "
     "job of a batch-scheduler array; join the shard databases with --merge"},
    {"merge", OPT_MERGE, NULL, "copy the results of the SHARD.db files into --db, in sweep "
     "order: the result equals a single run's database row for row"},
    ADI_CLI_OPT_QUIET("no progress line and no table, only errors and failed checks"),
    {"max-memory", OPT_MAX_MEMORY, "SIZE", "refuse a scenario whose estimated peak memory is "
     "larger (16G, 512M, 75%; default: half of physical memory)"},
    {"list-keys", OPT_LIST_KEYS, NULL, "print every scenario key as a Markdown table and exit"},
    {"list-policies", OPT_LIST_POLICIES, NULL, "print every policy (name, what it does, the "
     "devices it uses, the workloads it runs) and exit"},
    {NULL, 0, NULL, NULL},
};

static const adi_cli_program program = {
    .name = "simulate",
    .usage = "Usage: simulate [OPTION]... SCENARIO.ini\n"
             "  or:  simulate --merge [--db FILE] [--quiet] SHARD.db...\n"
             "  or:  simulate --list-keys\n"
             "  or:  simulate --list-policies\n",
    .about = "Runs every point of the scenario's sweep (policy x devices x queue capacity x\n"
             "heterogeneity x ...), checks each run against the analytic bounds, stores\n"
             "everything in SQLite and prints one row per point. Points already stored\n"
             "under the same scenario name are not run again.\n",
    .options = options,
    .exit_ok = "all checks hold",
    .exit_check = "a bound check failed",
    .exit_bad = "bad input or usage, or a file or database that cannot be written",
};

static int rank; /* MPI rank: only rank 0 speaks */

static int fail(const char *msg)
{
    return rank == 0 ? adi_cli_fail(&program, msg) : 2;
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

/* I/K, two counts (core/units.h) with 1 <= I <= K. */
static int parse_shard(const char *text, unsigned *shard, unsigned *shards)
{
    char first[32];
    const char *slash = strchr(text, '/');
    uint64_t i, k;
    if (!slash || snprintf(first, sizeof first, "%.*s", (int)(slash - text), text) >= 32 ||
        adi_parse_uint(first, 1, &i) != ADI_OK || adi_parse_uint(slash + 1, 1, &k) != ADI_OK ||
        i > k || k > 1000000)
        return adi_fail(ADI_EINPUT, "--shard: expected I/K with 1 <= I <= K, got '%s'", text);
    *shard = (unsigned)(i - 1);
    *shards = (unsigned)k;
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
    const char *db = "results.db", *csv = NULL;
    adi_sweep_options so = {0};
    uint64_t jobs = 0;
    int quiet = 0, merging = 0;
    for (int id; (id = adi_cli_next(&program, argc, argv)) != -1;) {
        int rc = ADI_OK;
        switch (id) {
        case ADI_CLI_DB: db = optarg; break;
        case OPT_CSV: csv = optarg; break;
        case ADI_CLI_QUIET: quiet = 1; break;
        case OPT_MERGE: merging = 1; break;
        case OPT_SHARD: rc = parse_shard(optarg, &so.shard, &so.shards); break;
        case ADI_CLI_JOBS: rc = adi_cli_count("--jobs", optarg, 1, 4096, &jobs); break;
        case OPT_MAX_MEMORY: rc = adi_memory_set_cap(optarg); break;
        case OPT_LIST_KEYS: list_keys(); return 0;
        case OPT_LIST_POLICIES: return adi_report_policies(stdout) == ADI_OK ? 0 : fail(adi_errmsg());
        default: return adi_cli_other(&program, id);
        }
        if (rc != ADI_OK)
            return fail(adi_errmsg());
    }
    if (merging) {
        if (optind == argc || csv || so.shards)
            return fail("--merge takes shard databases (and --db, --quiet), not a scenario");
        return merge(db, argv + optind, argc - optind, quiet);
    }
    if (optind != argc - 1)
        return adi_cli_usage_error(&program);

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
