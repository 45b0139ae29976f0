/*
** measure/record.h — a measurement record: what calibrate's kernels did
** on one device, before any statistics. It is how a device that cannot run
** the whole of adisim reports back.
**
**   device ----------------------------------------------> host
**   bin/calibrate (full build)  measure -> record -> profile (one process)
**   calibrate, probe build      measure -> record file ---> calibrate --import
**   (make PROBE=1, make CROSS=aarch64-linux-gnu-: libc only)
**   Cortex-M4 firmware          measure -> record over ---> calibrate --import
**   (measure/mcu)             semihosting or UART
**
** A record holds, per kernel, the task (shape, and in words how it runs on
** this device), the self-check (outputs compared with the reference, how
** many were wrong, and adi_checksum of them), and one count per timed task
** in the record's unit:
**
**   ns            a clock (CLOCK_MONOTONIC): a measured time
**   cycles        a cycle counter (the Cortex-M4's DWT CYCCNT) at clock_hz:
**                 measured cycles, a time once the clock is known
**   instructions  counted by an emulator (QEMU -icount): not a time at all;
**                 the import estimates one as instructions x CPI / clock and
**                 says so in the profile
**
** A record taken under an emulator says so (`emulator`); the import refuses
** to turn such a record's clock times into a profile (an emulator's time is
** not the device's), and marks instruction counts as emulated.
**
** This file is portable C11 like kernels.c (no allocation, no stdio, no
** libm): the writer formats integers itself and hands text to a callback,
** so the firmware prints through semihosting or a UART with it. The reader
** (profile/import.c) needs the host's libraries.
**
** A kernel measured at further batch sizes (calibrate --batch B1,B2,...;
** format 2) holds each one's reps, warm-up, self-check and counts too: the
** record keeps every count, the profile made from it only each size's
** statistics (model/batchlaw.h).
**
** The text is INI (read strictly, core/ini.c): [record], then [conv] and/or
** [x2]; counts continue on indented lines, 8 to a line (inih reads 198
** characters a line). Format 2 adds, in a kernel's section and only when it
** was measured at further sizes, the lists batches (images per task),
** batch_reps, batch_warmup, batch_checked, batch_wrong, batch_checksum
** (one entry per size) and batch_counts (every size's counts, size by size,
** copy by copy).
*/
#ifndef ADI_CALIBRATE_RECORD_H
#define ADI_CALIBRATE_RECORD_H

#include "kernels/kernels.h"

#include <stddef.h>
#include <stdint.h>

/* The record format this code writes and the newest it reads (format 1,
** from before batch sizes, still reads). */
#define ADI_RECORD_FORMAT 2

typedef enum adi_unit { ADI_UNIT_NS, ADI_UNIT_CYCLES, ADI_UNIT_INSTRUCTIONS, ADI_UNIT_COUNT } adi_unit;

/* "ns", "cycles", "instructions" (a static string; "?" out of range). */
const char *adi_unit_name(adi_unit u);

/* The most counts a kernel's record (and samples a profile) may hold, all
** threads and batch sizes together: 2e6 numbers fit the 64 MiB an input
** file may have (core/ini.h), 22 characters each at most. */
#define ADI_RECORD_MAX_COUNTS 2000000

/* Longest task description: one INI line with its key. */
#define ADI_RECORD_TASK_MAX 190

/* Most further batch sizes per kernel (with the task's own: model/batchlaw.h's
** ADI_BATCH_MAX). */
#define ADI_RECORD_MAX_BATCHES 15

/* One further batch size of a kernel: the same task on more images. */
typedef struct adi_record_batch {
    size_t batch;             /* images per call */
    size_t reps, warmup;      /* timed tasks per copy; untimed ones before them */
    uint64_t checked, wrong;  /* its self-check: outputs compared, wrong ones */
    uint64_t checksum;        /* adi_checksum of them */
    uint64_t *counts;         /* [threads * reps], copy by copy; owned like the kernel's */
} adi_record_batch;

typedef struct adi_record_kernel {
    char layer[32];           /* conv: stem, layer1 .. or custom; x2: cifar10 */
    adi_conv_shape shape;     /* x2: in_c channels (out_c = in_c) */
    char task[ADI_RECORD_TASK_MAX + 1]; /* how one task runs here, in words */
    size_t threads, reps;     /* copies at once; timed tasks per copy */
    size_t warmup;            /* untimed tasks per copy before them */
    uint64_t work;            /* per task: flops (conv) or bytes read + written (x2) */
    uint64_t checked, wrong;  /* outputs compared with the reference; wrong ones */
    uint64_t checksum;        /* adi_checksum of the checked task's outputs */
    uint64_t *counts;         /* [threads * reps], copy by copy, in the record's unit;
                                 owned by whoever filled the record */
    size_t nbatches;          /* further batch sizes measured, 0 .. ADI_RECORD_MAX_BATCHES */
    adi_record_batch *batches;/* [nbatches], sizes increasing, each above shape.batch;
                                 owned like counts (NULL when none) */
} adi_record_kernel;

typedef struct adi_record {
    int format;
    char device[64];          /* letters, digits, . _ - */
    char created[32];         /* UTC, or "unknown" (a microcontroller has no calendar) */
    char adisim[32];          /* version of the writer */
    char cpu[128], os[128], compiler[128], blas[128];
    unsigned cores;
    adi_unit unit;
    uint64_t clock_hz;        /* cycles: the core clock they were counted at (0: unknown) */
    char emulator[192];       /* "none" on real hardware; else what emulated it */
    adi_record_kernel *kernel[ADI_KERNEL_COUNT]; /* NULL: not measured */
} adi_record;

/* Receives the text piece by piece (NUL-terminated pieces). */
typedef void (*adi_put_fn)(void *ctx, const char *text);

/* Writes the record's text through put. Never fails; a field too long for
** its line is cut (the import then reports what it finds). */
void adi_record_write(const adi_record *r, adi_put_fn put, void *ctx);

/* Frees a record the host allocated (measure.c, import.c): its kernels, their
** counts, itself. NULL is fine. Defined in record_file.c: the firmware's
** record is static, and this file needs no allocator. */
void adi_record_free(adi_record *r);

/* "1234" into buf (at least 21 bytes); returns buf. */
char *adi_format_u64(uint64_t v, char *buf);

/* 16 lowercase hex digits into buf (at least 17 bytes); returns buf. */
char *adi_format_hex64(uint64_t v, char *buf);

#endif
