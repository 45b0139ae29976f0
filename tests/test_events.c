/*
** tests/test_events.c — the event heap "always tells the truth": random
** pushes and pops are compared with a naive list that is searched linearly,
** also while the seqs are renumbered again and again (a lowered limit), and
** equal times come out in the order they were scheduled.
*/
#include "helpers.h"

#include "sim/events.h"

/* The naive list's own event: seq, kind and who apart. */
typedef struct plain {
    double time;
    uint64_t seq;
    uint32_t kind, who;
} plain;

typedef struct naive {
    plain e[4096];
    size_t n;
    uint64_t seq;
} naive;

static plain naive_pop(naive *q)
{
    size_t best = 0;
    /* Its own comparison, not the heap's: earliest time, then lowest seq. */
    for (size_t i = 1; i < q->n; i++)
        if (q->e[i].time < q->e[best].time ||
            (q->e[i].time == q->e[best].time && q->e[i].seq < q->e[best].seq))
            best = i;
    plain e = q->e[best];
    q->e[best] = q->e[--q->n];
    return e;
}

/* Random pushes and pops against the naive list; limit 0 keeps the heap's
** own seq limit, another lowers it so that the pending events are
** renumbered every `limit` events. */
static void against_naive(uint32_t max_who, uint64_t limit, int ops)
{
    adi_events q;
    static naive ref;
    ref.n = 0;
    ref.seq = 0;
    assert_int_equal(adi_events_init(&q, 1, max_who), 0);
    if (limit)
        q.seq_limit = limit;
    uint64_t renumbered = 0;
    for (int op = 0; op < ops; op++) {
        int push = ref.n == 0 || (ref.n < 4000 && rand() % 100 < 55);
        if (push) {
            /* Few distinct times, so ties are frequent. */
            double t = (double)(rand() % 50) * 0.5;
            uint32_t who = max_who == UINT32_MAX ? (uint32_t)rand() * 2u + (uint32_t)(rand() & 1)
                                                 : (uint32_t)rand() % (max_who + 1);
            uint32_t kind = (uint32_t)rand() % (1u << ADI_EVENT_KIND_BITS);
            renumbered += q.next_seq == q.seq_limit;
            assert_int_equal(adi_events_push(&q, t, kind, who), 0);
            ref.e[ref.n++] = (plain){t, ref.seq++, kind, who};
        } else {
            adi_event a = adi_events_pop(&q);
            plain b = naive_pop(&ref);
            assert_true(a.time == b.time);
            assert_int_equal(adi_event_who(&q, a), b.who);
            assert_int_equal(adi_event_kind(&q, a), b.kind);
            assert_true(adi_event_seq(&q, a) < q.next_seq);
            if (!limit)
                assert_int_equal(adi_event_seq(&q, a), b.seq);
        }
        assert_int_equal(q.len, ref.n);
    }
    if (limit)
        assert_true(renumbered > 10);
    adi_events_free(&q);
}

static void against_naive_oracle(void **state)
{
    (void)state;
    srand(7);
    against_naive(UINT32_MAX, 0, 200000); /* who of 32 bits: seqs of 28 */
    against_naive(15, 0, 100000);         /* 4 bits: 56 */
    against_naive(0, 0, 100000);
}

/* Renumbering is a monotone map of the pending seqs: the order of every
** later pop is the naive list's, whether the list holds a few events or
** thousands when it happens (the limit must exceed what is pending). */
static void renumbering_keeps_the_order(void **state)
{
    (void)state;
    srand(11);
    against_naive(1000, 4100, 300000);
    against_naive(UINT32_MAX, 5000, 100000);
    against_naive(3, 4097, 100000);
}

static void ties_in_scheduling_order(void **state)
{
    (void)state;
    adi_events q;
    assert_int_equal(adi_events_init(&q, 2, 99), 0);
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(adi_events_push(&q, i % 2 ? 1.0 : 2.0, 0, i), 0);
    for (uint32_t i = 1; i < 100; i += 2) /* all t = 1, in push order */
        assert_int_equal(adi_event_who(&q, adi_events_pop(&q)), i);
    for (uint32_t i = 0; i < 100; i += 2)
        assert_int_equal(adi_event_who(&q, adi_events_pop(&q)), i);
    assert_int_equal(q.len, 0);
    adi_events_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(against_naive_oracle),
        cmocka_unit_test(renumbering_keeps_the_order),
        cmocka_unit_test(ties_in_scheduling_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
