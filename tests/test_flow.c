/*
** tests/test_flow.c — the bandwidth-sharing module (sim/flow.h).
**
** Hand-computed cases first (each comment shows the arithmetic), then the
** module "always tells the truth": thousands of random sequences of joins,
** cuts, completions, clock advances and capacity changes, compared after
** every step with a naive oracle that recomputes every rate from scratch by
** the textbook progressive filling and moves every flow's bytes at every
** step (no components, no laziness, no heaps).
*/
#include "helpers.h"

#include "sim/flow.h"

#include <float.h>

static const double INF = INFINITY;

static adi_flownet *net_of(size_t n, const double *cap)
{
    adi_flownet *net = NULL;
    assert_int_equal(adi_flow_new(&net, n, cap), ADI_OK);
    return net;
}

static uint32_t start(adi_flownet *net, double bytes, const uint32_t *path, size_t len)
{
    uint32_t id = UINT32_MAX;
    assert_int_equal(adi_flow_start(net, bytes, path, len, 0, &id), ADI_OK);
    return id;
}

/* Advances to the next completion, checks it is flow `id` at time t, removes it. */
static void finishes(adi_flownet *net, uint32_t id, double t, double rel)
{
    double when;
    uint32_t who;
    assert_int_equal(adi_flow_next(net, &when, &who), 1);
    assert_int_equal(who, id);
    assert_close(when, t, rel);
    assert_int_equal(adi_flow_advance(net, when), ADI_OK);
    assert_int_equal(adi_flow_remove(net, id), ADI_OK);
}

/* One flow of 1000 B over a 100 B/s device link and an infinite
** coordinator: 10 s at 100 B/s. */
static void one_flow(void **state)
{
    (void)state;
    double cap[2] = {100, INF};
    adi_flownet *net = net_of(2, cap);
    uint32_t path[2] = {0, 1};
    uint32_t a = start(net, 1000, path, 2);
    assert_true(adi_flow_rate(net, a) == 100);
    assert_true(adi_flow_finish(net, a) == 10);
    assert_int_equal(adi_flow_advance(net, 4), ADI_OK);
    assert_true(adi_flow_left(net, a) == 600);
    finishes(net, a, 10, 0);
    assert_int_equal(adi_flow_count(net), 0);
    double t;
    uint32_t id;
    assert_int_equal(adi_flow_next(net, &t, &id), 0);
    adi_flow_free(net);
}

/* Devices 0 (30 B/s) and 1 (100 B/s) share a 100 B/s coordinator link.
** Filling: the coordinator offers 50 each, device 0 only 30, so A = 30;
** the coordinator's 70 left go to B (device 1 offers 100): B = 70.
** A (300 B) ends at 10 s; B has 1400 - 700 = 700 B left, now alone at
** min(100, 100) = 100 B/s: it ends at 17 s. */
static void two_flows_share_coordinator(void **state)
{
    (void)state;
    double cap[3] = {30, 100, 100};
    adi_flownet *net = net_of(3, cap);
    uint32_t pa[2] = {0, 2}, pb[2] = {1, 2};
    uint32_t a = start(net, 300, pa, 2), b = start(net, 1400, pb, 2);
    assert_true(adi_flow_rate(net, a) == 30);
    assert_true(adi_flow_rate(net, b) == 70);
    finishes(net, a, 10, 1e-15);
    assert_true(adi_flow_rate(net, b) == 100);
    assert_close(adi_flow_left(net, b), 700, 1e-15);
    finishes(net, b, 17, 1e-15);
    adi_flow_free(net);
}

/* A (1000 B) alone on 100 B/s; at 4 s (600 B left) B (200 B) joins: 50 B/s
** each. B ends at 4 + 200/50 = 8 s, A has 600 - 200 = 400 B left then and
** ends at 8 + 400/100 = 12 s. */
static void flow_joins_mid_transfer(void **state)
{
    (void)state;
    double cap[1] = {100};
    adi_flownet *net = net_of(1, cap);
    uint32_t path[1] = {0};
    uint32_t a = start(net, 1000, path, 1);
    assert_int_equal(adi_flow_advance(net, 4), ADI_OK);
    uint32_t b = start(net, 200, path, 1);
    assert_true(adi_flow_rate(net, a) == 50 && adi_flow_rate(net, b) == 50);
    assert_true(adi_flow_left(net, a) == 600);
    finishes(net, b, 8, 0);
    assert_true(adi_flow_left(net, a) == 400);
    finishes(net, a, 12, 0);
    adi_flow_free(net);
}

/* A request is latency only: the caller waits L and starts no flow, or
** starts a 0-byte one, which is through the instant it starts and takes
** no share (A's completion time keeps its bits). The caller's transfer of
** S bytes after a request is L + S / rate after the request's L: with
** L = 5 ms, S = 1000 B, 100 B/s the input is in at 2 L + 10 s. */
static void latency_only_requests(void **state)
{
    (void)state;
    double cap[2] = {100, INF};
    adi_flownet *net = net_of(2, cap);
    uint32_t path[2] = {0, 1};
    const double L = 0.005;
    /* the request: no flow; it reaches the coordinator at L */
    assert_int_equal(adi_flow_advance(net, L), ADI_OK);
    /* the input's latency, then its bytes */
    assert_int_equal(adi_flow_advance(net, 2 * L), ADI_OK);
    uint32_t a = start(net, 1000, path, 2);
    double before = adi_flow_finish(net, a);
    assert_true(before == 2 * L + 10);
    /* another device's request crossing the same link as a 0-byte flow */
    assert_int_equal(adi_flow_advance(net, 3), ADI_OK);
    uint32_t r = start(net, 0, path, 2);
    assert_true(adi_flow_rate(net, a) == 100);
    finishes(net, r, 3, 0);
    assert_true(adi_flow_finish(net, a) == before);
    finishes(net, a, before, 0);
    adi_flow_free(net);
}

/* Devices 0, 1, 2 (100 B/s each) behind a 150 B/s segment, device 3
** (100 B/s) on its own, a 300 B/s coordinator; one upload each of 100, 200,
** 300, 400 B. Filling: segment 50 per flow, coordinator 75, devices 100:
** the segment saturates, flows 0-2 get 50; the coordinator's 150 left go
** to flow 3, capped by its device at 100.
**   t = 2: flow 0 done (100/50). Flows 1, 2 have 100, 200 B left; the
**          segment now offers 75 each: 1 ends at 2 + 100/75 = 10/3 s.
**   t = 10/3: flow 2 has 200 - 100 = 100 B left, alone on the segment at
**          min(100, 150) = 100 B/s: ends at 13/3 s.
** Flow 3 runs at 100 B/s throughout: 4 s. */
static void segment_shared_by_three(void **state)
{
    (void)state;
    double cap[6] = {100, 100, 100, 100, 150, 300}; /* d0..d3, segment, coordinator */
    adi_flownet *net = net_of(6, cap);
    uint32_t id[4];
    for (uint32_t d = 0; d < 4; d++) {
        uint32_t behind[3] = {d, 4, 5}, alone[2] = {d, 5};
        id[d] = d < 3 ? start(net, 100.0 * (d + 1), behind, 3) : start(net, 400, alone, 2);
    }
    for (int d = 0; d < 3; d++)
        assert_true(adi_flow_rate(net, id[d]) == 50);
    assert_true(adi_flow_rate(net, id[3]) == 100);
    finishes(net, id[0], 2, 1e-15);
    assert_true(adi_flow_rate(net, id[1]) == 75 && adi_flow_rate(net, id[2]) == 75);
    finishes(net, id[1], 10.0 / 3, 1e-15);
    assert_true(adi_flow_rate(net, id[2]) == 100);
    finishes(net, id[3], 4, 0);
    finishes(net, id[2], 13.0 / 3, 1e-15);
    adi_flow_free(net);
}

/* Infinite capacities constrain nothing: a path of infinite resources is
** through at once; an infinite coordinator does not couple two devices (a
** join on one leaves the other's completion bits alone), a finite one
** does, and making it finite mid-run shares it from then on. */
static void infinite_capacities(void **state)
{
    (void)state;
    double cap[3] = {100, 50, INF}; /* d0, d1, coordinator */
    adi_flownet *net = net_of(3, cap);
    uint32_t p0[2] = {0, 2}, p1[2] = {1, 2}, pc[1] = {2};
    uint32_t z = start(net, 1e6, pc, 1);
    assert_true(isinf(adi_flow_rate(net, z)));
    finishes(net, z, 0, 0);
    uint32_t a = start(net, 1000, p0, 2);
    double fa = adi_flow_finish(net, a);
    assert_true(fa == 10);
    assert_int_equal(adi_flow_advance(net, 1), ADI_OK);
    uint32_t b = start(net, 500, p1, 2);
    assert_true(adi_flow_rate(net, b) == 50 && adi_flow_finish(net, a) == fa);
    /* at 2 s the coordinator becomes 120 B/s: offers 60 each; d1 offers 50,
    ** so b keeps 50 and a gets 70 (800 B left at 2 s: done at 2 + 800/70) */
    assert_int_equal(adi_flow_advance(net, 2), ADI_OK);
    assert_int_equal(adi_flow_set_capacity(net, 2, 120), ADI_OK);
    assert_true(adi_flow_rate(net, a) == 70 && adi_flow_rate(net, b) == 50);
    finishes(net, b, 11, 1e-15); /* 500 B at 50 B/s from 1 s */
    /* at 11 s: a has 800 - 9 * 70 = 170 B left, alone: min(100, 120) */
    assert_close(adi_flow_left(net, a), 170, 1e-13);
    finishes(net, a, 11 + 1.7, 1e-13);
    adi_flow_free(net);
}

/* Where a shared resource's plain share is not the answer (sim/flow.c's
** share_hub must see it and leave the case to the filling):
**  - a resource of the hub's flows carries a flow that does not cross the
**    hub: 0 (100 B/s) carries a1 [0, 1] and a2 [0]; 1 (300 B/s) carries a1
**    and b [1, 2]; 2 is 1000 B/s. Hub 0 saturates at 50 each, then b gets
**    1's 300 - 50 = 250 (it had 200 while a1 had 100).
**  - a leaver's other resource is not in the hub's component: p, q on 0
**    (100 B/s), g on 1 (60 B/s), f on [0, 1]: 1 saturates first (30 each),
**    p = q = (100 - 30) / 2 = 35; when f leaves, p = q = 50 and g = 60.
**  - a tie: 1 (100 B/s) carries b, c and a [0, 1], and 0's capacity is
**    exactly 1's share 100 / 3: the filling takes 0 first (the lower
**    index), so a = 100 / 3 and b = c = (100 - 100 / 3) / 2, which in
**    doubles is one ulp below 100 / 3. */
static void hub_shortcut_limits(void **state)
{
    (void)state;
    double c1[3] = {100, 300, 1000};
    adi_flownet *net = net_of(3, c1);
    uint32_t pa1[2] = {0, 1}, pa2[1] = {0}, pb[2] = {1, 2};
    uint32_t a1 = start(net, 1e6, pa1, 2), b = start(net, 1e6, pb, 2);
    assert_true(adi_flow_rate(net, a1) == 100 && adi_flow_rate(net, b) == 200);
    uint32_t a2 = start(net, 1e6, pa2, 1);
    assert_true(adi_flow_rate(net, a1) == 50 && adi_flow_rate(net, a2) == 50);
    assert_true(adi_flow_rate(net, b) == 250);
    adi_flow_free(net);

    double c2[2] = {100, 60};
    net = net_of(2, c2);
    uint32_t on0[1] = {0}, on1[1] = {1}, both[2] = {0, 1};
    uint32_t p = start(net, 1e6, on0, 1), q = start(net, 1e6, on0, 1);
    uint32_t g = start(net, 1e6, on1, 1), f = start(net, 1e6, both, 2);
    assert_true(adi_flow_rate(net, f) == 30 && adi_flow_rate(net, g) == 30);
    assert_true(adi_flow_rate(net, p) == 35 && adi_flow_rate(net, q) == 35);
    assert_int_equal(adi_flow_remove(net, f), ADI_OK);
    assert_true(adi_flow_rate(net, p) == 50 && adi_flow_rate(net, q) == 50);
    assert_true(adi_flow_rate(net, g) == 60);
    adi_flow_free(net);

    double third = 100.0 / 3, rest = (100 - third) / 2;
    assert_true(rest != third); /* the case needs the two to differ */
    double c3[2] = {third, 100};
    net = net_of(2, c3);
    uint32_t pb1[1] = {1}, pab[2] = {0, 1};
    uint32_t b1 = start(net, 1e6, pb1, 1), c = start(net, 1e6, pb1, 1);
    assert_true(adi_flow_rate(net, b1) == 50 && adi_flow_rate(net, c) == 50);
    uint32_t a = start(net, 1e6, pab, 2);
    assert_true(adi_flow_rate(net, a) == third);
    assert_true(adi_flow_rate(net, b1) == rest && adi_flow_rate(net, c) == rest);
    adi_flow_free(net);
}

static void bad_calls(void **state)
{
    (void)state;
    adi_flownet *net = NULL;
    double neg[1] = {-1}, cap[2] = {100, INF};
    assert_int_equal(adi_flow_new(&net, 1, neg), ADI_EINPUT);
    assert_null(net);
    assert_int_equal(adi_flow_new(&net, 0, cap), ADI_EINPUT);
    net = net_of(2, cap);
    uint32_t id, twice[2] = {0, 0}, far[1] = {2}, ok[2] = {0, 1};
    assert_int_equal(adi_flow_start(net, 1, twice, 2, 0, &id), ADI_EINPUT);
    assert_int_equal(adi_flow_start(net, 1, far, 1, 0, &id), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "resource 2"));
    assert_int_equal(adi_flow_start(net, -1, ok, 2, 0, &id), ADI_EINPUT);
    assert_int_equal(adi_flow_start(net, NAN, ok, 2, 0, &id), ADI_EINPUT);
    assert_int_equal(adi_flow_start(net, 1, ok, 0, 0, &id), ADI_EINPUT);
    assert_int_equal(adi_flow_start(net, 1, ok, ADI_FLOW_PATH_MAX + 1, 0, &id), ADI_EINPUT);
    assert_int_equal(adi_flow_count(net), 0);
    id = start(net, 1000, ok, 2);
    assert_int_equal(adi_flow_advance(net, 11), ADI_EINPUT); /* it ends at 10 */
    assert_non_null(strstr(adi_errmsg(), "remove it first"));
    assert_int_equal(adi_flow_advance(net, 5), ADI_OK);
    assert_int_equal(adi_flow_advance(net, 4), ADI_EINPUT);
    assert_int_equal(adi_flow_set_capacity(net, 7, 1), ADI_EINPUT);
    assert_int_equal(adi_flow_set_capacity(net, 0, NAN), ADI_EINPUT);
    assert_int_equal(adi_flow_remove(net, id + 1), ADI_EINPUT);
    assert_int_equal(adi_flow_remove(net, id), ADI_OK);
    assert_int_equal(adi_flow_remove(net, id), ADI_EINPUT);
    adi_flow_free(net);
    adi_flow_free(NULL);
}

/* ---- the naive oracle ---------------------------------------------------- */

enum { MAXR = 48, MAXF = 64 };

typedef struct naive {
    size_t nres;
    double cap[MAXR];
    struct {
        int on;
        double left, rate, size;
        uint32_t path[ADI_FLOW_PATH_MAX];
        size_t len;
    } f[MAXF];   /* indexed by the module's id */
} naive;

/* Progressive filling from scratch: while some flow is unfixed, the finite
** resource with the least capacity left per unfixed flow saturates and
** fixes its flows at that share. Flows on no finite resource: infinite. */
static void naive_rates(naive *s)
{
    double left[MAXR];
    int fixed[MAXF] = {0};
    memcpy(left, s->cap, sizeof left);
    for (;;) {
        int best = -1;
        double share = 0;
        for (size_t r = 0; r < s->nres; r++) {
            if (isinf(s->cap[r]))
                continue;
            int count = 0;
            for (int i = 0; i < MAXF; i++)
                if (s->f[i].on && s->f[i].size > 0 && !fixed[i])
                    for (size_t j = 0; j < s->f[i].len; j++)
                        count += s->f[i].path[j] == r;
            if (count && (best < 0 || left[r] / count < share)) {
                best = (int)r;
                share = left[r] / count;
            }
        }
        if (best < 0)
            break;
        if (share < 0)
            share = 0;
        for (int i = 0; i < MAXF; i++) {
            if (!s->f[i].on || s->f[i].size == 0 || fixed[i])
                continue;
            int crosses = 0;
            for (size_t j = 0; j < s->f[i].len; j++)
                crosses |= s->f[i].path[j] == (uint32_t)best;
            if (!crosses)
                continue;
            fixed[i] = 1;
            s->f[i].rate = share;
            for (size_t j = 0; j < s->f[i].len; j++)
                left[s->f[i].path[j]] -= share;
        }
    }
    for (int i = 0; i < MAXF; i++)
        if (s->f[i].on && (!fixed[i] || s->f[i].size == 0)) {
            s->f[i].rate = INFINITY; /* through this instant */
            s->f[i].left = 0;
        }
}

static void naive_advance(naive *s, double dt)
{
    for (int i = 0; i < MAXF; i++) {
        if (!s->f[i].on)
            continue;
        if (!isinf(s->f[i].rate))
            s->f[i].left = fmax(0, s->f[i].left - s->f[i].rate * dt);
    }
}

/* How far two correct computations of a flow's bytes left may differ: a
** relative 1e-9 of its size, plus what rate * (time rounded to a few ulps
** of the clock) moves. */
static double bytes_tol(double size, double rate, double now)
{
    return 1e-9 * size + 1e-9 + (isinf(rate) ? 0 : 8 * DBL_EPSILON * now * rate);
}

/* Both agree on every active flow's rate, bytes left and completion time.
** Rates bit for bit: the oracle's arithmetic is the filling's (each
** resource's share is capacity left / flows unfixed, the least saturates,
** ties to the lower index, each fixed flow subtracts its rate once), and
** the module's shortcuts (a lone flow, share_hub) must give the filling's
** bits. Bytes and times within a tolerance: the oracle moves every flow's
** bytes at every step, the module only when its rate changes. */
static void agree(const adi_flownet *net, const naive *s)
{
    size_t on = 0;
    double now = adi_flow_now(net);
    for (uint32_t i = 0; i < MAXF; i++) {
        if (!s->f[i].on)
            continue;
        on++;
        double rate = adi_flow_rate(net, i), want = s->f[i].rate;
        if (isinf(want))
            assert_true(isinf(rate));
        else if (!(rate == want)) {
            print_error("flow %u: rate %.17g B/s, the oracle says %.17g\n", i, rate, want);
            fail();
        }
        double tol = bytes_tol(s->f[i].size, want, now);
        double left = adi_flow_left(net, i);
        if (!(fabs(left - s->f[i].left) <= tol)) {
            print_error("flow %u: %.17g bytes left, the oracle says %.17g\n", i, left, s->f[i].left);
            fail();
        }
        /* the oracle's completion time, within what its bytes' tolerance
        ** and 1e-9 relative allow */
        double fin = adi_flow_finish(net, i);
        double nf = isinf(want) ? now : now + s->f[i].left / want;
        if (!(fabs(fin - nf) <= 1e-9 * fmax(1, nf) + (isinf(want) ? 0 : tol / want))) {
            print_error("flow %u: finishes at %.17g s, the oracle says %.17g s\n", i, fin, nf);
            fail();
        }
    }
    assert_int_equal(adi_flow_count(net), on);
}

static double uniform(void)
{
    return (double)rand() / ((double)RAND_MAX + 1);
}

/* A star as sim/net.c lays it out: device i up 2i, down 2i + 1, segment g
** up 2n + 2g, down 2n + 2g + 1, the coordinator up and down last; a flow
** crosses its device's link, its segment if it has one, and the
** coordinator's link, in one direction. */
typedef struct star_shape {
    int n, nseg;
    int seg[16];      /* each device's segment, or -1 */
} star_shape;

static double star_cap(int same)
{
    int kind = rand() % 8;
    return same ? 1000 : kind == 0 ? INFINITY : kind < 3 ? 1000 : (double)(1 + rand() % 5000) * 0.5;
}

/* A random star of 1 to 16 devices and 0 to 2 segments; in half of them
** every capacity is the same (the filling's ties: a device's link offers
** exactly the coordinator's share). */
static void star_random(naive *s, star_shape *st)
{
    st->n = 1 + rand() % 16;
    st->nseg = rand() % 3;
    int same = rand() % 2;
    s->nres = (size_t)(2 * st->n + 2 * st->nseg + 2);
    for (int i = 0; i < st->n; i++) {
        st->seg[i] = st->nseg && rand() % 2 ? rand() % st->nseg : -1;
        s->cap[2 * i] = s->cap[2 * i + 1] = star_cap(same);
    }
    for (int g = 0; g < st->nseg; g++)
        s->cap[2 * st->n + 2 * g] = s->cap[2 * st->n + 2 * g + 1] = star_cap(same);
    s->cap[s->nres - 2] = s->cap[s->nres - 1] = same || rand() % 4 ? 1000 : star_cap(0);
}

static size_t star_path(const star_shape *st, size_t nres, uint32_t *path)
{
    int d = rand() % st->n, down = rand() % 2;
    size_t len = 0;
    path[len++] = (uint32_t)(2 * d + down);
    if (st->seg[d] >= 0)
        path[len++] = (uint32_t)(2 * st->n + 2 * st->seg[d] + down);
    path[len++] = (uint32_t)(nres - 2 + (size_t)down);
    return len;
}

/* Random capacities on a random network of up to `nres` resources, random
** paths (1 to 4 of its resources), sizes from 0 to 10^6 B, and a random
** walk of operations; star: a random star instead (star_random). */
static void one_sequence(int ops, int nres, int star)
{
    naive s;
    star_shape st;
    memset(&s, 0, sizeof s);
    s.nres = 1 + (size_t)(rand() % nres);
    for (size_t r = 0; r < s.nres; r++) {
        int kind = rand() % 8;
        s.cap[r] = kind == 0 ? INFINITY : kind == 1 ? 1000 : (double)(1 + rand() % 5000) * 0.5;
    }
    if (star)
        star_random(&s, &st);
    adi_flownet *net = net_of(s.nres, s.cap);
    for (int op = 0; op < ops; op++) {
        size_t on = adi_flow_count(net);
        /* large networks fill up with flows (more starts than ends) */
        int starts = s.nres > 32 || star ? 70 : 40, roll = rand() % (starts + 60);
        if (roll < starts && on < MAXF - 1) {
            uint32_t path[ADI_FLOW_PATH_MAX];
            size_t len = star ? star_path(&st, s.nres, path) : 1 + (size_t)(rand() % ADI_FLOW_PATH_MAX);
            if (len > s.nres)
                len = s.nres;
            for (size_t j = 0; j < len && !star; j++) {
                uint32_t r;
                int dup;
                do {
                    r = (uint32_t)(rand() % (int)s.nres);
                    dup = 0;
                    for (size_t i = 0; i < j; i++)
                        dup |= path[i] == r;
                } while (dup);
                path[j] = r;
            }
            /* on a large network, half the flows cross resource 0 (a hub,
            ** like the coordinator's link), so components grow large */
            int hub = 0;
            for (size_t j = 0; j < len; j++)
                hub |= path[j] == 0;
            if (s.nres > 32 && !hub && !star && rand() % 2)
                path[0] = 0;
            int sz = rand() % 10;
            double bytes = sz == 0 ? 0 : sz == 1 ? 1 : floor(uniform() * 1e6);
            uint32_t id;
            assert_int_equal(adi_flow_start(net, bytes, path, len, (uint64_t)op, &id), ADI_OK);
            assert_true(id < MAXF);
            assert_false(s.f[id].on);
            s.f[id].on = 1;
            s.f[id].left = s.f[id].size = bytes;
            memcpy(s.f[id].path, path, sizeof path);
            s.f[id].len = len;
            assert_int_equal(adi_flow_tag(net, id), (uint64_t)op);
        } else if (roll < starts + 35 && on) { /* the next completion */
            double t;
            uint32_t id;
            assert_int_equal(adi_flow_next(net, &t, &id), 1);
            if (isinf(t))
                continue;
            naive_advance(&s, t - adi_flow_now(net));
            assert_int_equal(adi_flow_advance(net, t), ADI_OK);
            if (!(s.f[id].left <= bytes_tol(s.f[id].size, s.f[id].rate, t))) {
                print_error("flow %u finishes at %.17g s with %.17g of its %.17g bytes left "
                            "in the oracle (rate %.17g)\n", id, t, s.f[id].left, s.f[id].size,
                            s.f[id].rate);
                fail();
            }
            assert_int_equal(adi_flow_remove(net, id), ADI_OK);
            s.f[id].on = 0;
        } else if (roll < starts + 45 && on) { /* a flow cut short */
            uint32_t id;
            do
                id = (uint32_t)(rand() % MAXF);
            while (!s.f[id].on);
            assert_int_equal(adi_flow_remove(net, id), ADI_OK);
            s.f[id].on = 0;
        } else if (roll < starts + 55) { /* time passes, short of the next completion */
            double t, now = adi_flow_now(net);
            uint32_t id;
            double to = adi_flow_next(net, &t, &id) && !isinf(t) ? now + (t - now) * uniform()
                                                               : now + 10 * uniform();
            naive_advance(&s, to - now);
            assert_int_equal(adi_flow_advance(net, to), ADI_OK);
        } else { /* a capacity changes */
            size_t r = (size_t)(rand() % (int)s.nres);
            double c = rand() % 4 == 0 ? INFINITY : (double)(1 + rand() % 5000) * 0.5;
            s.cap[r] = c;
            assert_int_equal(adi_flow_set_capacity(net, r, c), ADI_OK);
        }
        naive_rates(&s);
        agree(net, &s);
    }
    adi_flow_free(net);
}

static void against_naive_oracle(void **state)
{
    (void)state;
    srand(13);
    /* mostly small networks; every fourth one large enough (over 32
    ** resources in a component) for the filling's heap */
    for (int seq = 0; seq < 3000; seq++)
        one_sequence(200, seq % 4 == 3 ? MAXR : 12, 0);
}

/* The same on stars (star_random): the shapes sim/net.c builds, where a
** shared coordinator link is every flow's bottleneck or a device's link is
** (share_hub's shortcut or the filling), with ties between the two. */
static void stars_against_naive_oracle(void **state)
{
    (void)state;
    srand(14);
    for (int seq = 0; seq < 1000; seq++)
        one_sequence(200, MAXR, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_flow),
        cmocka_unit_test(two_flows_share_coordinator),
        cmocka_unit_test(flow_joins_mid_transfer),
        cmocka_unit_test(latency_only_requests),
        cmocka_unit_test(segment_shared_by_three),
        cmocka_unit_test(infinite_capacities),
        cmocka_unit_test(hub_shortcut_limits),
        cmocka_unit_test(bad_calls),
        cmocka_unit_test(against_naive_oracle),
        cmocka_unit_test(stars_against_naive_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
