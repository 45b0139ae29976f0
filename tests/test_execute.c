/*
** tests/test_execute.c — the real executor: every policy runs every task
** exactly once with checked outputs and gives a result the simulator's
** tables understand; points it cannot execute say why; measured runs are
** stored beside their simulated twin and compared.
**
** The kernel is x2 on a batch of 2 images (microseconds a task), calibrated
** quickly into a temporary profile, so the whole file takes well under a
** second.
*/
#include "helpers.h"

#include "kernels/blas.h"
#include "exec/execute.h"
#include "measure/measure.h"
#include "profile/import.h"
#include "core/error.h"
#include "report/fidelity.h"
#include "store/merge.h"
#include "store/store.h"
#include "store/store_int.h" /* adi_store_db: the rows themselves */
#include "exec/execute_into_store.h"
#include "sweep/into_store.h"

static int setup(void **state)
{
    (void)state;
    if (temp_dir_setup(NULL) != 0)
        return -1;
    static const size_t batches[] = {4, 8}; /* pull_batch up to 4 tasks of 2 images */
    adi_calibrate_options o = {.device = "tiny", .kernels = 1u << ADI_KERNEL_X2, .batch = 2,
                               .batches = batches, .nbatches = 2, .quick = 1};
    adi_record *rec;
    adi_profile *pf;
    if (adi_calibrate_run(&o, &rec) != ADI_OK)
        return -1;
    int made = adi_profile_from_record(rec, NULL, &pf);
    adi_record_free(rec);
    if (made != ADI_OK)
        return -1;
    char path[600];
    snprintf(path, sizeof path, "%s/tiny.ini", temp_dir());
    int rc = adi_profile_save(pf, path);
    adi_profile_free(pf);
    return rc == ADI_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    temp_dir_teardown(NULL);
    return 0;
}

static adi_scenario *scenario_of(const char *devices, const char *kernel, const char *rest)
{
    char text[1024], path[600];
    snprintf(text, sizeof text, "[scenario]\nname = ex\nreplications = 2\n[devices]\n%s\n"
                                "kernel = %s\ndistribution = empirical\n[workload]\ntasks = 50\n%s",
             devices, kernel, rest);
    snprintf(path, sizeof path, "%s/ex.ini", temp_dir()); /* profiles resolve beside it */
    adi_scenario *sc;
    if (adi_scenario_parse(path, text, &sc) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    return sc;
}

static adi_scenario *scenario(const char *devices, const char *rest)
{
    return scenario_of(devices, "x2", rest);
}

/* tiny.ini on two devices (one on a single core). */
static adi_scenario *pool_scenario(const char *rest)
{
    return scenario(adi_execute_cores() < 2 ? "profiles = tiny.ini x1" : "profiles = tiny.ini x2",
                    rest);
}

/* Executes replication rep of point i, failing the test with the message. */
static void run_ok(const adi_scenario *sc, size_t i, uint64_t rep, adi_run_result *r)
{
    if (adi_execute_run(sc, adi_scenario_point(sc, i), rep, r) != ADI_OK)
        fail_msg("point %zu: %s", i, adi_errmsg());
}

static void every_policy_runs_every_task_once(void **state)
{
    (void)state;
    adi_scenario *sc = pool_scenario("[sweep]\npolicy = pull, static, sync, serial, weighted, "
                                     "eft, steal\nqueue_capacity = inf, 3\n");
    size_t executed = 0;
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        const char *why;
        if (!adi_execute_supported(sc, p, &why)) /* every policy, Q = inf or not */
            fail_msg("point %zu: %s", i, why);
        adi_run_result r;
        run_ok(sc, i, 0, &r);
        assert_int_equal(r.completed, 50);
        uint64_t sum = 0;
        for (size_t d = 0; d < r.n_devices; d++) {
            sum += r.device[d].tasks;
            /* with tasks this small one worker may take them all before
            ** the other has started: a device without tasks was never busy */
            if (r.device[d].tasks == 0)
                assert_true(r.device[d].busy == 0);
            else
                assert_true(r.device[d].busy > 0);
            assert_true(r.device[d].busy <= r.makespan);
        }
        assert_int_equal(sum, 50);
        if (p->policy == &adi_policy_serial)
            assert_int_equal(r.n_devices, 1);
        /* fixed shares, with a finite Q too (fed by the producer) */
        if (p->policy == &adi_policy_static && r.n_devices == 2)
            assert_true(r.device[0].tasks == 25 && r.device[1].tasks == 25);
        if (p->policy == &adi_policy_weighted && r.n_devices == 2) /* equal T_i */
            assert_true(r.device[0].tasks == 25 && r.device[1].tasks == 25);
        if (p->capacity != ADI_CAPACITY_INF)
            assert_true(r.max_queue <= p->capacity);
        assert_true(r.makespan > 0 && r.throughput > 0);
        assert_true(r.lat_p50 <= r.lat_p95 && r.lat_p95 <= r.lat_max);
        assert_true(r.latc_max <= r.makespan * (1 + 1e-12));
        assert_int_equal(r.lat.n, 50);
        adi_run_result_free(&r);
        executed++;
    }
    assert_int_equal(executed, 14); /* 7 policies x 2 capacities */
    adi_scenario_free(sc);
}

/* tiny.ini's x2 as if it took `factor` times as long: the same kernel (it
** runs as fast), a profile whose T_i the policies plan with. */
static void save_scaled(const char *name, double factor)
{
    char path[600];
    snprintf(path, sizeof path, "%s/tiny.ini", temp_dir());
    adi_profile *pf, *out = adi_profile_new();
    assert_non_null(out);
    assert_int_equal(adi_profile_load(path, &pf), ADI_OK);
    const adi_kernel_profile *kp = pf->kernel[ADI_KERNEL_X2];
    double *samples = malloc(kp->nsamples * sizeof *samples);
    assert_non_null(samples);
    for (size_t i = 0; i < kp->nsamples; i++)
        samples[i] = kp->samples[i] * factor;
    memcpy(out->created, pf->created, sizeof out->created);
    memcpy(out->adisim, pf->adisim, sizeof out->adisim);
    memcpy(out->cpu, pf->cpu, sizeof out->cpu);
    memcpy(out->os, pf->os, sizeof out->os);
    memcpy(out->compiler, pf->compiler, sizeof out->compiler);
    memcpy(out->blas, pf->blas, sizeof out->blas);
    memcpy(out->origin, pf->origin, sizeof out->origin);
    out->cores = pf->cores;
    snprintf(out->device, sizeof out->device, "scaled");
    if (adi_profile_add(out, ADI_KERNEL_X2, kp->layer, &kp->shape, kp->threads,
                        kp->nsamples / kp->threads, kp->warmup, kp->work, samples,
                        kp->nsamples) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    free(samples);
    snprintf(path, sizeof path, "%s/%s", temp_dir(), name);
    if (adi_profile_save(out, path) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    adi_profile_free(out);
    adi_profile_free(pf);
}

/* Runs point i of sc, checks every task ran once (the executor refuses
** otherwise) and returns device d's count. */
static uint64_t tasks_of(const adi_scenario *sc, size_t i, size_t d)
{
    adi_run_result r;
    run_ok(sc, i, 0, &r);
    assert_int_equal(r.completed, 50);
    assert_int_equal(r.device[0].tasks + r.device[1].tasks, 50);
    uint64_t c = r.device[d].tasks;
    adi_run_result_free(&r);
    return c;
}

/* Runs replication rep of point i of sc, whose Q is finite, and checks
** what holds whatever the timing: every task ran once (the executor
** refuses otherwise) and on one device; at least one task waited, never
** more than Q; and the producer, its 50 tasks finding room for a few,
** blocked. */
static void run_bounded(const adi_scenario *sc, size_t i, uint64_t rep, adi_run_result *r)
{
    run_ok(sc, i, rep, r);
    uint64_t q = adi_scenario_point(sc, i)->capacity, sum = 0;
    assert_int_equal(r->completed, 50);
    for (size_t d = 0; d < r->n_devices; d++)
        sum += r->device[d].tasks;
    assert_int_equal(sum, 50);
    assert_true(r->max_queue >= 1 && r->max_queue <= q);
    assert_true(r->blocked_time > 0);
    assert_true(r->lat_max <= r->makespan);
}

/* A pool of tiny.ini and slow.ini (tiny's kernel, 1000 times its T_i) in
** the order devices gives; NULL (the test skipped) on a single core. */
static adi_scenario *slow_pool(const char *devices, const char *rest)
{
    if (adi_execute_cores() < 2)
        return NULL;
    save_scaled("slow.ini", 1000);
    return scenario(devices, rest);
}

/* eft decides by the T_i it knows. Device 0's profile says 1000 times
** device 1's (its kernel is as fast): with exact estimates 49 tasks on
** device 1 end before one on device 0 would, so device 0 declines every
** task whatever the timing; with online estimates both start at the pool's
** mean and device 0, the lower index, takes the first task. */
static void eft_plans_with_its_estimates(void **state)
{
    (void)state;
    adi_scenario *sc = slow_pool("profiles = slow.ini x1, tiny.ini x1",
                                 "[scenario]\npolicy = eft\n[sweep]\nestimates = exact, online\n");
    if (!sc)
        skip();
    assert_int_equal(adi_scenario_npoints(sc), 2);
    for (int rep = 0; rep < 3; rep++) {
        assert_int_equal(tasks_of(sc, 0, 0), 0);
        assert_true(tasks_of(sc, 1, 0) >= 1);
    }
    adi_scenario_free(sc);
}

/* eft with a finite Q: its producer blocks while Q wait, holding the next
** task, which counts among the W the rule sees. The rule still forces the
** counts of eft_plans_with_its_estimates: with exact estimates device 0
** (1000 times slower by its profile) declines every task, since device 1's
** next ~1000 slots come before its first and W <= Q + 1; with online ones
** device 0, the lower index at the pool's mean, takes the first. The queue
** never holds more than Q, and the producer blocks (50 tasks, Q <= 2). */
static void eft_with_a_bounded_queue(void **state)
{
    (void)state;
    adi_scenario *sc = slow_pool("profiles = slow.ini x1, tiny.ini x1",
                                 "[scenario]\npolicy = eft\n[sweep]\nestimates = exact, online\n"
                                 "queue_capacity = 1, 2\n");
    if (!sc)
        skip();
    assert_int_equal(adi_scenario_npoints(sc), 4);
    for (size_t i = 0; i < 4; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        for (int rep = 0; rep < 3; rep++) {
            adi_run_result r;
            run_bounded(sc, i, (uint64_t)rep, &r);
            if (p->params.estimates == ADI_ESTIMATES_EXACT)
                assert_int_equal(r.device[0].tasks, 0);
            else
                assert_true(r.device[0].tasks >= 1);
            adi_run_result_free(&r);
        }
    }
    adi_scenario_free(sc);
}

/* weighted with a finite Q: a producer deals the split into per-device
** queues, at most Q waiting in all. By the profiles device 1 is 1000 times
** slower, so the split gives it nothing, however the producer blocks. */
static void weighted_with_a_bounded_queue(void **state)
{
    (void)state;
    adi_scenario *sc = slow_pool("profiles = tiny.ini x1, slow.ini x1",
                                 "[scenario]\npolicy = weighted\n[queue]\ncapacity = 3\n");
    if (!sc)
        skip();
    for (int rep = 0; rep < 3; rep++) {
        adi_run_result r;
        run_ok(sc, 0, (uint64_t)rep, &r);
        assert_int_equal(r.device[0].tasks, 50);
        assert_int_equal(r.device[1].tasks, 0);
        assert_true(r.max_queue <= 3);
        adi_run_result_free(&r);
    }
    adi_scenario_free(sc);
}

/* steal starts as the engine does at t = 0: by the weighted split all 50
** tasks go to device 0 (1000 times faster by the profiles), and idle
** device 1 steals the second as it waits; by the equal split it gets every
** other one. Either way device 1 runs at least one task, and every task
** runs once whatever is stolen later (random victims too). */
static void steal_starts_from_its_split(void **state)
{
    (void)state;
    adi_scenario *sc = slow_pool("profiles = tiny.ini x1, slow.ini x1",
                                 "[scenario]\npolicy = steal\n[sweep]\n"
                                 "steal_start = weighted, equal\nvictim = longest, random\n");
    if (!sc)
        skip();
    assert_int_equal(adi_scenario_npoints(sc), 4);
    for (size_t i = 0; i < 4; i++)
        for (int rep = 0; rep < 3; rep++)
            assert_true(tasks_of(sc, i, 1) >= 1);
    adi_scenario_free(sc);
}

/* sync with a finite Q: a producer feeds a bounded queue and a round starts
** as the engine starts one, so every round has min(n, Q, tasks left) tasks
** whatever the timing: with Q = 1 rounds of one, all 50 on device 0; with
** Q = 2 or 3 rounds of two, 25 each (a round that started short, or on the
** wrong devices, changes the counts). The queue never holds more than Q,
** and the producer, whose 50 tasks find room for min(n, Q) + Q at most,
** blocks. */
static void sync_with_a_bounded_queue(void **state)
{
    (void)state;
    if (adi_execute_cores() < 2)
        skip();
    adi_scenario *sc = pool_scenario("[scenario]\npolicy = sync\n[sweep]\n"
                                     "queue_capacity = 1, 2, 3\n");
    assert_int_equal(adi_scenario_npoints(sc), 3);
    for (size_t i = 0; i < 3; i++) {
        uint64_t q = adi_scenario_point(sc, i)->capacity;
        for (int rep = 0; rep < 3; rep++) {
            adi_run_result r;
            run_bounded(sc, i, (uint64_t)rep, &r);
            assert_int_equal(r.device[0].tasks, q == 1 ? 50 : 25);
            assert_int_equal(r.device[1].tasks, q == 1 ? 0 : 25);
            adi_run_result_free(&r);
        }
    }
    adi_scenario_free(sc);
}

/* steal with a finite Q: a producer deals the split into per-thread
** queues, at most Q waiting in all, and after each task it queues the idle
** threads steal, the one idle longest first, as the engine's serve_idle;
** every thread starts idle. So, as with Q = inf, device 1 runs at least one
** task by either split whatever the timing (weighted: it steals task 1, the
** first to wait; equal: task 1 is dealt to it, idle), and a thread whose
** queue is empty when its task ends steals. The queue never holds more than
** Q, and the producer blocks (50 tasks, Q <= 2). */
static void steal_with_a_bounded_queue(void **state)
{
    (void)state;
    adi_scenario *sc = slow_pool("profiles = tiny.ini x1, slow.ini x1",
                                 "[scenario]\npolicy = steal\n[sweep]\n"
                                 "steal_start = weighted, equal\nvictim = longest, random\n"
                                 "queue_capacity = 1, 2\n");
    if (!sc)
        skip();
    assert_int_equal(adi_scenario_npoints(sc), 8);
    for (size_t i = 0; i < 8; i++)
        for (int rep = 0; rep < 3; rep++) {
            adi_run_result r;
            run_bounded(sc, i, (uint64_t)rep, &r);
            assert_true(r.device[1].tasks >= 1);
            adi_run_result_free(&r);
        }
    adi_scenario_free(sc);
}

/* pull's keys run for real. With pull_batch = b and every task waiting at
** t = 0 a thread takes b at a time and only the last batch is smaller (all
** that is left), so of 50 tasks in batches of 3 or 4 the devices' counts
** are multiples of b but for one batch of 2, whatever the timing; the idle
** rules (which waiting thread gets a task) with a bounded queue, where
** threads do wait for the producer, run every task once. */
static void pull_batches_and_idle_choice(void **state)
{
    (void)state;
    adi_scenario *sc = pool_scenario("[scenario]\npolicy = pull\n[sweep]\npull_batch = 3, 4\n");
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        uint64_t b = adi_scenario_point(sc, i)->params.batch;
        for (int rep = 0; rep < 3; rep++) {
            adi_run_result r;
            run_ok(sc, i, (uint64_t)rep, &r);
            uint64_t sum = 0, short_batches = 0;
            for (size_t d = 0; d < r.n_devices; d++) {
                sum += r.device[d].tasks;
                short_batches += r.device[d].tasks % b != 0;
                if (r.device[d].tasks % b != 0)
                    assert_int_equal(r.device[d].tasks % b, 50 % b);
            }
            assert_int_equal(sum, 50);
            assert_int_equal(short_batches, 1);
            adi_run_result_free(&r);
        }
    }
    adi_scenario_free(sc);
    /* max_delay: a thread waiting for a batch to fill wakes when the oldest
    ** has waited that long (a timed wait) */
    sc = pool_scenario("[scenario]\npolicy = pull\n[queue]\ncapacity = 2\n[sweep]\n"
                       "idle_choice = fastest, random\npull_batch = 1, 2, 3\nmax_delay = inf, 2us\n");
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const char *why;
        assert_true(adi_execute_supported(sc, adi_scenario_point(sc, i), &why));
        for (int rep = 0; rep < 3; rep++) {
            adi_run_result r;
            run_ok(sc, i, (uint64_t)rep, &r);
            assert_int_equal(r.completed, 50);
            assert_true(r.max_queue <= 2);
            adi_run_result_free(&r);
        }
    }
    adi_scenario_free(sc);
}

static void what_cannot_be_executed(void **state)
{
    (void)state;
    adi_scenario *sc = scenario("profiles = tiny.ini x1", "kind = poisson\nrate = 100\n");
    const char *why;
    assert_false(adi_execute_supported(sc, adi_scenario_point(sc, 0), &why));
    assert_non_null(strstr(why, "batch"));
    adi_scenario_free(sc);
    /* the producer blocks: dropping tasks is the simulator's alone */
    sc = scenario("profiles = tiny.ini x1", "[queue]\ncapacity = 3\noverflow = drop\n");
    assert_false(adi_execute_supported(sc, adi_scenario_point(sc, 0), &why));
    assert_non_null(strstr(why, "overflow = drop is not executed"));
    adi_run_result r;
    assert_int_equal(adi_execute_run(sc, adi_scenario_point(sc, 0), 0, &r), ADI_EINPUT);
    adi_scenario_free(sc);
    char devices[64];
    snprintf(devices, sizeof devices, "profiles = tiny.ini x%u", adi_execute_cores() + 1);
    sc = scenario(devices, "");
    assert_false(adi_execute_supported(sc, adi_scenario_point(sc, 0), &why));
    assert_non_null(strstr(why, "cores"));
    adi_scenario_free(sc);
    adi_scenario *synthetic;
    assert_int_equal(adi_scenario_parse("s.ini", "[scenario]\nname = s\n[devices]\ncount = 1\n"
                                        "mean_time = 1\n[workload]\ntasks = 5\n", &synthetic), ADI_OK);
    assert_false(adi_execute_supported(synthetic, adi_scenario_point(synthetic, 0), &why));
    assert_non_null(strstr(why, "not calibrated"));
    adi_scenario_free(synthetic);
}

/* tiny.ini as if measured elsewhere (cpu, cores) or estimated, saved as name. */
static void save_variant(const char *name, const char *cpu, unsigned cores, adi_source source)
{
    char path[600];
    snprintf(path, sizeof path, "%s/tiny.ini", temp_dir());
    adi_profile *pf;
    assert_int_equal(adi_profile_load(path, &pf), ADI_OK);
    if (cpu)
        snprintf(pf->cpu, sizeof pf->cpu, "%s", cpu);
    if (cores)
        pf->cores = cores;
    pf->source = source;
    snprintf(path, sizeof path, "%s/%s", temp_dir(), name);
    assert_int_equal(adi_profile_save(pf, path), ADI_OK);
    adi_profile_free(pf);
}

/* A prediction error from another machine's profile would say nothing about
** the simulator: only profiles measured here are executed. */
static void only_profiles_of_this_machine_are_executed(void **state)
{
    (void)state;
    save_variant("mac.ini", "Apple M2 Ultra", 0, ADI_SOURCE_MEASURED);
    save_variant("wide.ini", NULL, adi_execute_cores() + 8, ADI_SOURCE_MEASURED);
    save_variant("guess.ini", NULL, 0, ADI_SOURCE_ESTIMATED);
    save_variant("same.ini", NULL, 0, ADI_SOURCE_MEASURED);
    static const struct { const char *file, *says; } cases[] = {
        {"mac.ini", "device 0's profile"},
        {"mac.ini", "was measured on another machine (Apple M2 Ultra"},
        {"wide.ini", "cores): calibrate here first"},
        {"guess.ini", "is estimated, not measured"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char devices[128];
        snprintf(devices, sizeof devices, "profiles = %s x1", cases[i].file);
        adi_scenario *sc = scenario(devices, "");
        const char *why;
        assert_false(adi_execute_supported(sc, adi_scenario_point(sc, 0), &why));
        if (!strstr(why, cases[i].says))
            fail_msg("%s: '%s' does not say '%s'", cases[i].file, why, cases[i].says);
        adi_run_result r;
        assert_int_equal(adi_execute_run(sc, adi_scenario_point(sc, 0), 0, &r), ADI_EINPUT);
        adi_scenario_free(sc);
    }
    /* serial runs only its own device: an estimated device beside it is no
    ** obstacle, while pull on the same pool is refused */
    adi_scenario *sc = scenario("profiles = same.ini x1, guess.ini x1",
                                "[sweep]\npolicy = serial, pull\n");
    const char *why;
    for (size_t i = 0; i < adi_scenario_npoints(sc); i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        int ok = adi_execute_supported(sc, p, &why);
        if (p->policy == &adi_policy_serial)
            assert_true(ok);
        else if (adi_execute_cores() >= 2) {
            assert_false(ok);
            assert_non_null(strstr(why, "device 1's profile"));
        }
    }
    adi_scenario_free(sc);
}

/* The rows of a query as text, one line each. */
static char *query_text(const char *db_path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    while (sqlite3_step(q) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(q); c++)
            fprintf(f, "%s|", sqlite3_column_text(q, c) ? (const char *)sqlite3_column_text(q, c)
                                                        : "NULL");
        fputc('\n', f);
    }
    fclose(f);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return text;
}

/* The order in which adi_execute_into_store ran the runs. */
typedef struct run_order {
    size_t point[16], done[16], n, total;
} run_order;

static void record_order(void *ctx, const adi_point *p, size_t done, size_t total)
{
    run_order *o = ctx;
    if (o->n < 16) {
        o->point[o->n] = p->index;
        o->done[o->n++] = done;
    }
    o->total = total;
}

/* A new database `file` in the temporary directory (its path into path)
** holding sc simulated: the twins of what is executed. */
static adi_store *simulated_store(const adi_scenario *sc, const char *file, char *path,
                                  size_t size, adi_sweep_stats *ss)
{
    snprintf(path, size, "%s/%s", temp_dir(), file);
    adi_store *st;
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    assert_int_equal(adi_sweep_into_store(st, sc, (adi_sweep_options){.jobs = 1}, ss), ADI_OK);
    return st;
}

/* The comparison's text for host "testhost" (the caller frees it). */
static char *fidelity_text(adi_store *st, const adi_scenario *sc, adi_fidelity_totals *t)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    assert_int_equal(adi_report_fidelity(st, sc, "testhost", f, t), ADI_OK);
    fclose(f);
    return text;
}

static void measured_runs_are_stored_beside_their_twin(void **state)
{
    (void)state;
    adi_scenario *sc = scenario("profiles = tiny.ini x1", "[sweep]\npolicy = pull, serial\n");
    char path[600];
    adi_sweep_stats ss;
    adi_store *st = simulated_store(sc, "r.db", path, sizeof path, &ss);
    adi_execute_stats es;
    run_order order = {0};
    assert_int_equal(adi_execute_into_store(st, sc, ss.scenario_id, "testhost", 3, NULL,
                                            record_order, &order, &es), ADI_OK);
    assert_int_equal(es.executed, 2);
    assert_int_equal(es.runs, 6);
    /* interleaved: replication r of both points, then r + 1 */
    assert_int_equal(order.n, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(order.point[i], i % 2);
        assert_int_equal(order.done[i], i + 1);
        assert_int_equal(order.total, 6);
    }
    /* Again: nothing to do. */
    assert_int_equal(adi_execute_into_store(st, sc, ss.scenario_id, "testhost", 3, NULL, NULL,
                                            NULL, &es), ADI_OK);
    assert_int_equal(es.executed, 0);
    assert_int_equal(es.stored_before, 2);
    sqlite3 *db = adi_store_db(st);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), min(m.twin = s.id), min(m.host),"
                                            " min(m.key LIKE 'measured on testhost: %')"
                                            " FROM point m JOIN point s ON s.key = substr(m.key, 23)"
                                            " WHERE m.source = 'measured' AND s.source = 'simulated'",
                                            -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 2);
    assert_int_equal(sqlite3_column_int(q, 1), 1);
    assert_string_equal((const char *)sqlite3_column_text(q, 2), "testhost");
    assert_int_equal(sqlite3_column_int(q, 3), 1);
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM run WHERE source = 'measured'",
                                        -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 6);
    sqlite3_finalize(q);
    /* The comparison sees both points. */
    adi_fidelity_totals t;
    char *text = fidelity_text(st, sc, &t);
    assert_int_equal(t.points, 2);
    assert_non_null(strstr(text, "serial"));
    assert_non_null(strstr(text, "makespan measured (95% CI)"));
    /* and where the errors come from: both points simulated again */
    assert_non_null(strstr(text, "re-predicted"));
    assert_true(isfinite(t.worst_rescaled) && t.worst_rescaled >= 0);
    free(text);

    /* Merged into another database, the measured points come along, linked
    ** to their twins there, and so does the profile's calibration; the
    ** comparison reads the same from the merged file. Merging twice adds
    ** nothing. */
    char tiny[600], merged[600];
    snprintf(tiny, sizeof tiny, "%s/tiny.ini", temp_dir());
    adi_profile *pf;
    assert_int_equal(adi_profile_load(tiny, &pf), ADI_OK);
    assert_int_equal(adi_store_calibration(st, pf), ADI_OK);
    adi_profile_free(pf);
    adi_store_close(st);
    snprintf(merged, sizeof merged, "%s/merged.db", temp_dir());
    adi_store *mg;
    assert_int_equal(adi_store_open(merged, 1, &mg), ADI_OK);
    const char *const from[] = {path};
    adi_merge_stats ms;
    for (int round = 0; round < 2; round++) {
        assert_int_equal(adi_store_merge_files(mg, from, 1, &ms), ADI_OK);
        assert_int_equal(ms.points_added, round == 0 ? 4 : 0);
        adi_merge_stats_free(&ms);
    }
    static const char *const same[] = {
        "SELECT m.key, s.key, m.host FROM point m JOIN point s ON s.id = m.twin ORDER BY m.key",
        "SELECT source, replication, completed, quote(makespan) FROM run ORDER BY source, point_id,"
        " replication",
        "SELECT device, kernel, profile_sha256, (SELECT count(*) FROM calibration_sample"
        " WHERE calibration_id = c.id) FROM calibration c",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        char *a = query_text(path, same[i]), *b = query_text(merged, same[i]);
        assert_true(strlen(a) > 10);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    text = fidelity_text(mg, sc, &t);
    assert_int_equal(t.points, 2);
    free(text);
    adi_store_close(mg);
    adi_scenario_free(sc);
}

/* The new policies are stored and compared as the others: one measured
** point per policy and estimates, each row of the comparison named with the
** key the sweep varies, and re-predicted with the times the devices ran at. */
static void new_policies_report_their_prediction_error(void **state)
{
    (void)state;
    adi_scenario *sc = scenario("profiles = tiny.ini x1", "[sweep]\npolicy = weighted, eft, steal\n"
                                                          "estimates = exact, online\n");
    assert_int_equal(adi_scenario_npoints(sc), 6);
    char path[600];
    adi_sweep_stats ss;
    adi_store *st = simulated_store(sc, "new.db", path, sizeof path, &ss);
    adi_execute_stats es;
    assert_int_equal(adi_execute_into_store(st, sc, ss.scenario_id, "testhost", 2, NULL, NULL,
                                            NULL, &es), ADI_OK);
    assert_int_equal(es.executed, 6);
    assert_int_equal(es.unsupported, 0);
    adi_fidelity_totals t;
    char *text = fidelity_text(st, sc, &t);
    assert_int_equal(t.points, 6);
    static const char *const rows[] = {"\nweighted exact ", "\nweighted online ", "\neft exact ",
                                       "\neft online ", "\nsteal exact ", "\nsteal online "};
    for (size_t i = 0; i < 6; i++) { /* in both tables */
        const char *at = strstr(text, rows[i]);
        if (!at || !strstr(at + 1, rows[i]))
            fail_msg("'%s' not twice in:\n%s", rows[i] + 1, text);
    }
    free(text);
    adi_store_close(st);
    adi_scenario_free(sc);
}

/* One machine, two speeds: a profile measured by the probe build (the plain
** C GEMM) makes its device run that GEMM, so a pool of it and a BLAS
** profile of the same task is heterogeneous (scenarios/execute_mixed.ini). */
static void a_probe_profile_runs_the_plain_gemm(void **state)
{
    (void)state;
    adi_calibrate_options o = {.device = "conv", .kernels = 1u << ADI_KERNEL_CONV,
                               .shape = "4:8:8", .batch = 2, .quick = 1};
    adi_record *rec;
    adi_profile *pf;
    assert_int_equal(adi_calibrate_run(&o, &rec), ADI_OK);
    assert_int_equal(adi_profile_from_record(rec, NULL, &pf), ADI_OK);
    adi_record_free(rec);
    assert_true(adi_execute_gemm(pf) == adi_gemm_blas);
    char path[600];
    snprintf(path, sizeof path, "%s/fast.ini", temp_dir());
    assert_int_equal(adi_profile_save(pf, path), ADI_OK);
    snprintf(pf->device, sizeof pf->device, "slow");
    snprintf(pf->blas, sizeof pf->blas, "adi_gemm_plain (plain C, no BLAS)");
    assert_true(adi_execute_gemm(pf) == adi_gemm_plain);
    snprintf(path, sizeof path, "%s/slow.ini", temp_dir());
    assert_int_equal(adi_profile_save(pf, path), ADI_OK);
    adi_profile_free(pf);

    unsigned cores = adi_execute_cores();
    adi_scenario *sc = scenario_of(cores < 2 ? "profiles = slow.ini x1"
                                             : "profiles = fast.ini x1, slow.ini x1",
                                   "conv", "[sweep]\npolicy = pull\n");
    const adi_profile *slow = adi_scenario_device_profile(sc, cores < 2 ? 0 : 1);
    assert_non_null(slow);
    assert_true(adi_execute_gemm(slow) == adi_gemm_plain);
    adi_run_result r;
    if (adi_execute_run(sc, adi_scenario_point(sc, 0), 0, &r) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    assert_int_equal(r.completed, 50);
    adi_run_result_free(&r);
    adi_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_policy_runs_every_task_once),
        cmocka_unit_test(eft_plans_with_its_estimates),
        cmocka_unit_test(eft_with_a_bounded_queue),
        cmocka_unit_test(weighted_with_a_bounded_queue),
        cmocka_unit_test(steal_starts_from_its_split),
        cmocka_unit_test(sync_with_a_bounded_queue),
        cmocka_unit_test(steal_with_a_bounded_queue),
        cmocka_unit_test(pull_batches_and_idle_choice),
        cmocka_unit_test(what_cannot_be_executed),
        cmocka_unit_test(only_profiles_of_this_machine_are_executed),
        cmocka_unit_test(measured_runs_are_stored_beside_their_twin),
        cmocka_unit_test(new_policies_report_their_prediction_error),
        cmocka_unit_test(a_probe_profile_runs_the_plain_gemm),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
