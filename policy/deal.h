/*
** policy/deal.h — dealing tasks to per-device queues by a split, one task
** at a time, in the order the split's list schedule runs them (weighted,
** steal_start).
**
** Weighted: device i's k-th task ends at k C_i (C_i its time per task), and
** the tasks go out in the order of those ends, ties to the lower index: the
** list schedule, so the first m tasks dealt are model/split.h's weighted
** split of m (adi_split_weighted's counts, whose makespan is C*), whatever
** m is, and a task dealt early is one the split runs early (a finite queue
** blocks on the device whose next task is due soonest). The ends are
** computed as products k C_i, as the model counts them. Equal: task k to
** device k mod n (static's round robin).
**
** Cost: a binary heap of the n devices keyed by their next end: O(log n)
** per task (equal: O(1)); O(n) memory.
*/
#ifndef ADI_POLICY_DEAL_H
#define ADI_POLICY_DEAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct adi_deal {
    size_t n;
    int weighted;     /* 1: by the list schedule of cycle; 0: round robin */
    double *cycle;    /* [n] s per task (owned copy) */
    uint64_t *dealt;  /* [n] tasks dealt to each */
    uint32_t *heap;   /* [n] devices, the one whose next end is earliest first */
    size_t next;      /* round robin: the next device */
} adi_deal;

/* cycle[0..n) > 0 (unused when weighted is 0). ADI_OK or ADI_ENOMEM. */
int adi_deal_init(adi_deal *d, const double *cycle, size_t n, int weighted);
void adi_deal_free(adi_deal *d);

/* The device the next task goes to (without taking it: adi_deal_take). */
size_t adi_deal_peek(const adi_deal *d);

/* Deals the next task: returns its device. */
size_t adi_deal_take(adi_deal *d);

#endif
