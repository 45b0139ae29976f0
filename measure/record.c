/*
** measure/record.c — writing a measurement record (record.h). Portable
** C11 without the C library's I/O or allocator: the firmware links this
** file too. (adi_record_free is in record_file.c, with the host's I/O.)
*/
#include "measure/record.h"

static const char *const unit_names[ADI_UNIT_COUNT] = {"ns", "cycles", "instructions"};

const char *adi_unit_name(adi_unit u) { return u < ADI_UNIT_COUNT ? unit_names[u] : "?"; }

char *adi_format_u64(uint64_t v, char *buf)
{
    char tmp[21];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

char *adi_format_hex64(uint64_t v, char *buf)
{
    for (int i = 15; i >= 0; i--, v >>= 4)
        buf[i] = "0123456789abcdef"[v & 15];
    buf[16] = '\0';
    return buf;
}

/* key = value, the value cut to one line that inih can read (198
** characters with the key) and without line breaks. */
static void text(adi_put_fn put, void *ctx, const char *key, const char *value)
{
    char line[200];
    size_t n = 0;
    for (const char *k = key; *k && n < 40; k++)
        line[n++] = *k;
    line[n++] = ' ';
    line[n++] = '=';
    line[n++] = ' ';
    for (const char *v = value; *v && n < 198; v++)
        line[n++] = *v == '\n' || *v == '\r' ? ' ' : *v;
    line[n++] = '\n';
    line[n] = '\0';
    put(ctx, line);
}

static void num(adi_put_fn put, void *ctx, const char *key, uint64_t v)
{
    char buf[21];
    text(put, ctx, key, adi_format_u64(v, buf));
}

/* Item i of a list: 8 per line (8 x 22 characters stay under inih's 198). */
static void item(adi_put_fn put, void *ctx, size_t i, const char *text)
{
    put(ctx, i == 0 ? " " : i % 8 == 0 ? ",\n    " : ", ");
    put(ctx, text);
}

/* A further batch size's one-per-size keys, the checksum last (in hex). */
static const char *const batch_keys[] = {"batches", "batch_reps", "batch_warmup",
                                         "batch_checked", "batch_wrong", "batch_checksum"};
#define NBATCH_KEYS 6

static uint64_t batch_value(const adi_record_batch *b, int key)
{
    switch (key) {
    case 0: return b->batch;
    case 1: return b->reps;
    case 2: return b->warmup;
    case 3: return b->checked;
    case 4: return b->wrong;
    default: return b->checksum;
    }
}

static void kernel(const adi_record_kernel *k, adi_kernel which, adi_put_fn put, void *ctx)
{
    char buf[24];
    put(ctx, which == ADI_KERNEL_CONV ? "[conv]\n" : "[x2]\n");
    text(put, ctx, "layer", k->layer);
    num(put, ctx, "batch", k->shape.batch);
    if (which == ADI_KERNEL_CONV) {
        num(put, ctx, "in_channels", k->shape.in_c);
        num(put, ctx, "out_channels", k->shape.out_c);
    } else {
        num(put, ctx, "channels", k->shape.in_c);
    }
    num(put, ctx, "height", k->shape.h);
    num(put, ctx, "width", k->shape.w);
    text(put, ctx, "task", k->task);
    num(put, ctx, "threads", k->threads);
    num(put, ctx, "reps", k->reps);
    num(put, ctx, "warmup", k->warmup);
    num(put, ctx, which == ADI_KERNEL_CONV ? "flops" : "bytes", k->work);
    num(put, ctx, "checked", k->checked);
    num(put, ctx, "wrong", k->wrong);
    text(put, ctx, "checksum", adi_format_hex64(k->checksum, buf));
    put(ctx, "counts =");
    for (size_t i = 0; i < k->threads * k->reps; i++)
        item(put, ctx, i, adi_format_u64(k->counts[i], buf));
    put(ctx, "\n");
    if (k->nbatches) {
        put(ctx, "; further batch sizes: one entry per size; batch_counts size by size\n");
        for (int f = 0; f < NBATCH_KEYS; f++) {
            put(ctx, batch_keys[f]);
            put(ctx, " =");
            for (size_t j = 0; j < k->nbatches; j++) {
                uint64_t v = batch_value(&k->batches[j], f);
                item(put, ctx, j, f == NBATCH_KEYS - 1 ? adi_format_hex64(v, buf)
                                                       : adi_format_u64(v, buf));
            }
            put(ctx, "\n");
        }
        put(ctx, "batch_counts =");
        size_t at = 0;
        for (size_t j = 0; j < k->nbatches; j++)
            for (size_t i = 0; i < k->threads * k->batches[j].reps; i++)
                item(put, ctx, at++, adi_format_u64(k->batches[j].counts[i], buf));
        put(ctx, "\n");
    }
    put(ctx, "\n");
}

void adi_record_write(const adi_record *r, adi_put_fn put, void *ctx)
{
    put(ctx, "; adisim measurement record: what calibrate's kernels did on device '");
    put(ctx, r->device);
    put(ctx, "'.\n"
             "; Not a profile yet: `calibrate --import FILE` turns it into one. counts are\n"
             "; per timed task, in `unit`: ns (a clock), cycles (a cycle counter running at\n"
             "; clock_hz) or instructions (counted by an emulator: not a time).\n"
             "[record]\n");
    num(put, ctx, "format", ADI_RECORD_FORMAT);
    text(put, ctx, "device", r->device);
    text(put, ctx, "created", r->created);
    text(put, ctx, "adisim", r->adisim);
    text(put, ctx, "cpu", r->cpu);
    num(put, ctx, "cores", r->cores);
    text(put, ctx, "os", r->os);
    text(put, ctx, "compiler", r->compiler);
    text(put, ctx, "blas", r->blas);
    text(put, ctx, "unit", adi_unit_name(r->unit));
    num(put, ctx, "clock_hz", r->clock_hz);
    text(put, ctx, "emulator", r->emulator[0] ? r->emulator : "none");
    put(ctx, "\n");
    for (int k = 0; k < ADI_KERNEL_COUNT; k++)
        if (r->kernel[k])
            kernel(r->kernel[k], (adi_kernel)k, put, ctx);
}
