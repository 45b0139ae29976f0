/*
** kernels/kernels.h — the tasks calibrate times: a ResNet18 convolution
** lowered to im2col + GEMM, and the paper's "x2 model" (y = 2x).
**
** These sources are portable C11 on purpose: no allocation, no stdio, no
** clocks, no OS calls, only <stddef.h>/<stdint.h>/<math.h>-free arithmetic,
** so the same files build for Linux x86-64 and aarch64, macOS and a bare-
** metal Cortex-M4 (issue 7). Every buffer is the caller's; timing, threads
** and I/O live in measure/measure.c.
**
** The GEMM is pluggable (adi_gemm_fn): the host passes GSL's CBLAS
** interface (kernels/blas.h: OpenBLAS or GSL's own CBLAS behind it); a
** target without BLAS passes adi_gemm_plain, the plain C GEMM below.
**
** Layouts: images are NCHW float32; weights are [out_c][in_c][3][3]; the
** convolution is 3x3, stride 1, padding 1 (so the output is out_c x h x w),
** no bias (ResNet puts batch norm after each convolution).
**
** Costs per task (conv): 2 * batch * out_c * h * w * in_c * 9 flops, one
** im2col buffer of in_c * 9 * h * w floats reused for every image (2.25 MiB
** for ResNet18's 64-channel 32x32 layer). x2: 2 * 4 bytes moved per float.
**
** A target with little memory (the Cortex-M4's 256 KiB, measure/mcu)
** does the same work in bands of output rows (adi_conv_forward_rows: the
** im2col matrix and the output of a few rows at a time) and one image at a
** time, each image filled as the continuation of the host's input stream
** (adi_kernel_fill_stream), so its outputs are the host's, bit for bit with
** the same GEMM. adi_checksum condenses outputs into 64 bits whatever the
** order they were produced in: equal checksums on two machines mean equal
** outputs (up to a 2^-64 chance).
*/
#ifndef ADI_CALIBRATE_KERNELS_H
#define ADI_CALIBRATE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* The tasks calibrate knows; names "conv", "x2" (adi_kernel_name). */
typedef enum adi_kernel { ADI_KERNEL_CONV, ADI_KERNEL_X2, ADI_KERNEL_COUNT } adi_kernel;

/* "conv", "x2", or "?" for anything else (a static string). */
const char *adi_kernel_name(adi_kernel k);

/* How calibrate runs one task of kernel k on a host (what a profile's `task`
** says unless the device did it another way): a static string. */
const char *adi_kernel_host_task(adi_kernel k);

typedef struct adi_conv_shape {
    size_t batch;        /* images per task */
    size_t in_c, out_c;  /* channels */
    size_t h, w;         /* image height and width (pixels) */
} adi_conv_shape;

/* C[m x n] = A[m x k] * B[k x n], all row-major and dense (beta = 0).
** ctx is passed through. Returns 0 on success, non-zero on failure. */
typedef int (*adi_gemm_fn)(void *ctx, size_t m, size_t n, size_t k, const float *a,
                           const float *b, float *c);

/* The portable GEMM: plain loops, cache-blocked over columns; ctx unused. */
int adi_gemm_plain(void *ctx, size_t m, size_t n, size_t k, const float *a, const float *b,
                   float *c);

/* Buffer lengths in floats, and the work of one task. */
size_t adi_conv_input_len(const adi_conv_shape *s);  /* batch * in_c * h * w */
size_t adi_conv_weight_len(const adi_conv_shape *s); /* out_c * in_c * 9 */
size_t adi_conv_output_len(const adi_conv_shape *s); /* batch * out_c * h * w */
size_t adi_conv_col_len(const adi_conv_shape *s);    /* in_c * 9 * h * w (one image) */
double adi_conv_flops(const adi_conv_shape *s);

/* The bytes one task of kernel k moves over a network, from its shape and
** batch: its input, batch x in_c x h x w float32, and its output, conv:
** batch x out_c x h x w float32, x2: the same as its input (x2 batch 32 of
** 3 x 32 x 32: 393 216 bytes each way). The weights stay on the device. */
void adi_kernel_io_bytes(adi_kernel k, const adi_conv_shape *s, uint64_t *in, uint64_t *out);

/* Unfolds one image (in_c x h x w) into col, a (in_c * 9) x (h * w)
** matrix: row (c, dy, dx), column (y, x) holds image[c][y+dy-1][x+dx-1],
** or 0 outside the image (the padding). */
void adi_conv_im2col(const adi_conv_shape *s, const float *restrict image, float *restrict col);

/* The rows [y0, y1) of im2col, 0 <= y0 <= y1 <= h: a (in_c * 9) x
** ((y1 - y0) * w) matrix whose column (y - y0, x) equals column (y, x) of
** the whole image's. adi_conv_im2col is the band [0, h). */
void adi_conv_im2col_rows(const adi_conv_shape *s, const float *restrict image, size_t y0,
                          size_t y1, float *restrict col);

/* Output rows [y0, y1) of one image (in_c x h x w): out[o][p] for output
** channel o and pixel p of the band, out_c x ((y1 - y0) * w) floats, by
** im2col of the band into col (in_c * 9 * (y1 - y0) * w floats) and
** gemm(weights, col). With adi_gemm_plain every output equals the one
** adi_conv_forward computes, bit for bit (each is the same sum in the same
** order). Returns 0 or the GEMM's status. */
int adi_conv_forward_rows(const adi_conv_shape *s, const float *image, const float *weights,
                          size_t y0, size_t y1, float *out, float *col, adi_gemm_fn gemm,
                          void *ctx);

/* One task: out = conv(in, weights) for every image of the batch, by
** im2col into col (adi_conv_col_len floats) and gemm(weights, col). Returns
** 0, or the GEMM's non-zero status. */
int adi_conv_forward(const adi_conv_shape *s, const float *in, const float *weights,
                     float *out, float *col, adi_gemm_fn gemm, void *ctx);

/* The reference: output element `index` (NCHW order) computed directly,
** in double precision. *abs_sum receives sum |w * x| over its window, the
** scale of the rounding error a float GEMM may make. */
double adi_conv_direct(const adi_conv_shape *s, const float *in, const float *weights,
                       size_t index, double *abs_sum);

/* 1 when `value` is wrong as output `index` (NCHW) of conv(in, weights):
** further from adi_conv_direct than the tolerance below, or NaN. */
int adi_conv_wrong(const adi_conv_shape *s, const float *in, const float *weights, size_t index,
                   float value);

/* Compares out with the direct reference on every output of image 0 and
** every stride-th output after it (stride 1: all of them). An output is
** wrong when it differs by more than 16 sqrt(K) FLT_EPSILON sum |w x|
** (K = in_c * 9): far above the rounding of any summation order, far below
** one missing or misplaced term. Returns the number of wrong outputs. */
size_t adi_conv_check(const adi_conv_shape *s, const float *in, const float *weights,
                      const float *out, size_t stride);

/* x2: y[i] = 2 x[i], i < n. */
void adi_x2(const float *x, float *y, size_t n);

/* The number of i with y[i] != 2 x[i] (doubling is exact in binary floating
** point, so the comparison is exact). */
size_t adi_x2_check(const float *x, const float *y, size_t n);

/* Fills x[0..n) with reproducible values uniform in [-scale, scale)
** (xorshift32 from seed; identical on every platform). */
void adi_kernel_fill(float *x, size_t n, uint32_t seed, float scale);

/* The same stream in pieces: start with state = adi_kernel_fill_seed(seed)
** and pass each call the state the previous one returned; the pieces
** together equal one adi_kernel_fill of their total length. */
uint32_t adi_kernel_fill_seed(uint32_t seed);
uint32_t adi_kernel_fill_stream(float *x, size_t n, uint32_t state, float scale);

/* Adds x[0..n), the outputs numbered index .. index + n - 1, to a checksum
** (start from 0). The sum of one 64-bit hash per (number, bit pattern), so
** outputs may be added in any order and in any pieces. */
uint64_t adi_checksum(uint64_t sum, uint64_t index, const float *x, size_t n);

#endif
