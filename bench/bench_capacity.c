/*
** bench/bench_capacity.c — what a second core gives the server-capacity
** search (sweep/capacity.h), as a ratio measured in one run.
**
** The search of scenarios/server_capacity.ini (two pools of 4 devices,
** p99 <= 100 ms, 10^5 arrivals per run) with its 10 replications, and the
** same with 2, 3 and 5: one thread and two threads take turns, five times
** each, and the table gives the median wall times, their ratio, and the
** CPU time of the two-thread search against the one-thread search (above
** 1 where speculative trials were wasted). Both must find the same rates,
** bit for bit. A second core is only a second core on a quiet machine: a
** run during which other processes took more than a tenth of a core
** (/proc/stat) is measured again, up to ten times, and the table says how
** many stayed disturbed.
**
** Run: make bench   (or build/bench/bench_capacity [--reps N] [SCENARIO.ini])
*/
#include "bench/proc.h"
#include "core/error.h"
#include "scenario/scenario.h"
#include "sweep/capacity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static double cpu_s(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec +
           (double)u.ru_stime.tv_sec + 1e-6 * (double)u.ru_stime.tv_usec;
}

/* Every pool of sc searched in turn on `jobs` threads, as bin/capacity
** does; the answers go to out[2 * points]. */
static int search_all(const adi_scenario *sc, unsigned jobs, double *out)
{
    adi_capacity_request req = {.confidence = 0.95, .precision = 0.005, .jobs = jobs};
    if (adi_capacity_parse_bound("p99=100ms", &req.quantile, &req.bound) != ADI_OK)
        return -1;
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        adi_capacity_result r;
        if (adi_capacity_search(adi_scenario_point(sc, i), &req, &r) != ADI_OK) {
            fprintf(stderr, "bench_capacity: %s\n", adi_errmsg());
            return -1;
        }
        out[2 * i] = r.safe;
        out[2 * i + 1] = r.optimistic;
    }
    return 0;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = calloc(1, 1 << 16);
    size_t len = text ? fread(text, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (text)
        text[len] = 0;
    return text;
}

int main(int argc, char **argv)
{
    const char *path = "scenarios/server_capacity.ini";
    int reps = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (argv[i][0] != '-')
            path = argv[i];
        else
            return fprintf(stderr, "usage: bench_capacity [--reps N] [SCENARIO.ini]\n"), 2;
    }
    if (reps < 1 || reps > 64)
        reps = 5;
    char *text = read_all(path);
    char *at = text ? strstr(text, "replications = ") : NULL;
    if (!at)
        return fprintf(stderr, "bench_capacity: %s has no 'replications = ' line\n", path), 2;
    double load[3] = {0, 0, 0};
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = load[1] = load[2] = 0;
        fclose(la);
    }
    printf("capacity search of %s, p99 <= 100 ms: 1 thread against 2, medians of %d "
           "interleaved runs (load average %.2f %.2f %.2f)\n", path, reps, load[0], load[1],
           load[2]);
    printf("%-13s %10s %10s %8s %14s  %s\n", "replications", "1 thread", "2 threads", "speed-up",
           "CPU 2t / 1t", "answers");
    static const int replications[] = {10, 2, 3, 5};
    int rc = 0;
    for (size_t c = 0; c < sizeof replications / sizeof replications[0] && rc == 0; c++) {
        /* the file with its replications line replaced */
        char *variant = malloc(strlen(text) + 32), *eol = strchr(at, '\n');
        if (!variant)
            return 1;
        snprintf(variant, strlen(text) + 32, "%.*sreplications = %d%s", (int)(at - text), text,
                 replications[c], eol ? eol : "");
        adi_scenario *sc;
        if (adi_scenario_parse(path, variant, &sc) != ADI_OK) {
            fprintf(stderr, "bench_capacity: %s\n", adi_errmsg());
            free(variant);
            return 1;
        }
        free(variant);
        size_t np = adi_scenario_npoints(sc);
        double *a1 = calloc(2 * np, sizeof *a1), *a2 = calloc(2 * np, sizeof *a2);
        double wall[2][64], cpu[2][64];
        int same = 1;
        int disturbed = 0;
        for (int k = 0; k < reps && rc == 0 && a1 && a2; k++)
            for (int t = 0; t < 2 && rc == 0; t++)
                for (int attempt = 0; attempt < 10; attempt++) {
                    double w0 = adi_clock_s(), c0 = cpu_s(), b0 = bench_machine_busy_s();
                    rc = search_all(sc, t + 1, t ? a2 : a1);
                    wall[t][k] = adi_clock_s() - w0;
                    cpu[t][k] = cpu_s() - c0;
                    /* others' CPU meanwhile: over a tenth of a core, measure again */
                    double others = bench_machine_busy_s() - b0 - cpu[t][k];
                    if (rc != 0 || others <= 0.1 * wall[t][k])
                        break;
                    disturbed += attempt == 9;
                }
        for (size_t i = 0; rc == 0 && i < 2 * np; i++)
            same &= a1[i] == a2[i];
        if (rc == 0) {
            double w1 = bench_median(wall[0], (size_t)reps), w2 = bench_median(wall[1], (size_t)reps);
            double c1 = bench_median(cpu[0], (size_t)reps), c2 = bench_median(cpu[1], (size_t)reps);
            printf("%-13d %8.3f s %8.3f s %7.2fx %13.2fx  %s", replications[c], w1, w2, w1 / w2,
                   c2 / c1, same ? "identical:" : "DIFFERENT:");
            for (size_t i = 0; i < np; i++)
                printf(" %.5g..%.5g", a1[2 * i], a1[2 * i + 1]);
            if (disturbed)
                printf("  (%d of %d runs had other jobs beside them)", disturbed, 2 * reps);
            putchar('\n');
            fflush(stdout);
        }
        rc = rc || !same;
        free(a1);
        free(a2);
        adi_scenario_free(sc);
    }
    free(text);
    return rc;
}
