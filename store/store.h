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
**   latency_hist    per point: the latency histogram over its replications
**                   (kind enqueue|created; bucket edges lo, hi; count), in
**                   buckets of 1/64 octave (at most 1.1 % wide)
**   calibration     per measured kernel of a device profile (calibrate
**                   --db): task, statistics, both fits, rate, host
**   calibration_sample  every timed task of a calibration (copy, rep, seconds)
** PRAGMA user_version holds the schema version; foreign keys are on.
**
** A point and everything about it is written in one transaction, so an
** interrupted sweep leaves only whole points behind, and a rerun skips
** exactly the points already stored (same scenario name, same key).
*/
#ifndef ADI_STORE_STORE_H
#define ADI_STORE_STORE_H

#include "calibrate/profile.h"
#include "scenario/scenario.h"
#include "sweep/sweep.h"

#include <sqlite3.h>
#include <stdint.h>

typedef struct adi_store adi_store;

/* Opens (create = 1: creating file and schema if needed) the database.
** On failure *out is NULL and the message names the file. */
int adi_store_open(const char *path, int create, adi_store **out);

/* Closes; NULL does nothing. */
void adi_store_close(adi_store *st);

/* The connection, for readers (report, plot); owned by the store. */
sqlite3 *adi_store_db(adi_store *st);
const char *adi_store_path(const adi_store *st);

/* Finds or inserts the row for this scenario text; *id receives it. The
** profiles of a calibrated scenario are stored with it (scenario_profile). */
int adi_store_scenario(adi_store *st, const adi_scenario *sc, int64_t *id);

/* Stored scenario `id` (its path and text as stored) parsed again, from the
** profiles it was stored with rather than the files at their paths now (a
** database older than those rows reads the files). db_path names the
** database in messages. */
int adi_store_parse_scenario(sqlite3 *db, const char *db_path, int64_t id, const char *path,
                             const char *text, adi_scenario **out);

/* *point_id = the stored point with this scenario name and key, or 0. */
int adi_store_find_point(adi_store *st, const char *scenario_name, const adi_point *p,
                         int64_t *point_id);

/* Records that the scenario row includes the point (idempotent). */
int adi_store_link_point(adi_store *st, int64_t scenario_id, int64_t point_id,
                         size_t position);

/* Writes a finished point, its runs, devices, checks and latency
** histograms, and links it to the scenario row, in one transaction. */
int adi_store_write_point(adi_store *st, int64_t scenario_id, const char *scenario_name,
                          const adi_point_result *pr);

/* Runs of point p executed for real on `host` (calibrate/execute.h): a point
** row of their own, key "measured on HOST: <key>", source 'measured' on it
** and its runs, twin = the simulated point with the same key (NULL if not
** stored). Not linked to the scenario row, so tables and figures of the
** simulation are unchanged. One transaction. */
int adi_store_write_measured(adi_store *st, int64_t scenario_id, const char *scenario_name,
                             const adi_point *p, const char *host, const adi_run_result *runs,
                             size_t nruns);

/* *point_id = the measured point of p on host, or 0. */
int adi_store_find_measured(adi_store *st, const char *scenario_name, const adi_point *p,
                            const char *host, int64_t *point_id);

/* Stores every kernel of a profile (a calibration row each, and its
** samples) in one transaction. The profile should have been saved first, so
** that its path and SHA-256 are known. `source` says whether the times were
** measured, emulated or estimated (profile.h). */
int adi_store_calibration(adi_store *st, const adi_profile *pf);

/* ADI_OK when adi_store_calibration can store the profile; ADI_EINPUT and
** why not (a kernel without a fitted law: the table requires one) before
** anything is written anywhere. */
int adi_store_calibration_check(const adi_profile *pf);

#endif
