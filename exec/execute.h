/*
** exec/execute.h — the paper's algorithm for real, to measure how well
** the simulator predicts it.
**
** A point of a calibrated scenario is executed on this machine: one thread
** per device of the pool, each running the kernel its profile measured (the
** same shape and batch, on its own reproducible data, single-threaded
** BLAS, or the plain C GEMM for a profile the probe build measured: that
** is how one machine makes a heterogeneous pool, scenarios/execute_mixed.ini),
** with the tasks handed out as the policy says:
**
**   pull    a shared queue: an idle thread takes the next task. With a
**           finite capacity Q a producer thread puts tasks into a bounded
**           queue and blocks while it is full (mutex + condition variables).
**           With pull's keys (policy/pull.c's rules) waiting threads form a
**           set: a batch goes to the one waiting longest, the fastest by
**           its profile or a random one (idle_choice), and with
**           pull_batch = b a thread takes up to b waiting tasks and runs
**           them as one kernel call on b tasks' data (what calibrate
**           --batch timed); a batch leaves when b wait, the queue is full,
**           every task left waits, or the oldest waited max_delay.
**   static  thread i runs tasks i, i + n, ... in order; with a finite Q a
**           producer deals them to per-thread queues, at most Q waiting in
**           all, a task for an idle thread going to it at once (the
**           engine's rule: head-of-line blocking).
**   sync    rounds: thread i runs task r n + i, then all wait at a barrier.
**           With a finite Q a producer puts tasks into a bounded queue
**           (blocking while full) and a round starts as the engine starts
**           one (policy/sync.c): none running, and min(n, tasks left) wait
**           or the queue is full; threads 0, 1, ... take one each, so
**           every round has min(n, Q, tasks left) tasks.
**   serial  one thread (the scenario's serial device) runs every task.
**   weighted  thread i runs the tasks of its share of the weighted split
**           (a finite Q: as static's).
**   eft     a shared queue: an idle thread takes the next task only if its
**           finish (now, or when it is due, plus its C_i) is among the W
**           earliest the pool offers the W waiting tasks, else it waits
**           until a task is taken or ends (policy/rules.h, the engine's rule
**           and code); C_i is its profile's mean, or with estimates = online
**           the mean of the tasks it ran so far (the pool's mean before).
**           With a finite Q a producer puts tasks while fewer than Q wait;
**           blocked, it holds the next, which counts in W (policy/eft.c's
**           eft_room), and puts it when a slot frees.
**   steal   a queue per thread, filled as the engine deals the batch at
**           t = 0 (weighted or equal split, idle devices stealing as tasks
**           wait); a thread whose queue is empty steals ceil(w / 2) of the
**           longest or a random victim's (a seeded taus2 stream), oldest
**           first, and stops when nothing waits anywhere. With a finite Q a
**           producer deals the tasks as static's does (at most Q waiting in
**           all), and after each it queues the idle threads steal, the one
**           idle longest first (policy/steal.c's serve_idle).
**
** Timing: the threads start together (a barrier), then every task's enqueue,
** start and end are read from the monotonic clock; the run's makespan,
** throughput, latencies (from enqueue and from the start, the "creation"
** of a batch), per-thread busy time and counts fill the same result the
** simulator gives, so the two can be stored and compared alike.
**
** Correctness: each thread's first task (untimed) is checked against the
** kernel's reference (kernels/kernels.h); afterwards every task's output
** must give the same checksum of 64 sampled outputs (the same inputs give
** bit-identical outputs), and every task must be done exactly once.
** Anything else fails the run: no time is reported for a wrong result.
**
** What is supported: batch workloads, with any Q but only overflow = block
** (the producer never drops); at most as many threads as cores.
** adi_execute_supported says why a point is not.
*/
#ifndef ADI_CALIBRATE_EXECUTE_H
#define ADI_CALIBRATE_EXECUTE_H

#include "kernels/kernels.h"
#include "scenario/scenario.h"
#include "sim/sim.h"

#include <stdint.h>

/* 1 when point p of sc can be executed here; else 0 and *why says why. */
int adi_execute_supported(const adi_scenario *sc, const adi_point *p, const char **why);

/* Executes replication `rep` of point p (rep seeds nothing: a real run is
** not reproducible; it only numbers the run). On success *out holds the
** measured run (free with adi_run_result_free); ADI_EINTERNAL when a task
** computed a wrong result or was not done exactly once. */
int adi_execute_run(const adi_scenario *sc, const adi_point *p, uint64_t rep, adi_run_result *out);

/* The GEMM a device's conv tasks run with: adi_gemm_plain for a profile the
** probe build measured (its blas names adi_gemm_plain), else this build's
** BLAS. */
struct adi_profile;
adi_gemm_fn adi_execute_gemm(const struct adi_profile *pf);

/* Cores online here (the most threads a point may use). */
unsigned adi_execute_cores(void);

#endif
