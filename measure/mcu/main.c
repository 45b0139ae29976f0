/*
** measure/mcu/main.c — calibrate for a Cortex-M4 with 256 KiB of RAM: the
** same kernels (kernels/kernels.c), checked against the same references,
** timed, and reported as a measurement record (measure/record.h) that
** `calibrate --import` turns into a profile.
**
** A task here is the host's task, done in pieces that fit:
**
**   x2    the host's batch of 32 CIFAR-10 images is 384 KiB in and 384 KiB
**         out: it cannot be resident. Each image (12 KiB) is filled into an
**         input buffer as the continuation of the host's input stream, so
**         the images are the host's, bit for bit (untimed: on a device it
**         arrives over a link, as the host's batch is in memory before its
**         clock starts), then doubled into a 12 KiB output buffer (timed).
**         Same arithmetic, same bytes read and written.
**   conv  ResNet18's stem layer (3 -> 64 channels, 32x32; layer1's single
**         image is 256 KiB in and 256 KiB out and cannot fit): per image,
**         filled the same way, then BAND rows of output at a time: im2col
**         of the band and the plain GEMM into a band buffer (timed). The
**         same flops as the host's conv; outputs equal to the host's plain
**         GEMM's, bit for bit (tests/test_kernels.c).
**
** The first task is the self-check, untimed: every x2 output compared
** exactly, every 13th conv output with the direct double-precision
** reference (soft-float here: slow), and all of them condensed into
** adi_checksum, which the host can recompute. Then `warmup` untimed tasks
** and `reps` timed ones. A task's count is the sum of its timed pieces.
**
** Command line (semihosting; the UART build takes the defaults):
**   --device NAME (cortex_m4)  --kernel conv|x2|all (all)  --reps N (x2 100,
**   conv 5)  --batch B (x2 32, conv 64)  --warmup N (1)
**
** RAM: the two kernels' buffers share one union (the larger is conv's,
** about 110 KiB), the counts 2 x 500 x 8 bytes, the stack STACK_SIZE.
*/
#include "kernels/kernels.h"
#include "measure/mcu/board.h"
#include "measure/mcu/mcu.h"
#include "measure/record.h"

#include <stdint.h>
#include <string.h>

#ifndef ADI_VERSION
#define ADI_VERSION "unknown"
#endif
#ifndef ADI_MCU_CLOCK_HZ
#define ADI_MCU_CLOCK_HZ 168000000
#endif
#ifndef ADI_MCU_BOARD
#define ADI_MCU_BOARD "ARM MPS2 AN386"
#endif

#define STR2(x) #x
#define STR(x) STR2(x)

/* The stem: 3 -> 64 channels, 32x32; BAND output rows at a time. */
#define BAND 8
enum { C_IN = 3, C_OUT = 64, H = 32, W = 32, HW = H * W, K = C_IN * 9 };
enum { IMG = 3 * 32 * 32, MAX_REPS = 500, CHECK_STRIDE = 13 };

static union {
    struct {
        float in[IMG], out[IMG];
    } x2;
    struct {
        float image[C_IN * HW], weights[C_OUT * K], col[K * BAND * W], band[C_OUT * BAND * W];
    } conv;
} buf;

static uint64_t counts[ADI_KERNEL_COUNT][MAX_REPS];
static adi_record rec;
static adi_record_kernel kern[ADI_KERNEL_COUNT];

typedef struct check {
    uint64_t checksum, checked, wrong;
} check;

/* One x2 task; returns its timer ticks. With c, checks and checksums. */
static uint64_t x2_task(size_t batch, check *c)
{
    uint32_t state = adi_kernel_fill_seed(1);
    uint64_t ticks = 0;
    for (size_t b = 0; b < batch; b++) {
        state = adi_kernel_fill_stream(buf.x2.in, IMG, state, 1.0f);
        uint32_t t0 = adi_board_timer_now();
        adi_x2(buf.x2.in, buf.x2.out, IMG);
        ticks += adi_board_timer_since(t0);
        if (c) {
            c->wrong += adi_x2_check(buf.x2.in, buf.x2.out, IMG);
            c->checked += IMG;
            c->checksum = adi_checksum(c->checksum, (uint64_t)b * IMG, buf.x2.out, IMG);
        }
    }
    return ticks;
}

static uint64_t conv_task(size_t batch, check *c)
{
    static const adi_conv_shape one = {1, C_IN, C_OUT, H, W};
    uint32_t state = adi_kernel_fill_seed(1);
    uint64_t ticks = 0;
    for (size_t b = 0; b < batch; b++) {
        state = adi_kernel_fill_stream(buf.conv.image, C_IN * HW, state, 1.0f);
        for (size_t y0 = 0; y0 < H; y0 += BAND) {
            size_t y1 = y0 + BAND < H ? y0 + BAND : H, np = (y1 - y0) * W;
            uint32_t t0 = adi_board_timer_now();
            adi_conv_forward_rows(&one, buf.conv.image, buf.conv.weights, y0, y1, buf.conv.band,
                                  buf.conv.col, adi_gemm_plain, NULL);
            ticks += adi_board_timer_since(t0);
            if (!c)
                continue;
            for (size_t o = 0; o < C_OUT; o++) {
                const float *row = buf.conv.band + o * np;
                uint64_t first = ((uint64_t)b * C_OUT + o) * HW + y0 * W; /* NCHW index */
                c->checksum = adi_checksum(c->checksum, first, row, np);
                for (size_t p = 0; p < np; p++)
                    if ((first + p) % CHECK_STRIDE == 0) {
                        c->wrong += (uint64_t)adi_conv_wrong(&one, buf.conv.image,
                                                             buf.conv.weights,
                                                             o * HW + y0 * W + p, row[p]);
                        c->checked++;
                    }
            }
        }
    }
    return ticks;
}

typedef struct options {
    char device[64];
    unsigned kernels;          /* bits 1 << adi_kernel */
    size_t reps[ADI_KERNEL_COUNT], batch[ADI_KERNEL_COUNT], warmup;
} options;

static int number(const char *text, size_t max, size_t *out)
{
    size_t v = 0;
    if (!*text)
        return -1;
    for (; *text; text++) {
        if (*text < '0' || *text > '9' || v > max)
            return -1;
        v = v * 10 + (size_t)(*text - '0');
    }
    if (v < 1 || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Parses the command line (words split at spaces; the first is the program). */
static int parse(char *line, options *o, const char **bad)
{
    char *word[32];
    int n = 0;
    for (char *p = line; *p && n < 32;) {
        while (*p == ' ')
            *p++ = '\0';
        if (*p)
            word[n++] = p;
        while (*p && *p != ' ')
            p++;
    }
    for (int i = 1; i < n; i++) {
        const char *v = i + 1 < n ? word[i + 1] : "";
        size_t x;
        *bad = word[i];
        if (strcmp(word[i], "--device") == 0 && *v && strlen(v) < sizeof o->device) {
            strcpy(o->device, v);
        } else if (strcmp(word[i], "--kernel") == 0) {
            if (strcmp(v, "all") == 0)
                o->kernels = 3;
            else if (strcmp(v, "conv") == 0 || strcmp(v, "x2") == 0)
                o->kernels = 1u << (strcmp(v, "x2") == 0 ? ADI_KERNEL_X2 : ADI_KERNEL_CONV);
            else
                return -1;
        } else if (strcmp(word[i], "--reps") == 0 && number(v, MAX_REPS, &x) == 0) {
            o->reps[0] = o->reps[1] = x;
        } else if (strcmp(word[i], "--batch") == 0 && number(v, 100000, &x) == 0) {
            o->batch[0] = o->batch[1] = x;
        } else if (strcmp(word[i], "--warmup") == 0 && number(v, 1000, &x) == 0) {
            o->warmup = x;
        } else {
            return -1;
        }
        i++;
    }
    return 0;
}

static void text(char *dst, size_t size, const char *a, const char *b, const char *c)
{
    dst[0] = '\0';
    strncat(dst, a, size - 1);
    strncat(dst, b, size - 1 - strlen(dst));
    strncat(dst, c, size - 1 - strlen(dst));
}

static int run(adi_kernel k, const options *o)
{
    adi_record_kernel *rk = &kern[k];
    size_t batch = o->batch[k];
    check c = {0};
    rk->threads = 1;
    rk->reps = o->reps[k];
    rk->warmup = o->warmup;
    rk->counts = counts[k];
    char num[21];
    if (k == ADI_KERNEL_X2) {
        strcpy(rk->layer, "cifar10");
        rk->shape = (adi_conv_shape){batch, 3, 3, 32, 32};
        rk->work = 8ull * batch * IMG;
        text(rk->task, sizeof rk->task, "the batch streamed: ", adi_format_u64(batch, num),
             " images, each filled into a 12 KiB RAM buffer (untimed) and doubled into another "
             "(timed; times summed): 2 x 384 KiB cannot be resident");
        x2_task(batch, &c);
    } else {
        strcpy(rk->layer, "stem");
        rk->shape = (adi_conv_shape){batch, C_IN, C_OUT, H, W};
        rk->work = 2ull * batch * C_OUT * HW * K;
        text(rk->task, sizeof rk->task, "one image at a time (filled untimed), ", STR(BAND),
             " output rows at a time: im2col of the rows (27 KiB) and the plain GEMM into a "
             "64 KiB band (timed; times summed)");
        adi_kernel_fill(buf.conv.weights, C_OUT * K, 2, 0.1f);
        conv_task(batch, &c);
    }
    rk->checked = c.checked;
    rk->wrong = c.wrong;
    rk->checksum = c.checksum;
    for (size_t i = 0; i < rk->warmup + rk->reps; i++) {
        uint64_t t = k == ADI_KERNEL_X2 ? x2_task(batch, NULL) : conv_task(batch, NULL);
        if (i >= rk->warmup)
            counts[k][i - rk->warmup] = adi_board_timer_units(t);
    }
    rec.kernel[k] = rk;
    return c.wrong ? -1 : 0;
}

int main(void)
{
    static char line[256];
    options o = {"cortex_m4", 3, {5, 100}, {64, 32}, 1};
    const char *bad = "";
    adi_board_args(line, sizeof line);
    if (parse(line, &o, &bad) != 0) {
        adi_board_put(0, "; calibrate-m4: bad option or value at '");
        adi_board_put(0, bad);
        adi_board_put(0, "': expected --device NAME, --kernel conv|x2|all, --reps N (<= "
                         STR(MAX_REPS) "), --batch B, --warmup N\n");
        return 2;
    }
    rec.format = ADI_RECORD_FORMAT;
    strcpy(rec.device, o.device);
    strcpy(rec.created, "unknown");
    strcpy(rec.adisim, ADI_VERSION);
    adi_board_cpu(rec.cpu, sizeof rec.cpu);
    strncat(rec.cpu, ", " ADI_MCU_BOARD, sizeof rec.cpu - strlen(rec.cpu) - 1);
    rec.cores = 1;
    strcpy(rec.os, "bare metal (adisim firmware, 256 KiB RAM cap)");
    strcpy(rec.compiler, "gcc " __VERSION__ " -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard");
    strcpy(rec.blas, "adi_gemm_plain (plain C, no BLAS)");
    rec.clock_hz = ADI_MCU_CLOCK_HZ;
    if (adi_board_timer_init(&rec.unit, rec.emulator, sizeof rec.emulator) != 0) {
        adi_board_put(0, "; calibrate-m4: ");
        adi_board_put(0, rec.emulator);
        adi_board_put(0, "\n");
        return 1;
    }
    if (rec.unit == ADI_UNIT_INSTRUCTIONS)
        rec.clock_hz = 0; /* instructions have no clock: the import assumes one */
    int failed = 0;
    for (int k = 0; k < ADI_KERNEL_COUNT; k++)
        if (o.kernels & 1u << k)
            failed |= run((adi_kernel)k, &o);
    adi_record_write(&rec, adi_board_put, NULL);
    char a[21], b[21];
    adi_board_put(0, "; stack: ");
    adi_board_put(0, adi_format_u64(adi_mcu_stack_used(), a));
    adi_board_put(0, " of ");
    adi_board_put(0, adi_format_u64(adi_mcu_stack_size(), b));
    adi_board_put(0, " bytes used\n");
    return failed ? 1 : 0;
}
