/*
** sim/hist.h — a streaming log-linear histogram for latency percentiles.
**
** Memory must not grow with the number of tasks, so latencies are counted in
** buckets instead of kept. A bucket is the set of doubles that share their
** exponent and top ADI_HIST_SUB_BITS mantissa bits: 512 linear sub-buckets
** per power of two. The bucket index is simply the double's bit pattern
** shifted right, so adding a value is a shift, a compare and an increment.
**
** Error bound: a quantile is reported as the midpoint of the bucket that
** holds the exact nearest-rank value, clamped to [min, max]. A bucket
** [a, a(1 + 2^-9)) has half-width a * 2^-10, so the reported value is within
** a relative 2^-10 = 0.098 % of the exact one. Values <= 0 or subnormal
** share one "zero" bucket reported as 0 (or min).
**
** Memory: 8 bytes per bucket over the span of octaves actually seen (4 KiB
** per octave); latencies between 1 ms and 1000 s cost 80 KiB.
*/
#ifndef ADI_SIM_HIST_H
#define ADI_SIM_HIST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ADI_HIST_SUB_BITS 9
#define ADI_HIST_REL_ERROR (1.0 / (1 << (ADI_HIST_SUB_BITS + 1)))

/* Stored histograms (for figures) merge 2^3 buckets: 64 per octave, each at
** most 1.1 % wide, which a plotted CDF cannot tell from the full one. */
#define ADI_HIST_STORE_SHIFT 3

typedef struct adi_hist {
    uint64_t *counts; /* counts[i] is bucket lo + i */
    int64_t lo, hi;   /* allocated bucket indices [lo, hi) */
    uint64_t zero;    /* values <= 0 or subnormal */
    uint64_t n;       /* values added */
    double min, max;  /* exact extremes of the values added */
} adi_hist;

void adi_hist_init(adi_hist *h);
void adi_hist_free(adi_hist *h);

/* Index of the bucket holding v (v positive and normal). */
static inline int64_t adi_hist_index(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return (int64_t)(bits >> (52 - ADI_HIST_SUB_BITS));
}

/* Lower and upper edge of bucket i. */
double adi_hist_bucket_lo(int64_t i);
double adi_hist_bucket_hi(int64_t i);

/* Slow path of adi_hist_add: grows the bucket range. 0 or -1 (no memory). */
int adi_hist_add_grow(adi_hist *h, double v);

/* Counts v. Returns 0, or -1 when the range had to grow and memory ran out. */
static inline int adi_hist_add(adi_hist *h, double v)
{
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
    h->n++;
    if (!(v >= 2.2250738585072014e-308)) { /* <= 0, subnormal or NaN */
        h->zero++;
        return 0;
    }
    int64_t i = adi_hist_index(v);
    if (i >= h->lo && i < h->hi) {
        h->counts[i - h->lo]++;
        return 0;
    }
    h->n--; /* the slow path counts it */
    return adi_hist_add_grow(h, v);
}

/* Gives back the memory of the buckets outside [lowest, highest] counted:
** a run's histograms grow with slack (two octaves each way) while it runs,
** and kept afterwards cost only the octaves their values span. Counts,
** quantiles and merges are unchanged. 0, or -1 (no memory; h unchanged). */
int adi_hist_shrink(adi_hist *h);

/* Bytes of the bucket array (what adi_hist_shrink leaves, for estimates). */
static inline size_t adi_hist_bytes(const adi_hist *h)
{
    return h->counts ? (size_t)(h->hi - h->lo) * sizeof *h->counts : 0;
}

/* Adds every count of src into dst. 0 or -1 (no memory). */
int adi_hist_merge(adi_hist *dst, const adi_hist *src);

/* Removes src's counts from dst, which must contain them (src was added to
** dst, or to what dst was copied from). min/max are left as they were; the
** caller sets them. */
void adi_hist_subtract(adi_hist *dst, const adi_hist *src);

/* Makes dst a copy of src. 0 or -1 (no memory). */
int adi_hist_copy(adi_hist *dst, const adi_hist *src);

/* Adds count values that fall in bucket `index` (index < 0: the zero
** bucket); for rebuilding a histogram from storage. min/max are widened to
** the bucket's edges. 0 or -1. */
int adi_hist_add_bucket(adi_hist *h, int64_t index, uint64_t count);

/* The nearest-rank p-quantile (0 < p <= 1), within ADI_HIST_REL_ERROR of
** the exact one. NAN when the histogram is empty. */
double adi_hist_quantile(const adi_hist *h, double p);

#endif
