/*
** profile/import.c — reading measurement records and turning them into
** device profiles (import.h).
**
** The reader follows profile.c's rules with a smaller table: every key of
** every section present exactly once, no unknown section or key, values
** checked by type, the first problem reported as "path:line: [section]
** key: why". Then the record must be consistent: counts = threads x reps,
** and the work per task what its shape implies (a firmware that ran
** another task than it says is caught here). A kernel's further batch sizes
** (format 2) are a group of keys, all or none, read into the parser first
** and checked together: one entry per size in each list, sizes above the
** task's and increasing, batch_counts = threads x the sum of batch_reps.
*/
#include "profile/import.h"
#include "model/batchlaw.h"
#include "core/error.h"
#include "core/ini.h"
#include "core/units.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_COUNTS ADI_RECORD_MAX_COUNTS
#define MAX_THREADS 4096

enum { S_RECORD, S_CONV, S_X2, S_COUNT };
static const char *const section_names[S_COUNT] = {"record", "conv", "x2"};
#define IN(s) (1u << (s))
#define KERNELS (IN(S_CONV) | IN(S_X2))

enum type {
    T_FORMAT, T_NAME, T_TEXT, T_UINT, T_SIZE, T_SIZE0, T_U64, T_U64_0, T_UNIT, T_HEX, T_COUNTS,
    T_BLIST,   /* a list with one entry per further batch size (off: which, record.c's order) */
    T_BCOUNTS, /* batch_counts */
};
#define BATCH_LISTS 6 /* batches, batch_reps, batch_warmup, batch_checked, batch_wrong,
                         batch_checksum */

typedef struct field {
    const char *name;
    enum type type;
    unsigned where;
    size_t off, size;
} field;

#define R(m) offsetof(adi_record, m), sizeof(((adi_record *)0)->m)
#define K(m) offsetof(adi_record_kernel, m), sizeof(((adi_record_kernel *)0)->m)

static const field fields[] = {
    {"format", T_FORMAT, IN(S_RECORD), R(format)},
    {"device", T_NAME, IN(S_RECORD), R(device)},
    {"created", T_TEXT, IN(S_RECORD), R(created)},
    {"adisim", T_TEXT, IN(S_RECORD), R(adisim)},
    {"cpu", T_TEXT, IN(S_RECORD), R(cpu)},
    {"cores", T_UINT, IN(S_RECORD), R(cores)},
    {"os", T_TEXT, IN(S_RECORD), R(os)},
    {"compiler", T_TEXT, IN(S_RECORD), R(compiler)},
    {"blas", T_TEXT, IN(S_RECORD), R(blas)},
    {"unit", T_UNIT, IN(S_RECORD), R(unit)},
    {"clock_hz", T_U64_0, IN(S_RECORD), R(clock_hz)},
    {"emulator", T_TEXT, IN(S_RECORD), R(emulator)},
    {"layer", T_NAME, KERNELS, K(layer)},
    {"batch", T_SIZE, KERNELS, K(shape.batch)},
    {"in_channels", T_SIZE, IN(S_CONV), K(shape.in_c)},
    {"out_channels", T_SIZE, IN(S_CONV), K(shape.out_c)},
    {"channels", T_SIZE, IN(S_X2), K(shape.in_c)},
    {"height", T_SIZE, KERNELS, K(shape.h)},
    {"width", T_SIZE, KERNELS, K(shape.w)},
    {"task", T_TEXT, KERNELS, K(task)},
    {"threads", T_SIZE, KERNELS, K(threads)},
    {"reps", T_SIZE, KERNELS, K(reps)},
    {"warmup", T_SIZE0, KERNELS, K(warmup)},
    {"flops", T_U64, IN(S_CONV), K(work)},
    {"bytes", T_U64, IN(S_X2), K(work)},
    {"checked", T_U64, KERNELS, K(checked)},
    {"wrong", T_U64_0, KERNELS, K(wrong)},
    {"checksum", T_HEX, KERNELS, K(checksum)},
    /* format 2, all or none: the further batch sizes (B(i): list i) */
#define B(i) (i), 0
    {"batches", T_BLIST, KERNELS, B(0)},
    {"batch_reps", T_BLIST, KERNELS, B(1)},
    {"batch_warmup", T_BLIST, KERNELS, B(2)},
    {"batch_checked", T_BLIST, KERNELS, B(3)},
    {"batch_wrong", T_BLIST, KERNELS, B(4)},
    {"batch_checksum", T_BLIST, KERNELS, B(5)},
    {"batch_counts", T_BCOUNTS, KERNELS, B(0)},
#undef B
    {"counts", T_COUNTS, KERNELS, K(counts)}, /* last: see complete() */
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* A kernel's further batch sizes as read, before they are checked. */
typedef struct batch_lists {
    uint64_t v[BATCH_LISTS][ADI_RECORD_MAX_BATCHES];
    size_t len[BATCH_LISTS];
    uint64_t *counts;              /* batch_counts; malloc'ed */
    size_t ncounts;
} batch_lists;

typedef struct parser {
    adi_record *r;
    const char *path;
    size_t ncounts[S_COUNT];
    batch_lists batches[S_COUNT];
    int format_line;
    adi_ini_seen seen;             /* sections and keys read, the first problem */
} parser;

static int open_section(void *user, int s, int line)
{
    (void)line;
    parser *ps = user;
    if (s != S_RECORD && !(ps->r->kernel[s - S_CONV] = calloc(1, sizeof(adi_record_kernel))))
        return adi_fail(ADI_ENOMEM, "out of memory");
    return ADI_OK;
}

static int parse_counts(uint64_t **counts, const char *text, size_t *n)
{
    char **items;
    int rc = adi_split_list(text, &items, n);
    if (rc != ADI_OK)
        return rc;
    if (*n > MAX_COUNTS) {
        free(items);
        return adi_fail(ADI_EINPUT, "more than %d counts", MAX_COUNTS);
    }
    free(*counts);
    if (!(*counts = malloc(*n * sizeof **counts))) {
        free(items);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu counts", *n);
    }
    for (size_t i = 0; i < *n && rc == ADI_OK; i++)
        if ((rc = adi_parse_uint(items[i], 1, &(*counts)[i])) != ADI_OK)
            adi_fail_prefix(rc, "count %zu", i + 1);
    free(items);
    return rc;
}

static int parse_hex(const char *text, uint64_t *out)
{
    uint64_t v = 0;
    size_t n = strlen(text);
    for (size_t i = 0; i < n && n == 16; i++) {
        int d = isdigit((unsigned char)text[i]) ? text[i] - '0'
              : text[i] >= 'a' && text[i] <= 'f' ? text[i] - 'a' + 10 : -1;
        if (d < 0)
            n = 0;
        v = v << 4 | (uint64_t)(d & 15);
    }
    if (n != 16)
        return adi_fail(ADI_EINPUT, "expected 16 lowercase hex digits, got '%s'", text);
    *out = v;
    return ADI_OK;
}

/* List `which` of the further batch sizes (the checksums in hex). */
static int parse_batch_list(batch_lists *b, int which, const char *text)
{
    char **items;
    size_t n;
    int rc = adi_split_list(text, &items, &n);
    if (rc != ADI_OK)
        return rc;
    if (n > ADI_RECORD_MAX_BATCHES)
        rc = adi_fail(ADI_EINPUT, "at most %d further batch sizes, got %zu",
                      ADI_RECORD_MAX_BATCHES, n);
    for (size_t i = 0; i < n && rc == ADI_OK; i++) {
        rc = which == BATCH_LISTS - 1 ? parse_hex(items[i], &b->v[which][i])
                                      : adi_parse_uint(items[i], which != 2 && which != 4,
                                                       &b->v[which][i]);
        if (rc != ADI_OK)
            adi_fail_prefix(rc, "entry %zu", i + 1);
    }
    b->len[which] = n;
    free(items);
    return rc;
}

static int parse_field(const field *fd, const char *text, void *base, size_t *ncounts,
                       batch_lists *batches)
{
    char *at = (char *)base + fd->off;
    uint64_t u;
    int rc;
    switch (fd->type) {
    case T_FORMAT:
    case T_UINT:
        if ((rc = adi_parse_uint(text, 1, &u)) != ADI_OK)
            return rc;
        if (u > 1000000)
            return adi_fail(ADI_EINPUT, "expected at most 1000000, got '%s'", text);
        if (fd->type == T_FORMAT)
            *(int *)at = (int)u;
        else
            *(unsigned *)at = (unsigned)u;
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
        /* the text goes into a profile line as it is: it must read back */
        if (adi_ini_value_check(fd->name, text) != ADI_OK)
            return adi_fail_prefix(ADI_EINPUT, "a profile could not hold it");
        memcpy(at, text, strlen(text) + 1);
        return ADI_OK;
    case T_SIZE:
    case T_SIZE0:
        if ((rc = adi_parse_uint(text, fd->type == T_SIZE, &u)) != ADI_OK)
            return rc;
        if (u > MAX_COUNTS)
            return adi_fail(ADI_EINPUT, "expected at most %d, got '%s'", MAX_COUNTS, text);
        *(size_t *)at = (size_t)u;
        return ADI_OK;
    case T_U64:
    case T_U64_0:
        return adi_parse_uint(text, fd->type == T_U64, (uint64_t *)at);
    case T_UNIT:
        for (int i = 0; i < ADI_UNIT_COUNT; i++)
            if (strcmp(text, adi_unit_name((adi_unit)i)) == 0) {
                *(adi_unit *)at = (adi_unit)i;
                return ADI_OK;
            }
        return adi_fail(ADI_EINPUT, "expected ns, cycles or instructions, got '%s'", text);
    case T_HEX:
        return parse_hex(text, (uint64_t *)at);
    case T_COUNTS:
        return parse_counts(&((adi_record_kernel *)base)->counts, text, ncounts);
    case T_BLIST:
        return parse_batch_list(batches, (int)fd->off, text);
    case T_BCOUNTS:
        return parse_counts(&batches->counts, text, &batches->ncounts);
    }
    return adi_fail(ADI_EINTERNAL, "no parser for %s", fd->name);
}

static int on_key(void *user, int s, size_t k, const char *value, int line)
{
    parser *ps = user;
    if (fields[k].type == T_FORMAT)
        ps->format_line = line;
    void *base = s == S_RECORD ? (void *)ps->r : (void *)ps->r->kernel[s - S_CONV];
    return parse_field(&fields[k], value, base, &ps->ncounts[s], &ps->batches[s]);
}

static const adi_ini_table table = {
    section_names, S_COUNT, "[record], [conv] or [x2]",
    fields, NFIELDS, sizeof(field), offsetof(field, name), offsetof(field, where),
    open_section, on_key,
};

/* The line of key i of section s, 0 when absent. */
#define LINE(ps, s, i) adi_ini_seen_line(&(ps)->seen, &table, (s), (i))

#define IS_BATCH(fd) ((fd)->type == T_BLIST || (fd)->type == T_BCOUNTS)

/* Kernel k's further batch sizes, all keys or none, into k->batches. */
static int complete_batches(parser *ps, int s, adi_record_kernel *k)
{
    batch_lists *b = &ps->batches[s];
    const char *path = ps->path, *name = section_names[s];
    size_t given = NFIELDS, bi = 0;
    for (size_t i = NFIELDS; i-- > 0;)
        if (IS_BATCH(&fields[i])) {
            bi = i; /* ends at `batches`, the first of them */
            if (LINE(ps, s, i))
                given = i;
        }
    if (given == NFIELDS)
        return ADI_OK;
    if (ps->r->format < 2)
        return adi_fail(ADI_EINPUT, "%s:%d: [%s] %s: only in a format 2 record", path,
                        LINE(ps, s, given), name, fields[given].name);
    for (size_t i = 0; i < NFIELDS; i++)
        if (IS_BATCH(&fields[i]) && !LINE(ps, s, i))
            return adi_fail(ADI_EINPUT, "%s:%d: [%s] %s is missing (with further batch sizes, "
                            "every batch_ key is given)", path, ps->seen.section_line[s], name,
                            fields[i].name);
    size_t nb = b->len[0];
    for (size_t i = bi + 1; fields[i].type == T_BLIST; i++)
        if (b->len[fields[i].off] != nb)
            return adi_fail(ADI_EINPUT, "%s:%d: [%s] %s: %zu entries, but batches lists %zu "
                            "sizes", path, LINE(ps, s, i), name, fields[i].name,
                            b->len[fields[i].off], nb);
    uint64_t prev = k->shape.batch, total = (uint64_t)k->threads * k->reps;
    for (size_t j = 0; j < nb; j++) {
        if (b->v[0][j] <= prev || b->v[0][j] > ADI_BATCH_MAX_IMAGES)
            return adi_fail(ADI_EINPUT, "%s:%d: [%s] batches: the sizes must increase from the "
                            "task's batch (%zu) to at most %d: %llu after %llu", path,
                            LINE(ps, s, bi), name, k->shape.batch, ADI_BATCH_MAX_IMAGES,
                            (unsigned long long)b->v[0][j], (unsigned long long)prev);
        prev = b->v[0][j];
        if (b->v[1][j] > MAX_COUNTS)
            return adi_fail(ADI_EINPUT, "%s:%d: [%s] batch_reps: at most %d", path,
                            LINE(ps, s, bi + 1), name, MAX_COUNTS);
        total += (uint64_t)k->threads * b->v[1][j];
    }
    size_t ci = bi + BATCH_LISTS;
    if (total > MAX_COUNTS)
        return adi_fail(ADI_EINPUT, "%s:%d: [%s] batch_counts: %llu counts with the task's own, "
                        "more than %d", path, LINE(ps, s, ci), name, (unsigned long long)total,
                        MAX_COUNTS);
    if (b->ncounts != total - (uint64_t)k->threads * k->reps)
        return adi_fail(ADI_EINPUT, "%s:%d: [%s] batch_counts: %zu counts, but threads x the "
                        "sum of batch_reps = %llu", path, LINE(ps, s, ci), name, b->ncounts,
                        (unsigned long long)(total - (uint64_t)k->threads * k->reps));
    if (!(k->batches = calloc(nb, sizeof *k->batches)))
        return adi_fail(ADI_ENOMEM, "out of memory");
    k->nbatches = nb;
    const uint64_t *c = b->counts;
    for (size_t j = 0; j < nb; j++) {
        adi_record_batch *rb = &k->batches[j];
        *rb = (adi_record_batch){.batch = (size_t)b->v[0][j], .reps = (size_t)b->v[1][j],
                                 .warmup = (size_t)b->v[2][j], .checked = b->v[3][j],
                                 .wrong = b->v[4][j], .checksum = b->v[5][j]};
        size_t n = k->threads * rb->reps;
        if (!(rb->counts = malloc(n * sizeof *rb->counts)))
            return adi_fail(ADI_ENOMEM, "out of memory for %zu counts", n);
        memcpy(rb->counts, c, n * sizeof *c);
        c += n;
    }
    return ADI_OK;
}

static int complete(parser *ps)
{
    if (!(ps->seen.present & IN(S_RECORD)))
        return adi_fail(ADI_EINPUT, "%s: no [record] section (is this an adisim measurement "
                        "record?)", ps->path);
    int any = 0;
    for (int s = 0; s < S_COUNT; s++) {
        if (!(ps->seen.present & IN(s)))
            continue;
        for (size_t i = 0; i < NFIELDS; i++)
            if ((fields[i].where & IN(s)) && !IS_BATCH(&fields[i]) && !LINE(ps, s, i))
                return adi_fail(ADI_EINPUT, "%s:%d: [%s] %s is missing", ps->path,
                                ps->seen.section_line[s], section_names[s], fields[i].name);
        if (s == S_RECORD)
            continue;
        any = 1;
        adi_record_kernel *k = ps->r->kernel[s - S_CONV];
        const char *name = section_names[s];
        if (k->threads > MAX_THREADS)
            return adi_fail(ADI_EINPUT, "%s:%d: [%s] threads: at most %d", ps->path,
                            LINE(ps, s, NFIELDS - 1), name, MAX_THREADS);
        if (ps->ncounts[s] != k->threads * k->reps)
            return adi_fail(ADI_EINPUT, "%s:%d: [%s] counts: %zu counts, but threads x reps = "
                            "%zu x %zu = %zu", ps->path, LINE(ps, s, NFIELDS - 1), name,
                            ps->ncounts[s], k->threads, k->reps, k->threads * k->reps);
        if (s == S_X2)
            k->shape.out_c = k->shape.in_c;
        const adi_conv_shape *sh = &k->shape;
        double work = s == S_CONV ? adi_conv_flops(sh)
                                  : 8.0 * (double)sh->batch * (double)sh->in_c * (double)sh->h *
                                        (double)sh->w;
        if ((double)k->work != work)
            return adi_fail(ADI_EINPUT, "%s: [%s] %s = %llu, but the task's shape implies %.17g",
                            ps->path, name, s == S_CONV ? "flops" : "bytes",
                            (unsigned long long)k->work, work);
        int rc = complete_batches(ps, s, k);
        if (rc != ADI_OK)
            return rc;
    }
    if (!any)
        return adi_fail(ADI_EINPUT, "%s: no measured kernel ([conv] or [x2] section)", ps->path);
    return ADI_OK;
}

static void parser_free(parser *ps)
{
    if (!ps)
        return;
    adi_ini_seen_free(&ps->seen);
    for (int s = 0; s < S_COUNT; s++)
        free(ps->batches[s].counts);
    free(ps);
}

int adi_record_parse(const char *path, const char *text, adi_record **out)
{
    *out = NULL;
    adi_record *r = calloc(1, sizeof *r);
    parser *ps = calloc(1, sizeof *ps);
    int rc = r && ps ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    if (rc != ADI_OK)
        goto fail;
    ps->r = r;
    ps->path = path;
    if ((rc = adi_ini_table_parse(path, text, &table, ps, &ps->seen)) == ADI_ENOMEM)
        goto fail;
    if (ps->format_line && r->format > ADI_RECORD_FORMAT) {
        rc = adi_fail(ADI_EINPUT, "%s:%d: [record] format: written by a newer adisim (format %d;"
                      " this one reads up to %d)", path, ps->format_line, r->format,
                      ADI_RECORD_FORMAT);
        goto fail;
    }
    if (rc != ADI_OK)
        goto fail;
    if (ps->seen.err.line) {
        rc = adi_ini_error_raise(&ps->seen.err);
        goto fail;
    }
    if ((rc = complete(ps)) != ADI_OK)
        goto fail;
    parser_free(ps);
    *out = r;
    return ADI_OK;
fail:
    parser_free(ps);
    adi_record_free(r);
    return rc;
}

int adi_record_load(const char *path, adi_record **out)
{
    *out = NULL;
    char *text;
    int rc = adi_ini_read_file(path, &text);
    if (rc != ADI_OK)
        return rc;
    rc = adi_record_parse(path, text, out);
    free(text);
    return rc;
}

/* ---- record -> profile --------------------------------------------------------- */

static void now_utc(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "unknown");
}

int adi_profile_from_record(const adi_record *r, const adi_import_options *o, adi_profile **out)
{
    static const adi_import_options none = {0};
    *out = NULL;
    if (!o)
        o = &none;
    const char *from = o->path ? o->path : NULL;
    int emulated = strcmp(r->emulator, "none") != 0;
    if (emulated && r->unit != ADI_UNIT_INSTRUCTIONS)
        return adi_fail(ADI_EINPUT, "%s%sthe times were taken under %s: they are the emulator's, "
                        "not the device's; this record is good for checking the kernels only",
                        from ? from : "", from ? ": " : "", r->emulator);
    if (!emulated && r->unit == ADI_UNIT_INSTRUCTIONS)
        return adi_fail(ADI_EINPUT, "%s%sunit = instructions but no emulator is named: "
                        "instruction counts come from an emulator", from ? from : "",
                        from ? ": " : "");
    for (int k = 0; k < ADI_KERNEL_COUNT; k++) {
        const adi_record_kernel *rk = r->kernel[k];
        for (size_t j = 0; rk && j <= rk->nbatches; j++) {
            uint64_t wrong = j ? rk->batches[j - 1].wrong : rk->wrong,
                     checked = j ? rk->batches[j - 1].checked : rk->checked;
            char at[48] = "";
            if (j)
                snprintf(at, sizeof at, " at batch size %zu", rk->batches[j - 1].batch);
            if (wrong)
                return adi_fail(ADI_EINPUT, "%s%s[%s]: the device computed %llu wrong outputs of "
                                "%llu checked%s: refusing to make a profile of a wrong result",
                                from ? from : "", from ? ": " : "",
                                adi_kernel_name((adi_kernel)k), (unsigned long long)wrong,
                                (unsigned long long)checked, at);
        }
    }
    double cpi = o->cpi > 0 ? o->cpi : ADI_IMPORT_CPI, clock = 0, scale; /* seconds per count */
    char origin[512];
    switch (r->unit) {
    case ADI_UNIT_NS:
        scale = 1e-9;
        snprintf(origin, sizeof origin, "measured on this device by calibrate (CLOCK_MONOTONIC "
                 "around each task)%s%s", from ? ", imported from " : "", from ? from : "");
        break;
    case ADI_UNIT_CYCLES:
        clock = o->clock_hz > 0 ? o->clock_hz : (double)r->clock_hz;
        if (!(clock > 0))
            return adi_fail(ADI_EINPUT, "%s%sthe counts are cycles and the record names no clock:"
                            " give the core clock with --clock HZ", from ? from : "",
                            from ? ": " : "");
        scale = 1 / clock;
        snprintf(origin, sizeof origin, "measured on this device: cycles counted around each "
                 "task, converted at %.6g MHz%s%s", clock / 1e6, from ? ", imported from " : "",
                 from ? from : "");
        break;
    case ADI_UNIT_INSTRUCTIONS:
    default:
        clock = o->clock_hz > 0 ? o->clock_hz : ADI_IMPORT_CLOCK_HZ;
        scale = cpi / clock;
        snprintf(origin, sizeof origin, "instructions counted by %s; time = instructions x cpi /"
                 " clock_hz", r->emulator);
        break;
    }
    /* origin is one profile line, "origin = " and the text */
    size_t room = ADI_INI_MAX_LINE - strlen("origin = ");
    if (room > sizeof(((adi_profile *)0)->origin) - 1)
        room = sizeof(((adi_profile *)0)->origin) - 1;
    if (o->note && *o->note) {
        size_t len = strlen(origin);
        if (strchr(o->note, '\n') || len + 2 + strlen(o->note) > room)
            return adi_fail(ADI_EINPUT, "--note: one line of at most %zu characters here (the "
                            "origin already says: %s)", len + 2 < room ? room - len - 2 : 0,
                            origin);
        if (adi_ini_value_check("origin", o->note) != ADI_OK)
            return adi_fail_prefix(ADI_EINPUT, "--note");
        snprintf(origin + len, sizeof origin - len, "; %s", o->note);
    }
    adi_profile *pf = adi_profile_new();
    if (!pf)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = ADI_OK;
    snprintf(pf->device, sizeof pf->device, "%s", o->device ? o->device : r->device);
    if (strcmp(r->created, "unknown") != 0)
        snprintf(pf->created, sizeof pf->created, "%s", r->created);
    else
        now_utc(pf->created, sizeof pf->created);
    snprintf(pf->adisim, sizeof pf->adisim, "%s", r->adisim);
    snprintf(pf->cpu, sizeof pf->cpu, "%s", r->cpu);
    snprintf(pf->os, sizeof pf->os, "%s", r->os);
    snprintf(pf->compiler, sizeof pf->compiler, "%s", r->compiler);
    snprintf(pf->blas, sizeof pf->blas, "%s", r->blas);
    pf->cores = r->cores;
    pf->source = r->unit == ADI_UNIT_INSTRUCTIONS ? ADI_SOURCE_EMULATED : ADI_SOURCE_MEASURED;
    /* one INI line: cut at a word boundary rather than mid-word */
    size_t len = strlen(origin);
    if (len > room) {
        len = room - 4;
        while (len > 0 && origin[len] != ' ')
            len--;
        memcpy(origin + len, " ...", 5);
    }
    snprintf(pf->origin, sizeof pf->origin, "%s", origin);
    if (pf->source == ADI_SOURCE_EMULATED) {
        pf->cpi = cpi;
        pf->clock_hz = clock;
    }
    for (int k = 0; k < ADI_KERNEL_COUNT && rc == ADI_OK; k++) {
        const adi_record_kernel *rk = r->kernel[k];
        if (!rk)
            continue;
        size_t most = rk->threads * rk->reps;
        for (size_t j = 0; j < rk->nbatches; j++)
            if (rk->threads * rk->batches[j].reps > most)
                most = rk->threads * rk->batches[j].reps;
        double *sec = malloc(most * sizeof *sec), sum = 0;
        if (!sec) {
            rc = adi_fail(ADI_ENOMEM, "out of memory");
            break;
        }
        /* the task's own batch, then each further size (j = 1 ..) */
        for (size_t j = 0; j <= rk->nbatches && rc == ADI_OK; j++) {
            const uint64_t *c = j ? rk->batches[j - 1].counts : rk->counts;
            size_t n = rk->threads * (j ? rk->batches[j - 1].reps : rk->reps);
            for (size_t i = 0; i < n; i++) {
                /* ns: one division, so a sample prints as the clock read it */
                sec[i] = r->unit == ADI_UNIT_NS ? (double)c[i] / 1e9 : (double)c[i] * scale;
                sum += j ? 0 : (double)c[i];
            }
            rc = j ? adi_profile_add_batch(pf, (adi_kernel)k, rk->batches[j - 1].batch, sec, n)
                   : adi_profile_add(pf, (adi_kernel)k, rk->layer, &rk->shape, rk->threads,
                                     rk->reps, rk->warmup, (double)rk->work, sec, n);
        }
        free(sec);
        if (rc != ADI_OK)
            break;
        adi_kernel_profile *kp = pf->kernel[k];
        snprintf(kp->task, sizeof kp->task, "%s", rk->task);
        adi_format_hex64(rk->checksum, kp->checksum);
        if (pf->source == ADI_SOURCE_EMULATED)
            kp->instructions = sum / (double)(rk->threads * rk->reps);
    }
    if (rc != ADI_OK) {
        adi_profile_free(pf);
        return rc;
    }
    *out = pf;
    return ADI_OK;
}
