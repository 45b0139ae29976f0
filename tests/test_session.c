/*
** tests/test_session.c — calibrate/session.h: options that do not go
** together are refused before anything is measured or written; a record is
** imported into a profile and its database rows; a measurement writes the
** default file profiles/NAME.ini; --beside runs the co-runner meanwhile.
*/
#include "helpers.h"

#include "calibrate/session.h"
#include "measure/record_file.h"

#include <sys/stat.h>

static void refusals(void **state)
{
    (void)state;
    static const struct {
        adi_session_options o;
        const char *message;
    } cases[] = {
        {{.device = "d", .kernel = "gemm"}, "--kernel: expected conv, x2 or all"},
        {{.device = "d", .gemm = "fortran"}, "--gemm: expected blas or plain"},
        {{.import = "r.record", .quick = 1}, "--import makes a profile from a record"},
        {{.import = "r.record", .threads = 2}, "--import makes a profile from a record"},
        {{.device = "d", .cpi = 1.5}, "--cpi and --clock convert a record's counts"},
        {{.quick = 1}, "--device NAME is required"},
        {{.device = "d", .beside = "p.ini"}, "--beside: measure one kernel at a time"},
        {{.device = "d", .kernel = "all", .beside = "p.ini"}, "--beside: measure one kernel"},
        {{.device = "d", .kernel = "x2", .beside = "/nonexistent/p.ini"}, "--beside: "},
        {{.import = "/nonexistent/r.record"}, "/nonexistent/r.record"},
        {{.device = "d", .db = "/nonexistent/dir/c.db"}, "cannot open the database"},
        {{.device = "d", .port = "6000"}, "--port and --sessions go with --serve"},
        {{.serve = 1, .device = "d"}, "--serve answers other devices' --link"},
        {{.serve = 1, .quick = 1}, "--serve answers other devices' --link"},
        {{.import = "r.record", .link = "h"}, "--link measures this machine's link"},
        {{.device = "d", .link = "h:99999"}, "expected HOST[:PORT]"},
    };
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(temp_dir()), 0); /* where profiles/ would be made */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        adi_session_result r;
        int rc = adi_session_run(&cases[i].o, NULL, &r);
        if (rc == ADI_OK || !strstr(adi_errmsg(), cases[i].message))
            fail_msg("case %zu: %d \"%s\"; expected \"%s\"", i, rc, adi_errmsg(),
                     cases[i].message);
    }
    assert_false(exists("profiles")); /* nothing written, not even the directory */
    assert_int_equal(chdir(cwd), 0);
}

static void import_measure_beside(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(temp_dir()), 0); /* profiles/NAME.ini is relative */

    /* a record, as a probe build writes it */
    adi_calibrate_options m = {.device = "probe1", .kernels = 1u << ADI_KERNEL_X2, .batch = 1,
                               .reps = 3, .quick = 1};
    adi_record *rec;
    assert_int_equal(adi_calibrate_run(&m, &rec), ADI_OK);
    assert_int_equal(adi_record_save(rec, "p.record"), ADI_OK);
    adi_record_free(rec);

    char *table = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&table, &size);
    adi_session_options o = {.import = "p.record", .db = "c.db", .note = "a note"};
    adi_session_result r;
    assert_int_equal(adi_session_run(&o, f, &r), ADI_OK);
    fclose(f);
    assert_string_equal(r.out, "profiles/probe1.ini"); /* the record's device */
    assert_int_equal(r.record, 0);
    assert_int_equal(r.estimated, 0);
    assert_string_equal(r.beside, "");
    assert_non_null(strstr(table, "x2"));
    free(table);
    assert_true(exists("profiles/probe1.ini"));
    assert_true(db_count("c.db", "SELECT count(*) FROM calibration WHERE device = 'probe1'") >= 1);

    /* measured here, then again beside the first one's task */
    adi_session_options me = {.device = "here", .kernel = "x2", .batch = 1, .reps = 3,
                              .quick = 1, .out = "here.ini"};
    assert_int_equal(adi_session_run(&me, NULL, &r), ADI_OK);
    assert_string_equal(r.out, "here.ini");
    assert_true(exists("here.ini"));
    me.beside = "profiles/probe1.ini";
    me.out = "beside.ini";
    assert_int_equal(adi_session_run(&me, NULL, &r), ADI_OK);
    assert_string_equal(r.beside, "probe1");
    assert_true(r.beside_tasks > 0);
    char *text = read_file(path_in("beside.ini"));
    assert_non_null(strstr(text, "timed beside probe1's x2 x1 on another core"));
    free(text);
    assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(refusals, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(import_measure_beside, temp_dir_setup, temp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
