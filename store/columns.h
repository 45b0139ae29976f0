/*
** store/columns.h — the metrics of a run as the database holds them: one
** line per column of table `run` that comes from adi_run_result (sim/sim.h).
** Everything about a metric column is made from its line:
**
**   schema.c  the column in CREATE TABLE run (version 1) or the ALTER TABLE
**             that adds it when a database is brought up to its version
**   write.c   the INSERT's column list, its placeholders and the binding
**   read.c    the SELECT that reads a point's runs back into adi_run_result
**
**   X(name, declaration, version, binding)
**
**   name         the column, and the adi_run_result field of the same name
**   declaration  its SQL type (and constraint)
**   version      the schema version that added it
**   binding      how it is written and read back:
**                REAL      a double; NAN is stored as NULL and read back as NAN
**                COUNT     an unsigned integer
**                SS_REAL,  the same for a steady-state estimate: NULL for a
**                SS_COUNT  run without a steady-state window (ss_window = 0,
**                          every batch), read back as the 0 the run held
**
** Adding a metric: its field in adi_run_result, computed where runs are
** made, then one line at the end of this list with the next schema version,
** and that version's step in schema.c's list of migrations (an empty string
** when the step only adds columns of this list). Databases made before are
** upgraded by that step; a new one is made by running every step, so the
** two have the same columns in the same order.
**
** The columns of `run` that describe the point (policy, n_devices, ...),
** its place (scenario_id, point_id, replication) and its source are not
** metrics: write.c and schema.c name them.
*/
#ifndef ADI_STORE_COLUMNS_H
#define ADI_STORE_COLUMNS_H

#define ADI_RUN_COLUMNS(X)                                                                     \
    X(seed, "INTEGER NOT NULL", 1, COUNT)   /* of the run's stream; 0: measured */            \
    X(makespan, "REAL", 1, REAL)            /* s */                                           \
    X(throughput, "REAL", 1, REAL)          /* tasks/s */                                     \
    X(lat_mean, "REAL", 1, REAL)            /* s, from enqueue */                             \
    X(lat_p50, "REAL", 1, REAL)                                                               \
    X(lat_p95, "REAL", 1, REAL)                                                               \
    X(lat_p99, "REAL", 1, REAL)                                                               \
    X(lat_max, "REAL", 1, REAL)                                                               \
    X(latc_mean, "REAL", 1, REAL)           /* s, from creation */                            \
    X(latc_p50, "REAL", 1, REAL)                                                              \
    X(latc_p95, "REAL", 1, REAL)                                                              \
    X(latc_p99, "REAL", 1, REAL)                                                              \
    X(latc_max, "REAL", 1, REAL)                                                              \
    X(utilization, "REAL", 1, REAL)         /* 0..1 */                                        \
    X(busy_time, "REAL", 1, REAL)           /* device-seconds */                              \
    X(idle_time, "REAL", 1, REAL)           /* device-seconds */                              \
    X(blocked_time, "REAL", 1, REAL)        /* s */                                           \
    X(completed, "INTEGER", 1, COUNT)                                                         \
    X(dropped, "INTEGER", 1, COUNT)                                                           \
    X(max_queue, "INTEGER", 1, COUNT)                                                         \
    X(in_system, "REAL", 1, REAL)           /* task-seconds; NULL: not measured */            \
    X(wall_s, "REAL", 1, REAL)              /* s of wall clock */                             \
    X(ss_window, "REAL", 2, SS_REAL)        /* s; steady state of open workloads */           \
    X(ss_arrivals, "INTEGER", 2, SS_COUNT)                                                    \
    X(ss_dropped, "INTEGER", 2, SS_COUNT)                                                     \
    X(ss_block, "REAL", 2, SS_REAL)                                                           \
    X(ss_in_system, "REAL", 2, SS_REAL)                                                       \
    X(ss_response, "REAL", 2, SS_REAL)                                                        \
    X(ss_utilization, "REAL", 2, SS_REAL)                                                     \
    X(ss_throughput, "REAL", 2, SS_REAL)                                                      \
    X(ss_latc_p50, "REAL", 2, SS_REAL)                                                        \
    X(ss_latc_p95, "REAL", 2, SS_REAL)                                                        \
    X(ss_latc_p99, "REAL", 2, SS_REAL)                                                        \
    X(transfer_time, "REAL", 8, REAL)       /* device-seconds with a transfer of its own */   \
    X(wait_time, "REAL", 8, REAL)           /* device-seconds waiting, nothing on the way */

/* RUN_COL_<name>: a column's position in the list; RUN_COL_COUNT of them. */
#define RUN_COL_INDEX_(name, decl, version, binding) RUN_COL_##name,
enum { ADI_RUN_COLUMNS(RUN_COL_INDEX_) RUN_COL_COUNT };
#undef RUN_COL_INDEX_

/* ", makespan, throughput, ...": the names, for SQL text. */
#define RUN_COL_NAME_(name, decl, version, binding) ", " #name
#define RUN_COLUMN_NAMES ADI_RUN_COLUMNS(RUN_COL_NAME_)
/* ",?,?,...": one placeholder each. */
#define RUN_COL_PARAM_(name, decl, version, binding) ",?"
#define RUN_COLUMN_PARAMS ADI_RUN_COLUMNS(RUN_COL_PARAM_)

#endif
