/*
** kernels/task.c — a kernel's task set up, run and checked (see task.h).
** Costs: one block of buffers per task (buffers.h); the check computes
** about 16384 + out_c h w outputs directly, in double precision.
*/
#include "kernels/task.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>

int adi_task_init(adi_task *t, adi_kernel k, const adi_conv_shape *s, adi_gemm_fn gemm)
{
    memset(t, 0, sizeof *t);
    t->kernel = k;
    t->shape = *s;
    t->gemm = gemm;
    if (k == ADI_KERNEL_CONV) {
        t->n_in = adi_conv_input_len(s);
        t->n_w = adi_conv_weight_len(s);
        t->n_out = adi_conv_output_len(s);
        t->n_col = adi_conv_col_len(s);
    } else {
        t->n_in = t->n_out = s->batch * s->in_c * s->h * s->w;
    }
    if (t->n_in > ADI_TASK_MAX_FLOATS || t->n_w > ADI_TASK_MAX_FLOATS ||
        t->n_out > ADI_TASK_MAX_FLOATS || t->n_col > ADI_TASK_MAX_FLOATS)
        return adi_fail(ADI_EINPUT, "%s: a task this large needs buffers over 1 GiB",
                        adi_kernel_name(k));
    return ADI_OK;
}

int adi_task_alloc(adi_task *t, uint32_t seed)
{
    if (adi_task_buffers_alloc(&t->buf, t->n_in, t->n_w, t->n_out, t->n_col) != 0)
        return adi_fail(ADI_ENOMEM, "out of memory for the kernel's buffers");
    adi_kernel_fill(t->buf.in, t->n_in, seed, 1);
    if (t->n_w)
        adi_kernel_fill(t->buf.w, t->n_w, seed + 1, 0.1f);
    return ADI_OK;
}

int adi_task_run(adi_task *t)
{
    if (t->kernel == ADI_KERNEL_CONV)
        return adi_conv_forward(&t->shape, t->buf.in, t->buf.w, t->buf.out, t->buf.col, t->gemm,
                                NULL);
    adi_x2(t->buf.in, t->buf.out, t->n_in);
    return 0;
}

size_t adi_task_check(const adi_task *t, size_t *checked)
{
    if (t->kernel != ADI_KERNEL_CONV) {
        *checked = t->n_in;
        return adi_x2_check(t->buf.in, t->buf.out, t->n_in);
    }
    size_t stride = t->n_out / 16384 | 1, first = t->shape.out_c * t->shape.h * t->shape.w;
    /* image 0 in full, then the multiples of stride beyond it */
    *checked = first + (t->n_out > first ? (t->n_out - 1) / stride - (first - 1) / stride : 0);
    return adi_conv_check(&t->shape, t->buf.in, t->buf.w, t->buf.out, stride);
}

int adi_task_prepare(adi_task *t, uint32_t seed, size_t *checked)
{
    size_t n = 0;
    int rc = adi_task_alloc(t, seed);
    if (rc == ADI_OK && adi_task_run(t) != 0)
        rc = adi_fail(ADI_EINTERNAL, "the BLAS GEMM failed");
    size_t wrong = rc == ADI_OK ? adi_task_check(t, &n) : 0;
    if (checked)
        *checked = n;
    if (wrong)
        rc = adi_fail(ADI_EINTERNAL, "%zu of %zu checked outputs differ from the %s: refusing to "
                      "report a time for a wrong result", wrong, n,
                      t->kernel == ADI_KERNEL_CONV ? "direct convolution" : "exact 2x");
    return rc;
}

uint64_t adi_task_checksum(const adi_task *t)
{
    return adi_checksum(0, 0, t->buf.out, t->n_out);
}

double adi_task_work(const adi_task *t)
{
    return t->kernel == ADI_KERNEL_CONV ? adi_conv_flops(&t->shape)
                                        : 2.0 * sizeof(float) * (double)t->n_in;
}

void adi_task_free(adi_task *t)
{
    adi_task_buffers_free(&t->buf);
}
