/*
** tests/test_plots.c — plots/: what the figure programs tell gnuplot is what
** the database holds, checked without gnuplot (programs written to memory
** with open_memstream, their data blocks parsed back and compared with SQL
** over the same runs and with known values); then the process half with
** stand-in `gnuplot` scripts on $PATH (errors, warnings, a reader that hangs
** up, none at all), and with the real gnuplot where it is installed.
*/
#include "helpers.h"

#include "core/units.h"

#include "core/error.h"
#include "model/network.h"
#include "plots/plot_int.h"
#include "sim/hist.h"
#include "store/read.h"
#include "sweep/into_store.h"

#include <dirent.h>
#include <sqlite3.h>
#include <sys/stat.h>

/* 2 x 2 x 2 x 2 points of 400 tasks, 3 replications: seconds to run. The
** name has an underscore and the text HTML specials, to test escaping. */
static const char *tiny =
    "; tiny <plot> & \"friends\"\n"
    "[scenario]\nname = tiny_plot\nreplications = 3\nseed = 11\n"
    "[devices]\nmean_time = 20ms\ndistribution = lognormal\ncv = 0.2\n"
    "[workload]\ntasks = 400\n"
    "[sweep]\npolicy = pull, sync\ndevices = 2, 4\nqueue_capacity = inf, 20\n"
    "heterogeneity = 0, 0.5\n";

static char db_path[600];

static void store_scenario(const char *path, const char *text)
{
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("tiny.ini", text, &sc), ADI_OK);
    adi_store *st;
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    adi_sweep_options o = {.jobs = 2};
    adi_sweep_stats stats;
    assert_int_equal(adi_sweep_into_store(st, sc, o, &stats), ADI_OK);
    adi_store_close(st);
    adi_scenario_free(sc);
}

static int setup(void **state)
{
    (void)state;
    if (temp_dir_setup(NULL) != 0)
        return -1;
    snprintf(db_path, sizeof db_path, "%s/r.db", temp_dir());
    store_scenario(db_path, tiny);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    temp_dir_teardown(NULL);
    return 0;
}

static double sql_real(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    double v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* The program of figure fig (malloc'ed text). */
static char *program(const adi_plot_data *d, int fig, adi_plot_format fmt)
{
    char *text;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(adi_plot_write_figure(d, fig, fmt, "/out/it's.png", f), ADI_OK);
    fclose(f);
    return text;
}

/* Parses data block $name of prog into rows[][5]; returns the row count,
** fails the test when the block is missing. */
static size_t block(const char *prog, const char *name, double rows[][5], size_t max)
{
    char head[96];
    snprintf(head, sizeof head, "$%s << EOD\n", name);
    const char *p = strstr(prog, head);
    if (!p)
        fail_msg("no data block %s", head);
    p += strlen(head);
    size_t n = 0;
    while (strncmp(p, "EOD\n", 4) != 0) {
        const char *eol = strchr(p, '\n');
        assert_non_null(eol);
        if (*p != '#') {
            assert_true(n < max);
            char *end;
            int c = 0;
            for (const char *q = p; q < eol && c < 5; c++) {
                rows[n][c] = strtod(q, &end);
                assert_true(end > q);
                q = end;
            }
            for (; c < 5; c++)
                rows[n][c] = NAN;
            n++;
        }
        p = eol + 1;
    }
    return n;
}

/* Every data block the program defines is plotted, and every block it
** plots is defined (before use: gnuplot reads top to bottom). */
static void blocks_consistent(const char *prog)
{
    size_t defined = 0, used = 0;
    for (const char *p = prog; (p = strstr(p, "$f")); p++) {
        char name[64], def[80];
        assert_int_equal(sscanf(p, "%63[^ \n]", name), 1);
        snprintf(def, sizeof def, "%s << EOD\n", name);
        if (p[-1] == '\n' && strncmp(p, def, strlen(def)) == 0) {
            defined++;
            char use[80];
            snprintf(use, sizeof use, "%s using", name);
            if (!strstr(p, use))
                fail_msg("block %s is written but never plotted", name);
            continue;
        }
        used++;
        char where[96];
        snprintf(where, sizeof where, "\n%s", def);
        const char *d = strstr(prog, where);
        if (!d || d > p)
            fail_msg("%s is plotted but not defined before", name);
    }
    assert_true(defined > 0 && used >= defined);
}

static adi_plot_data *load(size_t point)
{
    adi_plot_data *d;
    if (adi_plot_load(db_path, NULL, point, &d) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    return d;
}

/* ---- loading ----------------------------------------------------------------------- */

static void loads_means_and_intervals(void **state)
{
    (void)state;
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    assert_string_equal(adi_plot_scenario_name(d), "tiny_plot");
    assert_int_equal(d->npoints, 16);
    assert_int_equal(d->stored, 16);
    /* Sweep order policy, devices, Q, h (last fastest): pull, n = 4,
    ** Q = inf, h = 0.5 is position 5; the default rule picks it. */
    assert_int_equal(adi_plot_chosen_point(d), 5);
    const plot_point *pp = &d->pt[5];
    assert_int_equal(pp->runs, 3);
    assert_close(pp->m[PM_THROUGHPUT].mean,
                 sql_real("SELECT avg(throughput) FROM run WHERE policy = 'pull' AND"
                          " n_devices = 4 AND queue_capacity IS NULL AND heterogeneity = 0.5"),
                 1e-12);
    /* The 95 % interval with 3 runs: t(0.975, 2) = 4.302652729911275
    ** (tables; gsl_cdf_tdist_Pinv) times the sample std / sqrt(3). */
    double mean = sql_real("SELECT avg(makespan) FROM run WHERE point_id = 6");
    double var = sql_real("SELECT sum((makespan - (SELECT avg(makespan) FROM run WHERE"
                          " point_id = 6)) * (makespan - (SELECT avg(makespan) FROM run"
                          " WHERE point_id = 6))) / 2 FROM run WHERE point_id = 6");
    assert_close(pp->m[PM_MAKESPAN].mean, mean, 1e-12);
    assert_close(pp->m[PM_MAKESPAN].half, 4.302652729911275 * sqrt(var / 3), 1e-9);
    /* Devices of the chosen slice: each replication completes every task. */
    assert_int_equal(pp->ndev, 4);
    double sum = 0;
    for (size_t i = 0; i < pp->ndev; i++)
        sum += pp->dev[i].tasks.mean;
    assert_close(sum, 400, 1e-12);
    /* Its histogram counts every task of every replication. */
    assert_int_equal(pp->hist_total, 3 * 400);
    /* Outside the slice nothing per device is loaded. */
    assert_int_equal(d->pt[0].ndev, 0);
    adi_plot_data_free(d);
    adi_plot_data_free(NULL);
}

static void chosen_point_option(void **state)
{
    (void)state;
    adi_plot_data *d = load(9);
    assert_int_equal(adi_plot_chosen_point(d), 9);
    assert_ptr_equal(d->pt[9].p->policy, &adi_policy_sync);
    assert_non_null(d->pt[9].dev);  /* its slice: sync and pull, n = 2, Q = inf, h = 0.5 */
    assert_non_null(d->pt[1].dev);
    assert_null(d->pt[5].dev);
    char slice[256];
    assert_string_equal(adi_plot_figure_slice(d, ADI_FIG_LATENCY, slice, sizeof slice),
                        "point 9: n = 2, Q = ∞, h = 0.5");
    assert_string_equal(adi_plot_figure_slice(d, ADI_FIG_THROUGHPUT, slice, sizeof slice),
                        "Q = ∞");
    adi_plot_data_free(d);

    assert_int_equal(adi_plot_load(db_path, NULL, 16, &d), ADI_EINPUT);
    assert_null(d);
    assert_non_null(strstr(adi_errmsg(), "point 16: scenario 'tiny_plot' has points 0 to 15"));
}

static void load_errors(void **state)
{
    (void)state;
    adi_plot_data *d;
    char path[700];
    snprintf(path, sizeof path, "%s/missing.db", temp_dir());
    assert_int_equal(adi_plot_load(path, NULL, ADI_PLOT_POINT_DEFAULT, &d), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "missing.db: no such database"));
    assert_int_equal(access(path, F_OK), -1); /* read-only: nothing created */

    assert_int_equal(adi_plot_load(db_path, "nope", ADI_PLOT_POINT_DEFAULT, &d), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "no scenario named 'nope'; it holds: tiny_plot"));

    /* A second scenario: naming one is then required. Its only point is
    ** infeasible, so it has no runs. */
    store_scenario(db_path, "[scenario]\nname = empty\n[devices]\ncount = 2\nmean_time = 1\n"
                            "heterogeneity = 1\n[workload]\ntasks = 10\n");
    assert_int_equal(adi_plot_load(db_path, NULL, ADI_PLOT_POINT_DEFAULT, &d), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "holds 2 scenarios (empty, tiny_plot); choose one"));
    assert_int_equal(adi_plot_load(db_path, "empty", ADI_PLOT_POINT_DEFAULT, &d), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "scenario 'empty' has no stored runs"));
    assert_int_equal(adi_plot_load(db_path, "empty", 0, &d), ADI_EINPUT);
    assert_int_equal(adi_plot_load(db_path, "tiny_plot", ADI_PLOT_POINT_DEFAULT, &d), ADI_OK);
    adi_plot_data_free(d);
}

/* A calibrated scenario is drawn from the profiles it ran from, stored
** with it: rewriting or deleting the file afterwards changes nothing
** (it used to find "no stored runs", the keys having moved). */
static void profiles_come_from_the_database(void **state)
{
    (void)state;
    char path[700], profile[700], cal_db[700];
    char *mac = read_file("profiles/mac_studio.ini");
    assert_non_null(mac);
    snprintf(profile, sizeof profile, "%s/p.ini", temp_dir());
    write_file(profile, mac);
    snprintf(path, sizeof path, "%s/cal.ini", temp_dir());
    write_file(path, "[scenario]\nname = cal\nreplications = 2\n[devices]\nprofiles = p.ini x2\n"
                     "kernel = x2\ndistribution = empirical\n[workload]\ntasks = 100\n"
                     "[sweep]\npolicy = pull, sync\n");
    adi_scenario *sc;
    assert_int_equal(adi_scenario_load(path, &sc), ADI_OK);
    snprintf(cal_db, sizeof cal_db, "%s/cal.db", temp_dir());
    adi_store *st;
    assert_int_equal(adi_store_open(cal_db, 1, &st), ADI_OK);
    adi_sweep_stats stats;
    assert_int_equal(adi_sweep_into_store(st, sc, (adi_sweep_options){.jobs = 1}, &stats), ADI_OK);
    adi_store_close(st);
    adi_scenario_free(sc);
    write_file(profile, "; not even a profile any more\n");
    for (int round = 0; round < 2; round++) {
        if (round == 1)
            assert_int_equal(unlink(profile), 0);
        adi_plot_data *d;
        if (adi_plot_load(cal_db, "cal", ADI_PLOT_POINT_DEFAULT, &d) != ADI_OK)
            fail_msg("%s", adi_errmsg());
        assert_int_equal(d->stored, 2);
        adi_plot_data_free(d);
    }
    free(mac);
}

/* ---- the figure programs ------------------------------------------------------------- */

static void throughput_blocks_match_database(void **state)
{
    (void)state;
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    char *prog = program(d, ADI_FIG_THROUGHPUT, ADI_PLOT_PNG);
    blocks_consistent(prog);
    assert_int_equal(strncmp(prog, "set encoding utf8\nset terminal pngcairo", 39), 0);
    assert_non_null(strstr(prog, "set output '/out/it''s.png'\n"));
    assert_non_null(strstr(prog, "tiny\\\\_plot")); /* the name as literal text */
    assert_non_null(strstr(prog, "yerrorlines"));   /* replicated: error bars */
    assert_non_null(strstr(prog, "unset multiplot\n"));
    double rows[8][5];
    /* Panel 1 is h = 0.5 (panels in ascending h), Q = inf (the slice). */
    assert_int_equal(block(prog, "f1_1_pull", rows, 8), 2);
    static const int n[2] = {2, 4};
    for (int i = 0; i < 2; i++) {
        char sql[256];
        assert_true(rows[i][0] == n[i]);
        snprintf(sql, sizeof sql, "SELECT avg(throughput) FROM run WHERE policy = 'pull' AND"
                 " n_devices = %d AND heterogeneity = 0.5 AND queue_capacity IS NULL", n[i]);
        assert_close(rows[i][1], sql_real(sql), 1e-12);
        assert_true(rows[i][2] < rows[i][1] && rows[i][1] < rows[i][3]);
    }
    /* The bound at h = 0: identical devices of 20 ms give R = n / 20 ms. */
    assert_int_equal(block(prog, "f1_0_bound", rows, 8), 2);
    assert_close(rows[0][1], 100, 1e-12);
    assert_close(rows[1][1], 200, 1e-12);
    free(prog);

    /* svg and pdf differ only in the terminal. */
    prog = program(d, ADI_FIG_THROUGHPUT, ADI_PLOT_SVG);
    assert_non_null(strstr(prog, "set terminal svg size"));
    free(prog);
    prog = program(d, ADI_FIG_THROUGHPUT, ADI_PLOT_PDF);
    assert_non_null(strstr(prog, "set terminal pdfcairo size"));
    free(prog);
    adi_plot_data_free(d);
}

static void latency_cdf_matches_histogram(void **state)
{
    (void)state;
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    char *prog = program(d, ADI_FIG_LATENCY, ADI_PLOT_PNG);
    blocks_consistent(prog);
    static double rows[4096][5];
    size_t n = block(prog, "f2_0_pull", rows, 4096);
    assert_true(n > 10);
    for (size_t i = 1; i < n; i++) /* a CDF: x and F never decrease */
        assert_true(rows[i][0] >= rows[i - 1][0] && rows[i][1] >= rows[i - 1][1]);
    assert_close(rows[n - 1][1], 1, 1e-12);
    /* The last bucket's upper edge bounds the largest latency stored. */
    double max = sql_real("SELECT max(lat_max) FROM run WHERE point_id = 6");
    assert_true(rows[n - 1][0] >= max && rows[n - 1][0] <= max * 1.011);

    /* The marks against an oracle: the histogram rebuilt from the stored
    ** buckets (adi_hist's nearest rank, within a stored bucket: 1.1 %). */
    adi_hist h;
    adi_hist_init(&h);
    adi_store *st;
    adi_stored_hist stored;
    assert_int_equal(adi_store_open(db_path, 0, &st), ADI_OK);
    assert_int_equal(adi_store_read_hist(st, 6, "enqueue", &stored), ADI_OK);
    assert_true(stored.n > 10);
    for (size_t k = 0; k < stored.n; k++) {
        int64_t b = stored.b[k].bucket;
        assert_int_equal(adi_hist_add_bucket(&h, b < 0 ? -1 : b << ADI_HIST_STORE_SHIFT,
                                             stored.b[k].count), 0);
    }
    adi_stored_hist_free(&stored);
    adi_store_close(st);
    assert_int_equal(block(prog, "f2_0_pull_marks", rows, 8), 3);
    static const double q[3] = {0.5, 0.95, 0.99};
    for (int k = 0; k < 3; k++) {
        assert_true(rows[k][1] == q[k]);
        assert_close(rows[k][0], adi_hist_quantile(&h, q[k]), 0.012);
    }
    adi_hist_free(&h);
    /* Both policies of the slice are drawn, with their quantiles named. */
    assert_non_null(strstr(prog, "$f2_0_sync << EOD"));
    assert_non_null(strstr(prog, "title \"pull: p50 "));
    free(prog);
    adi_plot_data_free(d);
}

static void queue_and_heterogeneity_blocks(void **state)
{
    (void)state;
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    char *prog = program(d, ADI_FIG_QUEUE, ADI_PLOT_PNG);
    blocks_consistent(prog);
    double rows[8][5];
    /* x: Q = 20, and inf one decade right of the largest finite Q (100). */
    assert_int_equal(block(prog, "f3_0_pull", rows, 8), 2);
    assert_true(rows[0][0] == 20 && rows[1][0] == 100);
    assert_close(rows[0][1], sql_real("SELECT avg(idle_time) FROM run WHERE policy = 'pull'"
                                      " AND n_devices = 4 AND heterogeneity = 0.5 AND"
                                      " queue_capacity = 20"), 1e-12);
    assert_int_equal(block(prog, "f3_1_sync", rows, 8), 2);
    assert_close(rows[1][1], sql_real("SELECT avg(lat_max) FROM run WHERE policy = 'sync'"
                                      " AND n_devices = 4 AND heterogeneity = 0.5 AND"
                                      " queue_capacity IS NULL"), 1e-12);
    assert_non_null(strstr(prog, "\"∞\" 1e+02"));
    free(prog);

    prog = program(d, ADI_FIG_HETEROGENEITY, ADI_PLOT_PNG);
    blocks_consistent(prog);
    /* Panels: row 0 throughput, row 1 makespan; columns pull, sync. */
    assert_int_equal(block(prog, "f4_3_n2", rows, 8), 2);
    assert_close(rows[1][1], sql_real("SELECT avg(makespan) FROM run WHERE policy = 'sync'"
                                      " AND n_devices = 2 AND heterogeneity = 0.5 AND"
                                      " queue_capacity IS NULL"), 1e-12);
    free(prog);
    adi_plot_data_free(d);
}

static void bounds_blocks_use_the_model(void **state)
{
    (void)state;
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    char *prog = program(d, ADI_FIG_BOUNDS, ADI_PLOT_PNG);
    blocks_consistent(prog);
    double rows[16][5];
    /* Every pull point: x = m/R, y = its mean makespan; h = 0 pools of
    ** 20 ms devices have m/R = 400 x 0.02 / n = 4 s and 2 s. */
    assert_int_equal(block(prog, "f5_0_observed", rows, 16), 8);
    int found4 = 0, found2 = 0;
    for (int i = 0; i < 8; i++) {
        found4 += fabs(rows[i][0] - 4) < 1e-12;
        found2 += fabs(rows[i][0] - 2) < 1e-12;
        assert_true(rows[i][1] >= rows[i][0] * 0.95); /* near or above m/R */
    }
    assert_int_equal(found4, 2); /* Q = inf and Q = 20 */
    assert_int_equal(found2, 2);
    /* The greedy ticks sit at m/R + max T_i: at h = 0, 20 ms above. */
    assert_int_equal(block(prog, "f5_0_greedy", rows, 16), 8);
    for (int i = 0; i < 8; i++)
        if (fabs(rows[i][1] - 4.02) < 1e-9)
            found4 += 10;
    assert_int_equal(found4, 22);
    /* The bottom row is the same makespan in units of max T above m/R;
    ** the lower and greedy bounds are the exact lines 0 and 1. */
    double top[16][5];
    block(prog, "f5_0_observed", top, 16);
    assert_int_equal(block(prog, "f5_2_observed", rows, 16), 8);
    for (int i = 0; i < 8; i++)
        assert_true(rows[i][0] == top[i][0]);
    assert_non_null(strstr(prog, "plot $f5_2_observed using 1:2:3:4 with yerrorbars"));
    assert_non_null(strstr(prog, ", \\\n     0 with lines"));
    assert_non_null(strstr(prog, ", \\\n     1 with lines"));
    free(prog);
    adi_plot_data_free(d);
}

static void device_blocks_match_database(void **state)
{
    (void)state;
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    char *prog = program(d, ADI_FIG_DEVICES, ADI_PLOT_PNG);
    blocks_consistent(prog);
    double rows[8][5];
    assert_int_equal(block(prog, "f6_0_pull", rows, 8), 4);
    double sum = 0;
    for (int i = 0; i < 4; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT avg(tasks_done) FROM run_device JOIN run ON"
                 " run.id = run_id WHERE point_id = 6 AND device = %d", i);
        assert_close(rows[i][1], sql_real(sql), 1e-12);
        assert_true(rows[i][4] > 0 && rows[i][4] < 0.5); /* bar width */
        sum += rows[i][1];
    }
    assert_close(sum, 400, 1e-12);
    /* h = 0.5: device 0 is the fastest and does the most. */
    assert_true(rows[0][1] > rows[3][1]);
    /* The model share m / (R T_i) over pull's bars sums to m. */
    assert_int_equal(block(prog, "f6_0_model", rows, 8), 4);
    assert_close(rows[0][1] + rows[1][1] + rows[2][1] + rows[3][1], 400, 1e-9);
    assert_int_equal(block(prog, "f6_1_sync", rows, 8), 4);
    for (int i = 0; i < 4; i++)
        assert_true(rows[i][1] > 0 && rows[i][1] <= 100);
    free(prog);
    adi_plot_data_free(d);
}

static void one_replication_draws_no_bars(void **state)
{
    (void)state;
    snprintf(db_path, sizeof db_path, "%s/one.db", temp_dir());
    store_scenario(db_path, "[scenario]\nname = one\n[devices]\ntimes = 1, 2, 4\n"
                            "[workload]\ntasks = 70\n[sweep]\npolicy = pull, serial\n");
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    const char *why;
    /* Nothing swept but the policy: figures 1, 3 and 4 say why not. */
    assert_false(adi_plot_figure_applies(d, ADI_FIG_THROUGHPUT, &why));
    assert_string_equal(why, "the scenario does not sweep the device count");
    assert_false(adi_plot_figure_applies(d, ADI_FIG_QUEUE, &why));
    assert_false(adi_plot_figure_applies(d, ADI_FIG_HETEROGENEITY, &why));
    assert_true(adi_plot_figure_applies(d, ADI_FIG_BOUNDS, &why));
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(adi_plot_write_figure(d, ADI_FIG_QUEUE, ADI_PLOT_PNG, "x", f), ADI_EINPUT);
    fclose(f);
    char *prog = program(d, ADI_FIG_BOUNDS, ADI_PLOT_PNG);
    assert_null(strstr(prog, "yerror"));
    assert_non_null(strstr(prog, "using 1:2 with points"));
    /* Deterministic pull of 70 tasks on (1, 2, 4) s: m/R = 40 s, the
    ** greedy bound 44 s, and the makespan in between. */
    double rows[4][5];
    assert_int_equal(block(prog, "f5_0_observed", rows, 4), 1);
    assert_close(rows[0][0], 40, 1e-12);
    assert_true(rows[0][1] >= 40 && rows[0][1] <= 44);
    free(prog);
    adi_plot_data_free(d);
}

static void index_page(void **state)
{
    (void)state;
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    int drawn[ADI_FIG_COUNT] = {1, 1, 0, 1, 1, 1};
    char *html;
    size_t len;
    FILE *f = open_memstream(&html, &len);
    assert_int_equal(adi_plot_write_index(d, ADI_PLOT_SVG, drawn, f), ADI_OK);
    fclose(f);
    assert_int_equal(strncmp(html, "<!DOCTYPE html>", 15), 0);
    assert_non_null(strstr(html, "<h1>Scenario tiny_plot</h1>"));
    assert_non_null(strstr(html, adi_plot_created_at(d)));
    assert_non_null(strstr(html, "; tiny &lt;plot&gt; &amp; &quot;friends&quot;"));
    assert_null(strstr(html, "<plot>"));
    assert_non_null(strstr(html, "<img src=\"1_throughput.svg\""));
    assert_non_null(strstr(html, "<img src=\"6_devices.svg\""));
    assert_null(strstr(html, "3_queue.svg"));
    assert_non_null(strstr(html, "Not drawn: it was not requested."));
    assert_true(strstr(html, "</html>\n") == html + len - 8);
    free(html);
    f = open_memstream(&html, &len);
    assert_int_equal(adi_plot_write_index(d, ADI_PLOT_PDF, drawn, f), ADI_OK);
    fclose(f);
    assert_null(strstr(html, "<img"));
    assert_non_null(strstr(html, "<a href=\"5_bounds.pdf\">"));
    free(html);
    adi_plot_data_free(d);
}

/* ---- the gnuplot processes ------------------------------------------------------------ */

/* Files in d whose names start with a dot (temporaries), or all files. */
static int count_files(const char *d, int hidden_only)
{
    DIR *dh = opendir(d);
    if (!dh)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dh)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            (!hidden_only || e->d_name[0] == '.'))
            n++;
    closedir(dh);
    return n;
}

/* A stand-in gnuplot in <temp_dir()>/fakebin running `body` (tools by absolute
** path); PATH is set to that folder alone, since /bin may hold the real
** one. Returns the old PATH (malloc'ed). */
static char *fake_gnuplot(const char *body)
{
    char bin[700], exe[720], script[2048];
    snprintf(bin, sizeof bin, "%s/fakebin", temp_dir());
    mkdir(bin, 0755);
    snprintf(exe, sizeof exe, "%s/gnuplot", bin);
    snprintf(script, sizeof script, "#!/bin/sh\n%s\n", body);
    write_file(exe, script);
    chmod(exe, 0755);
    char *old = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", bin, 1);
    return old;
}

static void restore_path(char *old)
{
    setenv("PATH", old, 1);
    free(old);
}

/* Figure 7: an open workload with exact results; its data blocks hold the
** stored checks (exact value, simulated mean, interval) of every point. */
static void exact_blocks_match_the_checks(void **state)
{
    (void)state;
    const char *why;
    adi_plot_data *batch = load(ADI_PLOT_POINT_DEFAULT);
    assert_false(adi_plot_figure_applies(batch, ADI_FIG_EXACT, &why));
    assert_non_null(strstr(why, "exact queueing result"));
    adi_plot_data_free(batch);

    char path[700];
    snprintf(path, sizeof path, "%s/open.db", temp_dir());
    store_scenario(path, "[scenario]\nname = open\nreplications = 3\n[devices]\ncount = 2\n"
                         "mean_time = 10ms\ndistribution = exponential\n[workload]\n"
                         "kind = poisson\ntasks = 20000\n[queue]\ncapacity = 3\noverflow = drop\n"
                         "[sweep]\nrate = 100, 180\n");
    adi_plot_data *d;
    assert_int_equal(adi_plot_load(path, "open", ADI_PLOT_POINT_DEFAULT, &d), ADI_OK);
    assert_true(adi_plot_figure_applies(d, ADI_FIG_EXACT, &why));
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    assert_int_equal(adi_plot_write_figure(d, ADI_FIG_EXACT, ADI_PLOT_PNG, "x.png", f), ADI_OK);
    fclose(f);
    /* Every stored queue check is a row of its panel's block. */
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT bound, predicted, observed FROM bound_check"
                                            " JOIN run ON run.id = run_id WHERE replication = 0"
                                            " AND bound LIKE 'queue_%'", -1, &q, NULL), SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        char row[128], a[32], b[32];
        snprintf(row, sizeof row, "%s %s", adi_format_exact(sqlite3_column_double(q, 1), a, 32),
                 adi_format_exact(sqlite3_column_double(q, 2), b, 32)); /* as gp_num writes */
        if (!strstr(text, row))
            fail_msg("%s: row '%s' not in the figure's data", sqlite3_column_text(q, 0), row);
        rows++;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_int_equal(rows, 2 * 4); /* two points, four quantities each */
    assert_non_null(strstr(text, "$f7_0_simulated"));
    free(text);
    adi_plot_data_free(d);
}

/* ---- the network's figures ------------------------------------------------------------- */

/* Two devices over links of 1 and 4 Mbit/s (the second one's scaled),
** lognormal times, 3 replications: every policy at three prefetches and
** three link scales. */
#define NET_TIMES {0.004, 0.010}
#define NET_BW {125000.0, 500000.0}   /* bytes/s: 1 and 4 Mbit/s */
#define NET_LAT {0.001, 0.002}        /* s */
#define NET_SIN 2048.0                /* bytes */
#define NET_SOUT 512.0
static const char *net_text =
    "[scenario]\nname = net_plot\nreplications = 3\nseed = 5\n"
    "[devices]\ntimes = 4ms, 10ms\ndistribution = lognormal\ncv = 0.2\n"
    "[workload]\ntasks = 60\n"
    "[network]\nlinks = 1Mbit/s 1ms, 4Mbit/s 2ms\ninput_size = 2KiB\noutput_size = 512B\n"
    "link_scale_devices = 1\n"
    "[sweep]\npolicy = pull, static, sync, serial\nprefetch = 0, 1, 2\n"
    "link_scale = 0.5, 1, 4\n";

static adi_plot_data *load_net(char *path, size_t size)
{
    snprintf(path, size, "%s/net.db", temp_dir());
    store_scenario(path, net_text);
    adi_plot_data *d;
    if (adi_plot_load(path, "net_plot", ADI_PLOT_POINT_DEFAULT, &d) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    return d;
}

/* R_net (model/network.h) of the devices `used` (bit i: device i), the
** second link scaled, at prefetch k: computed here from the scenario's
** numbers, not from the point. */
static double net_R(unsigned used, double scale, uint64_t k)
{
    const double t[] = NET_TIMES, bw[] = NET_BW, lat[] = NET_LAT;
    adi_netdev dev[2];
    size_t n = 0;
    for (size_t i = 0; i < 2; i++)
        if (used >> i & 1)
            dev[n++] = (adi_netdev){t[i], i == 1 ? bw[i] * scale : bw[i], lat[i], -1};
    adi_star star = {.n = n, .dev = dev, .coord_bw = INFINITY, .s_in = NET_SIN,
                     .s_out = NET_SOUT};
    double R;
    assert_int_equal(adi_netmodel_throughput(&star, k, &R, NULL, NULL), ADI_OK);
    return R;
}

/* avg(column) over the runs of the stored point whose key is p's. */
static double point_avg(const char *path, const adi_point *p, const char *expr)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT avg(%s) FROM run JOIN point ON point.id = run.point_id"
             " WHERE point.key = ?1", expr);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_bind_text(s, 1, p->key, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(s, 0), SQLITE_FLOAT);
    double v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* The stored point of policy `pol` at prefetch k and link scale `scale`. */
static const adi_point *net_point(const adi_plot_data *d, const char *pol, uint64_t k,
                                  double scale)
{
    for (size_t i = 0; i < d->npoints; i++) {
        const adi_point *p = d->pt[i].p;
        if (strcmp(adi_policy_name(p->policy), pol) == 0 && p->net.prefetch == k &&
            p->net.link_scale == scale)
            return p;
    }
    fail_msg("no point %s k=%llu x%g", pol, (unsigned long long)k, scale);
    return NULL;
}

static void net_figures_need_a_network(void **state)
{
    (void)state;
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    const char *why;
    for (int fig = ADI_FIG_BANDWIDTH; fig <= ADI_FIG_SPLIT; fig++) {
        assert_false(adi_plot_figure_applies(d, fig, &why));
        assert_string_equal(why, "the scenario has no [network] section: nothing travels");
    }
    adi_plot_data_free(d);
    /* A network that sweeps neither: 8 and 9 say which key would, 10 applies. */
    snprintf(db_path, sizeof db_path, "%s/flat.db", temp_dir());
    store_scenario(db_path, "[scenario]\nname = flat\n[devices]\ntimes = 1ms, 2ms\n"
                            "[workload]\ntasks = 20\n[network]\nlinks = 10Mbit/s 1ms\n"
                            "input_size = 1KiB\noutput_size = 1KiB\n");
    d = load(ADI_PLOT_POINT_DEFAULT);
    assert_false(adi_plot_figure_applies(d, ADI_FIG_BANDWIDTH, &why));
    assert_string_equal(why, "the scenario does not sweep the link bandwidth ([sweep] link_scale)");
    assert_false(adi_plot_figure_applies(d, ADI_FIG_PREFETCH, &why));
    assert_string_equal(why, "the scenario does not sweep the prefetch ([sweep] prefetch)");
    assert_true(adi_plot_figure_applies(d, ADI_FIG_SPLIT, &why));
    adi_plot_data_free(d);
}

/* Figure 8: throughput per policy against the scaled link's bandwidth in
** bit/s (the database's means), and each policy's bound R_net over the
** devices it uses, at the chosen point's prefetch. */
static void bandwidth_blocks_match_database_and_model(void **state)
{
    (void)state;
    char path[700];
    adi_plot_data *d = load_net(path, sizeof path);
    const char *why;
    assert_true(adi_plot_figure_applies(d, ADI_FIG_BANDWIDTH, &why));
    /* The default point: pull, k = 0 (earliest), the links as written. */
    const adi_point *ref = d->pt[d->chosen].p;
    assert_string_equal(adi_policy_name(ref->policy), "pull");
    assert_true(ref->net.prefetch == 0 && ref->net.link_scale == 1);
    char *prog = program(d, ADI_FIG_BANDWIDTH, ADI_PLOT_PNG);
    blocks_consistent(prog);
    assert_non_null(strstr(prog, "link bandwidth of device 1 (bit/s)"));
    assert_non_null(strstr(prog, "set logscale x 10"));
    static const double scales[] = {0.5, 1, 4};
    static const char *const pols[] = {"pull", "static", "sync", "serial"};
    double rows[8][5];
    for (size_t j = 0; j < 4; j++) {
        char name[32];
        snprintf(name, sizeof name, "f8_0_%s", pols[j]);
        assert_int_equal(block(prog, name, rows, 8), 3);
        for (size_t i = 0; i < 3; i++) {
            assert_true(rows[i][0] == 4e6 * scales[i]); /* bit/s */
            const adi_point *p = net_point(d, pols[j], 0, scales[i]);
            assert_close(rows[i][1], point_avg(path, p, "throughput"), 1e-12);
            assert_true(rows[i][2] < rows[i][1] && rows[i][3] > rows[i][1]); /* 95 % CI */
        }
    }
    /* The bounds: pull R_net(0) of both devices, static every transfer
    ** hidden, sync R_net(0) (the same line as pull's: drawn once, black,
    ** named for both), serial its one device's (the fastest, 0: unscaled). */
    assert_int_equal(block(prog, "f8_0_R_pull", rows, 8), 3);
    for (size_t i = 0; i < 3; i++)
        assert_close(rows[i][1], net_R(3, scales[i], 0), 1e-12);
    assert_null(strstr(prog, "$f8_0_R_sync "));
    assert_non_null(strstr(prog, "R_{net}: pull, sync"));
    assert_int_equal(block(prog, "f8_0_R_static", rows, 8), 3);
    for (size_t i = 0; i < 3; i++)
        assert_close(rows[i][1], net_R(3, scales[i], UINT64_C(1) << 62), 1e-12);
    assert_int_equal(block(prog, "f8_0_R_serial", rows, 8), 3);
    for (size_t i = 0; i < 3; i++)
        assert_close(rows[i][1], net_R(1, 1, 0), 1e-12);
    free(prog);
    adi_plot_data_free(d);
}

/* Figure 9: throughput per policy against k; R_net(k) and R_net(0) for the
** policies that request (pull, serial), one bound for the others. */
static void prefetch_blocks_match_database_and_model(void **state)
{
    (void)state;
    char path[700];
    adi_plot_data *d = load_net(path, sizeof path);
    char *prog = program(d, ADI_FIG_PREFETCH, ADI_PLOT_PNG);
    blocks_consistent(prog);
    double rows[8][5];
    assert_int_equal(block(prog, "f9_0_pull", rows, 8), 3);
    for (uint64_t k = 0; k < 3; k++) {
        assert_true(rows[k][0] == (double)k);
        assert_close(rows[k][1], point_avg(path, net_point(d, "pull", k, 1), "throughput"), 1e-12);
    }
    assert_int_equal(block(prog, "f9_0_R_pull", rows, 8), 3);
    for (uint64_t k = 0; k < 3; k++)
        assert_close(rows[k][1], net_R(3, 1, k), 1e-12);
    assert_true(rows[2][1] > rows[0][1]); /* prefetch raises the bound here */
    assert_int_equal(block(prog, "f9_0_R0_pull", rows, 8), 3);
    for (uint64_t k = 0; k < 3; k++)
        assert_close(rows[k][1], net_R(3, 1, 0), 1e-12);
    assert_int_equal(block(prog, "f9_0_R_serial", rows, 8), 3);
    for (uint64_t k = 0; k < 3; k++)
        assert_close(rows[k][1], net_R(1, 1, k), 1e-12);
    assert_int_equal(block(prog, "f9_0_static", rows, 8), 3);
    assert_int_equal(block(prog, "f9_0_R_static", rows, 8), 3);
    for (uint64_t k = 0; k < 3; k++)
        assert_close(rows[k][1], net_R(3, 1, UINT64_C(1) << 62), 1e-12);
    free(prog);
    adi_plot_data_free(d);
}

/* Figure 10: per policy, per device, computing from 0 to its busy time,
** transfers above it, waiting above that: each the database's mean, and
** the stack's top the mean makespan. */
/* Figure 8 for pull's batches (pull_batch = 4, T_i(k) = T_i (0.5 + 0.5 k)):
** the bound drawn is R_b,net, the one the runs are checked against, which
** for an affine law is b times R_net of a star whose tasks are b tasks'
** bytes and time (computed here from the scenario's numbers); the plain
** R_net, which the runs may exceed, is not drawn. */
static void bandwidth_bound_of_batches_is_r_b_net(void **state)
{
    (void)state;
    char path[700];
    snprintf(path, sizeof path, "%s/netb.db", temp_dir());
    store_scenario(path, "[scenario]\nname = netb\nreplications = 2\nseed = 5\n"
                         "pull_batch = 4\n"
                         "[devices]\ntimes = 4ms, 10ms\nbatch_overhead = 0.5\n"
                         "[workload]\ntasks = 60\n"
                         "[network]\nlinks = 1Mbit/s 1ms, 4Mbit/s 2ms\ninput_size = 2KiB\n"
                         "output_size = 512B\nlink_scale_devices = 1\n"
                         "[sweep]\nlink_scale = 0.5, 1, 4\n");
    adi_plot_data *d;
    if (adi_plot_load(path, "netb", ADI_PLOT_POINT_DEFAULT, &d) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    char *prog = program(d, ADI_FIG_BANDWIDTH, ADI_PLOT_PNG);
    blocks_consistent(prog);
    static const double scales[] = {0.5, 1, 4};
    const double t[] = NET_TIMES, bw[] = NET_BW, lat[] = NET_LAT, b = 4, f = 0.5;
    double rows[8][5];
    assert_int_equal(block(prog, "f8_0_R_pull", rows, 8), 3);
    for (size_t i = 0; i < 3; i++) {
        adi_netdev dev[2];
        for (size_t j = 0; j < 2; j++)
            dev[j] = (adi_netdev){t[j] * (f + (1 - f) * b), j == 1 ? bw[j] * scales[i] : bw[j],
                                  lat[j], -1};
        adi_star star = {.n = 2, .dev = dev, .coord_bw = INFINITY, .s_in = b * NET_SIN,
                         .s_out = b * NET_SOUT};
        double R, plain;
        assert_int_equal(adi_netmodel_throughput(&star, 0, &R, NULL, NULL), ADI_OK);
        assert_close(rows[i][1], b * R, 1e-12);
        plain = net_R(3, scales[i], 0);
        assert_true(rows[i][1] > plain); /* batches lift the bound here */
    }
    free(prog);
    adi_plot_data_free(d);
}

static void split_bars_add_up_to_the_makespan(void **state)
{
    (void)state;
    char path[700];
    adi_plot_data *d = load_net(path, sizeof path);
    char *prog = program(d, ADI_FIG_SPLIT, ADI_PLOT_PNG);
    blocks_consistent(prog);
    assert_non_null(strstr(prog, "boxxyerror"));
    assert_non_null(strstr(prog, "device 1\\nT_i 10 ms\\n4 Mbit/s, 2 ms"));
    size_t panel = 0;
    for (size_t i = 0; i < adi_policy_count(); i++) {
        const char *pol = adi_policy_name(adi_policy_at(i));
        if (strcmp(pol, "pull") && strcmp(pol, "static") && strcmp(pol, "sync") &&
            strcmp(pol, "serial"))
            continue;
        const adi_point *p = net_point(d, pol, 0, 1);
        size_t ndev = strcmp(pol, "serial") ? 2 : 1;
        double c[4][5], t[4][5], w[4][5], m[4][5];
        char name[48];
        snprintf(name, sizeof name, "f10_%zu_compute", panel);
        assert_int_equal(block(prog, name, c, 4), ndev);
        snprintf(name, sizeof name, "f10_%zu_transfer", panel);
        assert_int_equal(block(prog, name, t, 4), ndev);
        snprintf(name, sizeof name, "f10_%zu_wait", panel);
        assert_int_equal(block(prog, name, w, 4), ndev);
        snprintf(name, sizeof name, "f10_%zu_makespan", panel);
        assert_int_equal(block(prog, name, m, 4), 2);
        double makespan = point_avg(path, p, "makespan");
        assert_close(m[0][1], makespan, 1e-12);
        for (size_t j = 0; j < ndev; j++) {
            char col[160];
            size_t dev = strcmp(pol, "serial") ? j : 0; /* serial runs the fastest */
            assert_true(c[j][0] == (double)dev);
            snprintf(col, sizeof col, "(SELECT busy_time FROM run_device WHERE run_id = run.id"
                     " AND device = %zu)", dev);
            assert_true(c[j][2] == 0);
            assert_close(c[j][1], point_avg(path, p, col), 1e-12);
            snprintf(col, sizeof col, "(SELECT transfer_time FROM run_device WHERE run_id ="
                     " run.id AND device = %zu)", dev);
            assert_true(t[j][2] == c[j][1]);
            assert_close(t[j][1] - t[j][2], point_avg(path, p, col), 1e-9);
            assert_true(w[j][2] == t[j][1]);
            assert_close(w[j][1], makespan, 1e-9); /* busy + transfer + wait = makespan */
            assert_true(c[j][4] > 0 && c[j][4] < 1); /* bar width */
        }
        panel++;
    }
    assert_int_equal(panel, 4);
    free(prog);
    adi_plot_data_free(d);
}

/* gnuplot takes the network's programs without a warning. */
static void real_gnuplot_draws_the_network(void **state)
{
    (void)state;
    if (!adi_plot_gnuplot_found())
        skip();
    char path[700], out[760];
    adi_plot_data *d = load_net(path, sizeof path);
    snprintf(out, sizeof out, "%s/netfigs", temp_dir());
    adi_plot_outcome res;
    if (adi_plot_draw(d, out, ADI_PLOT_SVG, &res) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    for (int fig = ADI_FIG_BANDWIDTH; fig <= ADI_FIG_SPLIT; fig++) {
        assert_true(res.drawn[fig]);
        if (res.warnings[fig])
            fail_msg("figure %d: gnuplot warned: %s", fig + 1, res.warnings[fig]);
    }
    adi_plot_outcome_free(&res);
    adi_plot_data_free(d);
}

static void gnuplot_errors_are_reported(void **state)
{
    (void)state;
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    char out[700];
    snprintf(out, sizeof out, "%s/figs", temp_dir());
    adi_plot_outcome res;

    /* gnuplot failing: its words, exit 2's cause, and nothing left behind. */
    char *old = fake_gnuplot("/bin/cat >/dev/null\n"
                             "echo 'line 7: undefined variable: boom' >&2\nexit 1");
    assert_int_equal(adi_plot_draw(d, out, ADI_PLOT_PNG, &res), ADI_EIO);
    assert_non_null(strstr(adi_errmsg(), "figure 1 (1_throughput): gnuplot failed (exit 1):\n"
                                         "line 7: undefined variable: boom"));
    assert_int_equal(count_files(out, 0), 0);
    assert_int_equal(res.ndrawn, 0);
    restore_path(old);

    /* A reader that hangs up at once: no SIGPIPE death, its message. */
    old = fake_gnuplot("exec 0<&-\necho 'fake: cannot read' >&2\nexit 3");
    assert_int_equal(adi_plot_draw(d, out, ADI_PLOT_PNG, &res), ADI_EIO);
    assert_non_null(strstr(adi_errmsg(), "fake: cannot read"));
    assert_int_equal(count_files(out, 0), 0);
    restore_path(old);

    /* A figure cut short (gnuplot exits 0 when its writes fail, as on a
    ** full disk): an error, not a broken file under the figure's name. */
    old = fake_gnuplot("out=$(/bin/sed -n \"s/^set output '\\(.*\\)'$/\\1/p\")\n"
                       "echo fake >\"$out\"");
    assert_int_equal(adi_plot_draw(d, out, ADI_PLOT_PNG, &res), ADI_EIO);
    assert_non_null(strstr(adi_errmsg(), "figure 1 (1_throughput): gnuplot's figure is "
                                         "incomplete (5 bytes)"));
    assert_int_equal(count_files(out, 0), 0);
    restore_path(old);

    /* Success with something on stderr: drawn, and the text handed back. A
    ** whole PNG ends with its IEND chunk. */
    old = fake_gnuplot("out=$(/bin/sed -n \"s/^set output '\\(.*\\)'$/\\1/p\")\n"
                       "printf 'fake\\0\\0\\0\\0IEND\\256B`\\202' >\"$out\"\n"
                       "echo 'warning: fake warning' >&2");
    assert_int_equal(adi_plot_draw(d, out, ADI_PLOT_PNG, &res), ADI_OK);
    assert_int_equal(res.ndrawn, 6); /* figure 7 is for open workloads */
    for (int fig = 0; fig < ADI_FIG_EXACT; fig++) {
        assert_true(res.drawn[fig]);
        assert_string_equal(res.warnings[fig], "warning: fake warning");
    }
    assert_false(res.drawn[ADI_FIG_EXACT]);
    adi_plot_outcome_free(&res);
    assert_int_equal(count_files(out, 0), 7); /* six figures and index.html */
    assert_int_equal(count_files(out, 1), 0);
    restore_path(old);

    /* No gnuplot at all. */
    old = fake_gnuplot("exit 0");
    char bin[720];
    snprintf(bin, sizeof bin, "%s/fakebin/gnuplot", temp_dir());
    unlink(bin);
    assert_int_equal(adi_plot_gnuplot_found(), 0);
    assert_int_equal(adi_plot_draw(d, out, ADI_PLOT_PNG, &res), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "gnuplot not found: install gnuplot-nox");
    restore_path(old);

    /* An output folder that cannot be one. */
    snprintf(out, sizeof out, "%s/r.db/figs", temp_dir());
    if (adi_plot_gnuplot_found()) {
        assert_int_equal(adi_plot_draw(d, out, ADI_PLOT_PNG, &res), ADI_EIO);
        assert_non_null(strstr(adi_errmsg(), "r.db/figs: cannot create the folder"));
    }
    adi_plot_data_free(d);
}

/* ---- the policy figures (polfig.c) ---------------------------------------------------- */

/* The stored point of policy `pol` (label as the tables give it) whose
** parameter param is v. */
static const plot_point *labelled(const adi_plot_data *d, const char *label, int param,
                                  double v, int param2, double v2)
{
    for (size_t i = 0; i < d->npoints; i++) {
        char l[128];
        const adi_point *p = d->pt[i].p;
        adi_scenario_policy_label(d->sc, p, l, sizeof l);
        if (d->pt[i].runs && strcmp(l, label) == 0 && plot_param_value(p, param) == v &&
            (param2 < 0 || plot_param_value(p, param2) == v2))
            return &d->pt[i];
    }
    fail_msg("no stored point %s with parameter %d = %g", label, param, v);
    return NULL;
}

/* Figure 11 for a batch: makespan / C* per variant against m (at the
** chosen h) and against h (at the chosen m), C* computed here from each
** point's T_i; deterministic, so eft with exact estimates is 1 exactly (it
** reaches C*) and static is its split's max k_i T_i over C*. */
static void policy_blocks_are_makespan_over_optimum(void **state)
{
    (void)state;
    const char *path = db_path;
    snprintf(db_path, sizeof db_path, "%s/pol.db", temp_dir());
    store_scenario(path, "[scenario]\nname = pol_plot\n[devices]\ncount = 2\nmean_time = 10ms\n"
                         "[workload]\n[sweep]\npolicy = pull, static, eft\n"
                         "estimates = exact, online\nheterogeneity = 0, 0.5\ntasks = 4, 40\n");
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    const char *why;
    assert_true(adi_plot_figure_applies(d, ADI_FIG_POLICIES, &why));
    assert_false(adi_plot_figure_applies(d, ADI_FIG_BATCHING, &why));
    assert_string_equal(why, "the scenario does not sweep pull_batch");
    const adi_point *ref = d->pt[d->chosen].p; /* pull, h = 0.5, m = 4 */
    assert_true(ref->heterogeneity == 0.5 && ref->tasks == 4);
    char *prog = program(d, ADI_FIG_POLICIES, ADI_PLOT_PNG);
    blocks_consistent(prog);
    assert_non_null(strstr(prog, "Makespan / C* against tasks at h = 0.5"));
    assert_non_null(strstr(prog, "Makespan / C* against heterogeneity at m = 4"));
    static const char *const labels[] = {"pull", "static", "eft exact", "eft online"};
    static const char *const names[] = {"pull", "static", "eft_exact", "eft_online"};
    static const double ms[] = {4, 40}, hs[] = {0, 0.5};
    double rows[8][5];
    for (size_t v = 0; v < 4; v++)
        for (int k = 0; k < 2; k++) {
            char name[48];
            snprintf(name, sizeof name, "f11_%d_%s", k, names[v]);
            assert_int_equal(block(prog, name, rows, 8), 2);
            for (size_t i = 0; i < 2; i++) {
                const plot_point *pp =
                    k ? labelled(d, labels[v], ADI_PARAM_HETEROGENEITY, hs[i], ADI_PARAM_TASKS, 4)
                      : labelled(d, labels[v], ADI_PARAM_TASKS, ms[i], ADI_PARAM_HETEROGENEITY,
                                 0.5);
                double c;
                assert_int_equal(adi_model_optimal_makespan(pp->p->times, 2, pp->p->tasks, &c),
                                 ADI_OK);
                assert_true(rows[i][0] == (k ? hs[i] : ms[i]));
                assert_close(rows[i][1], point_avg(path, pp->p, "makespan") / c, 1e-12);
                if (v == 2)
                    assert_close(rows[i][1], 1, 1e-12);
            }
        }
    /* h = 0.5: T = 5 ms and 15 ms; m = 4: static 2 x 15 ms = 30 ms, C* = 15 ms */
    assert_int_equal(block(prog, "f11_0_static", rows, 8), 2);
    assert_close(rows[0][1], 2, 1e-12);
    assert_non_null(strstr(prog, "C* (the optimum for identical tasks)"));
    free(prog);
    adi_plot_data_free(d);
}

/* Figure 11 for Poisson arrivals: p99 per variant against the rate; and
** figure 12: throughput and p99 against b, b = 1 shared by every
** max_delay, and R_b by hand (two devices of 10 ms, f = 0.5: b = 4 runs
** 4 tasks in 25 ms, 160/s each). */
static void open_policy_and_batching_blocks(void **state)
{
    (void)state;
    const char *path = db_path;
    snprintf(db_path, sizeof db_path, "%s/open.db", temp_dir());
    store_scenario(path, "[scenario]\nname = open_pol\nreplications = 2\n[devices]\ncount = 2\n"
                         "mean_time = 10ms\nheterogeneity = 0.5\ndistribution = exponential\n"
                         "[workload]\nkind = poisson\ntasks = 2000\n[sweep]\n"
                         "policy = pull, jsq\nrate = 50, 100\n");
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    char *prog = program(d, ADI_FIG_POLICIES, ADI_PLOT_PNG);
    blocks_consistent(prog);
    assert_non_null(strstr(prog, "p99 latency against the arrival rate"));
    assert_null(strstr(prog, "against heterogeneity"));
    double rows[8][5];
    static const char *const pols[] = {"pull", "jsq"};
    static const double rates[] = {50, 100};
    for (size_t j = 0; j < 2; j++) {
        char name[32];
        snprintf(name, sizeof name, "f11_0_%s", pols[j]);
        assert_int_equal(block(prog, name, rows, 8), 2);
        for (size_t i = 0; i < 2; i++) {
            const plot_point *pp = labelled(d, pols[j], ADI_PARAM_RATE, rates[i], -1, 0);
            assert_true(rows[i][0] == rates[i]);
            assert_close(rows[i][1], point_avg(path, pp->p, "lat_p99"), 1e-12);
        }
    }
    free(prog);
    adi_plot_data_free(d);

    snprintf(db_path, sizeof db_path, "%s/batch.db", temp_dir());
    store_scenario(path, "[scenario]\nname = batch_plot\nreplications = 2\n[devices]\n"
                         "count = 2\nmean_time = 10ms\nbatch_overhead = 0.5\n"
                         "[workload]\nkind = poisson\ntasks = 2000\n[sweep]\n"
                         "pull_batch = 1, 4\nmax_delay = 5ms, inf\nrate = 150, 250\n");
    d = load(ADI_PLOT_POINT_DEFAULT);
    const char *why;
    assert_false(adi_plot_figure_applies(d, ADI_FIG_POLICIES, &why));
    assert_string_equal(why, "the chosen point's slice has a single policy");
    assert_true(adi_plot_figure_applies(d, ADI_FIG_BATCHING, &why));
    prog = program(d, ADI_FIG_BATCHING, ADI_PLOT_PNG);
    blocks_consistent(prog);
    assert_int_equal(block(prog, "f12_0_R_b", rows, 8), 2);
    assert_close(rows[0][1], 200, 1e-12);
    assert_close(rows[1][1], 320, 1e-12);
    for (int k = 0; k < 2; k++)
        for (size_t r = 0; r < 2; r++)
            for (size_t j = 0; j < 2; j++) {
                char name[32];
                snprintf(name, sizeof name, "f12_%d_r%zu_d%zu", k, r, j);
                assert_int_equal(block(prog, name, rows, 8), 2);
                const plot_point *one = labelled(d, "pull b=1", ADI_PARAM_RATE, r ? 250 : 150,
                                                 -1, 0);
                char label[32];
                snprintf(label, sizeof label, "pull b=4 D=%s", j ? "inf" : "5ms");
                const plot_point *four = labelled(d, label, ADI_PARAM_RATE, r ? 250 : 150, -1, 0);
                const char *col = k ? "lat_p99" : "throughput";
                assert_true(rows[0][0] == 1 && rows[1][0] == 4);
                assert_close(rows[0][1], point_avg(path, one->p, col), 1e-12);
                assert_close(rows[1][1], point_avg(path, four->p, col), 1e-12);
            }
    /* b = 1 at 250/s is overloaded (R = 200/s), b = 4 is not */
    assert_int_equal(block(prog, "f12_0_r1_d1", rows, 8), 2);
    assert_true(rows[0][1] <= 200 && rows[1][1] > 200);
    free(prog);
    adi_plot_data_free(d);
}

/* With the real gnuplot: every figure a PNG, nothing else left over. */
static void real_gnuplot_draws_everything(void **state)
{
    (void)state;
    if (!adi_plot_gnuplot_found())
        skip();
    adi_plot_data *d = load(ADI_PLOT_POINT_DEFAULT);
    char out[700], file[760];
    snprintf(out, sizeof out, "%s/real/figs", temp_dir()); /* parents are created */
    adi_plot_outcome res;
    if (adi_plot_draw(d, out, ADI_PLOT_PNG, &res) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    assert_int_equal(res.ndrawn, 6);
    for (int fig = 0; fig < ADI_FIG_EXACT; fig++) {
        if (res.warnings[fig])
            fail_msg("figure %d: gnuplot warned: %s", fig + 1, res.warnings[fig]);
        snprintf(file, sizeof file, "%s/%s.png", out, adi_plot_figure_stem(fig));
        char *png = read_file(file);
        assert_non_null(png);
        assert_int_equal(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
        free(png);
    }
    assert_int_equal(count_files(out, 0), 7);
    assert_int_equal(count_files(out, 1), 0);
    adi_plot_outcome_free(&res);
    adi_plot_data_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(loads_means_and_intervals, setup, teardown),
        cmocka_unit_test_setup_teardown(chosen_point_option, setup, teardown),
        cmocka_unit_test_setup_teardown(load_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(profiles_come_from_the_database, setup, teardown),
        cmocka_unit_test_setup_teardown(throughput_blocks_match_database, setup, teardown),
        cmocka_unit_test_setup_teardown(latency_cdf_matches_histogram, setup, teardown),
        cmocka_unit_test_setup_teardown(queue_and_heterogeneity_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(bounds_blocks_use_the_model, setup, teardown),
        cmocka_unit_test_setup_teardown(device_blocks_match_database, setup, teardown),
        cmocka_unit_test_setup_teardown(one_replication_draws_no_bars, setup, teardown),
        cmocka_unit_test_setup_teardown(index_page, setup, teardown),
        cmocka_unit_test_setup_teardown(exact_blocks_match_the_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(net_figures_need_a_network, setup, teardown),
        cmocka_unit_test_setup_teardown(bandwidth_blocks_match_database_and_model, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(prefetch_blocks_match_database_and_model, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(bandwidth_bound_of_batches_is_r_b_net, setup, teardown),
        cmocka_unit_test_setup_teardown(split_bars_add_up_to_the_makespan, setup, teardown),
        cmocka_unit_test_setup_teardown(real_gnuplot_draws_the_network, setup, teardown),
        cmocka_unit_test_setup_teardown(policy_blocks_are_makespan_over_optimum, setup, teardown),
        cmocka_unit_test_setup_teardown(open_policy_and_batching_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(gnuplot_errors_are_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(real_gnuplot_draws_everything, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
