/*
** kernels/kernels.c — im2col convolution, the plain GEMM, x2 and their
** references (see kernels.h). Portable C11 with no library calls at all,
** not even libm, so it builds freestanding for a microcontroller.
*/
#include "kernels/kernels.h"

#include <float.h>

static const char *const kernel_names[ADI_KERNEL_COUNT] = {"conv", "x2"};

const char *adi_kernel_name(adi_kernel k) { return k < ADI_KERNEL_COUNT ? kernel_names[k] : "?"; }

const char *adi_kernel_host_task(adi_kernel k)
{
    return k == ADI_KERNEL_CONV
               ? "the whole batch resident in memory (NCHW float32); per image, im2col of the "
                 "image, then one GEMM of the weights by it"
               : "the whole batch resident in memory: y = 2x from one buffer into another";
}

size_t adi_conv_input_len(const adi_conv_shape *s) { return s->batch * s->in_c * s->h * s->w; }
size_t adi_conv_weight_len(const adi_conv_shape *s) { return s->out_c * s->in_c * 9; }
size_t adi_conv_output_len(const adi_conv_shape *s) { return s->batch * s->out_c * s->h * s->w; }
size_t adi_conv_col_len(const adi_conv_shape *s) { return s->in_c * 9 * s->h * s->w; }

void adi_kernel_io_bytes(adi_kernel k, const adi_conv_shape *s, uint64_t *in, uint64_t *out)
{
    uint64_t pixels = (uint64_t)s->batch * s->h * s->w;
    *in = pixels * s->in_c * sizeof(float);
    *out = pixels * (k == ADI_KERNEL_CONV ? s->out_c : s->in_c) * sizeof(float);
}

double adi_conv_flops(const adi_conv_shape *s)
{
    return 2.0 * (double)s->batch * (double)s->out_c * (double)(s->h * s->w) *
           (double)(s->in_c * 9);
}

/* Columns j of B are processed in strips of this many, so that a strip of
** C's row and the rows of B it meets stay in cache while A's row is swept. */
#define STRIP 256

int adi_gemm_plain(void *ctx, size_t m, size_t n, size_t k, const float *a, const float *b,
                   float *c)
{
    (void)ctx;
    for (size_t j0 = 0; j0 < n; j0 += STRIP) {
        size_t j1 = j0 + STRIP < n ? j0 + STRIP : n;
        for (size_t i = 0; i < m; i++) {
            float *restrict ci = c + i * n;
            for (size_t j = j0; j < j1; j++)
                ci[j] = 0;
            for (size_t p = 0; p < k; p++) {
                const float aip = a[i * k + p];
                const float *restrict bp = b + p * n;
                for (size_t j = j0; j < j1; j++) /* contiguous: vectorises */
                    ci[j] += aip * bp[j];
            }
        }
    }
    return 0;
}

/* Row (c, dy, dx) of col is plane c shifted by off = (dy - 1) w + dx - 1
** elements: row[i] = plane[y0 w + i + off] for the pixels whose source row
** is inside the image, then the column that wrapped around from the next
** or previous row (x = 0 for dx = 0, x = w - 1 for dx = 2) set to 0. One
** long contiguous copy per row instead of one short one per image row: this
** is most of im2col's cost, and long copies run at memory speed. */
void adi_conv_im2col_rows(const adi_conv_shape *s, const float *restrict image, size_t y0,
                          size_t y1, float *restrict col)
{
    const size_t h = s->h, w = s->w, hw = h * w, n = (y1 - y0) * w;
    for (size_t c = 0; c < s->in_c; c++) {
        const float *plane = image + c * hw;
        for (size_t dy = 0; dy < 3; dy++)
            for (size_t dx = 0; dx < 3; dx++) {
                float *restrict row = col + ((c * 3 + dy) * 3 + dx) * n;
                /* output rows y in the band whose source row y + dy - 1 is inside */
                size_t ylo = dy == 0 ? 1 : 0, yhi = dy == 2 ? h - 1 : h;
                ylo = ylo > y0 ? ylo : y0;
                yhi = yhi < y1 ? yhi : y1;
                if (h == 0 || yhi < ylo)
                    yhi = ylo = y0;
                size_t a = (ylo - y0) * w, b = (yhi - y0) * w;
                for (size_t i = 0; i < a; i++)
                    row[i] = 0;
                for (size_t i = b; i < n; i++)
                    row[i] = 0;
                /* source index of band element i: y0 w + i + off */
                const ptrdiff_t off = (ptrdiff_t)(y0 * w) + ((ptrdiff_t)dy - 1) * (ptrdiff_t)w +
                                      (ptrdiff_t)dx - 1;
                /* at most one element at each end would read outside the
                ** plane; both are in a wrapped column, so 0 */
                if (a < b && (ptrdiff_t)a + off < 0)
                    row[a++] = 0;
                if (a < b && (ptrdiff_t)(b - 1) + off >= (ptrdiff_t)hw)
                    row[--b] = 0;
                if (a < b) {
                    const float *restrict src = plane + ((ptrdiff_t)a + off);
                    float *restrict dst = row + a;
                    for (size_t i = 0; i < b - a; i++)
                        dst[i] = src[i];
                }
                if (dx != 1)
                    for (size_t y = ylo; y < yhi; y++)
                        row[(y - y0) * w + (dx == 0 ? 0 : w - 1)] = 0;
            }
    }
}

void adi_conv_im2col(const adi_conv_shape *s, const float *restrict image, float *restrict col)
{
    adi_conv_im2col_rows(s, image, 0, s->h, col);
}

int adi_conv_forward_rows(const adi_conv_shape *s, const float *image, const float *weights,
                          size_t y0, size_t y1, float *out, float *col, adi_gemm_fn gemm,
                          void *ctx)
{
    adi_conv_im2col_rows(s, image, y0, y1, col);
    return gemm(ctx, s->out_c, (y1 - y0) * s->w, s->in_c * 9, weights, col, out);
}

int adi_conv_forward(const adi_conv_shape *s, const float *in, const float *weights,
                     float *out, float *col, adi_gemm_fn gemm, void *ctx)
{
    const size_t hw = s->h * s->w, k = s->in_c * 9;
    for (size_t b = 0; b < s->batch; b++) {
        adi_conv_im2col(s, in + b * s->in_c * hw, col);
        int rc = gemm(ctx, s->out_c, hw, k, weights, col, out + b * s->out_c * hw);
        if (rc != 0)
            return rc;
    }
    return 0;
}

double adi_conv_direct(const adi_conv_shape *s, const float *in, const float *weights,
                       size_t index, double *abs_sum)
{
    const size_t h = s->h, w = s->w, hw = h * w;
    size_t x = index % w, y = index / w % h, o = index / hw % s->out_c,
           b = index / (hw * s->out_c);
    double sum = 0, mag = 0;
    for (size_t c = 0; c < s->in_c; c++)
        for (size_t dy = 0; dy < 3; dy++)
            for (size_t dx = 0; dx < 3; dx++) {
                if (y + dy < 1 || y + dy - 1 >= h || x + dx < 1 || x + dx - 1 >= w)
                    continue;
                double term = (double)weights[((o * s->in_c + c) * 3 + dy) * 3 + dx] *
                              (double)in[((b * s->in_c + c) * h + y + dy - 1) * w + x + dx - 1];
                sum += term;
                mag += term < 0 ? -term : term;
            }
    *abs_sum = mag;
    return sum;
}

/* The smallest r with r * r >= n (no libm here). */
static size_t isqrt_up(size_t n)
{
    size_t r = 1;
    while (r * r < n)
        r++;
    return r;
}

int adi_conv_wrong(const adi_conv_shape *s, const float *in, const float *weights, size_t index,
                   float value)
{
    const double tol = 16.0 * (double)isqrt_up(s->in_c * 9) * FLT_EPSILON;
    double mag, ref = adi_conv_direct(s, in, weights, index, &mag);
    double err = (double)value - ref;
    if (err < 0)
        err = -err;
    /* written so that a NaN output counts as wrong */
    return !(err <= tol * mag + FLT_MIN);
}

size_t adi_conv_check(const adi_conv_shape *s, const float *in, const float *weights,
                      const float *out, size_t stride)
{
    const size_t n = adi_conv_output_len(s), first = s->out_c * s->h * s->w;
    size_t wrong = 0;
    if (stride == 0)
        stride = 1;
    for (size_t i = 0; i < n;) {
        wrong += (size_t)adi_conv_wrong(s, in, weights, i, out[i]);
        i = i + 1 < first ? i + 1 : (i / stride + 1) * stride;
    }
    return wrong;
}

void adi_x2(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = 2 * x[i];
}

size_t adi_x2_check(const float *x, const float *y, size_t n)
{
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++)
        wrong += !(y[i] == 2 * x[i]);
    return wrong;
}

uint32_t adi_kernel_fill_seed(uint32_t seed) { return seed ? seed : 0x9e3779b9u; }

uint32_t adi_kernel_fill_stream(float *x, size_t n, uint32_t state, float scale)
{
    for (size_t i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        /* 24 random bits -> [0, 1) exactly representable, then [-1, 1) */
        float u = (float)(state >> 8) * (1.0f / 16777216.0f);
        x[i] = scale * (2 * u - 1);
    }
    return state;
}

void adi_kernel_fill(float *x, size_t n, uint32_t seed, float scale)
{
    adi_kernel_fill_stream(x, n, adi_kernel_fill_seed(seed), scale);
}

/* SplitMix64's finalizer: a bijection of 64-bit words that mixes every bit
** into every other. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

uint64_t adi_checksum(uint64_t sum, uint64_t index, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        union { float f; uint32_t u; } v = {.f = x[i]};
        sum += mix64((index + i) * 0x9e3779b97f4a7c15u ^ v.u);
    }
    return sum;
}
