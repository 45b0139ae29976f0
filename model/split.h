/*
** model/split.h — the static splits the new policies start from (DESIGN.md
** "Scheduling policies beyond the paper's") and the makespans a run of
** them must reach or stay under: pure formulas, no simulation. m identical
** tasks at t = 0, device i taking C_i per task (its compute time T_i, or
** with a network its time per task including its transfers).
**
** ---- weighted: the counts behind C*
**
** C* = min over splits (c_1 .. c_n), sum c_i = m, of max_i c_i C_i is the
** m-th smallest of the multiples {k C_i : k >= 1} (model/bounds.c,
** adi_model_optimal_makespan). The weighted split takes c_i = the number of
** multiples k C_i <= C*, and when that counts more than m (several devices
** have a multiple exactly at C*) gives the surplus back from the devices
** whose c_i C_i = C*, highest index first: of the devices tied at C*, the
** lower indices keep their task. This is the list schedule that hands the
** m tasks one by one to the device that would finish it first, ties to the
** lower index. Its makespan max_i c_i C_i is C*:
**
**   every c_i C_i <= C* by construction; and no split does better, since a
**   split with max c_i C_i = C < C* has sum floor(C / C_i) >= sum c_i = m,
**   which contradicts C* being the smallest such C. The surplus s = sum_i
**   #{k : k C_i <= C*} - m is smaller than the number t of devices with a
**   multiple at C*: just below C* the count is sum - t < m. So at least one
**   tied device keeps its multiple at C*, and the maximum stays C*.
**
** So a deterministic `weighted` run (no network, no submit cost) has
** makespan exactly C* = max_i c_i T_i, and so does `eft` (below). With
** random times the split is fixed before the run: device i's share of c_i
** tasks ends near c_i T_i +- sqrt(c_i) sigma_i, and the makespan is the
** largest of n such sums, above C* (Jensen), by about its spread.
**
** `equal` (static, steal_start = equal): c_i = floor(m/n) + (i < m mod n),
** task k to device k mod n, as policy/static.c deals them.
**
** ---- eft: what rule reaches C*
**
** "A device takes the next task only if it would complete it no later than
** any other device could" is not enough when several tasks wait: T = (1, 3),
** m = 4 has C* = 3 (three tasks on device 0, one on device 1), but device 1
** declines the first task at t = 0 (0 + 3 > 1 + 1), and the second at t = 1,
** and device 0 runs all four by t = 4. The rule that reaches C*: with W
** tasks waiting, idle device i at time t takes one iff its finish t + C_i
** is among the W earliest finishes the pool can offer them, counting for
** every device j its slots f_j + k C_j (k >= 1, f_j when it is next free,
** t for an idle one) and breaking ties by the lower index. Those W slots
** are the list schedule of the waiting tasks, so the tasks taken are the
** list schedule of all m, whose makespan is the m-th smallest multiple:
** C*. A device that declines never takes a task later (its next slot only
** moves later while the W earliest stay where they are). tests/test_split.c
** runs this rule and the naive one in a plain event loop.
**
** ---- steal: what a correct run never exceeds
**
** Per-device queues filled by a split; a device with nothing to do sends a
** steal request and, when some queue holds at least w_min waiting tasks
** (not in service), takes about half of one such queue (the longest, or a
** random one among those that have something to give): ceil(w / 2) with
** w_min = 1, floor(w / 2) with w_min = 2. A steal costs the thief
** sigma_i: nothing without a network (the coordinator's bookkeeping takes
** no simulated time, like pull's queue), 2 L_i with one (a 0-byte request
** to the coordinator and its 0-byte answer; the stolen tasks' inputs then
** travel as any task's, part of C_i).
**
** The "steal <= the weighted split's makespan plus its steal
** costs" does NOT hold for this rule: a slow thief can take tasks a fast
** victim would have finished much sooner. T = (1, 100), m = 10: the weighted
** split puts all ten on device 0 (makespan 10); device 1 is idle at t = 0
** and steals half of them; device 0 steals most of them back as it runs
** dry, but device 1 still finishes its first at t = 100. It holds for the
** variant that steals only what the thief would finish before the victim
** would (every task then finishes no later than in the start split, so the
** makespan is at most the start split's, costs included; from the weighted
** split with deterministic times it never steals and makes exactly C*).
**
** The bound for the rule above. Hypothesis H: before the time t* below
** every device is computing or in a steal round trip that brings it at
** least one task. Without a network H is true: steals take no time, and a
** device that needs work takes it at once if anything waits. With steal
** costs it can fail: a request can find every unstarted task in flight to
** other thieves, and its device idles meanwhile; tests/test_split.c meets
** such runs (stolen tasks reserved in flight, a failed steal retried at
** the next event), and some end above the bound (n = 3, m = 2). So with
** costs the bound holds for the runs where H held, which a run can tell
** itself: no device idle, outside a steal that brought it a task, before
** the last start.
**
**   w_min = 1: a failed steal means no task waits anywhere, so it happens
**   only after the last start t0 (t* = t0). Device i's starts before t are
**   at least ceil((t - sigma_i) / (C_i + sigma_i)) (at worst a steal before
**   every task), and fewer than m tasks start before t0, so t0 <= X = the
**   m-th smallest of the slots {sigma_i + k (C_i + sigma_i) : k >= 0}.
**   Every device's last start is <= t0, so device i finishes by X + C_i,
**   and with sigma_i = 0 (back-to-back, starts at multiples of C_i) by
**   (floor(X / C_i) + 1) C_i.
**   w_min = 2, without a network: t* = t1, the first failed steal: then no
**   queue holds two waiting tasks, and none ever will (only a steal adds to
**   a queue, and a steal needs two). Fewer than m + 1 tasks start before
**   t1, so t1 <= X' = the (m + 1)-th smallest slot {k C_i}; afterwards each
**   device finishes the task it computes and at most one waiting task: by
**   (floor(X' / C_i) + 2) C_i. (With steal costs, tasks in flight can land
**   two in a queue after t1 and steals resume: not derived, refused.)
**
**   upper = max_i of that, and lower = C* (any run of identical tasks,
**   whatever it steals, is a split). With sigma = 0 and w_min = 1 it is the
**   bound of every work-conserving rule, deterministic pull's too; it does
**   not depend on the start split (T = (1, 100), m = 10 reaches it: 100).
**
** Cost: O(n log n) for C* and the splits; the m-th slot by bisection,
** O(n) per step. Times in seconds.
*/
#ifndef ADI_MODEL_SPLIT_H
#define ADI_MODEL_SPLIT_H

#include <stddef.h>
#include <stdint.h>

/* The weighted split of m >= 1 tasks over cycle[0..n) (each > 0): counts
** into count[0..n) (sum m) and its makespan max_i count[i] cycle[i] = C*
** into *makespan (NULL allowed). ADI_EINPUT / ADI_ENOMEM. */
int adi_split_weighted(const double *cycle, size_t n, uint64_t m, uint64_t *count,
                       double *makespan);

/* The equal split: count[i] = floor(m/n) + (i < m mod n). */
void adi_split_equal(size_t n, uint64_t m, uint64_t *count);

/* max_i count[i] cycle[i]: the makespan of a split run deterministically
** with no rebalancing (0 for no tasks). */
double adi_split_makespan(const double *cycle, const uint64_t *count, size_t n);

typedef struct adi_steal_bounds {
    double lower;     /* s: C*, what no run of identical tasks beats */
    double upper;     /* s: what a run of the rule never exceeds (hypothesis H) */
    double last;      /* s: X (w_min = 1) or X' (w_min = 2), the bound on t0 or t1 */
} adi_steal_bounds;

/* The bounds above for m >= 1 tasks on devices with per-task times
** cycle[0..n) (> 0) and steal costs cost[0..n) (>= 0; NULL: no network,
** all 0), w_min 1 (steal ceil(w/2)) or 2 (floor(w/2), costs all 0).
** ADI_EINPUT for anything else. */
int adi_split_steal_bounds(const double *cycle, const double *cost, size_t n, uint64_t m,
                           int w_min, adi_steal_bounds *out);

/* The k-th smallest (k >= 1) of the slots {first[i] + j step[i] : j >= 0}
** (first[i] >= 0, step[i] > 0): the k-th start a pool can reach at best. */
int adi_split_kth_slot(const double *first, const double *step, size_t n, uint64_t k,
                       double *slot);

#endif
