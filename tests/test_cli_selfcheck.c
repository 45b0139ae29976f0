/*
** tests/test_cli_selfcheck.c — the self-check scenarios (scenarios/selfcheck/,
** docs/reliability-oracles.md) as a user runs them: `bin/simulate` on each
** exits 0, every bound check holds, and each kind of check is made exactly
** as often as the model says it applies, so a check that silently stops
** being made (or a file that stops being run) fails here.
**
** The counts are per file, summed over points and replications; where each
** comes from is written beside it (points = policies x Q x m or rate).
*/
#include "helpers.h"

#include <glob.h>

typedef struct selfcheck {
    const char *file;   /* under scenarios/selfcheck/ */
    const char *checks; /* "bound kind count" for every kind, by bound */
} selfcheck;

static const selfcheck files[] = {
    /* 4 policies x Q (inf, 1, 3) x m (7, 50), one run each. Every point:
    ** throughput_le_R, makespan_ge_lower, littles_law, utilization_law (24).
    ** Pull (6): greedy, C*, sync rounds; pull and serial: work conserving
    ** (12); serial: m T (6); static with Q = inf (2); sync with Q >= n (4). */
    {"batch_block.ini",
     "littles_law exact 24, makespan_eq_serial exact 6, makespan_eq_static exact 2, "
     "makespan_eq_sync exact 4, makespan_ge_lower exact 24, makespan_ge_optimal exact 6, "
     "makespan_le_greedy exact 6, makespan_le_sync_rounds exact 6, pull_work_conserving exact 12, "
     "throughput_le_R exact 24, utilization_law exact 24"},
    /* The same with Q (1, 3, 20) and drop: every point counts what it
    ** accepted (24); static's formula applies to every drop point (6). */
    {"batch_drop.ini",
     "drop_accepts_room exact 24, littles_law exact 24, makespan_eq_serial exact 6, "
     "makespan_eq_static exact 6, makespan_eq_sync exact 4, makespan_ge_lower exact 24, "
     "makespan_ge_optimal exact 6, makespan_le_greedy exact 6, makespan_le_sync_rounds exact 6, "
     "pull_work_conserving exact 12, throughput_le_R exact 24, utilization_law exact 24"},
    /* 4 policies x Q (inf, 3), 4 replications: 32 runs. The ci checks are
    ** stored with every run: Wald's two for all (32), serial's, sync's and
    ** pull's own for theirs (8 each). */
    {"batch_random_block.ini",
     "littles_law exact 32, makespan_eq_serial ci 8, makespan_eq_sync ci 8, "
     "makespan_ge_lower ci 32, makespan_le_sync_rounds ci 8, pull_work_conserving exact 16, "
     "throughput_le_R_realized exact 32, utilization_law ci 32"},
    /* Q (3, 300) with drop: with Q = 3 only 6 tasks (serial 4) run, too few
    ** for the Wald-based intervals, which are made for Q = 300 only (16;
    ** serial's 4); sync's and pull's t intervals for both (8 each). */
    {"batch_random_drop.ini",
     "drop_accepts_room exact 32, littles_law exact 32, makespan_eq_serial ci 4, "
     "makespan_eq_sync ci 8, makespan_ge_lower ci 16, makespan_le_sync_rounds ci 8, "
     "pull_work_conserving exact 16, throughput_le_R_realized exact 32, utilization_law ci 16"},
    /* A producer with a cost: no makespan formula, the laws only (12 runs). */
    {"batch_cost_block.ini",
     "littles_law exact 12, makespan_ge_lower exact 12, throughput_le_R exact 12, "
     "utilization_law exact 12"},
    /* 4 policies x Q (1, 3), 3 replications. */
    {"batch_cost_drop.ini",
     "littles_law exact 24, makespan_ge_lower ci 24, throughput_le_R_realized exact 24, "
     "utilization_law ci 24"},
    /* 4 policies x Q (inf, 3) x rate (50, 90), 4 replications: 64 runs.
    ** Exact queueing results for pull (M/M/3) and serial (M/M/1) with
    ** Q = inf (16); identical devices and block: the offered utilization. */
    {"poisson_block.ini",
     "littles_law exact 64, makespan_ge_lower ci 64, queue_in_system ci 16, "
     "queue_response ci 16, queue_utilization ci 16, throughput_le_R_realized exact 64, "
     "utilization_law ci 64, utilization_offered ci 64"},
    /* Q (2, 5) x rate (100, 150) with drop: the pull CTMC and serial's
    ** M/M/1/K at every Q (32), losses expected >= 10 everywhere. */
    {"poisson_drop.ini",
     "littles_law exact 64, makespan_ge_lower ci 64, queue_block ci 32, queue_in_system ci 32, "
     "queue_response ci 32, queue_utilization ci 32, throughput_le_R_realized exact 64, "
     "utilization_law ci 64"},
    /* Deterministic devices, a producer with a cost (no exact queueing
    ** result): the laws and the offered utilization, 4 x 2 x 4 runs. */
    {"poisson_cost_block.ini",
     "littles_law exact 32, makespan_ge_lower exact 32, throughput_le_R exact 32, "
     "utilization_law exact 32, utilization_offered ci 32"},
    {"poisson_cost_drop.ini",
     "littles_law exact 32, makespan_ge_lower ci 32, throughput_le_R_realized exact 32, "
     "utilization_law ci 32"},
};

enum { NFILES = sizeof files / sizeof files[0] };

/* The checks of scenario `name` in db, as in files[].checks. */
static char *checks_of(const char *db, const char *name)
{
    sqlite3 *d;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(d,
        "SELECT group_concat(x, ', ') FROM (SELECT b.bound || ' ' || b.kind || ' ' || count(*) AS x"
        " FROM bound_check b JOIN run r ON r.id = b.run_id JOIN scenario s ON s.id = r.scenario_id"
        " WHERE s.name = ?1 GROUP BY b.bound, b.kind ORDER BY b.bound, b.kind)", -1, &s, NULL),
        SQLITE_OK);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const char *v = (const char *)sqlite3_column_text(s, 0);
    char *out = strdup(v ? v : "");
    sqlite3_finalize(s);
    sqlite3_close(d);
    return out;
}

static void every_check_holds_and_is_made(void **state)
{
    (void)state;
    char here[512], args[900], name[128];
    assert_non_null(getcwd(here, sizeof here));
    for (size_t i = 0; i < NFILES; i++) {
        char *out, *err;
        snprintf(args, sizeof args, "'%s/scenarios/selfcheck/%s' --db selfcheck.db", here,
                 files[i].file);
        int rc = run_program_in(temp_dir(), NULL, "simulate", args, &out, &err);
        if (rc != 0 || strstr(out, "FAIL"))
            fail_msg("%s: exit %d\n%s%s", files[i].file, rc, out, err);
        assert_non_null(strstr(err, " 0 failed"));
        free(out);
        free(err);
        snprintf(name, sizeof name, "selfcheck.%.*s", (int)(strlen(files[i].file) - 4),
                 files[i].file);
        char *got = checks_of(path_in("selfcheck.db"), name);
        if (strcmp(got, files[i].checks) != 0)
            fail_msg("%s: expected checks\n  %s\ngot\n  %s", files[i].file, files[i].checks, got);
        free(got);
    }
    assert_int_equal(db_count("selfcheck.db", "SELECT count(*) FROM scenario"), NFILES);
    assert_int_equal(db_count("selfcheck.db", "SELECT count(*) FROM bound_check WHERE holds = 0"), 0);
    /* every policy ran under every workload and overflow mode */
    assert_int_equal(db_count("selfcheck.db", "SELECT count(*) FROM (SELECT DISTINCT p.policy,"
                              " p.workload, p.overflow FROM point p)"), 4 * 2 * 2);
}

/* Every file of the folder is in the table above, so none is left unrun. */
static void no_file_is_left_out(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("scenarios/selfcheck/*.ini", 0, NULL, &g), 0);
    assert_int_equal(g.gl_pathc, NFILES);
    for (size_t k = 0; k < g.gl_pathc; k++) {
        const char *base = strrchr(g.gl_pathv[k], '/') + 1;
        size_t i = 0;
        while (i < NFILES && strcmp(files[i].file, base) != 0)
            i++;
        if (i == NFILES)
            fail_msg("%s is not in tests/test_cli_selfcheck.c", g.gl_pathv[k]);
    }
    globfree(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_check_holds_and_is_made, temp_dir_setup,
                                        temp_dir_teardown),
        cmocka_unit_test(no_file_is_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
