/*
** store/store_int.h — what the files of store/ share: the store's layout and
** a few helpers. Not for use outside store/ (and its tests).
**
** A store is one connection to one database file. A database that did not
** exist when it was opened for writing is first made under a temporary name
** beside its path (`staged`) and linked into place with the first result
** stored in it (store_publish), so that no other process ever sees it empty
** or half made, and a call that fails before storing anything leaves no
** database behind (open.c).
*/
#ifndef ADI_STORE_STORE_INT_H
#define ADI_STORE_STORE_INT_H

#include "store/store.h"

#include <sqlite3.h>

/* The statements of write.c: prepared when a store is opened for writing
** (ST_FIND also on first use by a reader). */
enum { ST_RUN, ST_DEVICE, ST_CHECK, ST_HIST, ST_POINT, ST_LINK, ST_FIND, ST_VERSION, ST_COUNT };

/* The statements of read.c, prepared on first use. */
enum {
    RD_NAMES, RD_SCENARIO, RD_PROFILES, RD_RUNS, RD_COUNT_CHECKS, RD_FAILED, RD_FIRST_CHECKS,
    RD_DEVICES, RD_DEVICE_TOTALS, RD_HIST, RD_COUNT
};

struct adi_store {
    sqlite3 *db;
    char *path;       /* as the caller gave it: messages, publishing */
    char *staged;     /* the temporary file a new database is made in until
                         it is published; NULL: the database is at path */
    unsigned connection;  /* counts the connections made: ids read on one
                             are not valid on the next */
    sqlite3_stmt *stmt[ST_COUNT];
    sqlite3_stmt *read[RD_COUNT];
};

/* The connection, for the files of store/ and for tests that look at the
** rows themselves; owned by the store, and replaced when a new database is
** published: fetch it again after a write. */
sqlite3 *adi_store_db(adi_store *st);

/* ADI_EIO with "<path>: <what>: <SQLite's message>". */
int store_db_error(const adi_store *st, const char *what);

/* Runs SQL without results; failures as store_db_error. */
int store_exec(adi_store *st, const char *sql, const char *what);

/* Prepares the statements of write.c (st->stmt); finalizes those and the
** ones read.c prepared (st->read). */
int store_prepare(adi_store *st);
void store_unprepare(adi_store *st);

/* Brings the schema of st's file up to date (writable), or checks that it
** is (read only), with the messages of store.h (schema.c). */
int store_schema_ensure(adi_store *st, int writable);

/* A staged database becomes the file at st->path: after a write committed
** in it, and before anything else happens. *redo = 1 when it could not be
** linked into place because another process created st->path meanwhile (or
** the file system has no hard links): the staged file is then dropped, st is
** open on the file at st->path, and the caller must write again what it
** wrote. A store that is not staged is left alone (*redo = 0). */
int store_publish(adi_store *st, int *redo);

#endif
