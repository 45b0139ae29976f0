/*
** sim/events.c — renumbering the event list's seqs when their field runs
** out (see events.h). Cost: O(k log k) for k pending events, once per
** 2^(64 - shift) events scheduled; memory: the list's own scratch array.
*/
#include "sim/events.h"

static int cmp_tag(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Index of tag in sorted[0..n), which holds it. */
static size_t rank_of(const uint64_t *sorted, size_t n, uint64_t tag)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] <= tag)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void adi_events_renumber(adi_events *q)
{
    /* Tags are unique and order as their seqs do, so a tag's rank among
    ** the pending ones is its new seq; the low bits (kind, who) stay. */
    uint64_t low = (UINT64_C(1) << q->shift) - 1;
    for (size_t i = 0; i < q->len; i++)
        q->scratch[i] = q->heap[i].tag;
    qsort(q->scratch, q->len, sizeof *q->scratch, cmp_tag);
    for (size_t i = 0; i < q->len; i++) {
        uint64_t r = rank_of(q->scratch, q->len, q->heap[i].tag);
        q->heap[i].tag = r << q->shift | (q->heap[i].tag & low);
    }
    q->next_seq = q->len;
}
