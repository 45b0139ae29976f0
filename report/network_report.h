/*
** report/network_report.h — what `model` will print for a network (the
** [network] section comes with the engine integration): the network-aware
** model of model/network.h as a table a person reads.
*/
#ifndef ADI_REPORT_NETWORK_REPORT_H
#define ADI_REPORT_NETWORK_REPORT_H

#include "model/network.h"

#include <stdint.h>
#include <stdio.h>

/* For m tasks at prefetch k over star s: a header line, one row per device
** (T_i, B_i, L_i, its segment, what bounds it in the pool at k, its least
** time per task at k and without prefetch, the prefetch that hides its
** transfers, its share of the pool's rate), then the pool: R_net at k,
** without prefetch and at the prefetch that hides every device's
** transfers, the coordinator's limit, the makespan bounds. Writes nothing
** and returns the error when the star is bad. */
int adi_report_network(FILE *f, const adi_star *s, uint64_t m, uint64_t k);


#endif
