/*
** bench/bench_peers.c — adisim against the tools a user would pick instead
** (SimGrid, SimPy, a plain Python heapq loop), side by side in one run.
**
** Every tool is a separate process reading the same job file (see
** bench/peers/README.md) and is measured the same way: wall-clock time of
** the whole process (start-up included) and its peak resident memory
** (wait4's ru_maxrss). Results are compared with adisim's: deterministic
** jobs must give identical per-device task counts and equal makespans
** (SimGrid computes a duration as flops / speed, so its makespans differ in
** the last bits, and where devices finish at the same instant in exact
** arithmetic that rounding can reorder them: then the tasks done by other
** devices are counted); random jobs draw from each tool's own generator,
** so they must agree in distribution (see agreement()).
**
** Run: make bench-peers   (installs the peers, builds, runs; --quick for a
** short version; --timeout S per tool and scenario, default 900 s).
*/
#define _DEFAULT_SOURCE /* wait4: a child's own peak memory */
#include "core/clock.h"
#include "core/error.h"
#include "scenario/scenario.h"
#include "check/checks.h"
#include "sweep/sweep.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

enum { ADISIM, SIMGRID, SIMPY, HEAPQ, TOOLS };
static const char *const tool_names[TOOLS] = {"adisim", "SimGrid", "SimPy", "heapq"};
static char tool_path[TOOLS][512];
static char *tool_argv[TOOLS][4]; /* NULL-terminated, for execv */
static double timeout_s = 900;
static const char *only;      /* run only scenarios whose name contains this */
static char dir[128];

typedef struct outcome {
    int ok;               /* ran to completion */
    double wall, rss_mib; /* s, MiB */
    size_t jobs;
    double *makespan;     /* [jobs] */
    unsigned long long **count;
    size_t *ndev;
} outcome;

static volatile pid_t running; /* the child the alarm stops */

static void stop_child(int sig)
{
    (void)sig;
    if (running > 0)
        kill(running, SIGKILL);
}

/* One run of tool t on the job file: wall time and peak memory of the
** process, exec'ed directly (no shell in between), stdin and stdout
** redirected to files; a blocking wait4, an alarm enforcing the timeout. */
static int run_once(int t, const char *jobs_path, const char *out_path, double *wall, double *rss)
{
    fflush(stdout); /* or the child's freopen would write our buffer out again */
    double t0 = adi_clock_s();
    pid_t pid = fork();
    if (pid == 0) {
        FILE *in = freopen(jobs_path, "r", stdin), *out = freopen(out_path, "w", stdout);
        if (in && out)
            execv(tool_argv[t][0], tool_argv[t]);
        _exit(127);
    }
    running = pid;
    alarm((unsigned)timeout_s);
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0)
        ;
    alarm(0);
    running = 0;
    *wall = adi_clock_s() - t0;
    *rss = (double)ru.ru_maxrss / 1024.0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Runs tool t, several times when a run is short (best of ten under 0.1 s,
** of three under 2 s), to see past timer, scheduler and frequency noise;
** fills o. */
static void run_tool(int t, const char *jobs_path, size_t njobs, const size_t *ndev, outcome *o)
{
    char out_path[512];
    snprintf(out_path, sizeof out_path, "%s/out.%d", dir, t);
    memset(o, 0, sizeof *o);
    double wall, rss;
    if (run_once(t, jobs_path, out_path, &o->wall, &o->rss_mib) != 0)
        return;
    int repeats = o->wall < 0.1 ? 9 : o->wall < 2 ? 2 : 0;
    for (int k = 0; k < repeats; k++)
        if (run_once(t, jobs_path, out_path, &wall, &rss) == 0 && wall < o->wall)
            o->wall = wall;
    FILE *f = fopen(out_path, "r");
    if (!f)
        return;
    o->jobs = njobs;
    o->makespan = calloc(njobs, sizeof *o->makespan);
    o->count = calloc(njobs, sizeof *o->count);
    o->ndev = calloc(njobs, sizeof *o->ndev);
    int ok = 1;
    for (size_t j = 0; j < njobs && ok; j++) {
        o->ndev[j] = ndev[j];
        o->count[j] = calloc(ndev[j], sizeof **o->count);
        ok = fscanf(f, " result %lf", &o->makespan[j]) == 1;
        for (size_t i = 0; i < ndev[j] && ok; i++)
            ok = fscanf(f, "%llu", &o->count[j][i]) == 1;
    }
    fclose(f);
    o->ok = ok;
}

static void free_outcome(outcome *o)
{
    for (size_t j = 0; o->count && j < o->jobs; j++)
        free(o->count[j]);
    free(o->count);
    free(o->makespan);
    free(o->ndev);
}

typedef struct scenario_jobs {
    const char *name;
    int deterministic;
    size_t njobs;
    unsigned long long tasks;
    double cv;          /* random jobs: spread of one task's time */
    size_t *ndev;
} scenario_jobs;

/* How tool's results compare with adisim's, as a short text.
** Deterministic jobs: per-device counts must be identical and makespans
** equal up to floating-point rounding (1e-9 relative); where counts differ,
** the number of tasks done by another device is reported. Random jobs (own
** generators): with many jobs, the mean relative difference of makespans
** must be within 4 standard errors of 0; with few, each within 5 cv/sqrt(m)
** (about 5 standard deviations of a makespan). */
static void agreement(const outcome *ref, const outcome *o, const scenario_jobs *s, char *out,
                      size_t size)
{
    double worst = 0, mean = 0, sq = 0;
    unsigned long long moved = 0;
    for (size_t j = 0; j < ref->jobs; j++) {
        double d = (o->makespan[j] - ref->makespan[j]) / ref->makespan[j];
        worst = fmax(worst, fabs(d));
        mean += d;
        sq += d * d;
        for (size_t i = 0; i < ref->ndev[j]; i++)
            moved += o->count[j][i] > ref->count[j][i] ? o->count[j][i] - ref->count[j][i] : 0;
    }
    double n = (double)ref->jobs;
    mean /= n;
    if (s->deterministic) {
        if (moved)
            snprintf(out, size, "DIFFER: %llu of %llu tasks on other devices, makespans within %.1g",
                     moved, s->tasks, worst);
        else
            snprintf(out, size, "%s: identical counts, makespans within %.1g",
                     worst <= 1e-9 ? "agree" : "DIFFER", worst);
        return;
    }
    int agree;
    double limit;
    if (ref->jobs >= 10) {
        double sd = sqrt(fmax(sq / n - mean * mean, 0) * n / (n - 1));
        limit = 4 * sd / sqrt(n);
        agree = fabs(mean) <= limit;
        snprintf(out, size, "%s: mean makespan difference %+.2g%% (limit %.2g%%), largest %.2g%%",
                 agree ? "agree" : "DIFFER", 100 * mean, 100 * limit, 100 * worst);
    } else {
        limit = 5 * s->cv / sqrt((double)s->tasks / (double)ref->jobs);
        agree = worst <= limit;
        snprintf(out, size, "%s: makespans within %.2g%% (limit %.2g%%)", agree ? "agree" : "DIFFER",
                 100 * worst, 100 * limit);
    }
}



static FILE *jobs_file(const char *path, size_t njobs)
{
    FILE *f = fopen(path, "w");
    if (f)
        fprintf(f, "jobs %zu\n", njobs);
    return f;
}

/* n devices with T_i = 1.0 + 0.1 i s, one pull job of m tasks. */
static int pool_jobs(scenario_jobs *s, const char *path, size_t n, unsigned long long m,
                     const char *dist)
{
    FILE *f = jobs_file(path, 1);
    if (!f)
        return -1;
    fprintf(f, "job pull %s %g 1 %llu %zu", dist, strcmp(dist, "exponential") ? 0.0 : 1.0, m, n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %.17g", 1.0 + 0.1 * (double)i);
    fputc('\n', f);
    s->njobs = 1;
    s->tasks = m;
    s->ndev = malloc(sizeof *s->ndev);
    s->ndev[0] = n;
    s->deterministic = strcmp(dist, "deterministic") == 0;
    s->cv = s->deterministic ? 0 : 1;
    return fclose(f);
}

/* Every run of a scenario file, as jobs (the devices its policy uses). */
static int sweep_jobs(scenario_jobs *s, const char *path, const char *scenario_path)
{
    adi_scenario *sc;
    if (adi_scenario_load(scenario_path, &sc) != ADI_OK) {
        fprintf(stderr, "bench_peers: %s\n", adi_errmsg());
        return -1;
    }
    size_t njobs = 0;
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++)
        if (!adi_scenario_point(sc, i)->infeasible)
            njobs += adi_scenario_point(sc, i)->replications;
    FILE *f = jobs_file(path, njobs);
    s->ndev = malloc(njobs * sizeof *s->ndev);
    s->njobs = 0;
    s->tasks = 0;
    s->deterministic = 1;
    for (size_t i = 0; f && i < adi_scenario_npoints(sc); i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        if (p->infeasible)
            continue;
        const double *times;
        const adi_sampler *dev;
        size_t n = adi_point_used_devices(p, &times, &dev);
        s->deterministic &= p->dist == ADI_DIST_DETERMINISTIC;
        s->cv = fmax(s->cv, p->cv);
        for (uint64_t r = 0; r < p->replications; r++) {
            fprintf(f, "job %s %s %.17g %lu %llu %zu", adi_policy_name(p->policy),
                    adi_dist_name(p->dist), p->cv, adi_sweep_run_seed(p, r),
                    (unsigned long long)p->tasks, n);
            for (size_t d = 0; d < n; d++)
                fprintf(f, " %.17g", times[d]);
            fputc('\n', f);
            s->ndev[s->njobs++] = n;
            s->tasks += p->tasks;
        }
    }
    adi_scenario_free(sc);
    return f ? fclose(f) : -1;
}

static void bench(scenario_jobs *s, const char *jobs_path)
{
    if (only && !strstr(s->name, only)) {
        free(s->ndev);
        return;
    }
    outcome o[TOOLS];
    for (int t = 0; t < TOOLS; t++) {
        run_tool(t, jobs_path, s->njobs, s->ndev, &o[t]);
        char agree[128] = "reference";
        if (t > 0 && o[t].ok && o[0].ok)
            agreement(&o[0], &o[t], s, agree, sizeof agree);
        char ratio[32] = "";
        if (t > 0 && o[t].ok && o[0].ok)
            snprintf(ratio, sizeof ratio, "%.1fx", o[t].wall / o[0].wall);
        if (!o[t].ok)
            printf("%-24s %-8s %s after %.0f s\n", t ? "" : s->name, tool_names[t],
                   o[t].wall >= timeout_s ? "timeout" : "FAILED", o[t].wall);
        else
            printf("%-24s %-8s %9.3f %10.3g %9.1f %9s  %s\n", t ? "" : s->name, tool_names[t],
                   o[t].wall, (double)s->tasks / o[t].wall, o[t].rss_mib, ratio, agree);
        fflush(stdout);
    }
    for (int t = 0; t < TOOLS; t++)
        free_outcome(&o[t]);
    free(s->ndev);
}

int main(int argc, char **argv)
{
    int quick = 0;
    const char *bindir = "build/bench";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            timeout_s = atof(argv[++i]);
        else if (strcmp(argv[i], "--bin") == 0 && i + 1 < argc)
            bindir = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else {
            fprintf(stderr, "usage: bench_peers [--quick] [--timeout S] [--bin DIR] [--only TEXT]\n");
            return 2;
        }
    }
    struct sigaction sa = {.sa_handler = stop_child};
    sigaction(SIGALRM, &sa, NULL);
    static char log_off[] = "--log=root.thres:critical", python[] = "/usr/bin/python3",
                simpy[] = "bench/peers/simpy_peer.py", heapq[] = "bench/peers/heapq_peer.py";
    snprintf(tool_path[ADISIM], sizeof tool_path[0], "%s/adisim_peer", bindir);
    snprintf(tool_path[SIMGRID], sizeof tool_path[0], "%s/simgrid_peer", bindir);
    tool_argv[ADISIM][0] = tool_path[ADISIM];
    tool_argv[SIMGRID][0] = tool_path[SIMGRID];
    tool_argv[SIMGRID][1] = log_off;
    tool_argv[SIMPY][0] = tool_argv[HEAPQ][0] = python;
    tool_argv[SIMPY][1] = simpy;
    tool_argv[HEAPQ][1] = heapq;
    snprintf(dir, sizeof dir, "/tmp/adisim-peers-XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    char jobs_path[200];
    snprintf(jobs_path, sizeof jobs_path, "%s/jobs", dir);
    printf("adisim " ADI_VERSION " against its peers: whole processes, %ld cores; one tool at a "
           "time\n", sysconf(_SC_NPROCESSORS_ONLN));
    printf("%-24s %-8s %9s %10s %9s %9s  %s\n", "scenario", "tool", "wall s", "tasks/s",
           "peak MiB", "adisim is", "results against adisim");
    static const unsigned long long sizes[] = {100000, 1000000, 10000000};
    static const char *const dists[] = {"deterministic", "exponential"};
    for (int d = 0; d < 2; d++)
        for (int k = 0; k < (quick ? 2 : 3); k++) {
            scenario_jobs s = {0};
            char name[64];
            snprintf(name, sizeof name, "n=16 %s m=%.0e", d ? "exp" : "det", (double)sizes[k]);
            s.name = name;
            if (pool_jobs(&s, jobs_path, 16, sizes[k], dists[d]) == 0)
                bench(&s, jobs_path);
        }
    static const size_t pools[] = {1024, 4096};
    for (int k = 0; k < 2; k++) {
        scenario_jobs s = {0};
        char name[64];
        snprintf(name, sizeof name, "n=%zu det m=%.0e", pools[k], quick ? 1e5 : 1e6);
        s.name = name;
        if (pool_jobs(&s, jobs_path, pools[k], quick ? 100000 : 1000000, "deterministic") == 0)
            bench(&s, jobs_path);
    }
    scenario_jobs s = {.name = "ablation (1350 runs)"};
    if (sweep_jobs(&s, jobs_path, "scenarios/ablation.ini") == 0)
        bench(&s, jobs_path);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
