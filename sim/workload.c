/*
** sim/workload.c — the workload table (see workload.h): ADI_WORKLOADS's
** rows as an array, lookups by name and position, and its self-check.
*/
#include "sim/workload.h"
#include "core/error.h"
#include "core/units.h"
#include "sim/sim_int.h"

#include <pthread.h>
#include <string.h>

#define ADI_WORKLOAD_ROW(name) &adi_workload_##name,
static const adi_workload_desc *const table[] = {ADI_WORKLOADS(ADI_WORKLOAD_ROW)};
#undef ADI_WORKLOAD_ROW
#define COUNT (sizeof table / sizeof table[0])

size_t adi_workload_count(void) { return COUNT; }

const adi_workload_desc *adi_workload_at(size_t i) { return i < COUNT ? table[i] : NULL; }

size_t adi_workload_index(const adi_workload_desc *w)
{
    for (size_t i = 0; i < COUNT; i++)
        if (table[i] == w)
            return i;
    return COUNT;
}

const char *adi_workload_name(const adi_workload_desc *w) { return w ? w->name : "?"; }

static const char *name_at(size_t i) { return table[i]->name; }
static const char *help_at(size_t i) { return table[i]->help; }

static char key_help[1024];
static void build_key_help(void)
{
    size_t len = strlen(adi_format_choices(name_at, help_at, COUNT, key_help, sizeof key_help - 1));
    key_help[len] = '.';
}

const char *adi_workload_key_help(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_key_help);
    return key_help;
}

/* What entry w lacks, or NULL when it is complete. */
static const char *incomplete(const adi_workload_desc *w)
{
    return !w->name || !w->name[0] ? "a name"
         : !w->help || !w->help[0] ? "a help line"
         : !w->ops ? "operations"
         : !w->ops->check ? "check"
         : !w->ops->next == !w->ops->gap ? "one way to make tasks (next when closed, gap when open)"
         : w->open != (w->ops->gap != NULL) ? "open set as its ops say (open: gap)"
         : w->poisson && !w->open ? "open (Poisson arrivals arrive over time)"
         : NULL;
}

int adi_workload_desc_check(const adi_workload_desc *w)
{
    const char *lacks = incomplete(w);
    return lacks ? adi_fail(ADI_EINTERNAL, "workload %s has no %s",
                            w->name && w->name[0] ? w->name : "(unnamed)", lacks)
                 : ADI_OK;
}

static const char *lacks_at(size_t i) { return incomplete(table[i]); }

int adi_workload_table_check(void) { return adi_check_choices("workload", COUNT, name_at, lacks_at); }

int adi_workload_parse(const char *name, const adi_workload_desc **w)
{
    int rc = adi_workload_table_check();
    if (rc != ADI_OK)
        return rc;
    size_t i;
    if ((rc = adi_parse_choice(name, name_at, COUNT, &i)) == ADI_OK)
        *w = table[i];
    return rc;
}
