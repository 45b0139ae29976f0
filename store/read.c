/*
** store/read.c — every query that reads results back (read.h), the
** stored scenarios' profiles included.
**
** Each query is prepared on first use and kept with the connection
** (store_int.h: st->read), reset before and after each use so that a
** reader on a writer's connection holds no snapshot between calls. A
** point's runs are read with the SELECT that store/columns.h makes, into
** the adi_run_result fields of the same names, so a metric added there is
** read back without a line here.
*/
#include "store/read.h"
#include "core/error.h"
#include "store/columns.h"
#include "store/histogram.h"
#include "store/store_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The columns every check query returns, in this order (read_check). */
#define CHECK_COLUMNS                                                                              \
    "c.bound, c.kind, c.holds, c.predicted, c.observed, c.tolerance, c.ci_lo, c.ci_hi,"            \
    " c.confidence"

static const char *const queries[RD_COUNT] = {
    [RD_NAMES] = "SELECT DISTINCT name FROM scenario ORDER BY name",
    [RD_SCENARIO] = "SELECT id, name, path, ini_text, created_at FROM scenario"
                    " WHERE name = coalesce(?, name) ORDER BY id DESC LIMIT 1",
    [RD_PROFILES] = "SELECT name, sha256, text FROM scenario_profile WHERE scenario_id = ?"
                    " ORDER BY rowid",
    [RD_RUNS] = "SELECT replication" RUN_COLUMN_NAMES " FROM run WHERE point_id = ?"
                " ORDER BY replication",
    [RD_COUNT_CHECKS] = "SELECT count(*), coalesce(sum(holds = 0), 0) FROM bound_check"
                        " JOIN run ON run.id = bound_check.run_id WHERE run.point_id = ?",
    /* An interval check carries the same verdict on every run of a point:
    ** one row (and, min() being there, the other columns of its first run). */
    [RD_FAILED] = "SELECT min(r.replication), " CHECK_COLUMNS
                  " FROM bound_check c JOIN run r ON r.id = c.run_id"
                  " WHERE r.point_id = ? AND c.holds = 0"
                  " GROUP BY c.bound, CASE WHEN c.kind = 'ci' THEN -1 ELSE r.replication END"
                  " ORDER BY min(r.replication), c.bound",
    [RD_FIRST_CHECKS] = "SELECT r.replication, " CHECK_COLUMNS
                        " FROM bound_check c JOIN run r ON r.id = c.run_id"
                        " WHERE c.run_id = (SELECT min(id) FROM run WHERE point_id = ?)"
                        " ORDER BY c.bound",
    [RD_DEVICES] = "SELECT d.device, r.replication, d.mean_time, d.tasks_done, d.busy_time,"
                   " d.idle_time, coalesce(d.transfer_time, 0),"
                   " coalesce(d.wait_time, d.idle_time) FROM run_device d"
                   " JOIN run r ON r.id = d.run_id"
                   " WHERE r.point_id = ? ORDER BY d.device, r.replication",
    [RD_DEVICE_TOTALS] = "SELECT d.device, sum(d.busy_time), sum(d.tasks_done)"
                         " FROM run_device d JOIN run r ON r.id = d.run_id"
                         " WHERE r.point_id = ? GROUP BY d.device",
    [RD_HIST] = "SELECT zero, total, buckets FROM latency_hist WHERE point_id = ? AND kind = ?",
};

static int read_error(adi_store *st)
{
    return store_db_error(st, "cannot read the results");
}

/* Query `id`, prepared if need be and reset; NULL with the message set. */
static sqlite3_stmt *query(adi_store *st, int id)
{
    if (!st->read[id] && sqlite3_prepare_v3(st->db, queries[id], -1, SQLITE_PREPARE_PERSISTENT,
                                            &st->read[id], NULL) != SQLITE_OK) {
        read_error(st);
        return NULL;
    }
    sqlite3_reset(st->read[id]);
    sqlite3_clear_bindings(st->read[id]);
    return st->read[id];
}

/* After the last sqlite3_step: ADI_OK when it ended the rows. */
static int done(adi_store *st, sqlite3_stmt *s, int step, int rc)
{
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = read_error(st);
    sqlite3_reset(s);
    return rc;
}

/* Fills one element (zeroed, of the array's size) from the row s is on;
** ADI_OK or ADI_ENOMEM. */
typedef int (*row_fn)(sqlite3_stmt *s, void *row);

/* Every row of query `id`, its parameters bound to key and (when not NULL)
** text, as an array of elem-byte elements (malloc'ed) that fill makes, *n
** of them. On failure the array holds the *n elements made so far, for the
** caller's _free, and *rc says why. */
static void *rows(adi_store *st, int id, int64_t key, const char *text, size_t elem, row_fn fill,
                  size_t *n, int *rc)
{
    *n = 0;
    sqlite3_stmt *s = query(st, id);
    if (!s) {
        *rc = ADI_EIO;
        return NULL;
    }
    if (sqlite3_bind_parameter_count(s) >= 1)
        sqlite3_bind_int64(s, 1, key);
    if (text)
        sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
    unsigned char *array = NULL;
    size_t cap = 0;
    int step;
    *rc = ADI_OK;
    while (*rc == ADI_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t want = cap ? 2 * cap : 16;
            unsigned char *grown = realloc(array, want * elem);
            if (!grown) {
                *rc = adi_fail(ADI_ENOMEM, "out of memory");
                break;
            }
            array = grown;
            cap = want;
        }
        memset(array + *n * elem, 0, elem);
        *rc = fill(s, array + *n * elem);
        ++*n; /* made, or partly: the caller's _free frees it */
    }
    *rc = done(st, s, step, *rc);
    return array;
}

/* A copy of text column c (NULL stays NULL); *rc = ADI_ENOMEM on failure. */
static char *text_column(sqlite3_stmt *s, int c, int *rc)
{
    const char *t = (const char *)sqlite3_column_text(s, c);
    char *copy = t ? strdup(t) : NULL;
    if (t && !copy && *rc == ADI_OK)
        *rc = adi_fail(ADI_ENOMEM, "out of memory");
    return copy;
}

static double real_column(sqlite3_stmt *s, int c)
{
    return sqlite3_column_type(s, c) == SQLITE_NULL ? NAN : sqlite3_column_double(s, c);
}

/* ---- scenarios --------------------------------------------------------------- */

static int name_row(sqlite3_stmt *s, void *row)
{
    int rc = ADI_OK;
    *(char **)row = text_column(s, 0, &rc);
    return rc;
}

int adi_store_read_names(adi_store *st, adi_store_names *out)
{
    int rc;
    out->name = rows(st, RD_NAMES, 0, NULL, sizeof *out->name, name_row, &out->n, &rc);
    if (rc != ADI_OK)
        adi_store_names_free(out);
    return rc;
}

void adi_store_names_free(adi_store_names *names)
{
    if (!names)
        return;
    for (size_t i = 0; i < names->n; i++)
        free(names->name[i]);
    free(names->name);
    memset(names, 0, sizeof *names);
}

int adi_store_read_scenario(adi_store *st, const char *name, adi_stored_scenario *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = query(st, RD_SCENARIO);
    if (!s)
        return ADI_EIO;
    if (name)
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int rc = ADI_OK, step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        out->name = text_column(s, 1, &rc);
        out->path = text_column(s, 2, &rc);
        out->ini_text = text_column(s, 3, &rc);
        out->created_at = text_column(s, 4, &rc);
        step = sqlite3_step(s);
    }
    rc = done(st, s, step, rc);
    if (rc != ADI_OK)
        adi_stored_scenario_free(out);
    return rc;
}

void adi_stored_scenario_free(adi_stored_scenario *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->path);
    free(s->ini_text);
    free(s->created_at);
    memset(s, 0, sizeof *s);
}

typedef struct profile_row {
    char *name, *sha256, *text;
} profile_row;

static int profile_fill(sqlite3_stmt *s, void *row)
{
    profile_row *p = row;
    int rc = ADI_OK;
    p->name = text_column(s, 0, &rc);
    p->sha256 = text_column(s, 1, &rc);
    p->text = text_column(s, 2, &rc);
    return rc;
}

int adi_store_parse_scenario(adi_store *st, int64_t id, const char *path, const char *text,
                             adi_scenario **out)
{
    *out = NULL;
    size_t n;
    int rc;
    profile_row *own = rows(st, RD_PROFILES, id, NULL, sizeof *own, profile_fill, &n, &rc);
    adi_scenario_file *files = rc == ADI_OK ? calloc(n ? n : 1, sizeof *files) : NULL;
    if (rc == ADI_OK && !files)
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    if (rc == ADI_OK) {
        for (size_t i = 0; i < n; i++)
            files[i] = (adi_scenario_file){own[i].name, own[i].sha256, own[i].text};
        rc = adi_scenario_parse_stored(path, text, files, n, out);
    }
    free(files);
    for (size_t i = 0; i < n; i++) {
        free(own[i].name);
        free(own[i].sha256);
        free(own[i].text);
    }
    free(own);
    return rc;
}

/* ---- runs -------------------------------------------------------------------- */

/* The readings of store/columns.h's bindings; ss: the row has a
** steady-state window (its ss_window is not NULL). */
static double get_REAL(sqlite3_stmt *s, int c, int ss)
{
    (void)ss;
    return real_column(s, c);
}

static uint64_t get_COUNT(sqlite3_stmt *s, int c, int ss)
{
    (void)ss;
    return (uint64_t)sqlite3_column_int64(s, c);
}

static double get_SS_REAL(sqlite3_stmt *s, int c, int ss)
{
    return ss ? real_column(s, c) : 0;
}

static uint64_t get_SS_COUNT(sqlite3_stmt *s, int c, int ss)
{
    return ss ? (uint64_t)sqlite3_column_int64(s, c) : 0;
}

static int run_row(sqlite3_stmt *s, void *row)
{
    adi_run_result *r = row;
    /* column 0 is the replication, the metrics follow in list order */
    int c = 1, ss = sqlite3_column_type(s, 1 + RUN_COL_ss_window) != SQLITE_NULL;
#define RUN_GET_(name, declaration, version, binding) r->name = get_##binding(s, c++, ss);
    ADI_RUN_COLUMNS(RUN_GET_)
#undef RUN_GET_
    return ADI_OK;
}

int adi_store_read_runs(adi_store *st, int64_t point_id, adi_stored_runs *out)
{
    int rc;
    out->run = rows(st, RD_RUNS, point_id, NULL, sizeof *out->run, run_row, &out->n, &rc);
    if (rc != ADI_OK)
        adi_stored_runs_free(out);
    return rc;
}

void adi_stored_runs_free(adi_stored_runs *runs)
{
    if (!runs)
        return;
    free(runs->run); /* the results own nothing: no devices, no histograms */
    memset(runs, 0, sizeof *runs);
}

/* ---- checks ------------------------------------------------------------------ */

int adi_store_count_checks(adi_store *st, int64_t point_id, size_t *checks, size_t *failed)
{
    *checks = *failed = 0;
    sqlite3_stmt *s = query(st, RD_COUNT_CHECKS);
    if (!s)
        return ADI_EIO;
    sqlite3_bind_int64(s, 1, point_id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *checks = (size_t)sqlite3_column_int64(s, 0);
        *failed = (size_t)sqlite3_column_int64(s, 1);
        step = sqlite3_step(s);
    }
    return done(st, s, step, ADI_OK);
}

/* A row of RD_FAILED or RD_FIRST_CHECKS: the replication, then CHECK_COLUMNS. */
static int check_row(sqlite3_stmt *s, void *row)
{
    int rc = ADI_OK;
    const char *kind = (const char *)sqlite3_column_text(s, 2);
    *(adi_stored_check *)row = (adi_stored_check){
        .replication = (uint64_t)sqlite3_column_int64(s, 0),
        .bound = text_column(s, 1, &rc),
        .is_ci = kind && strcmp(kind, "ci") == 0,
        .holds = sqlite3_column_int(s, 3) != 0,
        .predicted = real_column(s, 4),
        .observed = real_column(s, 5),
        .tolerance = real_column(s, 6),
        .ci_lo = real_column(s, 7),
        .ci_hi = real_column(s, 8),
        .confidence = real_column(s, 9),
    };
    return rc;
}

static int read_checks(adi_store *st, int id, int64_t point_id, adi_stored_checks *out)
{
    int rc;
    out->c = rows(st, id, point_id, NULL, sizeof *out->c, check_row, &out->n, &rc);
    if (rc != ADI_OK)
        adi_stored_checks_free(out);
    return rc;
}

int adi_store_read_failed_checks(adi_store *st, int64_t point_id, adi_stored_checks *out)
{
    return read_checks(st, RD_FAILED, point_id, out);
}

int adi_store_read_first_checks(adi_store *st, int64_t point_id, adi_stored_checks *out)
{
    return read_checks(st, RD_FIRST_CHECKS, point_id, out);
}

void adi_stored_checks_free(adi_stored_checks *checks)
{
    if (!checks)
        return;
    for (size_t i = 0; i < checks->n; i++)
        free(checks->c[i].bound);
    free(checks->c);
    memset(checks, 0, sizeof *checks);
}

/* ---- devices and histograms ------------------------------------------------- */

static int device_row(sqlite3_stmt *s, void *row)
{
    *(adi_stored_device *)row = (adi_stored_device){
        .device = (size_t)sqlite3_column_int64(s, 0),
        .replication = (uint64_t)sqlite3_column_int64(s, 1),
        .r = {.mean_time = sqlite3_column_double(s, 2),
              .tasks = (uint64_t)sqlite3_column_int64(s, 3),
              .busy = sqlite3_column_double(s, 4),
              .idle = sqlite3_column_double(s, 5),
              .transfer = sqlite3_column_double(s, 6),
              .wait = sqlite3_column_double(s, 7)},
    };
    return ADI_OK;
}

static int device_total_row(sqlite3_stmt *s, void *row)
{
    *(adi_stored_device *)row = (adi_stored_device){
        .device = (size_t)sqlite3_column_int64(s, 0),
        .r = {.busy = sqlite3_column_double(s, 1), .tasks = (uint64_t)sqlite3_column_int64(s, 2)},
    };
    return ADI_OK;
}

static int read_devices(adi_store *st, int id, int64_t point_id, row_fn fill,
                        adi_stored_devices *out)
{
    int rc;
    out->d = rows(st, id, point_id, NULL, sizeof *out->d, fill, &out->n, &rc);
    if (rc != ADI_OK)
        adi_stored_devices_free(out);
    return rc;
}

int adi_store_read_devices(adi_store *st, int64_t point_id, adi_stored_devices *out)
{
    return read_devices(st, RD_DEVICES, point_id, device_row, out);
}

int adi_store_read_device_totals(adi_store *st, int64_t point_id, adi_stored_devices *out)
{
    return read_devices(st, RD_DEVICE_TOTALS, point_id, device_total_row, out);
}

void adi_stored_devices_free(adi_stored_devices *devices)
{
    if (!devices)
        return;
    free(devices->d);
    memset(devices, 0, sizeof *devices);
}

/* The buckets of a stored row (store/histogram.h) into out: the zeros
** first, as bucket -1 with edges 0, 0. ADI_OK, ADI_EIO (*why: how the row
** is damaged) or ADI_ENOMEM. */
static int decode_hist(const unsigned char *data, size_t size, sqlite3_int64 zero,
                       sqlite3_int64 total, adi_stored_hist *out, const char **why)
{
    store_blob_cursor c;
    *why = "a negative count";
    if (zero < 0 || total < 0)
        return ADI_EIO;
    *why = "more zeros than its total";
    if (store_blob_open(&c, data, size, (uint64_t)zero, (uint64_t)total) != 0)
        return ADI_EIO;
    /* a bucket takes two bytes at least */
    if (!(out->b = malloc((size / 2 + 1) * sizeof *out->b)))
        return adi_fail(ADI_ENOMEM, "out of memory");
    if (zero)
        out->b[out->n++] = (adi_stored_bucket){-1, 0, 0, (uint64_t)zero};
    int64_t index;
    uint64_t count;
    int more;
    while ((more = store_blob_next(&c, &index, &count, why)) == 1)
        out->b[out->n++] = (adi_stored_bucket){index, store_bucket_lo(index),
                                                store_bucket_lo(index + 1), count};
    return more == 0 ? ADI_OK : ADI_EIO;
}

int adi_store_read_hist(adi_store *st, int64_t point_id, const char *kind, adi_stored_hist *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = query(st, RD_HIST);
    if (!s)
        return ADI_EIO;
    sqlite3_bind_int64(s, 1, point_id);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    int rc = ADI_OK, step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        static const unsigned char none[1];
        const unsigned char *data = sqlite3_column_blob(s, 2);
        const char *why;
        rc = decode_hist(data ? data : none, (size_t)sqlite3_column_bytes(s, 2),
                         sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), out, &why);
        if (rc == ADI_EIO)
            rc = adi_fail(ADI_EIO, "%s: point %lld's latency histogram (%s) is damaged: %s",
                          st->path, (long long)point_id, kind, why);
        step = rc == ADI_OK ? sqlite3_step(s) : SQLITE_DONE;
    }
    rc = done(st, s, step, rc);
    if (rc != ADI_OK)
        adi_stored_hist_free(out);
    return rc;
}

void adi_stored_hist_free(adi_stored_hist *hist)
{
    if (!hist)
        return;
    free(hist->b);
    memset(hist, 0, sizeof *hist);
}
