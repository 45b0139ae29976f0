/*
** tests/test_buffers.c — a task's buffers do not overlap, can be written
** end to end (ASan would catch an overrun), and start at different offsets
** within a page, buffer k at k KiB (kernels/buffers.h says why).
*/
#include "helpers.h"

#include "kernels/buffers.h"

#include <stdint.h>

static size_t in_page(const float *p)
{
    return (size_t)((uintptr_t)p % 4096);
}

static void staggered_and_disjoint(void **state)
{
    (void)state;
    /* lengths that are, and are not, whole pages */
    const size_t lengths[][4] = {{1024, 1, 4096, 1000}, {4194304, 36864, 4194304, 589824},
                                 {3, 5, 7, 11}};
    for (size_t t = 0; t < 3; t++) {
        const size_t *n = lengths[t];
        adi_task_buffers b;
        assert_int_equal(adi_task_buffers_alloc(&b, n[0], n[1], n[2], n[3]), 0);
        float *buf[4] = {b.in, b.w, b.out, b.col};
        for (int k = 0; k < 4; k++) {
            assert_non_null(buf[k]);
            assert_int_equal(in_page(buf[k]), (size_t)k * 1024);
            for (size_t i = 0; i < n[k]; i++)
                buf[k][i] = (float)k;
        }
        for (int k = 0; k < 4; k++) { /* nothing written later overwrote it */
            assert_true(buf[k][0] == (float)k && buf[k][n[k] - 1] == (float)k);
            for (int l = 0; l < 4; l++)
                if (l != k)
                    assert_true(buf[l] + n[l] <= buf[k] || buf[k] + n[k] <= buf[l]);
        }
        adi_task_buffers_free(&b);
        assert_null(b.block);
        adi_task_buffers_free(&b); /* twice is harmless */
    }
}

static void absent_buffers_are_null(void **state)
{
    (void)state;
    adi_task_buffers b; /* x2: input and output only */
    assert_int_equal(adi_task_buffers_alloc(&b, 98304, 0, 98304, 0), 0);
    assert_non_null(b.in);
    assert_non_null(b.out);
    assert_null(b.w);
    assert_null(b.col);
    assert_int_equal(in_page(b.out), 2048);
    adi_task_buffers_free(&b);
    assert_int_equal(adi_task_buffers_alloc(&b, SIZE_MAX / 2, 0, 1, 0), -1);
    assert_null(b.block);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(staggered_and_disjoint),
        cmocka_unit_test(absent_buffers_are_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
