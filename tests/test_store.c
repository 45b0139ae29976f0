/*
** tests/test_store.c — the results database: a point written and read back,
** the schema version, the files it must refuse, a calibrated scenario read
** back as it ran after its profile changed or went away, two writers of the
** same point, a new file that appears only with its first result; every
** metric of the column table written and read back bit for bit, the reads
** of report and plots against the rows, and databases of older versions
** (frozen in tests/data) brought up to the columns of a new one; a merge
** that brings a profile's measured link; latency histograms as blobs
** (store/histogram.h) against a naive oracle, every kind of damaged blob
** refused, and the rows of schema 8 and before converted bit for bit.
*/
#include "helpers.h"

#include "core/clock.h"
#include "core/error.h"
#include "store/columns.h"
#include "store/histogram.h"
#include "store/merge.h"
#include "store/read.h"
#include "store/store.h"
#include "store/store_int.h" /* adi_store_db: the rows themselves */
#include "sweep/into_store.h"
#include "sweep/sweep.h"

static sqlite3_int64 scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    sqlite3_int64 v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static double real_value(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    double v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int write_point(void *ctx, const adi_point_result *pr)
{
    int already;
    int rc = adi_store_sweep_point(ctx, pr, &already);
    assert_false(already);
    return rc;
}

static void round_trip(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    snprintf(path, sizeof path, "%s/r.db", dir);
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("st.ini", "[scenario]\nname = st\nreplications = 3\n"
                                        "[devices]\ntimes = 1, 2, 4\n[workload]\ntasks = 70\n"
                                        "[sweep]\npolicy = pull, serial\n", &sc), ADI_OK);
    adi_store *st;
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    int64_t sid, again;
    assert_int_equal(adi_store_scenario(st, sc, &sid), ADI_OK);
    assert_int_equal(adi_store_scenario(st, sc, &again), ADI_OK);
    assert_true(sid == again); /* the same text is one row */

    unsigned char skip[2];
    size_t stored;
    adi_store_sweep *w;
    assert_int_equal(adi_store_sweep_begin(st, sc, skip, &stored, &w), ADI_OK);
    assert_int_equal(stored, 0);
    adi_sweep_options o = {.jobs = 2, .point_done = write_point, .ctx = w};
    assert_int_equal(adi_sweep_run(sc, &o), ADI_OK);
    assert_int_equal(adi_store_sweep_finish(w, &again), ADI_OK);
    assert_true(again == sid);
    adi_store_sweep_free(w);
    sqlite3 *db = adi_store_db(st);
    assert_true(scalar(db, "PRAGMA user_version") >= 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM point"), 2);
    assert_int_equal(scalar(db, "SELECT count(*) FROM run"), 6);
    assert_int_equal(scalar(db, "SELECT count(*) FROM run_device"), 3 * 3 + 3 * 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM scenario_point WHERE scenario_id = 1"), 2);
    assert_int_equal(scalar(db, "SELECT count(*) FROM bound_check WHERE holds = 0"), 0);
    assert_true(scalar(db, "SELECT count(*) FROM bound_check") >= 6 * 5);
    /* Deterministic pull of 70 tasks on (1, 2, 4): the model's numbers. */
    adi_run_result r;
    assert_int_equal(adi_sweep_run_one(adi_scenario_point(sc, 0), 0, &r), ADI_OK);
    assert_true(real_value(db, "SELECT makespan FROM run WHERE policy = 'pull' AND replication = 0") == r.makespan);
    assert_true(real_value(db, "SELECT lat_p95 FROM run WHERE policy = 'pull' AND replication = 2") == r.lat_p95);
    assert_int_equal(scalar(db, "SELECT tasks_done FROM run_device JOIN run ON run.id = run_id"
                                " WHERE policy = 'pull' AND replication = 1 AND device = 0"),
                     r.device[0].tasks);
    /* Serial keeps its device's pool index (0: the fastest, T = 1). */
    assert_int_equal(scalar(db, "SELECT device FROM run_device JOIN run ON run.id = run_id"
                                " WHERE policy = 'serial' LIMIT 1"), 0);
    assert_true(scalar(db, "SELECT queue_capacity IS NULL FROM run LIMIT 1"));
    /* The stored histogram counts every task of every replication. */
    assert_int_equal(scalar(db, "SELECT total FROM latency_hist WHERE kind = 'enqueue'"
                                " AND point_id = 1"), 3 * 70);
    adi_run_result_free(&r);
    /* A stored point is found by name and key; a foreign name is not. */
    int64_t pid;
    assert_int_equal(adi_store_find_point(st, "st", adi_scenario_point(sc, 1), &pid), ADI_OK);
    assert_true(pid == 2);
    assert_int_equal(adi_store_find_point(st, "other", adi_scenario_point(sc, 1), &pid), ADI_OK);
    assert_true(pid == 0);
    assert_int_equal(adi_store_link_point(st, sid, 2, 1), ADI_OK); /* idempotent */
    adi_store_close(st);
    adi_scenario_free(sc);

    /* Read-only opening sees the same. */
    assert_int_equal(adi_store_open(path, 0, &st), ADI_OK);
    assert_int_equal(scalar(adi_store_db(st), "SELECT count(*) FROM run"), 6);
    adi_store_close(st);
    remove_tree(dir);
}

/* A scenario's identity includes its profiles' SHA-256s: read back from the
** database it must be the one that ran, whatever became of the files. */
static void a_calibrated_scenario_reads_back_as_it_ran(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600], db_path[600], profile[600];
    char *mac = read_file("profiles/mac_studio.ini");
    assert_non_null(mac);
    snprintf(profile, sizeof profile, "%s/p.ini", dir);
    write_file(profile, mac);
    snprintf(path, sizeof path, "%s/s.ini", dir);
    write_file(path, "[scenario]\nname = cal\n[devices]\nprofiles = p.ini x2\nkernel = x2\n"
                     "distribution = empirical\n[workload]\ntasks = 100\n");
    adi_scenario *sc;
    assert_int_equal(adi_scenario_load(path, &sc), ADI_OK);
    assert_int_equal(adi_scenario_nfiles(sc), 1);
    assert_string_equal(adi_scenario_file_at(sc, 0).name, "p.ini");
    assert_string_equal(adi_scenario_file_at(sc, 0).text, mac);
    snprintf(db_path, sizeof db_path, "%s/r.db", dir);
    adi_store *st;
    int64_t id;
    assert_int_equal(adi_store_open(db_path, 1, &st), ADI_OK);
    assert_int_equal(adi_store_scenario(st, sc, &id), ADI_OK);
    sqlite3 *db = adi_store_db(st);
    assert_int_equal(scalar(db, "SELECT count(*) FROM scenario_profile"), 1);

    /* recalibrated (here: one more line), then gone */
    for (int round = 0; round < 2; round++) {
        if (round == 0) {
            size_t len = strlen(mac);
            char *changed = malloc(len + 32);
            snprintf(changed, len + 32, "%s; recalibrated\n", mac);
            write_file(profile, changed);
            free(changed);
        } else {
            assert_int_equal(unlink(profile), 0);
        }
        adi_scenario *now;
        int rc = adi_scenario_load(path, &now);
        if (round == 0) { /* from the files: another scenario */
            assert_int_equal(rc, ADI_OK);
            assert_string_not_equal(adi_scenario_sha256(now), adi_scenario_sha256(sc));
            adi_scenario_free(now);
        } else {
            assert_int_equal(rc, ADI_EINPUT);
        }
        adi_scenario *back;
        assert_int_equal(adi_store_parse_scenario(st, id, adi_scenario_source(sc),
                                                  adi_scenario_text(sc), &back), ADI_OK);
        assert_string_equal(adi_scenario_sha256(back), adi_scenario_sha256(sc));
        assert_string_equal(adi_scenario_point(back, 0)->key, adi_scenario_point(sc, 0)->key);
        adi_scenario_free(back);
    }
    /* storing it again adds nothing */
    assert_int_equal(adi_store_scenario(st, sc, &id), ADI_OK);
    assert_int_equal(scalar(db, "SELECT count(*) FROM scenario_profile"), 1);
    adi_store_close(st);
    adi_scenario_free(sc);
    free(mac);
    remove_tree(dir);
}

static void refuses_what_it_cannot_use(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    adi_store *st;
    assert_int_equal(adi_store_open("/nonexistent/dir/r.db", 1, &st), ADI_EIO);
    assert_null(st);
    assert_non_null(strstr(adi_errmsg(), "/nonexistent/dir/r.db: cannot open the database"));

    snprintf(path, sizeof path, "%s/garbage.db", dir);
    write_file(path, "this is not a database, just text that is long enough to look at......\n");
    assert_int_equal(adi_store_open(path, 1, &st), ADI_EIO);
    assert_non_null(strstr(adi_errmsg(), "garbage.db"));

    snprintf(path, sizeof path, "%s/other.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(adi_store_open(path, 1, &st), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "not an adisim results database"));

    snprintf(path, sizeof path, "%s/newer.db", dir);
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    assert_int_equal(adi_store_publish(st), ADI_OK); /* new: appears now, empty */
    assert_int_equal(sqlite3_exec(adi_store_db(st), "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    adi_store_close(st);
    assert_int_equal(adi_store_open(path, 1, &st), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "newer adisim (schema 99"));

    snprintf(path, sizeof path, "%s/missing.db", dir);
    assert_int_equal(adi_store_open(path, 0, &st), ADI_EIO); /* read-only never creates */
    assert_int_equal(access(path, F_OK), -1);
    remove_tree(dir);
}

/* Two writers of the same scenario, each unaware of the other's point when
** it began: the second to store it finds it stored, keeps that one and
** links it (it used to fail on the UNIQUE constraint). Both started on a
** new file: the second's staged file is dropped and its write redone in
** the first's (store_int.h). Neither sees the other's file before the
** first point. */
static int store_one(adi_store_sweep *w, const adi_point *p, int *already)
{
    adi_run_result r;
    assert_int_equal(adi_sweep_run_one(p, 0, &r), ADI_OK);
    adi_point_result pr = {p, 1, &r, NULL, NAN};
    int rc = adi_store_sweep_point(w, &pr, already);
    adi_run_result_free(&r);
    /* committed now, as a sweep does before it waits (store.h): the other
    ** writer, a process of its own, would otherwise wait for its turn */
    return rc == ADI_OK ? adi_store_sweep_flush(w) : rc;
}

/* A point of one replication, written and left in the open transaction. */
static int store_open(adi_store_sweep *w, const adi_point *p)
{
    adi_run_result r;
    assert_int_equal(adi_sweep_run_one(p, 0, &r), ADI_OK);
    adi_point_result pr = {p, 1, &r, NULL, NAN};
    int already, rc = adi_store_sweep_point(w, &pr, &already);
    adi_run_result_free(&r);
    return rc;
}

/* Alone, a sweep's transaction stays open for the next point until 0.1 s
** after it began; once another writer has committed beside it, it ends as
** soon as the sweep would wait (the other gets its turn then, not only in
** the instants between two transactions). */
static void beside_another_writer_a_sweep_does_not_wait_holding(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    snprintf(path, sizeof path, "%s/b.db", dir);
    adi_scenario *s1, *s2;
    assert_int_equal(adi_scenario_parse("b1.ini", "[scenario]\nname = b1\nreplications = 1\n"
                                        "[devices]\ntimes = 1, 2\n[sweep]\ntasks = 10, 20, 30\n",
                                        &s1), ADI_OK);
    assert_int_equal(adi_scenario_parse("b2.ini", "[scenario]\nname = b2\nreplications = 1\n"
                                        "[devices]\ntimes = 1\n[workload]\ntasks = 5\n", &s2),
                     ADI_OK);
    adi_store *a, *b;
    assert_int_equal(adi_store_open(path, 1, &a), ADI_OK);
    assert_int_equal(adi_store_publish(a), ADI_OK);
    assert_int_equal(adi_store_open(path, 1, &b), ADI_OK);
    unsigned char skip[3];
    size_t stored;
    adi_store_sweep *wa, *wb;
    assert_int_equal(adi_store_sweep_begin(a, s1, skip, &stored, &wa), ADI_OK);
    assert_int_equal(adi_store_sweep_begin(b, s2, skip, &stored, &wb), ADI_OK);
    double deadline;
    assert_false(adi_store_sweep_pending(wa, &deadline));
    assert_int_equal(store_open(wa, adi_scenario_point(s1, 0)), ADI_OK);
    assert_true(adi_store_sweep_pending(wa, &deadline));
    assert_true(deadline > adi_clock_s()); /* alone: it may wait holding it */
    assert_int_equal(store_open(wa, adi_scenario_point(s1, 1)), ADI_OK); /* the same one */
    assert_int_equal(adi_store_sweep_flush(wa), ADI_OK);
    assert_int_equal(adi_store_sweep_committed(wa), 2);
    assert_int_equal(store_open(wb, adi_scenario_point(s2, 0)), ADI_OK);
    assert_int_equal(adi_store_sweep_flush(wb), ADI_OK);
    assert_int_equal(store_open(wa, adi_scenario_point(s1, 2)), ADI_OK);
    assert_true(adi_store_sweep_pending(wa, &deadline));
    assert_true(deadline <= adi_clock_s()); /* b wrote: no waiting while open */
    int64_t id;
    assert_int_equal(adi_store_sweep_finish(wa, &id), ADI_OK);
    assert_int_equal(adi_store_sweep_finish(wb, &id), ADI_OK);
    assert_int_equal(scalar(adi_store_db(a), "SELECT count(*) FROM point"), 4);
    adi_store_sweep_free(wa);
    adi_store_sweep_free(wb);
    adi_store_close(a);
    adi_store_close(b);
    adi_scenario_free(s1);
    adi_scenario_free(s2);
    remove_tree(dir);
}

static void a_point_stored_meanwhile_is_kept(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    snprintf(path, sizeof path, "%s/m.db", dir);
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("m.ini", "[scenario]\nname = m\nreplications = 1\n"
                                        "[devices]\ntimes = 1, 2\n[workload]\ntasks = 30\n"
                                        "[sweep]\npolicy = pull, serial\n", &sc), ADI_OK);
    adi_store *a, *b;
    adi_store_sweep *wa, *wb;
    unsigned char skip[2];
    size_t stored;
    assert_int_equal(adi_store_open(path, 1, &a), ADI_OK);
    assert_int_equal(adi_store_open(path, 1, &b), ADI_OK);
    assert_int_equal(access(path, F_OK), -1); /* nothing stored yet: no file */
    assert_int_equal(adi_store_sweep_begin(a, sc, skip, &stored, &wa), ADI_OK);
    assert_int_equal(adi_store_sweep_begin(b, sc, skip, &stored, &wb), ADI_OK);
    int already;
    assert_int_equal(store_one(wb, adi_scenario_point(sc, 0), &already), ADI_OK);
    assert_false(already);
    assert_int_equal(access(path, F_OK), 0); /* published with b's first point */
    assert_int_equal(store_one(wa, adi_scenario_point(sc, 0), &already), ADI_OK);
    assert_true(already);
    assert_int_equal(store_one(wa, adi_scenario_point(sc, 1), &already), ADI_OK);
    assert_false(already);
    assert_int_equal(store_one(wb, adi_scenario_point(sc, 1), &already), ADI_OK);
    assert_true(already);
    int64_t ia, ib;
    assert_int_equal(adi_store_sweep_finish(wa, &ia), ADI_OK);
    assert_int_equal(adi_store_sweep_finish(wb, &ib), ADI_OK);
    assert_true(ia == ib && ia > 0);
    sqlite3 *db = adi_store_db(a);
    assert_int_equal(scalar(db, "SELECT count(*) FROM point"), 2);
    assert_int_equal(scalar(db, "SELECT count(*) FROM run"), 2);
    assert_int_equal(scalar(db, "SELECT count(*) FROM scenario"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM scenario_point"), 2);
    adi_store_sweep_free(wa);
    adi_store_sweep_free(wb);
    adi_store_close(a);
    adi_store_close(b);
    adi_scenario_free(sc);
    /* only the database is left: no staged file, no -wal or -shm */
    char cmd[700], *out;
    snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
    assert_int_equal(run_command(cmd, &out, NULL), 0);
    assert_string_equal(out, "m.db\n");
    free(out);
    remove_tree(dir);
}

/* A sweep that fails before its first point writes nothing, in an existing
** database as in a new one: its scenario row waits for that point. */
static void a_store_closed_before_its_first_write_leaves_nothing(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    snprintf(path, sizeof path, "%s/n.db", dir);
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("n.ini", "[scenario]\nname = n\n[devices]\ntimes = 1\n"
                                        "[workload]\ntasks = 3\n", &sc), ADI_OK);
    adi_store *st;
    adi_store_sweep *w;
    unsigned char skip[1];
    size_t stored;
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    assert_int_equal(adi_store_sweep_begin(st, sc, skip, &stored, &w), ADI_OK);
    adi_store_sweep_free(w);
    adi_store_close(st);
    char cmd[700], *out;
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    assert_int_equal(run_command(cmd, &out, NULL), 0);
    assert_int_equal(atoi(out), 0);
    free(out);
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    assert_int_equal(adi_store_publish(st), ADI_OK);
    adi_store_close(st);
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    assert_int_equal(adi_store_sweep_begin(st, sc, skip, &stored, &w), ADI_OK);
    adi_store_sweep_free(w);
    assert_int_equal(scalar(adi_store_db(st), "SELECT count(*) FROM scenario"), 0);
    adi_store_close(st);
    adi_scenario_free(sc);
    remove_tree(dir);
}

/* ---- the column table ------------------------------------------------------- */

/* Every result the sweep handed to the store (shallow copies: only the
** metrics are looked at). */
typedef struct kept {
    adi_store_sweep *w;
    adi_run_result run[2][3]; /* [point][replication] */
} kept;

static int keep_and_write(void *ctx, const adi_point_result *pr)
{
    kept *k = ctx;
    for (size_t r = 0; r < pr->nruns; r++)
        k->run[pr->point->index][r] = pr->runs[r];
    return write_point(k->w, pr);
}

/* Equal bits, or both NAN. */
static int same_real(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/* Every column of columns.h: the same in a and b (a column whose binding or
** reading is wrong, or lost on the way, shows here). */
static void assert_same_metrics(const adi_run_result *a, const adi_run_result *b)
{
#define SAME_REAL(x, y) same_real(x, y)
#define SAME_COUNT(x, y) ((uint64_t)(x) == (uint64_t)(y))
#define CMP_REAL(name) SAME_REAL(a->name, b->name)
#define CMP_COUNT(name) SAME_COUNT(a->name, b->name)
#define CMP_SS_REAL(name) SAME_REAL(a->name, b->name)
#define CMP_SS_COUNT(name) SAME_COUNT(a->name, b->name)
#define CMP_(name, declaration, version, binding)                                                  \
    if (!CMP_##binding(name))                                                                      \
        fail_msg("column %s: read back %.17g, written %.17g", #name, (double)a->name,              \
                 (double)b->name);
    ADI_RUN_COLUMNS(CMP_)
#undef CMP_
}

static void every_metric_reads_back_as_written(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    snprintf(path, sizeof path, "%s/c.db", dir);
    /* open workloads (every ss_ column set), one so overloaded that some
    ** estimates are NAN; a batch is the measured run below */
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("c.ini", "[scenario]\nname = c\nreplications = 3\n"
                                        "[devices]\ntimes = 10ms, 20ms\ndistribution = exponential\n"
                                        "[workload]\nkind = poisson\ntasks = 2000\n[queue]\n"
                                        "capacity = 4\noverflow = drop\n[sweep]\nrate = 60, 1e9\n",
                                        &sc), ADI_OK);
    adi_store *st;
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    unsigned char skip[2];
    size_t stored;
    kept k = {0};
    assert_int_equal(adi_store_sweep_begin(st, sc, skip, &stored, &k.w), ADI_OK);
    adi_sweep_options o = {.jobs = 2, .point_done = keep_and_write, .ctx = &k};
    assert_int_equal(adi_sweep_run(sc, &o), ADI_OK);
    assert_int_equal(adi_store_sweep_flush(k.w), ADI_OK);
    adi_store_sweep_free(k.w);
    for (size_t i = 0; i < 2; i++) {
        int64_t id;
        adi_stored_runs runs;
        assert_int_equal(adi_store_find_point(st, "c", adi_scenario_point(sc, i), &id), ADI_OK);
        assert_int_equal(adi_store_read_runs(st, id, &runs), ADI_OK);
        assert_int_equal(runs.n, 3);
        for (size_t r = 0; r < 3; r++) {
            assert_true(k.run[i][r].ss_window > 0);   /* both have a steady state */
            assert_true(k.run[i][r].seed != 0);
            assert_same_metrics(&runs.run[r], &k.run[i][r]);
        }
        adi_stored_runs_free(&runs);
    }
    /* A measured run: seed 0, no steady state (the SS_ columns are NULL and
    ** read back as the zeros it held), in_system not measured (NAN). */
    adi_run_result m;
    assert_int_equal(adi_sweep_run_one(adi_scenario_point(sc, 0), 0, &m), ADI_OK);
    m.seed = 0;
    m.in_system = NAN;
    m.lat_p99 = NAN;
    adi_hist ss_latc = m.ss_latc; /* owned: kept for adi_run_result_free */
    memset(&m.ss_window, 0, sizeof m - offsetof(adi_run_result, ss_window));
    m.ss_latc = ss_latc;
    int64_t sid, id;
    assert_int_equal(adi_store_scenario(st, sc, &sid), ADI_OK);
    assert_int_equal(adi_store_write_measured(st, sid, "c", adi_scenario_point(sc, 0), "h", &m, 1),
                     ADI_OK);
    assert_int_equal(adi_store_find_measured(st, "c", adi_scenario_point(sc, 0), "h", &id), ADI_OK);
    assert_true(id > 0);
    adi_stored_runs runs;
    assert_int_equal(adi_store_read_runs(st, id, &runs), ADI_OK);
    assert_int_equal(runs.n, 1);
    assert_same_metrics(&runs.run[0], &m);
    adi_stored_runs_free(&runs);
    sqlite3 *db = adi_store_db(st);
    assert_int_equal(scalar(db, "SELECT count(*) FROM run WHERE source = 'measured' AND seed = 0"
                                " AND ss_window IS NULL AND ss_arrivals IS NULL"
                                " AND in_system IS NULL AND lat_p99 IS NULL"), 1);
    adi_run_result_free(&m);
    adi_store_close(st);
    adi_scenario_free(sc);
    remove_tree(dir);
}

/* ---- reading back ------------------------------------------------------------ */

static void reads_agree_with_the_rows(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    snprintf(path, sizeof path, "%s/r.db", dir);
    adi_scenario *sc, *sc2;
    assert_int_equal(adi_scenario_parse("r.ini", "[scenario]\nname = r\nreplications = 3\n"
                                        "[devices]\ntimes = 1, 2, 4\ndistribution = lognormal\n"
                                        "cv = 0.3\n[workload]\ntasks = 500\n"
                                        "[sweep]\npolicy = pull, serial\n", &sc), ADI_OK);
    assert_int_equal(adi_scenario_parse("r.ini", "[scenario]\nname = r\nreplications = 3\n"
                                        "[devices]\ntimes = 1, 2, 4\ndistribution = lognormal\n"
                                        "cv = 0.3\n[workload]\ntasks = 500\n"
                                        "[sweep]\npolicy = pull, serial, sync\n", &sc2), ADI_OK);
    adi_store *st;
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    for (int v = 0; v < 2; v++) {
        unsigned char skip[3];
        size_t stored;
        adi_store_sweep *w;
        assert_int_equal(adi_store_sweep_begin(st, v ? sc2 : sc, skip, &stored, &w), ADI_OK);
        adi_sweep_options o = {.jobs = 2, .skip = skip, .point_done = write_point, .ctx = w};
        assert_int_equal(adi_sweep_run(v ? sc2 : sc, &o), ADI_OK);
        int64_t id;
        assert_int_equal(adi_store_sweep_finish(w, &id), ADI_OK);
        adi_store_sweep_free(w);
    }
    adi_store_close(st);
    assert_int_equal(adi_store_open(path, 0, &st), ADI_OK); /* a reader, as plot is */
    sqlite3 *db = adi_store_db(st);

    adi_store_names names;
    assert_int_equal(adi_store_read_names(st, &names), ADI_OK);
    assert_int_equal(names.n, 1);
    assert_string_equal(names.name[0], "r");
    adi_store_names_free(&names);
    adi_stored_scenario row;
    assert_int_equal(adi_store_read_scenario(st, "r", &row), ADI_OK);
    assert_true(row.id == 2); /* the latest text */
    assert_string_equal(row.ini_text, adi_scenario_text(sc2));
    assert_string_equal(row.path, adi_scenario_source(sc2));
    assert_non_null(row.created_at);
    adi_stored_scenario_free(&row);
    assert_int_equal(adi_store_read_scenario(st, NULL, &row), ADI_OK);
    assert_true(row.id == 2);
    adi_stored_scenario_free(&row);
    assert_int_equal(adi_store_read_scenario(st, "other", &row), ADI_OK);
    assert_true(row.id == 0);
    adi_stored_scenario_free(&row);

    int64_t pull, serial;
    assert_int_equal(adi_store_find_point(st, "r", adi_scenario_point(sc2, 0), &pull), ADI_OK);
    assert_int_equal(adi_store_find_point(st, "r", adi_scenario_point(sc2, 1), &serial), ADI_OK);
    size_t checks, failed;
    assert_int_equal(adi_store_count_checks(st, pull, &checks, &failed), ADI_OK);
    assert_int_equal(checks, scalar(db, "SELECT count(*) FROM bound_check JOIN run ON run.id = run_id"
                                        " WHERE point_id = 1"));
    assert_true(checks >= 3 * 3 && failed == 0);

    /* devices by device, then replication; totals as SQL sums them */
    adi_stored_devices dev, tot;
    assert_int_equal(adi_store_read_devices(st, pull, &dev), ADI_OK);
    assert_int_equal(dev.n, 3 * 3);
    for (size_t i = 0; i < dev.n; i++) {
        assert_int_equal(dev.d[i].device, i / 3);
        assert_int_equal(dev.d[i].replication, i % 3);
    }
    assert_int_equal(adi_store_read_device_totals(st, pull, &tot), ADI_OK);
    assert_int_equal(tot.n, 3);
    uint64_t tasks = 0;
    for (size_t d = 0; d < 3; d++) {
        double busy = 0;
        for (size_t r = 0; r < 3; r++)
            busy += dev.d[3 * d + r].r.busy;
        assert_close(tot.d[d].r.busy, busy, 1e-12);
        tasks += tot.d[d].r.tasks;
    }
    assert_int_equal(tasks, 3 * 500);
    adi_stored_devices_free(&dev);
    adi_stored_devices_free(&tot);
    assert_int_equal(adi_store_read_devices(st, serial, &dev), ADI_OK);
    assert_int_equal(dev.n, 3); /* one device, its pool index 0 */
    assert_int_equal(dev.d[2].device, 0);
    adi_stored_devices_free(&dev);

    adi_stored_hist h;
    assert_int_equal(adi_store_read_hist(st, pull, "created", &h), ADI_OK);
    uint64_t count = 0;
    for (size_t b = 0; b < h.n; b++) {
        assert_true(b == 0 || h.b[b].bucket > h.b[b - 1].bucket);
        assert_true(h.b[b].lo < h.b[b].hi);
        count += h.b[b].count;
    }
    assert_int_equal(count, 3 * 500);
    adi_stored_hist_free(&h);
    adi_store_close(st);

    /* Failed checks: an exact one on two runs is two rows, an interval one
    ** on every run is one, ordered by replication, then bound. */
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    db = adi_store_db(st);
    assert_int_equal(sqlite3_exec(db, "UPDATE bound_check SET holds = 0 WHERE run_id IN"
                                      " (SELECT id FROM run WHERE point_id = 1) AND"
                                      " ((bound = 'littles_law' AND run_id > (SELECT min(id) FROM run"
                                      " WHERE point_id = 1)) OR kind = 'ci')", NULL, NULL, NULL),
                     SQLITE_OK);
    size_t ci = (size_t)scalar(db, "SELECT count(DISTINCT bound) FROM bound_check JOIN run"
                                   " ON run.id = run_id WHERE point_id = 1 AND kind = 'ci'");
    assert_true(ci > 0);
    adi_stored_checks fc, first;
    assert_int_equal(adi_store_read_failed_checks(st, pull, &fc), ADI_OK);
    assert_int_equal(fc.n, ci + 2);
    for (size_t i = 0; i < fc.n; i++) {
        assert_false(fc.c[i].holds);
        assert_true(fc.c[i].is_ci ? fc.c[i].replication == 0
                                  : strcmp(fc.c[i].bound, "littles_law") == 0);
        assert_true(i == 0 || fc.c[i].replication > fc.c[i - 1].replication ||
                    (fc.c[i].replication == fc.c[i - 1].replication &&
                     strcmp(fc.c[i].bound, fc.c[i - 1].bound) > 0));
    }
    assert_int_equal(fc.c[fc.n - 1].replication, 2);
    adi_stored_checks_free(&fc);
    assert_int_equal(adi_store_read_first_checks(st, pull, &first), ADI_OK);
    assert_int_equal(first.n, scalar(db, "SELECT count(*) FROM bound_check WHERE run_id ="
                                         " (SELECT min(id) FROM run WHERE point_id = 1)"));
    for (size_t i = 0; i < first.n; i++)
        assert_int_equal(first.c[i].replication, 0);
    adi_stored_checks_free(&first);
    adi_store_close(st);
    adi_scenario_free(sc);
    adi_scenario_free(sc2);
    remove_tree(dir);
}

/* ---- older databases ------------------------------------------------------- */

/* Every table's columns (name, type, not null, default, key) in order and
** every index, as one text. */
static char *layout(sqlite3 *db)
{
    sqlite3_stmt *s;
    const char *sql =
        "SELECT m.type || ' ' || m.name || ': ' || coalesce((SELECT group_concat(p.name || ' ' ||"
        " p.type || ' ' || p.\"notnull\" || ' ' || coalesce(p.dflt_value, '-') || ' ' || p.pk, ', ')"
        " FROM pragma_table_xinfo(m.name) p), m.tbl_name) FROM sqlite_master m ORDER BY m.name";
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    size_t len = 0;
    char *text = calloc(1, 1);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(s, 0);
        text = realloc(text, len + strlen(line) + 2);
        len += (size_t)sprintf(text + len, "%s\n", line);
    }
    sqlite3_finalize(s);
    return text;
}

static void an_older_database_is_brought_up_to_date(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), fresh[600], path[600];
    snprintf(fresh, sizeof fresh, "%s/fresh.db", dir);
    adi_store *st;
    assert_int_equal(adi_store_open(fresh, 1, &st), ADI_OK);
    assert_int_equal(adi_store_publish(st), ADI_OK);
    char *want = layout(adi_store_db(st));
    sqlite3_int64 version = scalar(adi_store_db(st), "PRAGMA user_version");
    adi_store_close(st);
    assert_non_null(strstr(want, "table run: id INTEGER 0 - 1, scenario_id"));
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("o.ini", "[scenario]\nname = o\nreplications = 2\n"
                                        "[devices]\ntimes = 1, 2\n[workload]\ntasks = 40\n", &sc),
                     ADI_OK);
    static const int versions[] = {1, 6};
    for (size_t k = 0; k < sizeof versions / sizeof versions[0]; k++) {
        char fixture[64], pragma[64];
        snprintf(fixture, sizeof fixture, "tests/data/schema-v%d.sql", versions[k]);
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", versions[k]);
        snprintf(path, sizeof path, "%s/v%d.db", dir, versions[k]);
        char *sql = read_file(fixture);
        assert_non_null(sql);
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, pragma, NULL, NULL, NULL), SQLITE_OK);
        /* a run stored before: kept, its newer columns NULL or their default */
        assert_int_equal(sqlite3_exec(db, "INSERT INTO scenario (name, ini_text, ini_sha256)"
                                          " VALUES ('old', 'x', 'y');"
                                          "INSERT INTO point (scenario_name, key, policy, workload,"
                                          " n_devices, heterogeneity, mean_time, tasks, submit_cost,"
                                          " distribution, cv, overflow, replications, seed)"
                                          " VALUES ('old', 'k', 'pull', 'batch', 1, 0, 1, 1, 0,"
                                          " 'deterministic', 0, 'block', 1, 42);"
                                          "INSERT INTO run (scenario_id, point_id, policy, workload,"
                                          " n_devices, heterogeneity, tasks, replication, seed,"
                                          " makespan) VALUES (1, 1, 'pull', 'batch', 1, 0, 1, 0, 7,"
                                          " 1.5)", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
        free(sql);
        assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
        db = adi_store_db(st);
        assert_int_equal(scalar(db, "PRAGMA user_version"), version);
        char *have = layout(db);
        assert_string_equal(have, want);
        free(have);
        assert_int_equal(scalar(db, "SELECT count(*) FROM run WHERE seed = 7 AND makespan = 1.5"
                                    " AND ss_window IS NULL AND source = 'simulated'"), 1);
        /* and it takes a sweep, read back whole */
        unsigned char skip[1];
        size_t stored;
        adi_store_sweep *w;
        assert_int_equal(adi_store_sweep_begin(st, sc, skip, &stored, &w), ADI_OK);
        adi_sweep_options o = {.jobs = 1, .point_done = write_point, .ctx = w};
        assert_int_equal(adi_sweep_run(sc, &o), ADI_OK);
        assert_int_equal(adi_store_sweep_flush(w), ADI_OK);
        adi_store_sweep_free(w);
        int64_t id;
        adi_stored_runs runs;
        assert_int_equal(adi_store_find_point(st, "o", adi_scenario_point(sc, 0), &id), ADI_OK);
        assert_int_equal(adi_store_read_runs(st, id, &runs), ADI_OK);
        assert_int_equal(runs.n, 2);
        assert_int_equal(runs.run[1].seed, adi_sweep_run_seed(adi_scenario_point(sc, 0), 1));
        adi_stored_runs_free(&runs);
        adi_store_close(st);
    }
    free(want);
    adi_scenario_free(sc);
    remove_tree(dir);
}

/* A profile's measured link (calibration_link) comes along with a merge,
** once. */
static void a_merge_brings_the_links(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), src[600], dst[600];
    snprintf(src, sizeof src, "%s/src.db", dir);
    snprintf(dst, sizeof dst, "%s/dst.db", dir);
    adi_store *st;
    assert_int_equal(adi_store_open(src, 1, &st), ADI_OK);
    assert_int_equal(adi_store_publish(st), ADI_OK);
    assert_int_equal(sqlite3_exec(adi_store_db(st),
                                  "INSERT INTO calibration_link (device, peer, latency, latency_std,"
                                  " latency_p50, latency_samples, bandwidth_down, bandwidth_down_std,"
                                  " bandwidth_down_p50, bandwidth_down_samples, bandwidth_up,"
                                  " bandwidth_up_std, bandwidth_up_p50, bandwidth_up_samples,"
                                  " input_bytes, output_bytes, profile_path, profile_sha256,"
                                  " created_at) VALUES ('pi', 'host:7000', 1e-3, 1e-5, 1e-3, 50,"
                                  " 2.5e6, 1e4, 2.5e6, 8, 2.4e6, 1e4, 2.4e6, 8, 393216, 393216,"
                                  " NULL, 'abc', '2026-01-01T00:00:00Z')", NULL, NULL, NULL),
                     SQLITE_OK);
    adi_store_close(st);
    const char *from[] = {src};
    for (int round = 0; round < 2; round++) {
        adi_merge_stats ms;
        assert_int_equal(adi_store_open(dst, 1, &st), ADI_OK);
        assert_int_equal(adi_store_merge_files(st, from, 1, &ms), ADI_OK);
        adi_merge_stats_free(&ms);
        assert_int_equal(scalar(adi_store_db(st), "SELECT count(*) FROM calibration_link"
                                                  " WHERE device = 'pi' AND latency_samples = 50"
                                                  " AND bandwidth_up = 2.4e6"), 1);
        adi_store_close(st);
    }
    remove_tree(dir);
}


/* ---- latency histograms ------------------------------------------------------ */

static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* A histogram of up to 3000 latencies spread over up to 40 octaves around
** a random scale, with zeros now and then, and the extremes sometimes. */
static void random_hist(uint64_t *x, adi_hist *h)
{
    adi_hist_init(h);
    int n = (int)(next_random(x) % 3000), span = 1 + (int)(next_random(x) % 40);
    double scale = ldexp(1, (int)(next_random(x) % 80) - 40);
    for (int i = 0; i < n; i++) {
        uint64_t r = next_random(x);
        double v = r % 97 == 0 ? 0 : scale * ldexp(1.0 + (double)(r >> 11) / 9007199254740992.0,
                                                    (int)(r % (uint64_t)span));
        assert_int_equal(adi_hist_add(h, v), 0);
    }
    if (next_random(x) % 5 == 0) {
        assert_int_equal(adi_hist_add(h, 2.2250738585072014e-308), 0);
        assert_int_equal(adi_hist_add(h, 1.7976931348623157e308), 0);
    }
}

/* The oracle: h's stored buckets the plain way (what schema 8 wrote as
** rows): the zeros as bucket -1, then every 8 full buckets summed. */
static size_t naive_buckets(const adi_hist *h, adi_stored_bucket *out)
{
    size_t n = 0;
    if (h->zero)
        out[n++] = (adi_stored_bucket){-1, 0, 0, h->zero};
    for (int64_t b = h->lo; b < h->hi; b++) {
        uint64_t c = h->counts[b - h->lo];
        int64_t coarse = b >> ADI_HIST_STORE_SHIFT;
        if (!c)
            continue;
        if (n && out[n - 1].bucket == coarse)
            out[n - 1].count += c;
        else
            out[n++] = (adi_stored_bucket){coarse, adi_hist_bucket_lo(coarse << 3),
                                           adi_hist_bucket_lo((coarse + 1) << 3), c};
    }
    return n;
}

static void same_buckets(const adi_stored_bucket *got, size_t n, const adi_stored_bucket *want,
                         size_t m)
{
    assert_int_equal(n, m);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(got[k].bucket, want[k].bucket);
        assert_memory_equal(&got[k].lo, &want[k].lo, sizeof got[k].lo);
        assert_memory_equal(&got[k].hi, &want[k].hi, sizeof got[k].hi);
        assert_int_equal(got[k].count, want[k].count);
    }
}

/* 300 random histograms through the blob and back, against the oracle. */
static void a_blob_holds_the_buckets(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    static adi_stored_bucket want[1 << 16], got[1 << 16];
    for (int trial = 0; trial < 300; trial++) {
        adi_hist h;
        random_hist(&x, &h);
        size_t m = naive_buckets(&h, want), n = 0;
        store_blob b;
        assert_int_equal(store_blob_of_hist(&h, &b), 0);
        assert_int_equal(b.zero, h.zero);
        assert_int_equal(b.total, h.n);
        store_blob_cursor c;
        assert_int_equal(store_blob_open(&c, b.data ? b.data : (const unsigned char *)"", b.size,
                                         b.zero, b.total), 0);
        if (h.zero)
            got[n++] = (adi_stored_bucket){-1, 0, 0, h.zero};
        int64_t index;
        uint64_t count;
        const char *why;
        while (store_blob_next(&c, &index, &count, &why) == 1)
            got[n++] = (adi_stored_bucket){index, store_bucket_lo(index),
                                           store_bucket_lo(index + 1), count};
        assert_null(why);
        same_buckets(got, n, want, m);
        assert_true(b.size <= 2 + 4 * m); /* gaps and counts of a few bytes */
        store_blob_free(&b);
        adi_hist_free(&h);
    }
}

/* Each way a stored row can be damaged is an error naming the point and
** the damage, never a histogram. */
static void a_damaged_blob_is_refused(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    snprintf(path, sizeof path, "%s/h.db", dir);
    adi_scenario *sc;
    assert_int_equal(adi_scenario_parse("h.ini", "[scenario]\nname = h\nreplications = 3\n"
                                        "[devices]\nmean_time = 1\ndistribution = exponential\n"
                                        "count = 3\n[workload]\ntasks = 500\n", &sc), ADI_OK);
    adi_store *st;
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    unsigned char skip[1];
    size_t stored;
    adi_store_sweep *w;
    assert_int_equal(adi_store_sweep_begin(st, sc, skip, &stored, &w), ADI_OK);
    adi_sweep_options o = {.jobs = 2, .point_done = write_point, .ctx = w};
    assert_int_equal(adi_sweep_run(sc, &o), ADI_OK);
    assert_int_equal(adi_store_sweep_flush(w), ADI_OK);
    adi_store_sweep_free(w);
    /* first, whole: the replications' histograms merged */
    adi_hist all;
    adi_hist_init(&all);
    for (uint64_t r = 0; r < 3; r++) {
        adi_run_result run;
        assert_int_equal(adi_sweep_run_one(adi_scenario_point(sc, 0), r, &run), ADI_OK);
        assert_int_equal(adi_hist_merge(&all, &run.lat), 0);
        adi_run_result_free(&run);
    }
    static adi_stored_bucket want[1 << 14];
    size_t m = naive_buckets(&all, want);
    adi_hist_free(&all);
    adi_stored_hist h;
    assert_int_equal(adi_store_read_hist(st, 1, "enqueue", &h), ADI_OK);
    same_buckets(h.b, h.n, want, m);
    adi_stored_hist_free(&h);
    assert_int_equal(adi_store_read_hist(st, 2, "enqueue", &h), ADI_OK); /* no such point */
    assert_int_equal(h.n, 0);
    sqlite3 *db = adi_store_db(st);
    assert_int_equal(scalar(db, "SELECT total FROM latency_hist WHERE point_id = 1 AND"
                                " kind = 'created'"), 1500);
    static const struct {
        const char *set, *why;
    } damage[] = {
        {"buckets = substr(buckets, 1, length(buckets) - 1)", "a number runs past its end"},
        {"total = total + 1", "fewer latencies than its total"},
        {"total = total - 1", "more latencies than its total"},
        {"zero = total + 1", "more zeros than its total"},
        {"zero = -1", "a negative count"},
        {"buckets = X'0001', total = 1", "a bucket out of order or empty"},
        {"buckets = X'4000', total = 1", "a bucket out of order or empty"}, /* gap 64, count 0 */
        {"buckets = X'40010001', total = 2", "a bucket out of order or empty"}, /* 64 twice */
        {"buckets = X'FFFFFFFFFFFFFFFFFF7F01', total = 1", "a number runs past its end"},
        {"buckets = X'C0FF0701', total = 1", "a bucket beyond the largest latency"},
    };
    for (size_t k = 0; k < sizeof damage / sizeof damage[0]; k++) {
        char sql[256];
        assert_int_equal(sqlite3_exec(db, "SAVEPOINT d", NULL, NULL, NULL), SQLITE_OK);
        snprintf(sql, sizeof sql, "UPDATE latency_hist SET %s WHERE point_id = 1 AND"
                 " kind = 'enqueue'", damage[k].set);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        if (adi_store_read_hist(st, 1, "enqueue", &h) != ADI_EIO)
            fail_msg("damage %zu read back", k);
        assert_int_equal(h.n, 0);
        assert_non_null(strstr(adi_errmsg(), "point 1's latency histogram (enqueue) is damaged: "));
        assert_non_null(strstr(adi_errmsg(), damage[k].why));
        assert_int_equal(sqlite3_exec(db, "ROLLBACK TO d; RELEASE d", NULL, NULL, NULL), SQLITE_OK);
    }
    /* the last bucket below infinity is one (its upper edge is inf) */
    assert_int_equal(sqlite3_exec(db, "UPDATE latency_hist SET buckets = X'BFFF0701', total = 1,"
                                      " zero = 0 WHERE point_id = 1 AND kind = 'enqueue'", NULL,
                                  NULL, NULL), SQLITE_OK);
    assert_int_equal(adi_store_read_hist(st, 1, "enqueue", &h), ADI_OK);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.b[0].bucket, 0x1FFBF);
    assert_true(h.b[0].lo == 0x1.fcp+1023 && isinf(h.b[0].hi));
    adi_stored_hist_free(&h);
    adi_store_close(st);
    adi_scenario_free(sc);
    remove_tree(dir);
}

/* A database of schema 6 with histogram rows, one per bucket as schema 8
** and before wrote them: the first writer converts them into blobs that
** read back bit for bit; a row whose edges are not its bucket's stops the
** upgrade, and the file stays as it was. */
static void old_histogram_rows_are_converted(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    char *schema = read_file("tests/data/schema-v6.sql");
    assert_non_null(schema);
    uint64_t x = 12345;
    static adi_stored_bucket want[3][1 << 16];
    size_t m[3];
    for (int bad = 0; bad < 2; bad++) {
        snprintf(path, sizeof path, "%s/v6-%d.db", dir, bad);
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, schema, NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 6;"
                                          "INSERT INTO point (scenario_name, key, policy, workload,"
                                          " n_devices, heterogeneity, mean_time, tasks, submit_cost,"
                                          " distribution, cv, overflow, replications, seed)"
                                          " VALUES ('old', 'a', 'pull', 'batch', 1, 0, 1, 1, 0,"
                                          " 'deterministic', 0, 'block', 1, 42),"
                                          " ('old', 'b', 'pull', 'batch', 1, 0, 1, 1, 0,"
                                          " 'deterministic', 0, 'block', 1, 42)", NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_stmt *ins;
        assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO latency_hist VALUES (?,?,?,?,?,?)",
                                            -1, &ins, NULL), SQLITE_OK);
        /* point 1: both kinds; point 2: enqueue only */
        static const int64_t points[3] = {1, 1, 2};
        static const char *const kinds[3] = {"enqueue", "created", "enqueue"};
        for (int k = 0; k < 3; k++) {
            adi_hist h;
            random_hist(&x, &h);
            assert_int_equal(adi_hist_add(&h, 0), 0); /* a zero bucket in each */
            m[k] = naive_buckets(&h, want[k]);
            adi_hist_free(&h);
            for (size_t b = 0; b < m[k]; b++) {
                double hi = want[k][b].hi;
                if (bad && k == 1 && b == m[k] / 2)
                    hi = nextafter(hi, INFINITY);
                sqlite3_bind_int64(ins, 1, points[k]);
                sqlite3_bind_text(ins, 2, kinds[k], -1, SQLITE_STATIC);
                sqlite3_bind_int64(ins, 3, want[k][b].bucket);
                sqlite3_bind_double(ins, 4, want[k][b].lo);
                sqlite3_bind_double(ins, 5, hi);
                sqlite3_bind_int64(ins, 6, (sqlite3_int64)want[k][b].count);
                assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
                sqlite3_reset(ins);
            }
        }
        sqlite3_finalize(ins);
        sqlite3_int64 rows = scalar(db, "SELECT count(*) FROM latency_hist");
        sqlite3_close(db);
        adi_store *st;
        if (bad) {
            assert_int_equal(adi_store_open(path, 1, &st), ADI_EINPUT);
            assert_non_null(strstr(adi_errmsg(), "cannot update the schema: latency_hist (point 1,"
                                                 " created, bucket"));
            assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
            assert_int_equal(scalar(db, "PRAGMA user_version"), 6);
            assert_int_equal(scalar(db, "SELECT count(*) FROM latency_hist"), rows);
            sqlite3_close(db);
            continue;
        }
        assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
        assert_int_equal(scalar(adi_store_db(st), "SELECT count(*) FROM latency_hist"), 3);
        assert_int_equal(scalar(adi_store_db(st), "SELECT count(*) FROM sqlite_master WHERE"
                                                  " name LIKE 'latency_hist_%'"), 0);
        for (int k = 0; k < 3; k++) {
            adi_stored_hist h;
            assert_int_equal(adi_store_read_hist(st, points[k], kinds[k], &h), ADI_OK);
            same_buckets(h.b, h.n, want[k], m[k]);
            adi_stored_hist_free(&h);
        }
        adi_stored_hist h;
        assert_int_equal(adi_store_read_hist(st, 2, "created", &h), ADI_OK);
        assert_int_equal(h.n, 0);
        adi_store_close(st);
    }
    free(schema);
    remove_tree(dir);
}

/* ---- transactions of several points ------------------------------------------ */

static int count_commit(void *ctx)
{
    ++*(int *)ctx;
    return 0; /* let it commit */
}

/* 200 quick points into a database that exists: gathered into a few
** transactions (each commit within 0.1 s of its first point), all stored,
** and the same rows as one transaction per point gave (db_dump). */
static void a_sweep_gathers_points_into_few_commits(void **state)
{
    (void)state;
    char *dir = make_temp_dir(), path[600];
    snprintf(path, sizeof path, "%s/g.db", dir);
    adi_scenario *sc;
    char ini[2048] = "[scenario]\nname = g\nreplications = 2\n[devices]\ntimes = 1, 2\n"
                     "[sweep]\ntasks = 1";
    for (int k = 2; k <= 200; k++)
        snprintf(ini + strlen(ini), sizeof ini - strlen(ini), k % 20 ? ", %d" : ",\n  %d", k);
    if (adi_scenario_parse("g.ini", strcat(ini, "\n"), &sc) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    assert_int_equal(adi_scenario_npoints(sc), 200);
    adi_store *st;
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    assert_int_equal(adi_store_publish(st), ADI_OK); /* the file exists: no first point alone */
    int commits = 0;
    sqlite3_commit_hook(adi_store_db(st), count_commit, &commits);
    adi_sweep_stats stats;
    adi_sweep_options o = {.jobs = 2};
    assert_int_equal(adi_sweep_into_store(st, sc, o, &stats), ADI_OK);
    assert_int_equal(stats.ran, 200);
    assert_int_equal(scalar(adi_store_db(st), "SELECT count(*) FROM scenario_point"), 200);
    assert_true(commits >= 1 && commits <= 20);
    sqlite3_commit_hook(adi_store_db(st), NULL, NULL);
    adi_store_close(st);
    char *grouped = db_dump(path);

    /* one transaction per point: each written and flushed alone */
    snprintf(path, sizeof path, "%s/one.db", dir);
    assert_int_equal(adi_store_open(path, 1, &st), ADI_OK);
    assert_int_equal(adi_store_publish(st), ADI_OK);
    unsigned char skip[200];
    size_t stored;
    adi_store_sweep *w;
    assert_int_equal(adi_store_sweep_begin(st, sc, skip, &stored, &w), ADI_OK);
    size_t ci = 0; /* the sweep's Bonferroni count, over every point */
    for (size_t i = 0; i < 200; i++)
        ci += adi_check_ci_count(adi_scenario_point(sc, i));
    double level = adi_sweep_ci_level(ci);
    commits = 0;
    sqlite3_commit_hook(adi_store_db(st), count_commit, &commits);
    for (size_t i = 0; i < 200; i++) {
        adi_run_result runs[2];
        const adi_point *p = adi_scenario_point(sc, i);
        adi_run_checks checks[2] = {{0}};
        assert_int_equal(adi_sweep_run_point(p, 1, runs), ADI_OK);
        assert_int_equal(adi_check_point(p, runs, 2, level, checks), ADI_OK);
        adi_point_result pr = {p, 2, runs, checks, level};
        int already;
        assert_int_equal(adi_store_sweep_point(w, &pr, &already), ADI_OK);
        assert_int_equal(adi_store_sweep_flush(w), ADI_OK);
        assert_false(adi_store_sweep_pending(w, &(double){0}));
        adi_run_result_free(&runs[0]);
        adi_run_result_free(&runs[1]);
    }
    assert_int_equal(commits, 200);
    sqlite3_commit_hook(adi_store_db(st), NULL, NULL);
    int64_t id;
    assert_int_equal(adi_store_sweep_finish(w, &id), ADI_OK);
    assert_int_equal(adi_store_sweep_committed(w), 200);
    adi_store_sweep_free(w);
    adi_store_close(st);
    char *alone = db_dump(path);
    assert_string_equal(grouped, alone);
    free(grouped);
    free(alone);
    adi_scenario_free(sc);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(a_calibrated_scenario_reads_back_as_it_ran),
        cmocka_unit_test(refuses_what_it_cannot_use),
        cmocka_unit_test(a_point_stored_meanwhile_is_kept),
        cmocka_unit_test(a_store_closed_before_its_first_write_leaves_nothing),
        cmocka_unit_test(every_metric_reads_back_as_written),
        cmocka_unit_test(reads_agree_with_the_rows),
        cmocka_unit_test(an_older_database_is_brought_up_to_date),
        cmocka_unit_test(a_merge_brings_the_links),
        cmocka_unit_test(a_blob_holds_the_buckets),
        cmocka_unit_test(a_damaged_blob_is_refused),
        cmocka_unit_test(old_histogram_rows_are_converted),
        cmocka_unit_test(a_sweep_gathers_points_into_few_commits),
        cmocka_unit_test(beside_another_writer_a_sweep_does_not_wait_holding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
