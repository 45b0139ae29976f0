/*
** model/network.h — the network-aware model of pull over a star (DESIGN.md
** "The network"), as pure functions: no simulation, no allocation visible
** to the caller beyond adi_netmodel's own array.
**
** The star: device i computes a task in T_i, reaches the coordinator over
** its full-duplex link (B_i bytes/s each way, one-way latency L_i), maybe
** behind a shared segment (B_s), and everything crosses the coordinator's
** link (B_c). A task moves S_in bytes down and S_out bytes up; a device
** keeps up to 1 + k tasks outstanding (prefetch k). With
**
**   b_i  = min(B_i, B_s, B_c)             the fastest its bytes can move
**   c0_i = 2 L_i + S_in / b_i + T_i       request sent .. task computed, alone
**   h_i  = max(T_i, S_in / B_i, S_out / B_i)   its slowest resource
**
** the model gives, per device:
**
**   cycle_i(k) = max(h_i, c0_i / (1 + k))  the least time per task it can
**                average (k = 0: max(c0_i, S_out / B_i), the issue's
**                2 L_i + S_in / B_i + T_i when the output is not slower)
**   k_hide_i   = the least k with c0_i / (1 + k) <= h_i: the prefetch that
**                hides its transfers (cycle_i = h_i from there on)
**   limit      = what bounds it: its compute (T_i), its link (S / B_i), its
**                transfers (the round trip c0_i / (1 + k): more prefetch
**                helps), its segment or the coordinator (its share of them)
**
** and for the pool:
**
**   R_net(k) = max sum_i x_i  subject to  x_i <= 1 / cycle_i(k),
**              sum over a segment's devices x_i <= B_s / max(S_in, S_out),
**              sum_i x_i <= B_c / max(S_in, S_out)
**            = min(B_c / S_max, sum_segments min(B_s / S_max, sum_i 1/cycle_i)
**                  + sum_{i on no segment} 1 / cycle_i)    (tasks/s)
**   makespan >= max(m / R_net(k), min_i trip_i),
**              trip_i = c0_i + L_i + S_out / b_i (one task, alone)
**   makespan <= the greedy bound G(k) below (deterministic pull, batch)
**
** ---- Why the lower bounds hold (any run, any times that are these means)
**
** Let N_i tasks be done on device i by the makespan M. Its computations are
** serial: N_i T_i <= M. Its inputs all cross its link down and its outputs
** up: N_i S_in <= B_i M, N_i S_out <= B_i M; the same for the sums over a
** segment and over the coordinator. The window: requests are sent 1 + k at
** t = 0 and one per computed task, so request number j + 1 + k leaves when
** task j is computed (C_j), and its task is computed no earlier than
** C_j + L_i (request) + L_i + S_in / b_i (input) + T_i: C_{j+1+k} >=
** C_j + c0_i, and C_r >= c0_i for r <= 1 + k, so C_j >= ceil(j/(1+k)) c0_i
** and N_i c0_i / (1 + k) <= M. (The j-th input to arrive is no earlier than
** the j-th request's arrival plus L_i + S_in / b_i, whatever order they
** take.) So x_i = N_i / M satisfies every constraint of the program above,
** and m / M = sum x_i <= R_net. A single task needs trip_i on its device.
**
** "Its share of the coordinator", precisely: a lower bound may not assume
** any fair share, because a device whose neighbours are computing gets the
** whole coordinator link (its transfer time is S_in / b_i, never S_in /
** (B_c / n)). The coordinator and the segments enter only as limits on sums.
** The per-device `share` below is the max-min division of R_net among the
** devices (progressive filling of task rates through segments and the
** coordinator, as the links share bytes): it says which devices a shared
** resource holds back (their limit is that resource), and the shares add
** up to R_net, but one device's share is not a bound on that device.
**
** ---- The greedy upper bound (deterministic pull, batch at t = 0, no submit
** cost, requests served FIFO)
**
** Worst shares. Max-min sharing gives every moving flow at least
** min over the resources r of its path of C_r / n_r, n_r the flows on r
** (when r saturates and fixes the flow at rate x, every flow on r has a rate
** <= x, so C_r <= n_r x). Device i never has more than min(1 + k, m)
** inputs in flight (they are outstanding tasks), a segment min(m, (1 + k)
** n_s), the coordinator min(m, (1 + k) n). So every input of device i
** takes at most D_i = S_in / beta_i after its latency, beta_i =
** min(B_i / (1 + k), B_s / ((1 + k) n_s), B_c / ((1 + k) n)) (counts capped
** at m), and with
**
**   c1_i = 2 L_i + D_i + T_i,   U_i = max(T_i, c1_i / (1 + k))
**
** (a) C_j <= c1_i + (j - 1) U_i for every task j dispatched to device i
** (C_j: when it is computed). While tasks are queued every request is
** served the moment it arrives, so dispatch j happens at x_j = L_i for j
** <= 1 + k and at x_j = C_{j-1-k} + L_i after; the j-th input arrives by
** x_j + L_i + D_i; and C_j = max(A_j, C_{j-1}) + T_i. By induction, the
** first term is at most C_{j-1-k} + c1_i <= c1_i + (j - 2 - k) U_i + c1_i
** <= c1_i + (j - 1) U_i, since (1 + k) U_i >= c1_i; the second at most
** c1_i + (j - 2) U_i + T_i <= c1_i + (j - 1) U_i, since U_i >= T_i.
**
** The last dispatch s (when the m-th task is sent). Device i's requests
** surely arrive by rho_il: 1 + k of them at L_i, then one at c1_i + (j - 1)
** U_i + L_i for j = 1, 2, ... (request j + 1 + k leaves when task j is
** computed, by c1_i + (j - 1) U_i by (a) once task j was dispatched, that
** is once request j arrived, which by induction it did by rho_ij <=
** rho_i,j+1+k). Before s every request that arrived was served, and fewer
** than m were, so fewer than m of the rho are below s: s <= s_max = the
** m-th smallest rho (found by bisection), whichever way ties are served.
** With no network this is about m / R, the old argument; with few tasks it
** sees that only the devices whose requests arrive first can get one.
**
** The tasks a device can hold. N_i is at most its requests that arrived by
** s_max: none if L_i > s_max, else 1 + k plus one per task computed by
** s_max - L_i, where C_j >=
** max(ceil(j/(1+k)) c0_i, c0_i + (j - 1) T_i, 2 L_i + j S_in / b_i + T_i)
** (the window, the serial computations, its inputs' bytes): N_i^max.
**
** (b) Its last computation: C_N <= x_N + L_i + D_i + (1 + k) T_i <= s_max +
** L_i + D_i + (1 + k) T_i (C_N = max_l A_l + (N - l + 1) T_i; for the last
** 1 + k inputs A_l <= x_N + L_i + D_i; an earlier l was computed before
** request N left at C_{N-1-k} = x_N - L_i).
**
** Its outputs. Same path, same max-min rate: device i's outputs leave its
** link in the order they started, so its last one ends last (F_i). Let
** [tau, F_i] be the longest stretch ending at F_i in which one of them is
** always moving; it began with output N - q + 1, at C_{N-q+1} + L_i. At
** every instant a moving flow has a saturated resource on its path, and a
** resource of capacity C is saturated for at most bytes / C of any
** stretch: its link carried q S_out bytes then, its segment and the
** coordinator at most all their outputs. So F_i <= L_i + max over q of
** [min(c1_i + (N - q) U_i, C_N(b) - (q - 1) T_i) + q S_out / B_i] +
** S_out (sum of N^max over its segment) / B_s + m S_out / B_c.
**
**   G(k) = max over devices with N_i^max >= 1 of that F_i bound.
**
** With no network (L = 0, S = 0) this is at most m / R + max T_i, today's
** bound. Where it is loose: the inputs' worst share assumes 1 + k inputs
** (and, with a finite B_c, every device's) moving at once; the last outputs
** are charged every output's bytes on a finite coordinator or segment (up
** to a factor 2 on a star bound by the coordinator in both directions); and
** devices whose requests tie for the last tasks all count as holding them,
** so one slow device among them sets G (m = 1 and several L_i = 0).
** tests/test_network_model.c checks both bounds against the plain reference
** (bench/peers/net_ref.c) on random and adversarial stars.
**
** Open workloads: a Poisson stream at lambda can be stable only if lambda
** <= R_net(k); what each resource is busy follows from the tasks it moves
** (the utilization law, adi_netmodel_loads).
**
** Cost: O(n log n) time for the water levels (a sort per segment and one
** for the coordinator), O(n) per bisection step of s_max (about 50 steps),
** O(n) memory. Units: seconds, bytes, bytes/s.
*/
#ifndef ADI_MODEL_NETWORK_H
#define ADI_MODEL_NETWORK_H

#include <stddef.h>
#include <stdint.h>

typedef struct adi_netdev {
    double time;    /* T_i, s per task (> 0) */
    double bw;      /* B_i, bytes/s each way (> 0; INFINITY: no limit) */
    double latency; /* L_i, s one way (>= 0) */
    long segment;   /* index into adi_star.seg_bw, or -1 for none */
} adi_netdev;

typedef struct adi_star {
    size_t n;                 /* devices (>= 1) */
    const adi_netdev *dev;    /* [n] */
    size_t nseg;              /* shared segments */
    const double *seg_bw;     /* [nseg] bytes/s each way (> 0; INFINITY allowed) */
    double coord_bw;          /* B_c, bytes/s each way (> 0; INFINITY: no limit) */
    double s_in, s_out;       /* bytes per task, down and up (>= 0) */
} adi_star;

/* What bounds a device (in this order when two terms tie). */
typedef enum adi_netlimit {
    ADI_NETLIMIT_COMPUTE,     /* T_i */
    ADI_NETLIMIT_LINK,        /* S_in / B_i or S_out / B_i: its link's bandwidth */
    ADI_NETLIMIT_TRANSFERS,   /* c0_i / (1 + k): its round trip, not hidden at this k */
    ADI_NETLIMIT_SEGMENT,     /* its share of its segment */
    ADI_NETLIMIT_COORDINATOR, /* its share of the coordinator's link */
    ADI_NETLIMIT_COUNT
} adi_netlimit;

/* "compute", "link", "transfers", "segment", "coordinator" (static). */
const char *adi_netlimit_name(adi_netlimit l);

/* ADI_OK, or ADI_EINPUT naming the first bad value ("device 2: bandwidth
** must be > 0, got 0"). Every function below checks the star first. */
int adi_star_check(const adi_star *s);

/* Device i's least mean time per task at prefetch k (cycle_i(k), s), and
** the term that sets it (compute, link or transfers; *limit may be NULL). */
double adi_netmodel_cycle(const adi_star *s, size_t i, uint64_t k, adi_netlimit *limit);

/* Device i's trip, s: one task alone, its request sent to its output in
** (c0_i + L_i + S_out / b_i). */
double adi_netmodel_trip(const adi_star *s, size_t i);

/* The least k that hides device i's transfers (UINT64_MAX if even 2^62
** would not: a device whose round trip is 2^62 times its compute). */
uint64_t adi_netmodel_hiding_prefetch(const adi_star *s, size_t i);

/* R_net(k) in tasks/s. share (NULL or [n]) receives each device's max-min
** share of it, limit (NULL or [n]) what bounds each device in the pool. */
int adi_netmodel_throughput(const adi_star *s, uint64_t k, double *R, double *share,
                            adi_netlimit *limit);

/* R for given per-device caps (cap[n], tasks/s, > 0): the program above
** with 1 / cycle_i(k) replaced by cap[i] (model/netbatch.h: batches). */
int adi_netmodel_throughput_caps(const adi_star *s, const double *cap, double *R);

/* The greedy upper bound G(k) on the makespan of m >= 1 tasks, s; and
** (NULL allowed) s_max, the bound on the last dispatch. */
int adi_netmodel_greedy_upper(const adi_star *s, uint64_t m, uint64_t k, double *upper,
                              double *last_dispatch);

/* Per device of a pool at prefetch k (adi_netmodel_compute). */
typedef struct adi_netmodel_device {
    double round_trip;   /* s: c0_i */
    double trip;         /* s: one task alone, request to output in */
    double cycle;        /* s per task at best, at k */
    double cycle0;       /* the same at k = 0 */
    double hidden;       /* h_i: at k >= k_hide */
    uint64_t k_hide;     /* least prefetch that hides its transfers */
    adi_netlimit limit;  /* what bounds it in the pool at k */
    double share;        /* tasks/s: its max-min share of R */
    double worst_cycle;  /* U_i, s per task at worst while tasks are queued */
} adi_netmodel_device;

typedef struct adi_netmodel {
    size_t n;
    uint64_t m, k;
    double R;            /* tasks/s: R_net(k) */
    double R0;           /* R_net(0) */
    uint64_t k_hide;     /* max_i k_hide_i: the prefetch that hides every device's */
    double R_hidden;     /* R_net(k_hide) */
    double coordinator;  /* tasks/s: B_c / max(S_in, S_out) (INFINITY: none) */
    double lower;        /* s: max(m / R, min_i trip_i) */
    double greedy_upper; /* s: G(k) */
    double last_dispatch;/* s: s_max */
    adi_netmodel_device *dev; /* [n]; owned, adi_netmodel_free */
} adi_netmodel;

/* Everything above for m >= 1 tasks at prefetch k. On failure nothing is
** allocated. Free with adi_netmodel_free (NULL or zeroed: nothing). */
int adi_netmodel_compute(const adi_star *s, uint64_t m, uint64_t k, adi_netmodel *out);
void adi_netmodel_free(adi_netmodel *nm);

/* Utilization law: with device i doing rate[i] tasks/s in the long run,
** the fraction of time each resource is busy (1 = saturated; above 1: not
** a possible run). Arrays of n, nseg entries; any may be NULL. */
typedef struct adi_netload {
    double compute;      /* rate T_i */
    double down, up;     /* rate S_in / B_i, rate S_out / B_i */
} adi_netload;
int adi_netmodel_loads(const adi_star *s, const double *rate, adi_netload *dev,
                       adi_netload *seg, adi_netload *coord);

#endif
