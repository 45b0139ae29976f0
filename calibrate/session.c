/*
** calibrate/session.c — one `calibrate` run (see session.h): the checks
** that need several options at once, the order of the steps (every path
** tried before anything is measured), the default file names.
*/
#include "calibrate/session.h"
#include "core/error.h"
#include "measure/record_file.h"
#ifndef ADI_PROBE
#include "calibrate/beside.h"
#include "calibrate/link.h"
#include "calibrate/save.h"
#include "profile/import.h"
#include "store/store.h"
#endif

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* The options, checked before anything else, into measure.h's. */
static int check_options(const adi_session_options *o, adi_calibrate_options *m)
{
    *m = (adi_calibrate_options){.device = o->device, .shape = o->shape, .batch = o->batch,
                                 .batches = o->batches, .nbatches = o->nbatches,
                                 .reps = o->reps, .threads = o->threads, .quick = o->quick,
                                 .progress = o->progress, .ctx = o->ctx};
    if (o->kernel && strcmp(o->kernel, "all") != 0) {
        adi_kernel k;
        for (k = 0; k < ADI_KERNEL_COUNT && strcmp(o->kernel, adi_kernel_name(k)) != 0; k++)
            ;
        if (k == ADI_KERNEL_COUNT)
            return adi_fail(ADI_EINPUT, "--kernel: expected conv, x2 or all");
        m->kernels = 1u << k;
    }
    if (o->gemm && strcmp(o->gemm, "plain") != 0 && strcmp(o->gemm, "blas") != 0)
        return adi_fail(ADI_EINPUT, "--gemm: expected blas or plain");
#ifdef ADI_PROBE
    if (o->gemm && strcmp(o->gemm, "blas") == 0)
        return adi_fail(ADI_EINPUT, "--gemm blas: this probe build has no BLAS (its GEMM is "
                        "plain C)");
    if (o->db || o->import || o->cpi > 0 || o->clock_hz > 0 || o->note || o->beside ||
        o->serve || o->link || o->port)
        return adi_fail(ADI_EINPUT, "--db, --import, --cpi, --clock, --note, --beside, --serve "
                        "and --link need the full build (make); this probe build only measures "
                        "and writes the record");
#endif
    m->plain_gemm = o->gemm && strcmp(o->gemm, "plain") == 0;
    int measuring = o->kernel || o->reps || o->quick || o->threads || o->shape || o->batch ||
                    o->nbatches || o->gemm || o->beside;
#ifndef ADI_PROBE
    if ((o->port || o->sessions) && !o->serve)
        return adi_fail(ADI_EINPUT, "--port and --sessions go with --serve");
    if (o->serve && (o->device || measuring || o->out || o->db || o->import || o->link ||
                     o->note))
        return adi_fail(ADI_EINPUT, "--serve answers other devices' --link: it takes only "
                        "--port and --sessions");
    if (o->serve)
        return ADI_OK;
    char host[256], port[16];
    if (o->link && o->import)
        return adi_fail(ADI_EINPUT, "--link measures this machine's link: not with --import");
    if (o->link && adi_link_split(o->link, ADI_LINK_PORT, host, sizeof host, port, sizeof port))
        return ADI_EINPUT;
#endif
    if (o->import && measuring)
        return adi_fail(ADI_EINPUT, "--import makes a profile from a record: --kernel, --reps, "
                        "--quick, --threads, --shape, --batch, --gemm and --beside belong to a "
                        "measurement");
    if (!o->import && (o->cpi > 0 || o->clock_hz > 0))
        return adi_fail(ADI_EINPUT, "--cpi and --clock convert a record's counts: use them "
                        "with --import");
    if (!o->device && !o->import)
        return adi_fail(ADI_EINPUT, "--device NAME is required (the name of the machine "
                        "measured, e.g. pi4)");
    if (o->beside && (!m->kernels || (m->kernels & (m->kernels - 1))))
        return adi_fail(ADI_EINPUT, "--beside: measure one kernel at a time (--kernel conv or "
                        "--kernel x2)");
    return ADI_OK;
}

/* res->out: --out, or the default for the device (the record's when
** importing without --device). */
static void output_path(const adi_session_options *o, const adi_record *rec,
                        adi_session_result *res)
{
    const char *device = o->device ? o->device : rec ? rec->device : "";
    if (o->out)
        snprintf(res->out, sizeof res->out, "%s", o->out);
    else
#ifndef ADI_PROBE
        snprintf(res->out, sizeof res->out, "profiles/%s.ini", device);
#else
        snprintf(res->out, sizeof res->out, "%s.record", device);
#endif
}

#ifndef ADI_PROBE
/* The record made a profile, saved to res->out and (--db) its rows. */
static int save_profile(const adi_session_options *o, const adi_record *rec, FILE *table,
                        adi_session_result *res)
{
    adi_import_options io = {.device = o->device, .cpi = o->cpi, .clock_hz = o->clock_hz,
                             .path = o->import, .note = o->note};
    adi_profile *pf = NULL;
    int rc = adi_profile_from_record(rec, &io, &pf);
    if (rc == ADI_OK && o->link)
        rc = adi_link_calibrate(pf, o->link, o->quick);
    if (rc == ADI_OK && o->db)
        rc = adi_store_calibration_check(pf);
    /* profiles/NAME.ini: make the directory if this is the first profile */
    if (rc == ADI_OK && !o->out && mkdir("profiles", 0777) != 0 && errno != EEXIST)
        rc = adi_fail(ADI_EIO, "profiles: cannot create the directory: %s (use --out FILE)",
                      strerror(errno));
    if (rc == ADI_OK) /* the rows first, then the file (save.h) */
        rc = adi_profile_store(pf, res->out, o->db);
    if (rc == ADI_OK) {
        res->estimated = adi_profile_estimated(pf);
        if (table)
            adi_profile_summary(pf, table);
    }
    adi_profile_free(pf);
    return rc;
}
#endif

int adi_session_run(const adi_session_options *o, FILE *table, adi_session_result *res)
{
    memset(res, 0, sizeof *res);
    adi_calibrate_options m;
    int rc = check_options(o, &m);
    if (rc != ADI_OK)
        return rc;
    adi_record *rec = NULL;
#ifndef ADI_PROBE
    if (o->serve) {
        res->served = 1;
        return adi_link_serve(o->port, o->sessions ? o->sessions : 1, 600, o->say, o->ctx);
    }
    /* The database and the files before measuring: a bad path should cost
    ** nothing. Opening a new database and closing it leaves nothing
    ** (store.h); save.c opens it again to store the rows. */
    adi_store *st;
    if (o->db && (rc = adi_store_open(o->db, 1, &st)) != ADI_OK)
        return rc;
    if (o->db)
        adi_store_close(st);
    if (o->import)
        rc = adi_record_load(o->import, &rec);
    adi_profile *next_to = NULL;
    adi_calibrate_corunner corunner;
    if (rc == ADI_OK && o->beside &&
        (rc = adi_beside_load(o->beside, m.kernels == 1u << ADI_KERNEL_CONV ? ADI_KERNEL_CONV
                                                                             : ADI_KERNEL_X2,
                              &next_to, &corunner)) == ADI_OK) {
        m.beside = &corunner;
        m.beside_tasks = &res->beside_tasks;
        snprintf(res->beside, sizeof res->beside, "%s", next_to->device);
    }
#endif
    if (rc == ADI_OK && !o->import)
        rc = adi_calibrate_run(&m, &rec);
    output_path(o, rec, res);
#ifndef ADI_PROBE
    if (rc == ADI_OK)
        rc = save_profile(o, rec, table, res);
    adi_profile_free(next_to);
#else
    (void)table;
    if (rc == ADI_OK)
        rc = adi_record_save(rec, res->out);
    res->record = 1;
    if (rc == ADI_OK && strcmp(rec->emulator, "none") != 0)
        snprintf(res->emulator, sizeof res->emulator, "%s", rec->emulator);
#endif
    adi_record_free(rec);
    return rc;
}
