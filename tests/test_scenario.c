/*
** tests/test_scenario.c — scenario files: the sweep expands in the stated
** order with the stated defaults, point keys identify points across files,
** and every kind of bad input gets one message naming file, line and key.
*/
#include "helpers.h"

#include "profile/fit.h"
#include "profile/profile.h"
#include "core/error.h"
#include "core/units.h"
#include "scenario/scenario.h"

#include <sys/stat.h>

static adi_scenario *parse_ok(const char *text)
{
    adi_scenario *sc = NULL;
    if (adi_scenario_parse("t.ini", text, &sc) != ADI_OK)
        fail_msg("unexpected error: %s", adi_errmsg());
    return sc;
}

/* The text must fail, and the message must contain `expected`. */
static void parse_fails(const char *text, const char *expected)
{
    adi_scenario *sc = NULL;
    int rc = adi_scenario_parse("t.ini", text, &sc);
    assert_null(sc);
    if (rc != ADI_EINPUT || !strstr(adi_errmsg(), expected))
        fail_msg("for\n%s\nexpected a message containing \"%s\", got (rc %d) \"%s\"", text,
                 expected, rc, adi_errmsg());
}

#define BASE "[scenario]\nname = t\n[devices]\ncount = 4\nmean_time = 50ms\n[workload]\ntasks = 100\n"

static void minimal_with_defaults(void **state)
{
    (void)state;
    adi_scenario *sc = parse_ok(BASE);
    assert_string_equal(adi_scenario_name(sc), "t");
    assert_int_equal(adi_scenario_npoints(sc), 1);
    const adi_point *p = adi_scenario_point(sc, 0);
    assert_ptr_equal(p->policy, &adi_policy_pull);
    assert_ptr_equal(p->workload, &adi_workload_batch);
    assert_int_equal(p->n_devices, 4);
    assert_close(p->mean_time, 0.05, 1e-15);
    assert_true(p->heterogeneity == 0 && p->cv == 0);
    assert_int_equal(p->dist, ADI_DIST_DETERMINISTIC);
    assert_true(p->capacity == ADI_CAPACITY_INF);
    assert_int_equal(p->overflow, ADI_OVERFLOW_BLOCK);
    assert_int_equal(p->replications, 1);
    assert_int_equal(p->seed, 42);
    assert_int_equal(p->tasks, 100);
    assert_null(p->infeasible);
    assert_string_equal(p->key, "v1 policy=pull workload=batch n=4 T=0.05 h=0 dist=deterministic "
                                "cv=0 m=100 submit=0 Q=inf overflow=block reps=1 seed=42");
    adi_scenario_free(sc);
}

static void ablation_sweep_order(void **state)
{
    (void)state;
    adi_scenario *sc = parse_ok(
        "[scenario]\nname = ablation\nreplications = 10\nseed = 42\n"
        "[devices]\nmean_time = 50ms\ndistribution = lognormal\ncv = 0.1\n"
        "[workload]\nkind = batch\ntasks = 10000\n[queue]\noverflow = block\n"
        "[sweep]\npolicy = pull, sync, serial\ndevices = 2, 4, 8, 16\n"
        "queue_capacity = inf, 1000, 100\nheterogeneity = 0, 0.25, 0.5, 1.0\n");
    assert_int_equal(adi_scenario_npoints(sc), 3 * 4 * 3 * 4);
    /* Outermost policy, then devices, capacity, heterogeneity (fastest). */
    const adi_point *p = adi_scenario_point(sc, 1);
    assert_true(p->policy == &adi_policy_pull && p->n_devices == 2 && p->heterogeneity == 0.25);
    p = adi_scenario_point(sc, 4);
    assert_true(p->capacity == 1000 && p->heterogeneity == 0);
    p = adi_scenario_point(sc, 143);
    assert_true(p->policy == &adi_policy_serial && p->n_devices == 16 && p->capacity == 100 &&
                p->heterogeneity == 1.0);
    assert_int_equal(p->serial_device, 0); /* the fastest of an ascending pool */
    /* n = 2, h = 1 is impossible (std/mean of two positives is < 1): 9 points. */
    size_t infeasible = 0;
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        p = adi_scenario_point(sc, i);
        if (p->infeasible) {
            infeasible++;
            assert_true(p->n_devices == 2 && p->heterogeneity == 1.0);
        }
    }
    assert_int_equal(infeasible, 9);
    assert_true(adi_scenario_varies(sc, ADI_PARAM_POLICY));
    assert_false(adi_scenario_varies(sc, ADI_PARAM_TASKS));
    adi_scenario_free(sc);
}

static void keys_identify_points_across_files(void **state)
{
    (void)state;
    adi_scenario *a = parse_ok("[scenario]\nname = a\n[devices]\nmean_time = 50ms\n[workload]\ntasks = 100\n"
                 "[sweep]\ndevices = 2, 4\n");
    adi_scenario *b = parse_ok("[scenario]\nname = b\n[workload]\ntasks = 100\n[devices]\n"
                               "mean_time = 0.05\ncount = 4\n");
    assert_string_equal(adi_scenario_point(a, 1)->key, adi_scenario_point(b, 0)->key);
    adi_scenario_free(a);
    adi_scenario_free(b);

    /* Static points with a finite queue and a blocking producer changed
    ** meaning (sim/sim.h: a held task starts on its idle device), so their
    ** keys are version 2 and runs stored before are not reused; every other
    ** point keeps version 1, its stored results and its random streams. */
    a = parse_ok(BASE "[sweep]\npolicy = static, pull\nqueue_capacity = inf, 2\n");
    b = parse_ok(BASE "[queue]\ncapacity = 2\noverflow = drop\n[sweep]\npolicy = static\n");
    static const char *const version[] = {"v1 ", "v2 ", "v1 ", "v1 "};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(strncmp(adi_scenario_point(a, i)->key, version[i], 3), 0);
    assert_int_equal(strncmp(adi_scenario_point(b, 0)->key, "v1 ", 3), 0);
    adi_scenario_free(a);
    adi_scenario_free(b);
}

static void explicit_times_and_continuations(void **state)
{
    (void)state;
    adi_scenario *sc = parse_ok("[scenario]\nname = x\npolicy = serial\nserial_device = slowest\n"
                                "[devices]\ntimes = 1.2s, 1.5s,\n    1100ms, 2\n"
                                "\t1.8s\n[workload]\ntasks = 10\n");
    const adi_point *p = adi_scenario_point(sc, 0);
    assert_int_equal(p->n_devices, 5);
    assert_close(p->times[2], 1.1, 1e-15);
    assert_close(p->mean_time, 7.6 / 5, 1e-15);
    assert_int_equal(p->serial_device, 3);
    assert_true(p->explicit_times);
    assert_non_null(strstr(p->key, "times=1.2,1.5,1.1,2,1.8"));
    adi_scenario_free(sc);
}

static void poisson_workload(void **state)
{
    (void)state;
    adi_scenario *sc = parse_ok("[scenario]\nname = open\n[devices]\ncount = 2\nmean_time = 1\n"
                                "distribution = exponential\n[workload]\nkind = poisson\n"
                                "tasks = 1e5\n[queue]\ncapacity = 10\noverflow = drop\n"
                                "[sweep]\nrate = 0.5, 1/s, 1.5\n");
    assert_int_equal(adi_scenario_npoints(sc), 3);
    const adi_point *p = adi_scenario_point(sc, 1);
    assert_true(p->rate == 1 && p->cv == 1 && p->tasks == 100000 && p->capacity == 10);
    assert_int_equal(p->overflow, ADI_OVERFLOW_DROP);
    assert_int_equal(p->warmup, 10000); /* the default, 10 % */
    adi_scenario_free(sc);

    /* a count of arrivals, a percentage, and 0 (a count read once as a
    ** fraction of the tasks, so 37 became 0) */
    const struct { const char *warmup; uint64_t expect; } w[] = {
        {"37", 37}, {"0", 0}, {"25%", 250}, {"0%", 0}, {"999", 999}};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "[scenario]\nname = open\n[devices]\ncount = 2\n"
                 "mean_time = 1\ndistribution = exponential\n[workload]\nkind = poisson\n"
                 "tasks = 1000\nrate = 1\nwarmup = %s\n", w[i].warmup);
        sc = parse_ok(text);
        assert_int_equal(adi_scenario_point(sc, 0)->warmup, w[i].expect);
        adi_scenario_free(sc);
    }
    parse_fails("[scenario]\nname = open\n[devices]\ncount = 2\nmean_time = 1\n"
                "[workload]\nkind = poisson\ntasks = 1000\nrate = 1\nwarmup = 1000\n",
                "[workload] warmup: 1000 arrivals leave none of the 1000 to measure");
}

#define NET BASE "[network]\n"

/* [network]: the links expand to one per device, the segments by name, a
** calibrated pool's sizes from its kernel; points carry their network in
** their keys, and points without one keep theirs. */
static void network_section(void **state)
{
    (void)state;
    adi_scenario *sc = parse_ok(NET "links = 1Gbit/s 50us, 50Mbit/s 2ms @wifi x2, 921600bit/s 1ms\n"
                                "segments = wifi 40Mbit/s\ninput_size = 384KiB\n"
                                "output_size = 1.5MB\ncoordinator = 10Gbit/s\n[sweep]\nprefetch = 0, 3\n");
    assert_int_equal(adi_scenario_npoints(sc), 2);
    const adi_point *p = adi_scenario_point(sc, 1);
    assert_true(p->network);
    double us50;
    assert_int_equal(adi_parse_time("50us", &us50), ADI_OK);
    assert_true(p->net.link[0].bw == 1.25e8 && p->net.link[0].latency == us50);
    assert_true(p->net.link[1].bw == 6.25e6 && p->net.link[1].segment == 0);
    assert_true(p->net.link[2].segment == 0 && p->net.link[3].bw == 115200);
    assert_true(p->net.nseg == 1 && p->net.seg_bw[0] == 5e6 && p->net.coord_bw == 1.25e9);
    assert_true(p->net.s_in == 393216 && p->net.s_out == 1.5e6 && p->net.prefetch == 3);
    assert_non_null(strstr(p->key, " links=1.25e+08/4.9999999999999996e-05/-1,6.25e+06/0.002/0,"));
    assert_non_null(strstr(p->key, " coord=1.25e+09 segments=5e+06 in=393216 out=1.5e+06 "
                                   "prefetch=3"));
    adi_scenario_free(sc);
    sc = parse_ok(NET "links = 100Mbit/s 1ms\ninput_size = 1kB\noutput_size = 0B\n");
    p = adi_scenario_point(sc, 0);
    for (size_t i = 0; i < 4; i++)
        assert_true(p->net.link[i].bw == 12.5e6 && p->net.link[i].segment == -1);
    assert_true(isinf(p->net.coord_bw) && p->net.prefetch == 0);
    adi_scenario_free(sc);
    sc = parse_ok(BASE);
    assert_false(adi_scenario_point(sc, 0)->network);
    assert_null(strstr(adi_scenario_point(sc, 0)->key, "links"));
    adi_scenario_free(sc);
    /* a calibrated pool's tasks know their bytes */
    sc = parse_ok("[scenario]\nname = c\n[workload]\ntasks = 10\n[devices]\n"
                  "profiles = profiles/mac_studio.ini\nkernel = x2\n[network]\n"
                  "links = 1Gbit/s 100us\n");
    p = adi_scenario_point(sc, 0);
    assert_true(p->net.s_in == 393216 && p->net.s_out == 393216);
    adi_scenario_free(sc);
}

/* Every bad [network] the issue names: one message with file, line, key. */
static void network_errors(void **state)
{
    (void)state;
    parse_fails(NET "links = 1Gbit/s 1ms, 1Gbit/s 1ms\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:9: [network] links: 2 links for 4 devices: give one link (for every device) "
                "or one per device");
    parse_fails(NET "links = 1Gbit/s 1ms x3\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:9: [network] links: 3 links for 4 devices");
    parse_fails(NET "links = 1000000 1ms\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:9: [network] links: expected a positive bandwidth with its unit such as "
                "1Gbit/s");
    parse_fails(NET "links = 0Mbit/s 1ms\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:9: [network] links: expected a positive bandwidth");
    parse_fails(NET "links = -5Mbit/s 1ms\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:9: [network] links: expected a positive bandwidth");
    parse_fails(NET "links = 5Mbit/s -1ms\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:9: [network] links:");
    parse_fails(NET "links = 5Mbit/s\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:9: [network] links: expected BANDWIDTH LATENCY");
    parse_fails(NET "links = 5Mbit/s 1ms @lan\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:9: [network] links: @lan: no such segment");
    parse_fails(NET "links = 5Mbit/s 1ms\nsegments = wifi 0bit/s\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:10: [network] segments: expected a positive bandwidth");
    parse_fails(NET "links = 5Mbit/s 1ms\ncoordinator = 0\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:10: [network] coordinator: expected a positive bandwidth");
    parse_fails(NET "links = 5Mbit/s 1ms\ninput_size = 20PB\noutput_size = 1B\n",
                "t.ini:10: [network] input_size: expected a size with its unit");
    parse_fails(NET "links = 5Mbit/s 1ms\ninput_size = 10000TB\noutput_size = 1B\n",
                "t.ini:10: [network] input_size: '10000TB' is more than 2^53 bytes");
    parse_fails(NET "links = 5Mbit/s 1ms\ninput_size = 0.5B\noutput_size = 1B\n",
                "t.ini:10: [network] input_size: '0.5B' is 0.5 bytes: a task moves whole bytes");
    parse_fails(NET "links = 5Mbit/s 1ms\ninput_size = 100\noutput_size = 1B\n",
                "t.ini:10: [network] input_size: expected a size with its unit");
    parse_fails(NET "links = 5Mbit/s 1ms\noutput_size = 1B\n",
                "t.ini: [network] input_size is required (or [sweep] input_size): a synthetic pool");
    parse_fails(NET "prefetch = 2\n", "t.ini:9: [network] prefetch: a network needs [network] links");
    parse_fails(NET "links = 5Mbit/s 1ms\ninput_size = 1B\noutput_size = 1B\nprefetch = 1e9\n",
                "t.ini:12: [network] prefetch: expected at most 4194303");
    parse_fails(NET "links = profile\ninput_size = 1B\noutput_size = 1B\n",
                "t.ini:9: [network] links: profile takes each device's link from its profile, "
                "and this pool has none");
    parse_fails("[scenario]\nname = c\n[workload]\ntasks = 10\n[devices]\n"
                "profiles = profiles/mac_studio.ini\nkernel = x2\n[network]\nlinks = profile\n",
                "t.ini:9: [network] links: profiles/mac_studio.ini: no [link] section");
    /* link_scale and link_scale_devices */
#define NETL NET "links = 5Mbit/s 1ms\ninput_size = 1B\noutput_size = 1B\n"
    parse_fails(NETL "link_scale = 0\n", "t.ini:12: [network] link_scale: expected a factor "
                "from 1e-06 to 1e+06");
    parse_fails(NETL "link_scale = 2e6\n", "t.ini:12: [network] link_scale: expected a factor");
    parse_fails(NETL "link_scale = fast\n", "t.ini:12: [network] link_scale: expected a factor");
    parse_fails(NETL "link_scale = 1, 2\n", "t.ini:12: [network] link_scale: takes one value; "
                "to run several, list them in [sweep] link_scale");
    parse_fails(NETL "[sweep]\nlink_scale = 1, 1\n", "t.ini:13: [sweep] link_scale: '1' is "
                "listed twice");
    parse_fails(NETL "link_scale = 2\nlink_scale_devices = 4\n", "t.ini:13: [network] "
                "link_scale_devices: device 4 does not exist in a pool of 4");
    parse_fails(NETL "link_scale = 2\nlink_scale_devices = all, 1\n", "t.ini:13: [network] "
                "link_scale_devices: all names every device: give it alone");
    parse_fails(NETL "link_scale = 2\nlink_scale_devices = 1, 1\n", "t.ini:13: [network] "
                "link_scale_devices: '1' is listed twice");
    parse_fails(NETL "link_scale = 2\nlink_scale_devices = first\n", "t.ini:13: [network] "
                "link_scale_devices: expected all or device indices");
    parse_fails(NETL "link_scale_devices = 1\n", "t.ini:12: [network] link_scale_devices: "
                "names the devices whose links link_scale multiplies, but no link_scale");
    parse_fails(NET "link_scale = 2\n", "t.ini:9: [network] link_scale: a network needs "
                "[network] links");
    parse_fails(NET "links = inf 1ms\ninput_size = 1B\noutput_size = 1B\n[sweep]\n"
                "link_scale = 1, 2\n", "t.ini:13: [sweep] link_scale: device 0's link has no "
                "bandwidth limit (inf), which no scale changes");
    parse_fails(NET "links = 1e303B/s 1ms\ninput_size = 1B\noutput_size = 1B\n"
                "link_scale = 1e6\n", "t.ini:12: [network] link_scale: x1e+06 makes device 0's "
                "bandwidth overflow");
    /* batches travel (pull_batch with [network]); their limits still hold */
    adi_scenario *nb = parse_ok(NETL "[sweep]\npull_batch = 1, 4\nmax_delay = 5ms\n");
    assert_int_equal(adi_scenario_npoints(nb), 2);
    assert_true(adi_scenario_point(nb, 1)->params.batch == 4 &&
                adi_scenario_point(nb, 1)->network);
    adi_scenario_free(nb);
    parse_fails(NETL "[scenario]\npull_batch = 65537\n", "t.ini:13: [scenario] pull_batch: "
                "expected a whole number from 1 to 65536");
    parse_fails(NETL "[scenario]\nmax_delay = 5ms\n", "t.ini:13: [scenario] max_delay: applies "
                "to batches, and pull_batch is 1");
    parse_fails(NETL "[scenario]\npolicy = static\npull_batch = 2\n", "t.ini:14: [scenario] "
                "pull_batch: applies only to policy pull");
#undef NETL
    /* an infinite link that is not scaled is fine */
    adi_scenario *sc = parse_ok(NET "links = inf 1ms, 1Mbit/s 1ms x3\ninput_size = 1B\n"
                                "output_size = 1B\nlink_scale_devices = 1, 3\n[sweep]\n"
                                "link_scale = 0.5, 2\n");
    assert_int_equal(adi_scenario_npoints(sc), 2);
    const adi_point *p = adi_scenario_point(sc, 1);
    assert_true(isinf(p->net.link[0].bw) && p->net.link[1].bw == 250000.0 &&
                p->net.link[2].bw == 125000.0 && p->net.link[3].bw == 250000.0);
    adi_scenario_free(sc);
}

static void errors_name_file_line_and_key(void **state)
{
    (void)state;
    parse_fails(BASE "[queue]\ncapacity = 0\n", "t.ini:9: [queue] capacity: expected 'inf' or a positive");
    parse_fails("[scenario]\nname = t\n[devices]\ncount = 4\nmean_time = 5xs\n",
                "t.ini:5: [devices] mean_time: unknown time unit in '5xs'");
    parse_fails("[scenario]\nname = t\n[devicez]\ncount = 2\n", "t.ini:3: unknown section [devicez]");
    parse_fails("[scenario]\nname = t\n[devices]\ncont = 2\n",
                "t.ini:4: [devices] cont: unknown key; did you mean 'count'?");
    parse_fails("[scenario]\nname = t\n[queue]\nsize = 2\n",
                "t.ini:4: [queue] size: unknown key (expected one of: capacity, overflow)");
    parse_fails(BASE "count = 8\n", "t.ini:8: [workload] count: unknown key");
    parse_fails("[scenario]\nname = t\nname = u\n", "t.ini:3: [scenario] name: given twice (first on line 2)");
    parse_fails("[scenario]\nname = t\n[devices]\ncount = 0\n", "t.ini:4: [devices] count: expected");
    parse_fails("[scenario]\nname = t\n[devices]\ncount = -3\n", "t.ini:4: [devices] count: expected a whole number >= 1");
    parse_fails("[scenario]\nname = t\nreplications = 2.5\n", "t.ini:3: [scenario] replications");
    parse_fails(BASE "[sweep]\nheterogeneity = 0,,0.5\n",
                "t.ini:9: [sweep] heterogeneity: expected a comma-separated list without empty items");
    parse_fails("[scenario]\nname = t\n[devices]\nmean_time = 1\n[workload]\ntasks = 5\n"
                "[sweep]\ndevices = 2, 4, 2\n", "t.ini:8: [sweep] devices: '2' is listed twice");
    parse_fails(BASE "[sweep]\ndevices = 2, 4\n", "t.ini:9: count is given both in [devices] (line 4) and in [sweep] (line 9)");
    parse_fails("[scenario]\nname = t\n[devices]\ncount = 4, 8\n",
                "t.ini:4: [devices] count: takes one value; to run several, list them in [sweep] devices");
    parse_fails("[devices]\ncount = 4\nmean_time = 1\n[workload]\ntasks = 3\n",
                "t.ini: [scenario] name is required");
    parse_fails("[scenario]\nname = t\n[devices]\ncount = 4\nmean_time = 1\n",
                "t.ini: [workload] tasks is required (or [sweep] tasks)");
    parse_fails("[scenario]\nname = t\n[devices]\nmean_time = 1\n[workload]\ntasks = 3\n",
                "[devices] count is required (or [sweep] devices)");
    parse_fails(BASE "[devices]\ntimes = 1, 2\n", "t.ini:9: times: cannot be combined with count (line 4)");
    parse_fails(BASE "[devices]\ndistribution = lognormal\n", "t.ini:9: [devices] cv is required with distribution = lognormal");
    parse_fails(BASE "[devices]\ncv = 0.5\n", "t.ini:9: [devices] cv: deterministic times have cv = 0");
    parse_fails(BASE "rate = 5\n", "t.ini:8: rate: applies only to kind = poisson");
    parse_fails(BASE "kind = poisson\n", "[workload] rate is required (or [sweep] rate)");
    parse_fails(BASE "kind = closed\n", "t.ini:8: [workload] kind: expected batch or poisson, got 'closed'");
    parse_fails(BASE "[scenario]\npolicy = random\n",
                "[scenario] policy: expected pull, static, sync, serial, weighted, eft, steal, jsq or "
                "pod");
    parse_fails(BASE "[scenario]\nserial_device = 4\n", "[scenario] serial_device: device 4 does not exist in a pool of 4");
    parse_fails("[scenario]\nname = t\nthis line has no equals sign\n",
                "t.ini:3: expected 'key = value', a [section] or a comment");
    parse_fails("name = t\n", "t.ini:1: name: key outside of any section");
    parse_fails("[scenario]\nname = bad name!\n", "t.ini:2: [scenario] name: expected letters, digits");
    parse_fails(BASE "[sweep]\nheterogeneity = 0, -0.5\n", "[sweep] heterogeneity: expected a number from 0 to below 1000");
    parse_fails("[scenario]\nname = t\n[devices]\ncount = 2000000\n", "[devices] count: expected at most 1000000");
    parse_fails(BASE "[scenario]\npercentiles = sorted\n", "t.ini:9: [scenario] percentiles: expected streaming or exact");
    parse_fails("[scenario]\nname = t\npercentiles = exact\n[devices]\ncount = 2\nmean_time = 1\n"
                "[workload]\ntasks = 2e7\n", "t.ini:3: [scenario] percentiles: exact percentiles keep every latency, so at most 10000000 tasks");

    char longline[400] = "[scenario]\nname = t\n[devices]\ntimes = 1";
    for (int i = 0; i < 100; i++)
        strcat(longline, ", 1");
    strcat(longline, "\n");
    parse_fails(longline, "t.ini:4: line is longer than 198 characters; continue a long list on indented lines");
}

/* ---- calibrated pools ([devices] profiles) ----------------------------------- */

/* Saves a profile at dir/name whose conv (and, with x2, x2) samples are
** base, base * 1.01, ... (10 of them). */
static void write_profile(const char *dir, const char *name, double base, int x2)
{
    adi_profile *pf = adi_profile_new();
    snprintf(pf->device, sizeof pf->device, "dev");
    snprintf(pf->created, sizeof pf->created, "2024-01-01T00:00:00Z");
    snprintf(pf->adisim, sizeof pf->adisim, "test");
    snprintf(pf->cpu, sizeof pf->cpu, "cpu");
    snprintf(pf->os, sizeof pf->os, "os");
    snprintf(pf->compiler, sizeof pf->compiler, "cc");
    snprintf(pf->blas, sizeof pf->blas, "blas");
    pf->cores = 1;
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = base * (1 + 0.01 * ((i * 7) % 10)); /* not in order */
    adi_conv_shape s = {1, 2, 2, 4, 4};
    assert_int_equal(adi_profile_add(pf, ADI_KERNEL_CONV, "custom", &s, 1, 10, 1, 1e6, x, 10), ADI_OK);
    if (x2)
        assert_int_equal(adi_profile_add(pf, ADI_KERNEL_X2, "cifar10", &s, 2, 5, 1, 1e6, x, 10), ADI_OK);
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(adi_profile_save(pf, path), ADI_OK);
    adi_profile_free(pf);
}

static adi_scenario *parse_in(const char *dir, const char *text)
{
    char path[700];
    snprintf(path, sizeof path, "%s/sub/s.ini", dir);
    adi_scenario *sc = NULL;
    if (adi_scenario_parse(path, text, &sc) != ADI_OK)
        fail_msg("unexpected error: %s", adi_errmsg());
    return sc;
}

static void fails_in(const char *dir, const char *text, const char *expected)
{
    char path[700];
    snprintf(path, sizeof path, "%s/sub/s.ini", dir);
    adi_scenario *sc = NULL;
    int rc = adi_scenario_parse(path, text, &sc);
    assert_null(sc);
    if (rc != ADI_EINPUT || !strstr(adi_errmsg(), expected))
        fail_msg("for\n%s\nexpected a message containing \"%s\", got (rc %d) \"%s\"", text,
                 expected, rc, adi_errmsg());
}

#define CAL "[scenario]\nname = c\n[workload]\ntasks = 100\n[devices]\n"

/* A temporary directory with an empty sub/ for the scenario files. */
static char *make_dirs(void)
{
    char *dir = make_temp_dir(), sub[700];
    assert_non_null(dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    return dir;
}

static void calibrated_pool(void **state)
{
    (void)state;
    char *dir = make_dirs();
    write_profile(dir, "a.ini", 0.1, 1);
    write_profile(dir, "b.ini", 0.2, 0);
    adi_profile *a;
    char path[700];
    snprintf(path, sizeof path, "%s/a.ini", dir);
    assert_int_equal(adi_profile_load(path, &a), ADI_OK);
    const adi_kernel_profile *ka = a->kernel[ADI_KERNEL_CONV];

    /* listed order and multiplicity, paths relative to the scenario's
    ** directory (sub/), the measured mean as T_i */
    adi_scenario *sc = parse_in(dir, CAL "profiles = ../a.ini x2, ../b.ini, ../a.ini\n");
    const adi_point *p = adi_scenario_point(sc, 0);
    assert_int_equal(p->n_devices, 4);
    assert_true(p->calibrated && !p->explicit_times);
    assert_int_equal(p->dist, ADI_DIST_DETERMINISTIC);
    assert_true(p->times[0] == ka->stats.mean && p->times[1] == ka->stats.mean &&
                p->times[3] == ka->stats.mean);
    assert_close(p->times[2], 2 * ka->stats.mean, 1e-14);
    assert_int_equal(p->serial_device, 0);
    assert_close(p->mean_time, 1.25 * ka->stats.mean, 1e-14);
    assert_non_null(strstr(p->key, " kernel=conv profiles="));
    assert_non_null(strstr(p->key, a->sha256));
    char first_key[2048], first_sha[65];
    snprintf(first_key, sizeof first_key, "%s", p->key);
    snprintf(first_sha, sizeof first_sha, "%s", adi_scenario_sha256(sc));
    adi_scenario_free(sc);

    /* empirical: the profile's samples, sorted, borrowed */
    sc = parse_in(dir, CAL "profiles = ../a.ini\ndistribution = empirical\n");
    p = adi_scenario_point(sc, 0);
    assert_int_equal(p->device[0].dist, ADI_DIST_EMPIRICAL);
    assert_int_equal(p->device[0].nsamples, 10);
    assert_memory_equal(p->device[0].samples, ka->sorted, 10 * sizeof(double));
    assert_close(p->times[0], ka->stats.mean, 1e-15);
    assert_close(p->cv, ka->stats.std / ka->stats.mean * sqrt(0.9), 1e-12); /* population std */
    adi_scenario_free(sc);

    /* lognormal and gamma: the fits */
    sc = parse_in(dir, CAL "profiles = ../a.ini\ndistribution = gamma\n");
    p = adi_scenario_point(sc, 0);
    assert_close(p->device[0].p1, ka->fit.gamma.p1, 1e-12);
    assert_close(p->device[0].p2, ka->fit.gamma.p2, 1e-12);
    adi_scenario_free(sc);
    sc = parse_in(dir, CAL "profiles = ../a.ini x3\ndistribution = lognormal\nkernel = x2\n"
                           "[sweep]\npolicy = pull, sync\n");
    assert_int_equal(adi_scenario_npoints(sc), 2);
    p = adi_scenario_point(sc, 1);
    assert_close(p->device[2].p1, a->kernel[ADI_KERNEL_X2]->fit.lognormal.p1, 1e-12);
    assert_close(p->device[2].p2, a->kernel[ADI_KERNEL_X2]->fit.lognormal.p2, 1e-12);
    assert_non_null(strstr(p->key, " kernel=x2 "));
    adi_scenario_free(sc);

    /* recalibrating a device changes the point key and the scenario's
    ** fingerprint, though the scenario's text is the same */
    write_profile(dir, "a.ini", 0.1001, 1);
    sc = parse_in(dir, CAL "profiles = ../a.ini x2, ../b.ini, ../a.ini\n");
    assert_string_not_equal(adi_scenario_point(sc, 0)->key, first_key);
    assert_string_not_equal(adi_scenario_sha256(sc), first_sha);
    adi_scenario_free(sc);
    adi_profile_free(a);
    remove_tree(dir);
}

static void calibrated_pool_errors(void **state)
{
    (void)state;
    char *dir = make_dirs(), path[700];
    write_profile(dir, "a.ini", 0.1, 0);
    fails_in(dir, CAL "profiles = ../a.ini\ncount = 4\n",
             "s.ini:7: count: cannot be combined with profiles (line 6): the profiles fix the pool");
    fails_in(dir, CAL "profiles = ../a.ini\n[sweep]\ndevices = 2, 4\n",
             "s.ini:8: [sweep] devices: cannot be combined with profiles (line 6)");
    fails_in(dir, CAL "times = 1, 2\nprofiles = ../a.ini\n",
             "s.ini:7: profiles: cannot be combined with times (line 6)");
    fails_in(dir, CAL "profiles = ../a.ini\ncv = 0.1\n",
             "s.ini:7: cv: cannot be combined with profiles (line 6): the spread of each device");
    fails_in(dir, CAL "profiles = ../a.ini\ndistribution = exponential\n",
             "s.ini:7: [devices] distribution: exponential would ignore the measured spread");
    fails_in(dir, CAL "count = 2\nmean_time = 1\nkernel = x2\n",
             "s.ini:8: [devices] kernel: applies only to a calibrated pool");
    fails_in(dir, CAL "count = 2\nmean_time = 1\ndistribution = empirical\n",
             "s.ini:8: [devices] distribution: empirical times come from calibrated profiles");
    fails_in(dir, CAL "profiles = ../a.ini\nkernel = gemm\n",
             "s.ini:7: [devices] kernel: expected conv or x2, got 'gemm'");
    fails_in(dir, CAL "profiles = ../a.ini x0\n",
             "s.ini:6: [devices] profiles: '../a.ini x0': the number of devices must be 1 to");
    fails_in(dir, CAL "profiles = ../a.ini,\n", "s.ini:6: [devices] profiles: expected a comma");
    snprintf(path, sizeof path, "s.ini:6: [devices] profiles: %s/sub/../missing.ini: cannot read", dir);
    fails_in(dir, CAL "profiles = ../a.ini, ../missing.ini x2\n", path);
    snprintf(path, sizeof path, "s.ini:6: [devices] profiles: %s/sub/../a.ini: no [x2] section (it "
             "has [conv]); measure it with `calibrate --kernel x2`", dir);
    fails_in(dir, CAL "profiles = ../a.ini\nkernel = x2\n", path);

    /* a broken profile: the scenario's line, then the profile's file, line and key */
    char *text, file[700];
    snprintf(file, sizeof file, "%s/a.ini", dir);
    text = read_file(file);
    char *mean = strstr(strstr(text, "[conv]"), "\nmean = ") + 8;
    memcpy(mean, "soon", 4);
    write_file(file, text);
    int line = 1;
    for (char *c = text; c < mean; c++)
        line += *c == '\n';
    snprintf(path, sizeof path, "s.ini:6: [devices] profiles: %s/sub/../a.ini:%d: [conv] mean: "
             "expected a time", dir, line);
    fails_in(dir, CAL "profiles = ../a.ini\n", path);
    free(text);
    remove_tree(dir);
}

/* Profiles of devices whose times are not measured join a pool and are
** named by adi_scenario_estimated; a pool's devices run one task; a
** profile without a fit cannot feed a fitted law. */
static void estimated_and_mixed_pools(void **state)
{
    (void)state;
    char *dir = make_dirs(), path[700];
    write_profile(dir, "a.ini", 0.1, 0);
    adi_profile *pf = adi_profile_new();
    snprintf(pf->device, sizeof pf->device, "m4");
    snprintf(pf->created, sizeof pf->created, "2024-01-01T00:00:00Z");
    snprintf(pf->adisim, sizeof pf->adisim, "test");
    snprintf(pf->cpu, sizeof pf->cpu, "cpu");
    snprintf(pf->os, sizeof pf->os, "os");
    snprintf(pf->compiler, sizeof pf->compiler, "cc");
    snprintf(pf->blas, sizeof pf->blas, "blas");
    pf->cores = 1;
    pf->source = ADI_SOURCE_EMULATED;
    pf->cpi = 1.5;
    pf->clock_hz = 168e6;
    const double same[3] = {2.0, 2.0, 2.0};
    adi_conv_shape s = {1, 2, 2, 4, 4};
    assert_int_equal(adi_profile_add(pf, ADI_KERNEL_CONV, "custom", &s, 1, 3, 0, 1e6, same, 3),
                     ADI_OK);
    pf->kernel[ADI_KERNEL_CONV]->instructions = 2.24e8;
    snprintf(path, sizeof path, "%s/m4.ini", dir);
    assert_int_equal(adi_profile_save(pf, path), ADI_OK);
    /* the same device with another task: 2 images per task */
    pf->kernel[ADI_KERNEL_CONV]->shape.batch = 2;
    pf->kernel[ADI_KERNEL_CONV]->batch.size[0] = 2; /* the one size measured is the task's */
    snprintf(path, sizeof path, "%s/m4-batch2.ini", dir);
    assert_int_equal(adi_profile_save(pf, path), ADI_OK);
    adi_profile_free(pf);

    adi_scenario *sc = parse_in(dir, CAL "profiles = ../a.ini x2\n");
    assert_null(adi_scenario_estimated(sc));
    adi_scenario_free(sc);
    sc = parse_in(dir, CAL "profiles = ../a.ini, ../m4.ini x2\ndistribution = empirical\n");
    assert_string_equal(adi_scenario_estimated(sc), "m4 (emulated)");
    const adi_point *p = adi_scenario_point(sc, 0);
    assert_int_equal(p->n_devices, 3);
    assert_true(p->times[1] == 2.0 && p->times[2] == 2.0);
    adi_scenario_free(sc);

    snprintf(path, sizeof path, "s.ini:6: [devices] profiles: %s/sub/../m4-batch2.ini: [conv] is "
             "custom 2->2 4x4, batch 2, but %s/sub/../a.ini's is custom 2->2 4x4, batch 1: the "
             "devices of a pool must run the same task", dir, dir);
    fails_in(dir, CAL "profiles = ../a.ini, ../m4-batch2.ini\n", path);
    snprintf(path, sizeof path, "s.ini:6: [devices] profiles: %s/sub/../m4.ini: [conv] has no "
             "fitted law (its 3 times are all equal); use distribution = empirical or "
             "deterministic", dir);
    fails_in(dir, CAL "profiles = ../a.ini, ../m4.ini\ndistribution = lognormal\n", path);
    remove_tree(dir);
}

static void unreadable_file(void **state)
{
    (void)state;
    adi_scenario *sc;
    assert_int_equal(adi_scenario_load("/nonexistent/scenario.ini", &sc), ADI_EINPUT);
    assert_null(sc);
    assert_non_null(strstr(adi_errmsg(), "/nonexistent/scenario.ini: cannot read"));
    char *dir = make_temp_dir(), path[600];
    snprintf(path, sizeof path, "%s/binary.ini", dir);
    FILE *f = fopen(path, "wb");
    fwrite("[scenario]\0name = x\n", 1, 20, f);
    fclose(f);
    assert_int_equal(adi_scenario_load(path, &sc), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "NUL byte"));
    remove_tree(dir);
}

/* The policy keys: a key no policy of the sweep takes is refused naming
** the policies that take it; a policy that deals by speed refuses a batch
** that drops with a finite queue. */
static void policy_keys_need_their_policies(void **state)
{
    (void)state;
    parse_fails(BASE "[scenario]\nestimates = online\n",
                "t.ini:9: [scenario] estimates: applies only to policy weighted");
    parse_fails(BASE "[sweep]\npolicy = pull, static\nestimates = exact, online\n",
                "t.ini:10: [sweep] estimates: applies only to policy weighted");
    parse_fails(BASE "[scenario]\npolicy = weighted\n[queue]\ncapacity = 5\noverflow = drop\n",
                "t.ini:12: [queue] overflow: policy weighted does not run a batch with overflow = "
                "drop and a finite capacity");
    adi_scenario_free(parse_ok(BASE "[scenario]\npolicy = weighted\n[queue]\ncapacity = 5\n"));
    parse_fails(BASE "[scenario]\npolicy = weighted\nestimates = sometimes\n",
                "t.ini:10: [scenario] estimates: expected exact or online, got 'sometimes'");
    parse_fails(BASE "[scenario]\nvictim = random\n",
                "t.ini:9: [scenario] victim: applies only to policy steal, which this scenario "
                "does not run");
    parse_fails(BASE "[scenario]\nchoices = 2\n", "[scenario] choices: applies only to policy pod");
#define OPEN "[scenario]\nname = t\n[devices]\ncount = 4\nmean_time = 50ms\n[workload]\n" \
             "tasks = 100\nkind = poisson\nrate = 10\n"
    parse_fails(OPEN "[scenario]\npolicy = pod\nchoices = 5\n",
                "t.ini:12: [scenario] choices: 5 choices from a pool of 4 devices");
    adi_scenario_free(parse_ok(OPEN "[scenario]\npolicy = pod\nchoices = 4\n"));
    parse_fails(OPEN "[scenario]\npolicy = pod\nchoices = 0\n",
                "t.ini:12: [scenario] choices: expected a whole number from 1 to");
#undef OPEN
    parse_fails(BASE "[scenario]\npolicy = jsq\n", "policy jsq does not run closed workloads");
}

static void key_documentation(void **state)
{
    (void)state;
    size_t n = adi_scenario_key_count(), sweepable = 0;
    assert_true(n >= 19);
    for (size_t i = 0; i < n; i++) {
        adi_key_doc d = adi_scenario_key_doc(i);
        assert_non_null(d.section);
        assert_non_null(d.key);
        assert_true(strlen(d.help) > 10);
        sweepable += d.sweep != NULL;
    }
    /* DESIGN.md's [sweep] keys, the network's three and link_scale, the seven policy keys */
    assert_int_equal(sweepable, 18);
}

/* Finite values whose results were not (issue 11): each refused at parse
** time with file, line, key and the valid range; the values at the edges
** of each range still parse. */
static void ranges_refused_at_parse(void **state)
{
    (void)state;
#define POOL "[scenario]\nname = t\n[devices]\ncount = 2\n"
    parse_fails(POOL "mean_time = 1s\n[workload]\nkind = poisson\ntasks = 10\nrate = 1e308/ns\n",
                "t.ini:9: [workload] rate: expected a rate from 1e-9/s to 1e12/s");
    parse_fails(POOL "mean_time = 1s\n[workload]\nkind = poisson\ntasks = 10\nrate = 1e-10\n",
                "t.ini:9: [workload] rate: expected a rate from 1e-9/s to 1e12/s");
    parse_fails(POOL "mean_time = 1e-300ns\n[workload]\ntasks = 10\n",
                "t.ini:5: [devices] mean_time: expected a time from 1 ps to 1e9 s, got '1e-300ns'");
    parse_fails(POOL "mean_time = 1e308s\n[workload]\ntasks = 10\n",
                "t.ini:5: [devices] mean_time: expected a time from 1 ps to 1e9 s, got '1e308s'");
    parse_fails(POOL "mean_time = 1s\n[workload]\ntasks = 10\nsubmit_cost = 1e308s\n",
                "t.ini:8: [workload] submit_cost: expected a time from 1 ps to 1e9 s (or 0)");
    parse_fails(POOL "mean_time = 1s\ndistribution = lognormal\ncv = 1e300\n[workload]\ntasks = 10\n",
                "t.ini:7: [devices] cv: expected a number from 0 to 10, got '1e300'");
    parse_fails(POOL "mean_time = 1s\ndistribution = gamma\ncv = 1e6\n[workload]\ntasks = 10\n",
                "t.ini:7: [devices] cv: expected a number from 0 to 10, got '1e6'");
    parse_fails(POOL "mean_time = 1s\ndistribution = gamma\ncv = 5.5\n[workload]\ntasks = 10\n",
                "t.ini:7: [devices] cv: a gamma's cv must be in (0, 5]");
    parse_fails("[scenario]\nname = t\n[devices]\ntimes = 1s, 2e9s\n[workload]\ntasks = 10\n",
                "t.ini:4: [devices] times: expected a time from 1 ps to 1e9 s, got '2e9s'");
    parse_fails("[scenario]\nname = t\n[devices]\ncount = 1000\nmean_time = 1ns\n[workload]\n"
                "tasks = 10\n[sweep]\nheterogeneity = 0, 30\n",
                "t.ini:9: [sweep] heterogeneity: h = 30 over n = 1000 devices of mean 1e-09 s gives "
                "devices mean times from");
    parse_fails(POOL "mean_time = 1s\nheterogeneity = 1000\n[workload]\ntasks = 10\n",
                "t.ini:6: [devices] heterogeneity: expected a number from 0 to below 1000");
#undef POOL
    /* the edges */
    adi_scenario_free(parse_ok("[scenario]\nname = t\n[devices]\ntimes = 1e-12, 1e9s\n[workload]\n"
                               "kind = poisson\ntasks = 10\nrate = 1e12/s\nsubmit_cost = 1e-12s\n"));
    adi_scenario_free(parse_ok("[scenario]\nname = t\n[devices]\ncount = 2\nmean_time = 1e9s\n"
                               "distribution = lognormal\ncv = 10\n[workload]\nkind = poisson\n"
                               "tasks = 10\nrate = 1e-9/s\n"));
    adi_scenario_free(parse_ok("[scenario]\nname = t\n[devices]\ncount = 2\nmean_time = 1s\n"
                               "distribution = gamma\ncv = 5\n[workload]\ntasks = 10\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minimal_with_defaults),
        cmocka_unit_test(ablation_sweep_order),
        cmocka_unit_test(keys_identify_points_across_files),
        cmocka_unit_test(explicit_times_and_continuations),
        cmocka_unit_test(poisson_workload),
        cmocka_unit_test(errors_name_file_line_and_key),
        cmocka_unit_test(network_section),
        cmocka_unit_test(network_errors),
        cmocka_unit_test(calibrated_pool),
        cmocka_unit_test(calibrated_pool_errors),
        cmocka_unit_test(estimated_and_mixed_pools),
        cmocka_unit_test(unreadable_file),
        cmocka_unit_test(policy_keys_need_their_policies),
        cmocka_unit_test(key_documentation),
        cmocka_unit_test(ranges_refused_at_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
