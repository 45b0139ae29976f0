/*
** tests/test_policy.c — the policy and workload tables: every entry
** complete, an incomplete one an internal error naming what it lacks,
** names and parsing from the table, the stored bound names, and the
** formulas a descriptor carries on pools computed by hand.
*/
#include "helpers.h"

#include "core/units.h"
#include "policy/policy.h"
#include "sim/sim_int.h"
#include "sim/workload.h"

static void tables_are_complete(void **state)
{
    (void)state;
    assert_int_equal(adi_policy_table_check(), ADI_OK);
    assert_int_equal(adi_workload_table_check(), ADI_OK);
    assert_true(adi_policy_count() >= 4 && adi_policy_count() <= ADI_POLICY_MAX);
    assert_null(adi_policy_at(adi_policy_count()));
    for (size_t i = 0; i < adi_policy_count(); i++) {
        const adi_policy_desc *p = adi_policy_at(i), *q = NULL;
        assert_int_equal(adi_policy_desc_check(p), ADI_OK);
        assert_int_equal(adi_policy_index(p), i);
        assert_int_equal(adi_policy_parse(p->name, &q), ADI_OK);
        assert_ptr_equal(q, p);
        /* the `policy` key's help names every entry with its help */
        char entry[256];
        snprintf(entry, sizeof entry, "%s (%s)", p->name, p->help);
        assert_non_null(strstr(adi_policy_key_help(), entry));
    }
    assert_ptr_equal(adi_policy_default(), &adi_policy_pull);
    for (size_t i = 0; i < adi_workload_count(); i++) {
        const adi_workload_desc *w = adi_workload_at(i), *v = NULL;
        assert_int_equal(adi_workload_index(w), i);
        assert_int_equal(adi_workload_parse(w->name, &v), ADI_OK);
        assert_ptr_equal(v, w);
        char entry[256];
        snprintf(entry, sizeof entry, "%s (%s)", w->name, w->help);
        assert_non_null(strstr(adi_workload_key_help(), entry));
    }
    assert_null(adi_workload_at(adi_workload_count()));
}

/* Descriptor d fails the check, naming `field`. */
static void lacks(const adi_policy_desc *d, const char *field)
{
    assert_int_equal(adi_policy_desc_check(d), ADI_EINTERNAL);
    if (!strstr(adi_errmsg(), field))
        fail_msg("expected '%s' in: %s", field, adi_errmsg());
}

static int no_value(const adi_policy_pool *pool, double *v)
{
    (void)pool;
    *v = 0;
    return ADI_OK;
}

static void incomplete_entries_are_internal_errors(void **state)
{
    (void)state;
    adi_policy_desc d = adi_policy_static; /* lists mode: has a split and a limit */
    assert_int_equal(adi_policy_desc_check(&d), ADI_OK);
    d.name = NULL;
    lacks(&d, "a name");
    d = adi_policy_static, d.help = "";
    lacks(&d, "a help line");
    d = adi_policy_static, d.ops = NULL;
    lacks(&d, "ops with init, free, arrive and request");
    adi_policy_ops ops = *adi_policy_static.ops;
    ops.request = NULL;
    d = adi_policy_static, d.ops = &ops;
    lacks(&d, "ops with init, free, arrive and request");
    d = adi_policy_static, d.workloads = 0;
    lacks(&d, "a workload it runs");
    d = adi_policy_static, d.room = NULL;
    lacks(&d, "room");
    d = adi_policy_static, d.claims = NULL;
    lacks(&d, "a claims list");
    d = adi_policy_static, d.predict = NULL;
    lacks(&d, "predict");
    /* the figures' old failure: a policy without a style reached %s with NULL */
    d = adi_policy_static, d.style.color = NULL;
    lacks(&d, "a figure colour");
    d = adi_policy_static, d.style.color = "blue";
    lacks(&d, "a figure colour");
    d = adi_policy_static, d.style.point_type = 0;
    lacks(&d, "a figure point type");
    /* the executor's old failure: an unknown policy ran as pull */
    d = adi_policy_static, d.exec.mode = ADI_EXEC_MODE_COUNT;
    lacks(&d, "a known executor mode");
    d = adi_policy_static, d.exec.split = NULL;
    lacks(&d, "split");
    d = adi_policy_static, d.exec.finite_queue = 0; /* Q = inf only, and no reason why */
    lacks(&d, "Q = inf only");
    d = adi_policy_steal, d.exec.split = NULL; /* its queues start from a split */
    lacks(&d, "split");
    d = adi_policy_static, d.exec = (adi_policy_exec){.mode = ADI_EXEC_NONE};
    lacks(&d, "the reason the executor cannot run it");
    /* claims: complete, and a sum only where one device runs everything */
    adi_policy_claim unnamed[] = {{"", ADI_CLAIM_EXACT, 0, NULL, no_value}, {NULL}};
    d = adi_policy_static, d.claims = unnamed;
    lacks(&d, "a complete claim");
    adi_policy_claim bad_op[] = {{"x", ADI_CLAIM_EXACT, 2, NULL, no_value}, {NULL}};
    d = adi_policy_static, d.claims = bad_op;
    lacks(&d, "a complete claim");
    adi_policy_claim sum[] = {{"x", ADI_CLAIM_SUM, 0, NULL, no_value}, {NULL}};
    d = adi_policy_static, d.claims = sum;
    lacks(&d, "one device for its sum claim");
    d.devices = ADI_DEVICES_ONE;
    assert_int_equal(adi_policy_desc_check(&d), ADI_OK);

    adi_workload_desc w = adi_workload_poisson;
    assert_int_equal(adi_workload_desc_check(&w), ADI_OK);
    w.open = 0; /* it has a gap: it is open */
    assert_int_equal(adi_workload_desc_check(&w), ADI_EINTERNAL);
    assert_non_null(strstr(adi_errmsg(), "workload poisson has no open set as its ops say"));
    w = adi_workload_batch, w.poisson = 1;
    assert_int_equal(adi_workload_desc_check(&w), ADI_EINTERNAL);
    assert_non_null(strstr(adi_errmsg(), "workload batch has no open (Poisson"));
    adi_workload_ops wops = *adi_workload_batch.ops;
    wops.next = NULL; /* no next and no gap: no task would ever exist */
    w = adi_workload_batch, w.ops = &wops;
    assert_int_equal(adi_workload_desc_check(&w), ADI_EINTERNAL);
    assert_non_null(strstr(adi_errmsg(), "one way to make tasks"));
    wops.gap = adi_workload_poisson.ops->gap; /* both: which one? */
    wops.next = adi_workload_batch.ops->next;
    assert_int_equal(adi_workload_desc_check(&w), ADI_EINTERNAL);
    assert_non_null(strstr(adi_errmsg(), "one way to make tasks"));
    wops = *adi_workload_batch.ops, wops.check = NULL;
    assert_int_equal(adi_workload_desc_check(&w), ADI_EINTERNAL);
    assert_non_null(strstr(adi_errmsg(), "workload batch has no check"));
}

static const char *policy_name_at(size_t i) { return adi_policy_at(i)->name; }

static void unknown_names_list_the_valid_ones(void **state)
{
    (void)state;
    const adi_policy_desc *p = &adi_policy_sync;
    assert_int_equal(adi_policy_parse("random", &p), ADI_EINPUT);
    assert_ptr_equal(p, &adi_policy_sync); /* untouched */
    char names[256], expected[300];
    snprintf(expected, sizeof expected, "expected %s, got 'random'",
             adi_format_choices(policy_name_at, NULL, adi_policy_count(), names, sizeof names));
    assert_string_equal(adi_errmsg(), expected);
    assert_string_equal(adi_errmsg(),
                        "expected pull, static, sync, serial, weighted, eft, steal, jsq or pod, got "
                        "'random'");
    const adi_workload_desc *w = NULL;
    assert_int_equal(adi_workload_parse("closed", &w), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "expected batch or poisson, got 'closed'");
    assert_int_equal(adi_policy_parse("Pull", &p), ADI_EINPUT); /* names are exact */
}

/* The bound names are stored in bound_check: a renamed claim would split a
** scenario's stored checks from its new ones. */
static void claims_keep_their_stored_names(void **state)
{
    (void)state;
    static const char *const stored[] = {"makespan_le_greedy", "makespan_ge_optimal",
                                         "makespan_le_sync_rounds", "makespan_eq_sync",
                                         "makespan_eq_serial", "makespan_eq_static",
                                         "makespan_eq_weighted", "makespan_eq_optimal",
                                         "makespan_le_steal"};
    enum { NSTORED = sizeof stored / sizeof stored[0] };
    size_t seen[NSTORED] = {0};
    for (size_t i = 0; i < adi_policy_count(); i++)
        for (const adi_policy_claim *c = adi_policy_at(i)->claims; c->bound; c++) {
            size_t k = 0;
            while (k < NSTORED && strcmp(c->bound, stored[k]) != 0)
                k++;
            if (k == NSTORED)
                fail_msg("policy %s: claim %s is not a stored bound name", adi_policy_at(i)->name,
                         c->bound);
            seen[k]++;
        }
    for (size_t k = 0; k < NSTORED; k++)
        assert_true(seen[k] > 0);
}

/* T = (1, 2, 4) s, m = 10, deterministic. */
static adi_policy_pool pool_124(adi_sampler *dev, adi_bounds *b, uint64_t q)
{
    static const double t[] = {1, 2, 4};
    for (int i = 0; i < 3; i++)
        assert_int_equal(adi_sampler_init(&dev[i], ADI_DIST_DETERMINISTIC, t[i], 0), ADI_OK);
    assert_int_equal(adi_model_bounds(t, 3, 10, b), ADI_OK);
    return (adi_policy_pool){.n = 3, .times = t, .dev = dev, .m = 10, .capacity = q,
                             .overflow = ADI_OVERFLOW_BLOCK, .deterministic = 1, .b = b};
}

/* The value of policy p's claim called bound, of the given kind. */
static double claim(const adi_policy_desc *p, const char *bound, adi_claim_kind kind,
                    const adi_policy_pool *pool)
{
    for (const adi_policy_claim *c = p->claims; c->bound; c++)
        if (c->kind == kind && strcmp(c->bound, bound) == 0) {
            double v = NAN;
            assert_int_equal(c->value(pool, &v), ADI_OK);
            return v;
        }
    fail_msg("policy %s has no claim %s", p->name, bound);
    return NAN;
}

static int applies(const adi_policy_desc *p, const char *bound, const adi_policy_pool *pool)
{
    for (const adi_policy_claim *c = p->claims; c->bound; c++)
        if (strcmp(c->bound, bound) == 0)
            return !c->applies || c->applies(pool);
    return 0;
}

static void formulas_of_a_pool_by_hand(void **state)
{
    (void)state;
    adi_sampler dev[3];
    adi_bounds b;
    adi_policy_pool pool = pool_124(dev, &b, ADI_CAPACITY_INF);
    /* static deals 4, 3, 3 tasks: max(4*1, 3*2, 3*4) = 12 s */
    assert_true(claim(&adi_policy_static, "makespan_eq_static", ADI_CLAIM_EXACT, &pool) == 12);
    /* sync: 3 rounds of max T = 4, then task 9 on device 0 (1 s): 13 s */
    assert_true(claim(&adi_policy_sync, "makespan_eq_sync", ADI_CLAIM_EXACT, &pool) == 13);
    /* pull: C* = 6 (6 + 3 + 1 = 10 tasks by 6 s), greedy m/R + max T = 10/1.75 + 4 */
    assert_true(claim(&adi_policy_pull, "makespan_ge_optimal", ADI_CLAIM_EXACT, &pool) == 6);
    assert_close(claim(&adi_policy_pull, "makespan_le_greedy", ADI_CLAIM_EXACT, &pool),
                 10 / 1.75 + 4, 1e-15);
    assert_true(claim(&adi_policy_pull, "makespan_le_sync_rounds", ADI_CLAIM_EXACT, &pool) == 16);
    char text[64];
    assert_int_equal(adi_policy_static.predict(&pool, text, sizeof text), ADI_OK);
    assert_string_equal(text, "12 s");
    assert_int_equal(adi_policy_pull.predict(&pool, text, sizeof text), ADI_OK);
    assert_string_equal(text, "6 s .. 9.714 s");
    /* with Q = 2 < n: static blocks (no exact claim), sync has no full rounds */
    pool.capacity = 2;
    assert_false(applies(&adi_policy_static, "makespan_eq_static", &pool));
    assert_false(applies(&adi_policy_sync, "makespan_eq_sync", &pool));
    assert_int_equal(adi_policy_sync.predict(&pool, text, sizeof text), ADI_OK);
    assert_string_equal(text, ">= 13 s (Q < n)");
    pool.overflow = ADI_OVERFLOW_DROP; /* drop deals what fits at t = 0 */
    assert_true(applies(&adi_policy_static, "makespan_eq_static", &pool));
    /* room of a batch at t = 0: n + Q, sync min(n, Q) + Q; saturating */
    assert_int_equal(adi_policy_pull.room(3, 2), 5);
    assert_int_equal(adi_policy_sync.room(3, 2), 4);
    assert_int_equal(adi_policy_sync.room(3, 5), 8);
    assert_int_equal(adi_policy_serial.room(1, 7), 8);
    assert_true(adi_policy_pull.room(3, UINT64_MAX - 1) == UINT64_MAX);
    assert_true(adi_policy_sync.room(3, UINT64_MAX - 1) == UINT64_MAX);
    /* serial on its one device (T = 2 s): m T, exactly or as a sum */
    adi_bounds b1;
    assert_int_equal(adi_model_bounds(&pool.times[1], 1, 10, &b1), ADI_OK);
    adi_policy_pool one = {.n = 1, .times = &pool.times[1], .dev = &dev[1], .m = 10,
                           .capacity = ADI_CAPACITY_INF, .deterministic = 1, .b = &b1};
    assert_true(claim(&adi_policy_serial, "makespan_eq_serial", ADI_CLAIM_EXACT, &one) == 20);
    assert_true(claim(&adi_policy_serial, "makespan_eq_serial", ADI_CLAIM_SUM, &one) == 20);
    /* weighted: the counts behind C* = 6 are 6, 3, 1 (multiples of 1, 2, 4 up
    ** to 6), makespan 6; with online estimates every device plans with the
    ** pool's mean, so the split is static's 4, 3, 3: 12 s */
    pool.capacity = ADI_CAPACITY_INF;
    pool.overflow = ADI_OVERFLOW_BLOCK;
    assert_true(claim(&adi_policy_weighted, "makespan_eq_weighted", ADI_CLAIM_EXACT, &pool) == 6);
    assert_true(claim(&adi_policy_weighted, "makespan_ge_optimal", ADI_CLAIM_EXACT, &pool) == 6);
    assert_int_equal(adi_policy_weighted.predict(&pool, text, sizeof text), ADI_OK);
    assert_string_equal(text, "6 s");
    adi_sim_policy_params online = adi_sim_default_params;
    online.estimates = ADI_ESTIMATES_ONLINE;
    pool.params = &online;
    assert_true(claim(&adi_policy_weighted, "makespan_eq_weighted", ADI_CLAIM_EXACT, &pool) == 12);
    /* eft reaches C* = 6 with the exact T_i only */
    assert_false(applies(&adi_policy_eft, "makespan_eq_optimal", &pool));
    pool.params = NULL;
    assert_true(applies(&adi_policy_eft, "makespan_eq_optimal", &pool));
    assert_true(claim(&adi_policy_eft, "makespan_eq_optimal", ADI_CLAIM_EXACT, &pool) == 6);
    /* steal: X = the 10th smallest of {k, 2k, 4k : k >= 0} = 4 (0, 0, 0, 1, 2, 2,
    ** 3, 4, 4, 4), upper = max(5 x 1, 3 x 2, 2 x 4) = 8 */
    assert_true(claim(&adi_policy_steal, "makespan_le_steal", ADI_CLAIM_EXACT, &pool) == 8);
    assert_int_equal(adi_policy_steal.predict(&pool, text, sizeof text), ADI_OK);
    assert_string_equal(text, "6 s .. 8 s");
    pool.capacity = 2; /* a finite queue blocks: no exact claim */
    assert_false(applies(&adi_policy_steal, "makespan_le_steal", &pool));
    assert_false(applies(&adi_policy_weighted, "makespan_eq_weighted", &pool));
    assert_false(applies(&adi_policy_eft, "makespan_eq_optimal", &pool));
}

/* weighted deals in the order of its list schedule: slots 1, 2 (device 0),
** 2 (device 1, the tie to the lower index first), 3, 4 (0), 4 (1), 4 (2),
** ... for T = (1, 2, 4). */
static void weighted_split_is_the_list_schedule(void **state)
{
    (void)state;
    adi_sampler dev[3];
    adi_bounds b;
    adi_policy_pool pool = pool_124(dev, &b, ADI_CAPACITY_INF);
    uint32_t device[10];
    adi_policy_weighted.exec.split(&pool, device);
    static const uint32_t expected[10] = {0, 0, 1, 0, 0, 1, 2, 0, 0, 1};
    for (int k = 0; k < 10; k++)
        assert_int_equal(device[k], expected[k]);
}

static void static_split_is_round_robin(void **state)
{
    (void)state;
    adi_sampler dev[3];
    adi_bounds b;
    adi_policy_pool pool = pool_124(dev, &b, ADI_CAPACITY_INF);
    uint32_t device[10];
    adi_policy_static.exec.split(&pool, device);
    for (uint32_t k = 0; k < 10; k++)
        assert_int_equal(device[k], k % 3);
}

static void workloads_a_policy_runs(void **state)
{
    (void)state;
    for (size_t i = 0; i < adi_policy_count(); i++) { /* all but jsq and pod run both */
        const adi_policy_desc *p = adi_policy_at(i);
        int open_only = p == &adi_policy_jsq || p == &adi_policy_pod;
        assert_true(adi_policy_runs(p, &adi_workload_poisson));
        assert_int_equal(adi_policy_runs(p, &adi_workload_batch), !open_only);
    }
    adi_policy_desc open_only = adi_policy_pull; /* as jsq is */
    open_only.workloads = ADI_WORKLOADS_OPEN;
    assert_int_equal(adi_policy_desc_check(&open_only), ADI_OK);
    assert_false(adi_policy_runs(&open_only, &adi_workload_batch));
    assert_true(adi_policy_runs(&open_only, &adi_workload_poisson));
}

/* The engine refuses operations it cannot call, instead of crashing. */
static void engine_refuses_incomplete_ops(void **state)
{
    (void)state;
    adi_sampler dev[1];
    assert_int_equal(adi_sampler_init(&dev[0], ADI_DIST_DETERMINISTIC, 1, 0), ADI_OK);
    adi_policy_ops ops = *adi_policy_pull.ops;
    ops.arrive = NULL;
    adi_sim_config c = {.policy = &ops, .workload = adi_workload_batch.ops, .n_devices = 1,
                        .device = dev, .tasks = 3, .capacity = ADI_CAPACITY_INF, .seed = 1};
    adi_run_result r;
    assert_int_equal(adi_sim_run(&c, &r), ADI_EINTERNAL);
    c.policy = NULL;
    assert_int_equal(adi_sim_run(&c, &r), ADI_EINTERNAL);
    c.policy = adi_policy_pull.ops;
    c.workload = NULL;
    assert_int_equal(adi_sim_run(&c, &r), ADI_EINTERNAL);
    c.workload = adi_workload_batch.ops;
    assert_int_equal(adi_sim_run(&c, &r), ADI_OK);
    assert_true(r.makespan == 3);
    adi_run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_are_complete),
        cmocka_unit_test(incomplete_entries_are_internal_errors),
        cmocka_unit_test(unknown_names_list_the_valid_ones),
        cmocka_unit_test(claims_keep_their_stored_names),
        cmocka_unit_test(formulas_of_a_pool_by_hand),
        cmocka_unit_test(static_split_is_round_robin),
        cmocka_unit_test(weighted_split_is_the_list_schedule),
        cmocka_unit_test(workloads_a_policy_runs),
        cmocka_unit_test(engine_refuses_incomplete_ops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
