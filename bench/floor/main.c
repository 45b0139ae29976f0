/*
** bench/floor/main.c — the yardstick kernel as a program (floor.h), so
** bench/bench_floor.c can time it as a whole process beside bin/simulate.
**
** Reads from stdin: "deterministic|exponential M SEED N" and N device mean
** times in seconds (any strtod format; the benchmark writes %a, exactly).
** Prints "makespan %a" and one line of per-device task counts.
*/
#include "bench/floor/floor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char dist[16];
    unsigned long long m;
    unsigned long seed;
    size_t n;
    if (scanf("%15s %llu %lu %zu", dist, &m, &seed, &n) != 4 || n == 0 ||
        (strcmp(dist, "deterministic") != 0 && strcmp(dist, "exponential") != 0)) {
        fprintf(stderr, "floor: expected 'deterministic|exponential M SEED N' and N times\n");
        return 2;
    }
    double *T = malloc(n * sizeof *T);
    uint64_t *count = malloc(n * sizeof *count);
    if (!T || !count)
        return fprintf(stderr, "floor: out of memory\n"), 1;
    for (size_t i = 0; i < n; i++)
        if (scanf("%lf", &T[i]) != 1 || !(T[i] > 0))
            return fprintf(stderr, "floor: time %zu is not a positive number\n", i), 2;
    double makespan;
    if (floor_pull(T, n, dist[0] == 'e', m, seed, &makespan, count) != 0)
        return fprintf(stderr, "floor: cannot run %zu devices, %llu tasks\n", n, m), 1;
    printf("makespan %a\n", makespan);
    for (size_t i = 0; i < n; i++)
        printf("%s%llu", i ? " " : "", (unsigned long long)count[i]);
    putchar('\n');
    free(T);
    free(count);
    return 0;
}
