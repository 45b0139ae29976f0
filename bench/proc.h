/*
** bench/proc.h — timing a whole process, for the benchmarks that compare
** processes (bench_floor: bin/simulate against the minimal kernel;
** bench_percentiles: a run in a fresh process per measurement, so each gets
** its own peak memory; bench_db: simulate into a file, into :memory: and
** without a database), and the instruction counts callgrind gives them.
** Header-only, like core/clock.h.
**
** A measurement is one fork + execv (no shell in between) with stdin read
** from a file and stdout sent to one, and a blocking wait4: wall-clock time from fork to reaping,
** the child's user CPU time and its peak resident memory. Noise on a
** shared machine is handled by the callers: they interleave the processes
** they compare (ABAB...) and take medians of each, and measure a run
** again while other processes took a tenth of a core or more beside it
** (the machine's CPU time from /proc/stat, less the child's own).
**
** Include it first: wait4 needs _DEFAULT_SOURCE before any system header.
*/
#ifndef ADI_BENCH_PROC_H
#define ADI_BENCH_PROC_H

#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* wait4 */
#endif
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* CPU seconds all processes of the machine have spent so far (Linux
** /proc/stat: every state but idle and iowait; 0 where it is missing).
** Taken around a measurement, less the measured program's own CPU time, it
** says how much else ran meanwhile: a parallel speed-up means nothing when
** the other cores were busy. */
static inline double bench_machine_busy_s(void)
{
    FILE *f = fopen("/proc/stat", "r");
    unsigned long long v[8] = {0};
    int got = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                         &v[3], &v[4], &v[5], &v[6], &v[7])
                : 0;
    if (f)
        fclose(f);
    if (got != 8)
        return 0;
    long hz = sysconf(_SC_CLK_TCK);
    return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / (double)(hz > 0 ? hz : 100);
}

typedef struct bench_proc {
    double wall;    /* seconds, fork to exit */
    double user;    /* seconds of user CPU */
    double sys;     /* seconds of system CPU */
    double rss_mib; /* peak resident memory */
    double others;  /* CPU seconds other processes took meanwhile */
} bench_proc;

/* Runs argv[0] (a path) with argv, its stdin from in_path and its stdout
** into out_path (NULL: /dev/null for either). 0 when it exited with
** status 0, else -1. */
static inline int bench_proc_run(char *const argv[], const char *in_path, const char *out_path,
                                 bench_proc *p)
{
    fflush(stdout); /* or the child would write our buffer out again */
    double b0 = bench_machine_busy_s(), t0 = adi_clock_s();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (freopen(in_path ? in_path : "/dev/null", "r", stdin) &&
            freopen(out_path ? out_path : "/dev/null", "w", stdout))
            execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0)
        ;
    p->wall = adi_clock_s() - t0;
    p->user = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec;
    p->sys = (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    p->rss_mib = (double)ru.ru_maxrss / 1024.0; /* Linux: KiB */
    p->others = bench_machine_busy_s() - b0 - p->user - p->sys;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Removes the database `db` and what SQLite keeps beside it (NULL: nothing). */
static inline void bench_remove_db(const char *db)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; db && i < 4; i++) {
        char file[4200];
        snprintf(file, sizeof file, "%s%s", db, suffix[i]);
        remove(file);
    }
}

/* bench_proc_run, repeated (ten times at most) while other processes took
** more than a tenth of a core beside it; *disturbed counts the runs that
** never had the machine to themselves. A program that writes a database
** names it in `fresh` (else NULL): it is removed before every attempt, so
** that a repeat is timed from scratch too, not as a rerun that finds every
** point stored. */
static inline int bench_proc_run_fresh(char *const argv[], const char *in_path,
                                       const char *out_path, const char *fresh, bench_proc *p,
                                       int *disturbed)
{
    for (int attempt = 0;; attempt++) {
        bench_remove_db(fresh);
        if (bench_proc_run(argv, in_path, out_path, p) != 0)
            return -1;
        if (p->others <= 0.1 * p->wall)
            return 0;
        if (attempt == 9) {
            ++*disturbed;
            return 0;
        }
    }
}

static inline int bench_proc_run_quiet(char *const argv[], const char *in_path,
                                       const char *out_path, bench_proc *p, int *disturbed)
{
    return bench_proc_run_fresh(argv, in_path, out_path, NULL, p, disturbed);
}

/* The instruction count of a callgrind output file (its "summary:" or
** "totals:" line), which is then removed; 0 when there is none. */
static inline double bench_callgrind_ir(const char *out)
{
    FILE *f = fopen(out, "r");
    char line[512];
    double ir = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "summary: %lf", &ir) == 1 || sscanf(line, "totals: %lf", &ir) == 1)
            break;
    if (f)
        fclose(f);
    remove(out);
    return ir;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of x[0..n) (n >= 1; reorders x). */
static inline double bench_median(double *x, size_t n)
{
    qsort(x, n, sizeof *x, bench_cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

#endif
