/*
** cli/calibrate.c — `calibrate --device NAME`: measure the kernels on this
** machine and write the device profile (and, with --db, the same into
** SQLite); `calibrate --import RECORD` turns a measurement record from
** another device (a probe build's, the Cortex-M4 firmware's) into one.
** Only options and exit codes live here; the work is in calibrate/
** (measure.c, import.c, profile.c) and store/.
**
** Built with ADI_PROBE (make PROBE=1, make CROSS=aarch64-linux-gnu-) it
** links only libc: it measures and writes the record (--out, default
** NAME.record), which `calibrate --import` on a full build turns into a
** profile. --db and --import need the full build.
**
** Exit: 0 measured and written, 2 bad input or usage, or a failure (a
** kernel's wrong result, an emulator's times, an unwritable file).
*/
#include "measure/measure.h"
#include "measure/record_file.h"
#include "core/error.h"
#ifndef ADI_PROBE
#include "calibrate/beside.h"
#include "profile/import.h"
#include "calibrate/link.h"
#include "calibrate/save.h"
#include "store/store.h"
#define USAGE_FULL                                                                           \
    "       calibrate --import RECORD [--device NAME] [--out FILE] [--db FILE]\n"              \
    "                 [--cpi X] [--clock HZ] [--note TEXT]\n"                                 \
    "       calibrate --serve [--port [ADDR:]PORT] [--sessions N]\n"
#define OUT_DEFAULT "profiles/%s.ini"
#else
#define USAGE_FULL ""
#define OUT_DEFAULT "%s.record"
#endif

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: calibrate --device NAME [--kernel conv|x2|all] [--reps N] [--quick]\n"
    "                 [--out FILE] [--db FILE] [--threads K] [--shape S] [--batch B]\n"
    "                 [--gemm blas|plain] [--beside PROFILE] [--link HOST[:PORT]]\n" USAGE_FULL
    "\n"
    "Times real kernels on this machine (an im2col + GEMM convolution of ResNet18 and\n"
    "the paper's y = 2x model), checks their results, fits lognormal and gamma laws to\n"
    "one task's time and writes a device profile that simulate reads through\n"
    "[devices] profiles = FILE xN.\n"
    "\n"
    "  --device NAME  required: the device's name (letters, digits, . _ -)\n"
    "  --kernel K     conv, x2 or all (default all)\n"
    "  --reps N       timed tasks per copy (default 100 conv, 5000 x2)\n"
    "  --quick        a few seconds in all (for tests): shorter warm-up, 10 conv and\n"
    "                 200 x2 tasks, fewer (at least 3) if they would take over ~1 s\n"
    "  --out FILE     the profile (default profiles/NAME.ini)\n"
    "  --db FILE      also store it in this SQLite database (tables calibration,\n"
    "                 calibration_sample)\n"
    "  --threads K    run K copies at once and time each: the contended time of one\n"
    "                 task when K run on the device together (default 1)\n"
    "  --shape S      conv layer: stem, layer1 (default), layer2, layer3, layer4, or\n"
    "                 IN:OUT:H[:W] (channels in and out, image size)\n"
    "  --batch B      images per task (default 64 conv, 32 x2)\n"
    "  --gemm G       conv's GEMM: blas (this build's, the default) or plain (the\n"
    "                 plain C GEMM of builds without BLAS: a slower device)\n"
    "  --beside PROF  time the tasks while PROF's task (the same kernel, its shape,\n"
    "                 batch and GEMM) runs over and over on another core: a device\n"
    "                 that shares this machine with a different one (needs one\n"
    "                 --kernel; full build)\n"
    "  --import REC   make the profile from a measurement record instead (a probe\n"
    "                 build's, make PROBE=1 or CROSS=..., or the Cortex-M4 firmware's)\n"
    "  --cpi X        --import of instruction counts (an emulator's): cycles per\n"
    "                 instruction for the estimated time (default 1.5)\n"
    "  --clock HZ     --import: the core clock (default: the record's for cycles,\n"
    "                 168e6 for instructions)\n"
    "  --note TEXT    added to the profile's origin, e.g. \"this host stands in for\n"
    "                 a Mac Studio\"\n"
    "  --link HOST[:PORT]  also measure this device's link to the coordinator, where\n"
    "                 `calibrate --serve` runs: one-way latency and bandwidth each way\n"
    "                 with the task's own input and output sizes, into the profile's\n"
    "                 [link] (full build)\n"
    "  --serve        on the coordinator (full build): answer --link measurements, N\n"
    "                 devices one after another (--sessions, default 1), on PORT (--port,\n"
    "                 default 5577; 0: any free one, printed; ADDR: that address only)\n"
    "  --quiet        print nothing but errors\n"
    "  --help, --version\n"
    "\n"
#ifdef ADI_PROBE
    "This is a probe build (libc only): it writes the measurement record (default\n"
    "NAME.record) instead of the profile; `calibrate --import` makes the profile.\n\n"
#endif
    "Exit status: 0 done, 2 bad input, a wrong kernel result or a file not written.\n";

static int fail(const char *msg)
{
    fprintf(stderr, "calibrate: %s\n", msg);
    return 2;
}

static void progress(void *ctx, const char *kernel, size_t done, size_t total, double elapsed)
{
    (void)ctx;
    double left = done ? elapsed * (double)(total - done) / (double)done : 0;
    fprintf(stderr, "\rcalibrate: %s %zu/%zu tasks, %.0f s left   ", kernel, done, total, left);
    if (done == total)
        fputc('\n', stderr);
}

#ifndef ADI_PROBE
static void say(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "calibrate: %s\n", line);
}
#endif

static int count(const char *name, const char *text, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (*end || !*text || text[0] == '-' || errno || v < 1 || v > max) {
        fprintf(stderr, "calibrate: %s: expected a whole number from 1 to %zu, got '%s'\n", name,
                max, text);
        return 0;
    }
    *out = (size_t)v;
    return 1;
}

static int positive(const char *name, const char *text, double *out)
{
    char *end;
    *out = strtod(text, &end);
    if (*end || !*text || !(*out > 0) || *out > 1e15) {
        fprintf(stderr, "calibrate: %s: expected a positive number, got '%s'\n", name, text);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"device", required_argument, NULL, 'd'}, {"kernel", required_argument, NULL, 'k'},
        {"reps", required_argument, NULL, 'r'},   {"quick", no_argument, NULL, 'Q'},
        {"out", required_argument, NULL, 'o'},    {"db", required_argument, NULL, 'D'},
        {"threads", required_argument, NULL, 't'}, {"shape", required_argument, NULL, 's'},
        {"batch", required_argument, NULL, 'b'},  {"quiet", no_argument, NULL, 'q'},
        {"import", required_argument, NULL, 'I'}, {"cpi", required_argument, NULL, 'C'},
        {"clock", required_argument, NULL, 'H'},  {"note", required_argument, NULL, 'N'},
        {"gemm", required_argument, NULL, 'G'},   {"beside", required_argument, NULL, 'B'},
        {"serve", no_argument, NULL, 'S'},        {"port", required_argument, NULL, 'P'},
        {"sessions", required_argument, NULL, 'n'}, {"link", required_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    adi_calibrate_options o = {0};
    const char *out = NULL, *db = NULL, *import = NULL, *note = NULL, *beside = NULL,
               *port = NULL, *link = NULL;
    size_t sessions = 0;
    int serve = 0;
    double cpi = 0, clock_hz = 0;
    int quiet = 0, opt, measuring = 0;
    adi_kernel k;
    while ((opt = getopt_long(argc, argv, "d:k:r:o:t:s:b:qhV", options, NULL)) != -1) {
        measuring |= strchr("krQtsbGB", opt) != NULL;
        switch (opt) {
        case 'd': o.device = optarg; break;
        case 'k':
            for (k = 0; k < ADI_KERNEL_COUNT && strcmp(optarg, adi_kernel_name(k)) != 0; k++)
                ;
            if (strcmp(optarg, "all") != 0 && k == ADI_KERNEL_COUNT)
                return fail("--kernel: expected conv, x2 or all");
            o.kernels = k == ADI_KERNEL_COUNT ? 0 : 1u << k;
            break;
        case 'r':
            if (!count("--reps", optarg, ADI_CALIBRATE_MAX_REPS, &o.reps))
                return 2;
            break;
        case 'Q': o.quick = 1; break;
        case 'o': out = optarg; break;
        case 'D': db = optarg; break;
        case 't':
            if (!count("--threads", optarg, ADI_CALIBRATE_MAX_THREADS, &o.threads))
                return 2;
            break;
        case 's': o.shape = optarg; break;
        case 'b':
            if (!count("--batch", optarg, 65536, &o.batch))
                return 2;
            break;
        case 'q': quiet = 1; break;
        case 'G':
            if (strcmp(optarg, "plain") != 0 && strcmp(optarg, "blas") != 0)
                return fail("--gemm: expected blas or plain");
#ifdef ADI_PROBE
            if (strcmp(optarg, "blas") == 0)
                return fail("--gemm blas: this probe build has no BLAS (its GEMM is plain C)");
#endif
            o.plain_gemm = strcmp(optarg, "plain") == 0;
            break;
        case 'B': beside = optarg; break;
        case 'S': serve = 1; break;
        case 'P': port = optarg; break;
        case 'n':
            if (!count("--sessions", optarg, 1000000, &sessions))
                return 2;
            break;
        case 'L': link = optarg; break;
        case 'I': import = optarg; break;
        case 'N': note = optarg; break;
        case 'C':
            if (!positive("--cpi", optarg, &cpi))
                return 2;
            break;
        case 'H':
            if (!positive("--clock", optarg, &clock_hz))
                return 2;
            break;
        case 'h': fputs(usage, stdout); return 0;
        case 'V': printf("calibrate (adisim) %s, BLAS %s\n", ADI_VERSION, adi_calibrate_gemm_name()); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (optind != argc) {
        fputs(usage, stderr);
        return 2;
    }
#ifdef ADI_PROBE
    if (db || import || cpi > 0 || clock_hz > 0 || note || beside || serve || link || port)
        return fail("--db, --import, --cpi, --clock, --note, --beside, --serve and --link need "
                    "the full build (make); this probe build only measures and writes the record");
#else
    if ((port || sessions) && !serve)
        return fail("--port and --sessions go with --serve");
    if (serve && (o.device || measuring || out || db || import || link || note))
        return fail("--serve answers other devices' --link: it takes only --port and --sessions");
    if (serve)
        return adi_link_serve(port, sessions ? sessions : 1, 600, say, NULL) == ADI_OK
                   ? 0 : fail(adi_errmsg());
    char lh[256], lp[16];
    if (link && (import || adi_link_split(link, ADI_LINK_PORT, lh, sizeof lh, lp, sizeof lp)))
        return fail(import ? "--link measures this machine's link: not with --import"
                           : adi_errmsg());
#endif
    if (import && measuring)
        return fail("--import makes a profile from a record: --kernel, --reps, --quick, "
                    "--threads, --shape, --batch, --gemm and --beside belong to a measurement");
    if (!import && (cpi > 0 || clock_hz > 0))
        return fail("--cpi and --clock convert a record's counts: use them with --import");
    if (!o.device && !import)
        return fail("--device NAME is required (the name of the machine measured, e.g. pi4)");
    if (beside && (!o.kernels || (o.kernels & (o.kernels - 1))))
        return fail("--beside: measure one kernel at a time (--kernel conv or --kernel x2)");
    adi_record *rec = NULL;
    int rc = ADI_OK, status;
#ifndef ADI_PROBE
    /* Try the database and read the record before measuring: a bad path
    ** should cost nothing. Opening a new one and closing it leaves nothing
    ** (store.h); it is opened again to store the rows. */
    adi_profile *pf = NULL;
    adi_store *st;
    if (db && adi_store_open(db, 1, &st) != ADI_OK)
        return fail(adi_errmsg());
    if (db)
        adi_store_close(st);
    if (import)
        rc = adi_record_load(import, &rec);
    adi_profile *next_to = NULL;
    adi_calibrate_corunner corunner;
    size_t beside_tasks = 0;
    if (rc == ADI_OK && beside &&
        (rc = adi_beside_load(beside, o.kernels == 1u << ADI_KERNEL_CONV ? ADI_KERNEL_CONV
                                                                          : ADI_KERNEL_X2,
                              &next_to, &corunner)) == ADI_OK) {
        o.beside = &corunner;
        o.beside_tasks = &beside_tasks;
    }
#endif
    if (rc == ADI_OK && !import) {
        if (!quiet && isatty(STDERR_FILENO))
            o.progress = progress;
        rc = adi_calibrate_run(&o, &rec);
    }
    char path[512];
    if (!out) {
        snprintf(path, sizeof path, OUT_DEFAULT, o.device ? o.device : rec ? rec->device : "");
        out = path;
    }
#ifndef ADI_PROBE
    adi_import_options io = {.device = o.device, .cpi = cpi, .clock_hz = clock_hz, .path = import,
                             .note = note};
    if (rc == ADI_OK)
        rc = adi_profile_from_record(rec, &io, &pf);
    if (rc == ADI_OK && link)
        rc = adi_link_calibrate(pf, link, o.quick);
    if (rc == ADI_OK && db)
        rc = adi_store_calibration_check(pf);
    /* profiles/NAME.ini: make the directory if this is the first profile */
    if (rc == ADI_OK && out == path && mkdir("profiles", 0777) != 0 && errno != EEXIST)
        rc = adi_fail(ADI_EIO, "profiles: cannot create the directory: %s (use --out FILE)",
                      strerror(errno));
    if (rc == ADI_OK) /* the rows first, then the file (save.h) */
        rc = adi_profile_store(pf, out, db);
    if (rc == ADI_OK && !quiet) {
        adi_profile_summary(pf, stdout);
        fprintf(stderr, "calibrate: wrote %s%s%s%s\n", out, db ? " and stored it in " : "",
                db ? db : "", adi_profile_estimated(pf) ? " (times estimated, not measured)" : "");
        if (next_to)
            fprintf(stderr, "calibrate: beside %s (%s): it ran %zu of its tasks meanwhile on "
                    "another core\n", next_to->device, beside, beside_tasks);
    }
    adi_profile_free(pf);
    adi_profile_free(next_to);
#else
    if (rc == ADI_OK)
        rc = adi_record_save(rec, out);
    if (rc == ADI_OK && !quiet)
        fprintf(stderr, "calibrate: wrote the measurement record %s; make the profile with "
                        "`calibrate --import %s` on a full build\n", out, out);
    if (rc == ADI_OK && strcmp(rec->emulator, "none") != 0)
        fprintf(stderr, "calibrate: note: this ran under %s: the times are the emulator's, not "
                        "a device's; the record checks the kernels only\n", rec->emulator);
#endif
    status = rc == ADI_OK ? 0 : fail(adi_errmsg());
    adi_record_free(rec);
    return status;
}
