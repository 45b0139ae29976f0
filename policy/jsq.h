/*
** policy/jsq.h — jsq's engine operations, for pod (the same rule over d
** devices drawn at random, pod.c). See jsq.c.
*/
#ifndef ADI_POLICY_JSQ_H
#define ADI_POLICY_JSQ_H

#include "policy/policy.h"
#include "sim/sim_int.h"

int adi_jsq_init(adi_sim *s);   /* every device is a choice */
int adi_pod_init(adi_sim *s);   /* params->choices of them, drawn per arrival */
void adi_jsq_free(adi_sim *s);
int adi_jsq_arrive(adi_sim *s, adi_task t);
int adi_jsq_request(adi_sim *s, size_t d);
int adi_jsq_room(const adi_sim *s);
int adi_jsq_net_arrive(adi_sim *s, adi_task t);
int adi_jsq_net_request(adi_sim *s, size_t d);

extern const adi_policy_claim adi_jsq_no_claims[];
int adi_jsq_predict(const adi_policy_pool *pool, char *out, size_t size);

#endif
