/*
** store/store.h — the results database (SQLite).
**
** One file holds every scenario's runs. Tables (times in seconds):
**   scenario        name, path, ini_text, ini_sha256, created_at; one row per
**                   distinct text of a named scenario
**   point           one sweep point: its canonical key and parameters;
**                   unique per (scenario_name, key)
**   scenario_point  which points make up which scenario row, in sweep order
**   run             one replication of a point: the metrics of DESIGN.md
**   run_device      per device of a run: mean_time, tasks_done, busy, idle
**   bound_check     per run and bound: predicted, observed, holds (0/1),
**                   kind (exact|ci), tolerance or ci_lo/ci_hi/confidence
**   (point and run also say source = simulated | measured; a measured point,
**   executed for real, names its host and its simulated twin)
**   latency_hist    per point and kind (enqueue|created): the latency
**                   histogram over its replications, in buckets of 1/64
**                   octave (at most 1.1 % wide), packed in one blob
**                   (store/histogram.h)
**   calibration     per measured kernel of a device profile (calibrate
**                   --db): task, statistics, both fits, rate, host
**   calibration_sample  every timed task of a calibration (copy, rep, seconds)
**   calibration_link    a profile's [link] (calibrate --link): latency and
**                   bandwidth each way with their spread, sizes, peer
** PRAGMA user_version holds the schema version; foreign keys are on.
**
** A point and everything about it is written in one transaction (with the
** points finished within 0.1 s before it), so an interrupted sweep leaves
** only whole points behind, and a rerun skips exactly the points already
** stored (same scenario name, same key).
**
** Any number of processes may open and write one database at once (a
** batch-scheduler array, shards, two runs of the same scenario): each write
** is a transaction that waits for the others', and a point another process
** stored first is kept and linked, not stored twice. Writers use WAL mode;
** readers read one snapshot, never a point or a schema half written. A new
** database appears at its path whole, with the first thing stored in it
** (open.c); docs/reliability-store.md lists these promises and their tests.
**
** Every SQL statement of adisim lives in store/: this header opens, closes
** and writes; store/read.h reads back what report, plots and fidelity show;
** store/merge.h joins databases. The metrics of table run are listed once,
** in store/columns.h, and schema.c, write.c and read.c make their SQL from
** that list (docs/database.md: adding a metric). No caller sees SQLite.
*/
#ifndef ADI_STORE_STORE_H
#define ADI_STORE_STORE_H

#include "check/result.h"
#include "profile/profile.h"
#include "scenario/scenario.h"

#include <stdint.h>

typedef struct adi_store adi_store;

/* Opens the database at path. create = 0: read only, as one snapshot from
** here to adi_store_close; the file must exist and have this schema.
** create = 1: for writing; an older schema is brought up to date. A file
** that does not exist yet is made under a temporary name beside path and
** appears at path (with its schema and that write) when the first write
** commits, or at adi_store_publish: a store closed before that leaves no
** file behind. On failure *out is NULL and the message names the file. */
int adi_store_open(const char *path, int create, adi_store **out);

/* A new database appears at its path now, empty (nothing to do for one
** that is there already). For a caller that succeeded without storing
** anything, and for tests. Anything written on the connection directly
** before (tests, store_int.h) is dropped if another process created the
** file meanwhile. */
int adi_store_publish(adi_store *st);

/* Closes; NULL does nothing. A new database never published is removed. */
void adi_store_close(adi_store *st);

/* The whole database as bytes (how an MPI rank sends its share): *data
** (adi_store_bytes_free) and *size. */
int adi_store_serialize(adi_store *st, unsigned char **data, size_t *size);

/* A read-only store over such bytes, kept in memory until adi_store_close
** (a merge's source); `name` stands for its path in messages. data must
** come from adi_store_bytes_alloc (or adi_store_serialize): the store
** takes it, and frees it on failure too. */
int adi_store_open_bytes(unsigned char *data, size_t size, const char *name, adi_store **out);

/* Memory for bytes adi_store_open_bytes takes (NULL: out of memory), and
** its release. */
unsigned char *adi_store_bytes_alloc(size_t size);
void adi_store_bytes_free(unsigned char *data);

/* The path as given to adi_store_open (owned by the store). */
const char *adi_store_path(const adi_store *st);

/* Finds or inserts the row for this scenario text, in one transaction; *id
** receives it. The profiles of a calibrated scenario are stored with it
** (scenario_profile). */
int adi_store_scenario(adi_store *st, const adi_scenario *sc, int64_t *id);

/* *point_id = the stored point with this scenario name and key, or 0. */
int adi_store_find_point(adi_store *st, const char *scenario_name, const adi_point *p,
                         int64_t *point_id);

/* Records that the scenario row includes the point (idempotent). */
int adi_store_link_point(adi_store *st, int64_t scenario_id, int64_t point_id,
                         size_t position);

/* A sweep's writer: the scenario's points as they finish. Its scenario row,
** and the row's links to the points stored before, are written with its
** first point, in that point's transaction (or by adi_store_sweep_finish):
** a sweep that fails before its first point writes nothing. */
typedef struct adi_store_sweep adi_store_sweep;

/* Marks in skip[0..npoints) the points of sc stored already (by anyone,
** under sc's name) and counts them in *stored; writes nothing. The writer
** keeps st and sc (the caller's) until adi_store_sweep_free. */
int adi_store_sweep_begin(adi_store *st, const adi_scenario *sc, unsigned char *skip,
                          size_t *stored, adi_store_sweep **out);

/* Stores a finished point, its runs, devices, checks and latency histograms
** and links it to the scenario row. *already = 1 when another process
** stored the same point (name and key) since adi_store_sweep_begin: the
** stored one is kept and linked, this one dropped (the same scenario and
** seed give the same bits).
**
** Points are gathered into one transaction for up to 0.1 s of wall clock
** (a new database's first point has one of its own, which publishes the
** file): the transaction ends when a point comes after that, or at
** adi_store_sweep_flush, which the caller must call before it waits for
** the next point past adi_store_sweep_pending's deadline (at once, once
** another connection has written the database: write.c). A commit has
** every point of it whole, so an interrupted sweep still leaves whole
** points only; a failed one rolls back all the points of its transaction,
** the one that failed and those gathered before it. */
int adi_store_sweep_point(adi_store_sweep *w, const adi_point_result *pr, int *already);

/* 1 and *deadline (adi_clock_s seconds) when points wait in an open
** transaction that adi_store_sweep_flush must end by then; else 0. */
int adi_store_sweep_pending(const adi_store_sweep *w, double *deadline);

/* Commits the open transaction, if any. */
int adi_store_sweep_flush(adi_store_sweep *w);

/* How many points this writer has committed. */
size_t adi_store_sweep_committed(const adi_store_sweep *w);

/* Flushes, and records the scenario row and its links if no point did;
** *scenario_id. */
int adi_store_sweep_finish(adi_store_sweep *w, int64_t *scenario_id);

/* NULL does nothing; points not flushed are dropped. */
void adi_store_sweep_free(adi_store_sweep *w);

/* Runs of point p executed for real on `host` (exec/execute.h): a point
** row of their own, key "measured on HOST: <key>", source 'measured' on it
** and its runs, twin = the simulated point with the same key (NULL if not
** stored). Not linked to the scenario row, so tables and figures of the
** simulation are unchanged. One transaction; a measured point stored
** already (by another process meanwhile) is left as it is. */
int adi_store_write_measured(adi_store *st, int64_t scenario_id, const char *scenario_name,
                             const adi_point *p, const char *host, const adi_run_result *runs,
                             size_t nruns);

/* *point_id = the measured point of p on host, or 0. */
int adi_store_find_measured(adi_store *st, const char *scenario_name, const adi_point *p,
                            const char *host, int64_t *point_id);

/* Stores every kernel of a profile (a calibration row each, and its
** samples) and its [link] (a calibration_link row) in one transaction. The
** profile's path and SHA-256 must be set (calibrate/save.h stores the row
** before the file appears). `source` says
** whether the times were measured, emulated or estimated (profile.h). */
int adi_store_calibration(adi_store *st, const adi_profile *pf);

/* ADI_OK when adi_store_calibration can store the profile; ADI_EINPUT and
** why not (a kernel without a fitted law: the table requires one) before
** anything is written anywhere. */
int adi_store_calibration_check(const adi_profile *pf);

#endif
