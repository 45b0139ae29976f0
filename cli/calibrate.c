/*
** cli/calibrate.c — `calibrate --device NAME`: measure the kernels on this
** machine and write the device profile (and, with --db, the same into
** SQLite). Only options and exit codes live here; the work is in
** calibrate/ (measure.c, profile.c) and store/.
**
** Exit: 0 measured and written, 2 bad input or usage, or a failure (a
** kernel's wrong result, an unwritable file).
*/
#include "calibrate/measure.h"
#include "core/error.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ADI_BLAS
#define ADI_BLAS "gslcblas"
#endif

static const char usage[] =
    "usage: calibrate --device NAME [--kernel conv|x2|all] [--reps N] [--quick]\n"
    "                 [--out FILE] [--db FILE] [--threads K] [--shape S] [--batch B]\n"
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
    "  --quiet        print nothing but errors\n"
    "  --help, --version\n"
    "\n"
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

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"device", required_argument, NULL, 'd'}, {"kernel", required_argument, NULL, 'k'},
        {"reps", required_argument, NULL, 'r'},   {"quick", no_argument, NULL, 'Q'},
        {"out", required_argument, NULL, 'o'},    {"db", required_argument, NULL, 'D'},
        {"threads", required_argument, NULL, 't'}, {"shape", required_argument, NULL, 's'},
        {"batch", required_argument, NULL, 'b'},  {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    adi_calibrate_options o = {0};
    const char *out = NULL, *db = NULL;
    int quiet = 0, opt;
    adi_kernel k;
    while ((opt = getopt_long(argc, argv, "d:k:r:o:t:s:b:qhV", options, NULL)) != -1) {
        switch (opt) {
        case 'd': o.device = optarg; break;
        case 'k':
            if (strcmp(optarg, "all") == 0)
                o.kernels = 0;
            else if (adi_kernel_parse(optarg, &k) == ADI_OK)
                o.kernels = 1u << k;
            else
                return fail("--kernel: expected conv, x2 or all");
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
        case 'h': fputs(usage, stdout); return 0;
        case 'V': puts("calibrate (adisim) " ADI_VERSION ", BLAS " ADI_BLAS); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (optind != argc) {
        fputs(usage, stderr);
        return 2;
    }
    if (!o.device)
        return fail("--device NAME is required (the name of the machine measured, e.g. pi4)");
    char path[512];
    if (!out) {
        snprintf(path, sizeof path, "profiles/%s.ini", o.device);
        out = path;
    }
    /* Open the database before measuring: a bad path should cost nothing. */
    adi_store *st = NULL;
    if (db && adi_store_open(db, 1, &st) != ADI_OK)
        return fail(adi_errmsg());
    if (!quiet && isatty(STDERR_FILENO))
        o.progress = progress;
    adi_profile *pf = NULL;
    int rc = adi_calibrate_run(&o, &pf);
    /* profiles/NAME.ini: make the directory if this is the first profile */
    if (rc == ADI_OK && out == path && mkdir("profiles", 0777) != 0 && errno != EEXIST)
        rc = adi_fail(ADI_EIO, "profiles: cannot create the directory: %s (use --out FILE)",
                      strerror(errno));
    if (rc == ADI_OK)
        rc = adi_profile_save(pf, out);
    if (rc == ADI_OK && st)
        rc = adi_store_calibration(st, pf);
    if (rc == ADI_OK && !quiet) {
        adi_profile_summary(pf, stdout);
        fprintf(stderr, "calibrate: wrote %s%s%s\n", out, st ? " and stored it in " : "",
                st ? db : "");
    }
    int status = rc == ADI_OK ? 0 : fail(adi_errmsg());
    adi_profile_free(pf);
    adi_store_close(st);
    return status;
}
