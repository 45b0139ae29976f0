/*
** tests/test_events.c — the event heap "always tells the truth": random
** pushes and pops are compared with a naive list that is searched linearly,
** and equal times come out in the order they were scheduled.
*/
#include "helpers.h"

#include "sim/events.h"

typedef struct naive {
    adi_event e[4096];
    size_t n;
    uint64_t seq;
} naive;

static adi_event naive_pop(naive *q)
{
    size_t best = 0;
    /* Its own comparison, not the heap's: earliest time, then lowest seq. */
    for (size_t i = 1; i < q->n; i++)
        if (q->e[i].time < q->e[best].time ||
            (q->e[i].time == q->e[best].time && q->e[i].seq < q->e[best].seq))
            best = i;
    adi_event e = q->e[best];
    q->e[best] = q->e[--q->n];
    return e;
}

static void against_naive_oracle(void **state)
{
    (void)state;
    adi_events q;
    static naive ref;
    ref.n = 0;
    ref.seq = 0;
    assert_int_equal(adi_events_init(&q, 1), 0);
    srand(7);
    for (int op = 0; op < 200000; op++) {
        int push = ref.n == 0 || (ref.n < 4000 && rand() % 100 < 55);
        if (push) {
            /* Few distinct times, so ties are frequent. */
            double t = (double)(rand() % 50) * 0.5;
            uint32_t who = (uint32_t)rand();
            assert_int_equal(adi_events_push(&q, t, 1, who), 0);
            ref.e[ref.n++] = (adi_event){t, ref.seq++, 1, who};
        } else {
            adi_event a = adi_events_pop(&q), b = naive_pop(&ref);
            assert_true(a.time == b.time);
            assert_int_equal(a.seq, b.seq);
            assert_int_equal(a.who, b.who);
        }
        assert_int_equal(q.len, ref.n);
    }
    adi_events_free(&q);
}

static void ties_in_scheduling_order(void **state)
{
    (void)state;
    adi_events q;
    assert_int_equal(adi_events_init(&q, 2), 0);
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(adi_events_push(&q, i % 2 ? 1.0 : 2.0, 0, i), 0);
    for (uint32_t i = 1; i < 100; i += 2)
        assert_int_equal(adi_events_pop(&q).who, i); /* all t = 1, in push order */
    for (uint32_t i = 0; i < 100; i += 2)
        assert_int_equal(adi_events_pop(&q).who, i);
    assert_int_equal(q.len, 0);
    adi_events_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(against_naive_oracle),
        cmocka_unit_test(ties_in_scheduling_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
