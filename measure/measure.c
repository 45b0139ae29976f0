/*
** measure/measure.c — the timing harness (see measure.h). The kernels
** know nothing of time, threads or memory; everything of that kind is here.
** Built with ADI_PROBE (make PROBE=1, make CROSS=...) it needs only libc and
** pthreads: no BLAS, no GSL.
*/
#include "measure/measure.h"
#include "kernels/task.h"
#include "measure/host.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/units.h"
#ifndef ADI_PROBE
#include "kernels/blas.h"
#define GEMM adi_gemm_blas
#else
#define GEMM adi_gemm_plain
#endif

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct named_shape {
    const char *name;
    size_t in_c, out_c, h, w;
} named_shape;

/* ResNet18 for CIFAR-10: a 3x3 stem at 32x32, then four stages of 3x3
** convolutions (the stride-1 ones). */
static const named_shape shapes[] = {
    {"stem", 3, 64, 32, 32},      {"layer1", 64, 64, 32, 32},  {"layer2", 128, 128, 16, 16},
    {"layer3", 256, 256, 8, 8},   {"layer4", 512, 512, 4, 4},
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

const char *adi_calibrate_shape_names(void)
{
    return "stem (3->64, 32x32), layer1 (64->64, 32x32), layer2 (128->128, 16x16), "
           "layer3 (256->256, 8x8), layer4 (512->512, 4x4)";
}

int adi_calibrate_parse_shape(const char *text, char *layer, size_t size, adi_conv_shape *shape)
{
    for (size_t i = 0; i < NSHAPES; i++)
        if (strcmp(text, shapes[i].name) == 0) {
            snprintf(layer, size, "%s", shapes[i].name);
            shape->in_c = shapes[i].in_c;
            shape->out_c = shapes[i].out_c;
            shape->h = shapes[i].h;
            shape->w = shapes[i].w;
            return ADI_OK;
        }
    unsigned long v[4];
    int n = 0;
    const char *p = text;
    while (n < 4) {
        char *end;
        if (!isdigit((unsigned char)*p))
            break;
        v[n++] = strtoul(p, &end, 10);
        p = end;
        if (*p != ':')
            break;
        p++;
    }
    if (*p || n < 3)
        return adi_fail(ADI_EINPUT, "expected a layer (%s) or IN:OUT:H[:W] channels and size, "
                        "got '%s'", adi_calibrate_shape_names(), text);
    if (n == 3)
        v[3] = v[2];
    for (int i = 0; i < 4; i++)
        if (v[i] < 1 || v[i] > 65536)
            return adi_fail(ADI_EINPUT, "'%s': channels and sizes must be between 1 and 65536", text);
    snprintf(layer, size, "custom");
    shape->in_c = v[0];
    shape->out_c = v[1];
    shape->h = v[2];
    shape->w = v[3];
    return ADI_OK;
}

const char *adi_calibrate_gemm_name(void)
{
#ifndef ADI_PROBE
    return adi_blas_name();
#else
    return ADI_CALIBRATE_PLAIN_GEMM_NAME;
#endif
}

/* ---- one kernel, k copies -------------------------------------------------- */

/* A barrier whose count can shrink (when a thread cannot be started); also
** one macOS has, which lacks pthread_barrier_t. */
typedef struct gate {
    pthread_mutex_t m;
    pthread_cond_t c;
    size_t need, arrived;
} gate;

static int gate_init(gate *g, size_t need)
{
    g->need = need;
    g->arrived = 0;
    if (pthread_mutex_init(&g->m, NULL) != 0)
        return -1;
    if (pthread_cond_init(&g->c, NULL) != 0) {
        pthread_mutex_destroy(&g->m);
        return -1;
    }
    return 0;
}

static void gate_destroy(gate *g)
{
    pthread_cond_destroy(&g->c);
    pthread_mutex_destroy(&g->m);
}

static void gate_wait(gate *g)
{
    pthread_mutex_lock(&g->m);
    if (++g->arrived >= g->need)
        pthread_cond_broadcast(&g->c);
    while (g->arrived < g->need)
        pthread_cond_wait(&g->c, &g->m);
    pthread_mutex_unlock(&g->m);
}

static void gate_shrink(gate *g, size_t need)
{
    pthread_mutex_lock(&g->m);
    g->need = need;
    pthread_cond_broadcast(&g->c);
    pthread_mutex_unlock(&g->m);
}

typedef struct job {
    adi_task task;                  /* sized, never allocated: each copy's template */
    size_t threads, reps;
    size_t min_warmup;              /* tasks */
    double warmup_s;                /* seconds */
    double budget_s;                /* > 0: --quick without --reps: copy 0 lowers reps
                                       after its warm-up to fit about this long */
    const adi_calibrate_options *opt;
    const char *label;              /* for progress: "conv", or "conv batch 8" */
    gate checked, warm;             /* every copy (and co-runner) checked; every copy warm */
    atomic_int failed;
    atomic_size_t finished;         /* copies done with their timed tasks */
    uint64_t *samples;              /* [threads * reps], ns */
    double t0;
} job;

typedef struct copy {
    job *j;
    size_t index;
    size_t warmup;                  /* untimed tasks run before the timed ones */
    adi_task task;                  /* its own buffers and data (kernels/task.h) */
    size_t checked;                 /* the self-check: outputs compared, */
    uint64_t checksum;              /* and their checksum */
    int rc;
    char err[512];
} copy;

static void copy_fail(copy *c, int rc, const char *msg)
{
    if (c->rc == ADI_OK) {
        c->rc = rc;
        snprintf(c->err, sizeof c->err, "%s", msg);
    }
    atomic_store(&c->j->failed, 1);
}

/* Allocates, fills, runs one task and checks it. */
static void prepare(copy *c)
{
    c->task = c->j->task;
    int rc = adi_task_prepare(&c->task, 1, &c->checked);
    if (rc != ADI_OK)
        copy_fail(c, rc, adi_errmsg());
    else
        c->checksum = adi_task_checksum(&c->task);
}

static void report(job *j, size_t done, double *last)
{
    double t = adi_clock_s();
    if (j->opt->progress && (done == j->reps || t - *last >= 0.1)) {
        j->opt->progress(j->opt->ctx, j->label, done, j->reps, t - j->t0);
        *last = t;
    }
}

static void *run_copy(void *arg)
{
    copy *c = arg;
    job *j = c->j;
    prepare(c);
    gate_wait(&j->checked);
    if (atomic_load(&j->failed))
        return NULL;
    double start = adi_clock_s();
    for (c->warmup = 1; c->warmup < j->min_warmup || adi_clock_s() - start < j->warmup_s; c->warmup++)
        if (adi_task_run(&c->task) != 0 || c->warmup >= 100000)
            break;
    if (c->index == 0 && j->budget_s > 0) {
        /* the other copies read reps after the gate, whose mutex orders it */
        double per_task = (adi_clock_s() - start) / (double)(c->warmup > 1 ? c->warmup - 1 : 1);
        size_t fit = per_task > 0 ? (size_t)(j->budget_s / per_task) : j->reps;
        j->reps = fit < 3 ? 3 : fit < j->reps ? fit : j->reps;
    }
    gate_wait(&j->warm);
    uint64_t *out = j->samples + c->index * j->reps;
    double last = 0;
    if (c->index == 0)
        j->t0 = last = adi_clock_s();
    for (size_t r = 0; r < j->reps; r++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        int rc = adi_task_run(&c->task);
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (rc != 0) {
            copy_fail(c, ADI_EINTERNAL, "the BLAS GEMM failed");
            break;
        }
        /* whole nanoseconds: the import divides once, so a sample prints as
        ** the clock read it (0.073611359, not 0.07361135899999999) */
        long long ns = (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
        out[r] = ns > 0 ? (uint64_t)ns : 0;
        if (c->index == 0)
            report(j, r + 1, &last);
    }
    /* keep the machine as busy as it was until every copy is done */
    atomic_fetch_add(&j->finished, 1);
    while (atomic_load(&j->finished) < j->threads && !atomic_load(&j->failed))
        if (adi_task_run(&c->task) != 0)
            break;
    return NULL;
}

/* The co-runner (--beside): its own buffers and data, started with the
** copies (it passes the `checked` gate with them, so it runs through their
** warm-up) and stopped when every copy has finished its timed tasks. Its
** results are not reported, so they are not checked. */
typedef struct corunner {
    job *j;
    const adi_calibrate_corunner *spec;
    adi_task task;
    size_t tasks;                   /* run so far */
    int rc;
} corunner;

static void *run_corunner(void *arg)
{
    corunner *b = arg;
    job *j = b->j;
    const adi_calibrate_corunner *s = b->spec;
    if (adi_task_init(&b->task, s->kernel, &s->shape, s->plain_gemm ? adi_gemm_plain : GEMM) !=
            ADI_OK ||
        adi_task_alloc(&b->task, 3) != ADI_OK) {
        b->rc = ADI_ENOMEM;
        atomic_store(&j->failed, 1);
    }
    gate_wait(&j->checked);
    while (b->rc == ADI_OK && atomic_load(&j->finished) < j->threads && !atomic_load(&j->failed))
        if (adi_task_run(&b->task) == 0) {
            b->tasks++;
        } else {
            b->rc = ADI_EINTERNAL;
            atomic_store(&j->failed, 1);
        }
    return NULL;
}

/* Kernel k's task text when timed beside a co-runner: a short description
** of the task, then "; timed beside local-plain's conv 3->64 32x32 x64 (plain
** C GEMM) on another core". */
static int describe_beside(adi_kernel k, const adi_calibrate_corunner *s, char *task, size_t size)
{
    char what[96];
    if (s->kernel == ADI_KERNEL_CONV)
        snprintf(what, sizeof what, "conv %zu->%zu %zux%zu x%zu (%s GEMM)", s->shape.in_c,
                 s->shape.out_c, s->shape.h, s->shape.w, s->shape.batch,
                 s->plain_gemm ? "plain C" : "BLAS");
    else
        snprintf(what, sizeof what, "x2 x%zu", s->shape.batch);
    /* the task's own description, short enough to leave room for the co-runner's */
    size_t len = (size_t)snprintf(task, size, "%s", k == ADI_KERNEL_CONV
                                  ? "batch resident in memory (NCHW float32), im2col + one GEMM"
                                    " per image" : "batch resident in memory, y = 2x into another"
                                    " buffer");
    int n = snprintf(task + len, size - len, "; timed beside %s's %s on another core", s->device,
                     what);
    if (n < 0 || (size_t)n >= size - len) {
        task[len] = '\0';
        return adi_fail(ADI_EINPUT, "--beside: the device name '%s' is too long to describe "
                        "the co-runner in the profile's task line", s->device);
    }
    return ADI_OK;
}

static size_t default_reps(const adi_calibrate_options *opt, adi_kernel k)
{
    return opt->reps ? opt->reps
         : k == ADI_KERNEL_CONV ? (opt->quick ? 10 : 100) : (opt->quick ? 200 : 5000);
}

static void copy_free(copy *c)
{
    adi_task_free(&c->task);
}

/* Times kernel k on shape (one batch size) with the options' copies, reps
** and co-runner into *out (its batch, reps, warm-up, self-check and counts;
** the caller owns out->counts) and the work per task into *work. */
static int measure(const adi_calibrate_options *opt, adi_kernel k, const adi_conv_shape *shape,
                   const char *label, adi_record_batch *out, uint64_t *work)
{
    job *j = calloc(1, sizeof *j);
    copy *copies = NULL;
    pthread_t *tid = NULL, beside_tid;
    corunner beside = {.j = j, .spec = opt->beside};
    int beside_started = 0;
    size_t started = 0;
    int rc = ADI_OK, barriers = 0;
    if (!j)
        return adi_fail(ADI_ENOMEM, "out of memory");
    j->opt = opt;
    j->label = label;
    j->threads = opt->threads ? opt->threads : 1;
    j->reps = default_reps(opt, k);
    if ((rc = adi_task_init(&j->task, k, shape, opt->plain_gemm ? adi_gemm_plain : GEMM)) !=
        ADI_OK) {
        free(j);
        return rc;
    }
    j->budget_s = opt->quick && !opt->reps ? 1.0 : 0;
    j->min_warmup = opt->quick ? 1 : 2;
    j->warmup_s = opt->quick ? 0.1 : 0.5;
    copies = calloc(j->threads, sizeof *copies);
    tid = calloc(j->threads, sizeof *tid);
    j->samples = malloc(j->threads * j->reps * sizeof *j->samples);
    if (!copies || !tid || !j->samples) {
        rc = adi_fail(ADI_ENOMEM, "out of memory for %zu x %zu samples", j->threads, j->reps);
        goto done;
    }
    if (gate_init(&j->checked, j->threads + (opt->beside != NULL)) != 0 ||
        (barriers = 1, gate_init(&j->warm, j->threads) != 0)) {
        rc = adi_fail(ADI_EINTERNAL, "cannot create a barrier");
        goto done;
    }
    barriers = 2;
    for (size_t i = 0; i < j->threads; i++)
        copies[i] = (copy){.j = j, .index = i};
    /* copy 0 runs in this thread; the others in their own */
    for (started = 1; started < j->threads; started++)
        if (pthread_create(&tid[started], NULL, run_copy, &copies[started]) != 0)
            break;
    if (started == j->threads && opt->beside)
        beside_started = pthread_create(&beside_tid, NULL, run_corunner, &beside) == 0;
    if (started < j->threads || (opt->beside && !beside_started)) {
        /* the copies that did start must not wait for those that did not */
        rc = started < j->threads
                 ? adi_fail(ADI_EINTERNAL, "cannot start thread %zu of %zu", started + 1, j->threads)
                 : adi_fail(ADI_EINTERNAL, "cannot start the co-runner's thread");
        atomic_store(&j->failed, 1);
        gate_shrink(&j->checked, started);
        gate_shrink(&j->warm, started);
    }
    run_copy(&copies[0]);
    for (size_t i = 1; i < started; i++)
        pthread_join(tid[i], NULL);
    if (beside_started) {
        pthread_join(beside_tid, NULL);
        if (opt->beside_tasks)
            *opt->beside_tasks = beside.tasks;
        if (rc == ADI_OK && beside.rc != ADI_OK)
            rc = adi_fail(beside.rc, "%s: the co-runner (--beside %s) %s", adi_kernel_name(k),
                          opt->beside->device, beside.rc == ADI_ENOMEM
                              ? "has no memory for its buffers" : "failed: its GEMM failed");
    }
    for (size_t i = 0; i < j->threads && rc == ADI_OK; i++)
        if (copies[i].rc != ADI_OK)
            rc = adi_fail(copies[i].rc, "%s: %s", adi_kernel_name(k), copies[i].err);
    size_t warmup = SIZE_MAX;
    for (size_t i = 0; i < j->threads; i++)
        if (copies[i].warmup < warmup)
            warmup = copies[i].warmup;
    for (size_t i = 0; i < j->threads * j->reps && rc == ADI_OK; i++)
        if (j->samples[i] == 0)
            rc = adi_fail(ADI_EINTERNAL, "%s: a task took no measurable time: the clock is too "
                          "coarse; use a larger --batch", adi_kernel_name(k));
    if (rc == ADI_OK) {
        *out = (adi_record_batch){.batch = shape->batch, .reps = j->reps, .warmup = warmup,
                                  .checked = copies[0].checked, .checksum = copies[0].checksum,
                                  .counts = j->samples}; /* the caller's now */
        j->samples = NULL;
        *work = (uint64_t)adi_task_work(&j->task);
    }
done:
    if (barriers >= 1)
        gate_destroy(&j->checked);
    if (barriers >= 2)
        gate_destroy(&j->warm);
    for (size_t i = 0; copies && i < j->threads; i++)
        copy_free(&copies[i]);
    adi_task_free(&beside.task);
    free(copies);
    free(tid);
    free(j->samples);
    free(j);
    return rc;
}

static void kernel_free(adi_record_kernel *rk)
{
    if (!rk)
        return;
    for (size_t j = 0; j < rk->nbatches; j++)
        free(rk->batches[j].counts);
    free(rk->batches);
    free(rk->counts);
    free(rk);
}

/* Kernel k at the task's batch (shape), then at each further size, into
** rec->kernel[k]. */
static int measure_kernel(const adi_calibrate_options *opt, adi_kernel k, const char *layer,
                          const adi_conv_shape *shape, adi_record *rec)
{
    size_t threads = opt->threads ? opt->threads : 1, reps = default_reps(opt, k);
    if (opt->nbatches && opt->batches[0] <= shape->batch)
        return adi_fail(ADI_EINPUT, "--batch: the further sizes must be above the task's batch "
                        "(%zu images for %s), got %zu", shape->batch, adi_kernel_name(k),
                        opt->batches[0]);
    if ((1 + opt->nbatches) * threads * reps > ADI_RECORD_MAX_COUNTS)
        return adi_fail(ADI_EINPUT, "%s: batch sizes x --threads x --reps = %zu x %zu x %zu: at "
                        "most %d timed tasks in all (what a record and a profile hold)",
                        adi_kernel_name(k), 1 + opt->nbatches, threads, reps,
                        ADI_RECORD_MAX_COUNTS);
    adi_record_kernel *rk = calloc(1, sizeof *rk);
    if (!rk || (opt->nbatches && !(rk->batches = calloc(opt->nbatches, sizeof *rk->batches)))) {
        free(rk);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    snprintf(rk->layer, sizeof rk->layer, "%s", layer);
    rk->shape = *shape;
    if (k == ADI_KERNEL_X2)
        rk->shape.out_c = rk->shape.in_c;
    snprintf(rk->task, sizeof rk->task, "%s", adi_kernel_host_task(k));
    rk->threads = threads;
    adi_record_batch own;
    int rc = opt->beside ? describe_beside(k, opt->beside, rk->task, sizeof rk->task) : ADI_OK;
    if (rc == ADI_OK && (rc = measure(opt, k, shape, adi_kernel_name(k), &own, &rk->work)) ==
        ADI_OK) {
        rk->reps = own.reps;
        rk->warmup = own.warmup;
        rk->checked = own.checked;
        rk->checksum = own.checksum;
        rk->counts = own.counts;
    }
    for (size_t j = 0; j < opt->nbatches && rc == ADI_OK; j++) {
        adi_conv_shape more = *shape;
        more.batch = opt->batches[j];
        char label[48];
        snprintf(label, sizeof label, "%s batch %zu", adi_kernel_name(k), more.batch);
        uint64_t work;
        if ((rc = measure(opt, k, &more, label, &rk->batches[j], &work)) == ADI_OK)
            rk->nbatches = j + 1;
    }
    if (rc != ADI_OK) {
        kernel_free(rk);
        return rc;
    }
    rec->kernel[k] = rk;
    return ADI_OK;
}

/* ---- public ------------------------------------------------------------------ */

int adi_calibrate_parse_batches(const char *text, size_t *sizes, size_t *n)
{
    *n = 0;
    char **items;
    size_t count;
    int rc = adi_split_list(text, &items, &count);
    if (rc != ADI_OK)
        return adi_fail_prefix(rc, "--batch");
    if (count > ADI_CALIBRATE_MAX_BATCHES)
        rc = adi_fail(ADI_EINPUT, "--batch: at most %d batch sizes, got %zu",
                      ADI_CALIBRATE_MAX_BATCHES, count);
    for (size_t i = 0; i < count && rc == ADI_OK; i++) {
        uint64_t v;
        if ((rc = adi_parse_uint(items[i], 1, &v)) != ADI_OK)
            adi_fail_prefix(rc, "--batch");
        else if (v > ADI_CALIBRATE_MAX_BATCH)
            rc = adi_fail(ADI_EINPUT, "--batch: at most %d images, got %s",
                          ADI_CALIBRATE_MAX_BATCH, items[i]);
        for (size_t j = 0; j < i && rc == ADI_OK; j++)
            if (sizes[j] == v)
                rc = adi_fail(ADI_EINPUT, "--batch: %s is listed twice", items[i]);
        if (rc == ADI_OK && i && v < sizes[i - 1])
            rc = adi_fail(ADI_EINPUT, "--batch: list the sizes in increasing order (the first "
                          "is the task), got %s after %zu", items[i], sizes[i - 1]);
        if (rc == ADI_OK)
            sizes[i] = (size_t)v;
    }
    free(items);
    if (rc == ADI_OK)
        *n = count;
    return rc;
}

static int check_name(const char *name)
{
    if (!name || !*name)
        return adi_fail(ADI_EINPUT, "--device: a device name is required (e.g. --device pi4)");
    if (strlen(name) >= sizeof ((adi_record *)0)->device)
        return adi_fail(ADI_EINPUT, "--device: at most 63 characters");
    for (const char *c = name; *c; c++)
        if (!(isalnum((unsigned char)*c) || strchr("._-", *c)))
            return adi_fail(ADI_EINPUT, "--device: expected letters, digits, '.', '_' or '-', "
                            "got '%s'", name);
    return ADI_OK;
}

int adi_calibrate_run(const adi_calibrate_options *opt, adi_record **out)
{
    *out = NULL;
#ifndef ADI_PROBE
    adi_gsl_quiet();
    adi_blas_single_thread();
#endif
    int rc = check_name(opt->device);
    if (rc != ADI_OK)
        return rc;
    if (opt->reps > ADI_CALIBRATE_MAX_REPS || (opt->reps && opt->reps < 2))
        return adi_fail(ADI_EINPUT, "--reps: expected 2 to %d timed tasks",
                        ADI_CALIBRATE_MAX_REPS);
    if (opt->threads > ADI_CALIBRATE_MAX_THREADS)
        return adi_fail(ADI_EINPUT, "--threads: at most %d", ADI_CALIBRATE_MAX_THREADS);
    if (opt->batch > ADI_CALIBRATE_MAX_BATCH)
        return adi_fail(ADI_EINPUT, "--batch: at most %d images", ADI_CALIBRATE_MAX_BATCH);
    if (opt->nbatches > ADI_RECORD_MAX_BATCHES)
        return adi_fail(ADI_EINPUT, "--batch: at most %d batch sizes", ADI_CALIBRATE_MAX_BATCHES);
    for (size_t j = 0; j < opt->nbatches; j++)
        if (opt->batches[j] > ADI_CALIBRATE_MAX_BATCH ||
            (j && opt->batches[j] <= opt->batches[j - 1]))
            return adi_fail(ADI_EINPUT, "--batch: the sizes must increase, up to %d images",
                            ADI_CALIBRATE_MAX_BATCH);
    unsigned all = (1u << ADI_KERNEL_COUNT) - 1, asked = opt->kernels ? opt->kernels : all;
    if (opt->beside && (asked & (asked - 1)))
        return adi_fail(ADI_EINPUT, "--beside: measure one kernel at a time (--kernel conv or "
                        "--kernel x2)");
    if (opt->beside && (opt->beside->shape.batch < 1 || opt->beside->shape.batch > 65536 ||
                        !opt->beside->shape.in_c || !opt->beside->shape.h || !opt->beside->shape.w))
        return adi_fail(ADI_EINPUT, "--beside: the co-runner's task has no size");
    adi_conv_shape conv = {.batch = opt->batch ? opt->batch : 64};
    char layer[32];
    if ((rc = adi_calibrate_parse_shape(opt->shape ? opt->shape : "layer1", layer, sizeof layer,
                                        &conv)) != ADI_OK)
        return adi_fail_prefix(rc, "--shape");
    adi_conv_shape x2 = {.batch = opt->batch ? opt->batch : 32, .in_c = 3, .out_c = 3,
                         .h = 32, .w = 32};
    adi_record *rec = calloc(1, sizeof *rec);
    if (!rec)
        return adi_fail(ADI_ENOMEM, "out of memory");
    rec->format = ADI_RECORD_FORMAT;
    snprintf(rec->device, sizeof rec->device, "%s", opt->device);
    rec->unit = ADI_UNIT_NS;
    adi_host_describe(rec, opt->plain_gemm ? ADI_CALIBRATE_PLAIN_GEMM_NAME
                                           : adi_calibrate_gemm_name());
    unsigned kernels = opt->kernels ? opt->kernels : (1u << ADI_KERNEL_COUNT) - 1;
    if (kernels & 1u << ADI_KERNEL_CONV)
        rc = measure_kernel(opt, ADI_KERNEL_CONV, layer, &conv, rec);
    if (rc == ADI_OK && kernels & 1u << ADI_KERNEL_X2)
        rc = measure_kernel(opt, ADI_KERNEL_X2, "cifar10", &x2, rec);
    if (rc != ADI_OK) {
        adi_record_free(rec);
        return rc;
    }
    *out = rec;
    return ADI_OK;
}
