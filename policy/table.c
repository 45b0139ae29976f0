/*
** policy/table.c — the policy table (see policy.h): ADI_POLICIES's rows
** as an array, lookups by name and position, and its self-check.
*/
#include "policy/policy.h"
#include "core/error.h"
#include "core/units.h"
#include "sim/sim_int.h"

#include <pthread.h>
#include <string.h>

#define ADI_POLICY_ROW(name) &adi_policy_##name,
static const adi_policy_desc *const table[] = {ADI_POLICIES(ADI_POLICY_ROW)};
#undef ADI_POLICY_ROW
#define COUNT (sizeof table / sizeof table[0])

size_t adi_policy_count(void) { return COUNT; }

const adi_policy_desc *adi_policy_at(size_t i) { return i < COUNT ? table[i] : NULL; }

const adi_policy_desc *adi_policy_default(void) { return table[0]; }

size_t adi_policy_index(const adi_policy_desc *p)
{
    for (size_t i = 0; i < COUNT; i++)
        if (table[i] == p)
            return i;
    return COUNT;
}

const char *adi_policy_name(const adi_policy_desc *p) { return p ? p->name : "?"; }

int adi_policy_runs(const adi_policy_desc *p, const adi_workload_desc *w)
{
    return (p->workloads & (w->open ? ADI_WORKLOADS_OPEN : ADI_WORKLOADS_CLOSED)) != 0;
}

uint64_t adi_policy_room_devices_plus_queue(size_t n, uint64_t capacity)
{
    return capacity > UINT64_MAX - n ? UINT64_MAX : n + capacity;
}

int adi_policy_claim_optimal(const adi_policy_pool *pool, double *seconds)
{
    *seconds = pool->b->optimal;
    return ADI_OK;
}

static const char *name_at(size_t i) { return table[i]->name; }
static const char *help_at(size_t i) { return table[i]->help; }

static char key_help[2048];
static void build_key_help(void)
{
    size_t len = strlen(adi_format_choices(name_at, help_at, COUNT, key_help, sizeof key_help - 1));
    key_help[len] = '.';
}

const char *adi_policy_key_help(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_key_help);
    return key_help;
}

/* What entry p lacks, or NULL when it is complete. */
static const char *incomplete(const adi_policy_desc *p)
{
    const struct adi_policy_ops *o = p->ops;
    if (!p->name || !p->name[0])
        return "a name";
    if (!p->help || !p->help[0])
        return "a help line";
    if (!o || !o->init || !o->free || !o->arrive || !o->request)
        return "ops with init, free, arrive and request";
    if (p->keys & ~(unsigned)ADI_POLICY_KEY_ALL)
        return "known policy keys (ADI_POLICY_KEY_* bits)";
    if (p->devices != ADI_DEVICES_ALL && p->devices != ADI_DEVICES_ONE)
        return "a known devices value";
    if (!(p->workloads & (ADI_WORKLOADS_CLOSED | ADI_WORKLOADS_OPEN)) ||
        (p->workloads & ~(unsigned)(ADI_WORKLOADS_CLOSED | ADI_WORKLOADS_OPEN)))
        return "a workload it runs (closed, open)";
    if (!p->room)
        return "room (the tasks a batch at t = 0 finds room for)";
    if (p->share != ADI_SHARE_EQUAL && p->share != ADI_SHARE_SPEED)
        return "a known share";
    if (p->queueing != ADI_QUEUEING_NONE && p->queueing != ADI_QUEUEING_SHARED_FIFO)
        return "a known queueing model";
    if (!p->claims)
        return "a claims list (an empty one ends at once)";
    for (const adi_policy_claim *c = p->claims; c->bound; c++) {
        if (!c->bound[0] || !c->value || c->op < -1 || c->op > 1 ||
            (c->kind != ADI_CLAIM_EXACT && c->kind != ADI_CLAIM_MEAN && c->kind != ADI_CLAIM_SUM))
            return "a complete claim (a name, a known kind, op -1, 0 or +1, a value)";
        if (c->kind == ADI_CLAIM_SUM && p->devices != ADI_DEVICES_ONE)
            return "one device for its sum claim (a makespan is one device's sum only there)";
    }
    const struct adi_policy_ops *no = p->net.ops;
    if (no && (!no->init || !no->free || !no->arrive || !no->request))
        return "network ops with init, free, arrive and request (or none: its own)";
    if (p->net.mode != ADI_SIM_NET_REQUESTS && p->net.mode != ADI_SIM_NET_RESULTS)
        return "a known network mode (requests, results)";
    if (p->net.window != ADI_NET_WINDOW_PREFETCH && p->net.window != ADI_NET_WINDOW_ONE &&
        p->net.window != ADI_NET_WINDOW_ALL)
        return "a known network window";
    if (p->net.window == ADI_NET_WINDOW_PREFETCH && p->net.mode != ADI_SIM_NET_REQUESTS)
        return "requests for its prefetch window (a window of 1 + k is kept by requests)";
    if (!p->net.claims)
        return "a network claims list (an empty one ends at once)";
    for (const adi_policy_claim *c = p->net.claims; c->bound; c++)
        if (!c->bound[0] || !c->value || c->op < -1 || c->op > 1 || c->kind != ADI_CLAIM_EXACT)
            return "a complete network claim (a name, kind exact, op -1, 0 or +1, a value)";
    if (!p->net.rule || !p->net.rule[0])
        return "its network rule (how its tasks travel)";
    if (!p->predict)
        return "predict (bin/model's makespan)";
    if (!p->style.color || p->style.color[0] != '#' || strlen(p->style.color) != 7)
        return "a figure colour (#RRGGBB)";
    if (p->style.point_type <= 0)
        return "a figure point type";
    switch (p->exec.mode) {
    case ADI_EXEC_NONE:
        if (!p->exec.limit)
            return "the reason the executor cannot run it";
        break;
    case ADI_EXEC_LISTS:
    case ADI_EXEC_STEAL:
        if (!p->exec.split)
            return "the executor's split (its lists or steal mode)";
        /* fall through */
    case ADI_EXEC_SHARED_QUEUE:
    case ADI_EXEC_ROUNDS:
    case ADI_EXEC_EARLIEST:
        if (!p->exec.finite_queue && !p->exec.limit)
            return "the reason the executor runs it with Q = inf only";
        break;
    default:
        return "a known executor mode";
    }
    return NULL;
}

const struct adi_policy_ops *adi_policy_net_ops(const adi_policy_desc *p)
{
    return p->net.ops ? p->net.ops : p->ops;
}

const struct adi_policy_ops *adi_policy_run_ops(const adi_policy_desc *p,
                                                const adi_sim_policy_params *prm, int network)
{
    const struct adi_policy_ops *v = p->variant ? p->variant(prm ? prm : &adi_sim_default_params,
                                                             network)
                                                : NULL;
    return v ? v : network ? adi_policy_net_ops(p) : p->ops;
}

static const char *lacks_at(size_t i) { return incomplete(table[i]); }

int adi_policy_desc_check(const adi_policy_desc *p)
{
    const char *lacks = incomplete(p);
    return lacks ? adi_fail(ADI_EINTERNAL, "policy %s has no %s",
                            p->name && p->name[0] ? p->name : "(unnamed)", lacks)
                 : ADI_OK;
}

int adi_policy_table_check(void)
{
    if (COUNT > ADI_POLICY_MAX)
        return adi_fail(ADI_EINTERNAL, "the policy table has %zu entries, more than "
                        "ADI_POLICY_MAX (%d)", (size_t)COUNT, ADI_POLICY_MAX);
    return adi_check_choices("policy", COUNT, name_at, lacks_at);
}

int adi_policy_parse(const char *name, const adi_policy_desc **p)
{
    int rc = adi_policy_table_check();
    if (rc != ADI_OK)
        return rc;
    size_t i;
    if ((rc = adi_parse_choice(name, name_at, COUNT, &i)) == ADI_OK)
        *p = table[i];
    return rc;
}
