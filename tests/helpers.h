/*
** tests/helpers.h — what several test files need: cmocka's headers in the
** right order, temporary directories, running a program and capturing its
** output, and a floating-point comparison with a stated tolerance.
*/
#ifndef ADI_TESTS_HELPERS_H
#define ADI_TESTS_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "profile/import.h"
#include "kernels/kernels.h"
#include "core/error.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* |a - b| <= rel * max(|a|, |b|) (or both zero). */
#define assert_close(a, b, rel)                                                       \
    do {                                                                              \
        double a_ = (a), b_ = (b);                                                    \
        if (!(fabs(a_ - b_) <= (rel) * fmax(fabs(a_), fabs(b_)))) {                   \
            print_error("%s = %.17g and %s = %.17g differ by more than %g (relative)\n", \
                        #a, a_, #b, b_, (double)(rel));                               \
            _fail(__FILE__, __LINE__);                                                \
        }                                                                             \
    } while (0)

/* A fresh directory under $TMPDIR (or /tmp); the caller removes it with
** remove_tree(). Returns a malloc'ed path. */
static inline char *make_temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char *dir = malloc(512);
    snprintf(dir, 512, "%s/adisim-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

static inline void remove_tree(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(dir);
}

static inline void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Reads a whole file (malloc'ed, NUL-terminated), or NULL. */
static inline char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* Runs a shell command with stdout and stderr captured into *out / *err
** (malloc'ed; pass NULL to discard). Returns the exit status, or -1. */
static inline int run_command(const char *cmd, char **out, char **err)
{
    char *dir = make_temp_dir();
    char o[600], e[600], full[4096];
    snprintf(o, sizeof o, "%s/out", dir);
    snprintf(e, sizeof e, "%s/err", dir);
    snprintf(full, sizeof full, "%s >'%s' 2>'%s'", cmd, o, e);
    int status = system(full);
    if (out)
        *out = read_file(o);
    if (err)
        *err = read_file(e);
    remove_tree(dir);
    return status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status);
}

/* The checksums (kernels/kernels.h) of calibrate's self-check task as this
** x86-64 build of the kernels computes it: x2 on `batch` CIFAR images, and
** conv of shape s with the plain GEMM (the GEMM the other targets use). The
** inputs are calibrate's (seed 1; weights seed 2, scale 0.1). */
static inline uint64_t reference_x2_checksum(size_t batch)
{
    size_t n = batch * 3 * 32 * 32;
    float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    adi_kernel_fill(x, n, 1, 1);
    adi_x2(x, y, n);
    uint64_t sum = adi_checksum(0, 0, y, n);
    free(x);
    free(y);
    return sum;
}

static inline uint64_t reference_conv_checksum(const adi_conv_shape *s)
{
    float *in = malloc(adi_conv_input_len(s) * sizeof(float)),
          *w = malloc(adi_conv_weight_len(s) * sizeof(float)),
          *out = malloc(adi_conv_output_len(s) * sizeof(float)),
          *col = malloc(adi_conv_col_len(s) * sizeof(float));
    adi_kernel_fill(in, adi_conv_input_len(s), 1, 1);
    adi_kernel_fill(w, adi_conv_weight_len(s), 2, 0.1f);
    assert_int_equal(adi_conv_forward(s, in, w, out, col, adi_gemm_plain, NULL), 0);
    uint64_t sum = adi_checksum(0, 0, out, adi_conv_output_len(s));
    free(in);
    free(w);
    free(out);
    free(col);
    return sum;
}

/* The directory of the programs under test ($ADISIM_BIN, default bin). */
static inline const char *bin_dir(void)
{
    const char *b = getenv("ADISIM_BIN");
    return b && *b ? b : "bin";
}

/* A test file's temporary folder: temp_dir_setup and temp_dir_teardown are
** cmocka fixtures that make it before a test and remove it after (fixtures
** that do more call them first and last); temp_dir() is the folder, and
** path_in(name) a file in it (one of 8 rotating buffers, so several can be
** used in one call). */
static inline char **temp_dir_slot(void)
{
    static char *dir;
    return &dir;
}

static inline const char *temp_dir(void) { return *temp_dir_slot(); }

static inline int temp_dir_setup(void **state)
{
    (void)state;
    return (*temp_dir_slot() = make_temp_dir()) ? 0 : -1;
}

static inline int temp_dir_teardown(void **state)
{
    (void)state;
    remove_tree(*temp_dir_slot());
    *temp_dir_slot() = NULL;
    return 0;
}

static inline char *path_in(const char *name)
{
    static char p[8][700];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", temp_dir(), name);
    return p[k];
}

/* The first column of the first row of a query on the database `name` in the
** temporary folder. */
static inline long long db_count(const char *name, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open_v2(path_in(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* A file of that name exists in the temporary folder. */
static inline int exists(const char *name) { return access(path_in(name), F_OK) == 0; }

/* The measurement record `name` in the temporary folder (the test fails if
** it cannot be read); free it with adi_record_free. */
static inline adi_record *load_record(const char *name)
{
    adi_record *r;
    if (adi_record_load(path_in(name), &r) != ADI_OK)
        fail_msg("%s", adi_errmsg());
    return r;
}

/* Runs "[env] <bin>/<program> <args>" with `where` as the working folder
** (a relative bin_dir() is taken from the test's own working folder);
** captures output as run_command does (*out, *err NULL when it cannot run). */
static inline int run_program_in(const char *where, const char *env, const char *program,
                                 const char *args, char **out, char **err)
{
    char cmd[2048], here[1024], bin[1100];
    const char *b = bin_dir();
    if (out)
        *out = NULL;
    if (err)
        *err = NULL;
    if (b[0] == '/')
        snprintf(bin, sizeof bin, "%s", b);
    else if (getcwd(here, sizeof here))
        snprintf(bin, sizeof bin, "%s/%s", here, b);
    else
        return -1;
    snprintf(cmd, sizeof cmd, "cd '%s' && %s '%s/%s' %s", where, env ? env : "", bin, program,
             args);
    return run_command(cmd, out, err);
}

/* Every stored result as text, in a fixed order, without wall-clock times. */
static inline char *db_dump(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const char *const queries[] = {
        "SELECT * FROM point ORDER BY id",
        "SELECT id, point_id, policy, n_devices, queue_capacity, heterogeneity, tasks, replication,"
        " seed, quote(makespan), quote(throughput), quote(lat_mean), quote(lat_p50), quote(lat_p95),"
        " quote(lat_p99), quote(lat_max), quote(latc_mean), quote(latc_max), quote(utilization),"
        " quote(idle_time), quote(blocked_time), completed, dropped, max_queue, quote(in_system)"
        " FROM run ORDER BY id",
        "SELECT run_id, device, quote(mean_time), tasks_done, quote(busy_time), quote(idle_time)"
        " FROM run_device ORDER BY run_id, device",
        "SELECT run_id, bound, kind, quote(predicted), quote(observed), holds, quote(ci_lo),"
        " quote(ci_hi), quote(confidence) FROM bound_check ORDER BY run_id, bound",
        "SELECT point_id, kind, zero, total, hex(buckets) FROM latency_hist"
        " ORDER BY point_id, kind",
        "SELECT * FROM scenario_profile ORDER BY scenario_id, rowid",
    };
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        sqlite3_stmt *s;
        assert_int_equal(sqlite3_prepare_v2(db, queries[q], -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const char *v = (const char *)sqlite3_column_text(s, c);
                size_t need = strlen(v ? v : "NULL") + 2;
                while (len + need >= cap)
                    out = realloc(out, cap *= 2);
                len += (size_t)sprintf(out + len, "%s|", v ? v : "NULL");
            }
            out[len++] = '\n';
        }
        sqlite3_finalize(s);
    }
    out[len] = '\0';
    sqlite3_close(db);
    return out;
}

#endif
