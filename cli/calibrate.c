/*
** cli/calibrate.c — `calibrate --device NAME`: measure the kernels on this
** machine and write the device profile (and, with --db, the same into
** SQLite); `calibrate --import RECORD` turns a measurement record from
** another device (a probe build's, the Cortex-M4 firmware's) into one;
** `--link HOST[:PORT]` adds the link to a coordinator running `calibrate
** --serve`. Only options, messages and the exit code live here; the
** session is calibrate/session.h.
**
** Built with ADI_PROBE (make PROBE=1, make CROSS=aarch64-linux-gnu-) it
** links only libc: it measures and writes the record (--out, default
** NAME.record), which `calibrate --import` on a full build turns into a
** profile. --db and --import need the full build.
**
** Exit: 0 measured and written, 2 bad input or usage, or a failure (a
** kernel's wrong result, an emulator's times, an unwritable file).
*/
#include "calibrate/session.h"
#include "cli/args.h"
#include "core/error.h"

#include <stdio.h>
#include <unistd.h>

enum {
    OPT_DEVICE = ADI_CLI_LONG, OPT_KERNEL, OPT_REPS, OPT_QUICK, OPT_THREADS, OPT_SHAPE,
    OPT_BATCH, OPT_GEMM, OPT_BESIDE, OPT_IMPORT, OPT_CPI, OPT_CLOCK, OPT_NOTE, OPT_LINK,
    OPT_SERVE, OPT_PORT, OPT_SESSIONS
};

static const adi_cli_option options[] = {
    {"device", OPT_DEVICE, "NAME", "required: the device's name (letters, digits, . _ -)"},
    {"kernel", OPT_KERNEL, "K", "conv, x2 or all (default all)"},
    {"reps", OPT_REPS, "N", "timed tasks per copy (default 100 conv, 5000 x2)"},
    {"quick", OPT_QUICK, NULL, "a few seconds in all (for tests): shorter warm-up, 10 conv and "
     "200 x2 tasks, fewer (at least 3) if they would take over ~1 s"},
    ADI_CLI_OPT_OUT("FILE", "the profile (default profiles/NAME.ini)"),
    ADI_CLI_OPT_DB("also store it in this SQLite database (tables calibration, "
                   "calibration_sample)"),
    {"threads", OPT_THREADS, "K", "run K copies at once and time each: the contended time of "
     "one task when K run on the device together (default 1)"},
    {"shape", OPT_SHAPE, "S", "conv layer: stem, layer1 (default), layer2, layer3, layer4, or "
     "IN:OUT:H[:W] (channels in and out, image size)"},
    {"batch", OPT_BATCH, "B[,B...]", "images per task (default 64 conv, 32 x2); a list "
     "1,8,32,64 (increasing) also times batches of those sizes and fits T(b), a batch's time: "
     "the first is the task"},
    {"gemm", OPT_GEMM, "G", "conv's GEMM: blas (this build's, the default) or plain (the plain "
     "C GEMM of builds without BLAS: a slower device)"},
    {"beside", OPT_BESIDE, "PROF", "time the tasks while PROF's task (the same kernel, its "
     "shape, batch and GEMM) runs over and over on another core: a device that shares this "
     "machine with a different one (needs one --kernel; full build)"},
    {"import", OPT_IMPORT, "REC", "make the profile from a measurement record instead (a probe "
     "build's, make PROBE=1 or CROSS=..., or the Cortex-M4 firmware's)"},
    {"cpi", OPT_CPI, "X", "--import of instruction counts (an emulator's): cycles per "
     "instruction for the estimated time (default 1.5)"},
    {"clock", OPT_CLOCK, "HZ", "--import: the core clock (default: the record's for cycles, "
     "168e6 for instructions)"},
    {"note", OPT_NOTE, "TEXT", "added to the profile's origin, e.g. \"this host stands in for a "
     "Mac Studio\""},
    {"link", OPT_LINK, "HOST[:PORT]", "also measure this device's link to the coordinator, where "
     "`calibrate --serve` runs: one-way latency and bandwidth each way with the task's own "
     "input and output sizes, into the profile's [link] (full build)"},
    {"serve", OPT_SERVE, NULL, "on the coordinator (full build): answer --link measurements, N "
     "devices one after another (--sessions, default 1), on PORT (--port, default 5577; 0: any "
     "free one, printed; ADDR: that address only)"},
    {"port", OPT_PORT, "[ADDR:]PORT", "--serve: where to listen"},
    {"sessions", OPT_SESSIONS, "N", "--serve: how many devices to answer"},
    ADI_CLI_OPT_QUIET("print nothing but errors"),
    {NULL, 0, NULL, NULL},
};

static adi_cli_program program = {
    .name = "calibrate",
    .usage = "Usage: calibrate --device NAME [OPTION]...\n"
#ifndef ADI_PROBE
             "  or:  calibrate --import RECORD [OPTION]...\n"
             "  or:  calibrate --serve [--port [ADDR:]PORT] [--sessions N]\n"
#endif
    ,
    .about = "Times real kernels on this machine (an im2col + GEMM convolution of ResNet18 and\n"
             "the paper's y = 2x model), checks their results, fits lognormal and gamma laws to\n"
             "one task's time and writes a device profile that simulate reads through\n"
             "[devices] profiles = FILE xN.\n",
    .options = options,
#ifdef ADI_PROBE
    .notes = "This is a probe build (libc only): it writes the measurement record (default\n"
             "NAME.record) instead of the profile; `calibrate --import` makes the profile.\n",
#endif
    .exit_ok = "measured (or imported) and written",
    .exit_bad = "bad input or usage, a kernel's wrong result, or a file not written",
};

static void say(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "calibrate: %s\n", line);
}

static void progress(void *ctx, const char *kernel, size_t done, size_t total, double elapsed)
{
    (void)ctx;
    double left = done ? elapsed * (double)(total - done) / (double)done : 0;
    fprintf(stderr, "\rcalibrate: %s %zu/%zu tasks, %.0f s left   ", kernel, done, total, left);
    if (done == total)
        fputc('\n', stderr);
}

/* A count option into a size_t. */
static int count(const char *option, size_t max, size_t *out)
{
    uint64_t v;
    int rc = adi_cli_count(option, optarg, 1, max, &v);
    *out = (size_t)v;
    return rc;
}

int main(int argc, char **argv)
{
    adi_session_options o = {.say = say};
    size_t batches[ADI_CALIBRATE_MAX_BATCHES], nbatches;
    int quiet = 0;
    char blas[128];
    snprintf(blas, sizeof blas, "BLAS %s", adi_calibrate_gemm_name());
    program.version_note = blas;
    for (int id; (id = adi_cli_next(&program, argc, argv)) != -1;) {
        int rc = ADI_OK;
        switch (id) {
        case OPT_DEVICE: o.device = optarg; break;
        case OPT_KERNEL: o.kernel = optarg; break;
        case OPT_REPS: rc = count("--reps", ADI_CALIBRATE_MAX_REPS, &o.reps); break;
        case OPT_QUICK: o.quick = 1; break;
        case ADI_CLI_OUT: o.out = optarg; break;
        case ADI_CLI_DB: o.db = optarg; break;
        case OPT_THREADS: rc = count("--threads", ADI_CALIBRATE_MAX_THREADS, &o.threads); break;
        case OPT_SHAPE: o.shape = optarg; break;
        case OPT_BATCH:
            if ((rc = adi_calibrate_parse_batches(optarg, batches, &nbatches)) == ADI_OK) {
                o.batch = batches[0];
                o.batches = batches + 1;
                o.nbatches = nbatches - 1;
            }
            break;
        case OPT_GEMM: o.gemm = optarg; break;
        case OPT_BESIDE: o.beside = optarg; break;
        case OPT_IMPORT: o.import = optarg; break;
        case OPT_CPI: rc = adi_cli_real("--cpi", optarg, 0, 1e15, &o.cpi); break;
        case OPT_CLOCK: rc = adi_cli_real("--clock", optarg, 0, 1e15, &o.clock_hz); break;
        case OPT_NOTE: o.note = optarg; break;
        case OPT_LINK: o.link = optarg; break;
        case OPT_SERVE: o.serve = 1; break;
        case OPT_PORT: o.port = optarg; break;
        case OPT_SESSIONS: rc = count("--sessions", 1000000, &o.sessions); break;
        case ADI_CLI_QUIET: quiet = 1; break;
        default: return adi_cli_other(&program, id);
        }
        if (rc != ADI_OK)
            return adi_cli_fail(&program, adi_errmsg());
    }
    if (optind != argc)
        return adi_cli_usage_error(&program);
    if (!quiet && isatty(STDERR_FILENO))
        o.progress = progress;
    adi_session_result r;
    if (adi_session_run(&o, quiet ? NULL : stdout, &r) != ADI_OK)
        return adi_cli_fail(&program, adi_errmsg());
    if (r.served)
        return 0;
    if (!quiet && r.record)
        fprintf(stderr, "calibrate: wrote the measurement record %s; make the profile with "
                        "`calibrate --import %s` on a full build\n", r.out, r.out);
    else if (!quiet)
        fprintf(stderr, "calibrate: wrote %s%s%s%s\n", r.out, o.db ? " and stored it in " : "",
                o.db ? o.db : "", r.estimated ? " (times estimated, not measured)" : "");
    if (!quiet && r.beside[0])
        fprintf(stderr, "calibrate: beside %s (%s): it ran %zu of its tasks meanwhile on "
                "another core\n", r.beside, o.beside, r.beside_tasks);
    if (r.emulator[0]) /* even with --quiet */
        fprintf(stderr, "calibrate: note: this ran under %s: the times are the emulator's, not "
                        "a device's; the record checks the kernels only\n", r.emulator);
    return 0;
}
