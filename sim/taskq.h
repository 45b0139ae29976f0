/*
** sim/taskq.h — a FIFO of tasks, stored as run-length segments.
**
** A task is two timestamps: when it was created and when it entered the
** queue. Tasks pushed in a regular pattern share one segment: all m tasks of
** a batch submitted at t = 0 are one segment, and a producer that submits
** every c seconds without blocking extends one segment per stretch. So the
** queue's memory is O(segments), not O(tasks): a batch of 10^8 tasks costs
** one 40-byte entry. Irregular tasks (Poisson arrivals) take one segment each.
**
** The enqueue time of the k-th task of a segment is base + (first + k) *
** step, evaluated exactly as the producer evaluates it (see sim.c), so the
** compression never changes a result.
*/
#ifndef ADI_SIM_TASKQ_H
#define ADI_SIM_TASKQ_H

#include <stddef.h>
#include <stdint.h>

typedef struct adi_task {
    double created;  /* seconds: when the task came into being */
    double enqueued; /* seconds: when it entered the (bounded) queue */
} adi_task;

typedef struct adi_taskq_seg {
    double created;  /* shared by all tasks of the segment */
    double base;     /* enqueue time of index i is base + i * step */
    double step;
    uint64_t first;  /* index of the segment's oldest task */
    uint64_t count;  /* tasks left in the segment */
} adi_taskq_seg;

typedef struct adi_taskq {
    adi_taskq_seg *ring; /* capacity is a power of two */
    size_t head, nseg, cap;
    uint64_t len;        /* tasks in the queue */
} adi_taskq;

void adi_taskq_init(adi_taskq *q);
void adi_taskq_free(adi_taskq *q);

/* n empty queues (one per device, for policies that keep them), or NULL
** when out of memory; freed with adi_taskq_array_free (q may be NULL). */
adi_taskq *adi_taskq_array_new(size_t n);
void adi_taskq_array_free(adi_taskq *q, size_t n);

/* Appends the task (created, base + index * step). With step == 0 the task's
** enqueue time is base and index is ignored. Returns 0, or -1 when out of
** memory (the queue is unchanged). */
int adi_taskq_push(adi_taskq *q, double created, double base, double step,
                   uint64_t index);

/* Appends count identical tasks (created, enqueued). 0 or -1. */
int adi_taskq_push_many(adi_taskq *q, double created, double enqueued,
                        uint64_t count);

/* The oldest task, left in the queue. The queue must not be empty. */
static inline adi_task adi_taskq_peek(const adi_taskq *q)
{
    const adi_taskq_seg *s = &q->ring[q->head];
    return (adi_task){s->created, s->step == 0 ? s->base : s->base + (double)s->first * s->step};
}

/* Removes the oldest task. The queue must not be empty. */
static inline adi_task adi_taskq_pop(adi_taskq *q)
{
    adi_taskq_seg *s = &q->ring[q->head];
    adi_task t = {s->created,
                  s->step == 0 ? s->base : s->base + (double)s->first * s->step};
    s->first++;
    q->len--;
    if (--s->count == 0) {
        q->head = (q->head + 1) & (q->cap - 1);
        q->nseg--;
    }
    return t;
}

#endif
