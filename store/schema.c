/*
** store/schema.c — the tables of a results database, and how an older file
** is brought up to date (store_int.h).
**
** PRAGMA user_version holds the schema version. Opening for writing reads
** it; when the file is older (or new, version 0), one BEGIN IMMEDIATE
** transaction reads it again (another process may have upgraded it a moment
** ago) and applies every missing step. So any number of processes can open
** the same new or old file at once, and a reader sees the old schema or the
** new one, never a step in between. A current file costs one read per open.
*/
#include "store/store_int.h"
#include "core/error.h"
#include "store/columns.h"
#include "store/histogram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Version 1, the tables of DESIGN.md: those before the run table, the run
** table (run_head, the metrics of columns.h, run_tail), those after it. */
static const char schema_head[] =
    "CREATE TABLE scenario ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  path TEXT,"
    "  ini_text TEXT NOT NULL,"
    "  ini_sha256 TEXT NOT NULL,"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "  UNIQUE (name, ini_sha256));"
    "CREATE TABLE point ("
    "  id INTEGER PRIMARY KEY,"
    "  scenario_name TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  policy TEXT NOT NULL,"
    "  workload TEXT NOT NULL,"
    "  n_devices INTEGER NOT NULL,"
    "  queue_capacity INTEGER,"          /* NULL = inf */
    "  heterogeneity REAL NOT NULL,"
    "  mean_time REAL NOT NULL,"
    "  tasks INTEGER NOT NULL,"
    "  rate REAL,"                       /* NULL for batch */
    "  submit_cost REAL NOT NULL,"
    "  distribution TEXT NOT NULL,"
    "  cv REAL NOT NULL,"
    "  overflow TEXT NOT NULL,"
    "  replications INTEGER NOT NULL,"
    "  seed INTEGER NOT NULL,"
    "  serial_device INTEGER,"           /* serial runs only */
    "  ci_level REAL,"
    "  UNIQUE (scenario_name, key));"
    "CREATE TABLE scenario_point ("
    "  scenario_id INTEGER NOT NULL REFERENCES scenario(id) ON DELETE CASCADE,"
    "  point_id INTEGER NOT NULL REFERENCES point(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  PRIMARY KEY (scenario_id, point_id));";

/* Table run's columns that are not metrics: the run's place, its point's
** parameters (copied, for queries that need no join); the metrics follow
** from columns.h. */
static const char run_head[] =
    "CREATE TABLE run ("
    "  id INTEGER PRIMARY KEY,"
    "  scenario_id INTEGER NOT NULL REFERENCES scenario(id),"
    "  point_id INTEGER NOT NULL REFERENCES point(id) ON DELETE CASCADE,"
    "  policy TEXT NOT NULL,"
    "  workload TEXT NOT NULL,"
    "  n_devices INTEGER NOT NULL,"
    "  queue_capacity INTEGER,"
    "  heterogeneity REAL NOT NULL,"
    "  tasks INTEGER NOT NULL,"
    "  replication INTEGER NOT NULL,";
static const char run_tail[] = "  UNIQUE (point_id, replication));";

static const char schema_tail[] =
    "CREATE TABLE run_device ("
    "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  device INTEGER NOT NULL,"
    "  mean_time REAL NOT NULL,"
    "  tasks_done INTEGER NOT NULL,"
    "  busy_time REAL NOT NULL,"
    "  idle_time REAL NOT NULL,"
    "  PRIMARY KEY (run_id, device));"
    "CREATE TABLE bound_check ("
    "  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  bound TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('exact', 'ci')),"
    "  predicted REAL,"
    "  observed REAL,"
    "  holds INTEGER NOT NULL CHECK (holds IN (0, 1)),"
    "  tolerance REAL, ci_lo REAL, ci_hi REAL, confidence REAL,"
    "  PRIMARY KEY (run_id, bound));"
    "CREATE TABLE latency_hist ("      /* a row per bucket until schema 9 */
    "  point_id INTEGER NOT NULL REFERENCES point(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('enqueue', 'created')),"
    "  bucket INTEGER NOT NULL,"         /* 1/64 octave; -1: the bucket of zeros */
    "  lo REAL NOT NULL, hi REAL NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  PRIMARY KEY (point_id, kind, bucket));"
    "CREATE INDEX run_point ON run(point_id);"
    "CREATE INDEX scenario_name ON scenario(name);";

/* Device profiles (calibrate --db): one calibration row per measured kernel
** of a profile, and its samples. fit_p1/fit_p2 are the chosen family's
** parameters (lognormal: zeta, sigma; gamma: shape, scale); both fits are
** kept. host is one line, "cpu; N cores; os; compiler; blas". */
static const char calibration_schema[] =
    "CREATE TABLE calibration ("
    "  id INTEGER PRIMARY KEY,"
    "  device TEXT NOT NULL,"
    "  kernel TEXT NOT NULL,"
    "  batch INTEGER NOT NULL,"
    "  shape TEXT NOT NULL,"               /* "layer1 64->64 32x32", "3x32x32" */
    "  reps INTEGER NOT NULL,"             /* timed tasks per copy */
    "  threads INTEGER NOT NULL,"          /* copies run at once */
    "  warmup INTEGER NOT NULL,"
    "  mean REAL NOT NULL, std REAL NOT NULL, min REAL NOT NULL,"
    "  p50 REAL NOT NULL, p95 REAL NOT NULL, p99 REAL NOT NULL, max REAL NOT NULL,"
    "  fit_family TEXT NOT NULL CHECK (fit_family IN ('lognormal', 'gamma')),"
    "  fit_p1 REAL NOT NULL, fit_p2 REAL NOT NULL,"
    "  lognormal_zeta REAL NOT NULL, lognormal_sigma REAL NOT NULL,"
    "  lognormal_loglik REAL NOT NULL, lognormal_ks REAL NOT NULL,"
    "  gamma_shape REAL NOT NULL, gamma_scale REAL NOT NULL,"
    "  gamma_loglik REAL NOT NULL, gamma_ks REAL NOT NULL,"
    "  gflops REAL,"                       /* conv only */
    "  gbps REAL,"                         /* x2 only */
    "  work REAL NOT NULL,"                /* flops or bytes per task */
    "  host TEXT NOT NULL,"
    "  cpu TEXT, cores INTEGER, os TEXT, compiler TEXT, blas TEXT,"
    "  profile_path TEXT,"
    "  profile_sha256 TEXT NOT NULL,"      /* of the profile file's text */
    "  created_at TEXT NOT NULL);"         /* when measured (UTC) */
    "CREATE TABLE calibration_sample ("
    "  calibration_id INTEGER NOT NULL REFERENCES calibration(id) ON DELETE CASCADE,"
    "  copy INTEGER NOT NULL,"             /* 0 .. threads - 1 */
    "  rep INTEGER NOT NULL,"              /* 0 .. reps - 1, in measured order */
    "  seconds REAL NOT NULL,"
    "  PRIMARY KEY (calibration_id, copy, rep));"
    "CREATE INDEX calibration_device ON calibration(device, kernel);";

/* Schema versions, oldest first: migrations[v - 1] turns version v - 1 into
** v, and then the run metrics of columns.h that came with v are added
** (step_sql). A database is brought up to date when opened for writing,
** every missing step in one transaction, and a new one is made by running
** every step: a new table or column is one entry here (and a new metric
** one line of columns.h with an entry here, "" if it needs nothing else). */
static const char *const migrations[] = {
    NULL, /* 1: the tables of DESIGN.md (schema_head, run, schema_tail) */
    /* 2: steady-state estimates of open workloads (NULL for a batch) */
    "ALTER TABLE point ADD COLUMN warmup INTEGER;",
    calibration_schema, /* 3: calibration, calibration_sample */
    /* 4: runs executed for real (exec/execute.h) beside simulated ones */
    "ALTER TABLE point ADD COLUMN source TEXT NOT NULL DEFAULT 'simulated'"
    " CHECK (source IN ('simulated', 'measured'));"
    "ALTER TABLE point ADD COLUMN twin INTEGER REFERENCES point(id);"
    "ALTER TABLE point ADD COLUMN host TEXT;"
    "ALTER TABLE run ADD COLUMN source TEXT NOT NULL DEFAULT 'simulated'"
    " CHECK (source IN ('simulated', 'measured'));",
    /* 5: where a profile's times come from (profile.h): measured, emulated
    ** (an emulator's instruction counts, converted) or estimated */
    "ALTER TABLE calibration ADD COLUMN source TEXT NOT NULL DEFAULT 'measured';",
    /* 6: the profiles a calibrated scenario ran from, as they were, so that
    ** it can be read back after they change (adi_store_parse_scenario) */
    "CREATE TABLE scenario_profile ("
    "  scenario_id INTEGER NOT NULL REFERENCES scenario(id),"
    "  name TEXT NOT NULL,"                /* as [devices] profiles names it */
    "  sha256 TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  PRIMARY KEY (scenario_id, name));",
    /* 7: a device's measured link to the coordinator (calibrate --link):
    ** latency in s, bandwidths in bytes/s, each with std, p50 and samples */
    "CREATE TABLE calibration_link ("
    "  id INTEGER PRIMARY KEY,"
    "  device TEXT NOT NULL,"
    "  peer TEXT NOT NULL,"                /* HOST:PORT of calibrate --serve */
    "  latency REAL NOT NULL, latency_std REAL NOT NULL, latency_p50 REAL NOT NULL,"
    "  latency_samples INTEGER NOT NULL,"
    "  bandwidth_down REAL NOT NULL, bandwidth_down_std REAL NOT NULL,"
    "  bandwidth_down_p50 REAL NOT NULL, bandwidth_down_samples INTEGER NOT NULL,"
    "  bandwidth_up REAL NOT NULL, bandwidth_up_std REAL NOT NULL,"
    "  bandwidth_up_p50 REAL NOT NULL, bandwidth_up_samples INTEGER NOT NULL,"
    "  input_bytes INTEGER NOT NULL, output_bytes INTEGER NOT NULL,"
    "  profile_path TEXT, profile_sha256 TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);",
    /* 8: the network's split of each device's idle time (sim/sim.h): in
    ** transfers of its own, and waiting with nothing on the way (0 and the
    ** idle time without a network); the run's sums come from columns.h */
    "ALTER TABLE run_device ADD COLUMN transfer_time REAL;"
    "ALTER TABLE run_device ADD COLUMN wait_time REAL;",
    /* 9: a point's latency histogram in one row per kind, its buckets in a
    ** blob (store/histogram.h) instead of a row each; the old rows are
    ** converted (store_hist_convert) and their table dropped (finish) */
    "CREATE TABLE latency_hist_9 ("
    "  point_id INTEGER NOT NULL REFERENCES point(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('enqueue', 'created')),"
    "  zero INTEGER NOT NULL,"           /* latencies of exactly 0 */
    "  total INTEGER NOT NULL,"          /* every latency, the zeros included */
    "  buckets BLOB NOT NULL,"           /* 1/64 octave: (gap, count) varints */
    "  PRIMARY KEY (point_id, kind));",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* Steps that SQL alone cannot make: after step `version`'s SQL, convert
** (within the same transaction), then the SQL `finish`. */
static const struct {
    int version;
    int (*convert)(adi_store *st);
    const char *finish;
} conversions[] = {
    {9, store_hist_convert,
     "DROP TABLE latency_hist; ALTER TABLE latency_hist_9 RENAME TO latency_hist;"},
};

typedef struct run_column {
    const char *name, *declaration;
    int version;
} run_column;

#define RUN_COLUMN_(name, declaration, version, binding) {#name, declaration, version},
static const run_column run_columns[] = {ADI_RUN_COLUMNS(RUN_COLUMN_)};
#undef RUN_COLUMN_

/* Every metric comes with a step of this list. */
#define RUN_VERSION_CHECK_(name, declaration, version, binding)                                   \
    _Static_assert((version) >= 1 && (version) <= SCHEMA_VERSION,                                \
                   "column " #name " of columns.h: its version has no step in migrations");
ADI_RUN_COLUMNS(RUN_VERSION_CHECK_)
#undef RUN_VERSION_CHECK_

/* Appends text to the string *sql of *len bytes (malloc'ed); -1 when out
** of memory (*sql is then freed and NULL). */
static int append(char **sql, size_t *len, const char *text)
{
    size_t more = strlen(text);
    char *grown = *sql ? realloc(*sql, *len + more + 1) : NULL;
    if (!grown) {
        free(*sql);
        *sql = NULL;
        return -1;
    }
    memcpy(grown + *len, text, more + 1);
    *sql = grown;
    *len += more;
    return 0;
}

/* The SQL of step v (malloc'ed), or NULL when out of memory: version 1's
** tables with CREATE TABLE run made of run_head, the metrics of version 1
** and run_tail; a later version's migration, then an ALTER TABLE for each
** metric it added, in the order of columns.h. */
static char *step_sql(int v)
{
    size_t len = 0;
    char *sql = calloc(1, 1), line[256];
    int fail = append(&sql, &len, v == 1 ? schema_head : migrations[v - 1]);
    if (v == 1)
        fail = fail || append(&sql, &len, run_head);
    for (size_t c = 0; !fail && c < sizeof run_columns / sizeof run_columns[0]; c++) {
        if (run_columns[c].version != v)
            continue;
        snprintf(line, sizeof line, v == 1 ? "  %s %s," : "ALTER TABLE run ADD COLUMN %s %s;",
                 run_columns[c].name, run_columns[c].declaration);
        fail = append(&sql, &len, line);
    }
    if (v == 1)
        fail = fail || append(&sql, &len, run_tail) || append(&sql, &len, schema_tail);
    return fail ? NULL : sql;
}

/* Applies step v (within the caller's transaction). */
static int apply_step(adi_store *st, int v)
{
    char *sql = step_sql(v);
    if (!sql)
        return adi_fail(ADI_ENOMEM, "%s: cannot create or update the schema: out of memory",
                        st->path);
    int rc = store_exec(st, sql, "cannot create or update the schema");
    free(sql);
    for (size_t c = 0; c < sizeof conversions / sizeof conversions[0] && rc == ADI_OK; c++)
        if (conversions[c].version == v && (rc = conversions[c].convert(st)) == ADI_OK)
            rc = store_exec(st, conversions[c].finish, "cannot create or update the schema");
    return rc;
}

/* The version and the number of schema objects, read in one snapshot. */
static int read_version(adi_store *st, sqlite3_int64 *version, sqlite3_int64 *objects)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT (SELECT user_version FROM pragma_user_version),"
                           " (SELECT count(*) FROM sqlite_master)", -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, "cannot read the database");
    int rc = sqlite3_step(s);
    *version = sqlite3_column_int64(s, 0);
    *objects = sqlite3_column_int64(s, 1);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? ADI_OK : store_db_error(st, "cannot read the database");
}

/* ADI_OK when the file can be used as it is (*current) or upgraded. */
static int judge(const adi_store *st, sqlite3_int64 version, sqlite3_int64 objects, int writable,
                 int *current)
{
    *current = version == SCHEMA_VERSION;
    if (version > SCHEMA_VERSION)
        return adi_fail(ADI_EINPUT, "%s: written by a newer adisim (schema %lld; this one "
                        "reads up to %d)", st->path, (long long)version, SCHEMA_VERSION);
    if (version == 0 && objects > 0)
        return adi_fail(ADI_EINPUT, "%s: not an adisim results database", st->path);
    if (!*current && !writable)
        return adi_fail(ADI_EINPUT, version ? "%s: made by an older adisim; open it with "
                        "`simulate` once to update it" : "%s: holds no results yet", st->path);
    return ADI_OK;
}

int store_schema_ensure(adi_store *st, int writable)
{
    sqlite3_int64 version, objects;
    int current, rc = read_version(st, &version, &objects);
    if (rc == ADI_OK)
        rc = judge(st, version, objects, writable, &current);
    if (rc != ADI_OK || current)
        return rc;
    if ((rc = store_exec(st, "BEGIN IMMEDIATE", "cannot update the schema")) != ADI_OK)
        return rc;
    if ((rc = read_version(st, &version, &objects)) == ADI_OK)
        rc = judge(st, version, objects, writable, &current);
    for (int v = (int)version + 1; rc == ADI_OK && v <= SCHEMA_VERSION; v++)
        rc = apply_step(st, v);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SCHEMA_VERSION);
    if (rc == ADI_OK && !current)
        rc = store_exec(st, sql, "cannot create or update the schema");
    if (rc == ADI_OK)
        rc = store_exec(st, "COMMIT", "cannot create or update the schema");
    if (rc != ADI_OK)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
