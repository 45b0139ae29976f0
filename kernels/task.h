/*
** kernels/task.h — one task of a kernel, ready to run: given the kernel,
** its shape and batch and a GEMM, its buffers sized, allocated where
** kernels/buffers.h places them, filled with reproducible data; one task
** run and checked against the reference. calibrate times this task
** (measure/measure.c, and its --beside co-runner), execute runs it
** (exec/execute.c), bench_conv measures its parts: one setup, so what is
** timed is what is executed.
**
** Data: the inputs are adi_kernel_fill(seed, scale 1), the weights
** adi_kernel_fill(seed + 1, scale 0.1): calibrate's and execute's tasks use
** seed 1, the co-runner seed 3, so the checksums a record holds are those of
** seed 1 (tests/helpers.h computes them independently).
**
** Check: conv compares every output of image 0 and every stride-th output
** after it with the direct convolution (adi_conv_check), the stride being
** n_out / 16384 | 1 (about 16384 outputs besides image 0, odd so it does
** not follow the planes); x2 compares every output (exact).
**
** Not portable like kernels.c: it allocates, so the Cortex-M4 firmware,
** which has no malloc, does not link it (the probe build does).
*/
#ifndef ADI_KERNELS_TASK_H
#define ADI_KERNELS_TASK_H

#include "kernels/buffers.h"
#include "kernels/kernels.h"

#include <stddef.h>
#include <stdint.h>

/* Buffers of more floats than this are refused (1 GiB each). */
#define ADI_TASK_MAX_FLOATS (1ULL << 28)

typedef struct adi_task {
    adi_kernel kernel;
    adi_conv_shape shape;           /* with its batch; x2: batch images of in_c x h x w */
    adi_gemm_fn gemm;               /* conv's GEMM (ctx NULL) */
    size_t n_in, n_w, n_out, n_col; /* buffer lengths in floats (0: not used) */
    adi_task_buffers buf;           /* in, w, out, col; empty until adi_task_alloc */
} adi_task;

/* Sizes t for kernel k of shape s (its batch included); allocates nothing.
** ADI_EINPUT ("conv: a task this large needs buffers over 1 GiB") when a
** buffer would exceed ADI_TASK_MAX_FLOATS. */
int adi_task_init(adi_task *t, adi_kernel k, const adi_conv_shape *s, adi_gemm_fn gemm);

/* Allocates t's buffers and fills inputs and weights from seed (see
** above). ADI_ENOMEM ("out of memory for the kernel's buffers"); then t
** holds nothing to free. */
int adi_task_alloc(adi_task *t, uint32_t seed);

/* Runs one task on t's buffers: 0, or the GEMM's non-zero status. */
int adi_task_run(adi_task *t);

/* Checks the outputs of the last run against the reference (see above).
** Returns the number of wrong outputs; *checked receives how many were
** compared. */
size_t adi_task_check(const adi_task *t, size_t *checked);

/* adi_task_alloc, one adi_task_run and adi_task_check: ADI_OK, ADI_ENOMEM,
** or ADI_EINTERNAL with "the BLAS GEMM failed" or "N of M checked outputs
** differ from the direct convolution (the exact 2x): refusing to report a
** time for a wrong result". *checked (or NULL) receives the outputs
** compared. t's buffers stay allocated on failure (adi_task_free). */
int adi_task_prepare(adi_task *t, uint32_t seed, size_t *checked);

/* The outputs condensed by adi_checksum (kernels.h). */
uint64_t adi_task_checksum(const adi_task *t);

/* The work of one task: flops for conv, bytes moved for x2. */
double adi_task_work(const adi_task *t);

/* Frees the buffers; t may be zeroed or freed already. */
void adi_task_free(adi_task *t);

#endif
