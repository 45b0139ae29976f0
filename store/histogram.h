/*
** store/histogram.h — how a point's latency histogram is stored: one row
** of table latency_hist per point and kind, its buckets packed in a blob
** (schema 9; before, one row per bucket). Internal to store/ and its tests.
**
** The buckets are those of sim/hist.h merged by ADI_HIST_STORE_SHIFT: 64
** an octave. Bucket b holds the latencies in [adi_hist_bucket_lo(b << 3),
** adi_hist_bucket_lo((b + 1) << 3)), so its index alone gives both edges,
** bit for bit what the old rows held in columns lo and hi. The row:
**
**   zero     how many latencies were exactly 0 (or subnormal)
**   total    how many latencies in all: zero + every bucket's count
**   buckets  the buckets with a count, in increasing order, as pairs of
**            unsigned LEB128 varints (7 bits a byte, low bits first, the
**            high bit set on every byte but a number's last):
**              gap    the bucket's index less the previous one's (the
**                     first: its index itself), at least 1
**              count  at least 1
**
** The ablation's 135 points had 153 236 rows of 6 columns, 86 % of an 11
** MiB file; they are 270 rows of blobs averaging 1.2 KiB now (two or three
** bytes a bucket). Decoding checks everything it reads (a damaged blob is
** an error, never a wrong figure): varints that end and fit, gaps and
** counts of at least 1, indices below infinity's, and the total.
*/
#ifndef ADI_STORE_HISTOGRAM_H
#define ADI_STORE_HISTOGRAM_H

#include "sim/hist.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* A blob being made (malloc'ed bytes, owned; store_blob_free). */
typedef struct store_blob {
    unsigned char *data;
    size_t size, cap;
    int64_t last;    /* the index of the last bucket put; -1: none yet */
    uint64_t zero, total;
} store_blob;

/* Appends bucket `index` (increasing from call to call; -1: the zeros,
** counted in zero) with `count` (0: nothing is added). 0, or -1 when out
** of memory or the order is broken (the blob is then unusable). */
int store_blob_put(store_blob *b, int64_t index, uint64_t count);

/* The blob of h's buckets at the stored resolution: *out made afresh. 0 or
** -1 (out of memory). */
int store_blob_of_hist(const adi_hist *h, store_blob *out);

void store_blob_free(store_blob *b);

/* Reading a stored row's buckets back, one at a time. */
typedef struct store_blob_cursor {
    const unsigned char *at, *end;
    int64_t index;   /* of the last bucket read; 0 before the first */
    uint64_t left;   /* latencies not yet read: total - zero - counts */
} store_blob_cursor;

/* A cursor over the blob [data, data + size) of a row with these zero and
** total; data is borrowed until the last store_blob_next. -1 when zero >
** total (the row is damaged), else 0. */
int store_blob_open(store_blob_cursor *c, const unsigned char *data, size_t size, uint64_t zero,
                    uint64_t total);

/* The next bucket: 1 and its *index and *count; 0 at the end; -1 when the
** blob is damaged, *why saying how (static text). */
int store_blob_next(store_blob_cursor *c, int64_t *index, uint64_t *count, const char **why);

/* The edges of stored bucket `index` (s): [store_bucket_lo(index),
** store_bucket_lo(index + 1)). */
double store_bucket_lo(int64_t index);

/* Schema 9's step (schema.c): the rows of the old latency_hist, one per
** bucket, into table latency_hist_9, one per point and kind. An edge that
** is not its bucket's is an error (ADI_EINPUT), since the blob could not
** keep it. Within the caller's transaction. */
int store_hist_convert(adi_store *st);

#endif
