/*
** tests/test_cli_calibrate.c — end to end: `calibrate --quick` on this
** machine writes a profile and the calibration tables, `simulate` runs a
** pool from that profile, and a malformed, newer or incomplete profile, or a
** bad option, exits 2 with a message naming file, line and key, having
** written nothing. No timing is asserted (that is bench/'s job). The shipped
** heterogeneous pool runs, marks its estimated devices, and shows pull far
** from and then close to the optimal makespan.
*/
#include "helpers.h"

#include "profile/profile.h"
#include "measure/record.h"
#include "core/error.h"

#include <sqlite3.h>

/* Runs "<bin>/<program> <args>" from the temporary directory. */
static int prog(const char *program, const char *args, char **out, char **err)
{
    return run_program_in(temp_dir(), NULL, program, args, out, err);
}

static void calibrate_then_simulate(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(prog("calibrate", "--device box-1 --quick --out box.ini --db cal.db", &out,
                          &err), 0);
    assert_non_null(strstr(out, "device box-1: "));
    assert_non_null(strstr(out, "conv   layer1 64->64 32x32, batch 64       1 "));
    assert_non_null(strstr(out, "x2     3x32x32, batch 32                  1 "));
    assert_non_null(strstr(out, " GFLOP/s "));
    assert_non_null(strstr(out, " GB/s "));
    assert_string_equal(err, "calibrate: wrote box.ini and stored it in cal.db\n");
    free(out);
    free(err);

    adi_profile *pf;
    if (adi_profile_load(path_in("box.ini"), &pf) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    assert_string_equal(pf->device, "box-1");
    assert_true(pf->cores >= 1 && strlen(pf->blas) > 3 && strlen(pf->compiler) > 3);
    const adi_kernel_profile *conv = pf->kernel[ADI_KERNEL_CONV], *x2 = pf->kernel[ADI_KERNEL_X2];
    assert_non_null(conv);
    assert_non_null(x2);
    /* --quick: 10 and 200 timed tasks, fewer (>= 3) where a task is slow */
    assert_true(conv->reps >= 3 && conv->reps <= 10 && conv->threads == 1 &&
                conv->nsamples == conv->reps && conv->warmup >= 1);
    assert_true(x2->reps >= 3 && x2->reps <= 200 && x2->nsamples == x2->reps);
    assert_true(conv->shape.batch == 64 && conv->shape.in_c == 64 && conv->shape.h == 32);
    assert_close(conv->work, 2.0 * 64 * 64 * 32 * 32 * 64 * 9, 1e-15);
    assert_close(x2->work, 8.0 * 32 * 3 * 32 * 32, 1e-15);
    assert_true(conv->stats.min > 0 && conv->stats.min <= conv->stats.p50 &&
                conv->stats.p50 <= conv->stats.max);
    assert_close(conv->rate, conv->work / conv->stats.mean / 1e9, 1e-12);

    /* the same in the database, in one go: 2 calibrations, every sample */
    assert_true(db_count("cal.db", "PRAGMA user_version") >= 2);
    assert_int_equal(db_count("cal.db", "SELECT count(*) FROM calibration"), 2);
    assert_int_equal(db_count("cal.db", "SELECT count(*) FROM calibration_sample"),
                     (long long)(conv->reps + x2->reps));
    assert_int_equal(db_count("cal.db", "SELECT count(*) FROM calibration_sample s JOIN calibration c"
                                        " ON s.calibration_id = c.id WHERE c.kernel = 'x2' AND"
                                        " s.copy = 0 AND s.rep = c.reps - 1"), 1);
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM calibration WHERE kernel = 'conv' AND gflops > 0"
             " AND gbps IS NULL AND batch = 64 AND reps = %zu AND device = 'box-1'", conv->reps);
    assert_int_equal(db_count("cal.db", sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM calibration WHERE profile_sha256 = '%s'"
             " AND shape IN ('layer1 64->64 32x32', '3x32x32')", pf->sha256);
    assert_int_equal(db_count("cal.db", sql), 2);

    /* a pool of that machine: its measured samples drive the simulation */
    write_file(path_in("pool.ini"), "[scenario]\nname = pool\nreplications = 3\n"
                                    "[devices]\nprofiles = box.ini x3, box.ini\n"
                                    "distribution = empirical\n[workload]\ntasks = 500\n"
                                    "[sweep]\npolicy = pull, sync\n");
    assert_int_equal(prog("simulate", "pool.ini --db r.db", &out, &err), 0);
    assert_non_null(strstr(out, "pull        4     inf"));
    assert_null(strstr(out, "FAIL"));
    free(out);
    free(err);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM point WHERE distribution = 'empirical' AND"
             " n_devices = 4 AND instr(key, '%s') > 0", pf->sha256);
    assert_int_equal(db_count("r.db", sql), 2);
    assert_int_equal(db_count("r.db", "SELECT count(*) FROM bound_check WHERE holds = 0"), 0);
    adi_profile_free(pf);

    /* and the model reads it too */
    assert_int_equal(prog("model", "pool.ini", &out, NULL), 0);
    assert_non_null(strstr(out, "scenario pool: 2 points"));
    free(out);
}

static void threads_shape_and_default_path(void **state)
{
    (void)state;
    char *err;
    assert_int_equal(prog("calibrate", "--device two --kernel x2 --quick --threads 2 --reps 20",
                          NULL, &err), 0);
    assert_string_equal(err, "calibrate: wrote profiles/two.ini\n");
    free(err);
    adi_profile *pf;
    assert_int_equal(adi_profile_load(path_in("profiles/two.ini"), &pf), ADI_OK);
    assert_null(pf->kernel[ADI_KERNEL_CONV]);
    assert_true(pf->kernel[ADI_KERNEL_X2]->threads == 2 && pf->kernel[ADI_KERNEL_X2]->nsamples == 40);
    adi_profile_free(pf);
    char *text = read_file(path_in("profiles/two.ini"));
    assert_non_null(strstr(text, "per copy, measured with several copies at once"));
    free(text);

    /* a pool that asks for the kernel the profile lacks */
    write_file(path_in("conv.ini"), "[scenario]\nname = c\n[devices]\nprofiles = profiles/two.ini\n"
                                    "[workload]\ntasks = 5\n");
    assert_int_equal(prog("simulate", "conv.ini --db c.db", NULL, &err), 2);
    assert_string_equal(err, "simulate: conv.ini:4: [devices] profiles: profiles/two.ini: no [conv] "
                             "section (it has [x2]); measure it with `calibrate --kernel conv`\n");
    assert_false(exists("c.db"));
    free(err);

    /* an odd custom shape, checked against the direct convolution */
    assert_int_equal(prog("calibrate", "--device odd --kernel conv --shape 5:7:9:11 --batch 3 "
                          "--reps 4 --quick --out odd.ini", NULL, NULL), 0);
    assert_int_equal(adi_profile_load(path_in("odd.ini"), &pf), ADI_OK);
    const adi_kernel_profile *kp = pf->kernel[ADI_KERNEL_CONV];
    assert_string_equal(kp->layer, "custom");
    assert_true(kp->shape.batch == 3 && kp->shape.in_c == 5 && kp->shape.out_c == 7 &&
                kp->shape.h == 9 && kp->shape.w == 11 && kp->nsamples == 4);
    adi_profile_free(pf);
}

/* --gemm plain: the probe build's GEMM in this build, said in the profile
** (so bin/execute runs that GEMM for it); --beside: the other device's task
** runs meanwhile on another core, and the profile's task line says so. */
static void a_slow_device_and_one_timed_beside_it(void **state)
{
    (void)state;
    char *err;
    assert_int_equal(prog("calibrate", "--device slow --kernel conv --shape stem --batch 4 "
                          "--gemm plain --quick --out slow.ini", NULL, NULL), 0);
    adi_profile *pf;
    assert_int_equal(adi_profile_load(path_in("slow.ini"), &pf), ADI_OK);
    assert_string_equal(pf->blas, "adi_gemm_plain (plain C, no BLAS)");
    assert_true(pf->kernel[ADI_KERNEL_CONV]->shape.batch == 4);
    /* its outputs are the plain GEMM's, bit for bit (a BLAS sums in another order) */
    adi_conv_shape stem = {4, 3, 64, 32, 32};
    char hex[17];
    assert_string_equal(pf->kernel[ADI_KERNEL_CONV]->checksum,
                        adi_format_hex64(reference_conv_checksum(&stem), hex));
    adi_profile_free(pf);

    assert_int_equal(prog("calibrate", "--device fast --kernel conv --shape stem --batch 8 "
                          "--quick --beside slow.ini --out fast.ini", NULL, &err), 0);
    /* the co-runner ran (some of its tasks overlap the warm-up and the timing) */
    const char *said = strstr(err, "calibrate: beside slow (slow.ini): it ran ");
    assert_non_null(said);
    assert_true(strtoul(said + strlen("calibrate: beside slow (slow.ini): it ran "), NULL, 10) >= 1);
    free(err);
    assert_int_equal(adi_profile_load(path_in("fast.ini"), &pf), ADI_OK);
    assert_string_not_equal(pf->blas, "adi_gemm_plain (plain C, no BLAS)");
    assert_non_null(strstr(pf->kernel[ADI_KERNEL_CONV]->task, "; timed beside slow's conv 3->64 "
                                                             "32x32 x4 (plain C GEMM) on another core"));
    assert_true(pf->kernel[ADI_KERNEL_CONV]->shape.batch == 8);
    adi_profile_free(pf);

    static const struct {
        const char *args, *message;
    } cases[] = {
        {"--device f --quick --beside slow.ini", "calibrate: --beside: measure one kernel at a time"},
        {"--device f --kernel x2 --quick --beside slow.ini",
         "calibrate: --beside: slow.ini: no [x2] section (it has [conv])"},
        {"--device f --kernel conv --quick --beside none.ini --db new.db",
         "calibrate: --beside: none.ini: cannot read"},
        {"--import none.record --db new.db", "calibrate: none.record: cannot read"},
        {"--device f --kernel conv --gemm fortran", "calibrate: --gemm: expected blas or plain"},
        {"--import slow.ini --beside slow.ini", "--gemm and --beside belong to a measurement"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = prog("calibrate", cases[i].args, NULL, &err);
        if (rc != 2 || !strstr(err, cases[i].message))
            fail_msg("calibrate %s: exit %d, \"%s\"; expected 2 and \"%s\"", cases[i].args, rc,
                     err, cases[i].message);
        free(err);
    }
    assert_false(exists("profiles/f.ini"));
    assert_false(exists("new.db")); /* bad input leaves no database behind */
}

/* Replaces the first "from" after "after" in the file with "to". */
static void edit_file(const char *src, const char *dst, const char *after, const char *from,
                      const char *to)
{
    char *text = read_file(path_in(src)), *out = malloc(strlen(text) + strlen(to) + 1);
    char *at = strstr(strstr(text, after), from);
    assert_non_null(at);
    size_t n = (size_t)(at - text);
    memcpy(out, text, n);
    strcpy(out + n, to);
    strcat(out, at + strlen(from));
    write_file(path_in(dst), out);
    free(text);
    free(out);
}

static int line_in(const char *file, const char *needle)
{
    char *text = read_file(path_in(file));
    char *at = strstr(text, needle);
    assert_non_null(at);
    int line = 1;
    for (char *c = text; c < at; c++)
        line += *c == '\n';
    free(text);
    return line;
}

/* --batch 1,2,4: x2 timed at three sizes, the task one image; the law is
** printed with the table, the profile holds it, and a pool of it simulates. */
static void batch_sizes(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(prog("calibrate", "--device b --kernel x2 --batch 1,2,4 --reps 3 --quick "
                          "--out b.ini", &out, &err), 0);
    assert_non_null(strstr(out, "x2     3x32x32, batch 1 "));
    assert_non_null(strstr(out, "\nx2     batch law over 1, 2, 4 images: "));
    assert_string_equal(err, "calibrate: wrote b.ini\n");
    free(out);
    free(err);
    adi_profile *pf;
    assert_int_equal(adi_profile_load(path_in("b.ini"), &pf), ADI_OK);
    const adi_kernel_profile *kp = pf->kernel[ADI_KERNEL_X2];
    assert_true(kp->shape.batch == 1 && kp->batch.n == 3 && kp->batch.size[1] == 2 &&
                kp->batch.size[2] == 4 && kp->nsamples == 3 && kp->batch.count[2] == 3);
    double t;
    assert_int_equal(adi_batch_time(&kp->batch, 4, &t), ADI_OK);
    assert_true(t > 0);
    adi_profile_free(pf);
    write_file(path_in("s.ini"), "[scenario]\nname = b\n[devices]\nprofiles = b.ini x2\n"
                                 "kernel = x2\n[workload]\ntasks = 20\n");
    assert_int_equal(prog("simulate", "s.ini --db r.db --quiet", NULL, NULL), 0);
}

static void bad_profiles_exit_2(void **state)
{
    (void)state;
    assert_int_equal(prog("calibrate", "--device d --kernel x2 --quick --out good.ini", NULL, NULL), 0);
    edit_file("good.ini", "bad.ini", "[x2]", "\nmean = ", "\nmean = fast\nmean_was = ");
    edit_file("good.ini", "newer.ini", "[profile]", "format = 4", "format = 5\n[gpu]");
    static const char pool[] = "[scenario]\nname = p\n[devices]\nprofiles = %s x2\nkernel = x2\n"
                               "[workload]\ntasks = 5\n";
    char text[256], *err, want[512];

    snprintf(text, sizeof text, pool, "bad.ini");
    write_file(path_in("s.ini"), text);
    assert_int_equal(prog("simulate", "s.ini --db r.db", NULL, &err), 2);
    snprintf(want, sizeof want, "simulate: s.ini:4: [devices] profiles: bad.ini:%d: [x2] mean: "
             "expected a time such as 50ms, 1.2s or 0.5, got 'fast'\n", line_in("bad.ini", "mean = fast"));
    assert_string_equal(err, want);
    free(err);

    snprintf(text, sizeof text, pool, "newer.ini");
    write_file(path_in("s.ini"), text);
    assert_int_equal(prog("simulate", "s.ini --db r.db", NULL, &err), 2);
    snprintf(want, sizeof want, "simulate: s.ini:4: [devices] profiles: newer.ini:%d: [profile] "
             "format: written by a newer adisim (format 5; this one reads up to 4)",
             line_in("newer.ini", "format = 5"));
    assert_non_null(strstr(err, want));
    free(err);

    snprintf(text, sizeof text, pool, "nothere.ini");
    write_file(path_in("s.ini"), text);
    assert_int_equal(prog("simulate", "s.ini --db r.db", NULL, &err), 2);
    assert_non_null(strstr(err, "simulate: s.ini:4: [devices] profiles: nothere.ini: cannot read"));
    free(err);
    assert_false(exists("r.db"));
}

static void bad_options_exit_2(void **state)
{
    (void)state;
    static const struct {
        const char *args, *message;
    } cases[] = {
        {"--quick", "calibrate: --device NAME is required"},
        {"--device 'my box' --quick", "--device: expected letters, digits"},
        {"--device d --kernel gemm", "calibrate: --kernel: expected conv, x2 or all"},
        {"--device d --reps 0", "calibrate: --reps: expected a whole number from 1 to"},
        {"--device d --reps 1", "calibrate: --reps: expected 2 to"},
        {"--device d --reps many", "calibrate: --reps: expected a whole number"},
        {"--device d --threads -1", "calibrate: --threads: expected a whole number"},
        {"--device d --shape layer9", "calibrate: --shape: expected a layer (stem (3->64, 32x32)"},
        {"--device d --shape 3:0:8", "calibrate: --shape: '3:0:8': channels and sizes must be"},
        {"--device d --kernel x2 --quick --out /nonexistent/dir/p.ini",
         "calibrate: /nonexistent/dir/p.ini: cannot write"},
        {"--device d --quick --db /nonexistent/dir/c.db",
         "calibrate: /nonexistent/dir/c.db: cannot open the database"},
        /* -d is --db here too (it was --device), -o --out */
        {"--device d --quick -d /nonexistent/dir/c.db",
         "calibrate: /nonexistent/dir/c.db: cannot open the database"},
        {"--device d --kernel x2 --quick -o /nonexistent/dir/p.ini",
         "calibrate: /nonexistent/dir/p.ini: cannot write"},
        {"--device d extra", "Usage: calibrate"},
        {"--frobnicate", "Usage: calibrate"},
        {"-k conv --device d", "Usage: calibrate"}, /* short options are only the uniform ones */
        {"--device d --batch 8,8", "calibrate: --batch: 8 is listed twice"},
        {"--device d --batch 0,8", "calibrate: --batch: expected an integer >= 1, got '0'"},
        {"--device d --batch 64,8", "calibrate: --batch: list the sizes in increasing order"},
        {"--device d --batch 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
         "calibrate: --batch: at most 16 batch sizes, got 17"},
        {"--device d --batch 1,70000", "calibrate: --batch: at most 65536 images, got 70000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err;
        int rc = prog("calibrate", cases[i].args, NULL, &err);
        if (rc != 2 || !strstr(err, cases[i].message))
            fail_msg("calibrate %s: exit %d, \"%s\"; expected 2 and \"%s\"", cases[i].args, rc,
                     err, cases[i].message);
        free(err);
    }
    assert_false(exists("profiles")); /* nothing written, not even the directory */
    char *out;
    assert_int_equal(prog("calibrate", "--help", &out, NULL), 0);
    assert_int_equal(strncmp(out, "Usage: calibrate --device NAME [OPTION]...\n"
                                  "  or:  calibrate --import RECORD [OPTION]...\n", 88), 0);
    assert_non_null(strstr(out, "      --reps N          timed tasks per copy"));
    free(out);
    assert_int_equal(prog("calibrate", "--version", &out, NULL), 0);
    assert_non_null(strstr(out, "calibrate (adisim) "));
    assert_non_null(strstr(out, ", BLAS "));
    free(out);
}

/* The optimal makespan of m identical tasks on devices with times t[0..n):
** the smallest C with sum floor(C / t_i) >= m (one of the k t_i). */
static double optimal_makespan(const double *t, int n, double m)
{
    double best = INFINITY;
    for (int i = 0; i < n; i++)
        for (double k = 1; k <= m; k++) {
            double c = k * t[i], done = 0;
            if (c >= best)
                break;
            for (int j = 0; j < n; j++)
                done += floor(c / t[j] * (1 + 1e-12));
            if (done >= m)
                best = c;
        }
    return best;
}

/* scenarios/heterogeneous.ini, the paper's three devices: it runs, every
** row and the table say which devices' times are estimates, and pull is
** far from the optimal makespan for a small batch (the Cortex-M4 takes a
** task it should not) and within 0.1 % of it for a large one. */
static void heterogeneous_pool(void **state)
{
    (void)state;
    char here[512], args[1400], *out, *err;
    assert_non_null(getcwd(here, sizeof here));
    snprintf(args, sizeof args, "'%s/scenarios/heterogeneous.ini' --db h.db --csv h.csv", here);
    assert_int_equal(prog("simulate", args, &out, &err), 0);
    assert_non_null(strstr(out, "est.: the times of raspberry_pi (estimated), cortex_m4 "
                                "(emulated) are estimates, not measurements"));
    size_t rows = 0;
    for (const char *c = out; (c = strstr(c, "  est.\n")); c++)
        rows++;
    assert_int_equal(rows, 20);
    free(out);
    free(err);

    const char *names[3] = {"mac_studio", "raspberry_pi", "cortex_m4"};
    double t[3];
    for (int i = 0; i < 3; i++) {
        char path[700];
        adi_profile *pf;
        snprintf(path, sizeof path, "%s/profiles/%s.ini", here, names[i]);
        assert_int_equal(adi_profile_load(path, &pf), ADI_OK);
        assert_int_equal(pf->source, i == 0 ? ADI_SOURCE_MEASURED
                                            : i == 1 ? ADI_SOURCE_ESTIMATED : ADI_SOURCE_EMULATED);
        t[i] = pf->kernel[ADI_KERNEL_X2]->stats.mean;
        adi_profile_free(pf);
    }
    /* makespans of the pull points (the first 5 rows: m = 10 .. 100000) */
    char *csv = read_file(path_in("h.csv"));
    assert_non_null(csv);
    const char *line = strchr(csv, '\n') + 1;
    for (int k = 0; k < 5; k++, line = strchr(line, '\n') + 1) {
        double m, makespan;
        const char *f = line;
        for (int col = 0; col < 7; col++)
            f = strchr(f, ',') + 1;
        m = atof(f);
        for (int col = 7; col < 12; col++)
            f = strchr(f, ',') + 1;
        makespan = atof(f);
        assert_true(strncmp(strchr(line, ',') + 1, "pull,", 5) == 0);
        double best = optimal_makespan(t, 3, m);
        assert_true(makespan >= best * (1 - 1e-9));
        if (m == 10) { /* the M4's one task is the makespan, 15x the optimum */
            assert_close(makespan, t[2], 1e-9);
            assert_true(makespan > 10 * best);
        }
        if (m == 100000)
            assert_true(makespan < 1.001 * best);
    }
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(calibrate_then_simulate, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(threads_shape_and_default_path, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(a_slow_device_and_one_timed_beside_it, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(batch_sizes, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(bad_profiles_exit_2, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(bad_options_exit_2, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(heterogeneous_pool, temp_dir_setup, temp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
