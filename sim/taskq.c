/*
** sim/taskq.c — growth and appending for the segment FIFO (see taskq.h).
*/
#include "sim/taskq.h"

#include <stdlib.h>
#include <string.h>

void adi_taskq_init(adi_taskq *q)
{
    memset(q, 0, sizeof *q);
}

void adi_taskq_free(adi_taskq *q)
{
    free(q->ring);
    memset(q, 0, sizeof *q);
}

adi_taskq *adi_taskq_array_new(size_t n)
{
    adi_taskq *q = malloc((n ? n : 1) * sizeof *q);
    for (size_t i = 0; q && i < n; i++)
        adi_taskq_init(&q[i]);
    return q;
}

void adi_taskq_array_free(adi_taskq *q, size_t n)
{
    for (size_t i = 0; q && i < n; i++)
        adi_taskq_free(&q[i]);
    free(q);
}

static int grow(adi_taskq *q)
{
    size_t cap = q->cap ? 2 * q->cap : 8;
    adi_taskq_seg *r = malloc(cap * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < q->nseg; i++)
        r[i] = q->ring[(q->head + i) & (q->cap - 1)];
    free(q->ring);
    q->ring = r;
    q->cap = cap;
    q->head = 0;
    return 0;
}

static adi_taskq_seg *last_segment(adi_taskq *q)
{
    return q->nseg ? &q->ring[(q->head + q->nseg - 1) & (q->cap - 1)] : NULL;
}

static int append(adi_taskq *q, adi_taskq_seg seg)
{
    if (q->nseg == q->cap && grow(q) != 0)
        return -1;
    q->ring[(q->head + q->nseg) & (q->cap - 1)] = seg;
    q->nseg++;
    q->len += seg.count;
    return 0;
}

int adi_taskq_push(adi_taskq *q, double created, double base, double step,
                   uint64_t index)
{
    adi_taskq_seg *s = last_segment(q);
    if (s && s->created == created && s->base == base && s->step == step &&
        (step == 0 || s->first + s->count == index)) {
        s->count++;
        q->len++;
        return 0;
    }
    adi_taskq_seg seg = {created, base, step, step == 0 ? 0 : index, 1};
    return append(q, seg);
}

int adi_taskq_push_many(adi_taskq *q, double created, double enqueued,
                        uint64_t count)
{
    if (count == 0)
        return 0;
    adi_taskq_seg *s = last_segment(q);
    if (s && s->created == created && s->base == enqueued && s->step == 0) {
        s->count += count;
        q->len += count;
        return 0;
    }
    adi_taskq_seg seg = {created, enqueued, 0, 0, count};
    return append(q, seg);
}
