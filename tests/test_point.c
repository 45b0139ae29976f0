/*
** tests/test_point.c — scenario/point.h: every key of the table says how it
** enters the point key or why it cannot change results; the keys of the
** shipped scenarios are byte for byte the ones adisim wrote before the key
** was derived from the table (they seed every run: a changed byte is a
** changed result); keys at their default are left out; the serial policy's
** devices.
*/
#include "helpers.h"

#include "core/hash.h"
#include "scenario/point.h"
#include "scenario/scenario.h"

#include <glob.h>
#include <sys/stat.h>

/* A key that can change results and is in neither part would let a stored
** run of other values be reused; a position used twice would make the text
** depend on the table's order. */
static void every_key_is_in_the_key_or_says_why_not(void **state)
{
    (void)state;
    size_t n = adi_scenario_key_count(), in_key = 0;
    int seen[64] = {0};
    assert_true(n < 64);
    for (size_t k = 0; k < n; k++) {
        adi_point_key_rule r = adi_point_key_rule_of((int)k);
        adi_key_doc d = adi_scenario_key_doc(k);
        if (r.position == 0) {
            if (!r.why_not || strlen(r.why_not) < 10)
                fail_msg("key %s is not in the point key and does not say why", d.key);
            assert_null(r.label);
            continue;
        }
        in_key++;
        assert_null(r.why_not);
        assert_non_null(r.label);
        assert_true(r.position < 64);
        if (seen[r.position])
            fail_msg("keys %s and %s both take position %u of the point key",
                     adi_scenario_key_doc((size_t)seen[r.position] - 1).key, d.key, r.position);
        seen[r.position] = (int)k + 1;
        for (size_t j = 0; j < k; j++) {
            adi_point_key_rule o = adi_point_key_rule_of((int)j);
            if (o.label && strcmp(o.label, r.label) == 0)
                fail_msg("keys %s and %s share the label %s", adi_scenario_key_doc(j).key,
                         d.key, r.label);
        }
        if (r.when == ADI_WHEN_NOT_DEFAULT && !d.default_value)
            fail_msg("key %s is left out at its default but has none", d.key);
    }
    for (size_t pos = 1; pos <= in_key; pos++) /* 1 .. N, no gap */
        if (!seen[pos])
            fail_msg("no key takes position %zu of the point key", pos);
    /* Left out: `name`, and link_scale and link_scale_devices, whose effect
    ** is the links= they make (link_scale_is_its_links below). */
    assert_int_equal(in_key, n - 3);
    adi_point_key_rule none = adi_point_key_rule_of((int)n);
    assert_true(none.position == 0 && !none.label && !none.why_not);
}

/* The count and SHA-256 of the keys (each followed by '\n') of every shipped
** scenario, as the hand-written key of commit 27184c8 made them; the
** calibrated ones read the committed profiles and stand-ins for the local
** ones (mac_studio.ini, cortex_m4.ini for local-plain), so a changed
** committed profile changes their lines too. A scenario whose points are
** meant to change (a bug fixed in it, a new key version) updates its line
** and says so. */
static const struct {
    const char *name;
    size_t points;
    const char *sha256;
} shipped[] = {
    {"ablation.ini", 144, "e7b48eba777bc1c1c3ee2a022b3dcab9e502da34b258f85306cffbb1dc5da929"},
    {"calibrated.ini", 8, "d9712fb160284c2a1d46880e4655bcffb4f01f555b48bb12ee27700139df80ec"},
    {"ctmc_pool.ini", 3, "53ab13b618cdbe52ecee4c4ea55ff7a03eb7466669a629105326d38f695332ad"},
    {"execute_mixed.ini", 8, "5012151543a8dcbfb9096710ee8f23ba3f92c5ba8645746bf73ded67e3c30212"},
    {"execute_one.ini", 2, "c4da59b9cf60645e8f95aeee22d5845b00e2b7c264857a1d6dada6d0be520a3a"},
    /* new: the policies beyond the paper executed (1 + 3 x 2 estimates) */
    {"execute_policies.ini", 7, "83455031292c260ae4f23fd0a1b810ef4ce56b61505ab2b9580b622cf9e2c08d"},
    {"execute_pool.ini", 6, "a1735d8ce1c406bdf37e7e85f8c08348f42f27e9d9490363b418a3e28ff29ca2"},
    {"explicit_times.ini", 8, "b102c774929b8ebb7a72e53cccd6a27439f6dc034d6d3689f53b478778b381a8"},
    {"heterogeneous.ini", 20, "2b4fddae3ea75e5228979fea2b4b6c2fc557ffc545fe3dee3fcfaba5056a943f"},
    /* link_scale swept and prefetch 0..4: 100 points, the 12 before among them
    ** with their keys and results */
    {"heterogeneous_network.ini", 100, "705c874c50dd678afa80cc473d073a0d88a94e285e5bdb4391757000714854f9"},
    {"heterogeneous_network_batch.ini", 12, "60dc46d7a7e4e95660917665a9ec199a9f3be910cd1bc4b77ac278102f4ecf7b"},
    {"heterogeneous_network_batch_pair.ini", 12, "62b4029065eeabceeab0c8f4d11442c361b17e12c443f8e16c24f4200dc1e946"},
    {"heterogeneous_network_conv.ini", 100, "16955ba4bb7d134b2da436cdf962e543170e5924cc7667c2d6b08aa923fca00b"},
    {"heterogeneous_network_uart.ini", 24, "3f80d5108b2f58850d1e56911ed50813e15c94faac2c114a4bf87be0e1abd525"},
    {"heterogeneous_network_wifi.ini", 36, "c1000880df826c516049c1ac885b6261fc10722bd55f90d0705e698de9865f2e"},
    {"policies_ablation.ini", 640, "0c6d95601b98a50bc843fe1b1f2f984109c45cdf071bf598112e71a10e5f9078"},
    {"policies_ablation_open.ini", 126, "7e93debfeb1c1611603b406cfa65f4f06d917dc18da888a0284d9efa28e77c9b"},
    {"policies_batching.ini", 39, "1a8f4fc0dd4ce4cb0449e39dafb401910d4fd2b29432b2b2bfddeed8341bca6a"},
    {"policies_network.ini", 40, "e390d099f93154c571d4d9ee332d724de7438b07c60d53183169ef63e6aa14d0"},
    {"policies_paper.ini", 50, "28782f7812bc3f0c9c2b1f89db3dd735794ce6e3f830294fdffe9adfaa9a725d"},
    {"policies_paper_open.ini", 42, "983fb96a3c7b8ca9c81c5f17b83ad15c647ae5ec56c3496483a5b82abacd1a0c"},
    {"mg1.ini", 3, "2460f3f0f3cdf0e33c340a08b86bc551c780c8fd98d6f7116080fd67524d6746"},
    {"mmc.ini", 3, "247fd3be7eea0cfb045900aafb62f302b380c15f7c46c30cfe494ee6dcd5553d"},
    {"mmck.ini", 6, "b713d4d61bbe704436562f97d7c85a560d57b49ad8ee684679894d75a0bc3780"},
    {"open_pool.ini", 4, "311ca97172b0223b8b2fb0557ed5091fdab2284ceb9c7e3e6333677a1176efa9"},
    {"paper_synthetic.ini", 12, "5e50805dfdd2b2632e92304638c1b644bd8444326c4b642dda78b091245b3b97"},
    {"server_capacity.ini", 2, "78e31d04b158b1fd40aead9a0ec95b1ebdc606af717f79e3ec4432af52d43b89"},
    {"selfcheck/batch_block.ini", 24, "964d3658d2a7857b8224829f24f771b39eef84fa71c08d5a5388b4ea901f9409"},
    {"selfcheck/batch_cost_block.ini", 12, "1f310707f6e20d4075dae36e17ada97a08e101a090fb98f1abfcb532e0e24bfa"},
    {"selfcheck/batch_cost_drop.ini", 8, "f6687c9ec4173a26fe6bce85ee4067079c088958f76d140a7a77e0a157aea31f"},
    {"selfcheck/batch_drop.ini", 24, "4f1e654b5946698f558a5cbc4b3cc3dc3b04422df2e0d38ac6fd95b0b18c859b"},
    {"selfcheck/batch_random_block.ini", 8, "7401057d3fa78a5d47ce7e983c6c925b1f0c76dfc90f5a4d1580803f0da20605"},
    {"selfcheck/batch_random_drop.ini", 8, "20b185cb9ac8c18d591a1d3fad715cf345c67110b3555213dbdb0a9bd2596822"},
    {"selfcheck/poisson_block.ini", 16, "6d642912bbc43ef22ad0d303bf9e811e25eff8ae1d4b2ac7ad81f87ece7159b5"},
    {"selfcheck/poisson_cost_block.ini", 8, "329d4a702cd65cd3e76a83dac172c48dbb1508d0d5288e56f9ab0fcab8434415"},
    {"selfcheck/poisson_cost_drop.ini", 8, "19741a6a570f9e056b50235754bb8595573883dbb77a31a567cfc885b11a8ec4"},
    {"selfcheck/poisson_drop.ini", 16, "f190bd260f66e7016d2317e430a30e449d849ad7c435c32f9af2347b81f97736"},
    /* not shipped: the keys no shipped scenario has (written below) */
    {"exact.ini", 12, "49203696331b3f6992deecdf33e963adbc1efddad9c7e10301f0c4c8729c3af9"},
    {"poisson.ini", 12, "2638b58d112b09e1453e3499c583d58333b19d8d41dc2ef428be0bc604925743"},
    {"static_block.ini", 4, "32a8f5257f1cda36fc997f92dbc7b8edcc3b4b7ae4f59b72c312d46a94c39aa1"},
    {"x2.ini", 1, "999dc7b826cc0003da142f3f5fea0e7036e8fd4cc3e9e2e1e612c414c9312b46"},
};

/* Exact percentiles, a serial device by index, a submit cost, drops. */
static const char exact_ini[] =
    "[scenario]\nname = exact\npercentiles = exact\nseed = 123456789012\nreplications = 2\n"
    "serial_device = 1\n[devices]\ncount = 3\nmean_time = 1.5ms\ndistribution = gamma\n"
    "cv = 0.3\n[workload]\ntasks = 500\nsubmit_cost = 10us\n[queue]\noverflow = drop\n"
    "[sweep]\npolicy = pull, serial, static\nqueue_capacity = 5, inf\nheterogeneity = 0, 0.33\n";
/* Explicit times, Poisson arrivals, the slowest device, streaming said aloud. */
static const char poisson_ini[] =
    "[scenario]\nname = poisson\npercentiles = streaming\nserial_device = slowest\n"
    "[devices]\ntimes = 1ms, 2.5ms, 0.7ms\ndistribution = exponential\n"
    "[workload]\nkind = poisson\n[sweep]\nrate = 100, 0.2/ms, 1e3\npolicy = serial, pull\n"
    "tasks = 1000, 2e3\n";
/* Static with a finite queue and a blocking producer: version 2 (point.h). */
static const char static_block_ini[] =
    "[scenario]\nname = sb\nreplications = 2\n[devices]\ncount = 3\nmean_time = 2ms\n"
    "heterogeneity = 0.4\ndistribution = lognormal\ncv = 0.5\n[workload]\ntasks = 300\n"
    "[sweep]\npolicy = static, pull\nqueue_capacity = 4, inf\n";
/* A calibrated pool of x2 tasks over two profiles. */
static const char x2_ini[] =
    "[scenario]\nname = x2cal\n[devices]\nprofiles = ../profiles/mac_studio.ini x2, "
    "../profiles/cortex_m4.ini\nkernel = x2\ndistribution = lognormal\n"
    "[workload]\nkind = poisson\nrate = 3/s\ntasks = 100\n";

static void copy_file(const char *from, const char *to)
{
    char *text = read_file(from);
    assert_non_null(text);
    write_file(to, text);
    free(text);
}

static void shipped_keys_are_unchanged(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[1024];
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/scenarios", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/scenarios/selfcheck", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/profiles", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    static const char *const committed[] = {"mac_studio", "raspberry_pi", "cortex_m4"};
    for (size_t i = 0; i < 3; i++) {
        char from[256];
        snprintf(from, sizeof from, "profiles/%s.ini", committed[i]);
        snprintf(path, sizeof path, "%s/profiles/%s.ini", dir, committed[i]);
        copy_file(from, path);
    }
    static const char *const standins[][2] = {{"local", "mac_studio"}, {"local-t2", "mac_studio"},
                                              {"local-stem", "mac_studio"},
                                              {"local-plain", "cortex_m4"}};
    for (size_t i = 0; i < 4; i++) {
        char from[256];
        snprintf(from, sizeof from, "profiles/%s.ini", standins[i][1]);
        snprintf(path, sizeof path, "%s/profiles/%s.ini", dir, standins[i][0]);
        copy_file(from, path);
    }
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        char from[256];
        snprintf(from, sizeof from, "scenarios/%s", shipped[i].name);
        const char *n = shipped[i].name;
        char *text = strcmp(n, "exact.ini") == 0          ? strdup(exact_ini)
                     : strcmp(n, "poisson.ini") == 0      ? strdup(poisson_ini)
                     : strcmp(n, "static_block.ini") == 0 ? strdup(static_block_ini)
                     : strcmp(n, "x2.ini") == 0           ? strdup(x2_ini)
                                                          : read_file(from);
        assert_non_null(text);
        snprintf(path, sizeof path, "%s/scenarios/%s", dir, shipped[i].name);
        adi_scenario *sc;
        if (adi_scenario_parse(path, text, &sc) != ADI_OK)
            fail_msg("%s: %s", shipped[i].name, adi_errmsg());
        free(text);
        char *all = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&all, &size);
        for (size_t j = 0; j < adi_scenario_npoints(sc); j++)
            fprintf(f, "%s\n", adi_scenario_point(sc, j)->key);
        fclose(f);
        char sha[65];
        adi_sha256_hex(all, size, sha);
        if (adi_scenario_npoints(sc) != shipped[i].points || strcmp(sha, shipped[i].sha256) != 0)
            fail_msg("%s: %zu points with keys of SHA-256 %s; expected %zu points and %s. The "
                     "first key is now\n%s", shipped[i].name, adi_scenario_npoints(sc), sha,
                     shipped[i].points, shipped[i].sha256, adi_scenario_point(sc, 0)->key);
        free(all);
        adi_scenario_free(sc);
    }
    remove_tree(dir);
    /* and none is missing from the table */
    glob_t g;
    assert_int_equal(glob("scenarios/*.ini", 0, NULL, &g), 0);
    assert_int_equal(glob("scenarios/selfcheck/*.ini", GLOB_APPEND, NULL, &g), 0);
    for (size_t j = 0; j < g.gl_pathc; j++) {
        size_t i;
        for (i = 0; i < sizeof shipped / sizeof shipped[0]; i++)
            if (strcmp(g.gl_pathv[j] + strlen("scenarios/"), shipped[i].name) == 0)
                break;
        if (i == sizeof shipped / sizeof shipped[0])
            fail_msg("%s is not in test_point.c's table of shipped keys: add its line",
                     g.gl_pathv[j]);
    }
    globfree(&g);
}

static adi_scenario *parse_ok(const char *text)
{
    adi_scenario *sc = NULL;
    if (adi_scenario_parse("t.ini", text, &sc) != ADI_OK)
        fail_msg("unexpected error: %s", adi_errmsg());
    return sc;
}

#define POOL "[devices]\ncount = 4\nmean_time = 50ms\n[workload]\ntasks = 100\n"
#define BASE "[scenario]\nname = t\n" POOL

/* Written as main wrote them before the table (known values). */
static void keys_by_rule(void **state)
{
    (void)state;
    adi_scenario *sc = parse_ok(BASE);
    assert_string_equal(adi_scenario_point(sc, 0)->key,
                        "v1 policy=pull workload=batch n=4 T=0.05 h=0 dist=deterministic cv=0 "
                        "m=100 submit=0 Q=inf overflow=block reps=1 seed=42");
    adi_scenario_free(sc);
    /* a NOT_DEFAULT key: absent at its default, given or not */
    sc = parse_ok("[scenario]\nname = t\npercentiles = streaming\n" POOL);
    assert_null(strstr(adi_scenario_point(sc, 0)->key, "percentiles"));
    adi_scenario_free(sc);
    sc = parse_ok("[scenario]\nname = t\npercentiles = exact\n" POOL);
    const char *key = adi_scenario_point(sc, 0)->key;
    assert_string_equal(key + strlen(key) - 18, " percentiles=exact");
    adi_scenario_free(sc);
    /* POISSON and SERIAL keys only where they apply */
    sc = parse_ok("[scenario]\nname = t\n[devices]\ncount = 2\nmean_time = 1ms\n"
                  "[workload]\nkind = poisson\nrate = 200\ntasks = 50\n[sweep]\n"
                  "policy = pull, serial\n");
    assert_string_equal(adi_scenario_point(sc, 0)->key,
                        "v1 policy=pull workload=poisson n=2 T=0.001 h=0 dist=deterministic cv=0 "
                        "m=50 submit=0 Q=inf overflow=block reps=1 seed=42 rate=2e+02 warmup=5");
    assert_string_equal(adi_scenario_point(sc, 1)->key,
                        "v1 policy=serial workload=poisson n=2 T=0.001 h=0 dist=deterministic "
                        "cv=0 m=50 submit=0 Q=inf overflow=block reps=1 seed=42 rate=2e+02 "
                        "warmup=5 serial=0");
    /* one key left out on request: the pool of capacity's search */
    char *pool;
    assert_int_equal(adi_point_key(adi_scenario_point(sc, 0), KEY_RATE, &pool), ADI_OK);
    assert_string_equal(pool, "v1 policy=pull workload=poisson n=2 T=0.001 h=0 dist=deterministic "
                              "cv=0 m=50 submit=0 Q=inf overflow=block reps=1 seed=42 warmup=5");
    free(pool);
    /* an except that is no key changes nothing */
    assert_int_equal(adi_point_key(adi_scenario_point(sc, 1), -1, &pool), ADI_OK);
    assert_string_equal(pool, adi_scenario_point(sc, 1)->key);
    free(pool);
    adi_scenario_free(sc);
}

/* A policy key enters the key only for the policies that take it and
** only off its default; a sweep of it repeats no point of a policy that
** does not take it. */
static void policy_keys_by_rule(void **state)
{
    (void)state;
    adi_scenario *sc = parse_ok("[scenario]\nname = t\n" POOL "[sweep]\npolicy = pull, weighted\n"
                                "estimates = exact, online\n");
    assert_int_equal(adi_scenario_npoints(sc), 3); /* pull once, weighted twice */
    const adi_point *pull = adi_scenario_point(sc, 0), *exact = adi_scenario_point(sc, 1),
                    *online = adi_scenario_point(sc, 2);
    assert_ptr_equal(pull->policy, &adi_policy_pull);
    assert_null(strstr(pull->key, "estimates"));
    assert_int_equal(pull->params.estimates, ADI_ESTIMATES_EXACT);
    assert_null(strstr(exact->key, "estimates"));
    assert_int_equal(online->params.estimates, ADI_ESTIMATES_ONLINE);
    const char *key = online->key;
    assert_string_equal(key + strlen(key) - 17, " estimates=online");
    char label[64];
    assert_string_equal(adi_scenario_policy_label(sc, online, label, sizeof label),
                        "weighted online");
    assert_string_equal(adi_scenario_policy_label(sc, pull, label, sizeof label), "pull");
    assert_int_equal(adi_scenario_policy_width(sc), 15);
    adi_scenario_free(sc);
}

/* link_scale is not in the key because the links it makes are: a point at
** x4 has the key (and so the results) of the links written four times as
** fast, the scale 1 keeps the key of a scenario without it, and
** link_scale_devices scales only the devices it names. */
static void link_scale_is_its_links(void **state)
{
    (void)state;
#define NET_POOL "[devices]\ntimes = 1ms, 2ms\n[workload]\ntasks = 10\n[network]\n" \
                 "input_size = 1KiB\noutput_size = 1KiB\n"
    adi_scenario *swept = parse_ok("[scenario]\nname = t\n" NET_POOL
                                   "links = 1Mbit/s 1ms, 2Mbit/s 1ms\n[sweep]\n"
                                   "link_scale = 1, 4\n");
    adi_scenario *plain = parse_ok("[scenario]\nname = t\n" NET_POOL
                                   "links = 1Mbit/s 1ms, 2Mbit/s 1ms\n");
    adi_scenario *fast = parse_ok("[scenario]\nname = t\n" NET_POOL
                                  "links = 4Mbit/s 1ms, 8Mbit/s 1ms\n");
    adi_scenario *one = parse_ok("[scenario]\nname = t\n" NET_POOL
                                 "links = 1Mbit/s 1ms, 2Mbit/s 1ms\nlink_scale = 4\n"
                                 "link_scale_devices = 1\n");
    adi_scenario *one_by_hand = parse_ok("[scenario]\nname = t\n" NET_POOL
                                         "links = 1Mbit/s 1ms, 8Mbit/s 1ms\n");
    assert_int_equal(adi_scenario_npoints(swept), 2);
    const adi_point *p1 = adi_scenario_point(swept, 0), *p4 = adi_scenario_point(swept, 1);
    assert_string_equal(p1->key, adi_scenario_point(plain, 0)->key);
    assert_string_equal(p4->key, adi_scenario_point(fast, 0)->key);
    assert_string_equal(adi_scenario_point(one, 0)->key, adi_scenario_point(one_by_hand, 0)->key);
    assert_true(p1->net.link_scale == 1 && p4->net.link_scale == 4);
    assert_true(p4->net.link[0].bw == 4 * 125000.0 && p4->net.link[1].bw == 8 * 125000.0);
    assert_true(p4->net.scaled[0] && p4->net.scaled[1]);
    const adi_point *o = adi_scenario_point(one, 0);
    assert_true(!o->net.scaled[0] && o->net.scaled[1] && o->net.link[0].bw == 125000.0);
    assert_true(adi_scenario_varies(swept, ADI_PARAM_LINK_SCALE));
    assert_false(adi_scenario_varies(plain, ADI_PARAM_LINK_SCALE));
    adi_scenario_free(swept);
    adi_scenario_free(plain);
    adi_scenario_free(fast);
    adi_scenario_free(one);
    adi_scenario_free(one_by_hand);
#undef NET_POOL
}

static void serial_uses_one_device(void **state)
{
    (void)state;
    adi_scenario *sc = parse_ok("[scenario]\nname = t\nserial_device = slowest\n[devices]\n"
                                "times = 1, 3, 2\n[workload]\ntasks = 10\n[sweep]\n"
                                "policy = pull, serial\n");
    const double *times;
    const adi_sampler *dev;
    const adi_point *pull = adi_scenario_point(sc, 0), *serial = adi_scenario_point(sc, 1);
    assert_int_equal(adi_point_used_devices(pull, &times, &dev), 3);
    assert_ptr_equal(times, pull->times);
    assert_ptr_equal(dev, pull->device);
    assert_int_equal(adi_point_used_devices(serial, &times, &dev), 1);
    assert_true(times[0] == 3);
    assert_ptr_equal(dev, &serial->device[1]);
    assert_true(adi_point_is_deterministic(pull));
    adi_scenario_free(sc);
    sc = parse_ok(BASE "[devices]\ndistribution = exponential\n");
    assert_false(adi_point_is_deterministic(adi_scenario_point(sc, 0)));
    adi_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_key_is_in_the_key_or_says_why_not),
        cmocka_unit_test(shipped_keys_are_unchanged),
        cmocka_unit_test(keys_by_rule),
        cmocka_unit_test(policy_keys_by_rule),
        cmocka_unit_test(serial_uses_one_device),
        cmocka_unit_test(link_scale_is_its_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
