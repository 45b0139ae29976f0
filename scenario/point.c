/*
** scenario/point.c — the point helpers and the point key (see point.h).
**
** The key is the key table (keys.h) read twice: once into `rules` (label,
** position, when), once into a switch that writes each key's point field
** with the writer its format names (write_REAL for a double, ...), so the
** compiler checks that a field and its format agree. A key left out while
** at its default is written to a scratch stream first and compared with
** the table's default text.
*/
#include "scenario/point.h"
#include "core/error.h"
#include "core/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t adi_point_used_devices(const adi_point *p, const double **times,
                              const adi_sampler **dev)
{
    if (p->policy->devices == ADI_DEVICES_ONE) {
        *times = &p->times[p->serial_device];
        *dev = &p->device[p->serial_device];
        return 1;
    }
    *times = p->times;
    *dev = p->device;
    return p->n_devices;
}

size_t adi_point_first_device(const adi_point *p)
{
    return p->policy->devices == ADI_DEVICES_ONE ? p->serial_device : 0;
}

adi_sim_net adi_point_sim_net(const adi_point *p)
{
    adi_sim_net n = {.link = p->net.link + adi_point_first_device(p), .nseg = p->net.nseg,
                     .seg_bw = p->net.seg_bw, .coord_bw = p->net.coord_bw,
                     .s_in = p->net.s_in, .s_out = p->net.s_out, .prefetch = p->net.prefetch};
    return n;
}

adi_star adi_point_star(const adi_point *p, adi_netdev *dev, size_t ndev)
{
    const double *times;
    const adi_sampler *samplers;
    size_t n = adi_point_used_devices(p, &times, &samplers), first = adi_point_first_device(p);
    if (n > ndev)
        n = ndev;
    for (size_t i = 0; i < n; i++) {
        const adi_sim_link *l = &p->net.link[first + i];
        dev[i] = (adi_netdev){times[i], l->bw, l->latency, l->segment};
    }
    return (adi_star){.n = n, .dev = dev, .nseg = p->net.nseg, .seg_bw = p->net.seg_bw,
                      .coord_bw = p->net.coord_bw, .s_in = p->net.s_in, .s_out = p->net.s_out};
}

void adi_point_task_cycles(const adi_point *p, adi_netdev *dev, double *t)
{
    if (!p->network) {
        memcpy(t, p->times, p->n_devices * sizeof *t);
        return;
    }
    for (size_t i = 0; i < p->n_devices; i++) {
        const adi_sim_link *l = &p->net.link[i];
        dev[i] = (adi_netdev){p->times[i], l->bw, l->latency, l->segment};
    }
    adi_star star = {.n = p->n_devices, .dev = dev, .nseg = p->net.nseg, .seg_bw = p->net.seg_bw,
                     .coord_bw = p->net.coord_bw, .s_in = p->net.s_in, .s_out = p->net.s_out};
    for (size_t i = 0; i < p->n_devices; i++)
        t[i] = adi_netmodel_cycle(&star, i, p->net.prefetch, NULL);
}

int adi_point_is_deterministic(const adi_point *p)
{
    return p->dist == ADI_DIST_DETERMINISTIC && !p->workload->open;
}

/* ---- the rules --------------------------------------------------------------- */

typedef struct rule {
    adi_point_key_rule r;
    const char *def; /* the key's default text (keys.h), for NOT_DEFAULT */
} rule;

#define RULE_IN_KEY(pos, label, when, fmt, field) {pos, label, ADI_WHEN_##when, NULL}
#define RULE_NOT_IN_KEY(why) {0, NULL, ADI_WHEN_ALWAYS, why}
#define ADI_X_RULE(id, sec, key, kind, def, sweep, point, help) [id] = {RULE_##point, def},
static const rule rules[KEY_COUNT_] = {ADI_SCENARIO_KEYS(ADI_X_RULE)};
#undef ADI_X_RULE

adi_point_key_rule adi_point_key_rule_of(int k)
{
    adi_point_key_rule none = {0};
    return k >= 0 && k < KEY_COUNT_ ? rules[k].r : none;
}

/* ---- the writers, one per format ----------------------------------------------- */

static void write_REAL(FILE *f, const adi_point *p, double v)
{
    (void)p;
    char buf[32];
    fputs(adi_format_exact(v, buf, sizeof buf), f);
}

static void write_U64(FILE *f, const adi_point *p, uint64_t v)
{
    (void)p;
    fprintf(f, "%llu", (unsigned long long)v);
}

static void write_SIZE(FILE *f, const adi_point *p, size_t v)
{
    (void)p;
    fprintf(f, "%zu", v);
}

static void write_CAPACITY(FILE *f, const adi_point *p, uint64_t v)
{
    if (v == ADI_CAPACITY_INF)
        fputs("inf", f);
    else
        write_U64(f, p, v);
}

/* An enum or a table's entry by its name. */
#define NAME_WRITER(format, type, name)                             \
    static void write_##format(FILE *f, const adi_point *p, type v) \
    {                                                               \
        (void)p;                                                    \
        fputs(name(v), f);                                          \
    }
NAME_WRITER(POLICY, const adi_policy_desc *, adi_policy_name)
NAME_WRITER(WORKLOAD, const adi_workload_desc *, adi_workload_name)
NAME_WRITER(DIST, adi_dist, adi_dist_name)
NAME_WRITER(OVERFLOW, adi_overflow, adi_overflow_name)
NAME_WRITER(KERNEL, adi_kernel, adi_kernel_name)
#undef NAME_WRITER

static void write_PERCENTILES(FILE *f, const adi_point *p, int exact)
{
    (void)p;
    fputs(exact ? "exact" : "streaming", f);
}

#define ENUM_WRITER(format, type, name)                             \
    static void write_##format(FILE *f, const adi_point *p, type v) \
    {                                                               \
        (void)p;                                                    \
        fputs(name(v), f);                                          \
    }
ENUM_WRITER(IDLE, adi_idle_choice, adi_idle_choice_name)
ENUM_WRITER(ESTIMATES, adi_estimates, adi_estimates_name)
ENUM_WRITER(VICTIM, adi_victim, adi_victim_name)
ENUM_WRITER(STEAL_START, adi_steal_start, adi_steal_start_name)
#undef ENUM_WRITER

/* A time or inf. */
static void write_DELAY(FILE *f, const adi_point *p, double v)
{
    if (isinf(v))
        fputs("inf", f);
    else
        write_REAL(f, p, v);
}

static void write_TEXT(FILE *f, const adi_point *p, const char *v)
{
    (void)p;
    fputs(v ? v : "", f);
}

/* A bandwidth: "inf" or bytes/s exactly. */
static void write_BANDWIDTH(FILE *f, const adi_point *p, double v)
{
    if (isinf(v))
        fputs("inf", f);
    else
        write_REAL(f, p, v);
}

/* Every device's link, in pool order: bandwidth/latency/segment. */
static void write_LINKS(FILE *f, const adi_point *p, const adi_sim_link *v)
{
    for (size_t i = 0; i < p->n_devices; i++) {
        if (i)
            fputc(',', f);
        write_BANDWIDTH(f, p, v[i].bw);
        fputc('/', f);
        write_REAL(f, p, v[i].latency);
        fprintf(f, "/%ld", v[i].segment);
    }
}

/* The segments' bandwidths, in order ("" for none). */
static void write_SEGMENTS(FILE *f, const adi_point *p, const double *v)
{
    for (size_t g = 0; g < p->net.nseg; g++) {
        if (g)
            fputc(',', f);
        write_BANDWIDTH(f, p, v[g]);
    }
}

/* Every device's T_i, in pool order. */
static void write_TIMES(FILE *f, const adi_point *p, const double *v)
{
    for (size_t i = 0; i < p->n_devices; i++) {
        if (i)
            fputc(',', f);
        write_REAL(f, p, v[i]);
    }
}

#define WRITE_IN_KEY(pos, label, when, fmt, field) write_##fmt(f, p, p->field)
#define WRITE_NOT_IN_KEY(why) (void)0
static void write_value(FILE *f, const adi_point *p, int k)
{
    switch ((adi_key_id)k) {
#define ADI_X_WRITE(id, sec, key, kind, def, sweep, point, help) \
    case id: WRITE_##point; break;
        ADI_SCENARIO_KEYS(ADI_X_WRITE)
#undef ADI_X_WRITE
    case KEY_COUNT_: break;
    }
}

/* ---- the key ---------------------------------------------------------------------- */

/* The version a point's key starts with (see ADI_POINT_KEY_VERSION). */
static int key_version(const adi_point *p)
{
    return p->policy == &adi_policy_static && p->capacity != ADI_CAPACITY_INF &&
                   p->overflow == ADI_OVERFLOW_BLOCK
               ? ADI_POINT_KEY_VERSION_STATIC_BLOCK
               : ADI_POINT_KEY_VERSION;
}

unsigned adi_point_policy_key(int k)
{
    switch (k) {
    case KEY_IDLE_CHOICE: return ADI_POLICY_KEY_IDLE_CHOICE;
    case KEY_PULL_BATCH: case KEY_MAX_DELAY: case KEY_BATCH_OVERHEAD:
        return ADI_POLICY_KEY_PULL_BATCH;
    case KEY_ESTIMATES: return ADI_POLICY_KEY_ESTIMATES;
    case KEY_CHOICES: return ADI_POLICY_KEY_CHOICES;
    case KEY_VICTIM: return ADI_POLICY_KEY_VICTIM;
    case KEY_STEAL_START: return ADI_POLICY_KEY_STEAL_START;
    default: return 0;
    }
}

static int applies(const adi_point *p, int k, adi_point_when when)
{
    switch (when) {
    case ADI_WHEN_TAKEN: return (p->policy->keys & adi_point_policy_key(k)) != 0;
    case ADI_WHEN_TAKEN_BATCH:
        return (p->policy->keys & ADI_POLICY_KEY_PULL_BATCH) && p->params.batch > 1;
    case ADI_WHEN_POISSON: return p->workload->open;
    case ADI_WHEN_SERIAL: return p->policy->devices == ADI_DEVICES_ONE;
    case ADI_WHEN_CALIBRATED: return p->calibrated;
    case ADI_WHEN_EXPLICIT: return p->explicit_times;
    case ADI_WHEN_NETWORK: return p->network;
    case ADI_WHEN_ALWAYS:
    case ADI_WHEN_NOT_DEFAULT: break;
    }
    return 1;
}

/* 1 when key k's value reads as its default (the scratch stream *s, made on
** first use, holds the value). -1 when out of memory. */
static int at_default(const adi_point *p, int k, FILE **s, char **buf, size_t *size)
{
    if (!*s && !(*s = open_memstream(buf, size)))
        return -1;
    rewind(*s);
    write_value(*s, p, k);
    fputc('\0', *s);
    if (fflush(*s) != 0)
        return -1;
    return rules[k].def && strcmp(*buf, rules[k].def) == 0;
}

int adi_point_key(const adi_point *p, int except, char **out)
{
    *out = NULL;
    int by_position[KEY_COUNT_ + 1];
    for (int i = 0; i <= KEY_COUNT_; i++)
        by_position[i] = -1;
    for (int k = 0; k < KEY_COUNT_; k++)
        if (rules[k].r.position >= 1 && rules[k].r.position <= KEY_COUNT_)
            by_position[rules[k].r.position] = k;
    char *buf = NULL, *scratch_buf = NULL;
    size_t size = 0, scratch_size = 0;
    FILE *f = open_memstream(&buf, &size), *scratch = NULL;
    if (!f)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int ok = 1;
    fprintf(f, "v%d", key_version(p));
    for (int pos = 1; pos <= KEY_COUNT_ && ok; pos++) {
        int k = by_position[pos];
        if (k < 0 || k == except || !applies(p, k, rules[k].r.when))
            continue;
        if (rules[k].r.when == ADI_WHEN_NOT_DEFAULT || rules[k].r.when == ADI_WHEN_TAKEN ||
            rules[k].r.when == ADI_WHEN_TAKEN_BATCH) {
            int d = at_default(p, k, &scratch, &scratch_buf, &scratch_size);
            ok = d >= 0;
            if (d != 0)
                continue;
        }
        fprintf(f, " %s=", rules[k].r.label);
        write_value(f, p, k);
    }
    if (scratch && fclose(scratch) != 0)
        ok = 0;
    free(scratch_buf);
    if (fclose(f) != 0 || !buf || !ok) {
        free(buf);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    *out = buf;
    return ADI_OK;
}
