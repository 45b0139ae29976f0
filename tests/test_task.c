/*
** tests/test_task.c — kernels/task.h: a task's data are calibrate's (the
** checksums tests/helpers.h computes from the kernels alone), its check
** counts what it compares and catches a wrong output, a failing GEMM and a
** task too large are refused with their messages.
*/
#include "helpers.h"

#include "kernels/task.h"

static void same_data_and_outputs_as_the_kernels(void **state)
{
    (void)state;
    adi_conv_shape x2 = {.batch = 4, .in_c = 3, .out_c = 3, .h = 32, .w = 32};
    adi_task t;
    size_t checked;
    assert_int_equal(adi_task_init(&t, ADI_KERNEL_X2, &x2, NULL), ADI_OK);
    assert_int_equal(t.n_in, 4 * 3 * 32 * 32);
    assert_int_equal(t.n_w + t.n_col, 0);
    assert_int_equal(adi_task_prepare(&t, 1, &checked), ADI_OK);
    assert_int_equal(checked, t.n_in); /* every output, exactly */
    assert_true(adi_task_checksum(&t) == reference_x2_checksum(4));
    assert_true(adi_task_work(&t) == 8.0 * 4 * 3 * 32 * 32);
    adi_task_free(&t);
    adi_task_free(&t); /* twice is harmless */

    adi_conv_shape conv = {.batch = 3, .in_c = 5, .out_c = 7, .h = 9, .w = 6};
    assert_int_equal(adi_task_init(&t, ADI_KERNEL_CONV, &conv, adi_gemm_plain), ADI_OK);
    assert_int_equal(t.n_col, 5 * 9 * 9 * 6);
    assert_int_equal(adi_task_prepare(&t, 1, &checked), ADI_OK);
    /* 1134 outputs: stride 1 (1134 / 16384 | 1), so all of them */
    assert_int_equal(checked, 3 * 7 * 9 * 6);
    assert_true(adi_task_checksum(&t) == reference_conv_checksum(&conv));
    assert_true(adi_task_work(&t) == adi_conv_flops(&conv));
    /* running again gives the same outputs */
    uint64_t first = adi_task_checksum(&t);
    assert_int_equal(adi_task_run(&t), 0);
    assert_true(adi_task_checksum(&t) == first);
    adi_task_free(&t);

    /* another seed, other data */
    assert_int_equal(adi_task_init(&t, ADI_KERNEL_CONV, &conv, adi_gemm_plain), ADI_OK);
    assert_int_equal(adi_task_prepare(&t, 3, NULL), ADI_OK);
    assert_true(adi_task_checksum(&t) != first);
    adi_task_free(&t);
}

/* Image 0 whole, then every stride-th output: counted as compared. */
static void check_counts_and_catches(void **state)
{
    (void)state;
    adi_conv_shape s = {.batch = 64, .in_c = 3, .out_c = 64, .h = 32, .w = 32}; /* the stem */
    adi_task t;
    size_t checked, n_out = 64 * 64 * 32 * 32, stride = n_out / 16384 | 1, first = 64 * 32 * 32;
    assert_int_equal(adi_task_init(&t, ADI_KERNEL_CONV, &s, adi_gemm_plain), ADI_OK);
    assert_int_equal(adi_task_prepare(&t, 1, &checked), ADI_OK);
    size_t expect = first;
    for (size_t i = first; i < n_out; i++)
        expect += i % stride == 0;
    assert_int_equal(checked, expect);
    /* an output the check compares, made wrong */
    t.buf.out[stride * (first / stride + 1)] += 1.0f;
    assert_int_equal(adi_task_check(&t, &checked), 1);
    adi_task_free(&t);

    adi_conv_shape x = {.batch = 1, .in_c = 3, .out_c = 3, .h = 32, .w = 32};
    assert_int_equal(adi_task_init(&t, ADI_KERNEL_X2, &x, NULL), ADI_OK);
    assert_int_equal(adi_task_prepare(&t, 1, NULL), ADI_OK);
    t.buf.out[100] = 0;
    t.buf.out[2000] *= 1.0000001f;
    assert_int_equal(adi_task_check(&t, &checked), 2);
    adi_task_free(&t);
}

static int failing_gemm(void *ctx, size_t m, size_t n, size_t k, const float *a, const float *b,
                        float *c)
{
    (void)ctx, (void)m, (void)n, (void)k, (void)a, (void)b, (void)c;
    return 1;
}

/* Multiplies right but leaves the last output of each image at 0. */
static int sloppy_gemm(void *ctx, size_t m, size_t n, size_t k, const float *a, const float *b,
                       float *c)
{
    int rc = adi_gemm_plain(ctx, m, n, k, a, b, c);
    c[m * n - 1] = 0;
    return rc;
}

static void refusals(void **state)
{
    (void)state;
    adi_conv_shape s = {.batch = 2, .in_c = 4, .out_c = 4, .h = 5, .w = 5};
    adi_task t;
    assert_int_equal(adi_task_init(&t, ADI_KERNEL_CONV, &s, failing_gemm), ADI_OK);
    assert_int_equal(adi_task_prepare(&t, 1, NULL), ADI_EINTERNAL);
    assert_string_equal(adi_errmsg(), "the BLAS GEMM failed");
    adi_task_free(&t);
    assert_int_equal(adi_task_init(&t, ADI_KERNEL_CONV, &s, sloppy_gemm), ADI_OK);
    assert_int_equal(adi_task_prepare(&t, 1, NULL), ADI_EINTERNAL);
    assert_string_equal(adi_errmsg(), "2 of 200 checked outputs differ from the direct "
                                      "convolution: refusing to report a time for a wrong result");
    adi_task_free(&t);
    /* 65536 images of 64 x 64 x 32 floats: 8 GiB of input */
    adi_conv_shape big = {.batch = 65536, .in_c = 64, .out_c = 64, .h = 32, .w = 32};
    assert_int_equal(adi_task_init(&t, ADI_KERNEL_CONV, &big, adi_gemm_plain), ADI_EINPUT);
    assert_string_equal(adi_errmsg(), "conv: a task this large needs buffers over 1 GiB");
    assert_null(t.buf.block);
    adi_task_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_data_and_outputs_as_the_kernels),
        cmocka_unit_test(check_counts_and_catches),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
