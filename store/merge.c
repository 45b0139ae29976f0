/*
** store/merge.c — merging result databases: the shards of a sweep run on
** several machines or MPI ranks become one database, identical row for row
** to what a single process would have written.
**
** Identity: points are inserted in sweep order (scenario, then position),
** whichever shard holds them, so ids come out as a single process assigns
** them; a point the target already has (same scenario name and key) is
** only linked, never duplicated. Rows are copied column by column with
** sqlite3_bind_value, so every column of the schema comes along, with the
** id columns remapped. The whole merge is one transaction: a failure
** leaves the target as it was, and a new target appears only with it.
*/
#include "store/merge.h"
#include "core/error.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    size_t source;
    int64_t scenario;  /* in the source */
    char *name, *sha;
    int64_t position;
    int64_t point;     /* in the source */
} entry;

typedef struct merger {
    sqlite3 *dst;
    const char *dst_path;
    sqlite3 **src;
    size_t nsrc;
    entry *e;
    size_t n, cap;
} merger;

static int db_fail(sqlite3 *db, const char *what)
{
    return adi_fail(ADI_EIO, "merging: %s: %s", what, sqlite3_errmsg(db));
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (!c)
        c = strcmp(x->sha, y->sha);
    if (!c)
        c = (x->position > y->position) - (x->position < y->position);
    if (!c)
        c = (x->source > y->source) - (x->source < y->source);
    return c;
}

static int collect(merger *m, size_t s)
{
    sqlite3_stmt *q;
    const char *sql = "SELECT sc.id, sc.name, sc.ini_sha256, sp.position, sp.point_id"
                      " FROM scenario sc JOIN scenario_point sp ON sp.scenario_id = sc.id";
    if (sqlite3_prepare_v2(m->src[s], sql, -1, &q, NULL) != SQLITE_OK)
        return db_fail(m->src[s], "cannot read a shard");
    int rc = ADI_OK, step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (m->n == m->cap) {
            size_t cap = m->cap ? 2 * m->cap : 256;
            entry *grown = realloc(m->e, cap * sizeof *grown);
            if (!grown) {
                rc = adi_fail(ADI_ENOMEM, "out of memory");
                break;
            }
            m->e = grown;
            m->cap = cap;
        }
        entry *e = &m->e[m->n];
        e->source = s;
        e->scenario = sqlite3_column_int64(q, 0);
        e->name = strdup((const char *)sqlite3_column_text(q, 1));
        e->sha = strdup((const char *)sqlite3_column_text(q, 2));
        e->position = sqlite3_column_int64(q, 3);
        e->point = sqlite3_column_int64(q, 4);
        if (!e->name || !e->sha) {
            free(e->name);
            free(e->sha);
            rc = adi_fail(ADI_ENOMEM, "out of memory");
            break;
        }
        m->n++;
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = db_fail(m->src[s], "cannot read a shard");
    sqlite3_finalize(q);
    return rc;
}

/* The target's columns of a table except `id`, comma-separated. */
static int columns(sqlite3 *db, const char *table, char *out, size_t size, int *count)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s') WHERE name != 'id'"
                              " ORDER BY cid", table);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_fail(db, "cannot read the schema");
    size_t used = 0;
    *count = 0;
    out[0] = '\0';
    while (sqlite3_step(q) == SQLITE_ROW) {
        used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "",
                                 (const char *)sqlite3_column_text(q, 0));
        (*count)++;
    }
    sqlite3_finalize(q);
    return used < size ? ADI_OK : adi_fail(ADI_EINTERNAL, "table %s has too many columns", table);
}

/* Copies the rows of `table` where `key` = key_value from src to dst,
** replacing the columns in `map` (names) by `to` (values); returns, for a
** table with an id, each row's source id and new id through the callback. */
typedef int (*copied_fn)(merger *m, size_t s, int64_t old_id, int64_t new_id, void *ctx);

static int copy_rows(merger *m, size_t s, const char *table, const char *key, int64_t key_value,
                     const char *const *map, const int64_t *to, int nmap, int has_id,
                     copied_fn copied, void *ctx)
{
    char cols[2048], sql[4608];
    int ncols, rc = columns(m->dst, table, cols, sizeof cols, &ncols);
    if (rc != ADI_OK)
        return rc;
    sqlite3_stmt *sel = NULL, *ins = NULL;
    snprintf(sql, sizeof sql, "SELECT %s%s FROM %s WHERE %s = ? ORDER BY %s", cols,
             has_id ? ", id" : "", table, key, has_id ? "id" : "rowid");
    if (sqlite3_prepare_v2(m->src[s], sql, -1, &sel, NULL) != SQLITE_OK) {
        rc = db_fail(m->src[s], "cannot read a shard");
        goto done;
    }
    size_t used = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (", table, cols);
    for (int i = 0; i < ncols; i++)
        used += (size_t)snprintf(sql + used, sizeof sql - used, "%s?", i ? ", " : "");
    snprintf(sql + used, sizeof sql - used, ")");
    if (sqlite3_prepare_v2(m->dst, sql, -1, &ins, NULL) != SQLITE_OK) {
        rc = db_fail(m->dst, "cannot write the target");
        goto done;
    }
    sqlite3_bind_int64(sel, 1, key_value);
    int step;
    while (rc == ADI_OK && (step = sqlite3_step(sel)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++) {
            const char *name = sqlite3_column_name(sel, i);
            int mapped = -1;
            for (int k = 0; k < nmap; k++)
                if (strcmp(name, map[k]) == 0)
                    mapped = k;
            if (mapped >= 0)
                sqlite3_bind_int64(ins, i + 1, to[mapped]);
            else
                sqlite3_bind_value(ins, i + 1, sqlite3_column_value(sel, i));
        }
        if (sqlite3_step(ins) != SQLITE_DONE)
            rc = db_fail(m->dst, "cannot write the target");
        sqlite3_reset(ins);
        if (rc == ADI_OK && copied)
            rc = copied(m, s, sqlite3_column_int64(sel, ncols), sqlite3_last_insert_rowid(m->dst),
                        ctx);
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = db_fail(m->src[s], "cannot read a shard");
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return rc;
}

static int run_copied(merger *m, size_t s, int64_t old_run, int64_t new_run, void *ctx)
{
    (void)ctx;
    static const char *const map[] = {"run_id"};
    int rc = copy_rows(m, s, "run_device", "run_id", old_run, map, &new_run, 1, 0, NULL, NULL);
    if (rc == ADI_OK)
        rc = copy_rows(m, s, "bound_check", "run_id", old_run, map, &new_run, 1, 0, NULL, NULL);
    return rc;
}

typedef struct point_ctx {
    int64_t scenario; /* in the target */
    int64_t new_point;
} point_ctx;

static int point_copied(merger *m, size_t s, int64_t old_point, int64_t new_point, void *ctx)
{
    point_ctx *pc = ctx;
    pc->new_point = new_point;
    static const char *const run_map[] = {"point_id", "scenario_id"};
    const int64_t run_to[] = {new_point, pc->scenario};
    int rc = copy_rows(m, s, "run", "point_id", old_point, run_map, run_to, 2, 1, run_copied, NULL);
    static const char *const hist_map[] = {"point_id"};
    if (rc == ADI_OK)
        rc = copy_rows(m, s, "latency_hist", "point_id", old_point, hist_map, &new_point, 1, 0,
                       NULL, NULL);
    return rc;
}

static int64_t lookup(sqlite3 *db, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *q;
    int64_t id = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, b, -1, SQLITE_STATIC);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    else if (step != SQLITE_DONE)
        id = -1;
    sqlite3_finalize(q);
    return id;
}

/* The target's scenario row for a source scenario (copied if missing). */
static int scenario_in_target(merger *m, const entry *e, int64_t *id)
{
    *id = lookup(m->dst, "SELECT id FROM scenario WHERE name = ? AND ini_sha256 = ?", e->name, e->sha);
    if (*id < 0)
        return db_fail(m->dst, "cannot read the target");
    if (*id > 0)
        return ADI_OK;
    int rc = copy_rows(m, e->source, "scenario", "id", e->scenario, NULL, NULL, 0, 0, NULL, NULL);
    *id = sqlite3_last_insert_rowid(m->dst);
    static const char *const map[] = {"scenario_id"};
    if (rc == ADI_OK) /* the profiles it ran from */
        rc = copy_rows(m, e->source, "scenario_profile", "scenario_id", e->scenario, map, id, 1, 0,
                       NULL, NULL);
    return rc;
}

static int merge_entry(merger *m, const entry *e)
{
    int64_t scenario, point;
    int rc = scenario_in_target(m, e, &scenario);
    if (rc != ADI_OK)
        return rc;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(m->src[e->source], "SELECT key FROM point WHERE id = ?", -1, &q,
                           NULL) != SQLITE_OK)
        return db_fail(m->src[e->source], "cannot read a shard");
    sqlite3_bind_int64(q, 1, e->point);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return db_fail(m->src[e->source], "a shard links a missing point");
    }
    point = lookup(m->dst, "SELECT id FROM point WHERE scenario_name = ? AND key = ?", e->name,
                   (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (point < 0)
        return db_fail(m->dst, "cannot read the target");
    if (point == 0) {
        point_ctx pc = {scenario, 0};
        rc = copy_rows(m, e->source, "point", "id", e->point, NULL, NULL, 0, 1, point_copied, &pc);
        point = pc.new_point;
    }
    if (rc != ADI_OK)
        return rc;
    if (sqlite3_prepare_v2(m->dst, "INSERT OR IGNORE INTO scenario_point VALUES (?, ?, ?)", -1,
                           &q, NULL) != SQLITE_OK)
        return db_fail(m->dst, "cannot write the target");
    sqlite3_bind_int64(q, 1, scenario);
    sqlite3_bind_int64(q, 2, point);
    sqlite3_bind_int64(q, 3, e->position);
    rc = sqlite3_step(q) == SQLITE_DONE ? ADI_OK : db_fail(m->dst, "cannot write the target");
    sqlite3_finalize(q);
    return rc;
}

/* ---- what bin/execute and bin/calibrate --db stored ---------------------------- */

/* The measured points of source s (bin/execute), each with its runs, after
** the sweeps: a measured point is not listed in scenario_point, and its
** twin (the simulated point) is found in the target by scenario name and
** key. One the target has (same name and key) is skipped. */
static int merge_measured(merger *m, size_t s)
{
    sqlite3_stmt *q;
    const char *sql =
        "SELECT mp.id, mp.scenario_name, mp.key, tw.key, sc.id, sc.name, sc.ini_sha256"
        " FROM point mp JOIN point tw ON tw.id = mp.twin"
        " JOIN scenario sc ON sc.id = (SELECT scenario_id FROM run WHERE point_id = mp.id"
        "                              ORDER BY id LIMIT 1)"
        " WHERE mp.source = 'measured' ORDER BY mp.id";
    if (sqlite3_prepare_v2(m->src[s], sql, -1, &q, NULL) != SQLITE_OK)
        return db_fail(m->src[s], "cannot read a shard");
    int rc = ADI_OK, step;
    while (rc == ADI_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 1);
        int64_t have = lookup(m->dst, "SELECT id FROM point WHERE scenario_name = ? AND key = ?",
                              name, (const char *)sqlite3_column_text(q, 2));
        int64_t twin = lookup(m->dst, "SELECT id FROM point WHERE scenario_name = ? AND key = ?",
                              name, (const char *)sqlite3_column_text(q, 3));
        if (have < 0 || twin < 0) {
            rc = db_fail(m->dst, "cannot read the target");
            break;
        }
        if (have > 0)
            continue;
        if (twin == 0) {
            rc = adi_fail(ADI_EINPUT, "merging: a measured point of scenario '%s' has no "
                          "simulated twin in the target", name);
            break;
        }
        entry e = {.source = s, .scenario = sqlite3_column_int64(q, 4),
                   .name = strdup((const char *)sqlite3_column_text(q, 5)),
                   .sha = strdup((const char *)sqlite3_column_text(q, 6))};
        int64_t scenario;
        rc = e.name && e.sha ? scenario_in_target(m, &e, &scenario)
                             : adi_fail(ADI_ENOMEM, "out of memory");
        free(e.name);
        free(e.sha);
        if (rc != ADI_OK)
            break;
        static const char *const map[] = {"twin"};
        point_ctx pc = {scenario, 0};
        rc = copy_rows(m, s, "point", "id", sqlite3_column_int64(q, 0), map, &twin, 1, 1,
                       point_copied, &pc);
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = db_fail(m->src[s], "cannot read a shard");
    sqlite3_finalize(q);
    return rc;
}

static int calibration_copied(merger *m, size_t s, int64_t old_id, int64_t new_id, void *ctx)
{
    (void)ctx;
    static const char *const map[] = {"calibration_id"};
    return copy_rows(m, s, "calibration_sample", "calibration_id", old_id, map, &new_id, 1, 0,
                     NULL, NULL);
}

/* The calibrations of source s (calibrate --db) with their samples; one
** the target has (same profile SHA-256 and kernel) is skipped. */
static int merge_calibrations(merger *m, size_t s)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(m->src[s], "SELECT id, profile_sha256, kernel FROM calibration"
                           " ORDER BY id", -1, &q, NULL) != SQLITE_OK)
        return db_fail(m->src[s], "cannot read a shard");
    int rc = ADI_OK, step;
    while (rc == ADI_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t have = lookup(m->dst, "SELECT id FROM calibration WHERE profile_sha256 = ?"
                              " AND kernel = ?", (const char *)sqlite3_column_text(q, 1),
                              (const char *)sqlite3_column_text(q, 2));
        if (have < 0)
            rc = db_fail(m->dst, "cannot read the target");
        else if (have == 0)
            rc = copy_rows(m, s, "calibration", "id", sqlite3_column_int64(q, 0), NULL, NULL, 0,
                           1, calibration_copied, NULL);
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = db_fail(m->src[s], "cannot read a shard");
    sqlite3_finalize(q);
    return rc;
}

/* The measured links of source s (calibrate --link, a profile's [link]);
** one the target has (same profile SHA-256 and device) is skipped. */
static int merge_links(merger *m, size_t s)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(m->src[s], "SELECT id, profile_sha256, device FROM calibration_link"
                           " ORDER BY id", -1, &q, NULL) != SQLITE_OK)
        return db_fail(m->src[s], "cannot read a shard");
    int rc = ADI_OK, step;
    while (rc == ADI_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t have = lookup(m->dst, "SELECT id FROM calibration_link WHERE profile_sha256 = ?"
                              " AND device = ?", (const char *)sqlite3_column_text(q, 1),
                              (const char *)sqlite3_column_text(q, 2));
        if (have < 0)
            rc = db_fail(m->dst, "cannot read the target");
        else if (have == 0)
            rc = copy_rows(m, s, "calibration_link", "id", sqlite3_column_int64(q, 0), NULL, NULL,
                           0, 0, NULL, NULL);
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = db_fail(m->src[s], "cannot read a shard");
    sqlite3_finalize(q);
    return rc;
}

static int version(sqlite3 *db, int64_t *v)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return -1;
    int ok = sqlite3_step(q) == SQLITE_ROW;
    *v = ok ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    return ok ? 0 : -1;
}

static int64_t count_points(sqlite3 *db)
{
    sqlite3_stmt *q;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM point", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* The collected entries, then each source's measured points and
** calibrations and links, into st in one transaction; *added = the new points. */
static int merge_into(merger *m, adi_store *st, size_t *added)
{
    m->dst = adi_store_db(st);
    if (sqlite3_exec(m->dst, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(m->dst, "cannot start a transaction");
    int64_t before = count_points(m->dst), after = -1;
    int rc = before >= 0 ? ADI_OK : db_fail(m->dst, "cannot read the target");
    for (size_t i = 0; i < m->n && rc == ADI_OK; i++)
        rc = merge_entry(m, &m->e[i]);
    for (size_t src = 0; src < m->nsrc && rc == ADI_OK; src++)
        if ((rc = merge_measured(m, src)) == ADI_OK)
            if ((rc = merge_calibrations(m, src)) == ADI_OK)
                rc = merge_links(m, src);
    if (rc == ADI_OK && (after = count_points(m->dst)) < 0)
        rc = db_fail(m->dst, "cannot read the target");
    if (rc == ADI_OK && sqlite3_exec(m->dst, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_fail(m->dst, "cannot commit");
    if (rc != ADI_OK)
        sqlite3_exec(m->dst, "ROLLBACK", NULL, NULL, NULL);
    *added = rc == ADI_OK ? (size_t)(after - before) : 0;
    return rc;
}

int adi_store_merge(adi_store *st, adi_store *const *stores, size_t n, adi_merge_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    sqlite3 **sources = calloc(n ? n : 1, sizeof *sources);
    if (!sources)
        return adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t s = 0; s < n; s++)
        sources[s] = adi_store_db(stores[s]);
    merger m = {.dst = adi_store_db(st), .dst_path = adi_store_path(st), .src = sources, .nsrc = n};
    int64_t want, have;
    if (version(m.dst, &want) != 0) {
        free(sources);
        return db_fail(m.dst, "cannot read the target");
    }
    int rc = ADI_OK, redo = 0;
    for (size_t s = 0; s < n && rc == ADI_OK; s++) {
        if (version(sources[s], &have) != 0 || have != want)
            rc = adi_fail(ADI_EINPUT, "%s: not a results database of this adisim (schema %lld, "
                          "expected %lld)", adi_store_path(stores[s]), (long long)have, (long long)want);
        else
            rc = collect(&m, s);
    }
    if (rc == ADI_OK && m.n) /* m.e is NULL when nothing was collected */
        qsort(m.e, m.n, sizeof *m.e, cmp_entry);
    /* a new target appears with the merge; if another process made it
    ** first, the merge goes into theirs (store_int.h) */
    if (rc == ADI_OK && (rc = merge_into(&m, st, &stats->points_added)) == ADI_OK &&
        (rc = store_publish(st, &redo)) == ADI_OK && redo)
        rc = merge_into(&m, st, &stats->points_added);
    if (rc == ADI_OK) {
        stats->entries = m.n;
        for (size_t i = 0; i < m.n && rc == ADI_OK; i++) {
            if (stats->nnames && strcmp(stats->names[stats->nnames - 1], m.e[i].name) == 0)
                continue; /* entries are sorted by name */
            char **grown = realloc(stats->names, (stats->nnames + 1) * sizeof *grown);
            if (!grown || !(grown[stats->nnames] = strdup(m.e[i].name))) {
                if (grown)
                    stats->names = grown;
                rc = adi_fail(ADI_ENOMEM, "out of memory");
                break;
            }
            stats->names = grown;
            stats->nnames++;
        }
    }
    for (size_t i = 0; i < m.n; i++) {
        free(m.e[i].name);
        free(m.e[i].sha);
    }
    free(m.e);
    free(sources);
    return rc;
}

int adi_store_merge_files(adi_store *st, const char *const *paths, size_t n,
                          adi_merge_stats *stats)
{
    adi_store **src = calloc(n ? n : 1, sizeof *src);
    int rc = src ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && rc == ADI_OK; i++)
        rc = adi_store_open(paths[i], 0, &src[i]);
    if (rc == ADI_OK)
        rc = adi_store_merge(st, src, n, stats);
    for (size_t i = 0; src && i < n; i++)
        adi_store_close(src[i]);
    free(src);
    return rc;
}

void adi_merge_stats_free(adi_merge_stats *stats)
{
    if (!stats)
        return;
    for (size_t i = 0; i < stats->nnames; i++)
        free(stats->names[i]);
    free(stats->names);
    stats->names = NULL;
    stats->nnames = 0;
}
