/*
** bench/bench_floor.c — bin/simulate against the yardstick kernel
** (bench/floor/floor.h), the least a greedy-pull simulation can do per
** task with the same results.
**
**   1. Results. n = 16 devices with T_i = 1.0 + 0.1 i s, a batch of m =
**      10^7 tasks, deterministic and exponential: the makespan and the
**      per-device counts that bin/simulate stores equal the kernel's, bit
**      for bit (a difference is reported and fails the benchmark).
**   2. Time. Whole processes, start-up included, taking turns (simulate
**      into a fresh database file, simulate into :memory:, the kernel),
**      five of each (a run is repeated while other processes took over a
**      tenth of a core beside it, proc.h); medians of wall and of CPU
**      time, and simulate / kernel as ratios. The file database adds what writing one run
**      costs on this disk (its fsyncs are wall time, not CPU).
**   3. Instructions per task (valgrind --tool=callgrind, when installed):
**      for n = 16, 256, 4096 (T_i = 1 + 0.1 i), (Ir at m = 10^6 - Ir at
**      m = 10^5) / (9 10^5) for each program, so start-up and the database
**      cancel out, and a least-squares fit a + b log2 n of each.
**
** The goal is bin/simulate within 1.3x of the kernel's whole
** process on both n = 16 jobs; this benchmark reports where it stands.
**
** Run: make bench   (or build/bench/bench_floor [--reps N] [--tasks M]
**      [--no-callgrind] [--simulate PATH] [--floor PATH], from the
**      repository root; tools/install-bench-deps.sh installs valgrind)
*/
#include "bench/proc.h"
#include "core/error.h"
#include "check/checks.h"
#include "scenario/scenario.h"
#include "sweep/sweep.h"

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>

static char dir[64];
static char simulate[4096] = "bin/simulate", floor_bin[4096];

typedef struct job {
    const char *dist;
    size_t n;
    unsigned long long m;
    char ini[128], input[128]; /* the scenario; the kernel's stdin */
} job;

/* Writes the scenario and, from what the library makes of it (the
** devices' times as parsed, the run's stream seed), the kernel's input. */
static int prepare(job *j, const char *dist, size_t n, unsigned long long m)
{
    j->dist = dist;
    j->n = n;
    j->m = m;
    snprintf(j->ini, sizeof j->ini, "%s/%s_%zu_%llu.ini", dir, dist, n, m);
    snprintf(j->input, sizeof j->input, "%s/%s_%zu_%llu.in", dir, dist, n, m);
    FILE *f = fopen(j->ini, "w");
    if (!f)
        return -1;
    fprintf(f, "[scenario]\nname = floor_%s_%zu\nseed = 42\n[devices]\ndistribution = %s\ntimes =",
            dist, n, dist);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%.1f", i == 0 ? " " : i % 12 ? ", " : ",\n    ", 1.0 + 0.1 * (double)i);
    fprintf(f, "\n[workload]\nkind = batch\ntasks = %llu\n", m);
    if (fclose(f) != 0)
        return -1;
    adi_scenario *sc;
    if (adi_scenario_load(j->ini, &sc) != ADI_OK) {
        fprintf(stderr, "bench_floor: %s\n", adi_errmsg());
        return -1;
    }
    const adi_point *p = adi_scenario_point(sc, 0);
    const double *times;
    const adi_sampler *dev;
    size_t used = adi_point_used_devices(p, &times, &dev);
    f = fopen(j->input, "w");
    if (!f) {
        adi_scenario_free(sc);
        return -1;
    }
    fprintf(f, "%s %llu %lu %zu\n", dist, m, adi_sweep_run_seed(p, 0), used);
    for (size_t i = 0; i < used; i++)
        fprintf(f, "%a\n", times[i]);
    adi_scenario_free(sc);
    return fclose(f) == 0 && used == n ? 0 : -1;
}

enum { SIM_FILE, SIM_MEMORY, FLOOR, PROGRAMS };
static const char *const program_names[PROGRAMS] = {"simulate --db FILE", "simulate --db :memory:",
                                                    "floor kernel"};

static int disturbed; /* timed runs that never had the machine to themselves */

/* Runs program `which` on job j once (prefix: e.g. valgrind's argv; quiet:
** again while other processes ran beside it, see proc.h). */
static int run(int which, job *j, char *const *prefix, const char *out, bench_proc *p, int quiet)
{
    char db[160];
    snprintf(db, sizeof db, "%s/run.db", dir);
    remove(db);
    char *args[16];
    int k = 0;
    while (prefix && prefix[k])
        args[k] = prefix[k], k++;
    if (which == FLOOR) {
        args[k++] = floor_bin;
    } else {
        args[k++] = simulate;
        args[k++] = j->ini;
        args[k++] = "--quiet";
        args[k++] = "--db";
        args[k++] = which == SIM_FILE ? db : ":memory:";
    }
    args[k] = NULL;
    const char *in = which == FLOOR ? j->input : NULL;
    return quiet ? bench_proc_run_fresh(args, in, out, which == SIM_FILE ? db : NULL, p,
                                        &disturbed)
                 : bench_proc_run(args, in, out, p);
}

/* 1: bin/simulate's stored makespan and counts against the kernel's. */
static int same_results(job *j)
{
    char out[160], db[160];
    snprintf(out, sizeof out, "%s/floor.out", dir);
    snprintf(db, sizeof db, "%s/run.db", dir);
    bench_proc p;
    if (run(FLOOR, j, NULL, out, &p, 0) != 0)
        return fprintf(stderr, "bench_floor: the kernel failed\n"), -1;
    double floor_makespan;
    unsigned long long *count = calloc(j->n, sizeof *count);
    FILE *f = fopen(out, "r");
    int ok = f && count && fscanf(f, " makespan %la", &floor_makespan) == 1;
    for (size_t i = 0; ok && i < j->n; i++)
        ok = fscanf(f, "%llu", &count[i]) == 1;
    if (f)
        fclose(f);
    if (!ok || run(SIM_FILE, j, NULL, NULL, &p, 0) != 0) {
        free(count);
        return fprintf(stderr, "bench_floor: no result to compare\n"), -1;
    }
    /* The stored run, read back as bin/plot would (test code style: plain SQL). */
    sqlite3 *d = NULL;
    sqlite3_stmt *q = NULL;
    double makespan = NAN;
    size_t differ = 0, devices = 0;
    if (sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, "SELECT makespan FROM run", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        makespan = sqlite3_column_double(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    if (sqlite3_prepare_v2(d, "SELECT device, tasks_done FROM run_device ORDER BY device", -1,
                           &q, NULL) == SQLITE_OK)
        while (sqlite3_step(q) == SQLITE_ROW) {
            size_t dev = (size_t)sqlite3_column_int64(q, 0);
            devices++;
            differ += dev >= j->n || (unsigned long long)sqlite3_column_int64(q, 1) != count[dev];
        }
    sqlite3_finalize(q);
    sqlite3_close(d);
    free(count);
    int same = makespan == floor_makespan && devices == j->n && differ == 0;
    printf("%-13s n = %zu, m = %llu: %s (makespan %.17g s; kernel %.17g s, %zu of %zu "
           "device counts differ)\n", j->dist, j->n, j->m, same ? "identical" : "DIFFERENT",
           makespan, floor_makespan, differ, j->n);
    return same ? 0 : -1;
}

/* 2: the three processes taking turns; medians and ratios, of wall time
** and of CPU time (user + system: what a busy machine's other jobs do not
** inflate as much, since time spent waiting for a core is not counted). */
static int timing(job *j, int reps)
{
    double wall[PROGRAMS][64], cpu[PROGRAMS][64], rss[PROGRAMS][64];
    for (int k = 0; k < reps; k++)
        for (int w = 0; w < PROGRAMS; w++) {
            bench_proc p;
            if (run(w, j, NULL, NULL, &p, 1) != 0)
                return fprintf(stderr, "bench_floor: %s failed\n", program_names[w]), -1;
            wall[w][k] = p.wall;
            cpu[w][k] = p.user + p.sys;
            rss[w][k] = p.rss_mib;
        }
    if (disturbed)
        printf("  (%d of %d runs had other processes beside them)\n", disturbed, PROGRAMS * reps);
    disturbed = 0;
    double med[PROGRAMS], medc[PROGRAMS];
    for (int w = 0; w < PROGRAMS; w++) {
        med[w] = bench_median(wall[w], (size_t)reps);
        medc[w] = bench_median(cpu[w], (size_t)reps);
    }
    for (int w = 0; w < PROGRAMS; w++) {
        printf("  %-24s %7.3f s wall %7.3f s CPU %5.1f MiB %5.1f M tasks/s", program_names[w],
               med[w], medc[w], bench_median(rss[w], (size_t)reps), (double)j->m / med[w] / 1e6);
        if (w != FLOOR)
            printf("   %.2fx the kernel (CPU %.2fx)", med[w] / med[FLOOR], medc[w] / medc[FLOOR]);
        putchar('\n');
    }
    return 0;
}

/* Callgrind's instruction count of one run (0 on failure). */
static double instructions(int which, job *j)
{
    char out[160], opt[200];
    snprintf(out, sizeof out, "%s/callgrind.out", dir);
    snprintf(opt, sizeof opt, "--callgrind-out-file=%s", out);
    char *prefix[] = {"/usr/bin/valgrind", "--tool=callgrind", "-q", opt, NULL};
    bench_proc p;
    if (run(which, j, prefix, NULL, &p, 0) != 0)
        return 0;
    return bench_callgrind_ir(out);
}

/* 3: instructions per task against n, and the fit a + b log2 n. */
static int per_task(void)
{
    static const size_t sizes[3] = {16, 256, 4096};
    static const char *const dists[2] = {"deterministic", "exponential"};
    static const int progs[2] = {SIM_MEMORY, FLOOR};
    const unsigned long long m1 = 100000, m2 = 1000000;
    printf("\ninstructions per task (callgrind; Ir(m = %llu) - Ir(m = %llu), per task):\n", m2, m1);
    printf("  %-13s %-12s %10s %10s %10s   fit a + b log2 n\n", "", "", "n = 16", "n = 256",
           "n = 4096");
    for (int d = 0; d < 2; d++)
        for (int w = 0; w < 2; w++) {
            double y[3];
            for (int s = 0; s < 3; s++) {
                job a, b;
                if (prepare(&a, dists[d], sizes[s], m1) != 0 || prepare(&b, dists[d], sizes[s], m2) != 0)
                    return -1;
                double i1 = instructions(progs[w], &a), i2 = instructions(progs[w], &b);
                if (!(i1 > 0 && i2 > 0))
                    return fprintf(stderr, "bench_floor: callgrind failed\n"), -1;
                y[s] = (i2 - i1) / (double)(m2 - m1);
            }
            /* least squares over x = log2 n = 4, 8, 12 (mean 8, Sxx = 32) */
            double b = (-4 * y[0] + 4 * y[2]) / 32, a = (y[0] + y[1] + y[2]) / 3 - 8 * b;
            printf("  %-13s %-12s %10.1f %10.1f %10.1f   %.0f + %.1f log2 n\n", dists[d],
                   w == 0 ? "simulate" : "kernel", y[0], y[1], y[2], a, b);
        }
    return 0;
}

int main(int argc, char **argv)
{
    int reps = 5, callgrind = 1;
    unsigned long long m = 10000000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--tasks") == 0 && i + 1 < argc)
            m = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--no-callgrind") == 0)
            callgrind = 0;
        else if (strcmp(argv[i], "--simulate") == 0 && i + 1 < argc)
            snprintf(simulate, sizeof simulate, "%s", argv[++i]);
        else if (strcmp(argv[i], "--floor") == 0 && i + 1 < argc)
            snprintf(floor_bin, sizeof floor_bin, "%s", argv[++i]);
        else {
            fprintf(stderr, "usage: bench_floor [--reps N] [--tasks M] [--no-callgrind] "
                            "[--simulate PATH] [--floor PATH]\n");
            return 2;
        }
    }
    if (reps < 1 || reps > 64 || m < 1)
        return fprintf(stderr, "bench_floor: --reps 1..64, --tasks >= 1\n"), 2;
    if (!floor_bin[0]) { /* beside this program: build/bench/floor/floor */
        ssize_t len = readlink("/proc/self/exe", floor_bin, sizeof floor_bin - 16);
        char *slash = len > 0 ? (floor_bin[len] = 0, strrchr(floor_bin, '/')) : NULL;
        if (!slash)
            return fprintf(stderr, "bench_floor: give --floor PATH\n"), 2;
        strcpy(slash, "/floor/floor");
    }
    if (access(simulate, X_OK) != 0 || access(floor_bin, X_OK) != 0)
        return fprintf(stderr, "bench_floor: %s or %s is missing (make all %s)\n", simulate,
                       floor_bin, floor_bin), 2;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/bench_floor.XXXXXX", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return fprintf(stderr, "bench_floor: cannot make a temporary directory\n"), 1;

    printf("bin/simulate against the minimal greedy-pull kernel: n = 16, T_i = 1 + 0.1 i s, "
           "pull, m = %llu\n", m);
    int rc = 0;
    job jobs[2];
    if (prepare(&jobs[0], "deterministic", 16, m) != 0 || prepare(&jobs[1], "exponential", 16, m) != 0)
        rc = 1;
    for (int k = 0; k < 2 && rc == 0; k++)
        rc = same_results(&jobs[k]) != 0;
    for (int k = 0; k < 2 && rc == 0; k++) {
        printf("%s, medians of %d interleaved runs:\n", jobs[k].dist, reps);
        rc = timing(&jobs[k], reps) != 0;
    }
    if (rc == 0 && callgrind) {
        if (access("/usr/bin/valgrind", X_OK) != 0)
            printf("\ninstructions per task: skipped, valgrind is not installed "
                   "(tools/install-bench-deps.sh)\n");
        else
            rc = per_task() != 0;
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_floor: could not remove %s\n", dir);
    return rc;
}
