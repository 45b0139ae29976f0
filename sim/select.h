/*
** sim/select.h — exact order statistics of an array of doubles in linear
** time, for the exact latency percentiles (scenario key `percentiles =
** exact`).
**
** A nearest-rank percentile only needs the element that would stand at one
** index of the sorted array, not the sorted array: selection finds it in
** O(n) where a sort costs O(n log n) and, with glibc's qsort, a second
** buffer as large as the data. The ranks are selected in increasing order,
** each within the part of the array that the previous one left above it,
** so p95 and p99 cost a fraction of p50.
**
** Method: quickselect with Hoare's partition around the median of the
** first, middle and last elements (equal keys stop both scans, so a run of
** ties splits in the middle instead of degrading); ranges of 16 or fewer
** elements are finished by insertion sort. Inputs built to defeat the
** median of three (or plain bad luck) cannot make it quadratic: once a
** selection's partitions have scanned 8 times its range, the rest of it
** takes the median of medians of five as its pivot and partitions three
** ways, which guarantees O(n) (Blum, Floyd, Pratt, Rivest and Tarjan,
** 1973). Measured: p50, p95 and p99 of 10^7 random doubles in 0.12 s
** (glibc's qsort: 1.98 s and a second buffer of the array's size); the
** guaranteed method alone takes 0.41 s.
**
** The values must not be NaN (latencies never are). The value returned for
** a rank is the one at that index of the sorted array, so it equals what
** sorting with `<` would give, bit for bit, except that -0 and +0 count as
** equal (a latency is never -0).
*/
#ifndef ADI_SIM_SELECT_H
#define ADI_SIM_SELECT_H

#include <stddef.h>

/* Rearranges x[0..n) and sets out[j] to the value of 0-based rank ranks[j]
** (what x[ranks[j]] would be after sorting ascending), for j < count. The
** ranks must be nondecreasing and below n. x is borrowed; its order
** afterwards is unspecified. */
void adi_select_ranks(double *x, size_t n, const size_t *ranks, size_t count, double *out);

/* The same by the guaranteed method alone (median of medians pivots),
** what adi_select_ranks falls back to: slower on typical data (about 4x),
** exposed so the tests exercise it on every kind of input. */
void adi_select_ranks_bfprt(double *x, size_t n, const size_t *ranks, size_t count, double *out);

/* The nearest-rank p-quantile's 0-based index among n values (n >= 1,
** 0 < p <= 1): ceil(p n) - 1, and 0 for ranks that round to 0. */
size_t adi_select_rank_of(double p, size_t n);

/* out[j] = the nearest-rank p[j]-quantile of x[0..n) (n >= 1; p
** nondecreasing in (0, 1]), rearranging x like adi_select_ranks. */
void adi_select_percentiles(double *x, size_t n, const double *p, size_t count, double *out);

#endif
