/*
** measure/record_file.c — saving a measurement record to a file, all or
** nothing (a temporary file in the same directory, then rename). libc
** only: the probe build (make PROBE=1, make CROSS=...) writes its records
** with it.
*/
#include "measure/record_file.h"
#include "core/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put_file(void *ctx, const char *text) { fputs(text, ctx); }

int adi_record_print(const adi_record *r, FILE *f)
{
    adi_record_write(r, put_file, f);
    return fflush(f) == 0 && !ferror(f) ? ADI_OK : adi_fail(ADI_EIO, "cannot write the record");
}

int adi_record_save(const adi_record *r, const char *path)
{
    char *tmp = malloc(strlen(path) + 16);
    if (!tmp)
        return adi_fail(ADI_ENOMEM, "out of memory");
    sprintf(tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp), rc = ADI_OK;
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        rc = adi_fail(ADI_EIO, "%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return rc;
    }
    fchmod(fd, 0644); /* mkstemp makes 0600; a record is meant to be copied around */
    adi_record_write(r, put_file, f);
    int err = ferror(f) ? errno : 0;
    if (fclose(f) != 0 || err)
        rc = adi_fail(ADI_EIO, "%s: cannot write: %s", path, strerror(err ? err : errno));
    else if (rename(tmp, path) != 0)
        rc = adi_fail(ADI_EIO, "%s: cannot write: %s", path, strerror(errno));
    if (rc != ADI_OK)
        unlink(tmp);
    free(tmp);
    return rc;
}

void adi_record_free(adi_record *r)
{
    if (!r)
        return;
    for (int k = 0; k < ADI_KERNEL_COUNT; k++)
        if (r->kernel[k]) {
            for (size_t j = 0; r->kernel[k]->batches && j < r->kernel[k]->nbatches; j++)
                free(r->kernel[k]->batches[j].counts);
            free(r->kernel[k]->batches);
            free(r->kernel[k]->counts);
            free(r->kernel[k]);
        }
    free(r);
}
