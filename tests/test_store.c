/*
** tests/test_store.c — the results database: a point written and read back,
** the schema version, the files it must refuse, a calibrated scenario read
** back as it ran after its profile changed or went away, two writers of the
** same point, and a new file that appears only with its first result.
*/
#include "helpers.h"

#include "core/error.h"
#include "store/read.h"
#include "store/store.h"
#include "store/store_int.h" /* adi_store_db: the rows themselves */
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
    assert_int_equal(scalar(db, "SELECT sum(count) FROM latency_hist WHERE kind = 'enqueue'"
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
    return rc;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(a_calibrated_scenario_reads_back_as_it_ran),
        cmocka_unit_test(refuses_what_it_cannot_use),
        cmocka_unit_test(a_point_stored_meanwhile_is_kept),
        cmocka_unit_test(a_store_closed_before_its_first_write_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
