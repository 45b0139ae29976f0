/*
** sim/workload.h — the workloads, as a table of descriptors: where a run's
** tasks come from.
**
** Each workload is one file (sim/workload_batch.c, sim/workload_poisson.c)
** defining one adi_workload_desc: its name (the scenario's [workload] kind),
** a one-line help, the engine's operations (sim_int.h: next and identical
** for a closed workload, gap for an open one) and two facts that the layers
** above read instead of asking for a workload by name:
**   open      tasks arrive over time at `rate` (the keys rate and warmup
**             apply, the steady-state window is measured, a batch formula
**             does not);
**   poisson   the arrivals form a Poisson process (the exact queueing
**             results of check/steady.h assume it).
** ADI_WORKLOADS below lists them in one table; names, parsing, the key
** table's help, the scenario's checks and the engine all read it. An arrival process to
** come (e.g. deterministic or hyperexponential gaps, a trace's gaps) is
** one more file and one more row: its gap() says when tasks arrive, the
** engine needs no change.
**
** Cost: a lookup scans the table (a handful of entries).
*/
#ifndef ADI_SIM_WORKLOAD_H
#define ADI_SIM_WORKLOAD_H

#include <stddef.h>

struct adi_workload_ops;

typedef struct adi_workload_desc {
    const char *name;  /* the [workload] kind */
    const char *help;  /* one line, for the key table */
    const struct adi_workload_ops *ops;
    int open;          /* tasks arrive over time at `rate` */
    int poisson;       /* ... as a Poisson process */
} adi_workload_desc;

/* The table: one row per workload, in order, the default first. Row
** X(foo) is adi_workload_foo, defined in sim/workload_foo.c. */
#define ADI_WORKLOADS(X) \
    X(batch)             \
    X(poisson)

#define ADI_WORKLOAD_EXTERN(name) extern const adi_workload_desc adi_workload_##name;
ADI_WORKLOADS(ADI_WORKLOAD_EXTERN)
#undef ADI_WORKLOAD_EXTERN

/* The table, in its order (the first is the default kind). */
size_t adi_workload_count(void);
const adi_workload_desc *adi_workload_at(size_t i); /* NULL past the end */
/* Its position in the table (what sweeps and figures number it by). */
size_t adi_workload_index(const adi_workload_desc *w);
const char *adi_workload_name(const adi_workload_desc *w);

/* The help of [workload] kind: every entry's name and help ("batch (all
** tasks at t = 0) or poisson (...)."), built once. */
const char *adi_workload_key_help(void);

/* *w = the workload called name; ADI_EINPUT naming the valid ones, or
** ADI_EINTERNAL when the table is incomplete (adi_workload_table_check). */
int adi_workload_parse(const char *name, const adi_workload_desc **w);

/* ADI_OK when every entry is complete (a name, unique, a help, the
** operations the engine needs); else ADI_EINTERNAL naming the entry and
** what it lacks. */
int adi_workload_table_check(void);

/* The same for one descriptor: ADI_OK, or ADI_EINTERNAL "workload NAME has
** no FIELD". */
int adi_workload_desc_check(const adi_workload_desc *w);

#endif
