/*
** tests/test_mpi.c — a sweep over 1, 2 and 3 MPI ranks stores exactly what
** one process stores. Runs the MPI build named by $ADISIM_MPI_BIN (make
** check builds it); without it the test says so and is skipped.
*/
#include "helpers.h"

static const char *scenario =
    "[scenario]\nname = spread\nreplications = 3\n[devices]\nmean_time = 20ms\n"
    "distribution = gamma\ncv = 0.5\n[workload]\ntasks = 3000\n"
    "[sweep]\npolicy = pull, sync, static\ndevices = 2, 5\nheterogeneity = 0, 0.5, 1.5\n";

static void same_database_for_any_rank_count(void **state)
{
    (void)state;
    const char *mpi_bin = getenv("ADISIM_MPI_BIN");
    if (!mpi_bin || !*mpi_bin || system("command -v mpirun >/dev/null 2>&1") != 0) {
        print_message("no MPI build given ($ADISIM_MPI_BIN) or no mpirun: skipped\n");
        skip();
    }
    char *dir = make_temp_dir(), cmd[2048], here[1024], path[700], bin[1200];
    assert_non_null(getcwd(here, sizeof here));
    snprintf(bin, sizeof bin, "%s%s%s", mpi_bin[0] == '/' ? "" : here, mpi_bin[0] == '/' ? "" : "/",
             mpi_bin);
    snprintf(path, sizeof path, "%s/s.ini", dir);
    write_file(path, scenario);
    /* The reference: the plain (non-MPI) program. */
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/%s/simulate' s.ini --db ref.db --quiet", dir,
             bin_dir()[0] == '/' ? "" : here, bin_dir());
    if (bin_dir()[0] == '/')
        snprintf(cmd, sizeof cmd, "cd '%s' && '%s/simulate' s.ini --db ref.db --quiet", dir, bin_dir());
    assert_int_equal(run_command(cmd, NULL, NULL), 0);
    snprintf(path, sizeof path, "%s/ref.db", dir);
    char *ref = db_dump(path);
    for (int ranks = 1; ranks <= 3; ranks++) {
        /* Root may run MPI only when told so; --oversubscribe: 3 ranks on 2 cores. */
        snprintf(cmd, sizeof cmd, "cd '%s' && mpirun --oversubscribe %s -np %d '%s/simulate' "
                 "s.ini --db r%d.db --jobs 1 --quiet", dir,
                 geteuid() == 0 ? "--allow-run-as-root" : "", ranks, bin, ranks);
        char *err;
        int rc = run_command(cmd, NULL, &err);
        if (rc != 0)
            fail_msg("%d ranks: exit %d: %s", ranks, rc, err);
        free(err);
        snprintf(path, sizeof path, "%s/r%d.db", dir, ranks);
        char *got = db_dump(path);
        assert_string_equal(got, ref);
        free(got);
    }
    free(ref);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_database_for_any_rank_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
