/*
** sim/policy_static.c — static partitioning: task k goes to device k mod n,
** fixed when the producer puts it, and each device works through its own
** FIFO. Counts are equal (they differ by at most one); there is no
** rebalancing, so a fast device idles while a slow one still has work.
** Capacity Q bounds the waiting tasks of all devices together, so a full
** system can block the producer even when the next task's device has an
** empty queue (head-of-line blocking, as with a real round-robin
** dispatcher). A task that goes straight into service does not wait, so Q
** does not limit it: the producer holding a task for device d puts it as
** soon as d is idle or a slot frees, whichever comes first (room() below;
** before, it waited for a slot while d idled). O(1) per task, one queue
** header per device.
*/
#include "core/error.h"
#include "sim/sim_int.h"

#include <stdlib.h>

typedef struct partition {
    adi_taskq *queue;    /* [n] */
    unsigned char *busy; /* [n] */
    size_t next;         /* device of the next task */
} partition;

static void static_free(adi_sim *s)
{
    partition *p = s->policy;
    if (!p)
        return;
    if (p->queue)
        for (size_t d = 0; d < s->n; d++)
            adi_taskq_free(&p->queue[d]);
    free(p->queue);
    free(p->busy);
    free(p);
    s->policy = NULL;
}

static int static_init(adi_sim *s)
{
    partition *p = calloc(1, sizeof *p);
    s->policy = p;
    if (p) {
        p->queue = calloc(s->n, sizeof *p->queue);
        p->busy = calloc(s->n, 1);
    }
    if (!p || !p->queue || !p->busy) {
        static_free(s);
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", s->n);
    }
    return ADI_OK;
}

static int static_offer(adi_sim *s, adi_task t)
{
    partition *p = s->policy;
    size_t d = p->next;
    if (!p->busy[d]) {
        p->busy[d] = 1;
        if (adi_sim_start(s, d, t) != 0)
            return -1;
    } else {
        if (s->waiting >= s->cfg->capacity)
            return 0; /* the task stays destined for d */
        if (adi_sim_enqueue(s, &p->queue[d], t) != 0)
            return -1;
        adi_sim_waiting_up(s);
    }
    p->next = d + 1 == s->n ? 0 : d + 1;
    return 1;
}

static int static_device_free(adi_sim *s, size_t d)
{
    partition *p = s->policy;
    if (p->queue[d].len == 0) {
        p->busy[d] = 0;
        return 0;
    }
    adi_task t = adi_taskq_pop(&p->queue[d]);
    s->waiting--;
    return adi_sim_start(s, d, t);
}

/* The held task's device is idle, or a slot is free. */
static int static_room(const adi_sim *s)
{
    const partition *p = s->policy;
    return !p->busy[p->next] || s->waiting < s->cfg->capacity;
}

const adi_policy_ops adi_policy_static_ops = {static_init, static_free, static_offer,
                                              static_device_free, NULL, static_room};
