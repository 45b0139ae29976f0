/*
** calibrate/save.c — the profile's rows, then its file (see save.h).
*/
#include "calibrate/save.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/outfile.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

int adi_profile_store(adi_profile *pf, const char *path, const char *db_path)
{
    char *text = NULL, *copy = NULL;
    adi_outfile *file = NULL;
    adi_store *st = NULL;
    int rc = adi_profile_text(pf, &text);
    if (rc == ADI_OK)
        rc = adi_outfile_open(path, &file);
    if (rc == ADI_OK && !(copy = strdup(path)))
        rc = adi_fail(ADI_ENOMEM, "out of memory");
    if (rc == ADI_OK) { /* the rows name the file and its hash; pf owns copy */
        size_t len = strlen(text);
        fwrite(text, 1, len, adi_outfile_stream(file));
        adi_sha256_hex(text, len, pf->sha256);
        free(pf->path);
        pf->path = copy;
    }
    if (rc == ADI_OK && db_path && (rc = adi_store_open(db_path, 1, &st)) == ADI_OK)
        rc = adi_store_calibration(st, pf);
    adi_store_close(st);
    if (rc == ADI_OK) {
        rc = adi_outfile_commit(file);
        if (rc != ADI_OK && db_path) {
            char why[1024];
            snprintf(why, sizeof why, "%s", adi_errmsg());
            adi_fail(rc, "%s (its calibration rows are stored in %s)", why, db_path);
        }
    } else {
        adi_outfile_abort(file);
    }
    free(text);
    return rc;
}
