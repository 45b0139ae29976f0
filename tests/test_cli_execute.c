/*
** tests/test_cli_execute.c — `bin/execute` end to end: a quick x2 profile
** from bin/calibrate, a scenario that uses it, the points executed for real
** and compared with their simulation; a rerun measures nothing again; an
** uncalibrated scenario is refused.
*/
#include "helpers.h"

static int prog(const char *program, const char *args, char **out, char **err)
{
    return run_program_in(temp_dir(), NULL, program, args, out, err);
}

static void execute_end_to_end(void **state)
{
    (void)state;
    assert_int_equal(temp_dir_setup(NULL), 0);
    assert_int_equal(prog("calibrate", "--device tiny --kernel x2 --batch 2 --quick --quiet "
                                       "--out tiny.ini", NULL, NULL), 0);
    char path[700];
    snprintf(path, sizeof path, "%s/ex.ini", temp_dir());
    write_file(path, "[scenario]\nname = ex\nreplications = 2\n[devices]\n"
                     "profiles = tiny.ini x1\nkernel = x2\ndistribution = empirical\n"
                     "[workload]\ntasks = 40\n[sweep]\npolicy = pull, serial\n");
    char *out, *err;
    assert_int_equal(prog("execute", "ex.ini --db r.db", &out, &err), 0);
    assert_non_null(strstr(out, "makespan measured (95% CI)"));
    assert_non_null(strstr(out, "pull "));
    assert_non_null(strstr(out, "serial "));
    assert_non_null(strstr(err, "executed 2 points / 4 runs"));
    free(out);
    free(err);
    assert_int_equal(prog("execute", "ex.ini -d r.db --replications 3", &out, &err), 0);
    assert_non_null(strstr(err, "executed 0 points / 0 runs"));
    assert_non_null(strstr(err, "(2 measured before)"));
    free(out);
    free(err);
    snprintf(path, sizeof path, "%s/plain.ini", temp_dir());
    write_file(path, "[scenario]\nname = plain\n[devices]\ncount = 1\nmean_time = 1\n"
                     "[workload]\ntasks = 5\n");
    assert_int_equal(prog("execute", "plain.ini --db r.db", NULL, &err), 2);
    assert_non_null(strstr(err, "execute: the scenario's pool is not calibrated"));
    free(err);
    /* a policy the executor cannot run says why, and nothing is written */
    snprintf(path, sizeof path, "%s/open.ini", temp_dir());
    write_file(path, "[scenario]\nname = open\npolicy = jsq\n[devices]\nprofiles = tiny.ini x1\n"
                     "kernel = x2\n[workload]\nkind = poisson\nrate = 1000\ntasks = 40\n");
    assert_int_equal(prog("execute", "open.ini --db open.db", NULL, &err), 2);
    assert_non_null(strstr(err, "execute: no point of open.ini can be executed here (point 0, "
                                "jsq: only batch workloads with a free producer are executed)"));
    free(err);
    snprintf(path, sizeof path, "%s/open.db", temp_dir());
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(prog("execute", "ex.ini --replications 0", NULL, &err), 2);
    assert_non_null(strstr(err, "execute: --replications: expected a whole number from 1 to 1000, "
                                "got '0'"));
    free(err);
    /* --reps is calibrate's (timed tasks per copy), not an abbreviation here */
    assert_int_equal(prog("execute", "ex.ini --reps 3", NULL, &err), 2);
    assert_non_null(strstr(err, "Usage: execute"));
    free(err);
    assert_int_equal(prog("execute", "--help", &out, NULL), 0);
    assert_int_equal(strncmp(out, "Usage: execute", 14), 0);
    free(out);
    temp_dir_teardown(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(execute_end_to_end)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
