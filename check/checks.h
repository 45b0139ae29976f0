/*
** check/checks.h — every run checked against the analytic model.
**
** Two kinds of check, both stored per run (table bound_check). Those every
** policy gets are written here (check/checks.c); a policy's own come from
** its descriptor (policy/policy.h): its makespan claims (makespan_le_greedy
** .. makespan_eq_static below, each with its kind, value and condition),
** the room of a batch at t = 0 (drop_accepts_room), whether it is
** work-conserving (pull_work_conserving), its expected share of the tasks
** (the Wald checks' weights) and its queueing model (check/steady.h). The
** list below is what today's four policies get:
**
** exact  A statement that must hold on every sample path, compared with a
**        relative tolerance of 1e-9 (floating-point rounding only):
**          throughput_le_R            throughput <= sum 1/T_i (deterministic
**                                     times; with random times the realised
**                                     per-device means replace T_i:
**                                     throughput_le_R_realized)
**          makespan_ge_lower          makespan >= completed / R (deterministic)
**          makespan_le_greedy         makespan <= m/R + max T  (deterministic
**          makespan_ge_optimal        makespan >= C*            pull, batch,
**          makespan_le_sync_rounds    makespan <= ceil(m/n) max T  no submit
**                                     cost: "pull <= sync")
**          makespan_eq_sync           == sync-rounds formula (deterministic
**                                     sync, batch, no submit cost, Q >= n)
**          makespan_eq_serial         == m T (deterministic serial, batch)
**          makespan_eq_static         == max_i k_i T_i (deterministic static,
**                                     batch, Q = inf)
**          drop_accepts_room          completed == the room at t = 0 (batch,
**                                     no submit cost, Q finite, drop: n + Q,
**                                     sync min(n, Q) + Q, serial 1 + Q)
**          pull_work_conserving       makespan <= min_i finish_i + longest
**                                     service (pull, batch, no submit cost:
**                                     no device idles while work waits)
**          littles_law                mean tasks in system (integrated) ==
**                                     throughput x mean latency (every run)
**          utilization_law            U == sum_i X_i T_i / n (deterministic)
**        In a batch with overflow = drop and no submit cost the tasks that
**        ran are those the system had room for at t = 0, all put then; the
**        makespan formulas (exact and ci) are those of a batch of that many
**        tasks, not of m. C* of the tasks completed is a lower bound on any
**        run with deterministic times, whatever was dropped or when tasks
**        arrived (device i completes at most floor(M / T_i) tasks by M);
**        with random times no such bound holds on every path.
**
** ci     A statement about expectations, tested over the point's
**        replications (needs >= 2 of them). Three rest on Wald's identities
**        and use the model's variance and skewness of their statistic, with
**        a Cornish-Fisher corrected normal interval; they are made only when
**        the skewness of the statistic's mean is at most 0.1 (enough tasks
**        drawn for the interval to be trusted: measured times are often
**        skewed, and 10 tasks of them say little about their mean):
**          makespan_ge_lower          E[M] >= m/R (Wald: E busy_i = E k_i T_i)
**          makespan_eq_serial         E[M] == m T (serial, batch)
**          utilization_law            E[sum busy] == E[sum k_i T_i]
**        The others use a Student-t interval from the runs' spread:
**          makespan_eq_sync           E[M] == the expected sync makespan
**          makespan_le_sync_rounds    E[M_pull] <= ceil(m/n) E[max_i S_i]
**          utilization_offered        U over the arrival window == lambda T/n
**                                     (poisson, identical devices, block)
**          queue_block, queue_in_system, queue_response, queue_utilization
**                                     the steady-state estimates (ss_*) equal
**                                     the exact M/M/c, M/M/c/K, CTMC or M/G/1
**                                     values (check/steady.h); losses only
**                                     when >= 10 are expected per replication
**        Many intervals are tested per scenario, so the level is corrected
**        for multiplicity (Bonferroni): with K interval checks in a scenario
**        each uses level 1 - alpha/K, and the chance that any of them fails
**        by bad luck is at most alpha = 1 %. The level is stored per check.
*/
#ifndef ADI_CHECK_CHECKS_H
#define ADI_CHECK_CHECKS_H

#include "scenario/scenario.h"
#include "sim/sim.h"

#include <stddef.h>

#define ADI_CHECK_TOLERANCE 1e-9  /* relative, for exact checks */
#define ADI_CHECK_ALPHA 0.01      /* family-wise error of the ci checks */
#define ADI_MAX_CHECKS 24

typedef struct adi_check {
    const char *bound;  /* static name, see above */
    int is_ci;          /* 0: exact, 1: confidence interval */
    double predicted;   /* the model's value */
    double observed;    /* exact: this run's value; ci: the mean over runs */
    int holds;
    double tolerance;   /* exact: relative tolerance used */
    double ci_lo, ci_hi;/* ci: interval for the observed mean */
    double confidence;  /* ci: level used */
} adi_check;

typedef struct adi_run_checks {
    size_t n;
    adi_check c[ADI_MAX_CHECKS];
} adi_run_checks;

/* How many ci checks the point will get (for the multiplicity correction). */
size_t adi_check_ci_count(const adi_point *p);

/* Checks the point's runs[0..nruns) (its replications, in order). out must
** have nruns entries; out[r] receives run r's checks. ci_level is the level
** of each interval (1 - ADI_CHECK_ALPHA / K). ADI_OK or an error. */
int adi_check_point(const adi_point *p, const adi_run_result *runs, size_t nruns,
                    double ci_level, adi_run_checks *out);

/* The network's model of point p (p->network must be 1), as bin/model
** prints it: R_net at the policy's window (tasks/s), the makespan lower
** bound every deterministic run meets (max(m / R_net, one task's shortest
** trip), s), and the least upper bound among the policy's network claims
** that apply to the point (s; NAN when none does). The checks of every run
** use the same values. ADI_OK or an error. */
typedef struct adi_point_netbounds {
    double R, lower, upper;
} adi_point_netbounds;
int adi_check_network_model(const adi_point *p, adi_point_netbounds *out);

#endif
