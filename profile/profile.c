/*
** profile/profile.c — writing and reading device profiles (profile.h).
**
** One table of fields drives both directions: the writer prints them in
** table order (with the table's comments, for the person reading the file),
** the reader looks keys up in it, parses by type, and checks at the end
** that every field of every section present was given once. Parsing keeps
** going after a bad value only to find the `format` key: a file from a
** newer adisim is reported as such rather than as its first unknown key.
**
** Some fields exist only in some profiles (field.need): format 2's, those
** of emulated profiles, the fit parameters when there is a fit, and the
** batch law when several batch sizes were measured. The writer writes
** exactly those that apply, and the reader requires exactly those (a key
** that does not apply is an error too, naming why).
**
** The batch law's keys are lists, one entry per size in `batches` (at most
** ADI_BATCH_MAX, held in the kernel's fixed arrays); the reader counts each
** list's entries and checks them against `batches` at the end.
*/
#include "profile/profile.h"
#include "measure/record.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/ini.h"
#include "core/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Limits that keep a corrupt file from asking for gigabytes. */
#define MAX_SAMPLES ADI_RECORD_MAX_COUNTS
#define MAX_THREADS 4096

int adi_kernel_parse(const char *name, adi_kernel *k)
{
    for (int i = 0; i < ADI_KERNEL_COUNT; i++)
        if (strcmp(name, adi_kernel_name((adi_kernel)i)) == 0) {
            *k = (adi_kernel)i;
            return ADI_OK;
        }
    return adi_fail(ADI_EINPUT, "expected conv or x2, got '%s'", name);
}

/* ---- the fields ---------------------------------------------------------- */

enum { S_PROFILE, S_HOST, S_CONV, S_X2, S_LINK, S_COUNT };
static const char *const section_names[S_COUNT] = {"profile", "host", "conv", "x2", "link"};
#define IS_KERNEL(s) ((s) == S_CONV || (s) == S_X2)
#define IN(s) (1u << (s))
#define KERNELS (IN(S_CONV) | IN(S_X2))

enum type {
    T_FORMAT,  /* int, 1 .. */
    T_SOURCE,  /* adi_source */
    T_NAME,    /* char[], letters digits . _ - */
    T_TEXT,    /* char[], free text on one line */
    T_UINT,    /* unsigned >= 1 */
    T_SIZE,    /* size_t >= 1 */
    T_SIZE0,   /* size_t >= 0 */
    T_POS,     /* double > 0 */
    T_TIME,    /* double > 0, seconds (units accepted) */
    T_TIME0,   /* double >= 0, seconds */
    T_REAL,    /* finite double */
    T_NONNEG,  /* double >= 0 */
    T_FAMILY,  /* adi_dist: lognormal | gamma | none (ADI_DIST_DETERMINISTIC) */
    T_BYTES,   /* double, a whole number of bytes >= 0 (at most 2^53) */
    T_SIZES,   /* size_t[ADI_BATCH_MAX], the batch sizes; sets batch.n */
    T_TIMES,   /* double[ADI_BATCH_MAX], times > 0 */
    T_TIMES0,  /* double[ADI_BATCH_MAX], times >= 0 */
    T_COUNTS,  /* size_t[ADI_BATCH_MAX], counts >= 1 */
    T_LAW,     /* adi_batch_kind */
    T_SAMPLES, /* the sample list */
};
#define IS_LIST(t) ((t) >= T_SIZES && (t) <= T_COUNTS)

/* Which profiles have a field. */
enum need {
    N_ALL, /* every profile */
    N_V2,  /* format 2 on (format 1 profiles get defaults) */
    N_V3,  /* format 3 on (older profiles get defaults) */
    N_V4,  /* format 4 on (older profiles get the one batch they measured) */
    N_EMU, /* source = emulated */
    N_FIT, /* the kernel has a fit (fit is not none) */
    N_BATCH, /* format 4 and several batch sizes in `batches` */
};

typedef struct field {
    const char *name;
    enum type type;
    unsigned where;      /* sections (bits) it belongs to */
    size_t off, size;    /* in adi_profile ([profile], [host]) or adi_kernel_profile */
    enum need need;
    const char *comment; /* written above the key */
} field;

#define P(m) offsetof(adi_profile, m), sizeof(((adi_profile *)0)->m)
#define K(m) offsetof(adi_kernel_profile, m), sizeof(((adi_kernel_profile *)0)->m)
#define L(m) offsetof(adi_link_profile, m), sizeof(((adi_link_profile *)0)->m)

static const field fields[] = {
    {"format", T_FORMAT, IN(S_PROFILE), P(format), N_ALL, NULL},
    {"device", T_NAME, IN(S_PROFILE), P(device), N_ALL, NULL},
    {"created", T_TEXT, IN(S_PROFILE), P(created), N_ALL, NULL},
    {"adisim", T_TEXT, IN(S_PROFILE), P(adisim), N_ALL, NULL},
    {"source", T_SOURCE, IN(S_PROFILE), P(source), N_V2,
     "where the times come from: measured (timed on this device), emulated (instructions\n"
     "counted under an emulator, times estimated from them with cpi and clock_hz) or\n"
     "estimated (not run on this device: derived from the published figures in origin)"},
    {"origin", T_TEXT, IN(S_PROFILE), P(origin), N_V2, NULL},
    {"cpi", T_POS, IN(S_PROFILE), P(cpi), N_EMU,
     "emulated: seconds = instructions x cpi / clock_hz (cycles per instruction assumed)"},
    {"clock_hz", T_POS, IN(S_PROFILE), P(clock_hz), N_EMU, NULL},
    {"cpu", T_TEXT, IN(S_HOST), P(cpu), N_ALL, NULL},
    {"cores", T_UINT, IN(S_HOST), P(cores), N_ALL, NULL},
    {"os", T_TEXT, IN(S_HOST), P(os), N_ALL, NULL},
    {"compiler", T_TEXT, IN(S_HOST), P(compiler), N_ALL, NULL},
    {"blas", T_TEXT, IN(S_HOST), P(blas), N_ALL, NULL},
    {"layer", T_NAME, KERNELS, K(layer), N_ALL, NULL},
    {"batch", T_SIZE, KERNELS, K(shape.batch), N_ALL, "the task: one batch of images (NCHW float32)"},
    {"in_channels", T_SIZE, IN(S_CONV), K(shape.in_c), N_ALL, NULL},
    {"out_channels", T_SIZE, IN(S_CONV), K(shape.out_c), N_ALL, NULL},
    {"channels", T_SIZE, IN(S_X2), K(shape.in_c), N_ALL, NULL},
    {"height", T_SIZE, KERNELS, K(shape.h), N_ALL, NULL},
    {"width", T_SIZE, KERNELS, K(shape.w), N_ALL, NULL},
    {"task", T_TEXT, KERNELS, K(task), N_V2, "how one task ran on this device"},
    {"threads", T_SIZE, KERNELS, K(threads), N_ALL,
     "copies run at once (each on one core, single-threaded BLAS); warmup then reps tasks each"},
    {"reps", T_SIZE, KERNELS, K(reps), N_ALL, NULL},
    {"warmup", T_SIZE0, KERNELS, K(warmup), N_ALL, NULL},
    {"flops", T_POS, IN(S_CONV), K(work), N_ALL, "work per task"},
    {"bytes", T_POS, IN(S_X2), K(work), N_ALL, "work per task: bytes read + written"},
    {"input_bytes", T_BYTES, KERNELS, K(input_bytes), N_V3,
     "what one task moves over a network: its input (coordinator -> device) and output"},
    {"output_bytes", T_BYTES, KERNELS, K(output_bytes), N_V3, NULL},
    {"instructions", T_POS, KERNELS, K(instructions), N_EMU,
     "emulated: instructions per task (mean), as counted by the emulator"},
    {"mean", T_TIME, KERNELS, K(stats.mean), N_ALL, "one task's time over every sample, seconds"},
    {"std", T_TIME0, KERNELS, K(stats.std), N_ALL, NULL},
    {"min", T_TIME, KERNELS, K(stats.min), N_ALL, NULL},
    {"p50", T_TIME, KERNELS, K(stats.p50), N_ALL, NULL},
    {"p95", T_TIME, KERNELS, K(stats.p95), N_ALL, NULL},
    {"p99", T_TIME, KERNELS, K(stats.p99), N_ALL, NULL},
    {"max", T_TIME, KERNELS, K(stats.max), N_ALL, NULL},
    {"gflops", T_POS, IN(S_CONV), K(rate), N_ALL, "flops / mean / 1e9, per copy"},
    {"gbps", T_POS, IN(S_X2), K(rate), N_ALL, "bytes / mean / 1e9, per copy"},
    {"fit", T_FAMILY, KERNELS, K(fit.best), N_ALL,
     "maximum-likelihood fits of one task's time (GSL's parameters: lognormal zeta, sigma;\n"
     "gamma shape, scale in s); fit = the family with the higher log-likelihood (both have\n"
     "2 parameters, so also the AIC choice), or none when the samples have no spread;\n"
     "ks = Kolmogorov-Smirnov distance"},
    {"lognormal_zeta", T_REAL, KERNELS, K(fit.lognormal.p1), N_FIT, NULL},
    {"lognormal_sigma", T_POS, KERNELS, K(fit.lognormal.p2), N_FIT, NULL},
    {"lognormal_loglik", T_REAL, KERNELS, K(fit.lognormal.loglik), N_FIT, NULL},
    {"lognormal_ks", T_NONNEG, KERNELS, K(fit.lognormal.ks), N_FIT, NULL},
    {"gamma_shape", T_POS, KERNELS, K(fit.gamma.p1), N_FIT, NULL},
    {"gamma_scale", T_POS, KERNELS, K(fit.gamma.p2), N_FIT, NULL},
    {"gamma_loglik", T_REAL, KERNELS, K(fit.gamma.loglik), N_FIT, NULL},
    {"gamma_ks", T_NONNEG, KERNELS, K(fit.gamma.ks), N_FIT, NULL},
    {"checksum", T_TEXT, KERNELS, K(checksum), N_V2,
     "the self-check's outputs condensed (adi_checksum): equal on two devices that computed\n"
     "the same outputs with the same GEMM"},
    {"batches", T_SIZES, KERNELS, K(batch.size), N_V4,
     "batch sizes measured, images per call (calibrate --batch): the first is the task's own\n"
     "(batch above, whose statistics and samples these are); a batch of b tasks is one call\n"
     "on b times as many images"},
    {"batch_mean", T_TIMES, KERNELS, K(batch.mean), N_BATCH,
     "per size: the mean and std of one call's time (s) and the samples behind them (only\n"
     "the task's own batch keeps its samples, below)"},
    {"batch_std", T_TIMES0, KERNELS, K(batch.std), N_BATCH, NULL},
    {"batch_count", T_COUNTS, KERNELS, K(batch.count), N_BATCH, NULL},
    {"law", T_LAW, KERNELS, K(batch.law), N_BATCH,
     "T(s), one call on s images: affine = intercept + slope s (s, s per image; least squares\n"
     "weighted by count / std^2), or interpolated between the measured means; the simulator\n"
     "uses `law`: affine when affine_error (its largest relative miss at the sizes) is at most\n"
     "0.05, else interpolated (interpolated_error: each inner mean against the line through\n"
     "its neighbours); no extrapolation beyond the largest size"},
    {"affine_intercept", T_REAL, KERNELS, K(batch.intercept), N_BATCH, NULL},
    {"affine_slope", T_REAL, KERNELS, K(batch.slope), N_BATCH, NULL},
    {"affine_error", T_NONNEG, KERNELS, K(batch.affine_error), N_BATCH, NULL},
    {"interpolated_error", T_NONNEG, KERNELS, K(batch.interpolated_error), N_BATCH, NULL},
    {"peer", T_TEXT, IN(S_LINK), L(peer), N_ALL, "the coordinator measured against"},
    {"created", T_TEXT, IN(S_LINK), L(created), N_ALL, NULL},
    {"latency", T_TIME, IN(S_LINK), L(latency.mean), N_ALL,
     "one way, s: half of each small message's round trip"},
    {"latency_std", T_TIME0, IN(S_LINK), L(latency.std), N_ALL, NULL},
    {"latency_p50", T_TIME, IN(S_LINK), L(latency.p50), N_ALL, NULL},
    {"latency_samples", T_SIZE, IN(S_LINK), L(latency.n), N_ALL, NULL},
    {"bandwidth_down", T_POS, IN(S_LINK), L(down.mean), N_ALL,
     "bytes/s, coordinator -> device: input_bytes / the mean transfer time (a transfer's\n"
     "time is its round trip less a small message's); std of each transfer's rate; p50\n"
     "from the median time"},
    {"bandwidth_down_std", T_NONNEG, IN(S_LINK), L(down.std), N_ALL, NULL},
    {"bandwidth_down_p50", T_POS, IN(S_LINK), L(down.p50), N_ALL, NULL},
    {"bandwidth_down_samples", T_SIZE, IN(S_LINK), L(down.n), N_ALL, NULL},
    {"bandwidth_up", T_POS, IN(S_LINK), L(up.mean), N_ALL,
     "bytes/s, device -> coordinator: output_bytes / the mean transfer time"},
    {"bandwidth_up_std", T_NONNEG, IN(S_LINK), L(up.std), N_ALL, NULL},
    {"bandwidth_up_p50", T_POS, IN(S_LINK), L(up.p50), N_ALL, NULL},
    {"bandwidth_up_samples", T_SIZE, IN(S_LINK), L(up.n), N_ALL, NULL},
    {"input_bytes", T_BYTES, IN(S_LINK), L(input_bytes), N_ALL,
     "the bulk transfers' sizes: the task's input and output"},
    {"output_bytes", T_BYTES, IN(S_LINK), L(output_bytes), N_ALL, NULL},
    /* samples stays last: the reader finds its line as the last field's */
    {"samples", T_SAMPLES, KERNELS, K(samples), N_ALL,
     "every timed task, seconds, in measured order (copy by copy when threads > 1)"},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* Whether field fd belongs in a profile of this format and source, and
** (kernel sections) with this kernel's fit. */
static int applies(const field *fd, int format, adi_source source, const adi_kernel_profile *kp)
{
    switch (fd->need) {
    case N_ALL: return 1;
    case N_V2: return format >= 2;
    case N_V3: return format >= 3;
    case N_V4: return format >= 4;
    case N_EMU: return format >= 2 && source == ADI_SOURCE_EMULATED;
    case N_FIT: return kp && kp->fit.best != ADI_DIST_DETERMINISTIC;
    case N_BATCH: return format >= 4 && kp && kp->batch.n >= 2;
    }
    return 0;
}

/* Why a field does not apply, for the reader's message. */
static const char *needs(const field *fd)
{
    switch (fd->need) {
    case N_V2: return "only in a format 2 profile";
    case N_V3: return "only in a format 3 profile";
    case N_V4: return "only in a format 4 profile";
    case N_EMU: return "only in an emulated profile (source = emulated)";
    case N_FIT: return "only with a fit (this kernel's fit is none)";
    case N_BATCH: return "only in a format 4 profile whose batches list several sizes";
    default: return "";
    }
}

static const char *const source_names[ADI_SOURCE_COUNT] = {"measured", "emulated", "estimated"};

const char *adi_source_name(adi_source src)
{
    return src < ADI_SOURCE_COUNT ? source_names[src] : "?";
}

int adi_profile_estimated(const adi_profile *pf) { return pf->source != ADI_SOURCE_MEASURED; }

/* ---- life cycle -------------------------------------------------------------- */

adi_profile *adi_profile_new(void)
{
    adi_profile *pf = calloc(1, sizeof *pf);
    if (pf) {
        pf->format = ADI_PROFILE_FORMAT;
        snprintf(pf->origin, sizeof pf->origin, "unknown"); /* the caller says */
    }
    return pf;
}

static void kernel_free(adi_kernel_profile *kp)
{
    if (!kp)
        return;
    free(kp->samples);
    free(kp->sorted);
    free(kp);
}

void adi_profile_free(adi_profile *pf)
{
    if (!pf)
        return;
    for (int k = 0; k < ADI_KERNEL_COUNT; k++)
        kernel_free(pf->kernel[k]);
    free(pf->link);
    free(pf->path);
    free(pf);
}

/* Where section s's fields live: the profile, a kernel or the link (NULL
** when that section is absent). */
static void *section_base(const adi_profile *pf, int s)
{
    adi_profile *p = (adi_profile *)(uintptr_t)pf; /* the caller's constness */
    return s == S_LINK ? (void *)p->link : IS_KERNEL(s) ? (void *)p->kernel[s - S_CONV] : (void *)p;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Fills kp->sorted from kp->samples. */
static int sort_samples(adi_kernel_profile *kp)
{
    kp->sorted = malloc(kp->nsamples * sizeof *kp->sorted);
    if (!kp->sorted)
        return adi_fail(ADI_ENOMEM, "out of memory for %zu samples", kp->nsamples);
    memcpy(kp->sorted, kp->samples, kp->nsamples * sizeof *kp->sorted);
    qsort(kp->sorted, kp->nsamples, sizeof *kp->sorted, cmp_double);
    return ADI_OK;
}

/* What the task moves over a network, from its shape. */
static void set_io_bytes(adi_kernel_profile *kp)
{
    uint64_t in, out;
    adi_kernel_io_bytes(kp->kernel, &kp->shape, &in, &out);
    kp->input_bytes = (double)in;
    kp->output_bytes = (double)out;
}

int adi_profile_add(adi_profile *pf, adi_kernel k, const char *layer, const adi_conv_shape *shape,
                    size_t threads, size_t reps, size_t warmup, double work,
                    const double *samples, size_t n)
{
    if (k >= ADI_KERNEL_COUNT || n != threads * reps || n == 0 || !(work > 0))
        return adi_fail(ADI_EINPUT, "inconsistent measurement of %s: %zu samples for %zu "
                        "threads x %zu reps", adi_kernel_name(k), n, threads, reps);
    adi_kernel_profile *kp = calloc(1, sizeof *kp);
    int rc = kp ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    if (rc != ADI_OK)
        goto fail;
    kp->kernel = k;
    snprintf(kp->layer, sizeof kp->layer, "%s", layer);
    kp->shape = *shape;
    kp->threads = threads;
    kp->reps = reps;
    kp->warmup = warmup;
    kp->work = work;
    kp->nsamples = n;
    if (!(kp->samples = malloc(n * sizeof *kp->samples))) {
        rc = adi_fail(ADI_ENOMEM, "out of memory for %zu samples", n);
        goto fail;
    }
    memcpy(kp->samples, samples, n * sizeof *samples);
    snprintf(kp->task, sizeof kp->task, "%s", adi_kernel_host_task(k));
    snprintf(kp->checksum, sizeof kp->checksum, "unknown");
    set_io_bytes(kp);
    if ((rc = sort_samples(kp)) != ADI_OK ||
        (rc = adi_time_stats_compute(samples, n, &kp->stats)) != ADI_OK)
        goto fail;
    /* a deterministic device (an emulator counting instructions, a
    ** microcontroller without caches) can give equal times: nothing to fit */
    if (kp->sorted[0] == kp->sorted[n - 1])
        kp->fit.best = ADI_DIST_DETERMINISTIC;
    else if ((rc = adi_fit_times(samples, n, &kp->fit)) != ADI_OK)
        goto fail;
    kp->rate = work / kp->stats.mean / 1e9;
    adi_batch_one(&kp->batch, shape->batch, kp->stats.mean, kp->stats.std, n);
    kernel_free(pf->kernel[k]);
    pf->kernel[k] = kp;
    return ADI_OK;
fail:
    kernel_free(kp);
    return adi_fail_prefix(rc, "%s", adi_kernel_name(k));
}

int adi_profile_add_batch(adi_profile *pf, adi_kernel k, size_t batch, const double *samples,
                          size_t n)
{
    adi_kernel_profile *kp = k < ADI_KERNEL_COUNT ? pf->kernel[k] : NULL;
    if (!kp)
        return adi_fail(ADI_EINPUT, "%s: a further batch size before the task's own was measured",
                        adi_kernel_name(k));
    adi_batch_law next = kp->batch;
    if (next.n >= ADI_BATCH_MAX)
        return adi_fail(ADI_EINPUT, "%s: at most %d batch sizes", adi_kernel_name(k),
                        ADI_BATCH_MAX);
    if (batch <= next.size[next.n - 1])
        return adi_fail(ADI_EINPUT, "%s: batch sizes must increase: %zu after %zu",
                        adi_kernel_name(k), batch, next.size[next.n - 1]);
    adi_time_stats st;
    int rc = adi_time_stats_compute(samples, n, &st);
    if (rc != ADI_OK)
        return adi_fail_prefix(rc, "%s batch %zu", adi_kernel_name(k), batch);
    next.size[next.n] = batch;
    next.mean[next.n] = st.mean;
    next.std[next.n] = st.std;
    next.count[next.n] = n;
    next.n++;
    if ((rc = adi_batch_fit(&next)) != ADI_OK)
        return adi_fail_prefix(rc, "%s", adi_kernel_name(k));
    kp->batch = next;
    return ADI_OK;
}

int adi_profile_need(const adi_profile *pf, adi_kernel k, const adi_kernel_profile **out)
{
    *out = pf->kernel[k];
    if (*out)
        return ADI_OK;
    char have[64] = "";
    for (int i = 0; i < ADI_KERNEL_COUNT; i++)
        if (pf->kernel[i]) {
            size_t used = strlen(have);
            snprintf(have + used, sizeof have - used, "%s[%s]", used ? ", " : "", adi_kernel_name((adi_kernel)i));
        }
    return adi_fail(ADI_EINPUT, "%s: no [%s] section (it has %s); measure it with `calibrate "
                    "--kernel %s`", pf->path ? pf->path : "profile", adi_kernel_name(k), have,
                    adi_kernel_name(k));
}

int adi_profile_link(const adi_profile *pf, const adi_link_profile **out)
{
    *out = pf->link;
    if (*out)
        return ADI_OK;
    return adi_fail(ADI_EINPUT, "%s: no [link] section (the link to the coordinator was not "
                    "measured); measure it with `calibrate --device %s --link HOST[:PORT]` "
                    "against `calibrate --serve` on the coordinator", pf->path ? pf->path : "profile",
                    pf->device[0] ? pf->device : "NAME");
}

int adi_profile_set_link(adi_profile *pf, const adi_link_profile *link)
{
    adi_link_profile *copy = malloc(sizeof *copy);
    if (!copy)
        return adi_fail(ADI_ENOMEM, "out of memory");
    *copy = *link;
    free(pf->link);
    pf->link = copy;
    return ADI_OK;
}

char *adi_kernel_profile_shape(const adi_kernel_profile *kp, char *buf, size_t size)
{
    const adi_conv_shape *s = &kp->shape;
    if (kp->kernel == ADI_KERNEL_CONV)
        snprintf(buf, size, "%s %zu->%zu %zux%zu", kp->layer, s->in_c, s->out_c, s->h, s->w);
    else
        snprintf(buf, size, "%zux%zux%zu", s->in_c, s->h, s->w);
    return buf;
}

void adi_profile_summary(const adi_profile *pf, FILE *f)
{
    fprintf(f, "device %s: %s, %u cores, %s, %s, %s\n", pf->device, pf->cpu, pf->cores, pf->os,
            pf->compiler, pf->blas);
    fprintf(f, "%-6s %-28s %7s %6s %10s %10s %10s %10s %10s %15s  %s\n", "kernel", "task",
            "threads", "reps", "mean", "std", "p50", "p95", "p99", "rate", "fit (log-likelihood)");
    for (int k = 0; k < ADI_KERNEL_COUNT; k++) {
        const adi_kernel_profile *kp = pf->kernel[k];
        if (!kp)
            continue;
        char shape[64], task[80], t[5][32], rate[32];
        snprintf(task, sizeof task, "%s, batch %zu", adi_kernel_profile_shape(kp, shape, sizeof shape),
                 kp->shape.batch);
        const double v[5] = {kp->stats.mean, kp->stats.std, kp->stats.p50, kp->stats.p95,
                             kp->stats.p99};
        for (int i = 0; i < 5; i++)
            adi_format_time(v[i], t[i], sizeof t[i]);
        snprintf(rate, sizeof rate, "%.4g %s", kp->rate, k == ADI_KERNEL_CONV ? "GFLOP/s" : "GB/s");
        int gamma = kp->fit.best == ADI_DIST_GAMMA;
        const adi_fit_family *best = gamma ? &kp->fit.gamma : &kp->fit.lognormal,
                             *other = gamma ? &kp->fit.lognormal : &kp->fit.gamma;
        char fit[96];
        if (kp->fit.best == ADI_DIST_DETERMINISTIC)
            snprintf(fit, sizeof fit, "none (all times equal)");
        else
            snprintf(fit, sizeof fit, "%s (%.6g vs %.6g)", adi_dist_name(kp->fit.best),
                     best->loglik, other->loglik);
        fprintf(f, "%-6s %-28s %7zu %6zu %10s %10s %10s %10s %10s %15s  %s\n",
                adi_kernel_name((adi_kernel)k), task, kp->threads, kp->reps, t[0], t[1], t[2],
                t[3], t[4], rate, fit);
    }
    for (int k = 0; k < ADI_KERNEL_COUNT; k++) {
        const adi_kernel_profile *kp = pf->kernel[k];
        if (!kp || kp->batch.n < 2)
            continue;
        const adi_batch_law *b = &kp->batch;
        char sizes[ADI_BATCH_MAX * 8] = "", a[32], c[32];
        for (size_t j = 0; j < b->n; j++)
            snprintf(sizes + strlen(sizes), sizeof sizes - strlen(sizes), "%s%zu", j ? ", " : "",
                     b->size[j]);
        fprintf(f, "%-6s batch law over %s images: ", adi_kernel_name((adi_kernel)k), sizes);
        if (b->law == ADI_BATCH_AFFINE)
            fprintf(f, "affine, T(s) = %s %s %s x s (largest miss %.2g %%", adi_format_time(
                        b->intercept, a, sizeof a), b->slope < 0 ? "-" : "+",
                    adi_format_time(fabs(b->slope), c, sizeof c), 100 * b->affine_error);
        else
            fprintf(f, "interpolated (the affine law misses by up to %.2g %%",
                    100 * b->affine_error);
        if (b->n > 2)
            fprintf(f, "; interpolation's leave-one-out miss %.2g %%",
                    100 * b->interpolated_error);
        fputs(")\n", f);
    }
    const adi_link_profile *l = pf->link;
    if (l) {
        char lat[32], sd[32];
        fprintf(f, "link to %s: latency %s (std %s, %zu round trips); down %.4g MB/s (std %.2g, "
                "%zu x %.0f B); up %.4g MB/s (std %.2g, %zu x %.0f B)\n", l->peer,
                adi_format_time(l->latency.mean, lat, sizeof lat),
                adi_format_time(l->latency.std, sd, sizeof sd), l->latency.n, l->down.mean / 1e6,
                l->down.std / 1e6, l->down.n, l->input_bytes, l->up.mean / 1e6, l->up.std / 1e6,
                l->up.n, l->output_bytes);
    }
}

/* ---- writing ----------------------------------------------------------------- */

static void write_value(FILE *f, const field *fd, const void *base)
{
    const char *at = (const char *)base + fd->off;
    char num[32];
    switch (fd->type) {
    case T_FORMAT: fprintf(f, "%d", ADI_PROFILE_FORMAT); break; /* what this writer writes */
    case T_SOURCE: fputs(adi_source_name(*(const adi_source *)at), f); break;
    case T_NAME:
    case T_TEXT: fputs(at, f); break;
    case T_UINT: fprintf(f, "%u", *(const unsigned *)at); break;
    case T_SIZE:
    case T_SIZE0: fprintf(f, "%zu", *(const size_t *)at); break;
    case T_FAMILY:
        fputs(*(const adi_dist *)at == ADI_DIST_DETERMINISTIC ? "none"
                                                              : adi_dist_name(*(const adi_dist *)at),
              f);
        break;
    case T_LAW: fputs(adi_batch_kind_name(*(const adi_batch_kind *)at), f); break;
    case T_SAMPLES:
    case T_SIZES:
    case T_TIMES:
    case T_TIMES0:
    case T_COUNTS: {
        const adi_kernel_profile *kp = base;
        size_t n = fd->type == T_SAMPLES ? kp->nsamples : kp->batch.n;
        for (size_t i = 0; i < n; i++) {
            /* 6 per line: even 17-digit numbers (24 characters with ", ")
            ** stay under inih's 198 characters */
            if (i % 6 == 0 && i)
                fputs(",\n   ", f);
            else if (i)
                fputc(',', f);
            if (fd->type == T_SIZES || fd->type == T_COUNTS)
                fprintf(f, " %zu", ((const size_t *)at)[i]);
            else
                fprintf(f, " %s", adi_format_exact(fd->type == T_SAMPLES ? kp->samples[i]
                                                                         : ((const double *)at)[i],
                                                   num, sizeof num));
        }
        break;
    }
    default: {
        /* whole numbers as such (clock_hz = 168000000, not 1.68e+08); the
        ** range test comes first: converting a double out of long long's
        ** range is undefined behaviour, and -0 must keep its sign */
        double v = *(const double *)at;
        if (v > -1e15 && v < 1e15 && v == floor(v) && !(v == 0 && signbit(v)))
            fprintf(f, "%lld", (long long)v);
        else
            fputs(adi_format_exact(v, num, sizeof num), f);
        break;
    }
    }
}

static void write_section(FILE *f, int sec, const adi_profile *pf, const void *base)
{
    fprintf(f, "[%s]\n", section_names[sec]);
    for (size_t i = 0; i < NFIELDS; i++) {
        const field *fd = &fields[i];
        if (!(fd->where & IN(sec)) ||
            !applies(fd, ADI_PROFILE_FORMAT, pf->source, IS_KERNEL(sec) ? base : NULL))
            continue;
        for (const char *c = fd->comment; c && *c;) { /* one "; " line per '\n' */
            size_t len = strcspn(c, "\n");
            fprintf(f, "; %.*s\n", (int)len, c);
            c += len + (c[len] == '\n');
        }
        fprintf(f, "%s =%s", fd->name, fd->type == T_SAMPLES || IS_LIST(fd->type) ? "" : " ");
        write_value(f, fd, base);
        fputc('\n', f);
    }
    fputc('\n', f);
}

static void describe_kernel(FILE *f, const adi_profile *pf, const adi_kernel_profile *kp)
{
    const adi_conv_shape *s = &kp->shape;
    char m[32], p95[32];
    adi_format_time(kp->stats.mean, m, sizeof m);
    adi_format_time(kp->stats.p95, p95, sizeof p95);
    if (kp->kernel == ADI_KERNEL_CONV)
        fprintf(f, "; conv: one batch of %zu images through ResNet18's %s convolution\n"
                   "; (%zu -> %zu channels, %zux%zu, 3x3, stride 1, padding 1) by im2col + GEMM\n",
                s->batch, kp->layer, s->in_c, s->out_c, s->h, s->w);
    else
        fprintf(f, "; x2: the paper's dummy model, y = 2x over a batch of %zu %zux%zux%zu "
                   "float images\n", s->batch, s->in_c, s->h, s->w);
    fprintf(f, "; mean %s, p95 %s, %.4g %s%s\n", m, p95, kp->rate,
            kp->kernel == ADI_KERNEL_CONV ? "GFLOP/s" : "GB/s",
            kp->threads > 1 ? " per copy, measured with several copies at once" : "");
    if (pf->source == ADI_SOURCE_EMULATED)
        fprintf(f, "; NOT MEASURED: %.0f instructions per task (counted by an emulator) x cpi %.4g"
                   " / %.4g MHz\n", kp->instructions, pf->cpi, pf->clock_hz / 1e6);
    else if (pf->source == ADI_SOURCE_ESTIMATED)
        fprintf(f, "; NOT MEASURED: estimated, see origin in [profile]\n");
}

static int render(const adi_profile *pf, char **text)
{
    *text = NULL;
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return adi_fail(ADI_ENOMEM, "out of memory");
    fprintf(f, "; adisim device profile: how long one task takes on device '%s'.\n"
               "; Written by %s; times in seconds. Portable: copy it to any machine\n"
               "; and name it in a scenario, [devices] profiles = %s.ini x4\n",
            pf->device, pf->source == ADI_SOURCE_ESTIMATED ? "adisim" : "`calibrate`",
            pf->device);
    if (pf->source != ADI_SOURCE_MEASURED)
        fprintf(f, "; The times below are %s, NOT MEASURED on this device (source, origin).\n",
                pf->source == ADI_SOURCE_EMULATED ? "estimated from an emulator's instruction counts"
                                                  : "estimated from published figures");
    fputc('\n', f);
    write_section(f, S_PROFILE, pf, pf);
    write_section(f, S_HOST, pf, pf);
    for (int k = 0; k < ADI_KERNEL_COUNT; k++)
        if (pf->kernel[k]) {
            describe_kernel(f, pf, pf->kernel[k]);
            write_section(f, S_CONV + k, pf, pf->kernel[k]);
        }
    if (pf->link) {
        fprintf(f, "; link: this device's link to the coordinator, measured by `calibrate --link`\n"
                   "; against `calibrate --serve` (a model of it: latency, then bytes at the bandwidth)\n");
        write_section(f, S_LINK, pf, pf->link);
    }
    if (fclose(f) != 0 || !buf) {
        free(buf);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    size_t len = strlen(buf);
    if (len > 1 && buf[len - 1] == '\n' && buf[len - 2] == '\n')
        buf[len - 1] = '\0'; /* no blank line at the end */
    *text = buf;
    return ADI_OK;
}

/* ---- the round trip ------------------------------------------------------------ */

/* Every free-text value that applies must be one line that reads back. */
static int check_texts(const adi_profile *pf)
{
    for (int s = 0; s < S_COUNT; s++) {
        const adi_kernel_profile *kp = IS_KERNEL(s) ? pf->kernel[s - S_CONV] : NULL;
        const void *base = section_base(pf, s);
        if (!base)
            continue;
        for (size_t i = 0; i < NFIELDS; i++) {
            const field *fd = &fields[i];
            if (!(fd->where & IN(s)) || (fd->type != T_TEXT && fd->type != T_NAME) ||
                !applies(fd, ADI_PROFILE_FORMAT, pf->source, kp))
                continue;
            if (adi_ini_value_check(fd->name, (const char *)base + fd->off) != ADI_OK)
                return adi_fail_prefix(ADI_EINPUT, "[%s] %s", section_names[s], fd->name);
        }
    }
    return ADI_OK;
}

/* The first field (in table order) whose value b does not hold bit for
** bit as a does, or NULL; *sec is its section. */
static const field *first_difference(const adi_profile *a, const adi_profile *b, int *sec)
{
    for (int s = 0; s < S_COUNT; s++) {
        const adi_kernel_profile *ka = IS_KERNEL(s) ? a->kernel[s - S_CONV] : NULL,
                                 *kb = IS_KERNEL(s) ? b->kernel[s - S_CONV] : NULL;
        const char *ba = section_base(a, s), *bb = section_base(b, s);
        *sec = s;
        if (!ba || !bb) {
            for (size_t i = 0; (ba || bb) && i < NFIELDS; i++)
                if (fields[i].where & IN(s))
                    return &fields[i]; /* a whole section: its first field */
            continue;
        }
        for (size_t i = 0; i < NFIELDS; i++) {
            const field *fd = &fields[i];
            if (!(fd->where & IN(s)) || fd->type == T_FORMAT ||
                !applies(fd, ADI_PROFILE_FORMAT, a->source, ka))
                continue;
            int same;
            if (fd->type == T_TEXT || fd->type == T_NAME)
                same = strcmp(ba + fd->off, bb + fd->off) == 0;
            else if (fd->type == T_SAMPLES)
                same = ka->nsamples == kb->nsamples &&
                       memcmp(ka->samples, kb->samples, ka->nsamples * sizeof *ka->samples) == 0;
            else
                same = memcmp(ba + fd->off, bb + fd->off, fd->size) == 0;
            if (!same)
                return fd;
        }
    }
    return NULL;
}

/* The text of a profile, only if it reads back as the same profile: every
** free-text value is checked to be one line that inih returns unchanged,
** and the text is parsed again and compared field by field, bit for bit
** (a number that would not print exactly, a value out of the reader's
** range, a line too long, a file too large: all refused here, so that
** calibrate never writes a profile that simulate cannot read or reads
** differently). Costs one more parse of the text. */
int adi_profile_text(const adi_profile *pf, char **text)
{
    *text = NULL;
    int rc = check_texts(pf);
    if (rc != ADI_OK)
        return adi_fail_prefix(rc, "cannot write this profile (it would not read back the "
                               "same)");
    char *buf;
    if ((rc = render(pf, &buf)) != ADI_OK)
        return rc;
    if (strlen(buf) > ADI_INI_MAX_FILE) {
        rc = adi_fail(ADI_EINPUT, "cannot write this profile: %zu bytes, more than the %d MiB "
                      "a reader takes (measure fewer --reps)", strlen(buf), ADI_INI_MAX_FILE >> 20);
        free(buf);
        return rc;
    }
    adi_profile *back = NULL;
    rc = adi_profile_parse(pf->path ? pf->path : "profile", buf, &back);
    if (rc == ADI_ENOMEM) {
        free(buf);
        return rc;
    }
    int sec = 0;
    const field *fd = rc == ADI_OK ? first_difference(pf, back, &sec) : NULL;
    adi_profile_free(back);
    if (rc != ADI_OK) {
        free(buf);
        return adi_fail_prefix(ADI_EINPUT, "cannot write this profile: it would not read back");
    }
    if (fd) {
        free(buf);
        return adi_fail(ADI_EINPUT, "cannot write this profile: [%s] %s would not read back "
                        "as it is", section_names[sec], fd->name);
    }
    *text = buf;
    return ADI_OK;
}

int adi_profile_save(adi_profile *pf, const char *path)
{
    char *text = NULL, *tmp = NULL;
    int fd = -1, rc = adi_profile_text(pf, &text);
    if (rc != ADI_OK)
        return rc;
    size_t len = strlen(text);
    if (!(tmp = malloc(strlen(path) + 16))) {
        rc = adi_fail(ADI_ENOMEM, "out of memory");
        goto fail;
    }
    sprintf(tmp, "%s.tmp.XXXXXX", path);
    if ((fd = mkstemp(tmp)) < 0) {
        rc = adi_fail(ADI_EIO, "%s: cannot write: %s", path, strerror(errno));
        goto fail;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        rc = adi_fail(ADI_EIO, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        goto fail;
    }
    fchmod(fd, 0644); /* mkstemp makes 0600; a profile is meant to be shared */
    size_t put = fwrite(text, 1, len, f);
    int err = ferror(f) ? errno : 0;
    if (fclose(f) != 0 || put != len) {
        rc = adi_fail(ADI_EIO, "%s: cannot write: %s", path, strerror(err ? err : errno));
        unlink(tmp);
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        rc = adi_fail(ADI_EIO, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        goto fail;
    }
    char *copy = strdup(path);
    if (copy) {
        free(pf->path);
        pf->path = copy;
    }
    adi_sha256_hex(text, len, pf->sha256);
fail:
    free(tmp);
    free(text);
    return rc;
}

/* ---- reading ----------------------------------------------------------------- */

typedef struct parser {
    adi_profile *pf;
    const char *path;
    int format_line;
    adi_ini_seen seen;             /* sections and keys read, the first problem */
    size_t len[S_COUNT][NFIELDS];  /* entries of each list read */
} parser;

static int open_section(void *user, int s, int line)
{
    parser *ps = user;
    if (s == S_LINK) {
        if (!(ps->pf->link = calloc(1, sizeof *ps->pf->link)))
            return adi_fail(ADI_ENOMEM, "out of memory");
        ps->pf->link->line = line;
    } else if (s >= S_CONV) {
        adi_kernel_profile *kp = calloc(1, sizeof *kp);
        if (!kp)
            return adi_fail(ADI_ENOMEM, "out of memory");
        kp->kernel = (adi_kernel)(s - S_CONV);
        kp->line = line;
        ps->pf->kernel[s - S_CONV] = kp;
    }
    return ADI_OK;
}

/* adi_split_list, refusing more than `most` items. */
static int split_at_most(const char *text, size_t most, const char *what, char ***items,
                         size_t *n)
{
    int rc = adi_split_list(text, items, n);
    if (rc == ADI_OK && *n > most) {
        free(*items);
        return adi_fail(ADI_EINPUT, "more than %zu %s", most, what);
    }
    return rc;
}

static int parse_samples(adi_kernel_profile *kp, const char *text)
{
    char **items;
    size_t n;
    int rc = split_at_most(text, MAX_SAMPLES, "samples", &items, &n);
    if (rc != ADI_OK)
        return rc;
    free(kp->samples);
    kp->samples = malloc(n * sizeof *kp->samples);
    if (!kp->samples) {
        free(items);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu samples", n);
    }
    kp->nsamples = n;
    for (size_t i = 0; i < n && rc == ADI_OK; i++) {
        rc = adi_parse_time(items[i], &kp->samples[i]);
        if (rc == ADI_OK && !(kp->samples[i] > 0))
            rc = adi_fail(ADI_EINPUT, "expected a time > 0, got '%s'", items[i]);
        if (rc != ADI_OK)
            adi_fail_prefix(rc, "sample %zu", i + 1);
    }
    free(items);
    return rc;
}

/* A list of at most ADI_BATCH_MAX entries (one per batch size) into the
** array at `at`; *len receives how many there were. */
static int parse_list(const field *fd, const char *text, void *at, size_t *len)
{
    char **items;
    size_t n;
    int rc = split_at_most(text, ADI_BATCH_MAX, "entries (one per batch size)", &items, &n);
    if (rc != ADI_OK)
        return rc;
    *len = n;
    for (size_t i = 0; i < n && rc == ADI_OK; i++) {
        uint64_t u;
        double d;
        if (fd->type == T_SIZES || fd->type == T_COUNTS) {
            uint64_t most = fd->type == T_SIZES ? ADI_BATCH_MAX_IMAGES : MAX_SAMPLES;
            if ((rc = adi_parse_uint(items[i], 1, &u)) == ADI_OK && u > most)
                rc = adi_fail(ADI_EINPUT, "expected at most %llu, got '%s'",
                              (unsigned long long)most, items[i]);
            if (rc == ADI_OK)
                ((size_t *)at)[i] = (size_t)u;
        } else {
            if ((rc = adi_parse_time(items[i], &d)) == ADI_OK && fd->type == T_TIMES && !(d > 0))
                rc = adi_fail(ADI_EINPUT, "expected a time > 0, got '%s'", items[i]);
            if (rc == ADI_OK)
                ((double *)at)[i] = d;
        }
        if (rc != ADI_OK)
            adi_fail_prefix(rc, "entry %zu", i + 1);
    }
    free(items);
    return rc;
}

/* Parses text into the field at base; a list's length goes to *len. */
static int parse_field(const field *fd, const char *text, void *base, size_t *len)
{
    char *at = (char *)base + fd->off;
    uint64_t u;
    double d;
    int rc;
    switch (fd->type) {
    case T_FORMAT:
        if ((rc = adi_parse_uint(text, 1, &u)) != ADI_OK)
            return rc;
        *(int *)at = u > 1000000 ? 1000000 : (int)u;
        return ADI_OK;
    case T_NAME:
        for (const char *c = text; *c; c++)
            if (!(isalnum((unsigned char)*c) || strchr("._-", *c)))
                return adi_fail(ADI_EINPUT, "expected letters, digits, '.', '_' or '-', got '%s'",
                                text);
        /* fall through */
    case T_TEXT:
        if (!*text)
            return adi_fail(ADI_EINPUT, "expected a value, got nothing");
        if (strlen(text) >= fd->size)
            return adi_fail(ADI_EINPUT, "longer than %zu characters", fd->size - 1);
        memcpy(at, text, strlen(text) + 1);
        return ADI_OK;
    case T_UINT:
        if ((rc = adi_parse_uint(text, 1, &u)) != ADI_OK)
            return rc;
        if (u > 1000000)
            return adi_fail(ADI_EINPUT, "expected at most 1000000, got '%s'", text);
        *(unsigned *)at = (unsigned)u;
        return ADI_OK;
    case T_SIZE:
    case T_SIZE0:
        if ((rc = adi_parse_uint(text, fd->type == T_SIZE, &u)) != ADI_OK)
            return rc;
        if (u > MAX_SAMPLES)
            return adi_fail(ADI_EINPUT, "expected at most %d, got '%s'", MAX_SAMPLES, text);
        *(size_t *)at = (size_t)u;
        return ADI_OK;
    case T_TIME:
    case T_TIME0:
        if ((rc = adi_parse_time(text, &d)) != ADI_OK)
            return rc;
        if (fd->type == T_TIME && !(d > 0))
            return adi_fail(ADI_EINPUT, "expected a time > 0, got '%s'", text);
        *(double *)at = d;
        return ADI_OK;
    case T_POS:
    case T_REAL:
    case T_NONNEG:
        if ((rc = adi_parse_real(text, &d)) != ADI_OK)
            return rc;
        if ((fd->type == T_POS && !(d > 0)) || (fd->type == T_NONNEG && !(d >= 0)))
            return adi_fail(ADI_EINPUT, "expected a number %s 0, got '%s'",
                            fd->type == T_POS ? ">" : ">=", text);
        *(double *)at = d;
        return ADI_OK;
    case T_FAMILY:
        if (strcmp(text, "lognormal") == 0)
            *(adi_dist *)at = ADI_DIST_LOGNORMAL;
        else if (strcmp(text, "gamma") == 0)
            *(adi_dist *)at = ADI_DIST_GAMMA;
        else if (strcmp(text, "none") == 0)
            *(adi_dist *)at = ADI_DIST_DETERMINISTIC;
        else
            return adi_fail(ADI_EINPUT, "expected lognormal, gamma or none, got '%s'", text);
        return ADI_OK;
    case T_SOURCE:
        for (int i = 0; i < ADI_SOURCE_COUNT; i++)
            if (strcmp(text, source_names[i]) == 0) {
                *(adi_source *)at = (adi_source)i;
                return ADI_OK;
            }
        return adi_fail(ADI_EINPUT, "expected measured, emulated or estimated, got '%s'", text);
    case T_BYTES:
        if ((rc = adi_parse_uint(text, 0, &u)) != ADI_OK)
            return rc;
        if (u > (1ull << 53))
            return adi_fail(ADI_EINPUT, "expected at most 2^53 bytes, got '%s'", text);
        *(double *)at = (double)u;
        return ADI_OK;
    case T_SIZES:
        if ((rc = parse_list(fd, text, at, len)) == ADI_OK)
            ((adi_kernel_profile *)base)->batch.n = *len;
        return rc;
    case T_TIMES:
    case T_TIMES0:
    case T_COUNTS:
        return parse_list(fd, text, at, len);
    case T_LAW:
        return adi_batch_kind_parse(text, (adi_batch_kind *)at);
    case T_SAMPLES:
        return parse_samples(base, text);
    }
    return adi_fail(ADI_EINTERNAL, "no parser for %s", fd->name);
}

static int on_key(void *user, int s, size_t k, const char *value, int line)
{
    parser *ps = user;
    if (fields[k].type == T_FORMAT)
        ps->format_line = line;
    return parse_field(&fields[k], value, section_base(ps->pf, s), &ps->len[s][k]);
}

static const adi_ini_table table = {
    section_names, S_COUNT, "[profile], [host], [conv], [x2] or [link]",
    fields, NFIELDS, sizeof(field), offsetof(field, name), offsetof(field, where),
    open_section, on_key,
};

/* The line of key i of section s, 0 when absent. */
#define LINE(ps, s, i) adi_ini_seen_line(&(ps)->seen, &table, (s), (i))

/* The index of field `name` in section s's fields. */
static size_t field_index(int s, const char *name)
{
    size_t i = 0;
    while (i < NFIELDS && !((fields[i].where & IN(s)) && strcmp(fields[i].name, name) == 0))
        i++;
    return i;
}

/* A kernel's batch sizes, once its samples and statistics are in: one
** size before format 4 (the task's), or the lists of `batches`, each as
** long as it, the first entry the samples' own, the sizes increasing and
** an affine law positive. */
static int complete_batches(parser *ps, int s, adi_kernel_profile *kp)
{
    adi_batch_law *b = &kp->batch;
    const char *path = ps->path, *name = section_names[s];
    size_t bi = field_index(s, "batches");
    if (ps->pf->format < 4) {
        adi_batch_one(b, kp->shape.batch, kp->stats.mean, kp->stats.std, kp->nsamples);
        return ADI_OK;
    }
    if (b->size[0] != kp->shape.batch)
        return adi_fail(ADI_EINPUT, "%s:%d: [%s] batches: the first size is the task's own, "
                        "batch = %zu, got %zu", path, LINE(ps, s, bi), name, kp->shape.batch,
                        b->size[0]);
    if (b->n == 1) {
        adi_batch_one(b, kp->shape.batch, kp->stats.mean, kp->stats.std, kp->nsamples);
        return ADI_OK;
    }
    for (size_t i = 0; i < NFIELDS; i++)
        if ((fields[i].where & IN(s)) && IS_LIST(fields[i].type) && ps->len[s][i] != b->n)
            return adi_fail(ADI_EINPUT, "%s:%d: [%s] %s: %zu entries, but batches lists %zu "
                            "sizes", path, LINE(ps, s, i), name, fields[i].name, ps->len[s][i],
                            b->n);
    if (b->mean[0] != kp->stats.mean || b->std[0] != kp->stats.std ||
        b->count[0] != kp->nsamples)
        return adi_fail(ADI_EINPUT, "%s:%d: [%s] batch_mean: the first size's mean, std and "
                        "count are the task's own (mean, std and the %zu samples)", path,
                        LINE(ps, s, field_index(s, "batch_mean")), name, kp->nsamples);
    if (adi_batch_check(b) != ADI_OK)
        return adi_fail_prefix(ADI_EINPUT, "%s:%d: [%s] batches", path, LINE(ps, s, bi), name);
    if (b->law == ADI_BATCH_AFFINE && !adi_batch_affine_positive(b))
        return adi_fail(ADI_EINPUT, "%s:%d: [%s] law: affine, but intercept + slope s is not "
                        "positive at every size measured", path,
                        LINE(ps, s, field_index(s, "law")), name);
    return ADI_OK;
}

/* Every field of every section present, once; samples consistent. */
static int complete(parser *ps)
{
    adi_profile *pf = ps->pf;
    int any = 0;
    for (int s = 0; s < S_COUNT; s++) {
        if (!(ps->seen.present & IN(s))) {
            if (s < S_CONV)
                return adi_fail(ADI_EINPUT, "%s: no [%s] section", ps->path, section_names[s]);
            continue;
        }
        if (s == S_LINK && pf->format < 3)
            return adi_fail(ADI_EINPUT, "%s:%d: [link]: only in a format 3 profile", ps->path,
                            ps->seen.section_line[s]);
        adi_kernel_profile *kp = IS_KERNEL(s) ? pf->kernel[s - S_CONV] : NULL;
        for (size_t i = 0; i < NFIELDS; i++) {
            if (!(fields[i].where & IN(s)))
                continue;
            int app = applies(&fields[i], pf->format, pf->source, kp);
            if (app && !LINE(ps, s, i))
                return adi_fail(ADI_EINPUT, "%s:%d: [%s] %s is missing", ps->path,
                                ps->seen.section_line[s], section_names[s], fields[i].name);
            if (!app && LINE(ps, s, i))
                return adi_fail(ADI_EINPUT, "%s:%d: [%s] %s: %s", ps->path, LINE(ps, s, i),
                                section_names[s], fields[i].name, needs(&fields[i]));
        }
        if (!IS_KERNEL(s))
            continue;
        any = 1;
        if (pf->format < 3)
            set_io_bytes(kp);
        if (pf->format < 2) {
            snprintf(kp->task, sizeof kp->task, "%s", adi_kernel_host_task(kp->kernel));
            snprintf(kp->checksum, sizeof kp->checksum, "unknown");
        }
        int sl = LINE(ps, s, NFIELDS - 1); /* samples is the last field */
        if (kp->threads > MAX_THREADS)
            return adi_fail(ADI_EINPUT, "%s:%d: [%s] threads: at most %d", ps->path,
                            ps->seen.section_line[s], section_names[s], MAX_THREADS);
        if (kp->nsamples != kp->threads * kp->reps)
            return adi_fail(ADI_EINPUT, "%s:%d: [%s] samples: %zu samples, but threads x reps "
                            "= %zu x %zu = %zu", ps->path, sl, section_names[s], kp->nsamples,
                            kp->threads, kp->reps, kp->threads * kp->reps);
        if (kp->kernel == ADI_KERNEL_X2)
            kp->shape.out_c = kp->shape.in_c;
        kp->stats.n = kp->nsamples;
        int rc = sort_samples(kp);
        if (rc == ADI_OK)
            rc = complete_batches(ps, s, kp);
        if (rc != ADI_OK)
            return rc;
    }
    if (!any)
        return adi_fail(ADI_EINPUT, "%s: no measured kernel ([conv] or [x2] section)", ps->path);
    if (pf->format < 2)
        snprintf(pf->origin, sizeof pf->origin, "measured on this device by calibrate (a format "
                 "1 profile, from before profiles said where their times come from)");
    return ADI_OK;
}

int adi_profile_parse(const char *path, const char *text, adi_profile **out)
{
    *out = NULL;
    adi_profile *pf = adi_profile_new();
    parser *ps = calloc(1, sizeof *ps);
    int rc = pf && ps && (pf->path = strdup(path)) ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    if (rc != ADI_OK)
        goto fail;
    pf->format = 0;
    ps->pf = pf;
    ps->path = path;
    rc = adi_ini_table_parse(path, text, &table, ps, &ps->seen);
    if (rc == ADI_ENOMEM)
        goto fail;
    /* A newer format explains every other complaint: it comes first. */
    if (ps->format_line && pf->format > ADI_PROFILE_FORMAT) {
        rc = adi_fail(ADI_EINPUT, "%s:%d: [profile] format: written by a newer adisim (format "
                      "%d; this one reads up to %d): update adisim, or recalibrate with this one",
                      path, ps->format_line, pf->format, ADI_PROFILE_FORMAT);
        goto fail;
    }
    if (rc != ADI_OK)
        goto fail;
    if (ps->seen.err.line) {
        rc = adi_ini_error_raise(&ps->seen.err);
        goto fail;
    }
    if (!ps->format_line) {
        rc = adi_fail(ADI_EINPUT, "%s: [profile] format is missing (is this an adisim device "
                      "profile?)", path);
        goto fail;
    }
    if ((rc = complete(ps)) != ADI_OK)
        goto fail;
    adi_sha256_hex(text, strlen(text), pf->sha256);
    adi_ini_seen_free(&ps->seen);
    free(ps);
    *out = pf;
    return ADI_OK;
fail:
    if (ps)
        adi_ini_seen_free(&ps->seen);
    free(ps);
    adi_profile_free(pf);
    return rc;
}

int adi_profile_load(const char *path, adi_profile **out)
{
    *out = NULL;
    char *text;
    int rc = adi_ini_read_file(path, &text);
    if (rc != ADI_OK)
        return rc;
    rc = adi_profile_parse(path, text, out);
    free(text);
    return rc;
}
