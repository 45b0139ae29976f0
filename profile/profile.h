/*
** profile/profile.h — device profiles: what calibrate measured on one
** device, as a plain INI file a person can read and that moves between
** machines (measure on the Pi, simulate on the laptop).
**
**   ; comments say what was measured, in words and units
**   [profile]   format (this reader: 1 to 4; newer files are refused),
**               device, created (UTC), adisim (the writer's version);
**               format 2: source and origin (below); emulated: cpi, clock_hz
**   [host]      cpu, cores, os, compiler, blas
**   [conv]      one section per measured kernel: the task (layer, batch,
**   [x2]        channels, height, width; format 2: `task`, how one task ran
**               on this device, in words), threads, reps, warmup, the work
**               per task (flops or bytes), mean std min p50 p95 p99 max (s),
**               gflops or gbps, both fits with their log-likelihood and KS
**               distance, the chosen family (fit; `none` when the samples
**               have no spread to fit, and then no fit parameters), format
**               2: the self-check's checksum; emulated: instructions per
**               task; format 3: input_bytes and output_bytes, what one task
**               moves over a network (adi_kernel_io_bytes; older profiles
**               get them from the shape); format 4: `batches`, the batch
**               sizes measured (images per call, the first the task's own),
**               and with several, each size's mean, std and sample count,
**               the affine and interpolated laws T(s) with their errors and
**               the one to use (model/batchlaw.h); and every sample (s) of the
**               task's own batch on indented continuation lines (inih reads
**               198 characters a line)
**   [link]      format 3, when `calibrate --link` measured it: the link to
**               the coordinator (peer), one-way latency (s) and bandwidth
**               each way (bytes/s), each with std, p50 and samples, and the
**               sizes of the bulk transfers (adi_link_profile)
**
** Where the numbers come from (format 2, `source`; format 1 means measured):
**
**   measured   timed on the device the profile names, by a clock or a
**              cycle counter (converted at a stated clock)
**   emulated   instructions counted under an emulator (the Cortex-M4 under
**              qemu-system-arm -icount); the samples are instructions x cpi
**              / clock_hz: an estimate, and the profile says so
**   estimated  not run on the device at all: derived from published
**              figures; `origin` names them
**
** `origin` says it in words (on what, by what, from which source). The
** simulator accepts all three; its tables and figures mark the pools whose
** devices have emulated or estimated times (adi_profile_estimated).
**
** Numbers are written with the fewest digits that read back exactly, so a
** profile round-trips bit for bit. With threads = k the samples are k
** copies' times, copy by copy: copy j's reps are samples[j*reps ..].
**
** Reading is strict: an unknown section or key, a missing or repeated key,
** a bad value, a sample count that is not threads * reps, or a newer format
** is one message "path:line: [section] key: why". The profile's SHA-256 (of
** its text) is kept, so results simulated from it can be told apart from
** results of any other measurement.
*/
#ifndef ADI_CALIBRATE_PROFILE_H
#define ADI_CALIBRATE_PROFILE_H

#include "model/batchlaw.h"
#include "profile/fit.h"
#include "kernels/kernels.h"

#include <stddef.h>
#include <stdio.h>

/* The profile format this code writes and the newest it reads (format 1,
** from before `source` existed, still reads: measured; format 2, from
** before kernels said their bytes and [link] existed, too; format 3, from
** before batch sizes, as measured at its one batch). */
#define ADI_PROFILE_FORMAT 4

typedef enum adi_source {
    ADI_SOURCE_MEASURED, ADI_SOURCE_EMULATED, ADI_SOURCE_ESTIMATED, ADI_SOURCE_COUNT
} adi_source;

/* "measured", "emulated", "estimated" (a static string). */
const char *adi_source_name(adi_source s);

/* "conv" or "x2" (kernels.h names them): ADI_OK, or ADI_EINPUT with a message. */
int adi_kernel_parse(const char *name, adi_kernel *k);

typedef struct adi_kernel_profile {
    adi_kernel kernel;
    char layer[32];       /* conv: "stem", "layer1", ... or "custom"; x2: "cifar10" */
    adi_conv_shape shape; /* batch, channels (in_c; conv also out_c), h, w */
    size_t threads;       /* copies run at once during the measurement */
    size_t reps;          /* timed tasks per copy */
    size_t warmup;        /* untimed tasks per copy before them */
    double work;          /* per task: flops (conv) or bytes read + written (x2) */
    adi_time_stats stats; /* seconds, over all threads * reps samples */
    double rate;          /* work / mean / 1e9: GFLOP/s (conv) or GB/s (x2), per copy */
    adi_fit fit;          /* fit.best = ADI_DIST_DETERMINISTIC: none (no spread) */
    char task[191];       /* how one task ran on this device, in words */
    char checksum[24];    /* adi_checksum of the self-check's outputs (hex), or "unknown" */
    double instructions;  /* emulated: instructions per task, mean (else 0) */
    double input_bytes;   /* one task's input over a network, bytes (format 3; */
    double output_bytes;  /* older profiles: adi_kernel_io_bytes of the shape) */
    adi_batch_law batch;  /* the sizes measured (size[0] = shape.batch, its mean, std and
                             count those of the samples) and T(s); one size before format 4 */
    double *samples;      /* [nsamples] seconds, copy by copy, in measured order; owned */
    double *sorted;       /* the same, ascending (for the empirical sampler); owned */
    size_t nsamples;
    int line;             /* line of the section header when read (0 otherwise) */
} adi_kernel_profile;

/* One measured quantity of a link: latency in s, a bandwidth in bytes/s. */
typedef struct adi_link_stat {
    double mean;  /* latency: the mean; bandwidth: bytes / the mean transfer time */
    double std;   /* of the samples (bandwidth: of each transfer's bytes / time) */
    double p50;   /* the median (bandwidth: bytes / the median transfer time) */
    size_t n;     /* samples */
} adi_link_stat;

/* The device's link to the coordinator as `calibrate --link` measured it
** (calibrate/link.h says how). */
typedef struct adi_link_profile {
    char peer[128];         /* the coordinator measured against, HOST:PORT */
    char created[32];       /* UTC */
    adi_link_stat latency;  /* one way, s: half of each small message's round trip */
    adi_link_stat down;     /* bytes/s, coordinator -> device (inputs) */
    adi_link_stat up;       /* bytes/s, device -> coordinator (outputs) */
    double input_bytes;     /* the size of each transfer down, and up */
    double output_bytes;
    int line;               /* line of [link] when read (0 otherwise) */
} adi_link_profile;

typedef struct adi_profile {
    int format;
    char device[64];      /* letters, digits, . _ - */
    char created[32];     /* UTC, 2024-05-01T12:00:00Z */
    char adisim[32];      /* version of the writer */
    char cpu[128], os[128], compiler[128], blas[128];
    unsigned cores;
    adi_source source;    /* where the times come from */
    char origin[191];     /* the same in words: on what, by what, from which source */
    double cpi, clock_hz; /* emulated: seconds = instructions x cpi / clock_hz (else 0) */
    adi_kernel_profile *kernel[ADI_KERNEL_COUNT]; /* NULL: not measured; owned */
    adi_link_profile *link; /* NULL: not measured; owned */
    char *path;           /* where it was read from or written to, or NULL; owned */
    char sha256[65];      /* of the text read or written ("" before either) */
} adi_profile;

/* An empty profile of the current format (source measured); NULL when out of
** memory. */
adi_profile *adi_profile_new(void);
void adi_profile_free(adi_profile *pf);

/* Adds kernel k's measurement: copies samples[0..n) (n = threads * reps,
** seconds), computes the statistics, the rate (from `work`) and both fits
** (none when fewer than two samples differ). `shape`, `layer`, threads,
** reps, warmup and work describe the task; its `task` text starts as
** adi_kernel_host_task(k) and its checksum as "unknown" (the caller may
** overwrite both). */
int adi_profile_add(adi_profile *pf, adi_kernel k, const char *layer, const adi_conv_shape *shape,
                    size_t threads, size_t reps, size_t warmup, double work,
                    const double *samples, size_t n);

/* Adds kernel k's measurement at a further batch size (images per call,
** larger than every size measured so far; kernel k measured first with
** adi_profile_add): its mean, std and count from samples[0..n) (seconds),
** then the law refitted (adi_batch_fit). Only the task's own batch keeps
** its samples (docs/profiles.md says why). */
int adi_profile_add_batch(adi_profile *pf, adi_kernel k, size_t batch, const double *samples,
                          size_t n);

/* Kernel k's section, or ADI_EINPUT with "path: no [conv] section (it has
** [x2]); measure it with `calibrate --kernel conv`". */
int adi_profile_need(const adi_profile *pf, adi_kernel k, const adi_kernel_profile **out);

/* The profile's [link], or ADI_EINPUT with "path: no [link] section (the
** link to the coordinator was not measured); measure it with `calibrate
** --device NAME --link HOST[:PORT]` ..." (what `links = profile` needs; the
** caller adds its file, line and key). *out lives as long as pf. */
int adi_profile_link(const adi_profile *pf, const adi_link_profile **out);

/* Sets (a copy of) link as the profile's [link], replacing any. */
int adi_profile_set_link(adi_profile *pf, const adi_link_profile *link);

/* The profile as INI text (malloc'ed; the caller frees it). */
int adi_profile_text(const adi_profile *pf, char **text);

/* Writes the text to path through a temporary file in the same directory
** and rename(), so a reader never sees half a profile; sets pf->path and
** pf->sha256. */
int adi_profile_save(adi_profile *pf, const char *path);

/* Reads a profile; on failure *out is NULL and the message names the file,
** the line and the key. */
int adi_profile_load(const char *path, adi_profile **out);
int adi_profile_parse(const char *path, const char *text, adi_profile **out);

/* 1 when the profile's times are not measured on its device (emulated or
** estimated): what tables and figures mark. */
int adi_profile_estimated(const adi_profile *pf);

/* Prints the host line and one row per kernel (task, threads, reps, mean,
** std, p50, p95, p99, rate, chosen fit) for a person, to f. */
void adi_profile_summary(const adi_profile *pf, FILE *f);

/* "layer1 64->64 32x32" or "3x32x32": the task's shape in words. buf needs
** 64 bytes. */
char *adi_kernel_profile_shape(const adi_kernel_profile *kp, char *buf, size_t size);

#endif
