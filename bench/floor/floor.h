/*
** bench/floor/floor.h — the yardstick: the least a greedy-pull simulation
** can do per task, giving exactly adisim's results.
**
** One batch of m identical tasks, n devices, one FIFO, every idle device
** takes the next task (adisim's `pull` with Q = inf and no submit cost).
** Per task the kernel pops the earliest completion, counts it for its
** device, draws that device's next service time and puts the new completion
** in the root's place (one sift). Nothing else: no latency, no busy time, no
** area integral, no queue, no callbacks. Its results are adisim's bit for
** bit, because it keeps everything that decides them:
**
**   - the events' order: (time, seq), seq counting schedules from 0, the
**     first n scheduled at t = 0 for devices 0, 1, ..., n - 1;
**   - the random stream: GSL's taus2 (the same seeding and recurrence,
**     inlined here instead of called through gsl_rng_get's pointer), and
**     adisim's exponential ziggurat (sim/ziggurat.h: its tables, the same
**     fast path, the same wedge and tail);
**   - the arithmetic: completion = now + T_d (deterministic) or
**     now + T_d * E (exponential), as sim/sampler.h computes them.
**
** Heap entries are 16 bytes (the time and seq << 20 | device), compared
** as one 128-bit key, so n < 2^20 and seq < 2^44.
**
** Cost: O(m log n); memory 24 bytes per device. tests/test_floor.c checks
** the bit-identity with adi_sim_run; bench/bench_floor.c measures both.
*/
#ifndef ADI_BENCH_FLOOR_H
#define ADI_BENCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

/* GSL's taus2 generator (L'Ecuyer 1996, GSL's seeding), state inline. */
typedef struct floor_taus {
    uint32_t s1, s2, s3;
} floor_taus;

/* gsl_rng_set(taus2, seed). */
void floor_taus_seed(floor_taus *t, unsigned long seed);

/* gsl_rng_get: the next 32 random bits. */
static inline uint32_t floor_taus_get(floor_taus *t)
{
#define FLOOR_TAUS(s, a, b, c, d) ((((s) & (c)) << (d)) ^ ((((s) << (a)) ^ (s)) >> (b)))
    t->s1 = FLOOR_TAUS(t->s1, 13, 19, 4294967294u, 12);
    t->s2 = FLOOR_TAUS(t->s2, 2, 25, 4294967288u, 4);
    t->s3 = FLOOR_TAUS(t->s3, 3, 11, 4294967280u, 17);
#undef FLOOR_TAUS
    return t->s1 ^ t->s2 ^ t->s3;
}

/* Greedy pull of m tasks over devices of mean times T[0..n) (seconds),
** deterministic (exponential = 0) or exponential, with the taus2 stream of
** `seed`. Sets *makespan (seconds) and count[0..n) (tasks per device).
** 0, or -1 when n is 0 or too large or memory runs out. */
int floor_pull(const double *T, size_t n, int exponential, uint64_t m, unsigned long seed,
               double *makespan, uint64_t *count);

#endif
