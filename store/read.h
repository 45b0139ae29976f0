/*
** store/read.h — what a results database gives back: its scenarios, and
** per point its runs, checks, devices and latency histogram. The summary
** table and the failures (report/report.h), the figures (plots/plot.h) and
** the fidelity tables (report/fidelity.h) read through these and hold no
** SQL of their own.
**
** Every result is a plain struct that the caller owns, with its _free (a
** zeroed struct or NULL frees to nothing); nothing points into the store,
** so it may be closed before the results are used. A stored NULL is read
** as NAN for a real and 0 for a count, except where a comment says.
** Errors: ADI_EIO naming the database and what SQLite said, ADI_ENOMEM.
**
** Costs: each query is prepared once per connection and reused; the ones
** by point go through the point's index (run_point), so reading a point
** costs its own rows only.
*/
#ifndef ADI_STORE_READ_H
#define ADI_STORE_READ_H

#include "store/store.h"

/* ---- scenarios --------------------------------------------------------------- */

/* Every distinct scenario name in the database, sorted. */
typedef struct adi_store_names {
    size_t n;
    char **name; /* [n], owned */
} adi_store_names;

int adi_store_read_names(adi_store *st, adi_store_names *out);
void adi_store_names_free(adi_store_names *names);

/* One scenario row (strings owned). */
typedef struct adi_stored_scenario {
    int64_t id;       /* 0: there is none */
    char *name;
    char *path;       /* the file it was read from; NULL when none was stored */
    char *ini_text;
    char *created_at; /* UTC, ISO 8601 */
} adi_stored_scenario;

/* The latest row (the highest id) of the scenario called name, or of any
** scenario when name is NULL; out->id = 0 when there is none. */
int adi_store_read_scenario(adi_store *st, const char *name, adi_stored_scenario *out);
void adi_stored_scenario_free(adi_stored_scenario *s);

/* Stored scenario `id` (its text, and path or name for messages) parsed
** again, from the profiles it was stored with rather than the files at
** their paths now (a database older than those rows reads the files). */
int adi_store_parse_scenario(adi_store *st, int64_t id, const char *path, const char *text,
                             adi_scenario **out);

/* ---- a point's runs ---------------------------------------------------------- */

/* The point's runs in replication order, every metric of store/columns.h
** in its adi_run_result field (NULL as columns.h says); the rest of each
** result is zero (no devices, empty histograms). */
typedef struct adi_stored_runs {
    size_t n;
    adi_run_result *run; /* [n], owned */
} adi_stored_runs;

int adi_store_read_runs(adi_store *st, int64_t point_id, adi_stored_runs *out);
void adi_stored_runs_free(adi_stored_runs *runs);

/* ---- checks ------------------------------------------------------------------ */

typedef struct adi_stored_check {
    uint64_t replication; /* of its run (read_failed: the first that failed) */
    char *bound;          /* owned */
    int is_ci, holds;
    double predicted, observed, tolerance, ci_lo, ci_hi, confidence;
} adi_stored_check;

typedef struct adi_stored_checks {
    size_t n;
    adi_stored_check *c; /* [n], owned */
} adi_stored_checks;

/* How many check rows the point's runs have, and how many do not hold. */
int adi_store_count_checks(adi_store *st, int64_t point_id, size_t *checks, size_t *failed);

/* The point's checks that do not hold: an exact one per run, an interval
** one once (it has the same verdict on every run), ordered by the first
** replication that failed, then by bound. */
int adi_store_read_failed_checks(adi_store *st, int64_t point_id, adi_stored_checks *out);

/* The checks of the point's first run (an interval check there stands for
** the point), in the order of their bounds. */
int adi_store_read_first_checks(adi_store *st, int64_t point_id, adi_stored_checks *out);

void adi_stored_checks_free(adi_stored_checks *checks);

/* ---- devices and histograms ------------------------------------------------- */

typedef struct adi_stored_device {
    size_t device;        /* its index in the point's pool */
    uint64_t replication; /* read_device_totals: how many runs were summed */
    adi_device_result r;  /* mean_time, tasks, busy, idle, transfer, wait (finish is
                             not stored; rows from before schema 8 read transfer 0,
                             wait = idle) */
} adi_stored_device;

typedef struct adi_stored_devices {
    size_t n;
    adi_stored_device *d; /* [n], owned */
} adi_stored_devices;

/* Every device of every run of the point, by device, then replication. */
int adi_store_read_devices(adi_store *st, int64_t point_id, adi_stored_devices *out);

/* Per device of the point, its tasks and busy time summed over the runs
** (mean_time and idle are 0), by device. */
int adi_store_read_device_totals(adi_store *st, int64_t point_id, adi_stored_devices *out);

void adi_stored_devices_free(adi_stored_devices *devices);

/* One bucket of a stored latency histogram (store.h: latency_hist). */
typedef struct adi_stored_bucket {
    int64_t bucket;  /* 1/64 octave; -1: the latencies of exactly 0 */
    double lo, hi;   /* s */
    uint64_t count;  /* over every replication */
} adi_stored_bucket;

typedef struct adi_stored_hist {
    size_t n;
    adi_stored_bucket *b; /* [n], owned, by bucket */
} adi_stored_hist;

/* The point's histogram of latencies from `kind`: "enqueue" or "created". */
int adi_store_read_hist(adi_store *st, int64_t point_id, const char *kind, adi_stored_hist *out);
void adi_stored_hist_free(adi_stored_hist *hist);

#endif
