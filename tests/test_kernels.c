/*
** tests/test_kernels.c — the calibration kernels compute what they claim:
** im2col on a hand-worked image, both GEMMs (the host's BLAS through GSL
** and the portable plain C one) against a double-precision triple loop,
** the convolution on several shapes (odd sizes, 1-pixel rows and columns,
** one channel) against the direct reference, and the checks refuse wrong
** results (a perturbed output, a dropped weight, a NaN). The pieces a small
** target uses (measure/mcu) equal the whole: the convolution in bands of
** rows gives the same bits as in one piece, the fill in pieces the same
** stream, and the checksum does not depend on the order of its pieces but
** sees a one-bit change.
*/
#include "helpers.h"

#include "kernels/blas.h"
#include "kernels/kernels.h"

/* Known sizes: x2's default task (32 CIFAR images, 3 x 32 x 32) is
** 32 x 3072 x 4 = 393 216 bytes each way; conv's default (layer1, batch 64)
** 64 x 64 x 32 x 32 x 4 = 16 MiB each way; the stem takes 3 channels and
** gives 64; layer4 at batch 1, 512 x 4 x 4 floats = 32 KiB. */
static void io_bytes(void **state)
{
    (void)state;
    uint64_t in, out;
    adi_conv_shape x2 = {.batch = 32, .in_c = 3, .out_c = 3, .h = 32, .w = 32};
    adi_kernel_io_bytes(ADI_KERNEL_X2, &x2, &in, &out);
    assert_int_equal(in, 393216);
    assert_int_equal(out, 393216);
    x2.out_c = 0; /* x2's output has its input's channels, whatever out_c says */
    adi_kernel_io_bytes(ADI_KERNEL_X2, &x2, &in, &out);
    assert_int_equal(out, 393216);
    adi_conv_shape layer1 = {.batch = 64, .in_c = 64, .out_c = 64, .h = 32, .w = 32};
    adi_kernel_io_bytes(ADI_KERNEL_CONV, &layer1, &in, &out);
    assert_int_equal(in, 16777216);
    assert_int_equal(out, 16777216);
    adi_conv_shape stem = {.batch = 64, .in_c = 3, .out_c = 64, .h = 32, .w = 32};
    adi_kernel_io_bytes(ADI_KERNEL_CONV, &stem, &in, &out);
    assert_int_equal(in, 786432);
    assert_int_equal(out, 16777216);
    assert_int_equal(in, adi_conv_input_len(&stem) * sizeof(float));
    assert_int_equal(out, adi_conv_output_len(&stem) * sizeof(float));
    adi_conv_shape layer4 = {.batch = 1, .in_c = 512, .out_c = 512, .h = 4, .w = 4};
    adi_kernel_io_bytes(ADI_KERNEL_CONV, &layer4, &in, &out);
    assert_int_equal(in, 32768);
    assert_int_equal(out, 32768);
}

static void im2col_by_hand(void **state)
{
    (void)state;
    /* One 2x2 image [1 2; 3 4]: row (dy, dx) holds image[y+dy-1][x+dx-1]. */
    adi_conv_shape s = {.batch = 1, .in_c = 1, .out_c = 1, .h = 2, .w = 2};
    const float img[4] = {1, 2, 3, 4};
    float col[36];
    adi_conv_im2col(&s, img, col);
    const float expect[9][4] = {
        {0, 0, 0, 1}, {0, 0, 1, 2}, {0, 0, 2, 0}, /* dy = 0 */
        {0, 1, 0, 3}, {1, 2, 3, 4}, {2, 0, 4, 0}, /* dy = 1 */
        {0, 3, 0, 0}, {3, 4, 0, 0}, {4, 0, 0, 0}, /* dy = 2 */
    };
    for (int r = 0; r < 9; r++)
        for (int j = 0; j < 4; j++)
            if (col[r * 4 + j] != expect[r][j])
                fail_msg("row %d column %d: %g, expected %g", r, j, col[r * 4 + j], expect[r][j]);
}

static void gemm_matches_triple_loop(adi_gemm_fn gemm, size_t m, size_t n, size_t k)
{
    float *a = malloc(m * k * sizeof *a), *b = malloc(k * n * sizeof *b),
          *c = malloc(m * n * sizeof *c);
    adi_kernel_fill(a, m * k, 1, 1);
    adi_kernel_fill(b, k * n, 2, 1);
    for (size_t i = 0; i < m * n; i++)
        c[i] = NAN; /* beta = 0: whatever was there must not matter */
    assert_int_equal(gemm(NULL, m, n, k, a, b, c), 0);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            double sum = 0, mag = 0;
            for (size_t p = 0; p < k; p++) {
                sum += (double)a[i * k + p] * b[p * n + j];
                mag += fabs((double)a[i * k + p] * b[p * n + j]);
            }
            if (!(fabs(c[i * n + j] - sum) <= 1e-5 * mag + 1e-30))
                fail_msg("%zux%zux%zu: C[%zu][%zu] = %.9g, expected %.9g", m, n, k, i, j,
                         c[i * n + j], sum);
        }
    free(a);
    free(b);
    free(c);
}

static void gemms(void **state)
{
    (void)state;
    static const size_t dims[][3] = {{1, 1, 1}, {2, 3, 4}, {7, 300, 5}, {64, 257, 27}, {3, 513, 70}};
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
        gemm_matches_triple_loop(adi_gemm_plain, dims[i][0], dims[i][1], dims[i][2]);
        gemm_matches_triple_loop(adi_gemm_blas, dims[i][0], dims[i][1], dims[i][2]);
    }
    /* 2x2 by hand: [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50] */
    const float a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8};
    float c[4];
    assert_int_equal(adi_gemm_plain(NULL, 2, 2, 2, a, b, c), 0);
    assert_true(c[0] == 19 && c[1] == 22 && c[2] == 43 && c[3] == 50);
    assert_int_equal(adi_gemm_blas(NULL, 2, 2, 2, a, b, c), 0);
    assert_true(c[0] == 19 && c[1] == 22 && c[2] == 43 && c[3] == 50);
}

typedef struct conv_buffers {
    float *in, *w, *out, *col;
} conv_buffers;

static conv_buffers conv_alloc(const adi_conv_shape *s)
{
    conv_buffers b = {malloc(adi_conv_input_len(s) * sizeof(float) + 1),
                      malloc(adi_conv_weight_len(s) * sizeof(float) + 1),
                      malloc(adi_conv_output_len(s) * sizeof(float) + 1),
                      malloc(adi_conv_col_len(s) * sizeof(float) + 1)};
    adi_kernel_fill(b.in, adi_conv_input_len(s), 11, 1);
    adi_kernel_fill(b.w, adi_conv_weight_len(s), 12, 0.2f);
    return b;
}

static void conv_free(conv_buffers *b)
{
    free(b->in);
    free(b->w);
    free(b->out);
    free(b->col);
}

static void conv_shapes(void **state)
{
    (void)state;
    static const adi_conv_shape shapes[] = {
        {1, 1, 1, 1, 1},  {2, 3, 5, 7, 5}, {1, 4, 3, 1, 9}, {3, 2, 3, 6, 1},
        {2, 3, 64, 8, 8}, {1, 16, 8, 5, 3}, {1, 64, 64, 4, 4}, {2, 5, 7, 13, 11},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const adi_conv_shape *s = &shapes[i];
        conv_buffers b = conv_alloc(s);
        adi_gemm_fn gemm[2] = {adi_gemm_plain, adi_gemm_blas};
        for (int g = 0; g < 2; g++) {
            assert_int_equal(adi_conv_forward(s, b.in, b.w, b.out, b.col, gemm[g], NULL), 0);
            size_t wrong = adi_conv_check(s, b.in, b.w, b.out, 1);
            if (wrong)
                fail_msg("shape %zu (batch %zu, %zu->%zu, %zux%zu), gemm %d: %zu wrong outputs", i,
                         s->batch, s->in_c, s->out_c, s->h, s->w, g, wrong);
        }
        conv_free(&b);
    }
    adi_conv_shape s = {64, 64, 64, 32, 32};
    assert_close(adi_conv_flops(&s), 2.0 * 64 * 64 * 1024 * 576, 1e-15);
}

static void checks_refuse_wrong_results(void **state)
{
    (void)state;
    adi_conv_shape s = {3, 8, 6, 9, 7};
    conv_buffers b = conv_alloc(&s);
    assert_int_equal(adi_conv_forward(&s, b.in, b.w, b.out, b.col, adi_gemm_blas, NULL), 0);
    assert_int_equal(adi_conv_check(&s, b.in, b.w, b.out, 1), 0);
    size_t n = adi_conv_output_len(&s);
    /* a small error in one output of the last image (checked with stride 1,
    ** and with stride 7 when its index is a multiple of 7) */
    size_t at = (n - 1) / 7 * 7;
    float saved = b.out[at];
    b.out[at] += 1e-3f * (fabsf(saved) + 0.01f);
    assert_int_equal(adi_conv_check(&s, b.in, b.w, b.out, 1), 1);
    assert_int_equal(adi_conv_check(&s, b.in, b.w, b.out, 7), 1);
    b.out[at] = NAN;
    assert_int_equal(adi_conv_check(&s, b.in, b.w, b.out, 1), 1);
    b.out[at] = saved;
    /* one weight dropped by the computation: every output of that filter
    ** whose window is not all padding goes wrong, in every image */
    float w0 = b.w[0];
    b.w[0] = 0;
    assert_int_equal(adi_conv_forward(&s, b.in, b.w, b.out, b.col, adi_gemm_plain, NULL), 0);
    b.w[0] = w0;
    size_t wrong = adi_conv_check(&s, b.in, b.w, b.out, 1);
    /* weight (o 0, c 0, dy 0, dx 0) meets pixels y >= 1 and x >= 1 */
    assert_int_equal(wrong, 3 * 8 * 6);
    conv_free(&b);
}

/* Bands of every height (1 row, 2 rows, uneven last band, the whole image)
** give exactly the outputs of adi_conv_forward with the plain GEMM. */
static void bands_equal_whole(void **state)
{
    (void)state;
    static const adi_conv_shape shapes[] = {
        {1, 1, 1, 1, 1}, {2, 3, 5, 7, 5}, {1, 4, 3, 1, 9}, {3, 2, 3, 6, 1}, {2, 3, 64, 8, 8},
        {1, 5, 7, 13, 11},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const adi_conv_shape *s = &shapes[i];
        conv_buffers b = conv_alloc(s);
        assert_int_equal(adi_conv_forward(s, b.in, b.w, b.out, b.col, adi_gemm_plain, NULL), 0);
        const size_t hw = s->h * s->w, img = s->in_c * hw;
        float *band = malloc(s->out_c * hw * sizeof *band), *col = malloc(adi_conv_col_len(s) * sizeof *col);
        const size_t rows[] = {1, 2, 3, s->h};
        for (size_t r = 0; r < 4; r++)
            for (size_t im = 0; im < s->batch; im++)
                for (size_t y0 = 0; y0 < s->h; y0 += rows[r]) {
                    size_t y1 = y0 + rows[r] < s->h ? y0 + rows[r] : s->h, np = (y1 - y0) * s->w;
                    assert_int_equal(adi_conv_forward_rows(s, b.in + im * img, b.w, y0, y1, band,
                                                           col, adi_gemm_plain, NULL), 0);
                    for (size_t o = 0; o < s->out_c; o++)
                        if (memcmp(band + o * np, b.out + (im * s->out_c + o) * hw + y0 * s->w,
                                   np * sizeof(float)) != 0)
                            fail_msg("shape %zu, bands of %zu rows: image %zu rows %zu..%zu "
                                     "channel %zu differ", i, rows[r], im, y0, y1, o);
                }
        free(band);
        free(col);
        conv_free(&b);
    }
}

static void checksum_and_stream(void **state)
{
    (void)state;
    enum { N = 3000 };
    float whole[N], parts[N];
    adi_kernel_fill(whole, N, 7, 1);
    uint32_t st = adi_kernel_fill_seed(7);
    st = adi_kernel_fill_stream(parts, 1000, st, 1);
    st = adi_kernel_fill_stream(parts + 1000, 1, st, 1);
    adi_kernel_fill_stream(parts + 1001, N - 1001, st, 1);
    assert_memory_equal(whole, parts, sizeof whole);
    /* any order, any pieces */
    uint64_t one = adi_checksum(0, 0, whole, N);
    uint64_t back = adi_checksum(0, 2000, whole + 2000, 1000);
    back = adi_checksum(back, 0, whole, 1);
    back = adi_checksum(back, 1, whole + 1, 1999);
    assert_true(one == back);
    assert_true(one != 0);
    /* one bit of one output, or two outputs swapped, change it */
    union { float f; uint32_t u; } v = {.f = parts[1234]};
    v.u ^= 1;
    parts[1234] = v.f;
    assert_true(adi_checksum(0, 0, parts, N) != one);
    parts[1234] = whole[1235];
    parts[1235] = whole[1234];
    assert_true(adi_checksum(0, 0, parts, N) != one);
    assert_string_equal(adi_kernel_name(ADI_KERNEL_CONV), "conv");
    assert_string_equal(adi_kernel_name(ADI_KERNEL_X2), "x2");
    assert_string_equal(adi_kernel_name(ADI_KERNEL_COUNT), "?");
}

static void x2_exact(void **state)
{
    (void)state;
    size_t n = 32 * 3 * 32 * 32;
    float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    adi_kernel_fill(x, n, 5, 1000);
    adi_x2(x, y, n);
    assert_int_equal(adi_x2_check(x, y, n), 0);
    for (size_t i = 0; i < n; i += 997)
        assert_true(y[i] == x[i] + x[i]);
    y[n - 1] = nextafterf(y[n - 1], INFINITY);
    y[0] = NAN;
    assert_int_equal(adi_x2_check(x, y, n), 2);
    free(x);
    free(y);
}

static void fill_is_reproducible(void **state)
{
    (void)state;
    float a[1000], b[1000];
    adi_kernel_fill(a, 1000, 42, 2);
    adi_kernel_fill(b, 1000, 42, 2);
    assert_memory_equal(a, b, sizeof a);
    double sum = 0;
    for (int i = 0; i < 1000; i++) {
        assert_true(a[i] >= -2 && a[i] < 2);
        sum += a[i];
    }
    assert_true(fabs(sum / 1000) < 0.2); /* mean 0, standard error 0.037 */
    adi_kernel_fill(b, 1000, 43, 2);
    assert_true(memcmp(a, b, sizeof a) != 0);
}

int main(void)
{
    adi_blas_single_thread();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(im2col_by_hand),
        cmocka_unit_test(bands_equal_whole),
        cmocka_unit_test(checksum_and_stream),
        cmocka_unit_test(gemms),
        cmocka_unit_test(conv_shapes),
        cmocka_unit_test(checks_refuse_wrong_results),
        cmocka_unit_test(x2_exact),
        cmocka_unit_test(fill_is_reproducible),
        cmocka_unit_test(io_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
