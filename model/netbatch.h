/*
** model/netbatch.h — the throughput bound of batches over a star
** (pull_batch = b > 1 with [network]: a request takes up to b tasks, which
** travel as one message, sim/net.c), as pure functions.
**
** Device i runs a batch of k <= b tasks in T_i(k) = T_i scale_i[k] (the
** engine's batch law: scale_i[1] = 1). In the notation of model/network.h
** (b_i the least capacity on its path, prefetch p: 1 + p requests out), a
** batch of k costs it, per resource:
**
**   compute      T_i(k)
**   its link     k S_in / B_i down, k S_out / B_i up
**   its window   c0_i(k) / (1 + p),  c0_i(k) = 2 L_i + k S_in / b_i + T_i(k)
**                (request, k inputs' bytes, the batch's computation)
**
** and cycle_i(k) is the largest of them: a device that ran batches of k
** alone could not average more than k / cycle_i(k) tasks/s.
**
** ---- Why the bound holds (any run of the engine, deterministic times)
**
** Over a makespan M device i runs batches X of sizes k_X. Its computations
** are serial: sum_X T_i(k_X) <= M; its bytes cross its link: sum_X k_X
** S_in <= B_i M (and S_out). The window: pair each batch with the request
** it was given to; the pair lives from that request's sending to the
** batch's computation, at least L_i + L_i + k_X S_in / b_i + T_i(k_X) =
** c0_i(k_X), and at most 1 + p pairs live at once (a device has 1 + p
** requests or uncomputed batches out, and sends a request when a batch is
** computed), so sum_X c0_i(k_X) <= (1 + p) M, whatever order batches are
** dispatched, arrive or finish in. With J batches and N tasks these sums
** depend on the sizes only through J, N and sum_X T_i(k_X) >= J conv_i(N/J),
** conv_i the lower convex hull of k -> T_i(k) over k = 1..b. So N / M <=
**
**   r_i = max over real k in [1, b] of k / cycle'_i(k)
**
** with cycle'_i the cycle above with conv_i for T_i (mixing two batch sizes
** can beat each alone when each is held back by another resource: the
** linear program's vertex). For an affine law (a synthetic pool's
** batch_overhead: T_i(k) = T_i (f + (1 - f) k), f >= 0) conv_i = T_i and
** every term is affine with a non-negative intercept, so k / cycle_i(k)
** grows with k and r_i = b / cycle_i(b): the sum_i b / T_i(b) with
** the network's terms. The segments and the coordinator bound sums as for
** R_net (their bytes per task do not change), so
**
**   R_b,net = R_net with 1 / cycle_i replaced by r_i
**             (adi_netmodel_throughput_caps),
**   makespan >= max(m / R_b,net, min_i min_k trip_i(k)),
**   trip_i(k) = c0_i(k) + L_i + k S_out / b_i   (the last task's message).
**
** b = 1 is R_net exactly. Pull's greedy bound (G(k)) is not claimed for
** batches: it takes one task per message.
**
** Finding r_i: on each segment of conv_i every term is affine in k and
** each ratio k / term is monotone, so the maximum of their minimum is at a
** segment's end or where two terms cross (at most three points). Cost:
** O(b) per device (the hull), O(n log n) for the pool; O(b) scratch.
** Units: seconds, bytes, bytes/s.
*/
#ifndef ADI_MODEL_NETBATCH_H
#define ADI_MODEL_NETBATCH_H

#include "model/network.h"

/* r_i (tasks/s) for device i at prefetch p with batch times T_i scale[k]
** (scale[1..b], each > 0), b >= 1; *trip (NULL allowed) its least trip_i(k)
** in s. ADI_OK, ADI_EINPUT (a bad star, b = 0 or a scale <= 0) or ADI_ENOMEM. */
int adi_netbatch_rate(const adi_star *s, size_t i, uint64_t p, const double *scale, uint64_t b,
                      double *rate, double *trip);

/* R_b,net (tasks/s) and min_i min_k trip_i(k) (s) for the pool: scale[i]
** is device i's row (the engine's adi_sim_policy_params.batch_scale). */
int adi_netbatch_throughput(const adi_star *s, uint64_t p, const double *const *scale,
                            uint64_t b, double *R, double *trip);

#endif
