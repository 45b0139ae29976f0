/*
** core/outfile.h — an output file that appears whole or not at all.
**
** It is written to a temporary file beside its path (".NAME.tmpPID.N", in
** the same directory so that the rename cannot cross file systems), synced
** and renamed over the path at adi_outfile_commit. A failure, an
** adi_outfile_abort or a crash leaves the path as it was: at most, after a
** kill, the hidden temporary file. Opening makes the temporary file at once,
** so a path that cannot be written fails before any work is done. Costs one
** fsync of the file at commit.
*/
#ifndef ADI_CORE_OUTFILE_H
#define ADI_CORE_OUTFILE_H

#include <stdio.h>

typedef struct adi_outfile adi_outfile;

/* Starts the file for path. Errors ("PATH: cannot write: why") when the
** temporary file cannot be made or path is a directory. */
int adi_outfile_open(const char *path, adi_outfile **out);

/* Where to write (owned by f, valid until commit or abort). */
FILE *adi_outfile_stream(adi_outfile *f);

/* Flushes, syncs and renames the file into place; frees f. On failure the
** temporary file is removed and the path left as it was. */
int adi_outfile_commit(adi_outfile *f);

/* Removes the temporary file and frees f; NULL does nothing. */
void adi_outfile_abort(adi_outfile *f);

/* The temporary files of this and of store/open.c: a new file beside path,
** ".NAME.tmpPID.N", opened with flags | O_CREAT | O_EXCL (mode 0666 less the
** umask). Returns its descriptor and *name (malloc'ed), or -1 with errno set
** and *name NULL. */
int adi_outfile_temp(const char *path, int flags, char **name);

#endif
