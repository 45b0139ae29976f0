/*
** bench/peers/net_ref.c — the plain reference of pull with prefetch over a
** star (DESIGN.md "The network"): a minimal event loop around sim/flow.h,
** written to be obviously right rather than fast. It is the oracle the
** engine's network will be tested against, and SimGrid's model
** (simgrid_net_peer.cpp) is checked against it. Job file and output: see
** bench/peers/README.md ("Network jobs").
**
** The protocol, step by step (every step is one event):
**   t = 0        every device sends 1 + k requests (outstanding = 1 + k)
**   request in   (its latency L_i after it was sent) the coordinator takes
**                the oldest queued task, if any, and sends its input: the
**                input waits L_i, then S_in bytes flow coordinator -> device
**   input in     the device queues it; an idle device starts computing
**   computed     (T_i later) the output waits L_i, then S_out bytes flow
**                device -> coordinator; the device requests again and
**                starts its next queued input
**   output in    the task is done: print it
** A transfer's bytes cross the device's link, its segment (if any) and the
** coordinator's link in its direction; sim/flow.h shares them.
**
** Ties: timed events at one instant come out in the order they were
** scheduled; a flow completion at the same instant as a timed event is
** handled first. Cost: O(log) per event plus the sharing's cost.
*/
#include "core/error.h"
#include "sim/events.h"
#include "sim/flow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EV_REQUEST, EV_INPUT_GO, EV_COMPUTED, EV_OUTPUT_GO };
enum { FLOW_INPUT, FLOW_OUTPUT };

typedef struct device {
    double time;      /* s per task */
    double bw;        /* bytes/s each way */
    double lat;       /* s one way */
    long seg;         /* segment index, -1 for none */
    unsigned long queued;  /* inputs received, not yet computing */
    int busy;
} device;

typedef struct star {
    size_t n, nseg;
    double coord_bw;  /* bytes/s each way */
    double *seg_bw;   /* [nseg] */
    device *dev;      /* [n] */
    unsigned long long m, k;
    double s_in, s_out; /* bytes */
} star;

static int bad(const char *what)
{
    fprintf(stderr, "net_ref: bad job file: expected %s\n", what);
    return 2;
}

/* "inf" or a number >= 0. */
static int read_bw(double *v)
{
    char word[64];
    if (scanf("%63s", word) != 1)
        return 0;
    if (strcmp(word, "inf") == 0) {
        *v = INFINITY;
        return 1;
    }
    char *end;
    *v = strtod(word, &end);
    return *end == '\0' && *v >= 0 && isfinite(*v);
}

static int read_star(star *s)
{
    int c;
    while ((c = getchar()) == '#' || c == '\n') /* comment lines */
        if (c == '#')
            while ((c = getchar()) != '\n' && c != EOF)
                ;
    ungetc(c, stdin);
    if (scanf(" star %zu %zu", &s->n, &s->nseg) != 2 || s->n == 0 || !read_bw(&s->coord_bw))
        return bad("'star NDEV NSEG COORD_BW'");
    s->seg_bw = calloc(s->nseg ? s->nseg : 1, sizeof *s->seg_bw);
    s->dev = calloc(s->n, sizeof *s->dev);
    if (!s->seg_bw || !s->dev)
        return bad("a smaller star (out of memory)");
    for (size_t g = 0; g < s->nseg; g++) {
        int at = -1;
        if (scanf(" seg%n", &at) == EOF || at < 0 || !read_bw(&s->seg_bw[g]))
            return bad("'seg BW'");
    }
    for (size_t i = 0; i < s->n; i++) {
        device *d = &s->dev[i];
        if (scanf(" dev %lf", &d->time) != 1 || !(d->time >= 0) || !read_bw(&d->bw) ||
            scanf(" %lf %ld", &d->lat, &d->seg) != 2 || !(d->lat >= 0) || d->seg < -1 ||
            d->seg >= (long)s->nseg)
            return bad("'dev T BW LATENCY SEG' (SEG -1 or a segment index)");
    }
    if (scanf(" pull %llu %llu %lf %lf", &s->m, &s->k, &s->s_in, &s->s_out) != 4 ||
        !(s->s_in >= 0) || !(s->s_out >= 0) || s->s_in != floor(s->s_in) ||
        s->s_out != floor(s->s_out) || s->s_in > 0x1p53 || s->s_out > 0x1p53)
        return bad("'pull M K S_IN S_OUT' (sizes in whole bytes)");
    return 0;
}

/* Resources: device i up 2i, down 2i + 1; segment g up 2n + 2g, down
** 2n + 2g + 1; the coordinator up 2n + 2 nseg, down that + 1. "Up" is
** device -> coordinator. */
static size_t path_of(const star *s, size_t i, int down, uint32_t *path)
{
    size_t len = 0;
    path[len++] = (uint32_t)(2 * i + (size_t)down);
    if (s->dev[i].seg >= 0)
        path[len++] = (uint32_t)(2 * s->n + 2 * (size_t)s->dev[i].seg + (size_t)down);
    path[len++] = (uint32_t)(2 * s->n + 2 * s->nseg + (size_t)down);
    return len;
}

typedef struct run {
    star *s;
    adi_events ev;
    adi_flownet *net;
    unsigned long long queue;  /* tasks still at the coordinator */
    unsigned long long done;
    double now;
    double last;  /* the last completion: the makespan */
} run;

static int fail_lib(void)
{
    fprintf(stderr, "net_ref: %s\n", adi_errmsg());
    return 1;
}

static int schedule(run *r, double t, uint32_t kind, size_t dev)
{
    return adi_events_push(&r->ev, t, kind, (uint32_t)dev);
}

static int start_compute(run *r, size_t i)
{
    device *d = &r->s->dev[i];
    if (d->busy || !d->queued)
        return 0;
    d->queued--;
    d->busy = 1;
    return schedule(r, r->now + d->time, EV_COMPUTED, i);
}

static int input_in(run *r, size_t i)
{
    r->s->dev[i].queued++;
    return start_compute(r, i);
}

static int quiet; /* --quiet: only the makespan (for timing the loop alone) */

static void output_in(run *r, size_t i)
{
    r->done++;
    r->last = r->now;
    if (!quiet)
        printf("done %zu %.17g\n", i, r->now);
}

/* Starts a transfer's bytes now (its latency is over). */
static int transfer(run *r, size_t i, int kind)
{
    double bytes = kind == FLOW_INPUT ? r->s->s_in : r->s->s_out;
    if (bytes == 0) { /* latency only */
        if (kind == FLOW_INPUT)
            return input_in(r, i);
        output_in(r, i);
        return 0;
    }
    uint32_t path[3], id;
    size_t len = path_of(r->s, i, kind == FLOW_INPUT, path);
    return adi_flow_start(r->net, bytes, path, len, (uint64_t)i * 2 + (uint64_t)kind, &id);
}

static int handle(run *r, adi_event e)
{
    size_t i = adi_event_who(&r->ev, e);
    device *d = &r->s->dev[i];
    switch (adi_event_kind(&r->ev, e)) {
    case EV_REQUEST: /* served FIFO; with none queued it waits for ever (a batch) */
        if (!r->queue)
            return 0;
        r->queue--;
        return schedule(r, r->now + d->lat, EV_INPUT_GO, i);
    case EV_INPUT_GO:
        return transfer(r, i, FLOW_INPUT);
    case EV_COMPUTED:
        d->busy = 0;
        if (schedule(r, r->now + d->lat, EV_OUTPUT_GO, i) != 0 ||
            schedule(r, r->now + d->lat, EV_REQUEST, i) != 0)
            return -1;
        return start_compute(r, i);
    default:
        return transfer(r, i, FLOW_OUTPUT);
    }
}

static int simulate(star *s)
{
    size_t nres = 2 * s->n + 2 * s->nseg + 2;
    double *cap = malloc(nres * sizeof *cap);
    run r = {.s = s, .queue = s->m};
    if (!cap || adi_events_init(&r.ev, 4 * s->n, (uint32_t)(s->n - 1)) != 0)
        return fail_lib();
    for (size_t i = 0; i < s->n; i++)
        cap[2 * i] = cap[2 * i + 1] = s->dev[i].bw;
    for (size_t g = 0; g < s->nseg; g++)
        cap[2 * s->n + 2 * g] = cap[2 * s->n + 2 * g + 1] = s->seg_bw[g];
    cap[nres - 2] = cap[nres - 1] = s->coord_bw;
    if (adi_flow_new(&r.net, nres, cap) != ADI_OK)
        return fail_lib();
    free(cap);
    for (size_t i = 0; i < s->n; i++)
        for (unsigned long long j = 0; j <= s->k; j++)
            if (schedule(&r, s->dev[i].lat, EV_REQUEST, i) != 0)
                return fail_lib();
    for (;;) {
        double tf = INFINITY;
        uint32_t id = 0;
        int flow = adi_flow_next(r.net, &tf, &id);
        double te = r.ev.len ? r.ev.heap[0].time : INFINITY;
        if (flow && tf <= te && isfinite(tf)) {
            r.now = tf;
            if (adi_flow_advance(r.net, tf) != ADI_OK)
                return fail_lib();
            uint64_t tag = adi_flow_tag(r.net, id);
            if (adi_flow_remove(r.net, id) != ADI_OK)
                return fail_lib();
            size_t i = (size_t)(tag / 2);
            if (tag % 2 == FLOW_INPUT) {
                if (input_in(&r, i) != 0)
                    return fail_lib();
            } else {
                output_in(&r, i);
            }
        } else if (r.ev.len) {
            adi_event e = adi_events_pop(&r.ev);
            r.now = e.time;
            if (adi_flow_advance(r.net, e.time) != ADI_OK || handle(&r, e) != 0)
                return fail_lib();
        } else {
            break;
        }
    }
    adi_flow_free(r.net);
    adi_events_free(&r.ev);
    if (r.done != s->m) {
        fprintf(stderr, "net_ref: only %llu of %llu tasks done (a stalled flow?)\n", r.done, s->m);
        return 1;
    }
    if (quiet)
        printf("makespan %.17g\n", r.last); /* not r.now: a request may come later */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "--quiet") != 0)) {
        fprintf(stderr, "usage: net_ref [--quiet] < JOB\n");
        return 2;
    }
    quiet = argc == 2;
    star s;
    memset(&s, 0, sizeof s);
    int rc = read_star(&s);
    if (rc == 0)
        rc = simulate(&s);
    free(s.seg_bw);
    free(s.dev);
    return rc;
}
