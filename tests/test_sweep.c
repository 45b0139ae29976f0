/*
** tests/test_sweep.c — points arrive in sweep order, skipped and infeasible
** points are not run, and results are bit-identical whatever the number of
** worker threads (and equal to running a point alone); a point rescaled
** by 1 is the point.
*/
#include "helpers.h"

#include "core/error.h"
#include "core/memory.h"

#include <glob.h>
#include "exec/rescale.h"
#include "sweep/sweep.h"

#define MAX_RUNS 512

typedef struct record {
    size_t points, runs, order[64];
    double makespan[MAX_RUNS], lat_sum[MAX_RUNS], p99[MAX_RUNS];
    uint64_t dev0[MAX_RUNS];
    size_t progress_calls;
} record;

static int remember(void *ctx, const adi_point_result *pr)
{
    record *rec = ctx;
    rec->order[rec->points++] = pr->point->index;
    for (size_t r = 0; r < pr->nruns; r++, rec->runs++) {
        rec->makespan[rec->runs] = pr->runs[r].makespan;
        rec->lat_sum[rec->runs] = pr->runs[r].lat_sum;
        rec->p99[rec->runs] = pr->runs[r].lat_p99;
        rec->dev0[rec->runs] = pr->runs[r].device[0].tasks;
    }
    return 0;
}

static void progress(void *ctx, size_t done, size_t total, unsigned long long tasks, double s)
{
    (void)total;
    (void)tasks;
    (void)s;
    record *rec = ctx;
    rec->progress_calls++;
    assert_int_equal(done, rec->points);
}

static const char *text =
    "[scenario]\nname = sw\nreplications = 4\n[devices]\nmean_time = 10ms\n"
    "distribution = lognormal\ncv = 0.3\n[workload]\ntasks = 3000\n"
    "[sweep]\npolicy = pull, sync, static\ndevices = 2, 5\nheterogeneity = 0, 0.5, 1.5\n";

static void identical_for_any_jobs(void **state)
{
    (void)state;
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("sw.ini", text, &sc), ADI_OK);
    static record first, other;
    memset(&first, 0, sizeof first);
    adi_sweep_options o = {.jobs = 1, .point_done = remember, .progress = progress, .ctx = &first};
    assert_int_equal(adi_sweep_run(sc, &o), ADI_OK);
    /* 18 points, of which n = 2, h = 1.5 (3 policies) are infeasible. */
    assert_int_equal(first.points, 15);
    assert_int_equal(first.runs, 60);
    assert_int_equal(first.progress_calls, 15);
    for (size_t i = 1; i < first.points; i++)
        assert_true(first.order[i] > first.order[i - 1]);
    static const unsigned jobs[] = {2, 3, 7, 16};
    for (size_t j = 0; j < 4; j++) {
        memset(&other, 0, sizeof other);
        o.jobs = jobs[j];
        o.ctx = &other;
        assert_int_equal(adi_sweep_run(sc, &o), ADI_OK);
        assert_int_equal(other.runs, first.runs);
        assert_memory_equal(other.order, first.order, sizeof first.order);
        assert_memory_equal(other.makespan, first.makespan, sizeof first.makespan);
        assert_memory_equal(other.lat_sum, first.lat_sum, sizeof first.lat_sum);
        assert_memory_equal(other.p99, first.p99, sizeof first.p99);
        assert_memory_equal(other.dev0, first.dev0, sizeof first.dev0);
    }
    /* A point run alone gives the same numbers as inside the sweep. */
    adi_run_result r;
    assert_int_equal(adi_sweep_run_one(adi_scenario_point(sc, first.order[3]), 2, &r), ADI_OK);
    assert_true(r.makespan == first.makespan[3 * 4 + 2]);
    adi_run_result_free(&r);
    /* Replications differ from each other. */
    assert_true(first.makespan[0] != first.makespan[1]);
    adi_scenario_free(sc);
}

static void skipping(void **state)
{
    (void)state;
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("sw.ini", text, &sc), ADI_OK);
    unsigned char skip[18] = {0};
    for (int i = 0; i < 18; i += 2)
        skip[i] = 1;
    static record rec;
    memset(&rec, 0, sizeof rec);
    adi_sweep_options o = {.jobs = 3, .skip = skip, .point_done = remember, .ctx = &rec};
    assert_int_equal(adi_sweep_run(sc, &o), ADI_OK);
    for (size_t i = 0; i < rec.points; i++) {
        assert_true(rec.order[i] % 2 == 1);
        assert_null(adi_scenario_point(sc, rec.order[i])->infeasible);
    }
    adi_scenario_free(sc);
}

static int refuse(void *ctx, const adi_point_result *pr)
{
    (void)ctx;
    (void)pr;
    return adi_fail(ADI_EIO, "disk full (simulated)");
}

static void a_failing_writer_stops_the_sweep(void **state)
{
    (void)state;
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("sw.ini", text, &sc), ADI_OK);
    adi_sweep_options o = {.jobs = 4, .point_done = refuse};
    assert_int_equal(adi_sweep_run(sc, &o), ADI_EIO);
    assert_non_null(strstr(adi_errmsg(), "disk full (simulated)"));
    adi_scenario_free(sc);
}

static adi_scenario *parsed(const char *ini)
{
    adi_scenario *sc;
    if (adi_scenario_parse("/tmp/r.ini", ini, &sc) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    return sc;
}

/* exec/rescale.h: scale 1 is the original run, bit for bit (the same random
** numbers); deterministic times scaled by 2 double the makespan exactly;
** scaling one device moves work to the other; a scale <= 0 is refused. */
static void rescaled_runs(void **state)
{
    (void)state;
    char profiled[1024], here[512];
    assert_non_null(getcwd(here, sizeof here));
    snprintf(profiled, sizeof profiled, "[scenario]\nname = r\n[devices]\nprofiles = "
             "%s/profiles/mac_studio.ini x2\nkernel = x2\ndistribution = empirical\n"
             "[workload]\ntasks = 1000\n", here);
    const char *texts[] = {profiled, "[scenario]\nname = r\n[devices]\ntimes = 1, 2, 3\n"
                                 "distribution = lognormal\ncv = 0.5\n[workload]\ntasks = 1000\n"};
    for (int t = 0; t < 2; t++) {
        adi_scenario *sc = parsed(texts[t]);
        const adi_point *p = adi_scenario_point(sc, 0);
        double one[3] = {1, 1, 1};
        adi_run_result a, b;
        assert_int_equal(adi_sweep_run_one(p, 3, &a), ADI_OK);
        assert_int_equal(adi_sweep_run_rescaled(p, one, 3, &b), ADI_OK);
        assert_true(a.makespan == b.makespan && a.lat_sum == b.lat_sum);
        assert_int_equal(a.device[0].tasks, b.device[0].tasks);
        adi_run_result_free(&b);
        double slower[3] = {1, 3, 1}; /* device 1 three times slower: fewer tasks */
        assert_int_equal(adi_sweep_run_rescaled(p, slower, 3, &b), ADI_OK);
        assert_true(b.device[1].tasks < a.device[1].tasks);
        assert_true(b.makespan > a.makespan);
        adi_run_result_free(&a);
        adi_run_result_free(&b);
        double bad[3] = {1, 0, 1};
        assert_int_equal(adi_sweep_run_rescaled(p, bad, 3, &b), ADI_EINPUT);
        adi_scenario_free(sc);
    }
    adi_scenario *sc = parsed("[scenario]\nname = r\n[devices]\ntimes = 1, 2, 3\n"
                              "[workload]\ntasks = 1000\n");
    const adi_point *p = adi_scenario_point(sc, 0);
    double two[3] = {2, 2, 2};
    adi_run_result a, b;
    assert_int_equal(adi_sweep_run_one(p, 0, &a), ADI_OK);
    assert_int_equal(adi_sweep_run_rescaled(p, two, 0, &b), ADI_OK);
    assert_true(b.makespan == 2 * a.makespan);
    adi_run_result_free(&a);
    adi_run_result_free(&b);
    adi_scenario_free(sc);
}

/* Bytes the kept results of a point really take (what the estimate must
** not fall below). */
static int measure_kept(void *ctx, const adi_point_result *pr)
{
    double *bytes = ctx;
    for (size_t r = 0; r < pr->nruns; r++)
        *bytes += (double)(sizeof(adi_run_result) + sizeof(adi_run_checks) +
                           pr->runs[r].n_devices * sizeof(adi_device_result) +
                           adi_hist_bytes(&pr->runs[r].lat) + adi_hist_bytes(&pr->runs[r].latc));
    return 0;
}

static void memory_estimates(void **state)
{
    (void)state;
    /* every shipped scenario fits the default cap (half of this machine) */
    glob_t g;
    assert_int_equal(glob("scenarios/*.ini", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 10);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        adi_scenario *sc;
        if (adi_scenario_load(g.gl_pathv[i], &sc) != ADI_OK) {
            if (strstr(adi_errmsg(), "cannot read")) /* profiles of this machine: make demo */
                continue;
            fail_msg("%s", adi_errmsg());
        }
        if (adi_sweep_check_memory(sc, 0) != ADI_OK)
            fail_msg("%s", adi_errmsg());
        adi_scenario_free(sc);
    }
    globfree(&g);
    /* the estimate is above what the results take, and not absurd */
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("m.ini", "[scenario]\nname = m\nreplications = 300\n"
                                        "[devices]\ncount = 3\nmean_time = 1ms\n"
                                        "distribution = exponential\n[workload]\ntasks = 1000\n",
                                        &sc), ADI_OK);
    double kept = 0, estimate = adi_sweep_memory(sc, 1, NULL);
    adi_sweep_options o = {.jobs = 1, .point_done = measure_kept, .ctx = &kept};
    assert_int_equal(adi_sweep_run(sc, &o), ADI_OK);
    assert_true(kept > 300 * 1000.0);
    if (!(estimate >= kept && estimate < 16.0 * 1024 * 1024 + 20 * kept))
        fail_msg("estimate %g bytes for results of %g bytes", estimate, kept);
    /* over the cap: refused, naming the keys */
    assert_int_equal(adi_memory_set_cap("1M"), ADI_OK);
    assert_int_equal(adi_sweep_check_memory(sc, 1), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "m.ini:3: [scenario] replications: 300 replications of "
                                         "point 0 would hold about"));
    assert_non_null(strstr(adi_errmsg(), "m.ini:5: [devices] count"));
    assert_int_equal(adi_sweep_run(sc, &o), ADI_EINPUT); /* the sweep itself checks too */
    adi_scenario_free(sc);
    /* batches: each device's batch of b (2 x 10^4 devices x 65536 tasks x
    ** 16 bytes: 19.5 GiB), refused naming pull_batch; over a network the
    ** devices' batches live in sim/net.c's rings instead, within every task
    ** (10^6 x 96 bytes: 92 MiB), and the same pool fits */
    assert_int_equal(adi_memory_set_cap("16G"), ADI_OK);
    static const char *const pool = "[scenario]\nname = b\npull_batch = 65536\n"
                                    "[devices]\ncount = 20000\nmean_time = 1ms\n"
                                    "batch_overhead = 0.1\n[workload]\ntasks = 1e6\n";
    assert_int_equal(adi_scenario_parse("b.ini", pool, &sc), ADI_OK);
    double need = adi_sweep_memory(sc, 1, NULL);
    assert_true(need > 19.5 * 1024 * 1024 * 1024 && need < 20.0 * 1024 * 1024 * 1024);
    assert_int_equal(adi_sweep_check_memory(sc, 1), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "b.ini:3: [scenario] pull_batch"));
    adi_scenario_free(sc);
    char with_net[512];
    snprintf(with_net, sizeof with_net, "%s[network]\nlinks = 1Gbit/s 1ms\ninput_size = 1kB\n"
                                "output_size = 1kB\nprefetch = 3\n", pool);
    assert_int_equal(adi_scenario_parse("b.ini", with_net, &sc), ADI_OK);
    need = adi_sweep_memory(sc, 1, NULL);
    assert_true(need > 1e6 * 96 && need < 1e6 * 96 + 64 * 1024 * 1024);
    assert_int_equal(adi_sweep_check_memory(sc, 1), ADI_OK);
    adi_scenario_free(sc);
    assert_int_equal(adi_memory_set_cap("0.5"), ADI_EINPUT);
    assert_int_equal(adi_memory_set_cap("50%"), ADI_OK);
}

/* The reproducers of issue 11 through simulate: exit 2 naming the keys,
** no database written. */
static void simulate_refuses_over_the_cap(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), *out, *err, path[600];
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/reps.ini", dir);
    FILE *f = fopen(path, "w");
    fputs("[scenario]\nname = reps\nreplications = 1000000\n[devices]\ncount = 1\n"
          "mean_time = 1s\n[workload]\ntasks = 1\n", f);
    fclose(f);
    int rc = run_program_in(dir, NULL, "simulate", "reps.ini --db r.db --max-memory 1G", &out, &err);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "reps.ini:3: [scenario] replications: 1000000 replications"));
    assert_non_null(strstr(err, "more than the 1 GiB this run may use (--max-memory)"));
    free(out);
    free(err);
    snprintf(path, sizeof path, "%s/pools.ini", dir);
    f = fopen(path, "w");
    fputs("[scenario]\nname = pools\n[devices]\ncount = 1000000\nmean_time = 1s\n"
          "[workload]\ntasks = 1\n[sweep]\nheterogeneity = 0, 0.5\n", f);
    fclose(f);
    rc = run_program_in(dir, NULL, "simulate", "pools.ini --db r.db --max-memory 64M", &out, &err);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "pools.ini:4: [devices] count: its 2 points and 2000000 devices"));
    assert_non_null(strstr(err, "[sweep] heterogeneity (line 9, 2 values)"));
    free(out);
    free(err);
    rc = run_program_in(dir, NULL, "simulate", "pools.ini --max-memory 12", &out, &err);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "--max-memory: expected a size of at least 1 MiB"));
    free(out);
    free(err);
    snprintf(path, sizeof path, "%s/r.db", dir);
    assert_int_equal(access(path, F_OK), -1);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identical_for_any_jobs),
        cmocka_unit_test(skipping),
        cmocka_unit_test(a_failing_writer_stops_the_sweep),
        cmocka_unit_test(rescaled_runs),
        cmocka_unit_test(memory_estimates),
        cmocka_unit_test(simulate_refuses_over_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
