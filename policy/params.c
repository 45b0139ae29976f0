/*
** policy/params.c — the values of the policy keys (idle_choice, estimates,
** victim, steal_start: sim/sim.h's enums) by name, for the scenario parser
** and the point key. One table of names per key; a parse failure lists the
** valid names (core/units.h's adi_parse_choice).
*/
#include "policy/policy.h"
#include "core/error.h"
#include "core/units.h"

#include <math.h>
#include <stdio.h>

#define NAMES(type, prefix, count, ...)                                             \
    static const char *const prefix##_names[count] = {__VA_ARGS__};                 \
    static const char *prefix##_at(size_t i) { return prefix##_names[i]; }          \
    const char *adi_##prefix##_name(type v)                                         \
    {                                                                               \
        return (size_t)v < (size_t)(count) ? prefix##_names[v] : "?";               \
    }                                                                               \
    int adi_##prefix##_parse(const char *name, type *v)                             \
    {                                                                               \
        size_t i;                                                                   \
        int rc = adi_parse_choice(name, prefix##_at, (size_t)(count), &i);          \
        if (rc == ADI_OK)                                                           \
            *v = (type)i;                                                           \
        return rc;                                                                  \
    }

NAMES(adi_idle_choice, idle_choice, ADI_IDLE_COUNT, "longest", "fastest", "random")
NAMES(adi_estimates, estimates, ADI_ESTIMATES_COUNT, "exact", "online")
NAMES(adi_victim, victim, ADI_VICTIM_COUNT, "longest", "random")
NAMES(adi_steal_start, steal_start, ADI_STEAL_START_COUNT, "weighted", "equal")
#undef NAMES

char *adi_policy_params_text(const adi_policy_desc *p, const adi_sim_policy_params *prm,
                             unsigned mask, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    unsigned take = p ? p->keys & mask : mask;
    for (unsigned bit = 1; bit & ADI_POLICY_KEY_ALL && len < size; bit <<= 1) {
        if (!(take & bit))
            continue;
        char v[32];
        const char *name = "?";
        switch (bit) {
        case ADI_POLICY_KEY_IDLE_CHOICE:
            name = "idle_choice";
            snprintf(v, sizeof v, "%s", adi_idle_choice_name(prm->idle_choice));
            break;
        case ADI_POLICY_KEY_PULL_BATCH:
            name = "pull_batch";
            snprintf(v, sizeof v, "%llu", (unsigned long long)prm->batch);
            break;
        case ADI_POLICY_KEY_MAX_DELAY:
            name = "max_delay";
            if (isinf(prm->max_delay))
                snprintf(v, sizeof v, "inf");
            else
                adi_format_time(prm->max_delay, v, sizeof v);
            break;
        case ADI_POLICY_KEY_ESTIMATES:
            name = "estimates";
            snprintf(v, sizeof v, "%s", adi_estimates_name(prm->estimates));
            break;
        case ADI_POLICY_KEY_CHOICES:
            name = "choices";
            snprintf(v, sizeof v, "%llu", (unsigned long long)prm->choices);
            break;
        case ADI_POLICY_KEY_VICTIM:
            name = "victim";
            snprintf(v, sizeof v, "%s", adi_victim_name(prm->victim));
            break;
        default:
            name = "steal_start";
            snprintf(v, sizeof v, "%s", adi_steal_start_name(prm->steal_start));
            break;
        }
        len += (size_t)snprintf(buf + len, size - len, "%s%s = %s", len ? ", " : "", name, v);
    }
    return buf;
}
