/*
** calibrate/save.h — the last step of `calibrate`: the device profile
** written to its file and, with --db, stored in the results database, so
** that neither appears without the other. Full build only.
*/
#ifndef ADI_CALIBRATE_SAVE_H
#define ADI_CALIBRATE_SAVE_H

#include "profile/profile.h"

/* Writes pf to path and (db_path not NULL) its calibration rows to that
** database. The rows are committed first, while the profile waits in a
** temporary file beside path (core/outfile.h); then the file is renamed into
** place. So a failure anywhere (a full disk, a database that cannot be
** written) leaves neither, and a kill leaves at most the rows without the
** file, in the moment between the two. Sets pf->path and pf->sha256, as
** adi_profile_save does. */
int adi_profile_store(adi_profile *pf, const char *path, const char *db_path);

#endif
