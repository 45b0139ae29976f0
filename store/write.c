/*
** store/write.c — writes: scenario rows, the per-point transaction,
** measured points, calibrations (store.h). The file itself, its schema and
** its creation are open.c's and schema.c's, reading back read.c's. A run's
** metrics are written as columns.h lists them: its INSERT and its binding
** come from that list.
**
** Statements are prepared once per connection and reused: a sweep of
** thousands of points writes tens of thousands of rows (a run, its devices
** and checks; a point's histograms are one row a kind, store/histogram.h),
** and preparing each time would cost more than the inserts.
**
** A sweep's points share transactions: each commit writes its pages to the
** WAL, and the ablation's 135 points in a transaction each made 7 415
** writes; gathered over 0.1 s they make about 1 900 (adi_store_sweep_point
** says how a point stays whole and how long a transaction may stay open).
**
** Every write is one BEGIN IMMEDIATE transaction that first looks at what
** another process may have stored meanwhile: a point already there is
** linked, not stored twice, so any number of processes can write the same
** database, even the same scenario, and none fails because another won.
** On a new database the first write also publishes the file (open.c); if
** another process created it first, the write is made again in theirs.
*/
#include "store/store_int.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/units.h"
#include "store/columns.h"
#include "store/histogram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const statements[ST_COUNT] = {
    [ST_RUN] = "INSERT INTO run (scenario_id, point_id, policy, workload, n_devices,"
               " queue_capacity, heterogeneity, tasks, replication" RUN_COLUMN_NAMES ", source)"
               " VALUES (?,?,?,?,?,?,?,?,?" RUN_COLUMN_PARAMS ",?)",
    [ST_DEVICE] = "INSERT INTO run_device (run_id, device, mean_time, tasks_done, busy_time,"
                  " idle_time, transfer_time, wait_time) VALUES (?,?,?,?,?,?,?,?)",
    [ST_CHECK] = "INSERT INTO bound_check VALUES (?,?,?,?,?,?,?,?,?,?)",
    [ST_HIST] = "INSERT INTO latency_hist (point_id, kind, zero, total, buckets)"
                " VALUES (?,?,?,?,?)",
    [ST_POINT] = "INSERT INTO point (scenario_name, key, policy, workload, n_devices,"
                 " queue_capacity, heterogeneity, mean_time, tasks, rate, submit_cost,"
                 " distribution, cv, overflow, replications, seed, serial_device, ci_level,"
                 " warmup, source, twin, host) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_LINK] = "INSERT OR IGNORE INTO scenario_point VALUES (?,?,?)",
    [ST_FIND] = "SELECT id FROM point WHERE scenario_name = ? AND key = ?",
    [ST_VERSION] = "PRAGMA data_version",
};

/* The prepared statement `id` of write.c, prepared now if it was not
** (readers look points up too); NULL with the message set on failure. */
static sqlite3_stmt *statement(adi_store *st, int id)
{
    if (!st->stmt[id] && sqlite3_prepare_v3(st->db, statements[id], -1,
                                            SQLITE_PREPARE_PERSISTENT, &st->stmt[id],
                                            NULL) != SQLITE_OK) {
        store_db_error(st, "cannot prepare a statement");
        return NULL;
    }
    return st->stmt[id];
}

int store_prepare(adi_store *st)
{
    for (int i = 0; i < ST_COUNT; i++)
        if (!statement(st, i))
            return ADI_EIO;
    return ADI_OK;
}

void store_unprepare(adi_store *st)
{
    for (int i = 0; i < ST_COUNT; i++) {
        sqlite3_finalize(st->stmt[i]);
        st->stmt[i] = NULL;
    }
    for (int i = 0; i < RD_COUNT; i++) {
        sqlite3_finalize(st->read[i]);
        st->read[i] = NULL;
    }
}

/* A write on a new database publishes it (open.c); when it had to be
** dropped for the one another process created meanwhile, the write is made
** again there. */
typedef int (*write_fn)(adi_store *st, const void *arg);

static int write_published(adi_store *st, write_fn write, const void *arg)
{
    int redo = 0, rc = write(st, arg);
    if (rc == ADI_OK)
        rc = store_publish(st, &redo);
    return rc == ADI_OK && redo ? write(st, arg) : rc;
}

static int begin(adi_store *st)
{
    return store_exec(st, "BEGIN IMMEDIATE", "cannot start a transaction");
}

/* Commits when rc is ADI_OK, else rolls back; returns the outcome. */
static int end(adi_store *st, int rc)
{
    if (rc == ADI_OK)
        rc = store_exec(st, "COMMIT", "cannot commit");
    if (rc != ADI_OK)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* The profiles scenario `id` read, once (a scenario row's identity includes
** their SHA-256s, so the rows never change). */
static int store_scenario_files(adi_store *st, const adi_scenario *sc, int64_t id)
{
    size_t n = adi_scenario_nfiles(sc);
    if (!n)
        return ADI_OK;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO scenario_profile (scenario_id, name,"
                           " sha256, text) VALUES (?,?,?,?)", -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, "cannot record the scenario's profiles");
    int rc = ADI_OK;
    for (size_t j = 0; j < n && rc == ADI_OK; j++) {
        adi_scenario_file f = adi_scenario_file_at(sc, j);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, f.name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, f.sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, f.text, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = store_db_error(st, "cannot record the scenario's profiles");
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    return rc;
}

/* Finds or inserts the row for sc's text (within the caller's transaction). */
static int record_scenario(adi_store *st, const adi_scenario *sc, int64_t *id)
{
    sqlite3_stmt *s;
    const char *sql = "INSERT INTO scenario (name, path, ini_text, ini_sha256) VALUES (?,?,?,?)"
                      " ON CONFLICT (name, ini_sha256) DO UPDATE SET path = excluded.path"
                      " RETURNING id";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, "cannot record the scenario");
    sqlite3_bind_text(s, 1, adi_scenario_name(sc), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, adi_scenario_source(sc), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, adi_scenario_text(sc), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, adi_scenario_sha256(sc), -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    rc = rc == SQLITE_ROW && sqlite3_step(s) == SQLITE_DONE ? ADI_OK : ADI_EIO;
    sqlite3_finalize(s);
    if (rc != ADI_OK)
        return store_db_error(st, "cannot record the scenario");
    return store_scenario_files(st, sc, *id);
}

typedef struct scenario_write {
    const adi_scenario *sc;
    int64_t *id;
} scenario_write;

static int scenario_fn(adi_store *st, const void *arg)
{
    const scenario_write *w = arg;
    int rc = begin(st);
    return rc == ADI_OK ? end(st, record_scenario(st, w->sc, w->id)) : rc;
}

int adi_store_scenario(adi_store *st, const adi_scenario *sc, int64_t *id)
{
    scenario_write w = {sc, id};
    return write_published(st, scenario_fn, &w);
}

/* *point_id = the point stored under this name and key, or 0. */
static int find_key(adi_store *st, const char *scenario_name, const char *key, int64_t *point_id)
{
    sqlite3_stmt *s = statement(st, ST_FIND);
    if (!s)
        return ADI_EIO;
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, scenario_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *point_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ADI_OK
                                                 : store_db_error(st, "cannot look up a point");
}

int adi_store_find_point(adi_store *st, const char *scenario_name, const adi_point *p,
                         int64_t *point_id)
{
    return find_key(st, scenario_name, p->key, point_id);
}

int adi_store_link_point(adi_store *st, int64_t scenario_id, int64_t point_id, size_t position)
{
    sqlite3_stmt *s = st->stmt[ST_LINK];
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, scenario_id);
    sqlite3_bind_int64(s, 2, point_id);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)position);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ADI_OK : store_db_error(st, "cannot link a point to its scenario");
}

/* ---- the per-point transaction --------------------------------------------- */

static void bind_real(sqlite3_stmt *s, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_double(s, i, v);
}

/* The bindings of columns.h; ss: the run has a steady-state window. */
static void bind_REAL(sqlite3_stmt *s, int i, double v, int ss)
{
    (void)ss;
    bind_real(s, i, v);
}

static void bind_COUNT(sqlite3_stmt *s, int i, uint64_t v, int ss)
{
    (void)ss;
    sqlite3_bind_int64(s, i, (sqlite3_int64)v);
}

static void bind_SS_REAL(sqlite3_stmt *s, int i, double v, int ss)
{
    if (ss)
        bind_real(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static void bind_SS_COUNT(sqlite3_stmt *s, int i, uint64_t v, int ss)
{
    if (ss)
        sqlite3_bind_int64(s, i, (sqlite3_int64)v);
    else
        sqlite3_bind_null(s, i);
}

static void bind_capacity(sqlite3_stmt *s, int i, uint64_t capacity)
{
    if (capacity == ADI_CAPACITY_INF)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int64(s, i, (sqlite3_int64)capacity);
}

static int step_done(adi_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ADI_OK : store_db_error(st, what);
}

/* Where a point's runs come from: simulated (key = the point's key), or
** measured on a host, under its own key and linked to its simulated twin. */
typedef struct provenance {
    const char *source; /* "simulated" or "measured" */
    const char *key;
    int64_t twin;       /* 0: none */
    const char *host;   /* NULL for simulated points */
} provenance;

static int write_point_row(adi_store *st, const char *name, const adi_point_result *pr,
                           const provenance *prov, int64_t *id)
{
    const adi_point *p = pr->point;
    sqlite3_stmt *s = st->stmt[ST_POINT];
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, prov->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, adi_policy_name(p->policy), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, adi_workload_name(p->workload), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, (sqlite3_int64)p->n_devices);
    bind_capacity(s, 6, p->capacity);
    sqlite3_bind_double(s, 7, p->heterogeneity);
    sqlite3_bind_double(s, 8, p->mean_time);
    sqlite3_bind_int64(s, 9, (sqlite3_int64)p->tasks);
    bind_real(s, 10, p->workload->open ? p->rate : NAN);
    sqlite3_bind_double(s, 11, p->submit_cost);
    sqlite3_bind_text(s, 12, adi_dist_name(p->dist), -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 13, p->cv);
    sqlite3_bind_text(s, 14, adi_overflow_name(p->overflow), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 15, (sqlite3_int64)p->replications);
    sqlite3_bind_int64(s, 16, (sqlite3_int64)p->seed);
    if (p->policy->devices == ADI_DEVICES_ONE)
        sqlite3_bind_int64(s, 17, (sqlite3_int64)p->serial_device);
    else
        sqlite3_bind_null(s, 17);
    sqlite3_bind_double(s, 18, pr->ci_level);
    if (p->workload->open)
        sqlite3_bind_int64(s, 19, (sqlite3_int64)p->warmup);
    else
        sqlite3_bind_null(s, 19);
    sqlite3_bind_text(s, 20, prov->source, -1, SQLITE_STATIC);
    if (prov->twin)
        sqlite3_bind_int64(s, 21, prov->twin);
    else
        sqlite3_bind_null(s, 21);
    if (prov->host)
        sqlite3_bind_text(s, 22, prov->host, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 22);
    int rc = step_done(st, s, "cannot store a point");
    *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

static int write_run(adi_store *st, int64_t scenario_id, int64_t point_id,
                     const adi_point_result *pr, size_t rep, const provenance *prov)
{
    const adi_point *p = pr->point;
    const adi_run_result *r = &pr->runs[rep];
    sqlite3_stmt *s = st->stmt[ST_RUN];
    int i = 1;
    sqlite3_bind_int64(s, i++, scenario_id);
    sqlite3_bind_int64(s, i++, point_id);
    sqlite3_bind_text(s, i++, adi_policy_name(p->policy), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, adi_workload_name(p->workload), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, i++, (sqlite3_int64)p->n_devices);
    bind_capacity(s, i++, p->capacity);
    sqlite3_bind_double(s, i++, p->heterogeneity);
    sqlite3_bind_int64(s, i++, (sqlite3_int64)p->tasks);
    sqlite3_bind_int64(s, i++, (sqlite3_int64)rep);
    int ss = r->ss_window > 0; /* a steady-state window: SS_ columns are set */
#define RUN_BIND_(name, declaration, version, binding) bind_##binding(s, i++, r->name, ss);
    ADI_RUN_COLUMNS(RUN_BIND_)
#undef RUN_BIND_
    sqlite3_bind_text(s, i++, prov->source, -1, SQLITE_STATIC);
    int rc = step_done(st, s, "cannot store a run");
    if (rc != ADI_OK)
        return rc;
    int64_t run_id = sqlite3_last_insert_rowid(st->db);

    /* Device numbers are positions in the point's pool (a serial run's one
    ** device keeps its pool index). */
    size_t first = adi_point_first_device(p);
    s = st->stmt[ST_DEVICE];
    for (size_t d = 0; d < r->n_devices && rc == ADI_OK; d++) {
        const adi_device_result *dev = &r->device[d];
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)(first + d));
        sqlite3_bind_double(s, 3, dev->mean_time);
        sqlite3_bind_int64(s, 4, (sqlite3_int64)dev->tasks);
        sqlite3_bind_double(s, 5, dev->busy);
        sqlite3_bind_double(s, 6, dev->idle);
        sqlite3_bind_double(s, 7, dev->transfer);
        sqlite3_bind_double(s, 8, dev->wait);
        rc = step_done(st, s, "cannot store a device");
    }
    s = st->stmt[ST_CHECK];
    const adi_run_checks *checks = pr->checks ? &pr->checks[rep] : NULL;
    for (size_t c = 0; checks && c < checks->n && rc == ADI_OK; c++) {
        const adi_check *k = &checks->c[c];
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_text(s, 2, k->bound, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, k->is_ci ? "ci" : "exact", -1, SQLITE_STATIC);
        bind_real(s, 4, k->predicted);
        bind_real(s, 5, k->observed);
        sqlite3_bind_int(s, 6, k->holds ? 1 : 0);
        bind_real(s, 7, k->tolerance);
        bind_real(s, 8, k->ci_lo);
        bind_real(s, 9, k->ci_hi);
        bind_real(s, 10, k->confidence);
        rc = step_done(st, s, "cannot store a check");
    }
    return rc;
}

/* h as one row (store/histogram.h); an empty histogram has none. */
static int write_hist(adi_store *st, int64_t point_id, const char *kind, const adi_hist *h)
{
    if (!h->n)
        return ADI_OK;
    store_blob b;
    if (store_blob_of_hist(h, &b) != 0)
        return adi_fail(ADI_ENOMEM, "out of memory");
    sqlite3_stmt *s = st->stmt[ST_HIST];
    sqlite3_bind_int64(s, 1, point_id);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)b.zero);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)b.total);
    sqlite3_bind_blob(s, 5, b.data ? (const void *)b.data : "", (int)b.size, SQLITE_STATIC);
    int rc = step_done(st, s, "cannot store a histogram");
    store_blob_free(&b);
    return rc;
}

static int write_hists(adi_store *st, int64_t point_id, const adi_point_result *pr)
{
    adi_hist lat, latc;
    adi_hist_init(&lat);
    adi_hist_init(&latc);
    int rc = ADI_OK;
    for (size_t r = 0; r < pr->nruns && rc == ADI_OK; r++)
        if (adi_hist_merge(&lat, &pr->runs[r].lat) != 0 ||
            adi_hist_merge(&latc, &pr->runs[r].latc) != 0)
            rc = adi_fail(ADI_ENOMEM, "out of memory");
    if (rc == ADI_OK)
        rc = write_hist(st, point_id, "enqueue", &lat);
    if (rc == ADI_OK)
        rc = write_hist(st, point_id, "created", &latc);
    adi_hist_free(&lat);
    adi_hist_free(&latc);
    return rc;
}

/* A point, its runs and histograms, inside the caller's transaction; linked
** to the scenario row when link is set. *already = 1 when the point (its
** name and key) is stored already, by another process since this one
** looked: that one is kept (and linked). */
static int write_point(adi_store *st, int64_t scenario_id, const char *scenario_name,
                       const adi_point_result *pr, const provenance *prov, int link,
                       int *already)
{
    int64_t point_id = 0;
    int rc = find_key(st, scenario_name, prov->key, &point_id);
    *already = rc == ADI_OK && point_id;
    if (rc == ADI_OK && !point_id) {
        rc = write_point_row(st, scenario_name, pr, prov, &point_id);
        for (size_t r = 0; r < pr->nruns && rc == ADI_OK; r++)
            rc = write_run(st, scenario_id, point_id, pr, r, prov);
        if (rc == ADI_OK)
            rc = write_hists(st, point_id, pr);
    }
    if (rc == ADI_OK && link)
        rc = adi_store_link_point(st, scenario_id, point_id, pr->point->index);
    return rc;
}

/* ---- a sweep's writer ---------------------------------------------------------- */

/* How long a sweep's transaction may gather points (s). Each point's rows
** are whole in it, so a kill loses at most this much of finished work (the
** rerun makes it again, with the same bits).
**
** Alone on its database, a sweep keeps its transaction open while it waits
** for the next point, until GROUP_S after it began. Beside another writer
** it does not: SQLite's busy wait gives the lock to whoever retries in a
** moment when it is free, and a writer holding it through its waits would
** leave the other only the instants between two of its transactions. So
** once another connection has committed since this writer's last look
** (PRAGMA data_version, read as each transaction begins), the transaction
** ends whenever the sweep would wait, as one per point did before: it
** gathers only the points that are ready one after another. */
#define GROUP_S 0.1

struct adi_store_sweep {
    adi_store *st;
    const adi_scenario *sc;
    int64_t *stored;     /* by sweep position: the point's id when begun, or 0 */
    int64_t scenario_id; /* 0 until recorded */
    unsigned connection; /* st->connection it was recorded on */
    int open;            /* a transaction of points is open */
    double began;        /* s (adi_clock_s): when it began */
    int64_t scenario_before; /* scenario_id when it began: what a rollback restores */
    size_t gathered;     /* points written in it */
    size_t committed;    /* points committed in all */
    int64_t version;     /* PRAGMA data_version when the last one began */
    unsigned versioned;  /* st->connection that version was read on (0: none) */
    int shared;          /* another connection has written: no waiting while open */
};

/* Within a transaction just begun: whether another connection committed
** since the last one (sets w->shared, for the rest of the sweep). */
static int look_for_writers(adi_store_sweep *w)
{
    sqlite3_stmt *s = statement(w->st, ST_VERSION);
    if (!s)
        return ADI_EIO;
    int rc = sqlite3_step(s);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return store_db_error(w->st, "cannot read the database");
    if (w->versioned == w->st->connection && v != w->version)
        w->shared = 1;
    w->version = v;
    w->versioned = w->st->connection;
    return ADI_OK;
}

int adi_store_sweep_begin(adi_store *st, const adi_scenario *sc, unsigned char *skip,
                          size_t *stored, adi_store_sweep **out)
{
    *out = NULL;
    *stored = 0;
    size_t n = adi_scenario_npoints(sc);
    adi_store_sweep *w = calloc(1, sizeof *w);
    if (!w || !(w->stored = calloc(n ? n : 1, sizeof *w->stored))) {
        free(w);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    w->st = st;
    w->sc = sc;
    int rc = ADI_OK;
    for (size_t i = 0; i < n && rc == ADI_OK; i++) {
        const adi_point *p = adi_scenario_point(sc, i);
        skip[i] = 0;
        if (!p->infeasible)
            rc = adi_store_find_point(st, adi_scenario_name(sc), p, &w->stored[i]);
        if (rc == ADI_OK && w->stored[i]) {
            skip[i] = 1;
            (*stored)++;
        }
    }
    if (rc != ADI_OK) {
        adi_store_sweep_free(w);
        return rc;
    }
    *out = w;
    return ADI_OK;
}

void adi_store_sweep_free(adi_store_sweep *w)
{
    if (!w)
        return;
    if (w->open) /* never flushed: dropped */
        sqlite3_exec(w->st->db, "ROLLBACK", NULL, NULL, NULL);
    free(w->stored);
    free(w);
}

/* Within the caller's transaction: the scenario row, once per connection,
** and its links to the points stored when the sweep began. */
static int record_sweep(adi_store_sweep *w)
{
    if (w->scenario_id && w->connection == w->st->connection)
        return ADI_OK;
    int64_t id = 0;
    int rc = record_scenario(w->st, w->sc, &id);
    for (size_t i = 0; i < adi_scenario_npoints(w->sc) && rc == ADI_OK; i++)
        if (w->stored[i])
            rc = adi_store_link_point(w->st, id, w->stored[i], i);
    if (rc == ADI_OK) {
        w->scenario_id = id;
        w->connection = w->st->connection;
    }
    return rc;
}

/* The scenario row (when not recorded yet) and the point, if any. */
static int write_sweep_point(adi_store_sweep *w, const adi_point_result *pr, int *already)
{
    int rc = record_sweep(w);
    provenance prov = {"simulated", pr ? pr->point->key : NULL, 0, NULL};
    if (rc == ADI_OK && pr)
        rc = write_point(w->st, w->scenario_id, adi_scenario_name(w->sc), pr, &prov, 1, already);
    return rc;
}

typedef struct sweep_write {
    adi_store_sweep *w;
    const adi_point_result *pr; /* NULL: only the scenario row */
    int *already;
} sweep_write;

/* One point (or the scenario row alone) in a transaction of its own. */
static int sweep_fn(adi_store *st, const void *arg)
{
    const sweep_write *a = arg;
    adi_store_sweep *w = a->w;
    int64_t id = w->scenario_id;
    int rc = begin(st);
    if (rc != ADI_OK)
        return rc;
    if ((rc = end(st, write_sweep_point(w, a->pr, a->already))) != ADI_OK)
        w->scenario_id = id; /* rolled back with the rest */
    return rc;
}

/* Ends the open transaction: committed when rc is ADI_OK, else rolled back
** with every point gathered in it. */
static int end_group(adi_store_sweep *w, int rc)
{
    w->open = 0;
    if ((rc = end(w->st, rc)) == ADI_OK)
        w->committed += w->gathered;
    else
        w->scenario_id = w->scenario_before;
    w->gathered = 0;
    return rc;
}

int adi_store_sweep_point(adi_store_sweep *w, const adi_point_result *pr, int *already)
{
    adi_store *st = w->st;
    if (st->staged) { /* a new database appears with its first point alone */
        sweep_write a = {w, pr, already};
        int rc = write_published(st, sweep_fn, &a);
        w->committed += rc == ADI_OK;
        return rc;
    }
    int rc = ADI_OK;
    if (!w->open) {
        if ((rc = begin(st)) != ADI_OK)
            return rc;
        w->open = 1;
        w->began = adi_clock_s();
        w->scenario_before = w->scenario_id;
        if ((rc = look_for_writers(w)) != ADI_OK)
            return end_group(w, rc);
    }
    if ((rc = write_sweep_point(w, pr, already)) != ADI_OK)
        return end_group(w, rc);
    w->gathered++;
    return adi_clock_s() - w->began >= GROUP_S ? end_group(w, ADI_OK) : ADI_OK;
}

int adi_store_sweep_pending(const adi_store_sweep *w, double *deadline)
{
    *deadline = !w->open ? 0 : w->shared ? w->began : w->began + GROUP_S;
    return w->open;
}

int adi_store_sweep_flush(adi_store_sweep *w)
{
    return w->open ? end_group(w, ADI_OK) : ADI_OK;
}

size_t adi_store_sweep_committed(const adi_store_sweep *w)
{
    return w->committed;
}

int adi_store_sweep_finish(adi_store_sweep *w, int64_t *scenario_id)
{
    int rc = adi_store_sweep_flush(w);
    sweep_write a = {w, NULL, NULL};
    if (rc == ADI_OK && !(w->scenario_id && w->connection == w->st->connection))
        rc = write_published(w->st, sweep_fn, &a);
    *scenario_id = w->scenario_id;
    return rc;
}

/* "measured on HOST: KEY" (malloc'ed). */
static char *measured_key(const adi_point *p, const char *host)
{
    size_t len = strlen(host) + strlen(p->key) + 16;
    char *key = malloc(len);
    if (key)
        snprintf(key, len, "measured on %s: %s", host, p->key);
    return key;
}

int adi_store_find_measured(adi_store *st, const char *scenario_name, const adi_point *p,
                            const char *host, int64_t *point_id)
{
    char *key = measured_key(p, host);
    if (!key)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = find_key(st, scenario_name, key, point_id);
    free(key);
    return rc;
}

typedef struct measured_write {
    int64_t scenario_id;
    const char *scenario_name;
    const adi_point *p;
    const char *host;
    const adi_run_result *runs;
    size_t nruns;
} measured_write;

static int measured_fn(adi_store *st, const void *arg)
{
    const measured_write *m = arg;
    int rc = begin(st);
    if (rc != ADI_OK)
        return rc;
    int64_t twin;
    char *key = NULL;
    if ((rc = adi_store_find_point(st, m->scenario_name, m->p, &twin)) == ADI_OK &&
        !(key = measured_key(m->p, m->host)))
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    provenance prov = {"measured", key, twin, m->host};
    adi_point_result pr = {m->p, m->nruns, m->runs, NULL, NAN};
    int already;
    if (rc == ADI_OK)
        rc = write_point(st, m->scenario_id, m->scenario_name, &pr, &prov, 0, &already);
    free(key);
    return end(st, rc);
}

int adi_store_write_measured(adi_store *st, int64_t scenario_id, const char *scenario_name,
                             const adi_point *p, const char *host, const adi_run_result *runs,
                             size_t nruns)
{
    measured_write m = {scenario_id, scenario_name, p, host, runs, nruns};
    return write_published(st, measured_fn, &m);
}

/* ---- calibrations ------------------------------------------------------------ */

static int write_calibration(adi_store *st, const adi_profile *pf, const adi_kernel_profile *kp)
{
    static const char sql[] =
        "INSERT INTO calibration (device, kernel, batch, shape, reps, threads, warmup, mean, std,"
        " min, p50, p95, p99, max, fit_family, fit_p1, fit_p2, lognormal_zeta, lognormal_sigma,"
        " lognormal_loglik, lognormal_ks, gamma_shape, gamma_scale, gamma_loglik, gamma_ks,"
        " gflops, gbps, work, host, cpu, cores, os, compiler, blas, profile_path,"
        " profile_sha256, created_at, source)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, "cannot store a calibration");
    char shape[64], host[700];
    snprintf(host, sizeof host, "%s; %u cores; %s; %s; %s", pf->cpu, pf->cores, pf->os,
             pf->compiler, pf->blas);
    const adi_fit_family *best = kp->fit.best == ADI_DIST_GAMMA ? &kp->fit.gamma
                                                                : &kp->fit.lognormal;
    int i = 1;
    sqlite3_bind_text(s, i++, pf->device, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, adi_kernel_name(kp->kernel), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, i++, (sqlite3_int64)kp->shape.batch);
    sqlite3_bind_text(s, i++, adi_kernel_profile_shape(kp, shape, sizeof shape), -1,
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, i++, (sqlite3_int64)kp->reps);
    sqlite3_bind_int64(s, i++, (sqlite3_int64)kp->threads);
    sqlite3_bind_int64(s, i++, (sqlite3_int64)kp->warmup);
    const double stats[] = {kp->stats.mean, kp->stats.std, kp->stats.min, kp->stats.p50,
                            kp->stats.p95, kp->stats.p99, kp->stats.max};
    for (size_t k = 0; k < 7; k++)
        bind_real(s, i++, stats[k]);
    sqlite3_bind_text(s, i++, adi_dist_name(kp->fit.best), -1, SQLITE_STATIC);
    const double fits[] = {best->p1, best->p2, kp->fit.lognormal.p1, kp->fit.lognormal.p2,
                           kp->fit.lognormal.loglik, kp->fit.lognormal.ks, kp->fit.gamma.p1,
                           kp->fit.gamma.p2, kp->fit.gamma.loglik, kp->fit.gamma.ks};
    for (size_t k = 0; k < 10; k++)
        bind_real(s, i++, fits[k]);
    int conv = kp->kernel == ADI_KERNEL_CONV;
    bind_real(s, i++, conv ? kp->rate : NAN);
    bind_real(s, i++, conv ? NAN : kp->rate);
    bind_real(s, i++, kp->work);
    sqlite3_bind_text(s, i++, host, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, i++, pf->cpu, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, i++, pf->cores);
    sqlite3_bind_text(s, i++, pf->os, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, pf->compiler, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, pf->blas, -1, SQLITE_STATIC);
    if (pf->path)
        sqlite3_bind_text(s, i++, pf->path, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i++);
    sqlite3_bind_text(s, i++, pf->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, pf->created, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, adi_source_name(pf->source), -1, SQLITE_STATIC);
    int rc = step_done(st, s, "cannot store a calibration");
    sqlite3_finalize(s);
    if (rc != ADI_OK)
        return rc;
    int64_t id = sqlite3_last_insert_rowid(st->db);
    if (sqlite3_prepare_v2(st->db, "INSERT INTO calibration_sample VALUES (?,?,?,?)", -1, &s,
                           NULL) != SQLITE_OK)
        return store_db_error(st, "cannot store a sample");
    for (size_t k = 0; k < kp->nsamples && rc == ADI_OK; k++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)(k / kp->reps));
        sqlite3_bind_int64(s, 3, (sqlite3_int64)(k % kp->reps));
        sqlite3_bind_double(s, 4, kp->samples[k]);
        rc = step_done(st, s, "cannot store a sample");
    }
    sqlite3_finalize(s);
    return rc;
}

int adi_store_calibration_check(const adi_profile *pf)
{
    for (int k = 0; k < ADI_KERNEL_COUNT; k++)
        if (pf->kernel[k] && pf->kernel[k]->fit.best == ADI_DIST_DETERMINISTIC)
            return adi_fail(ADI_EINPUT, "--db: %s [%s]: its %zu times are all equal, so no law "
                            "is fitted, and the calibration table needs one; the profile itself is "
                            "fine: run without --db", pf->device, adi_kernel_name((adi_kernel)k),
                            pf->kernel[k]->nsamples);
    return ADI_OK;
}

/* The profile's [link], one calibration_link row. */
static int write_link(adi_store *st, const adi_profile *pf, const adi_link_profile *l)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO calibration_link (device, peer, latency,"
                           " latency_std, latency_p50, latency_samples, bandwidth_down,"
                           " bandwidth_down_std, bandwidth_down_p50, bandwidth_down_samples,"
                           " bandwidth_up, bandwidth_up_std, bandwidth_up_p50,"
                           " bandwidth_up_samples, input_bytes, output_bytes, profile_path,"
                           " profile_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                           "?,?,?)", -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, "cannot store a link");
    int i = 1;
    sqlite3_bind_text(s, i++, pf->device, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, l->peer, -1, SQLITE_STATIC);
    const adi_link_stat *stat[] = {&l->latency, &l->down, &l->up};
    for (int k = 0; k < 3; k++) {
        bind_real(s, i++, stat[k]->mean);
        bind_real(s, i++, stat[k]->std);
        bind_real(s, i++, stat[k]->p50);
        sqlite3_bind_int64(s, i++, (sqlite3_int64)stat[k]->n);
    }
    sqlite3_bind_int64(s, i++, (sqlite3_int64)l->input_bytes);
    sqlite3_bind_int64(s, i++, (sqlite3_int64)l->output_bytes);
    if (pf->path)
        sqlite3_bind_text(s, i++, pf->path, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i++);
    sqlite3_bind_text(s, i++, pf->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, l->created, -1, SQLITE_STATIC);
    int rc = step_done(st, s, "cannot store a link");
    sqlite3_finalize(s);
    return rc;
}

static int calibration_fn(adi_store *st, const void *arg)
{
    const adi_profile *pf = arg;
    int rc = begin(st);
    if (rc != ADI_OK)
        return rc;
    for (int k = 0; k < ADI_KERNEL_COUNT && rc == ADI_OK; k++)
        if (pf->kernel[k])
            rc = write_calibration(st, pf, pf->kernel[k]);
    if (rc == ADI_OK && pf->link)
        rc = write_link(st, pf, pf->link);
    return end(st, rc);
}

int adi_store_calibration(adi_store *st, const adi_profile *pf)
{
    int check = adi_store_calibration_check(pf);
    return check == ADI_OK ? write_published(st, calibration_fn, pf) : check;
}
