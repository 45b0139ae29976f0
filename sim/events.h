/*
** sim/events.h — the event list: a binary min-heap of (time, seq) keys.
**
** Ties: events at the same simulated time come out in the order they were
** scheduled (seq is a global counter), the rule SimGrid and SimPy follow, so
** a run is fully determined by its inputs and comparable to theirs.
**
** Cost: push and pop are O(log k) for k pending events. The simulator keeps
** at most one pending event per device plus two for the producer, so k is
** n + 2 whatever the number of tasks. Entries are moved, not swapped, while
** sifting, and the smaller child is chosen without a branch. The functions
** are inline because they are the simulator's innermost loop.
**
** Entries are 16 bytes: the time and one tag word, seq << shift | kind <<
** who_bits | who, with who_bits as many as the largest `who` the list is
** made for needs (4 for 16 devices) and 4 for the kind. Since seq is unique
** and in the high bits, the tag orders as seq does, and (time, tag) is one
** 128-bit key. 24-byte entries (seq, kind and who apart) took 7 % longer on
** exponential pull over 16 devices (0.246 s against 0.230 s of CPU for 10^7
** tasks, medians of 11 interleaved runs), the sift moving a third more bytes.
** The seq field has 64 - shift bits (56 for 16 devices, 28 at worst): when
** it runs out, the pending events are renumbered 0, 1, ... in their order
** (a monotone map, so the heap and every later comparison are unchanged)
** and counting goes on from there. That costs O(k log k) once per
** 2^(64 - shift) events, never in practice below millions of devices.
**
** Measured and rejected (10^7 tasks, deterministic pull): a 4-ary heap, 0.37 s
** against 0.34 s on 16 devices and equal on 256 to 4096; a tournament tree
** over one slot per device (each completion replays its leaf's path), 0.41
** against 0.32 s on 16 devices, 0.71 against 0.62 s on 1024: its full path of
** dependent loads costs more than a sift that usually stops early.
*/
#ifndef ADI_SIM_EVENTS_H
#define ADI_SIM_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct adi_event {
    double time;   /* seconds */
    uint64_t tag;  /* seq << shift | kind << who_bits | who (read with the accessors) */
} adi_event;

#define ADI_EVENT_KIND_BITS 4 /* kinds 0 to 15 */

typedef struct adi_events {
    adi_event *heap;
    uint64_t *scratch;  /* [cap]: the tags, sorted, while renumbering */
    size_t len, cap;
    uint64_t next_seq;
    uint64_t seq_limit; /* 2^(64 - shift): renumber when next_seq reaches it (tests may
                           lower it to exercise the renumbering) */
    unsigned who_bits, shift;
} adi_events;

/* Empty list with room for cap events (it grows as needed), for events
** whose `who` is at most max_who. 0 or -1. */
static inline int adi_events_init(adi_events *q, size_t cap, uint32_t max_who)
{
    q->len = 0;
    q->next_seq = 0;
    q->who_bits = 1;
    while (q->who_bits < 32 && (max_who >> q->who_bits) != 0)
        q->who_bits++;
    q->shift = q->who_bits + ADI_EVENT_KIND_BITS;
    q->seq_limit = UINT64_C(1) << (64 - q->shift);
    q->cap = cap < 4 ? 4 : cap;
    q->heap = malloc(q->cap * sizeof *q->heap);
    q->scratch = malloc(q->cap * sizeof *q->scratch);
    if (q->heap && q->scratch)
        return 0;
    free(q->heap);
    free(q->scratch);
    q->heap = NULL;
    q->scratch = NULL;
    return -1;
}

static inline void adi_events_free(adi_events *q)
{
    free(q->heap);
    free(q->scratch);
    q->heap = NULL;
    q->scratch = NULL;
    q->len = q->cap = 0;
}

static inline uint32_t adi_event_who(const adi_events *q, adi_event e)
{
    return (uint32_t)(e.tag & ((UINT64_C(1) << q->who_bits) - 1));
}

static inline uint32_t adi_event_kind(const adi_events *q, adi_event e)
{
    return (uint32_t)(e.tag >> q->who_bits) & ((1u << ADI_EVENT_KIND_BITS) - 1);
}

/* Its place in the scheduling order among the events pending. */
static inline uint64_t adi_event_seq(const adi_events *q, adi_event e)
{
    return e.tag >> q->shift;
}

/* The pending events' seqs become 0 .. len-1 in their order (events.c). */
void adi_events_renumber(adi_events *q);

/* The next event's tag. */
static inline uint64_t adi_events_tag(adi_events *q, uint32_t kind, uint32_t who)
{
    if (q->next_seq == q->seq_limit)
        adi_events_renumber(q);
    return q->next_seq++ << q->shift | (uint64_t)kind << q->who_bits | who;
}

/* (time, seq) as one unsigned integer. Times are >= 0 and not NaN, and
** non-negative doubles order exactly like their bit patterns, so comparing
** the keys compares (time, seq) lexicographically without a branch. */
#if defined(__SIZEOF_INT128__)
typedef unsigned __int128 adi_event_key;
static inline adi_event_key adi_event_key_of(const adi_event *e)
{
    uint64_t bits;
    memcpy(&bits, &e->time, sizeof bits);
    return (adi_event_key)bits << 64 | e->tag;
}
static inline int adi_event_before(const adi_event *a, const adi_event *b)
{
    return adi_event_key_of(a) < adi_event_key_of(b);
}
#else
static inline int adi_event_before(const adi_event *a, const adi_event *b)
{
    return a->time < b->time || (a->time == b->time && a->tag < b->tag);
}
#endif

/* Schedules an event; returns 0, or -1 when out of memory. */
static inline int adi_events_push(adi_events *q, double time, uint32_t kind,
                                  uint32_t who)
{
    if (q->len == q->cap) {
        adi_event *h = realloc(q->heap, 2 * q->cap * sizeof *h);
        if (!h)
            return -1;
        q->heap = h;
        uint64_t *t = realloc(q->scratch, 2 * q->cap * sizeof *t);
        if (!t)
            return -1;
        q->scratch = t;
        q->cap *= 2;
    }
    adi_event e = {time, adi_events_tag(q, kind, who)};
    size_t i = q->len++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!adi_event_before(&e, &q->heap[parent]))
            break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = e;
    return 0;
}

/* Puts e at the root's place and sifts it down (the root is overwritten). */
static inline void adi_events_sift_root(adi_events *q, adi_event e)
{
    size_t i = 0, n = q->len;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        /* Branch-free choice of the smaller child (which one is random). */
        child += child + 1 < n && adi_event_before(&q->heap[child + 1], &q->heap[child]);
        if (!adi_event_before(&q->heap[child], &e))
            break;
        q->heap[i] = q->heap[child];
        i = child;
    }
    if (n)
        q->heap[i] = e;
}

/* Removes and returns the earliest event. The list must not be empty. */
static inline adi_event adi_events_pop(adi_events *q)
{
    adi_event top = q->heap[0];
    q->len--;
    adi_events_sift_root(q, q->heap[q->len]);
    return top;
}

/* Replaces the earliest event by a new one: a pop followed by a push in one
** sift (the simulator's commonest step: a device finishes and schedules its
** next completion). The new event gets the next seq, as with push. */
static inline void adi_events_replace_top(adi_events *q, double time, uint32_t kind,
                                          uint32_t who)
{
    adi_event e = {time, adi_events_tag(q, kind, who)};
    adi_events_sift_root(q, e);
}

#endif
