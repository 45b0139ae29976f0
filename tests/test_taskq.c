/*
** tests/test_taskq.c — the segment FIFO returns exactly the tasks a plain
** array FIFO returns, on random sequences mixing single pushes, arithmetic
** stretches and bulk pushes; and a batch costs one segment.
*/
#include "helpers.h"

#include "sim/taskq.h"

static void against_plain_fifo(void **state)
{
    (void)state;
    adi_taskq q;
    adi_taskq_init(&q);
    size_t cap = 1 << 20, head = 0, tail = 0;
    adi_task *ref = malloc(cap * sizeof *ref);
    srand(11);
    double base = 0, step = 0.25;
    uint64_t index = 0;
    for (int op = 0; op < 300000; op++) {
        int r = rand() % 100;
        if (r < 30 && tail < cap) { /* continue an arithmetic stretch */
            index++;
            double t = base + (double)index * step;
            assert_int_equal(adi_taskq_push(&q, 0, base, step, index), 0);
            ref[tail++] = (adi_task){0, t};
        } else if (r < 35) { /* start a new stretch */
            base += 1.5;
            index = 0;
        } else if (r < 50 && tail < cap) { /* an irregular task */
            double c = (double)(rand() % 1000);
            assert_int_equal(adi_taskq_push(&q, c, c + 1, 0, 0), 0);
            ref[tail++] = (adi_task){c, c + 1};
        } else if (r < 52 && tail + 50 < cap) {
            assert_int_equal(adi_taskq_push_many(&q, 3, 4, 50), 0);
            for (int k = 0; k < 50; k++)
                ref[tail++] = (adi_task){3, 4};
        } else if (head < tail) {
            adi_task t = adi_taskq_pop(&q), e = ref[head++];
            assert_true(t.created == e.created);
            assert_true(t.enqueued == e.enqueued);
        }
        assert_int_equal(q.len, tail - head);
    }
    free(ref);
    adi_taskq_free(&q);
}

static void batch_is_one_segment(void **state)
{
    (void)state;
    adi_taskq q;
    adi_taskq_init(&q);
    for (int i = 0; i < 1000000; i++)
        assert_int_equal(adi_taskq_push(&q, 0, 0, 0, 0), 0);
    assert_int_equal(q.nseg, 1);
    for (uint64_t j = 1; j <= 1000; j++)
        assert_int_equal(adi_taskq_push(&q, 0, 7, 0.5, j), 0);
    assert_int_equal(q.nseg, 2);
    assert_int_equal(q.len, 1001000);
    adi_taskq_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(against_plain_fifo),
        cmocka_unit_test(batch_is_one_segment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
