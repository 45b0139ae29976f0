/*
** sim/flow.c — progressive filling over the component a change touches
** (see flow.h for the model and the lazy clock).
**
** Data. Resources hold an array of the flows that cross them; a flow holds
** its path and, for each resource of it, its index in that array, so
** joining and leaving are O(path) swaps. Completion times live in an
** indexed binary heap keyed by (finish, start order).
**
** A change (a flow joins or leaves, a capacity changes) first gathers its
** component: a breadth-first walk from the changed resources through the
** flows on them to their other finite resources. Infinite resources are
** never walked through, so an infinite coordinator link does not tie every
** device together. Then progressive filling over the component: each
** resource r offers left_r / unfixed_r (capacity not yet given out over
** flows not yet fixed); the resource offering least saturates, every
** unfixed flow on it gets that rate, and the flows' other resources give
** it up. The next resource to saturate is found by scanning the offers
** when 32 or fewer resources offer, from a binary heap keyed by the offer
** when more do (see fill()). Equal offers saturate one after the other at the same
** level, as SimGrid's maxmin solver does (it fixes them in one round; the
** rates differ at most by rounding).
**
** The commonest changes need none of that: a flow that starts alone on
** every finite resource of its path (an idle device direction behind an
** infinite coordinator link) gets their least capacity, and a flow that
** leaves no one behind on them changes nobody's rate. Next commonest, a
** shared coordinator link: every flow of the component crosses one
** resource h, and every other resource they cross offers more than h's
** share, so h saturates first and all get cap_h / n_h. share_hub() checks
** that in one pass over h's flows (no walk, no offers to order) and gives
** the rates; anything else (a device's link below its share, a resource
** that also carries flows off h, a tie the filling breaks by index) goes
** to the filling. All of these give the bits the filling would
** (tests/test_flow.c compares rates bit for bit with a from-scratch
** oracle).
**
** Cost, for a component of F flows and R finite resources, with paths of
** length d <= ADI_FLOW_PATH_MAX: O(F d log R) for the filling (O(F d + R^2)
** with R <= 32 scanned), O(F d) for share_hub, plus O(log A) per flow
** whose rate changed (A active flows) for its completion time, or one
** O(A) rebuild of the completion heap when share_hub's hub carries a
** quarter of the active flows or more. Nothing else is touched. In a star
** with an infinite coordinator link, F is the number of transfers in
** flight on one device direction (two downloads at prefetch 1); with a
** finite one, F is every transfer of that direction (2.35 on average on
** bench_net's pull star, 16 or 32 on bench_flow's saturated one), and a
** change really does move all their rates. Measured (callgrind): 612
** instructions per transfer (a start and an end) on bench_flow's star
** behind an infinite coordinator link, 6 544 behind a shared 1 Gbit/s one
** (about 120 per flow and change; 781 and 12 603 before share_hub);
** bench_net's pull: 2 174 and 2 936 instructions per task, engine
** included. A class of flows at the hub's level sharing a virtual clock
** would make a level change O(log F), but not with these bits
** (docs/network.md, "What was weighed"). Memory: O(resources + the most
** flows active at once); flow slots are reused, never grown by the number
** of transfers over a run.
**
** Floating point. A flow's bytes left are updated only when its rate
** changes: left -= rate * (now - last), clamped at 0, and its completion
** time is now + left / rate: the quantities SimGrid's lazy CM02 model
** keeps (remains, last_update, now + remains / share). A flow whose rate
** comes out bit-identical is not touched, so a change elsewhere in its
** component adds no rounding to it.
*/
#include "sim/flow.h"

#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

typedef struct res {
    double cap;       /* bytes/s; INFINITY constrains nothing */
    uint32_t *flows;  /* ids of the active flows that cross it */
    uint32_t n, alloc;
    /* scratch of one filling */
    double left;      /* bytes/s not yet given out */
    double level;     /* left / unfixed: what it offers each unfixed flow */
    uint32_t unfixed; /* flows crossing it whose rate is not fixed yet */
    uint32_t hpos;    /* position in the level heap, or NONE */
    uint32_t seen;    /* scratch of share_hub: its flows that cross the hub */
    uint64_t mark;    /* the last gather (or share_hub) that reached it */
} res;

typedef struct flow {
    double left;      /* bytes left at time `last` */
    double last;      /* s: when `left` was last brought up to date */
    double rate;      /* bytes/s */
    double finish;    /* s: last + left / rate */
    double fill;      /* scratch: the rate the filling gives it, bytes/s */
    uint64_t seq;     /* start order: breaks ties between equal finishes */
    uint64_t tag;     /* the caller's */
    uint64_t mark;    /* the last gather that reached it */
    uint32_t path[ADI_FLOW_PATH_MAX];
    uint32_t slot[ADI_FLOW_PATH_MAX]; /* index in res[path[j]].flows */
    uint32_t len;     /* resources attached (0 for a flow of 0 bytes) */
    uint32_t hpos;    /* position in the completion heap; NONE: free slot */
    int fixed;        /* scratch: the filling fixed its rate */
} flow;

typedef struct done_entry {
    double finish;    /* s: the flow's completion time */
    uint64_t seq;     /* its start order */
    uint32_t id;
} done_entry;

struct adi_flownet {
    double now;        /* s */
    size_t nres;
    res *res;
    flow *flow;        /* slots [0, cap) */
    uint32_t cap;
    uint32_t *free_id; /* stack of free slots */
    uint32_t nfree;
    done_entry *done;  /* completion heap of the active flows */
    uint32_t active;
    uint64_t seq, epoch;
    /* scratch of one change */
    uint32_t *comp_res, *comp_flow, *lheap; /* [nres], [cap], [nres] */
    uint32_t ncomp_res, ncomp_flow, nlheap;
};

/* ---- the completion heap: (finish, seq) ------------------------------- */

/* Entries carry their keys, so sifting reads the heap array only. */
static int done_before(const done_entry *a, const done_entry *b)
{
    return a->finish < b->finish || (a->finish == b->finish && a->seq < b->seq);
}

static void done_place(adi_flownet *net, uint32_t pos, done_entry e)
{
    net->done[pos] = e;
    net->flow[e.id].hpos = pos;
}

static inline void done_up(adi_flownet *net, uint32_t pos)
{
    done_entry e = net->done[pos];
    while (pos > 0) {
        uint32_t parent = (pos - 1) / 2;
        if (!done_before(&e, &net->done[parent]))
            break;
        done_place(net, pos, net->done[parent]);
        pos = parent;
    }
    done_place(net, pos, e);
}

static inline void done_down(adi_flownet *net, uint32_t pos)
{
    done_entry e = net->done[pos];
    uint32_t n = net->active;
    for (;;) {
        uint32_t child = 2 * pos + 1;
        if (child >= n)
            break;
        if (child + 1 < n && done_before(&net->done[child + 1], &net->done[child]))
            child++;
        if (!done_before(&net->done[child], &e))
            break;
        done_place(net, pos, net->done[child]);
        pos = child;
    }
    done_place(net, pos, e);
}

/* The entry at pos may be out of order: up or down it goes. */
static inline void done_sift(adi_flownet *net, uint32_t pos)
{
    if (pos > 0 && done_before(&net->done[pos], &net->done[(pos - 1) / 2]))
        done_up(net, pos);
    else
        done_down(net, pos);
}

/* Flow id's completion time changed: its entry takes it and moves. */
static inline void done_fix(adi_flownet *net, uint32_t id)
{
    uint32_t pos = net->flow[id].hpos;
    net->done[pos].finish = net->flow[id].finish;
    done_sift(net, pos);
}

static void done_insert(adi_flownet *net, uint32_t id)
{
    const flow *f = &net->flow[id];
    done_place(net, net->active, (done_entry){f->finish, f->seq, id});
    done_up(net, net->active++);
}

static void done_remove(adi_flownet *net, uint32_t id)
{
    uint32_t pos = net->flow[id].hpos;
    done_entry last = net->done[--net->active];
    net->flow[id].hpos = NONE;
    if (last.id != id) {
        done_place(net, pos, last);
        done_sift(net, pos);
    }
}

/* ---- the level heap of one filling: (left / unfixed, resource) -------- */

static int level_before(const adi_flownet *net, uint32_t a, uint32_t b)
{
    double x = net->res[a].level, y = net->res[b].level;
    return x < y || (x == y && a < b);
}

static void level_place(adi_flownet *net, uint32_t pos, uint32_t r)
{
    net->lheap[pos] = r;
    net->res[r].hpos = pos;
}

static void level_up(adi_flownet *net, uint32_t pos)
{
    uint32_t r = net->lheap[pos];
    while (pos > 0) {
        uint32_t parent = (pos - 1) / 2;
        if (!level_before(net, r, net->lheap[parent]))
            break;
        level_place(net, pos, net->lheap[parent]);
        pos = parent;
    }
    level_place(net, pos, r);
}

static void level_down(adi_flownet *net, uint32_t pos)
{
    uint32_t r = net->lheap[pos], n = net->nlheap;
    for (;;) {
        uint32_t child = 2 * pos + 1;
        if (child >= n)
            break;
        if (child + 1 < n && level_before(net, net->lheap[child + 1], net->lheap[child]))
            child++;
        if (!level_before(net, net->lheap[child], r))
            break;
        level_place(net, pos, net->lheap[child]);
        pos = child;
    }
    level_place(net, pos, r);
}

static void level_sift(adi_flownet *net, uint32_t pos)
{
    if (pos > 0 && level_before(net, net->lheap[pos], net->lheap[(pos - 1) / 2]))
        level_up(net, pos);
    else
        level_down(net, pos);
}

static void level_remove(adi_flownet *net, uint32_t r)
{
    uint32_t pos = net->res[r].hpos, last = net->lheap[--net->nlheap];
    net->res[r].hpos = NONE;
    if (last != r) {
        level_place(net, pos, last);
        level_sift(net, pos);
    }
}

/* ---- gathering a component --------------------------------------------- */

static void add_res(adi_flownet *net, uint32_t r)
{
    res *q = &net->res[r];
    if (q->mark == net->epoch || isinf(q->cap))
        return;
    q->mark = net->epoch;
    net->comp_res[net->ncomp_res++] = r;
}

static void add_flow(adi_flownet *net, uint32_t id)
{
    flow *f = &net->flow[id];
    if (f->mark == net->epoch)
        return;
    f->mark = net->epoch;
    net->comp_flow[net->ncomp_flow++] = id;
    for (uint32_t j = 0; j < f->len; j++)
        add_res(net, f->path[j]);
}

/* Walks from the seeds (already added) to their whole component. */
static void gather(adi_flownet *net)
{
    for (uint32_t i = 0; i < net->ncomp_res; i++) {
        const res *q = &net->res[net->comp_res[i]];
        for (uint32_t k = 0; k < q->n; k++)
            add_flow(net, q->flows[k]);
    }
}

static void begin_gather(adi_flownet *net)
{
    net->epoch++;
    net->ncomp_res = net->ncomp_flow = 0;
}

/* ---- progressive filling and applying the new rates ------------------- */

/* Gives flow id its new rate from now on (see the floating-point note). */
static void set_rate(adi_flownet *net, uint32_t id, double rate)
{
    flow *f = &net->flow[id];
    if (net->now != f->last && f->rate > 0) {
        f->left = isinf(f->rate) ? 0 : f->left - f->rate * (net->now - f->last);
        if (f->left < 0)
            f->left = 0;
    }
    if (isinf(rate)) /* nothing constrains it: it is through this instant */
        f->left = 0;
    f->last = net->now;
    f->rate = rate;
    f->finish = f->left == 0 || isinf(rate) ? net->now
              : rate > 0                    ? net->now + f->left / rate
                                            : INFINITY;
    done_fix(net, id);
}

/* Resources still offering, in net->lheap[0, nlheap): a binary heap by
** (level, index) when there are many, a plain array scanned for its
** minimum when there are few (FILL_SCAN or fewer: a scan of a handful
** costs less than keeping a heap in order while every fixed flow moves
** its other resources' levels). Both take the same resource each time, so
** they give the same bits. */
enum { FILL_SCAN = 32 };

static uint32_t offer_min(adi_flownet *net, int heap)
{
    if (heap)
        return net->lheap[0];
    uint32_t best = net->lheap[0];
    for (uint32_t i = 1; i < net->nlheap; i++)
        if (level_before(net, net->lheap[i], best))
            best = net->lheap[i];
    return best;
}

static void offer_remove(adi_flownet *net, uint32_t r, int heap)
{
    if (heap) {
        level_remove(net, r);
        return;
    }
    uint32_t pos = net->res[r].hpos, last = net->lheap[--net->nlheap];
    net->res[r].hpos = NONE;
    if (last != r)
        level_place(net, pos, last);
}

static void offer_moved(adi_flownet *net, uint32_t r, int heap)
{
    if (heap)
        level_sift(net, net->res[r].hpos);
}

static void fill(adi_flownet *net)
{
    net->nlheap = 0;
    for (uint32_t i = 0; i < net->ncomp_res; i++) {
        uint32_t r = net->comp_res[i];
        res *q = &net->res[r];
        q->left = q->cap;
        q->unfixed = q->n;
        q->hpos = NONE;
        if (q->n) {
            q->level = q->left / q->unfixed;
            level_place(net, net->nlheap++, r);
        }
    }
    int heap = net->nlheap > FILL_SCAN;
    for (uint32_t i = heap ? net->nlheap / 2 : 0; i-- > 0;)
        level_down(net, i);
    for (uint32_t i = 0; i < net->ncomp_flow; i++)
        net->flow[net->comp_flow[i]].fixed = 0;
    while (net->nlheap) {
        uint32_t r = offer_min(net, heap);
        double level = net->res[r].level;
        if (level < 0) /* rounding after near-equal saturations */
            level = 0;
        offer_remove(net, r, heap);
        const res *sat = &net->res[r];
        for (uint32_t k = 0; k < sat->n; k++) {
            flow *f = &net->flow[sat->flows[k]];
            if (f->fixed)
                continue;
            f->fixed = 1;
            f->fill = level;
            for (uint32_t j = 0; j < f->len; j++) {
                uint32_t o = f->path[j];
                res *q = &net->res[o];
                if (q->hpos == NONE) /* infinite, or saturated (r itself) */
                    continue;
                q->left -= level;
                if (--q->unfixed == 0) {
                    offer_remove(net, o, heap);
                } else {
                    q->level = q->left / q->unfixed;
                    offer_moved(net, o, heap);
                }
            }
        }
    }
    for (uint32_t i = 0; i < net->ncomp_flow; i++) {
        uint32_t id = net->comp_flow[i];
        flow *f = &net->flow[id];
        double rate = f->fixed ? f->fill : INFINITY; /* no finite resource */
        if (rate != f->rate)
            set_rate(net, id, rate);
    }
}

/* ---- the hub: every flow of a component at one resource's share ------- */

/* Of the finite resources of path[0, len) that carry flows, the likeliest
** to be its component's bottleneck: the most flows, then the least share
** (capacity / flows), then the lowest index (the filling's own order).
** NONE if none carries a flow. */
static uint32_t pick_hub(const adi_flownet *net, const uint32_t *path, uint32_t len)
{
    uint32_t best = NONE;
    for (uint32_t j = 0; j < len; j++) {
        uint32_t r = path[j];
        const res *q = &net->res[r];
        if (isinf(q->cap) || q->n == 0)
            continue;
        if (best == NONE)
            best = r;
        else {
            const res *b = &net->res[best];
            double share = q->cap / q->n, bshare = b->cap / b->n;
            if (q->n > b->n || (q->n == b->n && (share < bshare || (share == bshare && r < best))))
                best = r;
        }
    }
    return best;
}

/* The filling's answer without the filling, where it is plain: when every
** finite resource that a flow on hub h crosses carries only flows that
** cross h too (h's flows are the whole component), and none of them
** offers less than h (capacity / flows, ties to the lower index, the
** filling's order), h saturates first and fixes every flow of the
** component at cap_h / n_h: that is the division the filling makes, so the
** bits are its. A hub with one flow whose other resources carry only it
** gives the least capacity, as the filling does. `left_by` is a flow just
** detached (or NULL): its finite resources that still carry flows must be
** in h's component. Returns 1 when it applied the rates, 0 when the
** component is not of this shape (nothing changed: the caller fills).
** Cost: one pass over h's flows and their paths, and the rates that
** changed; the star's common case (a shared coordinator link, device links
** offering more than their share of it) always takes it. */
static int share_hub(adi_flownet *net, uint32_t h, const flow *left_by)
{
    if (h == NONE)
        return 0;
    const res *hub = &net->res[h];
    const uint32_t *on = hub->flows, n = hub->n;
    uint64_t epoch = ++net->epoch;
    uint32_t nsat = 0;
    for (uint32_t k = 0; k < n; k++) {
        const flow *g = &net->flow[on[k]];
        for (uint32_t j = 0; j < g->len; j++) {
            uint32_t r = g->path[j];
            res *q = &net->res[r];
            if (r == h || isinf(q->cap))
                continue;
            if (q->mark != epoch) {
                q->mark = epoch;
                q->seen = 0;
                net->comp_res[nsat++] = r;
            }
            q->seen++;
        }
    }
    if (left_by)
        for (uint32_t j = 0; j < left_by->len; j++) {
            const res *q = &net->res[left_by->path[j]];
            if (left_by->path[j] != h && !isinf(q->cap) && q->n && q->mark != epoch)
                return 0; /* a resource of the leaver outside h's component */
        }
    double level = hub->cap / n;
    int alone = n == 1;
    for (uint32_t i = 0; i < nsat; i++) {
        uint32_t r = net->comp_res[i];
        const res *q = &net->res[r];
        if (q->seen != q->n)
            return 0; /* it carries a flow that does not cross h */
        if (alone) {
            if (q->cap < level)
                level = q->cap;
            continue;
        }
        double offer = q->cap / q->n;
        if (offer < level || (offer == level && r < h))
            return 0; /* r saturates first */
    }
    /* set_rate's arithmetic, knowing that every rate here, old and new,
    ** is finite (a flow on a finite resource never has an infinite one).
    ** When h carries a good part of the active flows, the completion heap
    ** is rebuilt once (O(A)) rather than sifted for each (O(n log A)); the
    ** earliest (finish, start order) is the same either way. */
    double now = net->now;
    int rebuild = 4 * n >= net->active;
    for (uint32_t k = 0; k < n; k++) {
        flow *f = &net->flow[on[k]];
        if (f->rate == level)
            continue;
        if (now != f->last && f->rate > 0) {
            f->left -= f->rate * (now - f->last);
            if (f->left < 0)
                f->left = 0;
        }
        f->last = now;
        f->rate = level;
        f->finish = f->left == 0 ? now : level > 0 ? now + f->left / level : INFINITY;
        if (rebuild)
            net->done[f->hpos].finish = f->finish;
        else
            done_fix(net, on[k]);
    }
    for (uint32_t i = rebuild ? net->active / 2 : 0; i-- > 0;)
        done_down(net, i);
    return 1;
}

/* ---- public functions -------------------------------------------------- */

static int bad_capacity(double c)
{
    return !(c >= 0); /* NaN and negatives; INFINITY is fine */
}

int adi_flow_new(adi_flownet **out, size_t count, const double *capacity)
{
    *out = NULL;
    if (count == 0 || count >= NONE)
        return adi_fail(ADI_EINPUT, "a network needs between 1 and 2^32-2 resources, not %zu", count);
    for (size_t r = 0; r < count; r++)
        if (bad_capacity(capacity[r]))
            return adi_fail(ADI_EINPUT, "resource %zu: capacity must be >= 0 bytes/s or inf, not %g",
                            r, capacity[r]);
    adi_flownet *net = calloc(1, sizeof *net);
    if (!net)
        goto fail;
    net->nres = count;
    net->res = calloc(count, sizeof *net->res);
    net->comp_res = malloc(count * sizeof *net->comp_res);
    net->lheap = malloc(count * sizeof *net->lheap);
    if (!net->res || !net->comp_res || !net->lheap)
        goto fail;
    for (size_t r = 0; r < count; r++) {
        net->res[r].cap = capacity[r];
        net->res[r].hpos = NONE;
    }
    *out = net;
    return ADI_OK;
fail:
    adi_flow_free(net);
    return adi_fail(ADI_ENOMEM, "out of memory for a network of %zu resources", count);
}

void adi_flow_free(adi_flownet *net)
{
    if (!net)
        return;
    if (net->res)
        for (size_t r = 0; r < net->nres; r++)
            free(net->res[r].flows);
    free(net->res);
    free(net->flow);
    free(net->free_id);
    free(net->done);
    free(net->comp_res);
    free(net->comp_flow);
    free(net->lheap);
    free(net);
}

int adi_flow_advance(adi_flownet *net, double t)
{
    if (!(t >= net->now))
        return adi_fail(ADI_EINPUT, "the network's clock cannot go back from %.17g s to %.17g s",
                        net->now, t);
    if (net->active && t > net->done[0].finish)
        return adi_fail(ADI_EINPUT, "advancing to %.17g s passes a flow that finished at %.17g s "
                        "(remove it first)", t, net->done[0].finish);
    net->now = t;
    return ADI_OK;
}

double adi_flow_now(const adi_flownet *net)
{
    return net->now;
}

/* realloc that keeps the old block when it fails (and clears *ok). */
static void *resize(void *block, size_t bytes, int *ok)
{
    void *bigger = realloc(block, bytes);
    if (!bigger) {
        *ok = 0;
        return block;
    }
    return bigger;
}

/* Room for one more flow: a free slot, and the arrays sized by slots. */
static int reserve_slot(adi_flownet *net)
{
    if (net->nfree)
        return ADI_OK;
    if (net->cap >= NONE / 2)
        return adi_fail(ADI_ENOMEM, "too many active flows (%u)", net->cap);
    uint32_t cap = net->cap ? 2 * net->cap : 16;
    int ok = 1;
    net->flow = resize(net->flow, cap * sizeof *net->flow, &ok);
    net->free_id = resize(net->free_id, cap * sizeof *net->free_id, &ok);
    net->done = resize(net->done, cap * sizeof *net->done, &ok);
    net->comp_flow = resize(net->comp_flow, cap * sizeof *net->comp_flow, &ok);
    if (!ok) /* the grown arrays stay grown; cap says how much is in use */
        return adi_fail(ADI_ENOMEM, "out of memory for %u active flows", cap);
    for (uint32_t id = cap; id > net->cap; id--) {
        net->flow[id - 1].hpos = NONE;
        net->free_id[net->nfree++] = id - 1;
    }
    net->cap = cap;
    return ADI_OK;
}

static int reserve_res(res *q)
{
    if (q->n < q->alloc)
        return ADI_OK;
    uint32_t alloc = q->alloc ? 2 * q->alloc : 4;
    uint32_t *fl = realloc(q->flows, alloc * sizeof *fl);
    if (!fl)
        return adi_fail(ADI_ENOMEM, "out of memory for %u flows on one resource", alloc);
    q->flows = fl;
    q->alloc = alloc;
    return ADI_OK;
}

int adi_flow_start(adi_flownet *net, double bytes, const uint32_t *path, size_t len,
                   uint64_t tag, uint32_t *id)
{
    if (!(bytes >= 0) || isinf(bytes))
        return adi_fail(ADI_EINPUT, "a flow's size must be a finite number of bytes >= 0, not %g",
                        bytes);
    if (len == 0 || len > ADI_FLOW_PATH_MAX)
        return adi_fail(ADI_EINPUT, "a flow crosses 1 to %d resources, not %zu", ADI_FLOW_PATH_MAX,
                        len);
    for (size_t j = 0; j < len; j++) {
        if (path[j] >= net->nres)
            return adi_fail(ADI_EINPUT, "resource %u does not exist (the network has %zu)",
                            path[j], net->nres);
        for (size_t i = 0; i < j; i++)
            if (path[i] == path[j])
                return adi_fail(ADI_EINPUT, "a flow's path crosses resource %u twice", path[j]);
    }
    int rc = reserve_slot(net);
    for (size_t j = 0; rc == ADI_OK && j < len && bytes > 0; j++)
        rc = reserve_res(&net->res[path[j]]);
    if (rc != ADI_OK)
        return rc;

    uint32_t fid = net->free_id[--net->nfree];
    flow *f = &net->flow[fid];
    double now = net->now;
    f->left = bytes;
    f->last = now;
    f->seq = net->seq++;
    f->tag = tag;
    f->mark = 0;
    f->len = 0;
    *id = fid;
    if (bytes == 0) { /* through at once; it takes no share (SimGrid's share for 0 s changes nothing) */
        f->rate = INFINITY;
        f->finish = now;
        done_insert(net, fid);
        return ADI_OK;
    }
    /* Alone on every finite resource (an idle device direction behind an
    ** infinite coordinator link): its rate is the least capacity, what the
    ** filling would give, and nobody else's changes. Its completion time is
    ** set_rate's arithmetic, before it enters the heap. */
    double least = INFINITY;
    int alone = 1;
    for (uint32_t j = 0; j < len; j++) {
        res *q = &net->res[path[j]];
        f->path[j] = path[j];
        f->slot[j] = q->n;
        q->flows[q->n++] = fid;
        if (!isinf(q->cap)) {
            alone &= q->n == 1;
            if (q->cap < least)
                least = q->cap;
        }
    }
    f->len = (uint32_t)len;
    if (alone) {
        f->rate = least;
        if (isinf(least))
            f->left = 0;
        f->finish = isinf(least) ? now : least > 0 ? now + bytes / least : INFINITY;
        done_insert(net, fid);
        return ADI_OK;
    }
    f->rate = 0; /* share_hub or the filling gives it its rate */
    f->finish = INFINITY;
    done_insert(net, fid);
    if (share_hub(net, pick_hub(net, f->path, f->len), NULL))
        return ADI_OK;
    begin_gather(net);
    add_flow(net, fid);
    gather(net);
    fill(net);
    return ADI_OK;
}

int adi_flow_next(const adi_flownet *net, double *time, uint32_t *id)
{
    if (!net->active)
        return 0;
    *id = net->done[0].id;
    *time = net->done[0].finish;
    return 1;
}

static int check_id(const adi_flownet *net, uint32_t id)
{
    if (id >= net->cap || net->flow[id].hpos == NONE)
        return adi_fail(ADI_EINPUT, "flow %u is not active", id);
    return ADI_OK;
}

int adi_flow_remove(adi_flownet *net, uint32_t id)
{
    int rc = check_id(net, id);
    if (rc != ADI_OK)
        return rc;
    flow *f = &net->flow[id];
    done_remove(net, id);
    net->free_id[net->nfree++] = id;
    int shared = 0; /* did it share a finite resource with another flow? */
    for (uint32_t j = 0; j < f->len; j++) {
        res *q = &net->res[f->path[j]];
        uint32_t moved = q->flows[--q->n];
        shared |= q->n > 0 && !isinf(q->cap);
        if (moved != id) { /* the last flow takes the leaver's place */
            uint32_t s = f->slot[j];
            flow *m = &net->flow[moved];
            q->flows[s] = moved;
            for (uint32_t i = 0; i < m->len; i++)
                if (m->path[i] == f->path[j])
                    m->slot[i] = s;
        }
    }
    if (!shared || share_hub(net, pick_hub(net, f->path, f->len), f)) {
        f->len = 0;
        return ADI_OK;
    }
    begin_gather(net);
    for (uint32_t j = 0; j < f->len; j++)
        add_res(net, f->path[j]);
    f->len = 0;
    gather(net);
    fill(net);
    return ADI_OK;
}

int adi_flow_set_capacity(adi_flownet *net, size_t r, double capacity)
{
    if (r >= net->nres)
        return adi_fail(ADI_EINPUT, "resource %zu does not exist (the network has %zu)", r, net->nres);
    if (bad_capacity(capacity))
        return adi_fail(ADI_EINPUT, "resource %zu: capacity must be >= 0 bytes/s or inf, not %g", r,
                        capacity);
    res *q = &net->res[r];
    q->cap = capacity;
    begin_gather(net);
    add_res(net, (uint32_t)r);
    for (uint32_t k = 0; k < q->n; k++) /* also when r became infinite */
        add_flow(net, q->flows[k]);
    gather(net);
    fill(net);
    return ADI_OK;
}

double adi_flow_rate(const adi_flownet *net, uint32_t id)
{
    return net->flow[id].rate;
}

double adi_flow_left(const adi_flownet *net, uint32_t id)
{
    const flow *f = &net->flow[id];
    if (net->now == f->last || f->rate == 0)
        return f->left;
    if (isinf(f->rate))
        return 0;
    double left = f->left - f->rate * (net->now - f->last);
    return left > 0 ? left : 0;
}

double adi_flow_finish(const adi_flownet *net, uint32_t id)
{
    return net->flow[id].finish;
}

uint64_t adi_flow_tag(const adi_flownet *net, uint32_t id)
{
    return net->flow[id].tag;
}

size_t adi_flow_count(const adi_flownet *net)
{
    return net->active;
}
