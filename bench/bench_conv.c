/*
** bench/bench_conv.c — how close calibrate's conv kernel comes to the BLAS
** it is built on, single-threaded, on this machine:
**
**   conv      one task of calibrate's kernel: for each of 64 images, im2col
**             and gsl_blas_sgemm (the GEMM through GSL's CBLAS interface)
**   sgemm     the same 64 GEMMs (M = out channels, N = h w, K = 9 in
**             channels) called directly with cblas_sgemm on a ready im2col
**             matrix: the BLAS's own speed on this problem
**   ratio     conv / sgemm GFLOP/s: what im2col and the GSL layer cost
**   plain     the portable C GEMM (the fallback for targets without BLAS)
**
** for every named ResNet18 layer, then x2's GB/s (its 768 KiB stay in
** cache, so this is cache bandwidth, not DRAM's). Figures are medians over
** repeated tasks, conv and sgemm taking turns (3 s per layer, and 2 s
** for the plain GEMM).
**
** Run: make bench   (or build/bench/bench_conv)
*/
#include "kernels/blas.h"
#include "kernels/kernels.h"
#include "kernels/task.h"
#include "measure/measure.h"
#include "core/clock.h"
#include "core/error.h"

#include <gsl/gsl_cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct bench {
    const adi_conv_shape *s;
    float *in, *w, *out, *col;
    int which; /* 0 conv (BLAS), 1 direct sgemm, 2 conv (plain GEMM), 3 x2 */
} bench;

static void run(bench *b)
{
    const adi_conv_shape *s = b->s;
    size_t hw = s->h * s->w, k = s->in_c * 9, n = adi_conv_input_len(s);
    switch (b->which) {
    case 0: adi_conv_forward(s, b->in, b->w, b->out, b->col, adi_gemm_blas, NULL); break;
    case 1:
        for (size_t i = 0; i < s->batch; i++)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)s->out_c, (int)hw, (int)k,
                        1.0f, b->w, (int)k, b->col, (int)hw, 0.0f, b->out + i * s->out_c * hw,
                        (int)hw);
        break;
    case 2: adi_conv_forward(s, b->in, b->w, b->out, b->col, adi_gemm_plain, NULL); break;
    default: adi_x2(b->in, b->out, n); break;
    }
}

/* Median times of one task for each of b[0..n) over about `budget`
** seconds in all (at least 3 tasks each). The benches take turns, task by
** task, so a change in the machine's load affects them alike and their
** ratio stays meaningful on a busy machine. */
static void median_tasks(bench *b, size_t n, double budget, double *median)
{
    double one = 0;
    for (size_t i = 0; i < n; i++) {
        run(&b[i]); /* warm */
        double t0 = adi_clock_s();
        run(&b[i]);
        one += adi_clock_s() - t0;
    }
    size_t reps = one > 0 ? (size_t)(budget / one) : 1000;
    reps = reps < 3 ? 3 : reps > 20000 ? 20000 : reps;
    double *t = malloc(n * reps * sizeof *t);
    for (size_t r = 0; r < reps; r++)
        for (size_t i = 0; i < n; i++) {
            double a = adi_clock_s();
            run(&b[i]);
            t[i * reps + r] = adi_clock_s() - a;
        }
    for (size_t i = 0; i < n; i++) {
        qsort(t + i * reps, reps, sizeof *t, cmp);
        median[i] = t[i * reps + reps / 2];
    }
    free(t);
}

int main(void)
{
    adi_blas_single_thread();
    printf("conv kernel vs the BLAS it calls, one thread, batch 64, median per task (%s)\n",
           adi_blas_name());
    printf("%-7s %-16s %6s %6s %6s %12s %12s %7s %12s\n", "layer", "shape", "M", "N", "K",
           "conv GF/s", "sgemm GF/s", "ratio", "plain GF/s");
    static const char *const layers[] = {"stem", "layer1", "layer2", "layer3", "layer4"};
    for (size_t i = 0; i < 5; i++) {
        adi_conv_shape s = {.batch = 64};
        char layer[32];
        if (adi_calibrate_parse_shape(layers[i], layer, sizeof layer, &s) != ADI_OK)
            return 1;
        adi_task task; /* calibrate's task: its data, its buffers' placement */
        if (adi_task_init(&task, ADI_KERNEL_CONV, &s, adi_gemm_blas) != ADI_OK ||
            adi_task_alloc(&task, 1) != ADI_OK)
            return 1;
        bench b = {&s, task.buf.in, task.buf.w, task.buf.out, task.buf.col, 0};
        adi_conv_im2col(&s, b.in, b.col);
        double flops = adi_conv_flops(&s), g[3], t[3];
        bench pair[2] = {b, b};
        pair[1].which = 1;
        median_tasks(pair, 2, 3.0, t);
        b.which = 2;
        median_tasks(&b, 1, 2.0, t + 2);
        for (int f = 0; f < 3; f++)
            g[f] = flops / t[f] / 1e9;
        char shape[48];
        snprintf(shape, sizeof shape, "%zu->%zu %zux%zu", s.in_c, s.out_c, s.h, s.w);
        printf("%-7s %-16s %6zu %6zu %6zu %12.2f %12.2f %7.3f %12.2f\n", layers[i], shape, s.out_c,
               s.h * s.w, s.in_c * 9, g[0], g[1], g[0] / g[1], g[2]);
        adi_task_free(&task);
    }
    adi_conv_shape x = {32, 3, 3, 32, 32};
    adi_task t;
    if (adi_task_init(&t, ADI_KERNEL_X2, &x, NULL) != ADI_OK || adi_task_alloc(&t, 1) != ADI_OK)
        return 1;
    bench b = {&x, t.buf.in, NULL, t.buf.out, NULL, 3};
    double bytes = adi_task_work(&t), tx2;
    median_tasks(&b, 1, 1.0, &tx2);
    printf("x2 (32 x 3x32x32 floats, %.0f KiB in + out): %.2f GB/s, %.3g us per task\n",
           bytes / 1024, bytes / tx2 / 1e9, tx2 * 1e6);
    adi_task_free(&t);
    return 0;
}
