/*
** measure/measure.h — timing the kernels on this machine: the library
** behind `bin/calibrate`. It produces a measurement record (record.h: the
** task, the self-check, one clock reading in ns per timed task);
** profile/import.c turns that into a device profile, in the same process
** for the full build, or later on another machine for the probe build
** (make PROBE=1 or CROSS=...), which links nothing but libc.
**
** For each kernel asked for, every copy (thread) allocates its own buffers,
** fills them with reproducible values, runs one task and checks it against
** the direct reference (a wrong result stops everything: no time is
** reported for it), warms up (at least 2 tasks and 0.5 s; --quick: 1 task
** and 0.1 s), waits for the other copies, then times `reps` tasks one by
** one with the monotonic clock, keeping every sample. A copy that finishes
** early keeps running untimed tasks until all have finished, so every timed
** task ran with the same number of copies competing for the machine: with
** threads = k the samples are one task's time on a device running k tasks
** at once, which is how a k-core device is modelled as k workers.
**
** The BLAS is single-threaded (blas.h), so a copy is one core's work. The
** probe build has no BLAS: the conv kernel's GEMM is adi_gemm_plain.
**
** The self-check also condenses the checked task's outputs into
** adi_checksum: with the same GEMM, two machines that compute the same
** outputs show the same checksum (tests/test_cross.c compares aarch64 with
** x86-64 that way).
**
** With further batch sizes (--batch B1,B2,...: B1 is the task, the others
** batches of the same images, larger) each size is measured the same way
** in turn, after the task's own: checked, warmed up, reps tasks timed
** (--quick: about a second each), every count kept in the record.
**
** Defaults: conv measures ResNet18's layer1 (64 -> 64 channels, 32x32) on a
** batch of 64; x2 a batch of 32 CIFAR-10 images (3x32x32). reps default to
** 100 for conv and 5000 for x2: about 10 s in all on a 2020s x86 core,
** several times that on a Raspberry Pi 4. --quick takes 10 and 200, fewer
** (at least 3) where they would take more than about 1 s, as when only
** GSL's reference CBLAS does the GEMM.
*/
#ifndef ADI_CALIBRATE_MEASURE_H
#define ADI_CALIBRATE_MEASURE_H

#include "measure/record.h"

#include <stddef.h>

/* Another device's task, run over and over on another core while this
** device's tasks are timed (--beside): the contention a device meets when
** it shares a machine with a different one, as in a heterogeneous pool
** built on one machine. --threads k is the same with k - 1 copies of itself. */
typedef struct adi_calibrate_corunner {
    const char *device;    /* whose task it is (named in the record's task text) */
    adi_kernel kernel;
    adi_conv_shape shape;  /* with its batch */
    int plain_gemm;        /* conv: 1 = adi_gemm_plain, 0 = this build's BLAS */
} adi_calibrate_corunner;

/* Called from the measuring thread now and then (at most ~10 times a
** second, and once when a kernel's timed tasks are all done). */
typedef void (*adi_calibrate_progress)(void *ctx, const char *kernel, size_t done,
                                       size_t total, double elapsed_s);

typedef struct adi_calibrate_options {
    const char *device;    /* required: letters, digits, . _ - */
    unsigned kernels;      /* bit 1 << adi_kernel per kernel; 0 = all */
    const char *shape;     /* conv: stem, layer1 .. layer4 or IN:OUT:H[:W]; NULL = layer1 */
    size_t batch;          /* images per task; 0 = 64 (conv), 32 (x2) */
    const size_t *batches; /* further batch sizes to time (calibrate --batch B1,B2,...), each
                              above batch and the last, at most ADI_CALIBRATE_MAX_BATCH */
    size_t nbatches;       /* how many, 0 .. ADI_CALIBRATE_MAX_BATCHES - 1 */
    size_t reps;           /* timed tasks per copy; 0 = the default */
    size_t threads;        /* copies run at once; 0 = 1 */
    int quick;             /* a few seconds in all */
    int plain_gemm;        /* conv with adi_gemm_plain, not the BLAS (the probe build's
                              GEMM, on a machine that has a BLAS) */
    const adi_calibrate_corunner *beside; /* or NULL; needs exactly one kernel */
    size_t *beside_tasks;  /* or NULL: receives how many tasks the co-runner ran */
    adi_calibrate_progress progress; /* or NULL */
    void *ctx;
} adi_calibrate_options;

/* Limits on options, so a typo cannot ask for hours or gigabytes. */
#define ADI_CALIBRATE_MAX_REPS 1000000
#define ADI_CALIBRATE_MAX_THREADS 1024
#define ADI_CALIBRATE_MAX_BATCH 65536                        /* images per task */
#define ADI_CALIBRATE_MAX_BATCHES (ADI_RECORD_MAX_BATCHES + 1) /* sizes in --batch */

/* --batch's text, "64" or "1,8,32,64": at most ADI_CALIBRATE_MAX_BATCHES
** sizes (each 1 .. ADI_CALIBRATE_MAX_BATCH images), increasing, none twice,
** into sizes[0..*n). The first is the task's batch, the others the further
** sizes. ADI_EINPUT with "--batch: ..." otherwise. */
int adi_calibrate_parse_batches(const char *text, size_t *sizes, size_t *n);

/* Measures and returns the record (host described, unit ns) in *out; the
** caller frees it with adi_record_free. ADI_EINPUT for bad options,
** ADI_EINTERNAL when a kernel computes a wrong result. */
int adi_calibrate_run(const adi_calibrate_options *opt, adi_record **out);

/* The GEMM the kernels run with in this build, in words ("openblas 0.3.21
** (Zen)", "adi_gemm_plain (plain C, no BLAS)"): a static string. */
const char *adi_calibrate_gemm_name(void);
#define ADI_CALIBRATE_PLAIN_GEMM_NAME "adi_gemm_plain (plain C, no BLAS)"

/* Parses a conv shape ("layer1", "16:32:15:17"): the layer's name
** ("custom" for numbers) into layer[size], channels and size into *shape
** (batch untouched). */
int adi_calibrate_parse_shape(const char *text, char *layer, size_t size, adi_conv_shape *shape);

/* The named shapes, for --help: "stem (3->64, 32x32), layer1 (...)". */
const char *adi_calibrate_shape_names(void);

#endif
