/*
** tests/test_net_engine.c — the engine over a network (sim/net.c): every
** task's completion time against the plain reference of pull over a star
** (bench/peers/net_ref) on random and adversarial stars, and against
** SimGrid's flow model of the same stars (bench/peers/simgrid_net_peer,
** where SimGrid is installed; the test says why it skips otherwise); the
** other policies' network rules on hand-computed stars; each device's time
** split; bad networks.
**
** The completion times come from the engine through the run's on_done
** callback (sim/sim.h), device by device, in order; net_ref and SimGrid
** print theirs. ADISIM_NET_STARS=N runs N random stars (default 300).
*/
#include "helpers.h"
#include "net_stars.h"

#include "policy/policy.h"
#include "sim/sim.h"
#include "sim/workload.h"

#define TOL 1e-9 /* relative, what the issue asks */

/* The completions of one run, in order, with their devices. */
typedef struct trace {
    size_t n, cap;
    uint32_t *dev;
    double *time;
} trace;

static void record(void *arg, size_t device, double time)
{
    trace *t = arg;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->dev = realloc(t->dev, t->cap * sizeof *t->dev);
        t->time = realloc(t->time, t->cap * sizeof *t->time);
        assert_true(t->dev && t->time);
    }
    t->dev[t->n] = (uint32_t)device;
    t->time[t->n++] = time;
}

static void trace_free(trace *t)
{
    free(t->dev);
    free(t->time);
    memset(t, 0, sizeof *t);
}

/* Runs policy p (deterministic times, a batch of c->m at t = 0, Q = inf)
** over the star; the completions go to *t, the results to *r. */
static int run_engine(const adi_policy_desc *p, const case_ *c, trace *t, adi_run_result *r)
{
    adi_sampler dev[16];
    adi_sim_link link[16];
    for (size_t i = 0; i < c->s.n; i++) {
        assert_int_equal(adi_sampler_init(&dev[i], ADI_DIST_DETERMINISTIC, c->dev[i].time, 0),
                         ADI_OK);
        link[i] = (adi_sim_link){c->dev[i].bw, c->dev[i].latency, c->dev[i].segment};
    }
    adi_sim_net net = {.link = link, .nseg = c->s.nseg, .seg_bw = c->seg,
                       .coord_bw = c->s.coord_bw, .s_in = c->s.s_in, .s_out = c->s.s_out,
                       .prefetch = c->k};
    adi_sim_config cfg = {.policy = adi_policy_net_ops(p), .workload = adi_workload_batch.ops,
                          .n_devices = c->s.n, .device = dev, .tasks = c->m,
                          .capacity = ADI_CAPACITY_INF, .seed = 1, .net = &net,
                          .net_mode = p->net.mode, .on_done = record, .on_done_arg = t};
    return adi_sim_run(&cfg, r);
}

/* A peer's completions from its output ("done DEVICE TIME" lines). */
static void parse_trace(const char *out, trace *t)
{
    const char *at = out;
    unsigned d;
    double time;
    int used;
    while (sscanf(at, " done %u %lf%n", &d, &time, &used) == 2) {
        record(t, d, time);
        at += used;
    }
}

/* The largest relative difference between two runs' completions, device by
** device in order (INFINITY when a device completed a different number). */
static double compare(const trace *a, const trace *b, size_t n)
{
    double worst = 0;
    for (size_t d = 0; d < n; d++) {
        size_t i = 0, j = 0;
        for (;;) {
            while (i < a->n && a->dev[i] != d)
                i++;
            while (j < b->n && b->dev[j] != d)
                j++;
            if ((i == a->n) != (j == b->n))
                return INFINITY;
            if (i == a->n)
                break;
            double x = a->time[i++], y = b->time[j++];
            double rel = fabs(x - y) / fmax(fmax(fabs(x), fabs(y)), 1e-300);
            if (x != y && rel > worst)
                worst = rel;
        }
    }
    return worst;
}

static int peer_runs(const char *name, const char *job, trace *t)
{
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "'%s/%s' < '%s'", peers(), name, job);
    char *out = NULL, *err = NULL;
    int rc = run_command(cmd, &out, &err);
    if (rc != 0)
        print_error("%s: exit %d: %s\n", name, rc, err ? err : "");
    else
        parse_trace(out, t);
    free(out);
    free(err);
    return rc;
}

/* The engine and a peer on star c: every completion within TOL. Returns
** the largest relative difference. */
static double against(const char *peer, const case_ *c, const char *dir)
{
    char job[700];
    snprintf(job, sizeof job, "%s/job", dir);
    write_star_job(c, job);
    trace mine = {0}, theirs = {0};
    adi_run_result r;
    if (run_engine(&adi_policy_pull, c, &mine, &r) != ADI_OK)
        print_error("engine: %s\n", adi_errmsg());
    assert_int_equal(peer_runs(peer, job, &theirs), 0);
    assert_int_equal(mine.n, c->m);
    assert_int_equal(theirs.n, c->m);
    double worst = compare(&mine, &theirs, c->s.n);
    if (!(worst <= TOL)) {
        print_error("star of %zu devices, m = %llu, k = %llu: %s differs by %g (job kept in "
                    "%s)\n", c->s.n, (unsigned long long)c->m, (unsigned long long)c->k, peer,
                    worst, job);
        fail();
    }
    /* the run's own totals say the same: its last completion, its counts */
    assert_true(r.makespan == mine.time[mine.n - 1] || mine.n == 0);
    adi_run_result_free(&r);
    trace_free(&mine);
    trace_free(&theirs);
    return worst;
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
    double worst = 0;
    long exact = 0;
    case_ c;
    for (long j = 0; j < stars; j++) {
        random_case(&c, (int)(j % 6));
        double w = against("net_ref", &c, dir);
        worst = fmax(worst, w);
        exact += w == 0;
    }
    remove_tree(dir);
    print_message("%ld stars: every completion time within %g of net_ref's (largest relative "
                  "difference %g; %ld stars bit for bit)\n", stars, TOL, worst, exact);
}

/* SimGrid needs finite device links; its thresholds (1e-9 s, 1e-5 of a
** capacity) are far from these stars' completions. */
static void against_simgrid(void **state)
{
    (void)state;
    if (!have_peer("simgrid_net_peer")) {
        print_message("skipped: no %s/simgrid_net_peer (SimGrid is not installed; "
                      "tools/install-bench-deps.sh installs it, make check runs it)\n", peers());
        skip();
        return;
    }
    char *dir = make_temp_dir();
    assert_non_null(dir);
    double worst = 0;
    case_ c;
    int stars = 0;
    for (int j = 0; stars < 40; j++) {
        random_case(&c, j % 6);
        int finite = 1;
        for (size_t i = 0; i < c.s.n; i++)
            finite &= isfinite(c.dev[i].bw);
        if (!finite || c.m > 120)
            continue;
        worst = fmax(worst, against("simgrid_net_peer", &c, dir));
        stars++;
    }
    remove_tree(dir);
    print_message("%d stars: every completion time within %g of SimGrid's (largest relative "
                  "difference %g)\n", stars, TOL, worst);
}

/* A star of n devices by hand. */
static case_ hand(size_t n, double coord, double s_in, double s_out, uint64_t m, uint64_t k)
{
    case_ c = {.m = m, .k = k};
    c.s.n = n;
    c.s.dev = c.dev;
    c.s.seg_bw = c.seg;
    c.s.coord_bw = coord;
    c.s.s_in = s_in;
    c.s.s_out = s_out;
    return c;
}

static void expect_trace(const trace *t, const uint32_t *dev, const double *time, size_t n)
{
    assert_int_equal(t->n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(t->dev[i], dev[i]);
        assert_true(fabs(t->time[i] - time[i]) <= 1e-12 * fmax(1, time[i]));
    }
}

/* Static: two devices (T = 1 s, 100 B/s, L = 0.5 s), 4 tasks of 100 B in,
** 50 B out. Every input leaves at t = 0: device 0 gets tasks 0 and 2,
** which share its link from 0.5 at 50 B/s each: both in at 2.5; computed
** 3.5 and 4.5; outputs 4.0 -> 4.5 and 5.0 -> 5.5. Device 1 the same. */
static void static_sends_everything_at_once(void **state)
{
    (void)state;
    case_ c = hand(2, INFINITY, 100, 50, 4, 0);
    c.dev[0] = c.dev[1] = (adi_netdev){1, 100, 0.5, -1};
    trace t = {0};
    adi_run_result r;
    assert_int_equal(run_engine(&adi_policy_static, &c, &t, &r), ADI_OK);
    static const uint32_t dev[] = {0, 1, 0, 1};
    static const double time[] = {4.5, 4.5, 5.5, 5.5};
    expect_trace(&t, dev, time, 4);
    assert_true(r.makespan == 5.5);
    adi_run_result_free(&r);
    trace_free(&t);
}

/* Sync: devices T = 1 s and 3 s (100 B/s, L = 0.5 s), 4 tasks of 100 B
** in, 50 B out. Round 1 sends both inputs at 0: in at 1.5, computed 2.5
** and 4.5, outputs in at 3.5 and 5.5; round 2 starts at 5.5: in at 7.0,
** done 9.0 and 11.0. */
static void sync_waits_for_every_output(void **state)
{
    (void)state;
    case_ c = hand(2, INFINITY, 100, 50, 4, 0);
    c.dev[0] = (adi_netdev){1, 100, 0.5, -1};
    c.dev[1] = (adi_netdev){3, 100, 0.5, -1};
    trace t = {0};
    adi_run_result r;
    assert_int_equal(run_engine(&adi_policy_sync, &c, &t, &r), ADI_OK);
    static const uint32_t dev[] = {0, 1, 0, 1};
    static const double time[] = {3.5, 5.5, 9.0, 11.0};
    expect_trace(&t, dev, time, 4);
    adi_run_result_free(&r);
    trace_free(&t);
}

/* Each device's time: busy + transfer + wait = makespan. One device (the
** first hand star of net_ref, k = 0, 2 tasks, done at 4 and 7): a request
** then an input on their way 0..2, computing 2..3, an output and a
** request, then the input, 3..5, computing 5..6, the output 6..7: transfer
** 5 s, busy 2 s, wait 0 of the 7 s. */
static void time_split(void **state)
{
    (void)state;
    case_ c = hand(1, INFINITY, 100, 50, 2, 0);
    c.dev[0] = (adi_netdev){1, 100, 0.5, -1};
    trace t = {0};
    adi_run_result r;
    assert_int_equal(run_engine(&adi_policy_pull, &c, &t, &r), ADI_OK);
    assert_true(r.makespan == 7);
    assert_true(r.device[0].busy == 2);
    assert_true(fabs(r.device[0].transfer - 5) < 1e-12);
    assert_true(fabs(r.device[0].wait) < 1e-12);
    adi_run_result_free(&r);
    trace_free(&t);
    /* two devices, one fast: the fast one waits at the end */
    c = hand(2, INFINITY, 0, 0, 3, 0);
    c.dev[0] = (adi_netdev){1, INFINITY, 0, -1};
    c.dev[1] = (adi_netdev){5, INFINITY, 0, -1};
    assert_int_equal(run_engine(&adi_policy_pull, &c, &t, &r), ADI_OK);
    assert_true(r.makespan == 5);
    assert_true(r.device[0].busy == 2 && r.device[0].transfer == 0 && r.device[0].wait == 3);
    assert_true(r.device[1].busy == 5 && r.device[1].wait == 0);
    assert_true(r.transfer_time == 0 && r.wait_time == 3);
    adi_run_result_free(&r);
    trace_free(&t);
}

/* Random stars, every policy: the split adds up, nothing is lost. */
static void every_policy_adds_up(void **state)
{
    (void)state;
    case_ c;
    for (int j = 0; j < 120; j++) {
        random_case(&c, j % 6);
        const adi_policy_desc *p = adi_policy_at((size_t)j % adi_policy_count());
        if (p->devices == ADI_DEVICES_ONE)
            c.s.n = 1;
        trace t = {0};
        adi_run_result r;
        assert_int_equal(run_engine(p, &c, &t, &r), ADI_OK);
        assert_int_equal(r.completed, c.m);
        for (size_t d = 0; d < r.n_devices; d++) {
            const adi_device_result *dv = &r.device[d];
            assert_true(dv->transfer >= -1e-9 * r.makespan && dv->wait >= -1e-9 * r.makespan);
            assert_true(fabs(dv->busy + dv->transfer + dv->wait - r.makespan) <=
                        1e-9 * r.makespan);
        }
        adi_run_result_free(&r);
        trace_free(&t);
    }
}

static void bad_networks(void **state)
{
    (void)state;
    case_ c = hand(1, INFINITY, 100, 50, 2, 0);
    c.dev[0] = (adi_netdev){1, 100, 0.5, -1};
    trace t = {0};
    adi_run_result r;
    c.dev[0].bw = 0;
    assert_int_equal(run_engine(&adi_policy_pull, &c, &t, &r), ADI_EINPUT);
    c.dev[0].bw = 100;
    c.dev[0].segment = 0; /* no segment 0 */
    assert_int_equal(run_engine(&adi_policy_pull, &c, &t, &r), ADI_EINPUT);
    c.dev[0].segment = -1;
    c.s.s_in = 0.5;
    assert_int_equal(run_engine(&adi_policy_pull, &c, &t, &r), ADI_EINPUT);
    c.s.s_in = 0x1p60;
    assert_int_equal(run_engine(&adi_policy_pull, &c, &t, &r), ADI_EINPUT);
    c.s.s_in = 100;
    c.k = 1ULL << 40;
    assert_int_equal(run_engine(&adi_policy_pull, &c, &t, &r), ADI_EINPUT);
    assert_int_equal(t.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(against_reference),
        cmocka_unit_test(against_simgrid),
        cmocka_unit_test(static_sends_everything_at_once),
        cmocka_unit_test(sync_waits_for_every_output),
        cmocka_unit_test(time_split),
        cmocka_unit_test(every_policy_adds_up),
        cmocka_unit_test(bad_networks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
