/*
** core/hash.h — hashing for reproducibility: the seed of each random stream
** and the SHA-256 fingerprint of a scenario's text.
**
** Stream seeds come from the point's canonical key (its parameter values),
** not from its position in the sweep, so adding values to a sweep never
** changes the results of the points that were already there, and a single
** point can be rerun alone with identical results.
*/
#ifndef ADI_CORE_HASH_H
#define ADI_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a over the bytes, mixed with seed and finished by splitmix64. */
uint64_t adi_hash64(const void *data, size_t len, uint64_t seed);

/* The GSL taus2 seed of replication `rep` of the point with this key.
** taus2 uses 32 seed bits; replications of one point get seeds that are
** distinct by construction (base + rep * odd constant mod 2^32), so two
** replications cannot share a stream. Never returns 0 (GSL maps seed 0 to
** its default seed 4357). */
unsigned long adi_stream_seed(uint64_t scenario_seed, const char *point_key,
                              uint64_t rep);

/* Lower-case hex SHA-256 of the bytes (nettle), into hex[65]. */
void adi_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
