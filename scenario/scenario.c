/*
** scenario/scenario.c — reading, checking and expanding scenario files.
**
** Three passes, so that every message can name file, line and key:
**   1. core/ini.c reads the file with inih, with line numbers, over-long
**      lines as errors and continuation lines joined; the handler only files
**      each raw value under its key (keys.h).
**   2. resolve() parses every value by its kind, applies defaults and checks
**      the combinations (required keys, conflicts, distribution vs cv).
**   3. expand() walks the Cartesian product of the swept lists and builds one
**      adi_point per combination, with its device pool and canonical key.
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include "scenario/scenario.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/ini.h"
#include "core/memory.h"
#include "core/units.h"
#include "profile/profile.h"
#include "scenario/keys.h"
#include "sim/pool.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits that keep a typo from turning into hours of work or gigabytes. */
#define MAX_DEVICES 1000000ULL
#define MAX_TASKS 1000000000000ULL
#define MAX_REPLICATIONS 1000000ULL
#define MAX_POINTS 10000000ULL
#define MAX_EXACT_TASKS 10000000ULL

enum section { SEC_SCENARIO, SEC_DEVICES, SEC_WORKLOAD, SEC_QUEUE, SEC_NETWORK, SEC_SWEEP,
               SEC_COUNT };
static const char *const section_names[SEC_COUNT] = {"scenario", "devices", "workload",
                                                     "queue", "network", "sweep"};

enum kind {
    K_NAME, K_UINT, K_COUNT, K_DEVICES, K_TASKS, K_TIME, K_TIME0, K_HETEROGENEITY, K_CV, K_TIMES,
    K_RATE, K_CAPACITY, K_POLICY, K_WORKLOAD, K_OVERFLOW, K_DIST, K_SERIALDEV, K_WARMUP,
    K_PERCENTILES, K_PROFILES, K_KERNEL, K_LINKS, K_BANDWIDTH, K_SEGMENTS, K_BYTES, K_PREFETCH,
    K_SCALE, K_INDICES, K_IDLE, K_BATCH, K_DELAY, K_ESTIMATES, K_CHOICES, K_VICTIM,
    K_STEAL_START, K_FRACTION
};

typedef struct key_desc {
    enum section section;
    const char *name;
    enum kind kind;
    const char *def;
    const char *sweep;
    const char *help;
} key_desc;

static const key_desc keys[KEY_COUNT_] = {
#define ADI_X_DESC(id, sec, key, kind, def, sweep, point, help) [id] = {SEC_##sec, key, K_##kind, def, sweep, help},
    ADI_SCENARIO_KEYS(ADI_X_DESC)
#undef ADI_X_DESC
};

/* Sweepable keys in sweep order (outermost first), indexed like adi_param. */
static const adi_key_id sweep_order[ADI_PARAM_COUNT] = {
    KEY_POLICY, KEY_COUNT, KEY_CAPACITY, KEY_HETEROGENEITY, KEY_MEAN_TIME, KEY_TASKS, KEY_RATE,
    KEY_PREFETCH, KEY_COORDINATOR, KEY_INPUT_SIZE, KEY_LINK_SCALE, KEY_IDLE_CHOICE,
    KEY_PULL_BATCH, KEY_MAX_DELAY, KEY_ESTIMATES, KEY_CHOICES, KEY_VICTIM, KEY_STEAL_START,
};

/* The policy keys, in sweep order (the adi_param of each is ADI_PARAM_IDLE_CHOICE + i). */
static const adi_key_id policy_keys[] = {KEY_IDLE_CHOICE, KEY_PULL_BATCH, KEY_MAX_DELAY,
                                         KEY_ESTIMATES, KEY_CHOICES, KEY_VICTIM,
                                         KEY_STEAL_START};
#define NPOLICY_KEYS (sizeof policy_keys / sizeof policy_keys[0])

/* pull_batch's range: what a batch law can be measured at (model/batchlaw.h). */
#define MAX_PULL_BATCH ADI_BATCH_MAX_IMAGES
/* choices: at most the pool, which MAX_DEVICES bounds */

/* The most requests a network's devices may have out at once (sim.h). */
#define MAX_OUT ADI_SIM_NET_MAX_OUT

/* link_scale's range: what a sweep of link speeds needs, with room. */
#define MIN_LINK_SCALE 1e-6
#define MAX_LINK_SCALE 1e6
/* link_scale_devices = all */
#define ALL_DEVICES UINT64_MAX

#define SERIAL_FASTEST UINT64_MAX
#define SERIAL_SLOWEST (UINT64_MAX - 1)

typedef union scalar {
    double d;
    uint64_t u;
    int e;
} scalar;

/* A warm-up is stored as a fraction in d (from "10%"), or as a count in u
** with d = -1. */

typedef struct setting {
    char *raw;    /* as written, continuation lines joined; NULL if absent */
    int line;     /* line of the key (0 when absent) */
    int in_sweep; /* given in [sweep] */
    scalar *v;     /* parsed values: several for swept keys and `times` */
    size_t n;
} setting;

/* One entry of [devices] profiles: `count` devices measured as profile
** number `profile` (an index into adi_scenario.profiles). */
typedef struct member {
    size_t profile, count;
} member;

/* A device pool: the T_i and samplers of every point with the same pool
** parameters (n, T, h; a calibrated or explicit pool is one for all), so
** that 101 points over a pool of 10^6 devices hold it once, not 101 times. */
typedef struct shared_pool {
    double *times;       /* [n] seconds; owned */
    adi_sampler *device; /* [n]; owned */
    size_t n, fastest, slowest;
    double mean_time, heterogeneity, cv;
    char *infeasible;    /* owned; each point has its own copy */
    adi_sim_link *links; /* [n] with a network; owned (link_scale applied) */
    unsigned char *scaled; /* [n] with a network: 1 when link_scale multiplies its link */
    double link_scale;
    int built;
} shared_pool;

/* One entry of [network] links: `count` devices with this link. */
typedef struct link_entry {
    adi_sim_link link;
    size_t count;
} link_entry;

struct adi_scenario {
    char *path, *text;
    char *source;       /* the file's absolute path when loaded from one */
    char sha[65];
    setting set[KEY_COUNT_];
    adi_profile **profiles;  /* distinct profiles read, owned */
    char **profile_names;    /* [nprofiles] each as named in [devices] profiles, owned */
    char **profile_texts;    /* [nprofiles] each file's text as read, owned */
    size_t nprofiles;
    const adi_scenario_file *stored; /* during parsing: profile texts to use, not files */
    size_t nstored;
    member *members;         /* in listed order */
    size_t nmembers, ncalibrated; /* entries; devices in all */
    char *estimated;         /* "pi (estimated), m4 (emulated)": devices whose times are not
                                measured (adi_profile_estimated), or NULL */
    char *profiles_key;      /* "<sha256>x<count>,..." per member: the points' `profiles` */
    size_t npoints;
    adi_point *points;
    shared_pool *pools;      /* [npools], see pool_index() */
    size_t npools;
    size_t len[ADI_PARAM_COUNT]; /* values of each swept parameter (1 when not swept) */
    int varies[ADI_PARAM_COUNT];
    double load_bytes;       /* check_load_memory()'s estimate */
    /* pull_batch > 1: each device's batch law as scales of its task time
    ** (adi_sim_policy_params.batch_scale): rows[nrows] of max_batch + 1
    ** entries (one for a synthetic pool, one per profile of a calibrated
    ** one), and row_of[i] device i's, for the largest pool of the sweep */
    uint64_t max_batch;
    double **rows;
    size_t nrows;
    const double **row_of;
    int policy_width;        /* adi_scenario_policy_width */
    /* [network]: the links as listed (or from the profiles), the segments */
    int network, links_profile;
    link_entry *links;
    size_t nlinks, nlinked;  /* entries; devices they give */
    char **seg_names;        /* [nseg], owned (one block) */
    double *seg_bw;          /* [nseg] bytes/s */
    size_t nseg;
};

/* ---- pass 1: lines and keys ------------------------------------------------ */

static int find_section(const char *name)
{
    for (int s = 0; s < SEC_COUNT; s++)
        if (strcmp(name, section_names[s]) == 0)
            return s;
    return -1;
}

/* inih would accept any section name: vet them as they come. */
static int on_section(void *user, const char *name, int line)
{
    (void)user;
    (void)line;
    if (find_section(name) < 0)
        return adi_fail(ADI_EINPUT,
                        "unknown section [%s] (expected [scenario], [devices], [workload], "
                        "[queue], [network] or [sweep])", name);
    return ADI_OK;
}

/* Levenshtein distance, for "did you mean" on misspelt keys. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];
    if (lb >= 64)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static const char *key_name_in(int k, int sec)
{
    return sec == SEC_SWEEP ? keys[k].sweep : keys[k].name;
}

static int unknown_key(int sec, const char *name)
{
    char expected[512] = "";
    const char *near = NULL;
    size_t best = 3;
    for (int k = 0; k < KEY_COUNT_; k++) {
        if (!(sec == SEC_SWEEP ? keys[k].sweep != NULL : (int)keys[k].section == sec))
            continue;
        const char *kn = key_name_in(k, sec);
        size_t used = strlen(expected);
        snprintf(expected + used, sizeof expected - used, "%s%s", used ? ", " : "", kn);
        size_t d = distance(name, kn);
        if (d < best) {
            best = d;
            near = kn;
        }
    }
    if (near)
        return adi_fail(ADI_EINPUT, "[%s] %s: unknown key; did you mean '%s'?",
                        section_names[sec], name, near);
    return adi_fail(ADI_EINPUT, "[%s] %s: unknown key (expected one of: %s)",
                    section_names[sec], name, expected);
}

/* Files each raw value under its key; values are parsed in pass 2. */
static int on_value(void *user, const char *section, const char *name, const char *value,
                    int line)
{
    adi_scenario *sc = user;
    int sec = find_section(section);
    if (sec < 0)
        return adi_fail(ADI_EINPUT, "%s: key outside of any section", name);
    int k;
    for (k = 0; k < KEY_COUNT_; k++) {
        const char *kn = key_name_in(k, sec);
        if ((sec == SEC_SWEEP || (int)keys[k].section == sec) && kn && strcmp(kn, name) == 0)
            break;
    }
    if (k == KEY_COUNT_)
        return unknown_key(sec, name);
    setting *st = &sc->set[k];
    int in_sweep = sec == SEC_SWEEP;
    if (st->raw) {
        if (st->in_sweep != in_sweep)
            return adi_fail(ADI_EINPUT,
                            "%s is given both in [%s] (line %d) and in [sweep] (line %d); "
                            "keep one",
                            keys[k].name, section_names[keys[k].section],
                            in_sweep ? st->line : line, in_sweep ? line : st->line);
        return adi_fail(ADI_EINPUT, "[%s] %s: given twice (first on line %d)",
                        section_names[sec], name, st->line);
    }
    if (!(st->raw = strdup(value)))
        return adi_fail(ADI_ENOMEM, "out of memory");
    st->line = line;
    st->in_sweep = in_sweep;
    return ADI_OK;
}

/* ---- pass 2: values --------------------------------------------------------- */

static int parse_value(int k, const char *text, scalar *v)
{
    switch (keys[k].kind) {
    case K_NAME:
        for (const char *c = text; *c; c++)
            if (!(isalnum((unsigned char)*c) || strchr("._-", *c)))
                return adi_fail(ADI_EINPUT,
                                "expected letters, digits, '.', '_' or '-', got '%s'", text);
        return *text ? ADI_OK : adi_fail(ADI_EINPUT, "expected a name, got nothing");
    case K_UINT: {
        int rc = adi_parse_uint(text, 0, &v->u);
        if (rc == ADI_OK && v->u > INT64_MAX) /* stored as a SQLite integer */
            return adi_fail(ADI_EINPUT, "expected at most 2^63-1, got '%s'", text);
        return rc;
    }
    case K_COUNT:
    case K_DEVICES:
    case K_TASKS: {
        uint64_t max = keys[k].kind == K_DEVICES ? MAX_DEVICES
                     : keys[k].kind == K_TASKS ? MAX_TASKS : MAX_REPLICATIONS;
        int rc = adi_parse_uint(text, 1, &v->u);
        if (rc == ADI_OK && v->u > max)
            return adi_fail(ADI_EINPUT, "expected at most %llu, got '%s'",
                            (unsigned long long)max, text);
        return rc;
    }
    case K_TIME:
    case K_TIMES:
    case K_TIME0: {
        int rc = adi_parse_time(text, &v->d);
        return rc == ADI_OK ? adi_check_time(v->d, keys[k].kind == K_TIME0, text) : rc;
    }
    case K_HETEROGENEITY:
    case K_CV: {
        /* heterogeneity: n <= MAX_DEVICES positive times have std/mean below
        ** sqrt(n - 1) < 1000; cv: the largest any family takes (sampler.h) */
        double max = keys[k].kind == K_CV ? ADI_LOGNORMAL_MAX_CV : 1000;
        int rc = adi_parse_real(text, &v->d);
        if (rc == ADI_OK && !(v->d >= 0 && (keys[k].kind == K_CV ? v->d <= max : v->d < max)))
            return adi_fail(ADI_EINPUT, "expected a number from 0 to %s%g, got '%s'",
                            keys[k].kind == K_CV ? "" : "below ", max, text);
        return rc;
    }
    case K_RATE: {
        /* the mean gap between arrivals is a time adisim simulates */
        if (adi_parse_rate(text, &v->d) != ADI_OK ||
            !(v->d >= 1 / ADI_TIME_MAX && v->d <= 1 / ADI_TIME_MIN))
            return adi_fail(ADI_EINPUT, "expected a rate from 1e-9/s to 1e12/s (one arrival "
                            "every 1e9 s to every 1 ps) such as 200, 200/s or 0.2/ms, got '%s'",
                            text);
        return ADI_OK;
    }
    case K_CAPACITY: return adi_parse_capacity(text, &v->u);
    case K_POLICY: {
        const adi_policy_desc *e = NULL;
        int rc = adi_policy_parse(text, &e);
        v->e = rc == ADI_OK ? (int)adi_policy_index(e) : 0;
        return rc;
    }
    case K_WORKLOAD: {
        const adi_workload_desc *e = NULL;
        int rc = adi_workload_parse(text, &e);
        v->e = rc == ADI_OK ? (int)adi_workload_index(e) : 0;
        return rc;
    }
    case K_OVERFLOW: {
        adi_overflow e = ADI_OVERFLOW_BLOCK;
        int rc = adi_overflow_parse(text, &e);
        v->e = (int)e;
        return rc;
    }
    case K_DIST: {
        adi_dist e = ADI_DIST_DETERMINISTIC;
        int rc = adi_dist_parse(text, &e);
        v->e = (int)e;
        return rc;
    }
    case K_WARMUP: {
        size_t len = strlen(text);
        while (len && text[len - 1] == ' ')
            len--;
        if (len && text[len - 1] == '%') {
            char number[64];
            snprintf(number, sizeof number, "%.*s", (int)(len - 1), text);
            if (adi_parse_real(number, &v->d) != ADI_OK || v->d < 0 || v->d >= 100)
                return adi_fail(ADI_EINPUT, "expected a percentage in [0%%, 100%%), got '%s'", text);
            v->d /= 100;
            return ADI_OK;
        }
        /* A count is kept as -(count + 1) in the same double, so that d < 0
        ** tells it from a fraction (the scalar is a union: writing u would
        ** overwrite the marker). Counts are at most MAX_TASKS < 2^53. */
        uint64_t count;
        if (adi_parse_uint(text, 0, &count) != ADI_OK)
            return adi_fail(ADI_EINPUT, "expected a number of arrivals or a percentage such as "
                            "10%%, got '%s'", text);
        if (count > MAX_TASKS)
            return adi_fail(ADI_EINPUT, "expected at most %llu arrivals, got '%s'",
                            (unsigned long long)MAX_TASKS, text);
        v->d = -(double)count - 1;
        return ADI_OK;
    }
    case K_PERCENTILES:
        if (strcmp(text, "streaming") && strcmp(text, "exact"))
            return adi_fail(ADI_EINPUT, "expected streaming or exact, got '%s'", text);
        v->e = strcmp(text, "exact") == 0;
        return ADI_OK;
    case K_KERNEL: {
        adi_kernel e = ADI_KERNEL_CONV;
        int rc = adi_kernel_parse(text, &e);
        v->e = (int)e;
        return rc;
    }
    case K_PROFILES: return ADI_OK; /* read by resolve_profiles(): it needs files */
    case K_LINKS:
    case K_SEGMENTS: return ADI_OK; /* read by resolve_network(): they name each other */
    case K_BANDWIDTH: return adi_parse_bandwidth(text, 1, &v->d);
    case K_BYTES: return adi_parse_bytes(text, &v->d);
    case K_SCALE:
        if (adi_parse_real(text, &v->d) != ADI_OK ||
            !(v->d >= MIN_LINK_SCALE && v->d <= MAX_LINK_SCALE))
            return adi_fail(ADI_EINPUT, "expected a factor from %g to %g such as 0.5 or 10, "
                            "got '%s'", MIN_LINK_SCALE, MAX_LINK_SCALE, text);
        return ADI_OK;
    case K_INDICES:
        if (strcmp(text, "all") == 0) {
            v->u = ALL_DEVICES;
            return ADI_OK;
        }
        if (adi_parse_uint(text, 0, &v->u) != ADI_OK || v->u >= MAX_DEVICES)
            return adi_fail(ADI_EINPUT, "expected all or device indices (0 = the first "
                            "device), got '%s'", text);
        return ADI_OK;
    case K_PREFETCH: {
        int rc = adi_parse_uint(text, 0, &v->u);
        if (rc == ADI_OK && v->u >= MAX_OUT)
            return adi_fail(ADI_EINPUT, "expected at most %llu, got '%s'",
                            (unsigned long long)MAX_OUT - 1, text);
        return rc;
    }
    case K_IDLE: {
        adi_idle_choice e = ADI_IDLE_LONGEST;
        int rc = adi_idle_choice_parse(text, &e);
        v->e = (int)e;
        return rc;
    }
    case K_ESTIMATES: {
        adi_estimates e = ADI_ESTIMATES_EXACT;
        int rc = adi_estimates_parse(text, &e);
        v->e = (int)e;
        return rc;
    }
    case K_VICTIM: {
        adi_victim e = ADI_VICTIM_LONGEST;
        int rc = adi_victim_parse(text, &e);
        v->e = (int)e;
        return rc;
    }
    case K_STEAL_START: {
        adi_steal_start e = ADI_STEAL_START_WEIGHTED;
        int rc = adi_steal_start_parse(text, &e);
        v->e = (int)e;
        return rc;
    }
    case K_BATCH:
    case K_CHOICES: {
        uint64_t max = keys[k].kind == K_BATCH ? MAX_PULL_BATCH : MAX_DEVICES;
        if (adi_parse_uint(text, 1, &v->u) != ADI_OK || v->u > max)
            return adi_fail(ADI_EINPUT, "expected a whole number from 1 to %llu, got '%s'",
                            (unsigned long long)max, text);
        return ADI_OK;
    }
    case K_DELAY: {
        if (strcmp(text, "inf") == 0) {
            v->d = INFINITY;
            return ADI_OK;
        }
        int rc = adi_parse_time(text, &v->d);
        return rc == ADI_OK ? adi_check_time(v->d, 1, text) : rc;
    }
    case K_FRACTION:
        if (adi_parse_real(text, &v->d) != ADI_OK || !(v->d >= 0 && v->d <= 1))
            return adi_fail(ADI_EINPUT, "expected a fraction from 0 to 1 such as 0.3, got '%s'",
                            text);
        return ADI_OK;
    case K_SERIALDEV:
        if (strcmp(text, "fastest") == 0)
            v->u = SERIAL_FASTEST;
        else if (strcmp(text, "slowest") == 0)
            v->u = SERIAL_SLOWEST;
        else if (adi_parse_uint(text, 0, &v->u) != ADI_OK)
            return adi_fail(ADI_EINPUT, "expected fastest, slowest or a device index, got '%s'",
                            text);
        return ADI_OK;
    }
    return adi_fail(ADI_EINTERNAL, "no parser for key %s", keys[k].name);
}

static int same_value(int k, scalar a, scalar b)
{
    switch (keys[k].kind) {
    case K_TIME: case K_TIME0: case K_HETEROGENEITY: case K_CV: case K_RATE: case K_TIMES:
    case K_BANDWIDTH: case K_BYTES: case K_SCALE: case K_DELAY: case K_FRACTION:
        return a.d == b.d;
    case K_POLICY: case K_WORKLOAD: case K_OVERFLOW: case K_DIST: case K_PERCENTILES: case K_KERNEL:
    case K_IDLE: case K_ESTIMATES: case K_VICTIM: case K_STEAL_START:
        return a.e == b.e;
    default: return a.u == b.u;
    }
}

/* "path:line: [section] key: " + the message from the value parser. */
static int key_error(const adi_scenario *sc, int k)
{
    const setting *st = &sc->set[k];
    const char *sec = st->in_sweep ? "sweep" : section_names[keys[k].section];
    const char *name = st->in_sweep ? keys[k].sweep : keys[k].name;
    if (st->line)
        return adi_fail_prefix(ADI_EINPUT, "%s:%d: [%s] %s", sc->path, st->line, sec, name);
    return adi_fail_prefix(ADI_EINPUT, "%s: [%s] %s (default)", sc->path, sec, name);
}

static int parse_setting(adi_scenario *sc, int k)
{
    setting *st = &sc->set[k];
    const char *text = st->raw ? st->raw : keys[k].def;
    if (!text || keys[k].kind == K_PROFILES || keys[k].kind == K_LINKS ||
        keys[k].kind == K_SEGMENTS)
        return ADI_OK;
    int list = st->in_sweep || keys[k].kind == K_TIMES || keys[k].kind == K_INDICES;
    char **items = NULL;
    size_t count = 1;
    if (list) {
        if (adi_split_list(text, &items, &count) != ADI_OK)
            return key_error(sc, k);
    } else if (keys[k].sweep && strchr(text, ',')) {
        adi_fail(ADI_EINPUT, "takes one value; to run several, list them in [sweep] %s",
                 keys[k].sweep);
        return key_error(sc, k);
    }
    st->v = calloc(count, sizeof *st->v);
    if (!st->v) {
        free(items);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    st->n = count;
    int rc = ADI_OK;
    for (size_t i = 0; i < count && rc == ADI_OK; i++) {
        rc = parse_value(k, list ? items[i] : text, &st->v[i]);
        for (size_t j = 0; j < i && rc == ADI_OK && keys[k].kind != K_TIMES; j++)
            if (same_value(k, st->v[i], st->v[j]))
                rc = adi_fail(ADI_EINPUT, "'%s' is listed twice", items[i]);
    }
    free(items);
    return rc == ADI_OK ? ADI_OK : key_error(sc, k);
}

static int given(const adi_scenario *sc, int k) { return sc->set[k].raw != NULL; }

/* "[sweep] devices" or "count": a key as the user wrote it. */
static const char *written(const adi_scenario *sc, int k, char *buf, size_t size)
{
    if (sc->set[k].in_sweep)
        snprintf(buf, size, "[sweep] %s", keys[k].sweep);
    else
        snprintf(buf, size, "%s", keys[k].name);
    return buf;
}

static int conflict(const adi_scenario *sc, int a, int b, const char *why)
{
    const setting *sa = &sc->set[a], *sb = &sc->set[b];
    const setting *later = sa->line > sb->line ? sa : sb;
    int kl = later == sa ? a : b, ke = later == sa ? b : a;
    char nl[64], ne[64];
    return adi_fail(ADI_EINPUT, "%s:%d: %s: cannot be combined with %s (line %d): %s",
                    sc->path, later->line, written(sc, kl, nl, sizeof nl),
                    written(sc, ke, ne, sizeof ne), sc->set[ke].line, why);
}

static int missing(const adi_scenario *sc, int k, const char *why)
{
    const char *sweep = keys[k].sweep;
    return adi_fail(ADI_EINPUT, "%s: [%s] %s is required%s%s%s: %s", sc->path,
                    section_names[keys[k].section], keys[k].name,
                    sweep ? " (or [sweep] " : "", sweep ? sweep : "", sweep ? ")" : "", why);
}

/* "profiles/pi.ini x4" -> path and count (1 without "xN"). *path points into
** item, which is cut at the end of the path. */
static int parse_member(char *item, char **path, size_t *count)
{
    *count = 1;
    *path = item;
    char *sp = NULL;
    for (char *c = item; *c; c++)
        if (*c == ' ' || *c == '\t')
            sp = c;
    if (!sp || sp[1] != 'x')
        return ADI_OK;
    uint64_t n;
    if (adi_parse_uint(sp + 2, 0, &n) != ADI_OK)
        return ADI_OK; /* "x" followed by something else: part of the path */
    if (n < 1 || n > MAX_DEVICES)
        return adi_fail(ADI_EINPUT, "'%s': the number of devices must be 1 to %llu", item,
                        (unsigned long long)MAX_DEVICES);
    *count = (size_t)n;
    while (sp > item && (sp[-1] == ' ' || sp[-1] == '\t'))
        sp--;
    *sp = '\0';
    return ADI_OK;
}

/* The path of a profile named in the scenario: relative to its directory. */
static char *profile_path(const adi_scenario *sc, const char *name)
{
    const char *slash = strrchr(sc->path, '/');
    size_t dir = name[0] == '/' || !slash ? 0 : (size_t)(slash - sc->path) + 1;
    char *out = malloc(dir + strlen(name) + 1);
    if (out) {
        memcpy(out, sc->path, dir);
        strcpy(out + dir, name);
    }
    return out;
}

/* A profile read for a pool must have the kernel, run the same task as the
** pool's first profile (devices of one pool share one queue of tasks), and
** have a fitted law if the distribution draws from one. */
static int check_profile(const adi_scenario *sc, const adi_profile *pf, adi_kernel kernel,
                         adi_dist dist)
{
    const adi_kernel_profile *kp, *first = sc->profiles[0]->kernel[kernel];
    int rc = adi_profile_need(pf, kernel, &kp);
    if (rc != ADI_OK)
        return rc;
    if (first && kp != first &&
        (memcmp(&kp->shape, &first->shape, sizeof kp->shape) != 0 ||
         strcmp(kp->layer, first->layer) != 0)) {
        char a[64], b[64];
        return adi_fail(ADI_EINPUT, "%s: [%s] is %s, batch %zu, but %s's is %s, batch %zu: the "
                        "devices of a pool must run the same task (calibrate them with the same "
                        "--shape and --batch)", pf->path, adi_kernel_name(kernel),
                        adi_kernel_profile_shape(kp, a, sizeof a), kp->shape.batch,
                        sc->profiles[0]->path, adi_kernel_profile_shape(first, b, sizeof b),
                        first->shape.batch);
    }
    if ((dist == ADI_DIST_LOGNORMAL || dist == ADI_DIST_GAMMA) &&
        kp->fit.best == ADI_DIST_DETERMINISTIC)
        return adi_fail(ADI_EINPUT, "%s: [%s] has no fitted law (its %zu times are all equal); "
                        "use distribution = empirical or deterministic", pf->path,
                        adi_kernel_name(kernel), kp->nsamples);
    return ADI_OK;
}

/* sc->estimated from the profiles read. */
static int note_estimated(adi_scenario *sc)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return adi_fail(ADI_ENOMEM, "out of memory");
    int any = 0;
    for (size_t i = 0; i < sc->nprofiles; i++)
        if (adi_profile_estimated(sc->profiles[i]))
            fprintf(f, "%s%s (%s)", any++ ? ", " : "", sc->profiles[i]->device,
                    adi_source_name(sc->profiles[i]->source));
    if (fclose(f) != 0 || !buf) {
        free(buf);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    if (any)
        sc->estimated = buf;
    else
        free(buf);
    return ADI_OK;
}

/* sc->profiles_key: what the pool was measured as, for the point keys. */
static int identify_profiles(adi_scenario *sc)
{
    size_t size = 1; /* each member: a SHA-256, 'x', its count (< 2^64), a comma */
    for (size_t i = 0; i < sc->nmembers; i++)
        size += 64 + 1 + 20 + 1;
    char *at = sc->profiles_key = malloc(size);
    if (!at)
        return adi_fail(ADI_ENOMEM, "out of memory");
    *at = '\0';
    for (size_t i = 0; i < sc->nmembers; i++)
        at += sprintf(at, "%s%sx%zu", i ? "," : "", sc->profiles[sc->members[i].profile]->sha256,
                      sc->members[i].count);
    return ADI_OK;
}

/* Distinct profile j, named `name` in the scenario, at `path`: its text from
** the stored files when they hold that name (a scenario read back from a
** database), else from the file. Keeps the name and the text. */
static int read_profile(adi_scenario *sc, size_t j, const char *name, const char *path)
{
    char *text = NULL;
    for (size_t i = 0; i < sc->nstored && !text; i++)
        if (strcmp(sc->stored[i].name, name) == 0 &&
            !(text = strdup(sc->stored[i].text)))
            return adi_fail(ADI_ENOMEM, "out of memory");
    int rc = text ? ADI_OK : adi_ini_read_file(path, &text);
    if (rc != ADI_OK)
        return rc;
    if (!(sc->profile_names[j] = strdup(name))) {
        free(text);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    sc->profile_texts[j] = text;
    rc = adi_profile_parse(path, text, &sc->profiles[j]);
    sc->nprofiles = j + 1; /* names and texts are freed with it, even on failure */
    return rc;
}

/* Reads [devices] profiles: each distinct file once, in listed order, each
** checked for the kernel asked for (check_profile). Errors name the
** scenario's line and the profile's file, line and key. */
static int resolve_profiles(adi_scenario *sc, adi_dist dist)
{
    adi_kernel kernel = (adi_kernel)sc->set[KEY_KERNEL].v[0].e;
    char **items = NULL, **paths = NULL;
    size_t n = 0;
    int rc = adi_split_list(sc->set[KEY_PROFILES].raw, &items, &n);
    if (rc != ADI_OK)
        return key_error(sc, KEY_PROFILES);
    sc->members = calloc(n, sizeof *sc->members);
    sc->profiles = calloc(n, sizeof *sc->profiles);
    sc->profile_names = calloc(n, sizeof *sc->profile_names);
    sc->profile_texts = calloc(n, sizeof *sc->profile_texts);
    paths = calloc(n, sizeof *paths);
    if (!sc->members || !sc->profiles || !sc->profile_names || !sc->profile_texts || !paths) {
        rc = adi_fail(ADI_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n && rc == ADI_OK; i++) {
        char *name;
        size_t count, j;
        if ((rc = parse_member(items[i], &name, &count)) != ADI_OK)
            break;
        char *path = profile_path(sc, name);
        if (!path) {
            rc = adi_fail(ADI_ENOMEM, "out of memory");
            break;
        }
        for (j = 0; j < sc->nprofiles && strcmp(paths[j], path) != 0; j++)
            ;
        if (j == sc->nprofiles) {
            paths[j] = path;
            rc = read_profile(sc, j, name, path);
            if (rc == ADI_OK)
                rc = check_profile(sc, sc->profiles[j], kernel, dist);
        } else {
            free(path);
        }
        sc->members[i] = (member){j, count};
        sc->nmembers = i + 1;
        sc->ncalibrated += count;
        if (rc == ADI_OK && sc->ncalibrated > MAX_DEVICES)
            rc = adi_fail(ADI_EINPUT, "more than %llu devices in all",
                          (unsigned long long)MAX_DEVICES);
    }
    if (rc == ADI_EINPUT)
        key_error(sc, KEY_PROFILES);
    if (rc == ADI_OK)
        rc = note_estimated(sc);
    if (rc == ADI_OK)
        rc = identify_profiles(sc);
done:
    for (size_t j = 0; paths && j < n; j++)
        free(paths[j]);
    free(paths);
    free(items);
    return rc;
}

/* [devices] profiles: nothing else may describe the pool or its spread. */
static int calibrated_pool(adi_scenario *sc, adi_dist dist)
{
    static const int synthetic[] = {KEY_COUNT, KEY_MEAN_TIME, KEY_HETEROGENEITY, KEY_TIMES};
    for (size_t i = 0; i < 4; i++)
        if (given(sc, synthetic[i]))
            return conflict(sc, KEY_PROFILES, synthetic[i],
                            "the profiles fix the pool's size and every device's times");
    if (given(sc, KEY_CV))
        return conflict(sc, KEY_PROFILES, KEY_CV,
                        "the spread of each device's times is measured in its profile");
    if (dist == ADI_DIST_EXPONENTIAL)
        return adi_fail(ADI_EINPUT, "%s:%d: [devices] distribution: exponential would ignore "
                        "the measured spread; with profiles use empirical, lognormal, gamma "
                        "or deterministic", sc->path, sc->set[KEY_DISTRIBUTION].line);
    setting *cv = &sc->set[KEY_CV];
    if (!(cv->v = calloc(1, sizeof *cv->v))) /* unused: each device has its own */
        return adi_fail(ADI_ENOMEM, "out of memory");
    cv->n = 1;
    return resolve_profiles(sc, dist);
}

/* times, or count + mean_time (+ heterogeneity); cv by distribution. */
static int synthetic_pool(adi_scenario *sc, adi_dist dist)
{
    if (given(sc, KEY_KERNEL))
        return adi_fail(ADI_EINPUT, "%s:%d: [devices] kernel: applies only to a calibrated pool "
                        "(give [devices] profiles)", sc->path, sc->set[KEY_KERNEL].line);
    if (dist == ADI_DIST_EMPIRICAL)
        return adi_fail(ADI_EINPUT, "%s:%d: [devices] distribution: empirical times come from "
                        "calibrated profiles, which this pool does not use", sc->path,
                        sc->set[KEY_DISTRIBUTION].line);
    if (given(sc, KEY_TIMES)) {
        static const int synthetic[] = {KEY_COUNT, KEY_MEAN_TIME, KEY_HETEROGENEITY};
        for (size_t i = 0; i < 3; i++)
            if (given(sc, synthetic[i]))
                return conflict(sc, KEY_TIMES, synthetic[i],
                                "explicit times fix the pool's size, mean and spread");
    } else {
        if (!given(sc, KEY_COUNT))
            return missing(sc, KEY_COUNT, "the pool needs a size (or give [devices] times)");
        if (!given(sc, KEY_MEAN_TIME))
            return missing(sc, KEY_MEAN_TIME, "the pool needs a mean task time");
    }

    /* One device's spread. */
    setting *cv = &sc->set[KEY_CV];
    if (!given(sc, KEY_CV)) {
        if (dist == ADI_DIST_LOGNORMAL || dist == ADI_DIST_GAMMA)
            return adi_fail(ADI_EINPUT, "%s:%d: [devices] cv is required with distribution = %s",
                            sc->path, sc->set[KEY_DISTRIBUTION].line, adi_dist_name(dist));
        cv->v = calloc(1, sizeof *cv->v);
        if (!cv->v)
            return adi_fail(ADI_ENOMEM, "out of memory");
        cv->n = 1;
        cv->v[0].d = dist == ADI_DIST_EXPONENTIAL ? 1 : 0;
    } else {
        double c = cv->v[0].d;
        const char *bad = dist == ADI_DIST_DETERMINISTIC && c != 0 ? "deterministic times have cv = 0"
                        : dist == ADI_DIST_EXPONENTIAL && c != 1 ? "exponential times have cv = 1"
                        : (dist == ADI_DIST_LOGNORMAL || dist == ADI_DIST_GAMMA) && c == 0
                            ? "use distribution = deterministic for cv = 0" : NULL;
        if (bad)
            return adi_fail(ADI_EINPUT, "%s:%d: [devices] cv: %s", sc->path, cv->line, bad);
        adi_sampler one; /* the family's own range (sampler.h) */
        if (adi_sampler_init(&one, dist, 1, c) != ADI_OK)
            return key_error(sc, KEY_CV);
    }
    return ADI_OK;
}

/* ---- [network] ----------------------------------------------------------------- */

static int valid_name(const char *t)
{
    for (const char *c = t; *c; c++)
        if (!(isalnum((unsigned char)*c) || strchr("._-", *c)))
            return 0;
    return *t != '\0';
}

/* [network] segments: "NAME BANDWIDTH, ...". */
static int parse_segments(adi_scenario *sc)
{
    const setting *st = &sc->set[KEY_SEGMENTS];
    char **items = NULL;
    size_t n = 0;
    if (!st->raw)
        return ADI_OK;
    if (adi_split_list(st->raw, &items, &n) != ADI_OK)
        return key_error(sc, KEY_SEGMENTS);
    sc->seg_names = calloc(n, sizeof *sc->seg_names);
    sc->seg_bw = calloc(n, sizeof *sc->seg_bw);
    int rc = sc->seg_names && sc->seg_bw ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t g = 0; g < n && rc == ADI_OK; g++) {
        char *item = items[g], *sp = item + strcspn(item, " \t");
        char *bw = sp + strspn(sp, " \t");
        if (*sp)
            *sp = '\0';
        if (!valid_name(item) || !*bw) {
            rc = adi_fail(ADI_EINPUT, "'%s': expected NAME BANDWIDTH such as wifi 50Mbit/s "
                          "(a name of letters, digits, . _ -)", items[g]);
            break;
        }
        for (size_t j = 0; j < g && rc == ADI_OK; j++)
            if (strcmp(sc->seg_names[j], item) == 0)
                rc = adi_fail(ADI_EINPUT, "segment %s is declared twice", item);
        if (rc == ADI_OK && (rc = adi_parse_bandwidth(bw, 1, &sc->seg_bw[g])) == ADI_OK &&
            !(sc->seg_names[g] = strdup(item)))
            rc = adi_fail(ADI_ENOMEM, "out of memory");
        sc->nseg = g + 1;
    }
    free(items);
    return rc == ADI_EINPUT ? key_error(sc, KEY_SEGMENTS) : rc;
}

/* One [network] links entry: BANDWIDTH LATENCY [@SEGMENT] [xN]. */
static int parse_link(const adi_scenario *sc, char *item, link_entry *e)
{
    char *word[5], *save = NULL;
    size_t nw = 0;
    for (char *w = strtok_r(item, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (nw == 4)
            return adi_fail(ADI_EINPUT, "too many words in a link: expected BANDWIDTH LATENCY "
                            "[@SEGMENT] [xN] such as 100Mbit/s 2ms @wifi x4");
        word[nw++] = w;
    }
    if (nw < 2)
        return adi_fail(ADI_EINPUT, "expected BANDWIDTH LATENCY [@SEGMENT] [xN] such as "
                        "1Gbit/s 50us, got '%s'", nw ? word[0] : "");
    int rc = adi_parse_bandwidth(word[0], 1, &e->link.bw);
    if (rc == ADI_OK && (rc = adi_parse_time(word[1], &e->link.latency)) == ADI_OK)
        rc = adi_check_time(e->link.latency, 1, word[1]);
    if (rc != ADI_OK)
        return rc;
    e->link.segment = -1;
    e->count = 1;
    int counted = 0;
    for (size_t i = 2; i < nw; i++) {
        if (word[i][0] == '@' && e->link.segment < 0) {
            size_t g;
            for (g = 0; g < sc->nseg && strcmp(sc->seg_names[g], word[i] + 1) != 0; g++)
                ;
            if (g == sc->nseg)
                return adi_fail(ADI_EINPUT, "%s: no such segment (declare it in [network] "
                                "segments, e.g. segments = %s 50Mbit/s)", word[i], word[i] + 1);
            e->link.segment = (long)g;
        } else if (word[i][0] == 'x' && !counted) {
            uint64_t n;
            if (adi_parse_uint(word[i] + 1, 1, &n) != ADI_OK || n > MAX_DEVICES)
                return adi_fail(ADI_EINPUT, "'%s': expected xN, N from 1 to %llu", word[i],
                                (unsigned long long)MAX_DEVICES);
            e->count = (size_t)n;
            counted = 1;
        } else {
            return adi_fail(ADI_EINPUT, "'%s': expected @SEGMENT or xN after BANDWIDTH "
                            "LATENCY", word[i]);
        }
    }
    return ADI_OK;
}

/* links = profile: each calibrated device's measured [link]. */
static int profile_links(adi_scenario *sc)
{
    if (!sc->nmembers)
        return adi_fail(ADI_EINPUT, "%s:%d: [network] links: profile takes each device's link "
                        "from its profile, and this pool has none ([devices] profiles)",
                        sc->path, sc->set[KEY_LINKS].line);
    sc->links = calloc(sc->nmembers, sizeof *sc->links);
    if (!sc->links)
        return adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t i = 0; i < sc->nmembers; i++) {
        const adi_link_profile *lp;
        if (adi_profile_link(sc->profiles[sc->members[i].profile], &lp) != ADI_OK)
            return key_error(sc, KEY_LINKS);
        /* the model's links are symmetric: the slower direction bounds both */
        sc->links[i] = (link_entry){{fmin(lp->down.mean, lp->up.mean), lp->latency.mean, -1},
                                    sc->members[i].count};
        if (!(sc->links[i].link.bw > 0 && isfinite(sc->links[i].link.latency))) {
            adi_fail(ADI_EINPUT, "%s: [link] has no usable bandwidth or latency",
                     sc->profiles[sc->members[i].profile]->path);
            return key_error(sc, KEY_LINKS);
        }
    }
    sc->nlinks = sc->nmembers;
    sc->nlinked = sc->ncalibrated;
    sc->links_profile = 1;
    return ADI_OK;
}

static int parse_links(adi_scenario *sc)
{
    if (strcmp(sc->set[KEY_LINKS].raw, "profile") == 0)
        return profile_links(sc);
    char **items = NULL;
    size_t n = 0;
    if (adi_split_list(sc->set[KEY_LINKS].raw, &items, &n) != ADI_OK)
        return key_error(sc, KEY_LINKS);
    sc->links = calloc(n, sizeof *sc->links);
    int rc = sc->links ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && rc == ADI_OK; i++) {
        rc = parse_link(sc, items[i], &sc->links[i]);
        sc->nlinks = i + 1;
        sc->nlinked += sc->links[i].count;
        if (rc == ADI_OK && sc->nlinked > MAX_DEVICES)
            rc = adi_fail(ADI_EINPUT, "more than %llu links in all",
                          (unsigned long long)MAX_DEVICES);
    }
    free(items);
    return rc == ADI_EINPUT ? key_error(sc, KEY_LINKS) : rc;
}

/* A task size a calibrated pool's kernel knows (profile.h), when not given. */
static int default_size(adi_scenario *sc, int k, int output)
{
    setting *st = &sc->set[k];
    if (st->raw)
        return ADI_OK;
    if (!sc->nmembers)
        return missing(sc, k, "a synthetic pool's tasks do not say their bytes (a calibrated "
                       "pool's come from its kernel)");
    const adi_kernel_profile *kp = sc->profiles[0]->kernel[(adi_kernel)sc->set[KEY_KERNEL].v[0].e];
    if (!(st->v = calloc(1, sizeof *st->v)))
        return adi_fail(ADI_ENOMEM, "out of memory");
    st->n = 1;
    st->v[0].d = output ? kp->output_bytes : kp->input_bytes;
    return ADI_OK;
}

/* [network]: nothing without links; with them the segments, the links and
** the task sizes. */
static int resolve_network(adi_scenario *sc)
{
    static const int net_keys[] = {KEY_COORDINATOR, KEY_SEGMENTS, KEY_INPUT_SIZE,
                                   KEY_OUTPUT_SIZE, KEY_PREFETCH, KEY_LINK_SCALE,
                                   KEY_LINK_SCALE_DEVICES};
    if (!given(sc, KEY_LINKS)) {
        for (size_t i = 0; i < sizeof net_keys / sizeof net_keys[0]; i++)
            if (given(sc, net_keys[i])) {
                char where[512];
                return adi_fail(ADI_EINPUT, "%s: a network needs [network] links (each "
                                "device's link to the coordinator)",
                                adi_scenario_key_where(sc, keys[net_keys[i]].name, where,
                                                       sizeof where));
            }
        return ADI_OK;
    }
    sc->network = 1;
    const setting *which = &sc->set[KEY_LINK_SCALE_DEVICES];
    if (given(sc, KEY_LINK_SCALE_DEVICES) && !given(sc, KEY_LINK_SCALE)) {
        adi_fail(ADI_EINPUT, "names the devices whose links link_scale multiplies, but no "
                 "link_scale is given ([network] link_scale or [sweep] link_scale)");
        return key_error(sc, KEY_LINK_SCALE_DEVICES);
    }
    for (size_t i = 0; which->n > 1 && i < which->n; i++)
        if (which->v[i].u == ALL_DEVICES) {
            adi_fail(ADI_EINPUT, "all names every device: give it alone, or device indices");
            return key_error(sc, KEY_LINK_SCALE_DEVICES);
        }
    int rc = parse_segments(sc);
    if (rc == ADI_OK)
        rc = parse_links(sc);
    if (rc == ADI_OK)
        rc = default_size(sc, KEY_INPUT_SIZE, 0);
    if (rc == ADI_OK)
        rc = default_size(sc, KEY_OUTPUT_SIZE, 1);
    return rc;
}

/* A pool's links: one entry for every device, or one per device; the
** devices link_scale_devices names (all by default) have their bandwidth
** multiplied by the point's link_scale. */
static int build_links(adi_scenario *sc, shared_pool *pool, double scale)
{
    size_t n = pool->n;
    if (sc->nlinked != 1 && sc->nlinked != n) {
        adi_fail(ADI_EINPUT, "%zu links for %zu devices: give one link (for every device) or "
                 "one per device, in device order (xN repeats an entry)", sc->nlinked, n);
        return key_error(sc, KEY_LINKS);
    }
    pool->links = malloc(n * sizeof *pool->links);
    pool->scaled = calloc(n, 1);
    if (!pool->links || !pool->scaled)
        return adi_fail(ADI_ENOMEM, "out of memory for %zu links", n);
    size_t d = 0;
    for (size_t e = 0; e < sc->nlinks; e++)
        for (size_t c = 0; c < sc->links[e].count; c++)
            pool->links[d++] = sc->links[e].link;
    for (; d < n; d++) /* one entry for all */
        pool->links[d] = sc->links[0].link;
    const setting *which = &sc->set[KEY_LINK_SCALE_DEVICES];
    for (size_t i = 0; i < which->n; i++) {
        uint64_t dev = which->v[i].u;
        if (dev == ALL_DEVICES) {
            memset(pool->scaled, 1, n);
        } else if (dev >= n) {
            adi_fail(ADI_EINPUT, "device %llu does not exist in a pool of %zu (devices are "
                     "numbered from 0)", (unsigned long long)dev, n);
            return key_error(sc, KEY_LINK_SCALE_DEVICES);
        } else {
            pool->scaled[dev] = 1;
        }
    }
    pool->link_scale = scale;
    for (d = 0; d < n && scale != 1; d++) {
        if (!pool->scaled[d])
            continue;
        /* An infinite link stays infinite: two scales would make two
        ** points with one key. */
        if (isinf(pool->links[d].bw)) {
            adi_fail(ADI_EINPUT, "device %zu's link has no bandwidth limit (inf), which no "
                     "scale changes: give it a bandwidth, or leave it out with "
                     "link_scale_devices", d);
            return key_error(sc, KEY_LINK_SCALE);
        }
        pool->links[d].bw *= scale;
        if (!isfinite(pool->links[d].bw)) {
            adi_fail(ADI_EINPUT, "x%g makes device %zu's bandwidth overflow", scale, d);
            return key_error(sc, KEY_LINK_SCALE);
        }
    }
    return ADI_OK;
}

/* "pull or steal": the policies that take a policy key (its bit). */
static void takers(unsigned bit, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t n = 0, total = 0;
    for (size_t i = 0; i < adi_policy_count(); i++)
        total += (adi_policy_at(i)->keys & bit) != 0;
    for (size_t i = 0; i < adi_policy_count(); i++) {
        if (!(adi_policy_at(i)->keys & bit))
            continue;
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", n == 0 ? "" : n + 1 == total ? " or " : ", ",
                 adi_policy_at(i)->name);
        n++;
    }
}

/* The largest value a swept or given count key takes. */
static uint64_t largest_u(const adi_scenario *sc, int k)
{
    uint64_t most = 0;
    for (size_t i = 0; i < sc->set[k].n; i++)
        if (sc->set[k].v[i].u > most)
            most = sc->set[k].v[i].u;
    return most;
}

/* The batch laws as scales of each device's task time: a synthetic pool's
** f + (1 - f) k, a calibrated one's T(k) / T(1) from each profile's law
** (model/batchlaw.h; refused beyond its largest measured batch). */
static int batch_rows(adi_scenario *sc)
{
    uint64_t b = sc->max_batch;
    size_t ndev = sc->nmembers ? sc->ncalibrated
                : sc->set[KEY_TIMES].n ? sc->set[KEY_TIMES].n : (size_t)largest_u(sc, KEY_COUNT);
    sc->nrows = sc->nmembers ? sc->nprofiles : 1;
    sc->rows = calloc(sc->nrows, sizeof *sc->rows);
    sc->row_of = malloc(ndev * sizeof *sc->row_of);
    if (!sc->rows || !sc->row_of)
        return adi_fail(ADI_ENOMEM, "out of memory");
    for (size_t r = 0; r < sc->nrows; r++)
        if (!(sc->rows[r] = malloc((b + 1) * sizeof **sc->rows)))
            return adi_fail(ADI_ENOMEM, "out of memory");
    adi_kernel kernel = (adi_kernel)sc->set[KEY_KERNEL].v[0].e;
    double f = sc->set[KEY_BATCH_OVERHEAD].v[0].d;
    for (size_t r = 0; r < sc->nrows; r++) {
        double *row = sc->rows[r];
        row[0] = 0;
        if (!sc->nmembers) {
            for (uint64_t k = 1; k <= b; k++)
                row[k] = k == 1 ? 1 : f + (1 - f) * (double)k;
            continue;
        }
        const adi_kernel_profile *kp = sc->profiles[r]->kernel[kernel];
        double one, t;
        for (uint64_t k = 1; k <= b; k++) {
            int rc = adi_batch_time(&kp->batch, k == 1 ? 1 : k, k == 1 ? &one : &t);
            if (rc != ADI_OK) {
                char where[512];
                return adi_fail_prefix(ADI_EINPUT, "%s: %s", adi_scenario_key_where(
                                       sc, keys[KEY_PULL_BATCH].name, where, sizeof where),
                                       sc->profiles[r]->path);
            }
            row[k] = k == 1 ? 1 : t / one;
        }
    }
    size_t d = 0;
    for (size_t m = 0; m < sc->nmembers; m++)
        for (size_t c = 0; c < sc->members[m].count; c++)
            sc->row_of[d++] = sc->rows[sc->members[m].profile];
    for (; d < ndev; d++)
        sc->row_of[d] = sc->rows[0];
    return ADI_OK;
}

/* The policy keys: each one given must be taken by a policy of the sweep;
** the keys of batches need a pull_batch above 1 (and a synthetic pool for
** batch_overhead); a policy that deals tasks by speed refuses a batch with
** drop and a finite queue. */
static int resolve_policy_keys(adi_scenario *sc)
{
    const setting *pol = &sc->set[KEY_POLICY];
    unsigned taken = 0;
    for (size_t i = 0; i < pol->n; i++)
        taken |= adi_policy_at((size_t)pol->v[i].e)->keys;
    char where[512], names[256];
    static const int extra[] = {KEY_BATCH_OVERHEAD};
    for (size_t i = 0; i < NPOLICY_KEYS + 1; i++) {
        int k = i < NPOLICY_KEYS ? (int)policy_keys[i] : extra[i - NPOLICY_KEYS];
        unsigned bit = adi_point_policy_key(k);
        if (!given(sc, k) || (taken & bit))
            continue;
        takers(bit, names, sizeof names);
        return adi_fail(ADI_EINPUT, "%s: applies only to policy %s, which this scenario does "
                        "not run", adi_scenario_key_where(sc, keys[k].name, where, sizeof where),
                        names);
    }
    sc->max_batch = largest_u(sc, KEY_PULL_BATCH);
    static const int batch_keys[] = {KEY_MAX_DELAY, KEY_BATCH_OVERHEAD};
    for (size_t i = 0; i < 2; i++)
        if (given(sc, batch_keys[i]) && sc->max_batch <= 1)
            return adi_fail(ADI_EINPUT, "%s: applies to batches, and pull_batch is 1 (give "
                            "[scenario] pull_batch = b > 1)", adi_scenario_key_where(
                            sc, keys[batch_keys[i]].name, where, sizeof where));
    if (given(sc, KEY_BATCH_OVERHEAD) && sc->nmembers)
        return conflict(sc, KEY_PROFILES, KEY_BATCH_OVERHEAD, "a calibrated pool's batch law is "
                        "its profiles' (calibrate --batch)");
    const adi_workload_desc *kind = adi_workload_at((size_t)sc->set[KEY_KIND].v[0].e);
    const setting *cap = &sc->set[KEY_CAPACITY];
    int finite = 0;
    for (size_t i = 0; i < cap->n; i++)
        finite |= cap->v[i].u != ADI_CAPACITY_INF;
    if (!kind->open && finite && sc->set[KEY_OVERFLOW].v[0].e == ADI_OVERFLOW_DROP)
        for (size_t i = 0; i < pol->n; i++) {
            const adi_policy_desc *p = adi_policy_at((size_t)pol->v[i].e);
            if (p->drop_limit)
                return adi_fail(ADI_EINPUT, "%s: policy %s does not run a batch with overflow = "
                                "drop and a finite capacity: %s", adi_scenario_key_where(
                                sc, keys[KEY_OVERFLOW].name, where, sizeof where), p->name,
                                p->drop_limit);
        }
    if (sc->max_batch <= 1)
        return ADI_OK;
    return batch_rows(sc);
}

static int resolve(adi_scenario *sc)
{
    for (int k = 0; k < KEY_COUNT_; k++)
        if (parse_setting(sc, k) != ADI_OK)
            return ADI_EINPUT;
    if (!given(sc, KEY_NAME))
        return missing(sc, KEY_NAME, "it names the scenario's results");
    if (!given(sc, KEY_TASKS))
        return missing(sc, KEY_TASKS, "the number of tasks m");

    /* The pool: profiles, explicit times, or count + mean_time (+ heterogeneity). */
    adi_dist dist = (adi_dist)sc->set[KEY_DISTRIBUTION].v[0].e;
    int rc = given(sc, KEY_PROFILES) ? calibrated_pool(sc, dist) : synthetic_pool(sc, dist);
    if (rc != ADI_OK)
        return rc;

    /* Workload. */
    const adi_workload_desc *kind = adi_workload_at((size_t)sc->set[KEY_KIND].v[0].e);
    if (kind->open && !given(sc, KEY_RATE)) {
        char why[128];
        snprintf(why, sizeof why, "a %s workload needs an arrival rate", kind->name);
        return missing(sc, KEY_RATE, why);
    }
    static const int open_only[] = {KEY_RATE, KEY_WARMUP};
    for (size_t i = 0; i < 2 && !kind->open; i++)
        if (given(sc, open_only[i])) {
            char open[256] = "";
            for (size_t w = 0, len = 0; adi_workload_at(w) && len < sizeof open; w++)
                if (adi_workload_at(w)->open)
                    len += (size_t)snprintf(open + len, sizeof open - len, "%s%s",
                                            len ? " or " : "", adi_workload_at(w)->name);
            return adi_fail(ADI_EINPUT, "%s:%d: %s: applies only to kind = %s (this workload "
                            "is %s: %s)", sc->path, sc->set[open_only[i]].line,
                            keys[open_only[i]].name, open, kind->name, kind->help);
        }
    /* Every policy of the sweep runs the workload. */
    const setting *pol = &sc->set[KEY_POLICY];
    for (size_t i = 0; i < pol->n; i++) {
        const adi_policy_desc *p = adi_policy_at((size_t)pol->v[i].e);
        char where[512];
        if (!adi_policy_runs(p, kind))
            return adi_fail(ADI_EINPUT, "%s: policy %s does not run %s workloads (kind = %s)",
                            adi_scenario_key_where(sc, keys[KEY_POLICY].name, where,
                                                   sizeof where),
                            p->name, kind->open ? "open" : "closed", kind->name);
    }
    if ((rc = resolve_network(sc)) != ADI_OK)
        return rc;
    return resolve_policy_keys(sc);
}

/* ---- pass 3: points ---------------------------------------------------------- */

static double value_d(const adi_scenario *sc, int k, const size_t *choice, int param)
{
    const setting *st = &sc->set[k];
    return st->n ? st->v[param >= 0 ? choice[param] : 0].d : 0;
}

static uint64_t value_u(const adi_scenario *sc, int k, const size_t *choice, int param)
{
    const setting *st = &sc->set[k];
    return st->n ? st->v[param >= 0 ? choice[param] : 0].u : 0;
}

static int value_e(const adi_scenario *sc, int k, const size_t *choice, int param)
{
    const setting *st = &sc->set[k];
    return st->n ? st->v[param >= 0 ? choice[param] : 0].e : 0;
}

/* The policy keys of the point at choice: the swept or given value when its
** policy takes the key, else the default (what the engine then runs). */
static int point_params(const adi_scenario *sc, const size_t *choice, adi_point *p)
{
    unsigned takes = p->policy->keys;
    adi_sim_policy_params *q = &p->params;
    *q = adi_sim_default_params;
    if (takes & ADI_POLICY_KEY_IDLE_CHOICE)
        q->idle_choice = (adi_idle_choice)value_e(sc, KEY_IDLE_CHOICE, choice,
                                                  ADI_PARAM_IDLE_CHOICE);
    if (takes & ADI_POLICY_KEY_PULL_BATCH) {
        q->batch = value_u(sc, KEY_PULL_BATCH, choice, ADI_PARAM_PULL_BATCH);
        if (q->batch > 1) {
            q->max_delay = value_d(sc, KEY_MAX_DELAY, choice, ADI_PARAM_MAX_DELAY);
            q->batch_scale = sc->row_of;
            p->batch_overhead = sc->set[KEY_BATCH_OVERHEAD].v[0].d;
        }
    }
    if (takes & ADI_POLICY_KEY_ESTIMATES)
        q->estimates = (adi_estimates)value_e(sc, KEY_ESTIMATES, choice, ADI_PARAM_ESTIMATES);
    if (takes & ADI_POLICY_KEY_VICTIM)
        q->victim = (adi_victim)value_e(sc, KEY_VICTIM, choice, ADI_PARAM_VICTIM);
    if (takes & ADI_POLICY_KEY_STEAL_START)
        q->steal_start = (adi_steal_start)value_e(sc, KEY_STEAL_START, choice,
                                                  ADI_PARAM_STEAL_START);
    if (takes & ADI_POLICY_KEY_CHOICES) {
        q->choices = value_u(sc, KEY_CHOICES, choice, ADI_PARAM_CHOICES);
        if (q->choices > p->n_devices) {
            char where[512];
            return adi_fail(ADI_EINPUT, "%s: %llu choices from a pool of %zu devices: pod "
                            "draws d different devices, at most the pool", adi_scenario_key_where(
                            sc, keys[KEY_CHOICES].name, where, sizeof where),
                            (unsigned long long)q->choices, p->n_devices);
        }
    }
    return ADI_OK;
}

/* A combination of the sweep that is no point of its own: a swept policy
** key at another value than its first, for a policy that does not take it
** (or a key of batches for a point without them): it would repeat the
** point at the first value. */
static int repeats(const adi_scenario *sc, const size_t *choice)
{
    const adi_policy_desc *pol = adi_policy_at((size_t)sc->set[KEY_POLICY].v[choice[ADI_PARAM_POLICY]].e);
    int batched = (pol->keys & ADI_POLICY_KEY_PULL_BATCH) &&
                  value_u(sc, KEY_PULL_BATCH, choice, ADI_PARAM_PULL_BATCH) > 1;
    for (size_t i = 0; i < NPOLICY_KEYS; i++) {
        int k = (int)policy_keys[i];
        if (choice[ADI_PARAM_IDLE_CHOICE + i] == 0)
            continue;
        if (!(pol->keys & adi_point_policy_key(k)) || (k == KEY_MAX_DELAY && !batched))
            return 1;
    }
    return 0;
}

static void point_free(adi_point *p)
{
    free(p->key); /* times and device are the pool's */
    free(p->infeasible);
}

/* The pool of the point at choice: synthetic pools differ by n, h and T,
** and over a network every pool by its link_scale (its links). */
static size_t pool_index(const adi_scenario *sc, const size_t *choice)
{
    size_t scale = choice[ADI_PARAM_LINK_SCALE];
    if (sc->nmembers || sc->set[KEY_TIMES].n)
        return scale;
    return ((choice[ADI_PARAM_DEVICES] * sc->len[ADI_PARAM_HETEROGENEITY] +
             choice[ADI_PARAM_HETEROGENEITY]) * sc->len[ADI_PARAM_MEAN_TIME] +
            choice[ADI_PARAM_MEAN_TIME]) * sc->len[ADI_PARAM_LINK_SCALE] + scale;
}

/* Each device of a calibrated pool samples its profile's measurement of
** the kernel: the sorted samples (borrowed from the profile, which the
** scenario owns), the fitted family, or their mean. T_i is the mean of
** what it samples, so the model's bounds describe the simulated pool. */
static int calibrated_devices(const adi_scenario *sc, adi_point *p)
{
    adi_kernel kernel = (adi_kernel)sc->set[KEY_KERNEL].v[0].e;
    size_t d = 0;
    double cvsum = 0;
    for (size_t m = 0; m < sc->nmembers; m++) {
        const adi_profile *pf = sc->profiles[sc->members[m].profile];
        const adi_kernel_profile *kp = pf->kernel[kernel];
        for (size_t c = 0; c < sc->members[m].count; c++, d++) {
            adi_sampler *dev = &p->device[d];
            int rc;
            if (p->dist == ADI_DIST_EMPIRICAL) {
                rc = adi_sampler_init_empirical(dev, kp->sorted, kp->nsamples);
            } else if (p->dist == ADI_DIST_DETERMINISTIC) {
                rc = adi_sampler_init(dev, p->dist, kp->stats.mean, 0);
            } else {
                const adi_fit_family *f = p->dist == ADI_DIST_GAMMA ? &kp->fit.gamma
                                                                    : &kp->fit.lognormal;
                double mean, cv;
                adi_fit_moments(p->dist, f->p1, f->p2, &mean, &cv);
                rc = adi_sampler_init(dev, p->dist, mean, cv);
            }
            if (rc == ADI_OK && adi_check_time(dev->mean, 0, "its mean") != ADI_OK)
                rc = adi_fail(ADI_EINPUT, "a mean task time of %g s: expected 1 ps to 1e9 s",
                              dev->mean);
            if (rc != ADI_OK)
                return adi_fail_prefix(ADI_EINPUT, "%s:%d: [devices] profiles: %s: [%s]",
                                       sc->path, sc->set[KEY_PROFILES].line, pf->path,
                                       adi_kernel_name(kernel));
            p->times[d] = dev->mean;
            cvsum += dev->cv;
        }
    }
    double sum = 0;
    for (size_t i = 0; i < p->n_devices; i++)
        sum += p->times[i];
    p->mean_time = sum / (double)p->n_devices;
    p->heterogeneity = adi_pool_cv(p->times, p->n_devices);
    p->cv = cvsum / (double)p->n_devices;
    return ADI_OK;
}

/* Builds pool `pool` from point p's parameters (its first point): the
** T_i, the samplers, the extremes; p's fields describe the pool after it. */
static int build_pool(adi_scenario *sc, const size_t *choice, adi_point *p, shared_pool *pool)
{
    const setting *times = &sc->set[KEY_TIMES];
    p->explicit_times = times->n > 0;
    p->calibrated = sc->nmembers > 0;
    p->n_devices = p->calibrated ? sc->ncalibrated
                 : p->explicit_times ? times->n
                 : (size_t)value_u(sc, KEY_COUNT, choice, ADI_PARAM_DEVICES);
    pool->times = p->times = malloc(p->n_devices * sizeof *p->times);
    pool->device = p->device = calloc(p->n_devices, sizeof *p->device);
    pool->n = p->n_devices;
    if (!p->times || !p->device)
        return adi_fail(ADI_ENOMEM, "out of memory for %zu devices", p->n_devices);
    if (p->calibrated) {
        int rc = calibrated_devices(sc, p);
        if (rc != ADI_OK)
            return rc;
    } else if (p->explicit_times) {
        double sum = 0;
        for (size_t i = 0; i < p->n_devices; i++)
            sum += p->times[i] = times->v[i].d;
        p->mean_time = sum / (double)p->n_devices;
        p->heterogeneity = adi_pool_cv(p->times, p->n_devices);
    } else {
        p->mean_time = value_d(sc, KEY_MEAN_TIME, choice, ADI_PARAM_MEAN_TIME);
        p->heterogeneity = value_d(sc, KEY_HETEROGENEITY, choice, ADI_PARAM_HETEROGENEITY);
        int rc = adi_pool_spread(p->n_devices, p->mean_time, p->heterogeneity, p->times);
        if (rc == ADI_EINPUT) {
            if (!(p->infeasible = strdup(adi_errmsg())))
                return adi_fail(ADI_ENOMEM, "out of memory");
            for (size_t i = 0; i < p->n_devices; i++)
                p->times[i] = p->mean_time;
        } else if (rc != ADI_OK) {
            return rc;
        } else if (!(p->times[0] >= ADI_TIME_MIN && p->times[p->n_devices - 1] <= ADI_TIME_MAX)) {
            /* sorted ascending: the extremes are the fastest and the slowest */
            int k = sc->set[KEY_HETEROGENEITY].line ? KEY_HETEROGENEITY : KEY_MEAN_TIME;
            adi_fail(ADI_EINPUT, "h = %g over n = %zu devices of mean %g s gives devices mean "
                     "times from %g s to %g s; each must be from 1 ps to 1e9 s",
                     p->heterogeneity, p->n_devices, p->mean_time, p->times[0],
                     p->times[p->n_devices - 1]);
            return key_error(sc, k);
        }
    }
    size_t fastest = 0, slowest = 0;
    for (size_t i = 0; i < p->n_devices; i++) {
        if (!p->calibrated && adi_sampler_init(&p->device[i], p->dist, p->times[i], p->cv) != ADI_OK)
            return adi_fail_prefix(ADI_EINPUT, "%s: device %zu", sc->path, i);
        if (p->times[i] < p->times[fastest])
            fastest = i;
        if (p->times[i] > p->times[slowest])
            slowest = i;
    }
    pool->fastest = fastest;
    pool->slowest = slowest;
    pool->mean_time = p->mean_time;
    pool->heterogeneity = p->heterogeneity;
    pool->cv = p->cv;
    pool->infeasible = p->infeasible; /* the pool's; each point gets a copy */
    p->infeasible = NULL;
    if (sc->network) {
        int rc = build_links(sc, pool, value_d(sc, KEY_LINK_SCALE, choice,
                                               ADI_PARAM_LINK_SCALE));
        if (rc != ADI_OK)
            return rc;
    }
    pool->built = 1;
    return ADI_OK;
}

static int make_point(adi_scenario *sc, size_t index, const size_t *choice, adi_point *p)
{
    memset(p, 0, sizeof *p);
    p->index = index;
    p->policy = adi_policy_at((size_t)sc->set[KEY_POLICY].v[choice[ADI_PARAM_POLICY]].e);
    p->workload = adi_workload_at((size_t)sc->set[KEY_KIND].v[0].e);
    p->dist = (adi_dist)sc->set[KEY_DISTRIBUTION].v[0].e;
    p->cv = sc->set[KEY_CV].v[0].d;
    p->tasks = value_u(sc, KEY_TASKS, choice, ADI_PARAM_TASKS);
    p->rate = value_d(sc, KEY_RATE, choice, ADI_PARAM_RATE);
    p->submit_cost = value_d(sc, KEY_SUBMIT_COST, choice, -1);
    if (p->workload->open) {
        scalar w = sc->set[KEY_WARMUP].v[0];
        p->warmup = (uint64_t)(w.d >= 0 ? w.d * (double)p->tasks : -w.d - 1);
        if (p->warmup >= p->tasks)
            return adi_fail(ADI_EINPUT, "%s:%d: [workload] warmup: %llu arrivals leave none of "
                            "the %llu to measure", sc->path, sc->set[KEY_WARMUP].line,
                            (unsigned long long)p->warmup, (unsigned long long)p->tasks);
    }
    p->capacity = value_u(sc, KEY_CAPACITY, choice, ADI_PARAM_CAPACITY);
    p->overflow = (adi_overflow)sc->set[KEY_OVERFLOW].v[0].e;
    p->replications = sc->set[KEY_REPLICATIONS].v[0].u;
    p->exact_percentiles = sc->set[KEY_PERCENTILES].v[0].e;
    if (p->exact_percentiles && p->tasks > MAX_EXACT_TASKS)
        return adi_fail(ADI_EINPUT, "%s:%d: [scenario] percentiles: exact percentiles keep every "
                        "latency, so at most %llu tasks (this point has %llu)", sc->path,
                        sc->set[KEY_PERCENTILES].line, MAX_EXACT_TASKS,
                        (unsigned long long)p->tasks);
    p->seed = sc->set[KEY_SEED].v[0].u;

    shared_pool *pool = &sc->pools[pool_index(sc, choice)];
    p->explicit_times = sc->set[KEY_TIMES].n > 0;
    p->calibrated = sc->nmembers > 0;
    p->kernel = (adi_kernel)sc->set[KEY_KERNEL].v[0].e;
    p->profiles = sc->profiles_key;
    if (!pool->built) {
        int rc = build_pool(sc, choice, p, pool);
        if (rc != ADI_OK)
            return rc;
    }
    p->n_devices = pool->n;
    p->times = pool->times;
    p->device = pool->device;
    p->mean_time = pool->mean_time;
    p->heterogeneity = pool->heterogeneity;
    p->cv = pool->cv;
    if (pool->infeasible && !(p->infeasible = strdup(pool->infeasible)))
        return adi_fail(ADI_ENOMEM, "out of memory");
    size_t fastest = pool->fastest, slowest = pool->slowest;
    uint64_t sd = sc->set[KEY_SERIAL_DEVICE].v[0].u;
    if (sd == SERIAL_FASTEST)
        p->serial_device = fastest;
    else if (sd == SERIAL_SLOWEST)
        p->serial_device = slowest;
    else if (sd >= p->n_devices)
        return adi_fail(ADI_EINPUT, "%s:%d: [scenario] serial_device: device %llu does not "
                        "exist in a pool of %zu (devices are numbered from 0)", sc->path,
                        sc->set[KEY_SERIAL_DEVICE].line, (unsigned long long)sd, p->n_devices);
    else
        p->serial_device = (size_t)sd;
    int rc = point_params(sc, choice, p);
    if (rc != ADI_OK)
        return rc;
    p->network = sc->network;
    if (p->network) {
        p->net = (adi_point_net){
            .link = pool->links, .scaled = pool->scaled, .link_scale = pool->link_scale,
            .nseg = sc->nseg, .seg_bw = sc->seg_bw,
            .coord_bw = value_d(sc, KEY_COORDINATOR, choice, ADI_PARAM_COORDINATOR),
            .s_in = value_d(sc, KEY_INPUT_SIZE, choice, ADI_PARAM_INPUT_SIZE),
            .s_out = value_d(sc, KEY_OUTPUT_SIZE, choice, -1),
            .prefetch = value_u(sc, KEY_PREFETCH, choice, ADI_PARAM_PREFETCH)};
        size_t used = p->policy->devices == ADI_DEVICES_ONE ? 1 : p->n_devices;
        if (p->net.prefetch >= MAX_OUT / used) {
            char where[512];
            return adi_fail(ADI_EINPUT, "%s: %zu devices with prefetch %llu would keep more "
                            "than %llu requests out at once", adi_scenario_key_where(sc,
                            keys[KEY_PREFETCH].name, where, sizeof where), used,
                            (unsigned long long)p->net.prefetch, (unsigned long long)MAX_OUT);
        }
    }
    return adi_point_key(p, -1, &p->key);
}

/* "[sweep] heterogeneity (line 9, 101 values)" for each swept key. */
static void swept_keys(const adi_scenario *sc, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int i = 0; i < ADI_PARAM_COUNT; i++) {
        const setting *st = &sc->set[sweep_order[i]];
        size_t used = strlen(buf);
        if (st->in_sweep && st->n > 1)
            snprintf(buf + used, size - used, "%s[sweep] %s (line %d, %zu values)",
                     used ? " x " : "", keys[sweep_order[i]].sweep, st->line, st->n);
    }
}

/* What the points and pools will take (bytes), before any is built: each
** point its struct and key (about 300 bytes, plus 25 a device for explicit
** times and 80 a profile), each pool 72 bytes a device (a time and a
** sampler). Above the cap (core/memory.h) the scenario is refused with
** the keys that make it large. */
static int check_load_memory(adi_scenario *sc, size_t total)
{
    const setting *times = &sc->set[KEY_TIMES], *count = &sc->set[KEY_COUNT];
    double devices = 0, key = 320 + 25.0 * (double)times->n + 80.0 * (double)sc->nmembers;
    const char *what;
    int k;
    if (sc->nmembers || times->n) {
        devices = sc->nmembers ? (double)sc->ncalibrated : (double)times->n;
        k = sc->nmembers ? KEY_PROFILES : KEY_TIMES;
        what = "devices in its pool";
    } else {
        for (size_t i = 0; i < count->n; i++)
            devices += (double)count->v[i].u;
        devices *= (double)(sc->len[ADI_PARAM_HETEROGENEITY] * sc->len[ADI_PARAM_MEAN_TIME]);
        k = KEY_COUNT;
        what = "devices in its pools (one per devices x heterogeneity x mean_time)";
    }
    devices *= (double)sc->len[ADI_PARAM_LINK_SCALE]; /* a pool per link_scale */
    double need = (double)total * ((double)sizeof(adi_point) + key) +
                  devices * (double)(sizeof(double) + sizeof(adi_sampler));
    double cap = adi_memory_cap();
    sc->load_bytes = need;
    if (need <= cap)
        return ADI_OK;
    char n1[16], n2[16], swept[512], at[64];
    swept_keys(sc, swept, sizeof swept);
    char name[64];
    if (sc->set[k].in_sweep)
        snprintf(name, sizeof name, "[sweep] %s", keys[k].sweep);
    else
        snprintf(name, sizeof name, "[%s] %s", section_names[keys[k].section], keys[k].name);
    if (sc->set[k].line)
        snprintf(at, sizeof at, ":%d", sc->set[k].line);
    else
        at[0] = '\0';
    return adi_fail(ADI_EINPUT, "%s%s: %s: its %zu points and %.0f %s would take about %s, more "
                    "than the %s this run may use (--max-memory); fewer devices or fewer swept "
                    "values%s%s", sc->path, at, name, total, devices,
                    what, adi_format_bytes(need, n1, sizeof n1), adi_format_bytes(cap, n2, sizeof n2),
                    *swept ? ": " : "", swept);
}

static int expand(adi_scenario *sc)
{
    size_t *len = sc->len, choice[ADI_PARAM_COUNT] = {0};
    unsigned long long total = 1;
    for (int i = 0; i < ADI_PARAM_COUNT; i++) {
        size_t n = sc->set[sweep_order[i]].n;
        len[i] = n ? n : 1;
        sc->varies[i] = n > 1;
        total *= len[i];
        if (total > MAX_POINTS)
            return adi_fail(ADI_EINPUT, "%s: the sweep has more than %llu points", sc->path,
                            (unsigned long long)MAX_POINTS);
    }
    int rc = check_load_memory(sc, (size_t)total);
    if (rc != ADI_OK)
        return rc;
    sc->npools = (sc->nmembers || sc->set[KEY_TIMES].n
                      ? 1 : len[ADI_PARAM_DEVICES] * len[ADI_PARAM_HETEROGENEITY] *
                                len[ADI_PARAM_MEAN_TIME]) * len[ADI_PARAM_LINK_SCALE];
    sc->points = calloc((size_t)total, sizeof *sc->points);
    sc->pools = calloc(sc->npools, sizeof *sc->pools);
    if (!sc->points || !sc->pools)
        return adi_fail(ADI_ENOMEM, "out of memory for %llu points", total);
    for (size_t idx = 0, made = 0; idx < total; idx++) {
        if (!repeats(sc, choice)) {
            sc->npoints = made + 1;
            rc = make_point(sc, made, choice, &sc->points[made]);
            if (rc != ADI_OK)
                return rc;
            made++;
        }
        for (int i = ADI_PARAM_COUNT - 1; i >= 0; i--) { /* odometer, last fastest */
            if (++choice[i] < len[i])
                break;
            choice[i] = 0;
        }
    }
    sc->policy_width = 7;
    char label[128];
    for (size_t i = 0; i < sc->npoints; i++) {
        int w = (int)strlen(adi_scenario_policy_label(sc, &sc->points[i], label, sizeof label));
        if (w > sc->policy_width)
            sc->policy_width = w;
    }
    return ADI_OK;
}

/* ---- public ------------------------------------------------------------------ */

/* A calibrated scenario's identity: its text and what it was measured as. */
static int fingerprint_profiles(adi_scenario *sc)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return adi_fail(ADI_ENOMEM, "out of memory");
    fputs(sc->text, f);
    for (size_t i = 0; i < sc->nmembers; i++)
        fprintf(f, "\nprofile %s x%zu", sc->profiles[sc->members[i].profile]->sha256,
                sc->members[i].count);
    if (fclose(f) != 0 || !buf) {
        free(buf);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    adi_sha256_hex(buf, size, sc->sha);
    free(buf);
    return ADI_OK;
}

int adi_scenario_parse(const char *path, const char *text, adi_scenario **out)
{
    return adi_scenario_parse_stored(path, text, NULL, 0, out);
}

int adi_scenario_parse_stored(const char *path, const char *text, const adi_scenario_file *files,
                              size_t nfiles, adi_scenario **out)
{
    *out = NULL;
    adi_scenario *sc = calloc(1, sizeof *sc);
    if (!sc || !(sc->path = strdup(path)) || !(sc->text = strdup(text))) {
        adi_scenario_free(sc);
        return adi_fail(ADI_ENOMEM, "out of memory");
    }
    sc->stored = files;
    sc->nstored = nfiles;
    adi_sha256_hex(text, strlen(text), sc->sha);
    int rc = adi_ini_parse(path, sc->text, on_section, on_value, sc);
    if (rc == ADI_OK)
        rc = resolve(sc);
    if (rc == ADI_OK && sc->nmembers)
        rc = fingerprint_profiles(sc);
    if (rc == ADI_OK)
        rc = expand(sc);
    sc->stored = NULL; /* the caller's */
    sc->nstored = 0;
    if (rc != ADI_OK) {
        adi_scenario_free(sc);
        return rc == ADI_ENOMEM ? ADI_ENOMEM : ADI_EINPUT;
    }
    *out = sc;
    return ADI_OK;
}

int adi_scenario_load(const char *path, adi_scenario **out)
{
    *out = NULL;
    char *text;
    int rc = adi_ini_read_file(path, &text);
    if (rc != ADI_OK)
        return rc;
    rc = adi_scenario_parse(path, text, out);
    free(text);
    if (rc == ADI_OK)
        (*out)->source = realpath(path, NULL); /* NULL (fall back to path) if it fails */
    return rc;
}

void adi_scenario_free(adi_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->npoints; i++)
        point_free(&sc->points[i]);
    free(sc->points);
    for (size_t i = 0; sc->pools && i < sc->npools; i++) {
        free(sc->pools[i].times);
        free(sc->pools[i].device);
        free(sc->pools[i].infeasible);
        free(sc->pools[i].links);
        free(sc->pools[i].scaled);
    }
    for (size_t g = 0; sc->seg_names && g < sc->nseg; g++)
        free(sc->seg_names[g]);
    free(sc->seg_names);
    free(sc->seg_bw);
    free(sc->links);
    free(sc->pools);
    for (size_t r = 0; sc->rows && r < sc->nrows; r++)
        free(sc->rows[r]);
    free(sc->rows);
    free(sc->row_of);
    for (size_t i = 0; i < sc->nprofiles; i++) {
        adi_profile_free(sc->profiles[i]);
        free(sc->profile_names[i]);
        free(sc->profile_texts[i]);
    }
    free(sc->profiles);
    free(sc->profile_names);
    free(sc->profile_texts);
    free(sc->estimated);
    free(sc->profiles_key);
    free(sc->members);
    for (int k = 0; k < KEY_COUNT_; k++) {
        free(sc->set[k].raw);
        free(sc->set[k].v);
    }
    free(sc->source);
    free(sc->path);
    free(sc->text);
    free(sc);
}

const char *adi_scenario_name(const adi_scenario *sc) { return sc->set[KEY_NAME].raw; }
size_t adi_scenario_nfiles(const adi_scenario *sc) { return sc->nprofiles; }
adi_scenario_file adi_scenario_file_at(const adi_scenario *sc, size_t j)
{
    return (adi_scenario_file){sc->profile_names[j], sc->profiles[j]->sha256, sc->profile_texts[j]};
}
const char *adi_scenario_path(const adi_scenario *sc) { return sc->path; }
const char *adi_scenario_source(const adi_scenario *sc)
{
    return sc->source ? sc->source : sc->path;
}
const char *adi_scenario_text(const adi_scenario *sc) { return sc->text; }
const char *adi_scenario_estimated(const adi_scenario *sc) { return sc->estimated; }
const char *adi_scenario_sha256(const adi_scenario *sc) { return sc->sha; }
size_t adi_scenario_npoints(const adi_scenario *sc) { return sc->npoints; }

const adi_point *adi_scenario_point(const adi_scenario *sc, size_t i)
{
    return i < sc->npoints ? &sc->points[i] : NULL;
}

char *adi_scenario_key_where(const adi_scenario *sc, const char *key, char *buf, size_t size)
{
    int k;
    for (k = 0; k < KEY_COUNT_ && strcmp(keys[k].name, key) != 0; k++)
        ;
    if (k == KEY_COUNT_) {
        snprintf(buf, size, "%s: %s", sc->path, key);
        return buf;
    }
    const setting *st = &sc->set[k];
    const char *sec = st->in_sweep ? "sweep" : section_names[keys[k].section];
    const char *name = st->in_sweep ? keys[k].sweep : keys[k].name;
    if (st->line)
        snprintf(buf, size, "%s:%d: [%s] %s", sc->path, st->line, sec, name);
    else
        snprintf(buf, size, "%s: [%s] %s (default)", sc->path, sec, name);
    return buf;
}

double adi_scenario_memory(const adi_scenario *sc) { return sc->load_bytes; }

int adi_scenario_varies(const adi_scenario *sc, adi_param p)
{
    return p < ADI_PARAM_COUNT && sc->varies[p];
}

size_t adi_scenario_key_count(void) { return KEY_COUNT_; }

adi_key_doc adi_scenario_key_doc(size_t i)
{
    adi_key_doc d = {0};
    if (i < KEY_COUNT_)
        d = (adi_key_doc){section_names[keys[i].section], keys[i].name, keys[i].sweep,
                          keys[i].def,
                          keys[i].help ? keys[i].help
                          : keys[i].kind == K_POLICY ? adi_policy_key_help()
                          : keys[i].kind == K_WORKLOAD ? adi_workload_key_help() : NULL};
    return d;
}

const struct adi_profile *adi_scenario_device_profile(const adi_scenario *sc, size_t i)
{
    for (size_t m = 0; m < sc->nmembers; m++) {
        if (i < sc->members[m].count)
            return sc->profiles[sc->members[m].profile];
        i -= sc->members[m].count;
    }
    return NULL;
}

const struct adi_kernel_profile *adi_scenario_device_kernel(const adi_scenario *sc, size_t i)
{
    const adi_profile *pf = adi_scenario_device_profile(sc, i);
    return pf ? pf->kernel[(adi_kernel)sc->set[KEY_KERNEL].v[0].e] : NULL;
}

char *adi_scenario_policy_label(const adi_scenario *sc, const adi_point *p, char *buf,
                                size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "%s", adi_policy_name(p->policy));
    const adi_sim_policy_params *q = &p->params;
    for (size_t i = 0; i < NPOLICY_KEYS && len < size; i++) {
        int k = (int)policy_keys[i];
        if (!sc->varies[ADI_PARAM_IDLE_CHOICE + i] || !(p->policy->keys & adi_point_policy_key(k)) ||
            (k == KEY_MAX_DELAY && q->batch <= 1))
            continue;
        char v[32];
        switch (k) {
        case KEY_IDLE_CHOICE: snprintf(v, sizeof v, "%s", adi_idle_choice_name(q->idle_choice)); break;
        case KEY_PULL_BATCH: snprintf(v, sizeof v, "b=%llu", (unsigned long long)q->batch); break;
        case KEY_MAX_DELAY:
            if (isinf(q->max_delay))
                snprintf(v, sizeof v, "D=inf");
            else {
                char t[32];
                snprintf(v, sizeof v, "D=%s", adi_format_time(q->max_delay, t, sizeof t));
                for (char *c = v; *c; c++) /* "D=5 ms" -> "D=5ms": one word */
                    if (*c == ' ')
                        memmove(c, c + 1, strlen(c));
            }
            break;
        case KEY_ESTIMATES: snprintf(v, sizeof v, "%s", adi_estimates_name(q->estimates)); break;
        case KEY_CHOICES: snprintf(v, sizeof v, "d=%llu", (unsigned long long)q->choices); break;
        case KEY_VICTIM: snprintf(v, sizeof v, "%s", adi_victim_name(q->victim)); break;
        default: snprintf(v, sizeof v, "%s", adi_steal_start_name(q->steal_start)); break;
        }
        len += (size_t)snprintf(buf + len, size - len, " %s", v);
    }
    return buf;
}

int adi_scenario_policy_width(const adi_scenario *sc) { return sc->policy_width; }
