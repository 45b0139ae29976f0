/*
** tests/test_network_model.c — the network-aware bounds (model/network.h):
** hand-computed stars, the no-network case (today's bounds), the prefetch
** that hides transfers, the max-min division of the pool's rate, the
** utilization law, and both makespan bounds against the plain reference of
** pull over a star (bench/peers/net_ref, run from $ADISIM_NET_PEERS) on
** random and adversarial stars with deterministic times.
**
** ADISIM_NET_STARS=N runs N random stars instead of the default 300 (the
** tightest slacks are printed either way).
*/
#include "helpers.h"
#include "net_stars.h"

#include "model/bounds.h"
#include "model/network.h"

#define TOL 1e-9 /* relative: the exact checks' tolerance (check/checks.h) */

static adi_star star_of(adi_netdev *dev, size_t n, double coord, double s_in, double s_out)
{
    return (adi_star){.n = n, .dev = dev, .coord_bw = coord, .s_in = s_in, .s_out = s_out};
}

/* net_ref's first hand case (tests/test_net_peers.c): T = 1 s, 100 B/s, L =
** 0.5 s, 100 B in, 50 B out, 2 tasks; done at 4 and 7 (k = 0), 5 and 6
** (k = 1). c0 = 2 (0.5) + 100/100 + 1 = 3; k = 0: cycle max(1, 1, 0.5, 3) = 3,
** R = 1/3, m/R = 6, trip = 3 + 0.5 + 0.5 = 4. Greedy (k = 0): D = 1, c1 = 3,
** U = 3; requests surely in at 0.5 and 3 + 0.5: s_max = 3.5 (the second
** dispatch, exactly); N^max = 1 + min(1, 1, 2) = 2; C_N(b) = 3.5 + 0.5 + 1 +
** 1 = 6; over q the worst is q = 1: min(3 + 3, 6) + 0.5, plus L: G = 7, the
** reference's makespan exactly.
** k = 1: cycle max(1, 1.5) = 1.5, R = 2/3, lower max(3, 4) = 4; D = 2 (two
** inputs share 100 B/s), c1 = 4, U = 2; both requests in at 0.5: s_max =
** 0.5, N^max = 2, C_N(b) = 0.5 + 0.5 + 2 + 2 = 5, G = 0.5 + min(4 + 2 + 0.5,
** 5 + 0.5) = 6, again exact. */
static void one_device_by_hand(void **state)
{
    (void)state;
    adi_netdev d = {1, 100, 0.5, -1};
    adi_star s = star_of(&d, 1, INFINITY, 100, 50);
    adi_netmodel nm;
    assert_int_equal(adi_netmodel_compute(&s, 2, 0, &nm), ADI_OK);
    assert_close(nm.dev[0].round_trip, 3, 1e-15);
    assert_close(nm.dev[0].trip, 4, 1e-15);
    assert_close(nm.dev[0].cycle, 3, 1e-15);
    assert_close(nm.R, 1.0 / 3, 1e-15);
    assert_close(nm.lower, 6, 1e-15);
    assert_close(nm.last_dispatch, 3.5, 1e-11);
    assert_close(nm.greedy_upper, 7, 1e-11);
    assert_int_equal(nm.dev[0].limit, ADI_NETLIMIT_TRANSFERS);
    assert_int_equal(nm.dev[0].k_hide, 2); /* 3 / (1 + 2) = 1 = T */
    assert_close(nm.R_hidden, 1, 1e-15);
    assert_close(nm.R0, 1.0 / 3, 1e-15);
    adi_netmodel_free(&nm);
    assert_int_equal(adi_netmodel_compute(&s, 2, 1, &nm), ADI_OK);
    assert_close(nm.dev[0].cycle, 1.5, 1e-15);
    assert_close(nm.lower, 4, 1e-15);
    assert_close(nm.dev[0].worst_cycle, 2, 1e-15);
    assert_close(nm.last_dispatch, 0.5, 1e-11);
    assert_close(nm.greedy_upper, 6, 1e-11);
    adi_netmodel_free(&nm);
}

/* No network: L = 0, S = 0. R = sum 1/T_i, the lower bound m/R, and the
** greedy bound within today's m/R + max T_i (model/bounds.h). */
static void no_network_is_todays_model(void **state)
{
    (void)state;
    const double t[] = {1.2, 1.5, 1.1, 2.0, 1.8, 1.3, 1.7, 1.4};
    adi_netdev d[8];
    for (int i = 0; i < 8; i++)
        d[i] = (adi_netdev){t[i], INFINITY, 0, -1};
    adi_star s = star_of(d, 8, INFINITY, 0, 0);
    for (uint64_t m = 1; m <= 2000; m = m * 3 + 1) {
        adi_bounds b;
        adi_netmodel nm;
        assert_int_equal(adi_model_bounds(t, 8, m, &b), ADI_OK);
        assert_int_equal(adi_netmodel_compute(&s, m, 0, &nm), ADI_OK);
        assert_close(nm.R, b.R, 1e-15);
        assert_close(nm.lower, fmax(b.lower, 1.1), 1e-15);
        assert_true(nm.greedy_upper <= b.greedy_upper * (1 + 1e-15));
        assert_true(nm.greedy_upper >= b.optimal * (1 - 1e-15));
        for (int i = 0; i < 8; i++)
            assert_int_equal(nm.dev[i].limit, ADI_NETLIMIT_COMPUTE);
        assert_int_equal(nm.k_hide, 0);
        adi_netmodel_free(&nm);
    }
}

/* Two devices share a 100 B/s coordinator (devices 100 B/s, L = 0), 100 B
** in, 0 out (net_ref: done at 3 and 5 for one task each). Each alone: c0 =
** 1 + T, cycles 2 s and 4 s at k = 0, caps 0.5 and 0.25 tasks/s; the
** coordinator carries 1 task/s: no limit, R = 0.75.
** A 40 B/s segment over both: their bytes move at 40 B/s at best, c0 = 2.5 +
** T, caps 2/7 and 2/11; the segment carries 0.4 tasks/s: the slow device
** keeps its 2/11, the fast one gets the rest, 0.4 - 2/11, held by the
** segment.
** A 30 B/s coordinator instead: c0 = 10/3 + T, caps 3/13 and 3/19, room for
** 0.3: the level 0.15 holds both back. 50 B/s: c0 = 2 + T, caps 1/3 and 1/5,
** room for 0.5: the slow one keeps 0.2, the fast one gets 0.3. */
static void shares_by_hand(void **state)
{
    (void)state;
    adi_netdev d[2] = {{1, 100, 0, -1}, {3, 100, 0, -1}};
    adi_star s = star_of(d, 2, 100, 100, 0);
    double R, share[2];
    adi_netlimit lim[2];
    assert_int_equal(adi_netmodel_throughput(&s, 0, &R, share, lim), ADI_OK);
    assert_close(R, 0.75, 1e-15);
    assert_int_equal(lim[0], ADI_NETLIMIT_TRANSFERS);
    assert_int_equal(lim[1], ADI_NETLIMIT_TRANSFERS);
    const double seg = 40;
    s.nseg = 1;
    s.seg_bw = &seg;
    d[0].segment = d[1].segment = 0;
    assert_int_equal(adi_netmodel_throughput(&s, 0, &R, share, lim), ADI_OK);
    assert_close(R, 0.4, 1e-15);
    assert_close(share[1], 2.0 / 11, 1e-15);
    assert_int_equal(lim[1], ADI_NETLIMIT_TRANSFERS);
    assert_close(share[0], 0.4 - 2.0 / 11, 1e-14);
    assert_int_equal(lim[0], ADI_NETLIMIT_SEGMENT);
    s.nseg = 0;
    d[0].segment = d[1].segment = -1;
    s.coord_bw = 30;
    assert_int_equal(adi_netmodel_throughput(&s, 0, &R, share, lim), ADI_OK);
    assert_close(R, 0.3, 1e-15);
    assert_close(share[0], 0.15, 1e-15);
    assert_close(share[1], 0.15, 1e-15);
    assert_int_equal(lim[0], ADI_NETLIMIT_COORDINATOR);
    assert_int_equal(lim[1], ADI_NETLIMIT_COORDINATOR);
    s.coord_bw = 50;
    assert_int_equal(adi_netmodel_throughput(&s, 0, &R, share, lim), ADI_OK);
    assert_close(R, 0.5, 1e-15);
    assert_close(share[1], 0.2, 1e-15);
    assert_int_equal(lim[1], ADI_NETLIMIT_TRANSFERS);
    assert_close(share[0], 0.3, 1e-15);
    assert_int_equal(lim[0], ADI_NETLIMIT_COORDINATOR);
}

/* The prefetch that hides a round trip, and the link that cannot be hidden:
** T = 10 ms, 1 Mbyte/s, L = 5 ms, 20 kB in: c0 = 10 + 20 + 10 = 40 ms, h =
** max(10, 20) = 20 ms: k_hide = 1 (40/2 = 20), bound by the link there.
** UART: 14400 B/s, L = 5 ms, 393216 B: the link (27.3 s) dwarfs T = 1 s. */
static void hiding_prefetch(void **state)
{
    (void)state;
    adi_netdev d = {0.010, 1e6, 0.005, -1};
    adi_star s = star_of(&d, 1, INFINITY, 20000, 100);
    adi_netlimit l;
    assert_int_equal(adi_netmodel_hiding_prefetch(&s, 0), 1);
    assert_close(adi_netmodel_cycle(&s, 0, 0, &l), 0.040, 1e-15);
    assert_int_equal(l, ADI_NETLIMIT_TRANSFERS);
    assert_close(adi_netmodel_cycle(&s, 0, 1, &l), 0.020, 1e-15);
    assert_int_equal(l, ADI_NETLIMIT_LINK);
    /* exact multiples: c0 = 4 T needs k = 3, not 4 (q = 4 exactly) */
    d = (adi_netdev){1, INFINITY, 1.5, -1};
    s.s_in = s.s_out = 0;
    assert_int_equal(adi_netmodel_hiding_prefetch(&s, 0), 3);
    assert_close(adi_netmodel_cycle(&s, 0, 3, &l), 1, 1e-15);
    assert_int_equal(l, ADI_NETLIMIT_COMPUTE);
    d = (adi_netdev){1, 14400, 0.005, -1};
    s.s_in = s.s_out = 393216;
    assert_int_equal(adi_netmodel_hiding_prefetch(&s, 0), 1);
    assert_close(adi_netmodel_cycle(&s, 0, 5, &l), 393216.0 / 14400, 1e-15);
    assert_int_equal(l, ADI_NETLIMIT_LINK);
    /* a round trip of 1e9 s against 1 ps of compute: no prefetch hides it */
    d = (adi_netdev){1e-12, INFINITY, 1e9, -1};
    s.s_in = s.s_out = 0;
    assert_true(adi_netmodel_hiding_prefetch(&s, 0) == UINT64_MAX);
}

static void loads_and_bad_stars(void **state)
{
    (void)state;
    adi_netdev d[2] = {{0.5, 1000, 0, 0}, {1, INFINITY, 0, -1}};
    const double seg = 4000;
    adi_star s = star_of(d, 2, 2000, 200, 100);
    s.nseg = 1;
    s.seg_bw = &seg;
    double rate[2] = {1, 0.5};
    adi_netload dev[2], sg, co;
    assert_int_equal(adi_netmodel_loads(&s, rate, dev, &sg, &co), ADI_OK);
    assert_close(dev[0].compute, 0.5, 1e-15);
    assert_close(dev[0].down, 0.2, 1e-15);
    assert_close(dev[0].up, 0.1, 1e-15);
    assert_true(dev[1].down == 0);
    assert_close(sg.down, 0.05, 1e-15);
    assert_close(co.down, 1.5 * 200 / 2000, 1e-15);
    assert_close(co.up, 1.5 * 100 / 2000, 1e-15);

    adi_netmodel nm;
    d[1].bw = 0;
    assert_int_equal(adi_netmodel_compute(&s, 10, 0, &nm), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "device 1: bandwidth"));
    assert_null(nm.dev);
    d[1].bw = INFINITY;
    d[1].segment = 3;
    assert_int_equal(adi_netmodel_compute(&s, 10, 0, &nm), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "segment 3 does not exist"));
    d[1].segment = -1;
    d[0].time = 0;
    assert_int_equal(adi_netmodel_compute(&s, 10, 0, &nm), ADI_EINPUT);
    d[0].time = 1;
    assert_int_equal(adi_netmodel_compute(&s, 0, 0, &nm), ADI_EINPUT);
    s.s_in = NAN;
    assert_int_equal(adi_netmodel_compute(&s, 1, 0, &nm), ADI_EINPUT);
    rate[0] = -1;
    s.s_in = 1;
    assert_int_equal(adi_netmodel_loads(&s, rate, NULL, NULL, NULL), ADI_EINPUT);
    adi_netmodel_free(NULL);
}

/* ---- against the plain reference ------------------------------------------- */

/* Runs net_ref on the star; *makespan is its last completion. */
static void reference(const case_ *c, const char *dir, double *makespan)
{
    char path[700], cmd[1600];
    snprintf(path, sizeof path, "%s/job", dir);
    write_star_job(c, path);
    snprintf(cmd, sizeof cmd, "'%s/net_ref' --quiet < '%s'", peers(), path);
    char *out = NULL, *err = NULL;
    int rc = run_command(cmd, &out, &err);
    if (rc != 0)
        print_error("net_ref: exit %d: %s\n", rc, err ? err : "");
    assert_int_equal(rc, 0);
    assert_int_equal(sscanf(out, "makespan %lf", makespan), 1);
    free(out);
    free(err);
}

typedef struct slack {
    double lower, upper; /* the least (M - lower) / M and (G - M) / M seen */
    double ratio;        /* the largest G / M */
    size_t stars;
    double *ratios;      /* [stars] G / M, when kept */
} slack;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_ratio(slack *sl)
{
    qsort(sl->ratios, sl->stars, sizeof *sl->ratios, cmp_double);
    return sl->ratios[sl->stars / 2];
}

/* Checks both bounds on one star; returns makespan / greedy bound. */
static double check_case(const case_ *c, const char *dir, slack *sl)
{
    adi_netmodel nm;
    assert_int_equal(adi_netmodel_compute(&c->s, c->m, c->k, &nm), ADI_OK);
    double M;
    reference(c, dir, &M);
    double lo = (M - nm.lower) / M, up = (nm.greedy_upper - M) / M;
    if (lo < -TOL || up < -TOL) {
        print_error("a bound fails: makespan %.17g, lower %.17g, greedy %.17g (n %zu, nseg %zu, "
                    "k %llu, m %llu, s_in %.17g, s_out %.17g, coord %.17g)\n", M, nm.lower,
                    nm.greedy_upper, c->s.n, c->s.nseg, (unsigned long long)c->k,
                    (unsigned long long)c->m, c->s.s_in, c->s.s_out, c->s.coord_bw);
        for (size_t i = 0; i < c->s.n; i++)
            print_error("  dev %.17g %.17g %.17g %ld\n", c->dev[i].time, c->dev[i].bw,
                        c->dev[i].latency, c->dev[i].segment);
        fail();
    }
    sl->lower = fmin(sl->lower, lo);
    sl->upper = fmin(sl->upper, up);
    sl->ratio = fmax(sl->ratio, nm.greedy_upper / M);
    if (sl->ratios)
        sl->ratios[sl->stars] = nm.greedy_upper / M;
    sl->stars++;
    adi_netmodel_free(&nm);
    return M / nm.greedy_upper;
}

/* ADISIM_NET_SEARCH=N: N random stars, each pushed for 40 steps towards a
** makespan closer to its greedy bound (one parameter scaled at a time, kept
** when the ratio grows): an adversary for the proof, not run by default. */
static void search(const char *dir, long stars)
{
    slack sl = {INFINITY, INFINITY, 0, 0, NULL};
    double best = 0;
    for (long j = 0; j < stars; j++) {
        case_ c, t;
        random_case(&c, (int)(j % 6));
        double r = check_case(&c, dir, &sl);
        for (int step = 0; step < 40; step++) {
            t = c;
            t.s.dev = t.dev;
            t.s.seg_bw = t.seg;
            size_t i = pick(t.s.n);
            double f = exp(2 * uniform() - 1);
            switch (pick(6)) {
            case 0: t.dev[i].time *= f; break;
            case 1: if (isfinite(t.dev[i].bw)) t.dev[i].bw *= f; break;
            case 2: t.dev[i].latency *= f; break;
            case 3: t.s.s_in = floor(t.s.s_in * f); break;
            case 4: t.s.s_out = floor(t.s.s_out * f); break;
            default: if (isfinite(t.s.coord_bw)) t.s.coord_bw *= f; break;
            }
            double rt = check_case(&t, dir, &sl);
            if (rt > r) {
                r = rt;
                c = t;
            }
        }
        best = fmax(best, r);
    }
    print_message("search: %zu stars tried, makespan / greedy at most %.6g (tightest slack %.3g)\n",
                  sl.stars, best, sl.upper);
}

static void against_reference(void **state)
{
    (void)state;
    if (!have_peer("net_ref")) {
        print_message("skipped: no %s/net_ref (make test builds it)\n", peers());
        skip();
        return;
    }
    long stars = star_count();
    char *dir = make_temp_dir();
    assert_non_null(dir);
    slack sl = {INFINITY, INFINITY, 0, 0, NULL}, kinds[6];
    for (int k = 0; k < 6; k++) {
        kinds[k] = sl;
        kinds[k].ratios = malloc(((size_t)stars / 6 + 200) * sizeof(double));
        assert_non_null(kinds[k].ratios);
    }
    case_ c;
    for (long j = 0; j < stars; j++) {
        int kind = (int)(j % 6);
        random_case(&c, kind);
        check_case(&c, dir, &kinds[kind]);
    }
    /* hand-made corners: the first hand star at many m; tied equal devices */
    adi_netdev d = {1, 100, 0.5, -1};
    for (uint64_t m = 1; m <= 40; m++)
        for (uint64_t k = 0; k <= 3; k++) {
            c = (case_){.m = m, .k = k};
            c.dev[0] = d;
            c.s = star_of(c.dev, 1, INFINITY, 100, 50);
            check_case(&c, dir, &kinds[0]);
        }
    for (uint64_t m = 1; m <= 30; m += 7) {
        c = (case_){.m = m, .k = 1};
        for (int i = 0; i < 4; i++)
            c.dev[i] = (adi_netdev){0.25, 1000, 0.01, -1};
        c.s = star_of(c.dev, 4, 1500, 500, 500);
        check_case(&c, dir, &kinds[2]);
    }
    const char *srch = getenv("ADISIM_NET_SEARCH");
    if (srch && *srch)
        search(dir, strtol(srch, NULL, 10));
    remove_tree(dir);
    static const char *const names[6] = {"random", "one UART device", "coordinator-bound",
                                         "outputs pile up", "tiny/huge sizes", "one segment"};
    for (int k = 0; k < 6; k++) {
        print_message("%-18s %4zu stars: tightest slack lower %.3g, greedy %.3g; greedy/makespan "
                      "median %.3g, at most %.3g\n", names[k], kinds[k].stars, kinds[k].lower,
                      kinds[k].upper, median_ratio(&kinds[k]), kinds[k].ratio);
        free(kinds[k].ratios);
        sl.lower = fmin(sl.lower, kinds[k].lower);
        sl.upper = fmin(sl.upper, kinds[k].upper);
        sl.stars += kinds[k].stars;
    }
    print_message("%zu stars, both bounds held; tightest slack: lower %.3g, greedy %.3g\n",
                  sl.stars, sl.lower, sl.upper);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_device_by_hand),
        cmocka_unit_test(no_network_is_todays_model),
        cmocka_unit_test(shares_by_hand),
        cmocka_unit_test(hiding_prefetch),
        cmocka_unit_test(loads_and_bad_stars),
        cmocka_unit_test(against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
