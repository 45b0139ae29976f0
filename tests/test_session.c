/*
** tests/test_session.c — calibrate/session.h: options that do not go
** together are refused before anything is measured or written; a record is
** imported into a profile and its database rows; a measurement writes the
** default file profiles/NAME.ini; --beside runs the co-runner meanwhile;
** --batch B1,B2,... is read strictly, measured size by size, and carried
** by a record into the profile's batch law.
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

/* --batch B1,B2,...: the list is read strictly; each further size is
** measured after the task's own and the profile holds their law; a record
** (the probe build's) carries them to --import. */
static void batch_sizes(void **state)
{
    (void)state;
    static const struct {
        const char *text, *message;
    } bad[] = {
        {"8,8", "--batch: 8 is listed twice"},
        {"1,8,4", "--batch: list the sizes in increasing order (the first is the task), got 4 "
                  "after 8"},
        {"0", "--batch: expected an integer >= 1, got '0'"},
        {"1,0", "--batch: expected an integer >= 1, got '0'"},
        {"65537", "--batch: at most 65536 images, got 65537"},
        {"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", "--batch: at most 16 batch sizes, got 17"},
        {"1,,2", "--batch: "},
        {"", "--batch: "},
    };
    size_t sizes[ADI_CALIBRATE_MAX_BATCHES], n;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = adi_calibrate_parse_batches(bad[i].text, sizes, &n);
        if (rc != ADI_EINPUT || !strstr(adi_errmsg(), bad[i].message) || n != 0)
            fail_msg("'%s': %d \"%s\"; expected \"%s\"", bad[i].text, rc, adi_errmsg(),
                     bad[i].message);
    }
    assert_int_equal(adi_calibrate_parse_batches("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", sizes,
                                                 &n), ADI_OK);
    assert_int_equal(n, 16);
    assert_int_equal(adi_calibrate_parse_batches(" 64 ", sizes, &n), ADI_OK);
    assert_true(n == 1 && sizes[0] == 64);

    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(temp_dir()), 0);
    const size_t more[] = {2, 4};
    /* the further sizes must be above the task's (x2's default is 32) */
    adi_calibrate_options m = {.device = "b", .kernels = 1u << ADI_KERNEL_X2, .batches = more,
                               .nbatches = 2, .reps = 3, .quick = 1};
    adi_record *rec;
    assert_int_equal(adi_calibrate_run(&m, &rec), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "--batch: the further sizes must be above the task's "
                        "batch (32 images for x2), got 2");
    m.batch = 1;
    assert_int_equal(adi_calibrate_run(&m, &rec), ADI_OK);
    const adi_record_kernel *rk = rec->kernel[ADI_KERNEL_X2];
    assert_true(rk->shape.batch == 1 && rk->nbatches == 2 && rk->batches[0].batch == 2 &&
                rk->batches[1].batch == 4 && rk->batches[1].reps == 3 &&
                rk->batches[1].checked > 0 && rk->batches[1].counts[2] > 0);
    assert_int_equal(adi_record_save(rec, "b.record"), ADI_OK);
    adi_record_free(rec);
    adi_session_options o = {.import = "b.record", .out = "b.ini"};
    adi_session_result r;
    assert_int_equal(adi_session_run(&o, NULL, &r), ADI_OK);
    adi_profile *pf;
    assert_int_equal(adi_profile_load("b.ini", &pf), ADI_OK);
    const adi_batch_law *law = &pf->kernel[ADI_KERNEL_X2]->batch;
    assert_true(law->n == 3 && law->size[0] == 1 && law->size[2] == 4 && law->count[2] == 3);
    adi_profile_free(pf);

    /* measured in the session, with a kernel each and all */
    o = (adi_session_options){.device = "c", .batch = 1, .batches = more, .nbatches = 2,
                              .reps = 3, .quick = 1, .kernel = "x2", .out = "c.ini"};
    char *table = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&table, &size);
    assert_int_equal(adi_session_run(&o, f, &r), ADI_OK);
    fclose(f);
    assert_non_null(strstr(table, "\nx2     batch law over 1, 2, 4 images: "));
    free(table);
    o.import = "b.record";
    o.device = NULL;
    o.kernel = NULL;
    o.reps = 0;
    o.quick = 0;
    o.batch = 0;
    assert_int_equal(adi_session_run(&o, NULL, &r), ADI_EINPUT);
    assert_non_null(strstr(adi_errmsg(), "--import makes a profile from a record"));
    assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(refusals, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(import_measure_beside, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(batch_sizes, temp_dir_setup, temp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
