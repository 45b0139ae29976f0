/*
** policy/pull.h — pull's engine operations, for the policies built on it
** (serial.c: pull on one device). See pull.c.
*/
#ifndef ADI_POLICY_PULL_H
#define ADI_POLICY_PULL_H

#include "policy/policy.h"
#include "sim/sim_int.h"

int adi_pull_init(adi_sim *s);
void adi_pull_free(adi_sim *s);
int adi_pull_arrive(adi_sim *s, adi_task t);
int adi_pull_request(adi_sim *s, size_t d);
int adi_pull_arrive_many(adi_sim *s, double created, uint64_t count, uint64_t *taken);
/* The same over a network (they deliver through adi_net_assign). */
int adi_pull_net_arrive(adi_sim *s, adi_task t);
int adi_pull_net_request(adi_sim *s, size_t d);
int adi_pull_net_arrive_many(adi_sim *s, double created, uint64_t count, uint64_t *taken);

/* Its claims over a network (makespan_le_greedy_net). */
extern const adi_policy_claim adi_pull_net_claims[];

#endif
