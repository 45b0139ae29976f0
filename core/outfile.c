/*
** core/outfile.c — temporary file, fsync, rename (see outfile.h).
*/
#include "core/outfile.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct adi_outfile {
    char *path, *tmp;
    FILE *f;
};

static int cannot(const char *path, int e)
{
    return adi_fail(ADI_EIO, "%s: cannot write: %s", path, strerror(e));
}

int adi_outfile_temp(const char *path, int flags, char **name)
{
    static atomic_uint counter;
    size_t len = strlen(path) + 48;
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash - path) + 1 : 0, fd = -1;
    if (!(*name = malloc(len))) {
        errno = ENOMEM;
        return -1;
    }
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(*name, len, "%.*s.%s.tmp%ld.%u", dir, path, path + dir, (long)getpid(),
                 atomic_fetch_add(&counter, 1));
        if ((fd = open(*name, flags | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int e = errno;
        free(*name);
        *name = NULL;
        errno = e;
    }
    return fd;
}

int adi_outfile_open(const char *path, adi_outfile **out)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return cannot(path, EISDIR);
    adi_outfile *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path))) {
        adi_outfile_abort(o);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    int fd = adi_outfile_temp(path, O_WRONLY, &o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        adi_outfile_abort(o);
        return cannot(path, e);
    }
    *out = o;
    return ADI_OK;
}

FILE *adi_outfile_stream(adi_outfile *f) { return f->f; }

int adi_outfile_commit(adi_outfile *f)
{
    int e = 0;
    if (fflush(f->f) != 0 || ferror(f->f) || fsync(fileno(f->f)) != 0)
        e = errno ? errno : EIO;
    if (fclose(f->f) != 0 && !e)
        e = errno;
    f->f = NULL;
    if (!e && rename(f->tmp, f->path) != 0)
        e = errno;
    if (!e) {
        free(f->tmp);
        f->tmp = NULL;
    }
    int rc = e ? cannot(f->path, e) : ADI_OK;
    adi_outfile_abort(f);
    return rc;
}

void adi_outfile_abort(adi_outfile *f)
{
    if (!f)
        return;
    if (f->f)
        fclose(f->f);
    if (f->tmp)
        unlink(f->tmp);
    free(f->tmp);
    free(f->path);
    free(f);
}
