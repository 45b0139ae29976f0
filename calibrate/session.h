/*
** calibrate/session.h — one run of `calibrate`: the options checked
** together, then either this machine measured (measure/measure.h, with a
** co-runner for --beside, calibrate/beside.h) or a measurement record from
** another device read (--import), the device profile made from it
** (profile/import.h), its link to the coordinator measured (--link,
** calibrate/link.h) and saved with its database rows (calibrate/save.h);
** or, with --serve, the coordinator's side of other devices' --link.
** Nothing is measured before the paths are known to work: the database is
** tried and the record and the co-runner's profile read first, so a typo
** costs no minutes of timing; nothing is left half-written.
**
** The probe build (ADI_PROBE: make PROBE=1, make CROSS=...) links libc
** only: a session measures and writes the measurement record (default
** NAME.record), which `calibrate --import` on a full build turns into the
** profile; --db, --import, --cpi, --clock, --note, --beside, --serve and
** --link are refused.
**
** Like the rest of the library it prints nothing but the profile's table,
** into the FILE* the caller gives; messages are for the caller to print
** from the result and adi_errmsg().
*/
#ifndef ADI_CALIBRATE_SESSION_H
#define ADI_CALIBRATE_SESSION_H

#include "measure/measure.h"

#include <stddef.h>
#include <stdio.h>

/* As the options of `calibrate` give them; NULL or 0: not given. */
typedef struct adi_session_options {
    const char *device;    /* required unless importing (the record names it) */
    const char *kernel;    /* "conv", "x2" or "all" (NULL: all) */
    const char *gemm;      /* conv's GEMM: "blas" (NULL) or "plain" */
    const char *shape;     /* conv's layer (measure.h); NULL: layer1 */
    size_t reps;           /* timed tasks per copy; 0: the default */
    size_t threads;        /* copies at once; 0: 1 */
    size_t batch;          /* images per task; 0: the kernel's default */
    const size_t *batches; /* further batch sizes to time (--batch B1,B2,...: batch = B1,
                              these the others; adi_calibrate_parse_batches) */
    size_t nbatches;
    int quick;             /* a few seconds in all */
    const char *beside;    /* a profile whose task runs on another core meanwhile */
    const char *import;    /* a measurement record to make the profile from */
    double cpi, clock_hz;  /* --import of instruction counts; 0: the defaults */
    const char *note;      /* appended to the profile's origin */
    const char *out;       /* the file to write; NULL: profiles/NAME.ini (made if
                              missing), NAME.record in the probe build */
    const char *db;        /* also store the profile's rows there; NULL: no */
    const char *link;      /* HOST[:PORT] of a `calibrate --serve`: measure the link to it */
    int serve;             /* answer other devices' --link instead (calibrate/link.h) */
    const char *port;      /* --serve: [ADDR:]PORT; NULL: ADI_LINK_PORT on every address */
    size_t sessions;       /* --serve: devices to serve, one after another; 0: 1 */
    adi_calibrate_progress progress; /* while measuring, or NULL */
    void (*say)(void *ctx, const char *line); /* --serve: its lines (no newline), or NULL */
    void *ctx;             /* for progress and say */
} adi_session_options;

typedef struct adi_session_result {
    int served;            /* 1: --serve answered its devices; nothing written */
    char out[512];         /* the file written */
    int record;            /* 1: a measurement record (probe build), 0: a profile */
    int estimated;         /* the profile's times are estimated, not measured */
    char emulator[192];    /* record: what emulated the device ("" on hardware) */
    char beside[64];       /* --beside: the co-runner's device, else "" */
    size_t beside_tasks;   /* --beside: the tasks it ran meanwhile */
} adi_session_result;

/* Runs the session. On success the profile's summary table is printed to
** table (NULL: none) and *res says what was written. ADI_EINPUT for
** options that do not go together or a bad file, ADI_EIO for one that
** cannot be written, ADI_EINTERNAL for a kernel's wrong result. */
int adi_session_run(const adi_session_options *o, FILE *table, adi_session_result *res);

#endif
