/*
** store/open.c — opening, creating and closing a results database (store.h,
** store_int.h).
**
** Writers use WAL mode: readers never wait for a writer nor a writer for
** readers, and with synchronous = NORMAL a commit costs no fsync (the WAL is
** synced at each checkpoint, every 1000 pages): a killed process loses
** nothing it committed; a power failure can lose the last commits, never
** make a point partial. Two writers take turns: each transaction starts
** with BEGIN IMMEDIATE and waits up to BUSY_MS for the other's to end.
**
** A database that does not exist yet is made whole before anyone can see
** it. The schema is written into a temporary file beside the path
** (".NAME.tmpPID.N", made with O_EXCL), the first transaction that stores
** a result commits there, and then link(2) puts the finished file at its
** path. link fails when the path exists: another process created it
** meanwhile; the temporary file is then dropped and that write redone in
** the other's database (store_publish). So no process ever sees an empty
** or half-made file, concurrent first writers all succeed, and a call that
** fails (or is killed) before storing anything leaves no database behind:
** at most, after a kill, its hidden temporary file. On a file system
** without hard links the database is created in place, its schema in one
** transaction (schema.c).
**
** Readers read one snapshot from open to close (a read transaction), so a
** sweep writing meanwhile is never seen half way. They open the file for
** writing when they may (query_only: they never write a row), because a WAL
** database needs its -shm file and the last connection to close removes
** that and the -wal file; a read-only connection would leave both behind.
** Where the -shm file cannot be made (a directory the reader cannot write,
** a full disk), a database no one has open (no -wal file) is opened as
** immutable instead.
*/
#include "store/store_int.h"
#include "core/error.h"
#include "core/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long a writer waits for another's transaction (ms). A point's takes
** milliseconds; a large --merge can hold the database for longer. */
#define BUSY_MS 120000

int store_db_error(const adi_store *st, const char *what)
{
    if (!st->db)
        return adi_fail(ADI_EIO, "%s: %s: out of memory", st->path, what);
    /* "disk I/O error" and "unable to open" say more with the system's word
    ** (File too large, Permission denied, ...) */
    int code = sqlite3_errcode(st->db) & 0xff, e = sqlite3_system_errno(st->db);
    if ((code == SQLITE_IOERR || code == SQLITE_CANTOPEN) && e)
        return adi_fail(ADI_EIO, "%s: %s: %s (%s)", st->path, what, sqlite3_errmsg(st->db),
                        strerror(e));
    return adi_fail(ADI_EIO, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

int store_exec(adi_store *st, const char *sql, const char *what)
{
    return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? ADI_OK
                                                                    : store_db_error(st, what);
}

/* "<file><suffix>" (malloc'ed), or NULL. */
static char *with_suffix(const char *file, const char *suffix)
{
    size_t len = strlen(file) + strlen(suffix) + 1;
    char *s = malloc(len);
    if (s)
        snprintf(s, len, "%s%s", file, suffix);
    return s;
}

static void remove_file(const char *file, const char *suffix)
{
    char *name = with_suffix(file, suffix);
    if (name)
        unlink(name);
    free(name);
}

/* The size of "<file><suffix>", or -1 when there is none. */
static long long file_size(const char *file, const char *suffix)
{
    char *name = with_suffix(file, suffix);
    struct stat sb;
    long long size = name && stat(name, &sb) == 0 ? (long long)sb.st_size : -1;
    free(name);
    return size;
}

/* A new, empty, uniquely named file beside path (malloc'ed name, in *out),
** with the permissions SQLite gives a database (0666 less the umask). */
static int make_temp(const adi_store *st, char **out)
{
    int fd = adi_outfile_temp(st->path, O_RDWR, out);
    if (fd < 0)
        return adi_fail(ADI_EIO, "%s: cannot open the database: %s", st->path, strerror(errno));
    close(fd);
    return ADI_OK;
}

static int connect(adi_store *st, const char *file, int flags)
{
    st->connection++;
    if (sqlite3_open_v2(file, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return store_db_error(st, "cannot open the database");
    sqlite3_busy_timeout(st->db, BUSY_MS);
    return store_exec(st, "PRAGMA foreign_keys = ON", "cannot configure");
}

static void disconnect(adi_store *st)
{
    store_unprepare(st);
    sqlite3_close(st->db);
    st->db = NULL;
}

/* WAL, unless another connection is busy with the file right now (an older
** database then stays in its rollback journal until the next writer: slower,
** as safe) or the file system cannot share memory between processes. */
static int writer_settings(adi_store *st)
{
    sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    int rc = store_exec(st, "PRAGMA synchronous = NORMAL", "cannot configure");
    return rc == ADI_OK ? store_prepare(st) : rc;
}

/* The writable connection on the file at st->path (made there if missing). */
static int open_at_path(adi_store *st)
{
    int rc = connect(st, st->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (rc == ADI_OK)
        rc = store_schema_ensure(st, 1);
    return rc == ADI_OK ? writer_settings(st) : rc;
}

/* A new database: the whole schema, in a temporary file beside the path. */
static int open_staged(adi_store *st)
{
    int rc = make_temp(st, &st->staged);
    if (rc != ADI_OK)
        return rc;
    if ((rc = connect(st, st->staged, SQLITE_OPEN_READWRITE)) == ADI_OK &&
        (rc = store_exec(st, "PRAGMA journal_mode = WAL", "cannot configure")) == ADI_OK)
        rc = store_schema_ensure(st, 1);
    return rc == ADI_OK ? writer_settings(st) : rc;
}

static int sync_directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int store_publish(adi_store *st, int *redo)
{
    *redo = 0;
    if (!st->staged)
        return ADI_OK;
    /* The WAL checkpointed into the file and emptied (this is where a full
    ** disk shows: the file must grow), then closed: the file alone is the
    ** whole database. */
    int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) ==
                     SQLITE_OK ? ADI_OK : store_db_error(st, "cannot create the database");
    disconnect(st);
    int linked = 0, e = 0;
    if (rc == ADI_OK && file_size(st->staged, "-wal") > 0)
        rc = adi_fail(ADI_EIO, "%s: cannot create the database: its WAL was not checkpointed",
                      st->path);
    if (rc == ADI_OK && !(linked = link(st->staged, st->path) == 0))
        e = errno;
    remove_file(st->staged, "-wal");
    remove_file(st->staged, "-shm");
    remove_file(st->staged, "");
    free(st->staged);
    st->staged = NULL;
    if (rc != ADI_OK)
        return rc;
    if (!linked && e != EEXIST && e != EPERM && e != ENOTSUP && e != EOPNOTSUPP && e != EXDEV &&
        e != EMLINK && e != ENOSYS)
        return adi_fail(ADI_EIO, "%s: cannot create the database: %s", st->path, strerror(e));
    if (linked)
        sync_directory_of(st->path); /* the new name survives a power failure */
    *redo = !linked;
    return open_at_path(st);
}

int adi_store_publish(adi_store *st)
{
    int redo;
    return store_publish(st, &redo);
}

/* "file:PATH?immutable=1", with PATH's URI specials escaped (malloc'ed). */
static char *immutable_uri(const char *path)
{
    size_t len = 3 * strlen(path) + 32, n = 0;
    char *uri = malloc(len);
    if (!uri)
        return NULL;
    n += (size_t)snprintf(uri, len, "file:%s", path[0] == '/' ? "//" : "");
    for (const char *c = path; *c; c++)
        n += (size_t)(strchr("%?#", *c) ? snprintf(uri + n, len - n, "%%%02X", (unsigned char)*c)
                                         : snprintf(uri + n, len - n, "%c", *c));
    snprintf(uri + n, len - n, "?immutable=1");
    return uri;
}

/* One snapshot, query_only (see the top of this file). */
static int begin_reading(adi_store *st)
{
    int rc = store_exec(st, "PRAGMA query_only = ON", "cannot configure");
    if (rc == ADI_OK && (rc = store_exec(st, "BEGIN", "cannot read the database")) == ADI_OK)
        rc = store_schema_ensure(st, 0);
    return rc;
}

static int open_reader(adi_store *st)
{
    int rc = connect(st, st->path, SQLITE_OPEN_READWRITE); /* read only if the file is */
    if (rc == ADI_OK)
        rc = begin_reading(st);
    int e = st->db ? sqlite3_errcode(st->db) : SQLITE_OK;
    if (rc == ADI_OK || (e != SQLITE_CANTOPEN && e != SQLITE_IOERR) ||
        file_size(st->path, "-wal") >= 0)
        return rc;
    char *uri = immutable_uri(st->path);
    if (!uri)
        return adi_fail(ADI_ENOMEM, "out of memory");
    disconnect(st);
    rc = connect(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    free(uri);
    return rc == ADI_OK ? begin_reading(st) : rc;
}

int adi_store_open(const char *path, int create, adi_store **out)
{
    *out = NULL;
    adi_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    int rc;
    if (!create)
        rc = open_reader(st);
    else if (*path && strcmp(path, ":memory:") != 0 && access(path, F_OK) != 0 &&
             errno == ENOENT)
        rc = open_staged(st);
    else
        rc = open_at_path(st);
    if (rc != ADI_OK) {
        adi_store_close(st);
        return rc;
    }
    *out = st;
    return ADI_OK;
}

void adi_store_close(adi_store *st)
{
    if (!st)
        return;
    disconnect(st);
    if (st->staged) { /* never published: nothing was stored */
        remove_file(st->staged, "-wal");
        remove_file(st->staged, "-shm");
        remove_file(st->staged, "");
        free(st->staged);
    }
    free(st->path);
    free(st);
}

/* ---- a database as bytes (sweep/mpi.c sends shards so) ---------------------- */

int adi_store_serialize(adi_store *st, unsigned char **data, size_t *size)
{
    sqlite3_int64 bytes = 0;
    *data = sqlite3_serialize(st->db, "main", &bytes, 0);
    *size = *data ? (size_t)bytes : 0;
    return *data || bytes == 0 ? ADI_OK
                               : adi_fail(ADI_ENOMEM, "%s: out of memory for its bytes", st->path);
}

unsigned char *adi_store_bytes_alloc(size_t size)
{
    return sqlite3_malloc64(size ? size : 1);
}

void adi_store_bytes_free(unsigned char *data)
{
    sqlite3_free(data);
}

int adi_store_open_bytes(unsigned char *data, size_t size, const char *name, adi_store **out)
{
    *out = NULL;
    adi_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(name))) {
        free(st);
        adi_store_bytes_free(data);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    int rc = connect(st, ":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (rc == ADI_OK &&
        sqlite3_deserialize(st->db, "main", data, (sqlite3_int64)size, (sqlite3_int64)size,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
            SQLITE_OK)
        rc = store_db_error(st, "cannot read the database");
    else if (rc != ADI_OK)
        adi_store_bytes_free(data); /* deserialize frees it even when it fails */
    if (rc != ADI_OK) {
        adi_store_close(st);
        return rc;
    }
    *out = st;
    return ADI_OK;
}

sqlite3 *adi_store_db(adi_store *st) { return st->db; }
const char *adi_store_path(const adi_store *st) { return st->path; }
