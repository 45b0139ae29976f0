/*
** store/merge.h — merging result databases (shards of one sweep, or
** databases of separate runs) into one; see merge.c for how identity and
** order are kept.
*/
#ifndef ADI_STORE_MERGE_H
#define ADI_STORE_MERGE_H

#include "store/store.h"

typedef struct adi_merge_stats {
    size_t entries;      /* (scenario, point) links read from the sources */
    size_t points_added; /* points the target did not have */
    char **names;        /* distinct scenario names merged (owned) */
    size_t nnames;
} adi_merge_stats;

/* Frees the names; NULL does nothing. */
void adi_merge_stats_free(adi_merge_stats *stats);

/* Merges open source stores (read only; their paths name them in
** messages) into st, in one transaction. The sources must have st's schema
** version. */
int adi_store_merge(adi_store *st, adi_store *const *sources, size_t n, adi_merge_stats *stats);

/* The same from database files. */
int adi_store_merge_files(adi_store *st, const char *const *paths, size_t n,
                          adi_merge_stats *stats);

#endif
