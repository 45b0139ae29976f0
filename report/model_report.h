/*
** report/model_report.h — what `model` prints: the analytic predictions of
** a pool (model/bounds.h) as a labelled list, and one row per distinct pool
** of a scenario.
*/
#ifndef ADI_REPORT_MODEL_REPORT_H
#define ADI_REPORT_MODEL_REPORT_H

#include "model/bounds.h"
#include "scenario/scenario.h"

#include <stdio.h>

/* The list for one pool (times[0..n), m tasks). */
int adi_report_pool(FILE *f, const double *times, size_t n, uint64_t m);

/* One row per sweep point: the bounds of the devices its policy uses and
** the policy's own makespan prediction (sync rounds, m T for serial,
** max k_i T_i for static, [C*, greedy] for deterministic pull; "E =" marks
** an expectation, ">=" a bound where no closed form exists). */
int adi_report_scenario_model(FILE *f, const adi_scenario *sc);

/* `simulate --list-policies`: one line per entry of the policy table (its
** name, help, the devices it uses and the workloads it runs). ADI_OK, or
** ADI_EINTERNAL when the table is incomplete. */
int adi_report_policies(FILE *f);

#endif
