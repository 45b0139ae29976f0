/*
** bench/bench_db.c — what the results database costs a sweep, measured in
** one run so that the figures compare as ratios (docs/performance.md, "The
** database"):
**
**   1. scenarios/ablation.ini from scratch (1350 runs, 1.35 10^7 tasks):
**      bin/simulate into a new database file, into :memory:, and the same
**      sweep with no database at all (this program's --sweep-only: the
**      library's sweep, checks included, the points only counted), whole
**      processes taking turns, medians of wall and CPU time. file ÷
**      :memory: is the goal of issue 14 (at most 1.15).
**   2. bench/db_sweep.ini (the ablation's points with 75 000 tasks a run:
**      1.01 10^8 tasks) into a new database file with --jobs 1 and with
**      --jobs 2, taking turns, medians; jobs 1 ÷ jobs 2 is the goal's
**      other half (at least 1.7 on two cores).
**   3. What the ablation's database file is: its size and rows per table,
**      and the system calls that made it (strace -f -c, when installed):
**      fdatasync, fsync, pwrite64, write, unlink.
**   4. Instructions (valgrind --tool=callgrind, when installed): the
**      ablation with --jobs 1 into a file, into :memory: and without a
**      database; the difference is what the store executes.
**
** Every run starts from no database and is repeated, from no database
** again, while other processes took more than a tenth of a core beside it
** (bench/proc.h's bench_proc_run_fresh), ten times at most; the runs that never
** had the machine to themselves are counted and printed, since a speed-up
** on two cores means nothing while someone else holds one of them.
**
** Run: make bench   (or build/bench/bench_db [--reps N] [--big-reps N]
**      [--no-callgrind] [--simulate PATH], from the repository root)
*/
#include "bench/proc.h"
#include "core/error.h"
#include "scenario/scenario.h"
#include "sweep/sweep.h"

#include <sqlite3.h>
#include <sys/stat.h>

static char dir[64], simulate[4096] = "bin/simulate", self[4096];
static char ablation[] = "scenarios/ablation.ini", big[] = "bench/db_sweep.ini";
static int disturbed;

/* --sweep-only SCENARIO JOBS: the sweep without a database. */
static unsigned long long swept;

static int count_point(void *ctx, const adi_point_result *pr)
{
    (void)ctx;
    swept += pr->point->tasks * pr->nruns;
    return ADI_OK;
}

static int sweep_only(const char *path, unsigned jobs)
{
    adi_scenario *sc;
    if (adi_scenario_load(path, &sc) != ADI_OK) {
        fprintf(stderr, "bench_db: %s\n", adi_errmsg());
        return 1;
    }
    adi_sweep_options o = {.jobs = jobs, .point_done = count_point};
    int rc = adi_sweep_run(sc, &o);
    if (rc != ADI_OK)
        fprintf(stderr, "bench_db: %s\n", adi_errmsg());
    adi_scenario_free(sc);
    return rc != ADI_OK;
}

enum { TO_FILE, TO_MEMORY, NO_DB };
static const char *const target_name[] = {"into a new file", "into :memory:", "no database"};

/* The argv of one run of `scenario` with `jobs` ("0": all cores), after
** prefix (NULL or a NULL-ended list, e.g. valgrind's). */
static void command(int target, char *scenario, char *jobs, char *db, char **prefix,
                    char **argv)
{
    int n = 0;
    for (; prefix && prefix[n]; n++)
        argv[n] = prefix[n];
    if (target == NO_DB) {
        argv[n++] = self;
        argv[n++] = "--sweep-only";
        argv[n++] = scenario;
        argv[n++] = jobs;
    } else {
        argv[n++] = simulate;
        argv[n++] = scenario;
        argv[n++] = "--db";
        argv[n++] = target == TO_FILE ? db : ":memory:";
        argv[n++] = "--quiet";
        if (strcmp(jobs, "0") != 0) {
            argv[n++] = "--jobs";
            argv[n++] = jobs;
        }
    }
    argv[n] = NULL;
}

/* One measured run from scratch (bench_proc_run_fresh: the file removed
** before each attempt). */
static int measure(int target, char *scenario, char *jobs, bench_proc *p)
{
    char db[128], *argv[24];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    command(target, scenario, jobs, db, NULL, argv);
    int rc = bench_proc_run_fresh(argv, NULL, NULL, db, p, &disturbed);
    if (rc != 0)
        fprintf(stderr, "bench_db: %s %s (%s) failed\n", argv[0], scenario, target_name[target]);
    return rc;
}

/* 1: the ablation three ways, taking turns. */
static int ablation_ratio(int reps)
{
    double wall[3][64], cpu[3][64];
    for (int r = 0; r < reps; r++)
        for (int t = 0; t < 3; t++) {
            bench_proc p;
            if (measure(t, ablation, "0", &p) != 0)
                return -1;
            wall[t][r] = p.wall;
            cpu[t][r] = p.user + p.sys;
        }
    double w[3], c[3];
    printf("%s from scratch, all cores, medians of %d runs taking turns:\n", ablation, reps);
    for (int t = 0; t < 3; t++) {
        w[t] = bench_median(wall[t], (size_t)reps);
        c[t] = bench_median(cpu[t], (size_t)reps);
        printf("  %-16s %7.3f s  CPU %7.3f s\n", target_name[t], w[t], c[t]);
    }
    printf("  file / :memory:  %.3fx (CPU %.3fx)   [goal <= 1.15]\n", w[TO_FILE] / w[TO_MEMORY],
           c[TO_FILE] / c[TO_MEMORY]);
    printf("  file / no database %.3fx, :memory: / no database %.3fx\n", w[TO_FILE] / w[NO_DB],
           w[TO_MEMORY] / w[NO_DB]);
    return 0;
}

/* 2: --jobs 1 against --jobs 2 on 10^8 tasks into a file. */
static int jobs_ratio(int reps)
{
    static char one[] = "1", two[] = "2", *const jobs[2] = {one, two};
    double wall[2][64], cpu[2][64];
    for (int r = 0; r < reps; r++)
        for (int j = 0; j < 2; j++) {
            bench_proc p;
            if (measure(TO_FILE, big, jobs[j], &p) != 0)
                return -1;
            wall[j][r] = p.wall;
            cpu[j][r] = p.user + p.sys;
        }
    printf("\n%s (1.01e8 tasks) into a new file, medians of %d runs taking turns:\n", big, reps);
    double w[2], c[2];
    for (int j = 0; j < 2; j++) {
        w[j] = bench_median(wall[j], (size_t)reps);
        c[j] = bench_median(cpu[j], (size_t)reps);
        printf("  --jobs %s  %7.3f s  CPU %7.3f s\n", jobs[j], w[j], c[j]);
    }
    printf("  --jobs 1 / --jobs 2  %.3fx   [goal >= 1.7]\n", w[0] / w[1]);
    return 0;
}

static long long scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* 3: the file and the system calls that made it. */
static int file_and_syscalls(void)
{
    char db[128], out[160], *argv[24];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    snprintf(out, sizeof out, "%s/strace.txt", dir);
    bench_remove_db(db);
    int traced = access("/usr/bin/strace", X_OK) == 0;
    char *prefix[] = {"/usr/bin/strace", "-f", "-c", "-o", out, NULL};
    command(TO_FILE, ablation, "0", db, traced ? prefix : NULL, argv);
    bench_proc p;
    if (bench_proc_run(argv, NULL, NULL, &p) != 0)
        return fprintf(stderr, "bench_db: %s failed\n", argv[0]), -1;
    struct stat sb;
    sqlite3 *h;
    if (stat(db, &sb) != 0 || sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return fprintf(stderr, "bench_db: %s: cannot read it\n", db), -1;
    printf("\n%s's database file: %.2f MiB, schema %lld; rows:", ablation,
           (double)sb.st_size / 1048576.0, scalar(h, "PRAGMA user_version"));
    sqlite3_stmt *s;
    sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                       &s, NULL);
    while (sqlite3_step(s) == SQLITE_ROW) {
        char sql[160];
        const char *table = (const char *)sqlite3_column_text(s, 0);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
        long long n = scalar(h, sql);
        if (n > 0)
            printf(" %s %lld", table, n);
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    putchar('\n');
    if (!traced) {
        printf("system calls: skipped, strace is not installed\n");
        return 0;
    }
    static const char *const calls[] = {"fdatasync", "fsync", "pwrite64", "write", "unlink",
                                        "futex"};
    long long count[6] = {0};
    FILE *f = fopen(out, "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        double pct, secs;
        long long usecs, n;
        char name[64];
        /* "% time seconds usecs/call calls [errors] syscall" */
        if (sscanf(line, "%lf %lf %lld %lld %63s", &pct, &secs, &usecs, &n, name) != 5)
            continue;
        char *last = strrchr(line, ' ');
        if (last)
            sscanf(last, " %63s", name);
        for (int k = 0; k < 6; k++)
            if (strcmp(name, calls[k]) == 0)
                count[k] = n;
    }
    if (f)
        fclose(f);
    remove(out);
    printf("system calls (strace -f -c):");
    for (int k = 0; k < 6; k++)
        printf(" %s %lld", calls[k], count[k]);
    putchar('\n');
    return 0;
}

/* Callgrind's instruction count of one run (0 on failure). */
static double instructions(int target)
{
    char db[128], out[160], opt[200], *argv[24];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    snprintf(out, sizeof out, "%s/callgrind.out", dir);
    snprintf(opt, sizeof opt, "--callgrind-out-file=%s", out);
    char *prefix[] = {"/usr/bin/valgrind", "--tool=callgrind", "-q", opt, NULL};
    bench_remove_db(db);
    command(target, ablation, "1", db, prefix, argv);
    bench_proc p;
    if (bench_proc_run(argv, NULL, NULL, &p) != 0)
        return 0;
    return bench_callgrind_ir(out);
}

/* 4: the ablation's instructions three ways. */
static int instruction_counts(void)
{
    if (access("/usr/bin/valgrind", X_OK) != 0) {
        printf("\ninstructions: skipped, valgrind is not installed (tools/install-bench-deps.sh)\n");
        return 0;
    }
    double ir[3];
    for (int t = 0; t < 3; t++)
        if (!(ir[t] = instructions(t)))
            return fprintf(stderr, "bench_db: callgrind failed\n"), -1;
    printf("\ninstructions (callgrind, %s, --jobs 1):\n", ablation);
    for (int t = 0; t < 3; t++)
        printf("  %-16s %14.0f  (%.3fx no database)\n", target_name[t], ir[t], ir[t] / ir[NO_DB]);
    printf("  the store into a file: %.0f (%.1f %% of the whole)\n", ir[TO_FILE] - ir[NO_DB],
           100 * (ir[TO_FILE] - ir[NO_DB]) / ir[TO_FILE]);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--sweep-only") == 0)
        return sweep_only(argv[2], (unsigned)strtoul(argv[3], NULL, 10));
    int reps = 5, big_reps = 3, callgrind = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--big-reps") == 0 && i + 1 < argc)
            big_reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-callgrind") == 0)
            callgrind = 0;
        else if (strcmp(argv[i], "--simulate") == 0 && i + 1 < argc)
            snprintf(simulate, sizeof simulate, "%s", argv[++i]);
        else {
            fprintf(stderr, "usage: bench_db [--reps N] [--big-reps N] [--no-callgrind] "
                            "[--simulate PATH]\n");
            return 2;
        }
    }
    if (reps < 1 || reps > 64 || big_reps < 0 || big_reps > 64)
        return fprintf(stderr, "bench_db: --reps 1..64, --big-reps 0..64\n"), 2;
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        return fprintf(stderr, "bench_db: cannot find its own program\n"), 1;
    self[len] = '\0';
    snprintf(dir, sizeof dir, "/tmp/bench_db.XXXXXX");
    if (!mkdtemp(dir))
        return fprintf(stderr, "bench_db: cannot make a temporary folder\n"), 1;
    printf("adisim " ADI_VERSION " database benchmark (%u cores; %s)\n", adi_sweep_default_jobs(),
           simulate);
    int rc = ablation_ratio(reps);
    if (rc == 0 && big_reps)
        rc = jobs_ratio(big_reps);
    if (rc == 0)
        rc = file_and_syscalls();
    if (rc == 0 && callgrind)
        rc = instruction_counts();
    if (disturbed)
        printf("(%d of the runs never had the machine to themselves: other processes took more "
               "than a tenth of a core beside them)\n", disturbed);
    char db[128];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    bench_remove_db(db);
    rmdir(dir);
    return rc != 0;
}
